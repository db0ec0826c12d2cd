package pivot_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/pivot"
	"github.com/kzgen/kzgen/runtime/pivot/pivottest"
)

var (
	key1 = pivot.Key{ID: "k1", Secret: []byte("0123456789abcdef0123456789abcdef")}
	key2 = pivot.Key{ID: "k2", Secret: []byte("fedcba9876543210fedcba9876543210")}
)

// clock is a settable test clock.
type clock struct{ now atomic.Int64 }

func newClock() *clock {
	c := new(clock)
	c.now.Store(time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC).UnixNano())
	return c
}
func (c *clock) Now() time.Time          { return time.Unix(0, c.now.Load()) }
func (c *clock) Advance(d time.Duration) { c.now.Add(int64(d)) }

const ivrBase = "https://ivr.example.com/ivr"

// newMenu builds a two-level menu: start → lang (digit: 1 en, 2 es) →
// dept (digit: 1 sales, 2 support) → a goodbye naming both choices.
func newMenu(t *testing.T, keys []pivot.Key, opts ...pivot.Option) *pivot.Router {
	t.Helper()
	rt, err := pivot.NewRouter(ivrBase, keys, opts...)
	if err != nil {
		t.Fatal(err)
	}
	rt.Entry("start", func(ctx context.Context, s *pivot.Step) (callflow.Builder, error) {
		return callflow.TTS("1 English, 2 Español").
			Then(s.Gather("lang", "lang", pivot.State{"caller": s.CallerIDNumber}).MaxDigits(1)), nil
	})
	rt.Step("lang", func(ctx context.Context, s *pivot.Step) (callflow.Builder, error) {
		d, _ := s.Digits.Collection("lang")
		lang := map[string]string{"1": "en", "2": "es"}[d]
		if lang == "" {
			return callflow.TTS("Invalid choice").Then(s.Next("start", nil)), nil
		}
		return callflow.TTS("1 sales, 2 support").
			Then(s.Gather("dept", "dept", s.State.With("lang", lang)).MaxDigits(1)), nil
	})
	rt.Step("dept", func(ctx context.Context, s *pivot.Step) (callflow.Builder, error) {
		d, _ := s.Digits.Collection("dept")
		return callflow.TTS(fmt.Sprintf("lang=%s dept=%s caller=%s", s.State["lang"], d, s.State["caller"])).
			Then(callflow.Hangup()), nil
	})
	return rt
}

// spoken returns the tts text of a callflow's root.
func spoken(t *testing.T, res *pivottest.Result) string {
	t.Helper()
	if err := res.Err(); err != nil {
		t.Fatalf("%v\n%s", err, res.Body)
	}
	var d struct {
		Text string `json:"text"`
	}
	raw, err := json.Marshal(res.Node.Data)
	if err == nil {
		err = json.Unmarshal(raw, &d)
	}
	if res.Node.Module != "tts" || err != nil {
		t.Fatalf("root is %q, want tts: %s", res.Node.Module, res.Body)
	}
	return d.Text
}

// walk sends c to h, then follows with each digit string in turn, returning
// the last result.
func walk(t *testing.T, h http.Handler, c pivottest.Call, digits ...string) (*pivottest.Result, pivottest.Call) {
	t.Helper()
	res, err := c.Send(h)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range digits {
		if err := res.Err(); err != nil {
			t.Fatalf("before digits %q: %v\n%s", d, err, res.Body)
		}
		if c, err = c.Next(res, d); err != nil {
			t.Fatal(err)
		}
		if res, err = c.Send(h); err != nil {
			t.Fatal(err)
		}
	}
	return res, c
}

func TestRouterMultiStep(t *testing.T) {
	for _, follow := range []struct {
		name   string
		method callflow.PivotMethod
		body   callflow.PivotReqBodyFormat
	}{
		{"POST form (default)", "", ""},
		{"POST json", callflow.PivotMethodPost, callflow.PivotReqBodyFormatJSON},
		{"GET", callflow.PivotMethodGet, callflow.PivotReqBodyFormatForm},
	} {
		t.Run(follow.name, func(t *testing.T) {
			var opts []pivot.Option
			if follow.method != "" {
				opts = append(opts, pivot.WithFollowUp(follow.method, follow.body))
			}
			rt := newMenu(t, []pivot.Key{key1}, opts...)
			c := aliceCall
			c.VoiceURL = rt.URL("start")
			res, last := walk(t, rt, c, "2", "1")
			if got, want := spoken(t, res), "lang=es dept=1 caller=+15551234567"; got != want {
				t.Errorf("final step said %q, want %q", got, want)
			}
			if !strings.HasPrefix(last.VoiceURL, ivrBase+"/dept?kzc=v1.k1.") {
				t.Errorf("follow-up voice_url %q", last.VoiceURL)
			}
			if last.Format != pivot.FormatKazoo {
				t.Errorf("follow-up naming %v, want kazoo", last.Format)
			}
		})
	}
}

// TestRouterConcurrentCalls walks calls in parallel through one Router,
// with two keys, so that the pooled MAC states are shared between
// goroutines (run with -race).
func TestRouterConcurrentCalls(t *testing.T) {
	key2 := pivot.Key{ID: "k2", Secret: []byte("another secret of at least 32 bytes.")}
	rt := newMenu(t, []pivot.Key{key1, key2})
	for i := range 16 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			c := aliceCall
			c.CallID = fmt.Sprintf("call-%d", i)
			c.CallerIDNumber = fmt.Sprintf("+1555000%04d", i)
			c.VoiceURL = rt.URL("start")
			res, _ := walk(t, rt, c, "1", "2")
			if got, want := spoken(t, res), "lang=en dept=2 caller="+c.CallerIDNumber; got != want {
				t.Errorf("said %q, want %q", got, want)
			}
		})
	}
}

func TestRouterInvalidChoiceLoopsToEntry(t *testing.T) {
	rt := newMenu(t, []pivot.Key{key1})
	c := aliceCall
	c.VoiceURL = rt.URL("start")
	res, _ := walk(t, rt, c, "9", "", "1", "2")
	if got, want := spoken(t, res), "lang=en dept=2 caller=+15551234567"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestRouterNextNode(t *testing.T) {
	rt, err := pivot.NewRouter("https://user:pa55@ivr.example.com/app/ivr/?token=abc", []pivot.Key{key1},
		pivot.WithClock(newClock().Now), pivot.WithTTL(10*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	rt.Step("dept", func(context.Context, *pivot.Step) (callflow.Builder, error) { return callflow.Hangup(), nil })
	if got, want := rt.URL("start"), "https://user:pa55@ivr.example.com/app/ivr/start?token=abc"; got != want {
		t.Errorf("URL = %q, want %q", got, want)
	}
	p, err := rt.Next(&pivot.Request{CallID: "c1"}, "dept", pivot.State{"lang": "en"})
	if err != nil {
		t.Fatal(err)
	}
	d := p.Node().Data.(*callflow.PivotData)
	u, err := url.Parse(d.GetVoiceURL())
	if err != nil {
		t.Fatal(err)
	}
	if u.Scheme != "https" || u.User.String() != "user:pa55" || u.Host != "ivr.example.com" || u.Path != "/app/ivr/dept" {
		t.Errorf("voice_url %q", d.GetVoiceURL())
	}
	if q := u.Query(); q.Get("token") != "abc" || !strings.HasPrefix(q.Get("kzc"), "v1.k1.") {
		t.Errorf("voice_url query %q", u.RawQuery)
	}
	parts := strings.Split(u.Query().Get("kzc"), ".")
	if want := fmt.Sprint(newClock().Now().Add(10 * time.Minute).Unix()); parts[2] != want {
		t.Errorf("expiry %s, want %s", parts[2], want)
	}
	if st, _ := base64.RawURLEncoding.DecodeString(parts[3]); string(st) != "lang=en" {
		t.Errorf("state %q", st)
	}
	if d.GetMethod() != callflow.PivotMethodPost || d.ReqFormat == nil || *d.ReqFormat != callflow.PivotReqFormatKazoo ||
		d.ReqBodyFormat == nil || *d.ReqBodyFormat != callflow.PivotReqBodyFormatForm {
		t.Errorf("pivot data %s", must(p.MarshalJSON()))
	}
	if err := p.Validate(); err != nil {
		t.Error(err)
	}

	g, _ := pivot.NewRouter(ivrBase, []pivot.Key{key1}, pivot.WithFollowUp(callflow.PivotMethodGet, callflow.PivotReqBodyFormatJSON))
	g.Step("dept", func(context.Context, *pivot.Step) (callflow.Builder, error) { return callflow.Hangup(), nil })
	gp, err := g.Next(&pivot.Request{CallID: "c1"}, "dept", nil)
	if err != nil {
		t.Fatal(err)
	}
	gd := gp.Node().Data.(*callflow.PivotData)
	if gd.GetMethod() != callflow.PivotMethodGet || gd.ReqBodyFormat != nil {
		t.Errorf("GET follow-up: %s", must(gd.MarshalJSON()))
	}
}

func must(b []byte, err error) string {
	if err != nil {
		panic(err)
	}
	return string(b)
}

// tamperToken rewrites the continuation in a voice_url.
func tamperToken(voiceURL string, edit func(parts []string)) string {
	i := strings.Index(voiceURL, "kzc=")
	parts := strings.Split(voiceURL[i+4:], ".")
	edit(parts)
	return voiceURL[:i+4] + strings.Join(parts, ".")
}

func TestRouterRefusesContinuations(t *testing.T) {
	clk := newClock()
	forged := base64.RawURLEncoding.EncodeToString([]byte("caller=%2B15551234567&lang=fr"))
	tests := []struct {
		name  string
		edit  func(c *pivottest.Call)
		clock time.Duration
		want  error
	}{
		{name: "valid", want: nil},
		{name: "just before expiry", clock: time.Hour, want: nil},
		{name: "expired", clock: time.Hour + time.Second, want: pivot.ErrContinuationExpired},
		{name: "tampered state", want: pivot.ErrContinuationInvalid, edit: func(c *pivottest.Call) {
			c.VoiceURL = tamperToken(c.VoiceURL, func(p []string) { p[3] = forged })
		}},
		{name: "tampered expiry", want: pivot.ErrContinuationInvalid, edit: func(c *pivottest.Call) {
			c.VoiceURL = tamperToken(c.VoiceURL, func(p []string) { p[2] = "99999999999" })
		}},
		{name: "tampered signature", want: pivot.ErrContinuationInvalid, edit: func(c *pivottest.Call) {
			c.VoiceURL = tamperToken(c.VoiceURL, func(p []string) { p[4] = "AAAA" + p[4][4:] })
		}},
		{name: "unknown key", want: pivot.ErrContinuationInvalid, edit: func(c *pivottest.Call) {
			c.VoiceURL = tamperToken(c.VoiceURL, func(p []string) { p[1] = "k9" })
		}},
		{name: "other version", want: pivot.ErrContinuationInvalid, edit: func(c *pivottest.Call) {
			c.VoiceURL = tamperToken(c.VoiceURL, func(p []string) { p[0] = "v2" })
		}},
		{name: "malformed", want: pivot.ErrContinuationInvalid, edit: func(c *pivottest.Call) {
			c.VoiceURL = strings.Replace(c.VoiceURL, "kzc=", "kzc=x", 1)
		}},
		{name: "cross-call", want: pivot.ErrContinuationInvalid, edit: func(c *pivottest.Call) {
			c.CallID = "call-2"
		}},
		{name: "no Call-ID", want: pivot.ErrContinuationInvalid, edit: func(c *pivottest.Call) {
			c.CallID = ""
		}},
		{name: "cross-step", want: pivot.ErrContinuationInvalid, edit: func(c *pivottest.Call) {
			c.VoiceURL = strings.Replace(c.VoiceURL, "/ivr/dept?", "/ivr/lang?", 1)
		}},
		{name: "missing", want: pivot.ErrContinuationMissing, edit: func(c *pivottest.Call) {
			c.VoiceURL = ivrBase + "/dept"
		}},
		{name: "entry with a bad continuation", want: pivot.ErrContinuationInvalid, edit: func(c *pivottest.Call) {
			c.VoiceURL = ivrBase + "/start?kzc=v1.k1.1.x.y"
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clk.now.Store(newClock().now.Load())
			logger, logs := testLogger()
			rt := newMenu(t, []pivot.Key{key1}, pivot.WithClock(clk.Now), pivot.WithLogger(logger))
			c := aliceCall
			c.VoiceURL = rt.URL("start")
			res, c := walk(t, rt, c, "1") // the "lang" step has answered
			c, err := c.Next(res, "2")    // the request to "dept"
			if err != nil {
				t.Fatal(err)
			}
			if tc.edit != nil {
				tc.edit(&c)
			}
			clk.Advance(tc.clock)
			if res, err = c.Send(rt); err != nil {
				t.Fatal(err)
			}
			text := spoken(t, res)
			if tc.want == nil {
				if !strings.HasPrefix(text, "lang=en dept=2") {
					t.Errorf("refused a valid continuation: %q\n%s", text, logs)
				}
				return
			}
			if text != pivot.DefaultApology {
				t.Errorf("answered %q, want the fallback", text)
			}
			if log := logs.String(); !strings.Contains(log, "continuation refused") || !strings.Contains(log, tc.want.Error()) {
				t.Errorf("log lacks the refusal (%v):\n%s", tc.want, log)
			}
		})
	}
}

func TestRouterRefusalWithFailureStatus(t *testing.T) {
	rt := newMenu(t, []pivot.Key{key1}, pivot.WithFailureStatus(503), pivot.WithLogger(slog.New(slog.DiscardHandler)))
	c := aliceCall
	c.VoiceURL = ivrBase + "/dept?kzc=v1.k1.1.x.y"
	res, err := c.Send(rt)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != 503 || res.Verdict != pivottest.VerdictFailed {
		t.Errorf("status %d, verdict %v; want 503, failed", res.Status, res.Verdict)
	}
}

// TestRouterReplicas serves each step of one call from another replica, and
// rotates keys between them.
func TestRouterReplicas(t *testing.T) {
	old := newMenu(t, []pivot.Key{key1})           // signs with k1
	rotated := newMenu(t, []pivot.Key{key2, key1}) // signs with k2, still verifies k1
	retired := newMenu(t, []pivot.Key{key2})       // k1 retired
	sameKey := newMenu(t, []pivot.Key{key1})       // another replica of old
	// start on old, lang on sameKey (signs with k1), dept on rotated
	// (verifies k1).
	replicas := []http.Handler{old, sameKey, rotated}

	c := aliceCall
	c.VoiceURL = old.URL("start")
	res, err := c.Send(replicas[0])
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range []string{"2", "2"} {
		if c, err = c.Next(res, d); err != nil {
			t.Fatal(err)
		}
		if res, err = c.Send(replicas[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	if got := spoken(t, res); got != "lang=es dept=2 caller=+15551234567" {
		t.Errorf("got %q", got)
	}

	// A continuation signed with k1 is refused once k1 is retired.
	c = aliceCall
	c.VoiceURL = old.URL("start")
	res, _ = c.Send(old)
	c, _ = c.Next(res, "1")
	if res, _ = c.Send(retired); spoken(t, res) != pivot.DefaultApology {
		t.Errorf("retired key accepted: %s", res.Body)
	}
}

func TestRouterDispatch(t *testing.T) {
	rt := newMenu(t, []pivot.Key{key1}, pivot.WithLogger(slog.New(slog.DiscardHandler)))
	mux := http.NewServeMux()
	mux.Handle("/ivr/", rt)
	mux.Handle("/other/", http.StripPrefix("/other", rt))

	for _, tc := range []struct {
		target string
		status int
	}{
		{"/ivr/start?Call-ID=c1", 200},
		{"/other/start?Call-ID=c1", 200},
		{"/ivr/nope?Call-ID=c1", 404},
		{"/ivr/?Call-ID=c1", 404},
		{"/ivr/dept?Call-ID=c1", 200}, // the fallback: no continuation
	} {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest("GET", tc.target, nil))
		if rec.Code != tc.status {
			t.Errorf("%s: status %d, want %d", tc.target, rec.Code, tc.status)
		}
	}
}

func TestRouterNextUnknownStepFallsBack(t *testing.T) {
	logger, logs := testLogger()
	rt, _ := pivot.NewRouter(ivrBase, []pivot.Key{key1}, pivot.WithLogger(logger))
	rt.Entry("start", func(ctx context.Context, s *pivot.Step) (callflow.Builder, error) {
		return s.Next("typo", nil), nil
	})
	c := aliceCall
	c.VoiceURL = rt.URL("start")
	res, err := c.Send(rt)
	if err != nil {
		t.Fatal(err)
	}
	if spoken(t, res) != pivot.DefaultApology || !strings.Contains(logs.String(), `no such step: \"typo\"`) {
		t.Errorf("body %s\nlog %s", res.Body, logs)
	}
}

// TestRouterStateTooLarge: state over the bound is an error the step
// function can see, and the request is answered with the fallback, whatever
// the function returns.
func TestRouterStateTooLarge(t *testing.T) {
	logger, logs := testLogger()
	rt, _ := pivot.NewRouter(ivrBase, []pivot.Key{key1}, pivot.WithLogger(logger))
	big := pivot.State{"big": strings.Repeat("x", 4000)}
	var seen error
	rt.Entry("start", func(ctx context.Context, s *pivot.Step) (callflow.Builder, error) {
		b := callflow.TTS("Hi").Then(s.Gather("pin", "start", big).MaxDigits(4))
		seen = s.Err()
		return b, nil
	})
	c := aliceCall
	c.VoiceURL = rt.URL("start")
	res, err := c.Send(rt)
	if err != nil {
		t.Fatal(err)
	}
	if spoken(t, res) != pivot.DefaultApology {
		t.Errorf("body %s", res.Body)
	}
	if !errors.Is(seen, pivot.ErrStateTooLarge) {
		t.Errorf("Step.Err() = %v, want ErrStateTooLarge", seen)
	}
	if !strings.Contains(logs.String(), "continuation state too large") || !strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("log lacks the error:\n%s", logs)
	}

	// Outside a step, Router.Next and Gather return the error.
	r := &pivot.Request{CallID: "c1"}
	if _, err := rt.Next(r, "start", big); !errors.Is(err, pivot.ErrStateTooLarge) {
		t.Errorf("Router.Next: %v", err)
	}
	if _, err := rt.Gather(r, "pin", "start", big); !errors.Is(err, pivot.ErrStateTooLarge) {
		t.Errorf("Router.Gather: %v", err)
	}
	if _, err := rt.Next(r, "nowhere", nil); !errors.Is(err, pivot.ErrUnknownStep) {
		t.Errorf("Router.Next to an unknown step: %v", err)
	}
	if _, err := rt.Next(nil, "start", nil); err == nil {
		t.Error("Router.Next with a nil request: no error")
	}
}

func TestNewRouterErrors(t *testing.T) {
	short := pivot.Key{ID: "k", Secret: []byte("short")}
	for name, tc := range map[string]struct {
		base string
		keys []pivot.Key
		opts []pivot.Option
	}{
		"relative URL":   {"/ivr", []pivot.Key{key1}, nil},
		"ftp URL":        {"ftp://h/ivr", []pivot.Key{key1}, nil},
		"fragment":       {"https://h/ivr#x", []pivot.Key{key1}, nil},
		"no key":         {ivrBase, nil, nil},
		"short secret":   {ivrBase, []pivot.Key{short}, nil},
		"bad key ID":     {ivrBase, []pivot.Key{{ID: "a.b", Secret: key1.Secret}}, nil},
		"empty key ID":   {ivrBase, []pivot.Key{{Secret: key1.Secret}}, nil},
		"duplicate key":  {ivrBase, []pivot.Key{key1, key1}, nil},
		"zero TTL":       {ivrBase, []pivot.Key{key1}, []pivot.Option{pivot.WithTTL(0)}},
		"nil clock":      {ivrBase, []pivot.Key{key1}, []pivot.Option{pivot.WithClock(nil)}},
		"bad follow-up":  {ivrBase, []pivot.Key{key1}, []pivot.Option{pivot.WithFollowUp("put", "form")}},
		"bad status":     {ivrBase, []pivot.Key{key1}, []pivot.Option{pivot.WithFailureStatus(200)}},
		"bad body bound": {ivrBase, []pivot.Key{key1}, []pivot.Option{pivot.WithMaxBodyBytes(-1)}},
	} {
		if _, err := pivot.NewRouter(tc.base, tc.keys, tc.opts...); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// The secret is copied: changing the caller's slice changes nothing.
	secret := []byte(string(key1.Secret))
	rt, err := pivot.NewRouter(ivrBase, []pivot.Key{{ID: "k1", Secret: secret}})
	if err != nil {
		t.Fatal(err)
	}
	secret[0] ^= 1
	rt.Entry("start", func(ctx context.Context, s *pivot.Step) (callflow.Builder, error) {
		return callflow.Hangup(), nil
	})
	verifier := newMenu(t, []pivot.Key{key1})
	c := aliceCall
	next, err := rt.Next(&pivot.Request{CallID: c.CallID}, "start", nil)
	if err != nil {
		t.Fatal(err)
	}
	c.VoiceURL = ivrBase + "/start?kzc=" + strings.Split(next.Node().Data.(*callflow.PivotData).GetVoiceURL(), "kzc=")[1]
	if res, _ := c.Send(verifier); spoken(t, res) == pivot.DefaultApology {
		t.Error("the router kept a reference to the caller's secret")
	}
}

func TestRouterRegisterPanics(t *testing.T) {
	rt, _ := pivot.NewRouter(ivrBase, []pivot.Key{key1})
	ok := func(context.Context, *pivot.Step) (callflow.Builder, error) { return nil, nil }
	rt.Step("a", ok)
	for name, reg := range map[string]func(){
		"duplicate":  func() { rt.Entry("a", ok) },
		"empty name": func() { rt.Step("", ok) },
		"slash":      func() { rt.Step("a/b", ok) },
		"dot":        func() { rt.Step("..", ok) },
		"nil func":   func() { rt.Step("b", nil) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			reg()
		})
	}
}

func TestStateWith(t *testing.T) {
	var s pivot.State
	a := s.With("x", "1")
	b := a.With("y", "2")
	if len(s) != 0 || len(a) != 1 || len(b) != 2 || b["x"] != "1" {
		t.Errorf("s=%v a=%v b=%v", s, a, b)
	}
}

func TestContinuationErrorsAreDistinct(t *testing.T) {
	errs := []error{pivot.ErrContinuationMissing, pivot.ErrContinuationInvalid, pivot.ErrContinuationExpired}
	for i, a := range errs {
		for j, b := range errs {
			if (i == j) != errors.Is(a, b) {
				t.Errorf("errors.Is(%v, %v) = %v", a, b, errors.Is(a, b))
			}
		}
	}
}
