package crossbar_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/runtime/crossbar"
	"github.com/kzgen/kzgen/runtime/crossbar/crossbartest"
)

func TestErrorShapes(t *testing.T) {
	srv, acct := fake(t, crossbartest.Options{})
	other := srv.AddAccount("Other")
	srv.SetNumberOwner("+14155550199", other)
	c := client(t, srv, crossbar.APIKey(acct.APIKey))
	pivot := json.RawMessage(`{"module":"pivot","data":{"voice_url":"https://pivot.example.com/"}}`)
	if _, err := acct.Create(crossbar.Callflows, map[string]any{"name": "main", "numbers": []string{"+14155550100"}, "flow": pivot}); err != nil {
		t.Fatal(err)
	}
	create := func(doc map[string]any) error {
		_, err := crossbar.Create(ctx, c, crossbar.Callflows, doc)
		return err
	}
	problems := func(err error) []string {
		var e *crossbar.Error
		if !errors.As(err, &e) {
			t.Fatalf("err %v is not an *Error", err)
		}
		var out []string
		for _, p := range e.Problems {
			out = append(out, p.Pointer+" "+p.Code)
		}
		return out
	}

	t.Run("schema", func(t *testing.T) {
		err := create(map[string]any{"numbers": []string{"2000"}, "flow": map[string]any{
			"module": "tts", "data": map[string]any{},
			"children": map[string]any{"_": map[string]any{"module": "pivot", "data": map[string]any{"voice_url": 42}}},
		}})
		if !errors.Is(err, crossbar.ErrValidation) {
			t.Fatalf("err = %v", err)
		}
		want := []string{"/flow/children/_/data/voice_url type", "/flow/data/text required"}
		if got := problems(err); !slices.Equal(got, want) {
			t.Errorf("problems %q, want %q", got, want)
		}
	})
	t.Run("no number", func(t *testing.T) {
		err := create(map[string]any{"name": "x", "flow": pivot})
		if got := problems(err); !slices.Equal(got, []string{"/numbers required"}) {
			t.Errorf("problems %q", got)
		}
	})
	t.Run("blacklisted URL", func(t *testing.T) {
		err := create(map[string]any{"numbers": []string{"2001"}, "flow": map[string]any{"module": "pivot", "data": map[string]any{"voice_url": "http://localhost:8080/"}}})
		if got := problems(err); !slices.Equal(got, []string{"/flow/data/voice_url error"}) {
			t.Errorf("problems %q", got)
		}
		var e *crossbar.Error
		errors.As(err, &e)
		if e.Problems[0].Message != "invalid client URL" {
			t.Errorf("message %q", e.Problems[0].Message)
		}
	})
	t.Run("number owned elsewhere", func(t *testing.T) {
		err := create(map[string]any{"numbers": []string{"4155550199"}, "flow": pivot})
		var owned *crossbar.NumbersNotOwnedError
		if !errors.Is(err, crossbar.ErrForbidden) || !errors.As(err, &owned) || !slices.Equal(owned.Numbers, []string{"+14155550199"}) {
			t.Errorf("err = %v (%+v)", err, owned)
		}
	})
	t.Run("not found", func(t *testing.T) {
		_, err := crossbar.Get[user](ctx, c, crossbar.Callflows, "ffffffffffffffffffffffffffffffff")
		var e *crossbar.Error
		if !errors.Is(err, crossbar.ErrNotFound) || !errors.As(err, &e) || e.Message != "bad_identifier" {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("method not allowed", func(t *testing.T) {
		id, _ := c.AccountID(ctx)
		_, err := c.Do(ctx, http.MethodPatch, "accounts/"+id+"/pivot/debug", nil, map[string]any{})
		var e *crossbar.Error
		if !errors.As(err, &e) || e.StatusCode != 405 || e.Message != "invalid_method" {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("conflict and server errors", func(t *testing.T) {
		srv.FailNext(409, "datastore_conflict", map[string]string{"message": "conflict saving the document"})
		err := create(map[string]any{"numbers": []string{"2002"}, "flow": pivot})
		if !errors.Is(err, crossbar.ErrConflict) || !strings.Contains(err.Error(), "conflict saving the document") {
			t.Errorf("409: %v", err)
		}
		srv.FailNext(503, "datastore_missing", nil)
		err = create(map[string]any{"numbers": []string{"2002"}, "flow": pivot})
		var e *crossbar.Error
		if !errors.As(err, &e) || e.StatusCode != 503 || e.Message != "datastore_missing" {
			t.Errorf("503: %v", err)
		}
	})
	t.Run("not Crossbar's JSON", func(t *testing.T) {
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(502)
			fmt.Fprint(w, "<html><body>Bad Gateway</body></html>")
		}))
		defer ts.Close()
		c, _ := crossbar.New(crossbar.Config{BaseURL: ts.URL, Credentials: crossbar.APIKey("k")})
		_, err := c.Login(ctx)
		var e *crossbar.Error
		if !errors.As(err, &e) || e.StatusCode != 502 || !strings.Contains(err.Error(), "Bad Gateway") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestNumberTaken(t *testing.T) {
	for _, tc := range []struct {
		name    string
		wording crossbartest.UniqueWording
	}{
		{"master wording", crossbartest.WordingMaster},
		{"4.3 wording", crossbartest.Wording43},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, acct := fake(t, crossbartest.Options{Wording: tc.wording})
			flow := map[string]any{"module": "hangup", "data": map[string]any{}}
			holder, err := acct.Create(crossbar.Callflows, map[string]any{"name": "Main line", "numbers": []string{"+14155550100"}, "patterns": []string{"^\\*9(\\d+)$"}, "flow": flow})
			if err != nil {
				t.Fatal(err)
			}
			c := client(t, srv, crossbar.APIKey(acct.APIKey))
			_, err = crossbar.Create(ctx, c, crossbar.Callflows, map[string]any{"numbers": []string{"4155550100"}, "patterns": []string{"^\\*9(\\d+)$"}, "flow": flow})
			var taken []*crossbar.NumberTakenError
			var e *crossbar.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v", err)
			}
			for _, u := range e.Unwrap() {
				if nt, ok := u.(*crossbar.NumberTakenError); ok {
					taken = append(taken, nt)
				}
			}
			if len(taken) != 2 {
				t.Fatalf("%d NumberTakenErrors in %v, want 2", len(taken), err)
			}
			for i, want := range []crossbar.NumberTakenError{
				{Pointer: "/numbers", Number: "+14155550100", CallflowID: holder, CallflowName: "Main line"},
				{Pointer: "/patterns", Number: "^\\*9(\\d+)$", CallflowID: holder, CallflowName: "Main line"},
			} {
				got := *taken[i]
				got.Message = ""
				if got != want {
					t.Errorf("taken[%d] = %+v, want %+v", i, got, want)
				}
			}
			var first *crossbar.NumberTakenError
			if !errors.As(fmt.Errorf("wrapped: %w", err), &first) || first.CallflowID != holder {
				t.Errorf("errors.As through wrapping: %v", first)
			}
		})
	}
}

func TestSystemErrorShapes(t *testing.T) {
	srv, acct := fake(t, crossbartest.Options{})
	c := client(t, srv, crossbar.APIKey(acct.APIKey))
	if _, err := c.Login(ctx); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		status  int
		message string
		is      error
	}{
		{400, "parse_error", nil},
		{402, "no_credit", nil},
		{404, "faulty_request", crossbar.ErrNotFound},
		{416, "", nil},
		{423, "locked", nil},
		{500, "datastore_fault", nil},
		{501, "not_implemented", nil},
	} {
		srv.FailNext(tc.status, tc.message, map[string]string{"message": "details " + tc.message})
		_, err := crossbar.ListAll[user](ctx, c, crossbar.Users, nil)
		var e *crossbar.Error
		if !errors.As(err, &e) || e.StatusCode != tc.status || e.Problems != nil || errors.Is(err, crossbar.ErrValidation) {
			t.Errorf("%d %s: %v", tc.status, tc.message, err)
			continue
		}
		if tc.message != "" && (e.Message != tc.message || !strings.Contains(err.Error(), "details "+tc.message)) {
			t.Errorf("%d: message %q, error %v", tc.status, e.Message, err)
		}
		if tc.message == "" && e.Message != http.StatusText(tc.status) {
			t.Errorf("%d without a message: %q", tc.status, e.Message)
		}
		if tc.is != nil && !errors.Is(err, tc.is) {
			t.Errorf("%d is not %v", tc.status, tc.is)
		}
	}
}

func TestNumberTakenWordings(t *testing.T) {
	srv, acct := fake(t, crossbartest.Options{})
	c := client(t, srv, crossbar.APIKey(acct.APIKey))
	if _, err := c.Login(ctx); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		message, cause string
		want           crossbar.NumberTakenError
	}{
		{"Number +14155550100 exists in callflow abc123 Main (old)", "+14155550100", crossbar.NumberTakenError{Number: "+14155550100", CallflowID: "abc123", CallflowName: "Main (old)"}},
		{"+14155550100 exists in callflow abc123 ((a) b)", "", crossbar.NumberTakenError{Number: "+14155550100", CallflowID: "abc123", CallflowName: "(a) b"}},
		{"Number 1001 exists in callflow abc123 ", "1001", crossbar.NumberTakenError{Number: "1001", CallflowID: "abc123"}},
		{"1001 exists in callflow abc123 (undefined)", "1001", crossbar.NumberTakenError{Number: "1001", CallflowID: "abc123"}},
		{"number in use", "1001", crossbar.NumberTakenError{Number: "1001"}},
	} {
		detail := map[string]any{"message": tc.message}
		if tc.cause != "" {
			detail["cause"] = tc.cause
		}
		srv.FailNext(400, "validation error", map[string]any{"numbers": map[string]any{"unique": detail}})
		_, err := crossbar.Create(ctx, c, crossbar.Callflows, map[string]any{})
		var taken *crossbar.NumberTakenError
		if !errors.As(err, &taken) {
			t.Errorf("%q: %v", tc.message, err)
			continue
		}
		got := *taken
		got.Pointer, got.Message = "", ""
		if got != tc.want {
			t.Errorf("%q: %+v, want %+v", tc.message, got, tc.want)
		}
	}
}

func TestMultiFactorLogin(t *testing.T) {
	srv, acct := fake(t, crossbartest.Options{})
	c := client(t, srv, crossbar.APIKey(acct.APIKey))
	srv.FailNext(401, "invalid_credentials", map[string]any{"multi_factor_request": map[string]any{"provider_name": "duo"}})
	_, err := c.Login(ctx)
	if !errors.Is(err, crossbar.ErrMFARequired) || !errors.Is(err, crossbar.ErrUnauthorized) {
		t.Errorf("err = %v", err)
	}
}
