package webhooktest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kzgen/kzgen/runtime/webhook"
	"github.com/kzgen/kzgen/runtime/wire"
)

// capture is a receiver keeping every event.
type capture struct{ events []webhook.Event }

func (c *capture) Receive(_ context.Context, ev webhook.Event) error {
	c.events = append(c.events, ev)
	return nil
}

// typedFields returns an event with its delivery details cleared, for
// comparing what different formats decode to.
func typedFields(ev webhook.Event) any {
	v := reflect.ValueOf(ev).Elem()
	c := reflect.New(v.Type()).Elem()
	c.Set(v)
	c.FieldByName("Delivery").Set(reflect.Zero(reflect.TypeOf(webhook.Delivery{})))
	return c.Interface()
}

// TestSamplesDecodeAlikeInEveryDelivery sends every sample in every way a
// hook can deliver it and checks the receiver reads the same typed event.
func TestSamplesDecodeAlikeInEveryDelivery(t *testing.T) {
	wantType := map[string]string{
		"channel_create": "*webhook.ChannelEvent", "channel_answer": "*webhook.ChannelEvent",
		"channel_bridge": "*webhook.ChannelEvent", "channel_destroy": "*webhook.ChannelEvent",
		"object": "*webhook.ObjectEvent", "notifications": "*webhook.NotificationEvent",
		"parking": "*webhook.ParkingEvent", "callflow": "*webhook.CallflowEvent",
	}
	if got := SampleHooks(); len(got) != len(wantType) {
		t.Fatalf("SampleHooks() = %v", got)
	}
	hooks := []Hook{
		{HTTPVerb: "get"},
		{HTTPVerb: "post"},
		{HTTPVerb: "POST", Format: webhook.FormatJSON},
		{HTTPVerb: "put"},
		{HTTPVerb: "put", Format: webhook.FormatJSON},
	}
	for _, name := range SampleHooks() {
		t.Run(name, func(t *testing.T) {
			c := &capture{}
			h := webhook.Handler(c)
			for _, hook := range hooks {
				hook.CustomData = map[string]string{"team": "support"}
				res, err := hook.Send(h, MustSample(name))
				if err != nil {
					t.Fatal(err)
				}
				if !res.Success() || res.Status != 200 || res.Err() != nil {
					t.Fatalf("%s %v: %v %s", hook.HTTPVerb, hook.Format, res.Verdict, res.Reason)
				}
			}
			first := c.events[0]
			if got := reflect.TypeOf(first).String(); got != wantType[name] {
				t.Fatalf("decoded as %s, want %s", got, wantType[name])
			}
			if first.Hook() != name {
				t.Errorf("hook %q", first.Hook())
			}
			for i, ev := range c.events {
				d := ev.Info()
				if len(d.Problems) > 0 {
					t.Errorf("delivery %d: problems %v", i, d.Problems)
				}
				if d.HookID != DefaultHookID || d.HookAccountID != SampleAccountID || d.ClusterID != DefaultClusterID {
					t.Errorf("delivery %d: headers or cluster_id missing: %+v", i, d)
				}
				if d.Get("team") != "support" {
					t.Errorf("delivery %d: custom_data not merged", i)
				}
				if !reflect.DeepEqual(typedFields(ev), typedFields(first)) {
					t.Errorf("delivery %d (%s %s) decodes differently:\n got %+v\nwant %+v",
						i, d.Method, d.Format, typedFields(ev), typedFields(first))
				}
			}
		})
	}
}

func TestSampleChannelDestroyFields(t *testing.T) {
	c := &capture{}
	res, err := Hook{}.Send(webhook.Handler(c), MustSample("channel_destroy"))
	if err != nil || !res.Success() {
		t.Fatalf("%v %v", err, res.Err())
	}
	e := c.events[0].(*webhook.ChannelEvent)
	if e.CallID != SampleCallID || e.AccountID != SampleAccountID || e.HangupCause != "NORMAL_CLEARING" ||
		e.HangupCode != "sip:200" || e.Duration != 72*time.Second || e.BillingDuration != 68*time.Second ||
		e.RingingDuration != 4*time.Second || e.CustomApplicationVars["ivr_step"] != "main_menu" ||
		!e.Timestamp.Equal(time.Date(2025, 1, 15, 14, 31, 12, 0, time.UTC)) {
		t.Errorf("channel_destroy sample decodes to %+v", e)
	}
}

func TestRequestAsKazooSendsIt(t *testing.T) {
	p := MustSample("object")
	tests := []struct {
		hook        Hook
		method, url string
		contentType string
		body        string
	}{
		{Hook{URI: "https://hooks.example.com/k", HTTPVerb: "get"}, "GET",
			"https://hooks.example.com/k?id=6e5d4c3b2a1908172635445362718190&account_id=3c9f1e2a7b8d4c6e9f0a1b2c3d4e5f60&action=doc_edited&type=callflow&cluster_id=e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0",
			"", ""},
		{Hook{URI: "https://hooks.example.com/k?token=t1", HTTPVerb: "get", CustomData: map[string]string{"note": "a b/c"}}, "GET",
			"https://hooks.example.com/k?token=t1?id=6e5d4c3b2a1908172635445362718190&account_id=3c9f1e2a7b8d4c6e9f0a1b2c3d4e5f60&action=doc_edited&type=callflow&note=a+b%2Fc&cluster_id=e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0",
			"", ""},
		{Hook{URI: "https://hooks.example.com/k"}, "POST", "https://hooks.example.com/k", "application/x-www-form-urlencoded",
			"id=6e5d4c3b2a1908172635445362718190&account_id=3c9f1e2a7b8d4c6e9f0a1b2c3d4e5f60&action=doc_edited&type=callflow&cluster_id=e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0"},
		{Hook{URI: "https://hooks.example.com/k", HTTPVerb: "put", Format: webhook.FormatJSON}, "PUT", "https://hooks.example.com/k", "application/json",
			"{\n  \"id\": \"6e5d4c3b2a1908172635445362718190\",\n  \"account_id\": \"3c9f1e2a7b8d4c6e9f0a1b2c3d4e5f60\",\n  \"action\": \"doc_edited\",\n  \"type\": \"callflow\",\n  \"cluster_id\": \"e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0\"\n}"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.hook.URI, func(t *testing.T) {
			req, err := tt.hook.NewRequest(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			if req.Method != tt.method || req.URL.String() != tt.url {
				t.Errorf("request %s %s\nwant    %s %s", req.Method, req.URL, tt.method, tt.url)
			}
			if got := req.Header.Get("Content-Type"); got != tt.contentType {
				t.Errorf("Content-Type %q, want %q", got, tt.contentType)
			}
			if req.Header.Get("X-Hook-ID") != DefaultHookID || req.Header.Get("X-Account-ID") != SampleAccountID {
				t.Errorf("headers %v", req.Header)
			}
			var body []byte
			if req.Body != nil {
				body, _ = io.ReadAll(req.Body)
			}
			if string(body) != tt.body {
				t.Errorf("body\n%s\nwant\n%s", body, tt.body)
			}
		})
	}
	if _, err := (Hook{HTTPVerb: "delete"}).NewRequest(context.Background(), p); err == nil {
		t.Error("http_verb delete: no error")
	}
	if _, err := (Hook{}).NewRequest(context.Background(), nil); err == nil {
		t.Error("nil payload: no error")
	}
}

func TestCustomDataKeepsEventFields(t *testing.T) {
	fields := Hook{CustomData: map[string]string{"zeta": "1", "call_id": "spoofed", "alpha": "2"}}.Fields(MustSample("parking"))
	if fields.Get("call_id") != SampleCallID {
		t.Errorf("custom_data replaced call_id: %s", fields.Get("call_id"))
	}
	n := len(fields)
	if fields[n-3].Key != "alpha" || fields[n-2].Key != "zeta" || fields[n-1].Key != "cluster_id" {
		t.Errorf("order: %v", fields[n-3:])
	}
}

func TestBasicAuthFromURI(t *testing.T) {
	h := webhook.Handler(&capture{}, webhook.WithBasicAuth("kazoo", "pw-123"))
	res, err := Hook{URI: "https://kazoo:pw-123@hooks.example.com/k"}.Send(h, MustSample("channel_create"))
	if err != nil || !res.Success() {
		t.Fatalf("%v %v", err, res.Err())
	}
	if res.Request.URL.User != nil {
		t.Error("credentials left in the URL")
	}
	res, _ = Hook{URI: "https://kazoo:wrong@hooks.example.com/k"}.Send(h, MustSample("channel_create"))
	if res.Verdict != VerdictFailed || res.Status != 401 {
		t.Errorf("wrong password: %v %d", res.Verdict, res.Status)
	}
}

func TestVerdicts(t *testing.T) {
	status := func(code int) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(code) })
	}
	tests := []struct {
		name     string
		hook     Hook
		handler  http.Handler
		verdict  Verdict
		status   int
		warnings int
		reason   string
	}{
		{"200", Hook{}, status(200), VerdictSuccess, 200, 0, "successful"},
		{"204", Hook{}, status(204), VerdictFailed, 204, 0, "not retried"},
		{"201 to a POST", Hook{}, status(201), VerdictFailed, 201, 0, "only 200"},
		{"201 to a PUT", Hook{HTTPVerb: "put"}, status(201), VerdictSuccess, 201, 1, "Kazoo 5.x"},
		{"500", Hook{}, status(500), VerdictFailed, 500, 0, "disabling the hook"},
		{"GET to a uri with a query", Hook{HTTPVerb: "get", URI: "http://h/k?x=1"}, status(200), VerdictSuccess, 200, 1, ""},
		{"too slow", Hook{Timeout: 20 * time.Millisecond}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(40 * time.Millisecond)
		}), VerdictRetried, 0, 0, "past Kazoo's timeout"},
		{"panic", Hook{Retries: 9}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("boom") }),
			VerdictRetried, 0, 0, "retries after 2 s while retries last (this hook: 5 in all)"},
		{"ErrRetry", Hook{}, webhook.Handler(webhook.ReceiverFunc(func(context.Context, webhook.Event) error { return webhook.ErrRetry })),
			VerdictRetried, 0, 0, "closed the connection"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := tt.hook.Send(tt.handler, MustSample("channel_create"))
			if err != nil {
				t.Fatal(err)
			}
			if res.Verdict != tt.verdict || res.Status != tt.status || len(res.Warnings) != tt.warnings ||
				!strings.Contains(res.Reason, tt.reason) {
				t.Errorf("verdict %v, status %d, reason %q, warnings %q", res.Verdict, res.Status, res.Reason, res.Warnings)
			}
			var ve *VerdictError
			if err := res.Err(); (err == nil) != (tt.verdict == VerdictSuccess) ||
				(err != nil && (!errors.As(err, &ve) || ve.Verdict != tt.verdict)) {
				t.Errorf("Err() = %v", err)
			}
		})
	}
}

func TestDoOverTheNetwork(t *testing.T) {
	c := &capture{}
	srv := httptest.NewServer(webhook.Handler(c, webhook.WithSecret("hook_secret", "s-123456789")))
	hook := Hook{URI: srv.URL + "/k", Format: webhook.FormatJSON, CustomData: map[string]string{"hook_secret": "s-123456789"}}
	res, err := hook.Do(context.Background(), nil, MustSample("channel_answer"))
	if err != nil || !res.Success() || len(c.events) != 1 || c.events[0].Hook() != webhook.HookChannelAnswer {
		t.Fatalf("%v %v %v", err, res.Err(), c.events)
	}
	if res.Fields.Get("hook_secret") != "s-123456789" {
		t.Error("Result.Fields lacks the custom_data sent")
	}
	srv.Close()
	res, err = hook.Do(context.Background(), nil, MustSample("channel_answer"))
	if err != nil || res.Verdict != VerdictRetried || !strings.Contains(res.Reason, "request failed") {
		t.Errorf("closed server: %v %v %q", err, res.Verdict, res.Reason)
	}
}

func TestPayloadEditing(t *testing.T) {
	p := MustSample("channel_destroy")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(p.SetText("duration_seconds", "12"))
	must(p.SetText("call_forwarded", "true"))
	must(p.SetText("hangup_cause", "USER_BUSY"))
	must(p.SetText("custom_application_vars[ivr_step]", "sales"))
	must(p.SetText("custom_channel_vars[a][b]", "deep"))
	must(p.SetText("brand_new", "42"))
	must(p.Set("ringing_seconds", wire.String("9")))
	must(p.Delete("billing_seconds"))
	must(p.Delete("custom_channel_vars[Bridge-ID]"))
	must(p.Delete("no_such_field"))

	f := p.Fields()
	for path, want := range map[string]string{
		"duration_seconds": "12", "call_forwarded": "true", "hangup_cause": "USER_BUSY",
		"custom_application_vars[ivr_step]": "sales", "custom_application_vars[menu_choice]": "2",
		"custom_channel_vars[a][b]": "deep", "brand_new": "42", "ringing_seconds": "9",
	} {
		if got := f.Get(path); got != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
	kinds := map[string]wire.Kind{"duration_seconds": wire.KindNumber, "call_forwarded": wire.KindBool,
		"brand_new": wire.KindString, "ringing_seconds": wire.KindString}
	for path, want := range kinds {
		if v, _ := f.Lookup(path); v.Kind() != want {
			t.Errorf("%s is a %v, want %v", path, v.Kind(), want)
		}
	}
	if f.Has("billing_seconds") || f.Get("custom_channel_vars[Bridge-ID]") != "" {
		t.Error("Delete left fields")
	}
	// The sample itself is untouched.
	if MustSample("channel_destroy").Fields().Get("duration_seconds") != "72" {
		t.Error("editing a payload changed the sample")
	}
	// A clone is independent.
	q := p.Clone()
	must(q.SetText("custom_application_vars[ivr_step]", "support"))
	if p.Fields().Get("custom_application_vars[ivr_step]") != "sales" {
		t.Error("Clone shares nested objects")
	}

	for path, text := range map[string]string{
		"duration_seconds":        "twelve",
		"call_forwarded":          "maybe",
		"custom_channel_vars":     "x",
		"hangup_cause[x]":         "y",
		"":                        "x",
		"a[":                      "x",
		"a[]":                     "x",
		"a[b]c":                   "x",
		"]a":                      "x",
		"custom_channel_vars[[x]": "x",
	} {
		if err := p.SetText(path, text); err == nil {
			t.Errorf("SetText(%q, %q): no error", path, text)
		}
	}
	if _, err := Sample("channel_hold"); err == nil || !strings.Contains(err.Error(), "channel_destroy") {
		t.Errorf("unknown sample: %v", err)
	}
}
