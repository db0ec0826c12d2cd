package webhook

import (
	"context"
	"net/http"
	"net/netip"
	"strings"
	"testing"
)

// recorder is a receiver that keeps the last event.
type recorder struct{ last Event }

func (r *recorder) Receive(_ context.Context, ev Event) error {
	r.last = ev
	return nil
}

func TestWithBasicAuth(t *testing.T) {
	rec := &recorder{}
	logger, logs := testLogger()
	h := Handler(rec, WithBasicAuth("kazoo", "s3cret-Passw0rd"), WithLogger(logger))
	tests := []struct {
		name       string
		user, pass string
		set        bool
		status     int
	}{
		{"right", "kazoo", "s3cret-Passw0rd", true, 200},
		{"wrong password", "kazoo", "guess", true, 401},
		{"wrong user", "admin", "s3cret-Passw0rd", true, 401},
		{"none", "", "", false, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec.last = nil
			r := formPost("hook_event=channel_create")
			if tt.set {
				r.SetBasicAuth(tt.user, tt.pass)
			}
			got := serve(h, r)
			if got.Code != tt.status || (rec.last != nil) != (tt.status == 200) {
				t.Errorf("status %d, receiver called: %v", got.Code, rec.last != nil)
			}
			if tt.status == 401 && got.Header().Get("WWW-Authenticate") == "" {
				t.Error("no WWW-Authenticate challenge")
			}
		})
	}
	if n := strings.Count(logs.String(), `"msg":"webhook: delivery refused","method":"POST"`); n != 3 {
		t.Errorf("%d refusals logged, want 3: %s", n, logs)
	}
	// The receiver never sees the credentials.
	r := formPost("hook_event=channel_create")
	r.SetBasicAuth("kazoo", "s3cret-Passw0rd")
	serve(h, r)
	if rec.last.Info().Header.Get("Authorization") != "" {
		t.Error("Authorization reached the receiver")
	}
}

func TestWithSecret(t *testing.T) {
	rec := &recorder{}
	h := Handler(rec, WithSecret("hook_secret", "new-9f8e7d6c5b4a39281706", "old-0a1b2c3d4e5f60718293"))
	tests := []struct {
		name   string
		req    *http.Request
		status int
	}{
		{"form, current secret", formPost("hook_event=channel_create&hook_secret=new-9f8e7d6c5b4a39281706&team=a"), 200},
		{"form, previous secret", formPost("hook_event=channel_create&hook_secret=old-0a1b2c3d4e5f60718293&team=a"), 200},
		{"json", serverRequest(http.MethodPost, "/", "application/json", `{"hook_event":"channel_create","hook_secret":"new-9f8e7d6c5b4a39281706","team":"a"}`), 200},
		{"get", serverRequest(http.MethodGet, "/?hook_event=channel_create&hook_secret=new-9f8e7d6c5b4a39281706&team=a", "", ""), 200},
		{"wrong", formPost("hook_event=channel_create&hook_secret=new-9f8e7d6c5b4a3928170&team=a"), 403},
		{"missing", formPost("hook_event=channel_create&team=a"), 403},
		{"empty", formPost("hook_event=channel_create&hook_secret=&team=a"), 403},
		{"nested, not top-level", formPost("hook_event=channel_create&x[hook_secret]=new-9f8e7d6c5b4a39281706"), 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec.last = nil
			if got := serve(h, tt.req); got.Code != tt.status {
				t.Fatalf("status %d, want %d", got.Code, tt.status)
			}
			if tt.status != 200 {
				if rec.last != nil {
					t.Error("receiver called")
				}
				return
			}
			d := rec.last.Info()
			if d.Raw.Has("hook_secret") || d.Values.Has("hook_secret") || strings.Contains(d.Get("hook_secret"), "9f8e") {
				t.Errorf("the secret reached the receiver: Raw %v Values %v", d.Raw, d.Values)
			}
			if len(d.Extra) != 1 || d.Extra[0].Key != "team" {
				t.Errorf("Extra = %v, want only team", d.Extra)
			}
		})
	}
}

func TestWithAccounts(t *testing.T) {
	const mine, sub, other = "3c9f1e2a7b8d4c6e9f0a1b2c3d4e5f60", "5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b", "ffffffffffffffffffffffffffffffff"
	h := Handler(&recorder{}, WithAccounts(mine))
	tests := []struct {
		name, header, payload string
		status                int
	}{
		{"header", mine, mine, 200},
		{"header wins over a sub-account's payload", mine, sub, 200},
		{"header of another account", other, mine, 403},
		{"no header, payload", "", mine, 200},
		{"no header, other payload", "", other, 403},
		{"neither", "", "", 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := formPost("hook_event=channel_create&account_id=" + tt.payload)
			if tt.header != "" {
				r.Header.Set("X-Account-ID", tt.header)
			}
			if got := serve(h, r); got.Code != tt.status {
				t.Errorf("status %d, want %d", got.Code, tt.status)
			}
		})
	}
}

func TestWithAllowedIPs(t *testing.T) {
	kazoo := []netip.Prefix{netip.MustParsePrefix("203.0.113.0/28")}
	proxy := netip.MustParsePrefix("10.0.0.0/8")
	h := Handler(&recorder{}, WithAllowedIPs(kazoo, proxy))
	tests := []struct {
		name, remote, forwarded string
		status                  int
	}{
		{"Kazoo", "203.0.113.5:5060", "", 200},
		{"elsewhere", "198.51.100.7:40000", "", 403},
		{"forged forwarding", "198.51.100.7:40000", "203.0.113.5", 403},
		{"through the proxy", "10.1.2.3:443", "203.0.113.5", 200},
		{"through the proxy, from elsewhere", "10.1.2.3:443", "198.51.100.7", 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := formPost("hook_event=channel_create")
			r.RemoteAddr = tt.remote
			if tt.forwarded != "" {
				r.Header.Set("X-Forwarded-For", tt.forwarded)
			}
			if got := serve(h, r); got.Code != tt.status {
				t.Errorf("status %d, want %d", got.Code, tt.status)
			}
		})
	}
}

func TestChecksTogether(t *testing.T) {
	rec := &recorder{}
	h := Handler(rec,
		WithAllowedIPs([]netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")}),
		WithBasicAuth("kazoo", "pw-0123456789"),
		WithSecret("hook_secret", "s-0123456789abcdef"),
		WithAccounts(testAccount))
	r := formPost("hook_event=channel_destroy&hook_secret=s-0123456789abcdef&account_id=" + testAccount)
	r.SetBasicAuth("kazoo", "pw-0123456789")
	if got := serve(h, r); got.Code != 200 || rec.last == nil {
		t.Fatalf("status %d", got.Code)
	}
	// The IP check runs first: no credentials are looked at.
	r = formPost("hook_event=channel_destroy")
	r.RemoteAddr = "198.51.100.1:1234"
	if got := serve(h, r); got.Code != 403 {
		t.Errorf("status %d, want 403", got.Code)
	}
}

func TestChecksWithBoundedBody(t *testing.T) {
	h := Handler(&recorder{}, WithBasicAuth("kazoo", "pw-0123456789"), WithMaxBytes(64))
	r := formPost("hook_event=channel_create&note=" + strings.Repeat("x", 64))
	r.SetBasicAuth("kazoo", "pw-0123456789")
	if got := serve(h, r); got.Code != 413 {
		t.Errorf("status %d, want 413", got.Code)
	}
}
