package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kzgen/kzgen/runtime/webhook"
	"github.com/kzgen/kzgen/runtime/webhook/webhooktest"
)

// hookServer is a receiver built with runtime/webhook, recording the events
// it gets; it refuses deliveries without the secret or for other accounts.
type hookServer struct {
	*httptest.Server
	mu     sync.Mutex
	events []webhook.Event
}

const (
	triggerSecret  = "s-7f3a9c2e5b8d1f4a6c0e"
	triggerAccount = "0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e"
)

func newHookServer(t *testing.T, opts ...webhook.Option) *hookServer {
	t.Helper()
	s := &hookServer{}
	record := func(_ context.Context, ev webhook.Event) error {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.events = append(s.events, ev)
		if ev.Info().Get("fail") == "yes" {
			return errors.New("receiver failed on purpose")
		}
		return nil
	}
	opts = append([]webhook.Option{
		webhook.WithSecret("hook_secret", triggerSecret),
		webhook.WithAccounts(triggerAccount),
		webhook.WithLogger(slog.New(slog.DiscardHandler)),
	}, opts...)
	s.Server = httptest.NewServer(webhook.Handler(webhook.ReceiverFunc(record), opts...))
	t.Cleanup(s.Close)
	return s
}

func (s *hookServer) last(t *testing.T) webhook.Event {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.events) == 0 {
		t.Fatal("the receiver got no event")
	}
	return s.events[len(s.events)-1]
}

func trigger(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(append([]string{"trigger"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

func TestTriggerEndToEnd(t *testing.T) {
	srv := newHookServer(t)
	auth := []string{"-custom-data", "hook_secret=" + triggerSecret + ",team=support", "-account-id", triggerAccount}
	for _, tt := range []struct {
		method, format string
		want           webhook.Format
	}{
		{"get", "form", webhook.FormatQuery},
		{"post", "form", webhook.FormatForm},
		{"POST", "json", webhook.FormatJSON},
		{"put", "form-data", webhook.FormatForm},
	} {
		t.Run(tt.method+" "+tt.format, func(t *testing.T) {
			args := append([]string{"channel_destroy", "-url", srv.URL + "/hooks", "-method", tt.method, "-format", tt.format,
				"-set", "hangup_cause=USER_BUSY", "-set", "duration_seconds=9", "-set", "custom_application_vars[ivr_step]=sales"},
				auth...)
			code, out, errOut := trigger(args...)
			if code != 0 {
				t.Fatalf("exit %d\n%s%s", code, out, errOut)
			}
			for _, want := range []string{
				"sent channel_destroy: " + strings.ToUpper(tt.method),
				"X-Account-Id: " + triggerAccount,
				"X-Hook-Id: " + webhooktest.DefaultHookID,
				"answer: 200 OK",
				"Kazoo's verdict: success: status 200",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
			e, ok := srv.last(t).(*webhook.ChannelEvent)
			if !ok {
				t.Fatalf("receiver got %T", srv.last(t))
			}
			if e.Hook() != webhook.HookChannelDestroy || e.HangupCause != "USER_BUSY" || e.Duration != 9*time.Second ||
				e.CustomApplicationVars["ivr_step"] != "sales" || e.AccountID != triggerAccount ||
				e.HookAccountID != triggerAccount || e.Format != tt.want || len(e.Problems) != 0 {
				t.Errorf("receiver got %+v", e)
			}
			if e.Raw.Has("hook_secret") || len(e.Extra) != 1 || e.Extra[0].Key != "team" {
				t.Errorf("Extra %v: want only team, the secret removed", e.Extra)
			}
		})
	}

	// Every sample reaches the receiver as its type.
	for _, name := range webhooktest.SampleHooks() {
		code, out, errOut := trigger(append([]string{name, "-url", srv.URL}, auth...)...)
		if code != 0 {
			t.Errorf("%s: exit %d\n%s%s", name, code, out, errOut)
			continue
		}
		if got := srv.last(t).Hook(); got != name {
			t.Errorf("%s: the receiver read hook %q", name, got)
		}
	}
}

func TestTriggerReportsKazoosVerdict(t *testing.T) {
	srv := newHookServer(t, webhook.WithFailureStatus(503))
	auth := []string{"-custom-data", "hook_secret=" + triggerSecret, "-account-id", triggerAccount}

	// Refused: no secret.
	code, out, _ := trigger("object", "-url", srv.URL, "-account-id", triggerAccount)
	if code != 1 || !strings.Contains(out, "answer: 403 Forbidden") || !strings.Contains(out, "Kazoo's verdict: failed") ||
		!strings.Contains(out, "disabling the hook") {
		t.Errorf("no secret: exit %d\n%s", code, out)
	}
	// The receiver fails and the server opted into a failure status.
	code, out, _ = trigger(append([]string{"channel_create", "-url", srv.URL, "-set", "fail=yes"}, auth...)...)
	if code != 1 || !strings.Contains(out, "answer: 503 Service Unavailable") || !strings.Contains(out, "not retried") {
		t.Errorf("failing receiver: exit %d\n%s", code, out)
	}
	// Nobody listening: Kazoo would retry.
	srv.Close()
	code, out, _ = trigger(append([]string{"channel_create", "-url", srv.URL, "-timeout", "2s"}, auth...)...)
	if code != 1 || !strings.Contains(out, "answer: none") || !strings.Contains(out, "Kazoo's verdict: retried") {
		t.Errorf("closed server: exit %d\n%s", code, out)
	}
}

func TestTriggerVerbose(t *testing.T) {
	srv := newHookServer(t)
	code, out, _ := trigger("parking", "-url", srv.URL+"/k", "-method", "get", "-v",
		"-custom-data", "hook_secret="+triggerSecret, "-account-id", triggerAccount)
	if code != 0 || !strings.Contains(out, `"parking_slot": 3`) || !strings.Contains(out, `"cluster_id": "`+webhooktest.DefaultClusterID) ||
		!strings.Contains(out, "/k?account_id="+triggerAccount+"&call_id=") {
		t.Errorf("exit %d\n%s", code, out)
	}
}

func TestTriggerUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-h"}, 0, "Usage: kzgen trigger EVENT"},
		{[]string{}, 2, "which event?"},
		{[]string{"channel_destroy"}, 2, "-url is required"},
		{[]string{"channel_hold", "-url", "http://h/"}, 2, `event "channel_hold"`},
		{[]string{"-url", "http://h/", "object", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"object", "-url", "http://h/", "-method", "delete"}, 2, "-method"},
		{[]string{"object", "-url", "http://h/", "-format", "xml"}, 2, "-format"},
		{[]string{"object", "-url", "http://h/", "-custom-data", "novalue"}, 2, "-custom-data"},
		{[]string{"object", "-url", "http://h/", "-set", "type"}, 2, "want field=value"},
		{[]string{"channel_destroy", "-url", "http://h/", "-set", "duration_seconds=long"}, 2, "not a number"},
		{[]string{"object", "-url", "http://h/", "-timeout", "0s"}, 2, "-timeout"},
		{[]string{"object", "-url", "::not a url"}, 2, "-url"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := trigger(tt.args...)
			if code != tt.code || !strings.Contains(out+errOut, tt.want) {
				t.Errorf("exit %d, want %d; output lacks %q:\n%s%s", code, tt.code, tt.want, out, errOut)
			}
		})
	}
}
