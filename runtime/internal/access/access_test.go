package access

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
)

var ok = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})

func TestBasicAuth(t *testing.T) {
	h := BasicAuth("hooks", "kazoo", "s3cret")(ok)
	for _, tc := range []struct {
		name       string
		user, pass string
		set        bool
		want       int
	}{
		{"right", "kazoo", "s3cret", true, 200},
		{"wrong password", "kazoo", "s3cre", true, 401},
		{"wrong user", "kazo", "s3cret", true, 401},
		{"swapped", "s3cret", "kazoo", true, 401},
		{"none", "", "", false, 401},
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		if tc.set {
			r.SetBasicAuth(tc.user, tc.pass)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != tc.want {
			t.Errorf("%s: status %d, want %d", tc.name, w.Code, tc.want)
		}
		challenge := w.Header().Get("WWW-Authenticate")
		if want := `Basic realm="hooks", charset="UTF-8"`; tc.want == 401 && challenge != want {
			t.Errorf("%s: challenge %q, want %q", tc.name, challenge, want)
		}
	}
}

func TestAllowIPs(t *testing.T) {
	allow := []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24"), netip.MustParsePrefix("::ffff:198.51.100.0/120")}
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	h := AllowIPs(allow, proxies...)(ok)
	for _, tc := range []struct {
		name, remote, xff string
		want              int
	}{
		{"allowed", "192.0.2.7:5060", "", 200},
		{"mapped address, IPv4 prefix", "[::ffff:192.0.2.7]:5060", "", 200},
		{"IPv4 address, mapped prefix", "198.51.100.9:80", "", 200},
		{"not allowed", "203.0.113.1:80", "", 403},
		{"untrusted sender's XFF ignored", "203.0.113.1:80", "192.0.2.7", 403},
		{"through a trusted proxy", "10.1.2.3:80", "192.0.2.7", 200},
		{"client left of a second proxy", "10.1.2.3:80", "192.0.2.7, 10.9.9.9", 200},
		{"rightmost untrusted counts", "10.1.2.3:80", "192.0.2.7, 203.0.113.1", 403},
		{"malformed hop", "10.1.2.3:80", "192.0.2.7, nonsense", 403},
		{"proxy itself, no XFF", "10.1.2.3:80", "", 403},
		{"bad remote", "nonsense", "", 403},
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = tc.remote
		if tc.xff != "" {
			r.Header.Set("X-Forwarded-For", tc.xff)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != tc.want {
			t.Errorf("%s: status %d, want %d", tc.name, w.Code, tc.want)
		}
	}
}
