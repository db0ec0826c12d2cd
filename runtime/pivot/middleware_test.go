package pivot_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/pivot"
	"github.com/kzgen/kzgen/runtime/pivot/pivottest"
)

func TestBasicAuth(t *testing.T) {
	h := pivot.BasicAuth("kazoo", "s3cret-Pass")(pivot.Handler(greet))
	for _, tc := range []struct {
		voiceURL string
		status   int
	}{
		{"https://kazoo:s3cret-Pass@pivot.example.com/", 200},
		{"https://kazoo:wrong@pivot.example.com/", 401},
		{"https://other:s3cret-Pass@pivot.example.com/", 401},
		{"https://kazoo@pivot.example.com/", 401},
		{"https://pivot.example.com/", 401},
	} {
		for _, method := range []string{"GET", "POST"} {
			c := aliceCall
			c.VoiceURL, c.Method = tc.voiceURL, method
			res, err := c.Send(h)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != tc.status {
				t.Errorf("%s %s: status %d, want %d", method, tc.voiceURL, res.Status, tc.status)
			}
			if tc.status == 401 {
				if res.Verdict != pivottest.VerdictFailed || !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Basic ") {
					t.Errorf("%s %s: verdict %v, challenge %q", method, tc.voiceURL, res.Verdict, res.Header.Get("WWW-Authenticate"))
				}
			}
		}
	}
}

func TestTokenAuth(t *testing.T) {
	var seen *pivot.Request
	inner := pivot.Handler(func(ctx context.Context, r *pivot.Request) (callflow.Builder, error) {
		seen = r
		return callflow.Hangup(), nil
	})
	h := pivot.TokenAuth("token", "old-token-0123456789", "new-token-0123456789")(inner)
	for _, tc := range []struct {
		name     string
		voiceURL string
		status   int
	}{
		{"current token", "https://p.example.com/ivr?token=new-token-0123456789", 200},
		{"previous token", "https://p.example.com/ivr?tenant=a&token=old-token-0123456789", 200},
		{"wrong token", "https://p.example.com/ivr?token=new-token-012345678", 403},
		{"empty token", "https://p.example.com/ivr?token=", 403},
		{"no token", "https://p.example.com/ivr", 403},
		{"other parameter", "https://p.example.com/ivr?tok=new-token-0123456789", 403},
	} {
		for _, method := range []string{"GET", "POST"} {
			t.Run(tc.name+"/"+method, func(t *testing.T) {
				seen = nil
				c := aliceCall
				c.VoiceURL, c.Method = tc.voiceURL, method
				res, err := c.Send(h)
				if err != nil {
					t.Fatal(err)
				}
				if res.Status != tc.status {
					t.Fatalf("status %d, want %d", res.Status, tc.status)
				}
				if tc.status != 200 {
					if seen != nil {
						t.Error("handler called")
					}
					return
				}
				if seen.Get("token") != "" || seen.URLQuery().Get("token") != "" || seen.Values().Get("token") != "" {
					t.Errorf("the token reached the handler: Raw %v URLQuery %v", seen.Raw, seen.URLQuery())
				}
				if seen.CallID != "call-1" {
					t.Errorf("Call-ID %q", seen.CallID)
				}
				if strings.Contains(tc.voiceURL, "tenant=a") {
					got := seen.Get("tenant")
					if method == "POST" {
						got = seen.URLQuery().Get("tenant")
					}
					if got != "a" {
						t.Errorf("other voice_url parameters lost: tenant=%q", got)
					}
				}
			})
		}
	}
}

// TestTokenAuthDecodesLikeTheParser: the token parameter is whatever
// ParseRequest reads as "token", however its name or value is encoded, and
// all of it is removed before the handler runs.
func TestTokenAuthDecodesLikeTheParser(t *testing.T) {
	const tok = "tok-0123456789abcdef"
	var seen *pivot.Request
	h := pivot.TokenAuth("token", tok)(pivot.Handler(func(ctx context.Context, r *pivot.Request) (callflow.Builder, error) {
		seen = r
		return callflow.Hangup(), nil
	}))
	for _, tc := range []struct {
		name, query string
		status      int
		kept        []string // parameters that must reach the handler
	}{
		{"encoded name", "%74oken=" + tok, 200, nil},
		{"encoded value", "token=tok%2D0123456789abcdef", 200, nil},
		{"every encoding removed", "%74oken=" + tok + "&to%6Ben[x]=y&token[]=z&token%5Ba%5D=w&tenant=a&Token=b", 200,
			[]string{"tenant", "Token"}},
		{"first value checked", "token=wrong&%74oken=" + tok, 403, nil},
		{"plus is a space", "tok+en=" + tok, 403, nil},
		{"names are case-sensitive", "Token=" + tok, 403, nil},
		{"bracketed name is not the token", "token[]=" + tok, 403, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seen = nil
			c := aliceCall
			c.VoiceURL = "https://p.example.com/ivr?" + tc.query
			res, err := c.Send(h)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != tc.status {
				t.Fatalf("status %d, want %d", res.Status, tc.status)
			}
			if tc.status != 200 {
				return
			}
			if _, ok := seen.Lookup("token"); ok {
				t.Errorf("the token reached Request.Raw: %v", seen.Raw)
			}
			for k := range seen.Values() {
				if strings.HasPrefix(k, "token") {
					t.Errorf("the token reached Request.Values: %q", k)
				}
			}
			for _, k := range tc.kept {
				if _, ok := seen.Lookup(k); !ok {
					t.Errorf("parameter %q lost", k)
				}
			}
			if seen.CallID != "call-1" {
				t.Errorf("Call-ID %q", seen.CallID)
			}
		})
	}
}

// TestTokenAuthWithRouter carries the token from the base URL into every
// follow-up step.
func TestTokenAuthWithRouter(t *testing.T) {
	rt, err := pivot.NewRouter("https://ivr.example.com/ivr?token=tok-0123456789abcdef", []pivot.Key{key1})
	if err != nil {
		t.Fatal(err)
	}
	rt.Entry("start", func(ctx context.Context, s *pivot.Step) (callflow.Builder, error) {
		return callflow.TTS("pin").Then(s.Gather("pin", "check", pivot.State{"n": "1"})), nil
	})
	rt.Step("check", func(ctx context.Context, s *pivot.Step) (callflow.Builder, error) {
		pin, _ := s.Digits.Collection("pin")
		return callflow.TTS("pin " + pin + " n " + s.State["n"]), nil
	})
	h := pivot.TokenAuth("token", "tok-0123456789abcdef")(rt)
	c := aliceCall
	c.VoiceURL = rt.URL("start")
	res, _ := walk(t, h, c, "1234")
	if got := spoken(t, res); got != "pin 1234 n 1" {
		t.Errorf("got %q", got)
	}
}

func TestAllowIPs(t *testing.T) {
	allow, err := pivot.ParsePrefixes("198.51.100.0/24", "2001:db8:1::/48", "203.0.113.7")
	if err != nil {
		t.Fatal(err)
	}
	proxies, err := pivot.ParsePrefixes("10.0.0.0/8", "::1")
	if err != nil {
		t.Fatal(err)
	}
	h := pivot.AllowIPs(allow, proxies...)(pivot.Handler(greet))
	for _, tc := range []struct {
		name   string
		remote string
		xff    []string
		status int
	}{
		{"allowed direct", "198.51.100.20:5000", nil, 200},
		{"allowed single address", "203.0.113.7:5000", nil, 200},
		{"denied direct", "203.0.113.8:5000", nil, 403},
		{"IPv6 allowed", "[2001:db8:1::5]:5000", nil, 200},
		{"IPv6 denied", "[2001:db8:2::5]:5000", nil, 403},
		{"IPv4-mapped IPv6 allowed", "[::ffff:198.51.100.20]:5000", nil, 200},
		{"spoofed XFF from an untrusted client", "203.0.113.8:5000", []string{"198.51.100.20"}, 403},
		{"XFF ignored from an untrusted allowed client", "198.51.100.20:5000", []string{"203.0.113.8"}, 200},
		{"trusted proxy, allowed client", "10.1.2.3:5000", []string{"198.51.100.20"}, 200},
		{"trusted proxy, denied client", "10.1.2.3:5000", []string{"203.0.113.8"}, 403},
		{"client-written XFF before the real client", "10.1.2.3:5000", []string{"198.51.100.20, 203.0.113.8"}, 403},
		{"two trusted proxies", "10.1.2.3:5000", []string{"198.51.100.20, 10.9.9.9"}, 200},
		{"two XFF headers", "10.1.2.3:5000", []string{"203.0.113.8", "198.51.100.20, 10.9.9.9"}, 200},
		{"XFF with a port", "[::1]:5000", []string{"198.51.100.20:1234"}, 200},
		{"malformed XFF", "10.1.2.3:5000", []string{"198.51.100.20, nonsense"}, 403},
		{"trusted proxy without XFF", "10.1.2.3:5000", nil, 403},
		{"unparsable remote", "pipe", nil, 403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/?Call-ID=c1", nil)
			r.RemoteAddr = tc.remote
			for _, v := range tc.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if rec.Code != tc.status {
				t.Errorf("status %d, want %d", rec.Code, tc.status)
			}
		})
	}
	// Through the fake Kazoo, with its default client address.
	c := aliceCall
	c.RemoteAddr = "198.51.100.9:1234"
	if res, _ := c.Send(h); res.Err() != nil {
		t.Error(res.Err())
	}
	c.RemoteAddr = ""
	if res, _ := c.Send(h); res.Status != 403 {
		t.Errorf("default client address %s admitted", pivottest.DefaultRemoteAddr)
	}
}

func TestParsePrefixes(t *testing.T) {
	got, err := pivot.ParsePrefixes(" 10.1.2.3/8", "192.0.2.1", "::ffff:192.0.2.1", "2001:db8::/32")
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{
		netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.1/32"),
		netip.MustParsePrefix("192.0.2.1/32"), netip.MustParsePrefix("2001:db8::/32"),
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("[%d] = %v, want %v", i, got[i], want[i])
		}
	}
	for _, bad := range []string{"", "10.0.0.0/33", "host.example.com", "1.2.3"} {
		if _, err := pivot.ParsePrefixes(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestChain(t *testing.T) {
	var order []string
	mw := func(name string) pivot.Middleware {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				order = append(order, name)
				next.ServeHTTP(w, r)
			})
		}
	}
	h := pivot.Chain(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { order = append(order, "h") }), mw("a"), mw("b"))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	if strings.Join(order, ",") != "a,b,h" {
		t.Errorf("order %v", order)
	}
}

func TestMiddlewarePanicsOnEmptySecrets(t *testing.T) {
	for name, f := range map[string]func(){
		"BasicAuth no password": func() { pivot.BasicAuth("u", "") },
		"TokenAuth no tokens":   func() { pivot.TokenAuth("token") },
		"TokenAuth empty token": func() { pivot.TokenAuth("token", "") },
		"TokenAuth no param":    func() { pivot.TokenAuth("", "x") },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			f()
		})
	}
}

func TestAccessLog(t *testing.T) {
	logger, logs := testLogger()
	h := pivot.AccessLog(logger)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/teapot" {
			w.WriteHeader(http.StatusTeapot)
		}
		io.WriteString(w, "ok")
	}))
	longPath := "/" + strings.Repeat("p", 10000)
	for _, target := range []string{"/teapot?token=secret-token&Call-ID=c1", "/plain", longPath} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", target, nil))
	}
	out := logs.String()
	for _, want := range []string{"path=/teapot status=418", "path=/plain status=200", "…(10001 bytes)", "duration=", "remote="} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "secret-token") || strings.Contains(out, "Call-ID") {
		t.Errorf("the query string was logged:\n%s", out)
	}
	if strings.Contains(out, strings.Repeat("p", pivot.MaxLogValueBytes)) {
		t.Errorf("the long path was logged whole:\n%s", out)
	}
}

// TestAccessLogAllocations: the access log adds no allocation of its own
// to a request, at info level and below it.
func TestAccessLogAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	ok := []byte("ok")
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(ok) })
	req := httptest.NewRequest("GET", "/pivot?Call-ID=c1", nil)
	w := &discard{h: http.Header{}}
	base := testing.AllocsPerRun(200, func() { inner.ServeHTTP(w, req) })
	for name, level := range map[string]slog.Level{"logging": slog.LevelInfo, "disabled": slog.LevelWarn} {
		log := slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: level}))
		h := pivot.AccessLog(log)(inner)
		if got := testing.AllocsPerRun(200, func() { h.ServeHTTP(w, req) }); got > base {
			t.Errorf("%s: %v allocations per request, the handler alone %v", name, got, base)
		}
	}
}
