// Package access holds the request checks runtime/pivot and runtime/webhook
// share: HTTP Basic credentials and a client-address allowlist. Each package
// documents what the checks are worth for its own traffic and wraps them in
// its own API (pivot.BasicAuth, webhook.WithBasicAuth, …).
package access

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"net/netip"
	"strings"
)

// BasicAuth returns middleware that admits requests with HTTP Basic
// credentials username and password, compared in constant time, and answers
// others 401 with a WWW-Authenticate challenge for realm. The caller checks
// that username and password are not empty.
func BasicAuth(realm, username, password string) func(http.Handler) http.Handler {
	wantUser, wantPass := sha256.Sum256([]byte(username)), sha256.Sum256([]byte(password))
	challenge := `Basic realm="` + realm + `", charset="UTF-8"`
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			user, pass, _ := r.BasicAuth()
			gotUser, gotPass := sha256.Sum256([]byte(user)), sha256.Sum256([]byte(pass))
			// Both comparisons always run; hashing first makes their time
			// independent of the lengths.
			okUser := subtle.ConstantTimeCompare(gotUser[:], wantUser[:])
			okPass := subtle.ConstantTimeCompare(gotPass[:], wantPass[:])
			if okUser&okPass != 1 {
				w.Header().Set("WWW-Authenticate", challenge)
				http.Error(w, http.StatusText(http.StatusUnauthorized), http.StatusUnauthorized)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// AllowIPs returns middleware that admits requests whose client address is
// in one of the allow prefixes and answers others 403.
//
// The client address is the connection's remote address, unless that
// address is in trustedProxies: then the X-Forwarded-For header is read from
// right to left, skipping addresses that are themselves trusted proxies, and
// the first untrusted address is the client (when every address is trusted,
// the leftmost is). X-Forwarded-For from anyone else is ignored, since
// clients can write it. A malformed X-Forwarded-For from a trusted proxy is
// refused. The Forwarded header (RFC 7239) is not read. IPv4 addresses in
// IPv6 (and such prefixes) count as IPv4; zones are dropped.
func AllowIPs(allow []netip.Prefix, trustedProxies ...netip.Prefix) func(http.Handler) http.Handler {
	allow, trustedProxies = unmapPrefixes(allow), unmapPrefixes(trustedProxies)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			client, ok := clientAddr(r, trustedProxies)
			if !ok || !inPrefixes(client, allow) {
				http.Error(w, http.StatusText(http.StatusForbidden), http.StatusForbidden)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// clientAddr finds the client address as AllowIPs documents.
func clientAddr(r *http.Request, trusted []netip.Prefix) (netip.Addr, bool) {
	remote, ok := parseHostAddr(r.RemoteAddr)
	if !ok {
		return netip.Addr{}, false
	}
	if !inPrefixes(remote, trusted) {
		return remote, true
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(v, ",")...)
	}
	if len(hops) == 0 {
		return remote, true // the proxy itself
	}
	var addr netip.Addr
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := parseHostAddr(strings.TrimSpace(hops[i]))
		if !ok {
			return netip.Addr{}, false
		}
		addr = a
		if !inPrefixes(a, trusted) {
			return a, true
		}
	}
	return addr, true
}

// parseHostAddr parses "ip", "ip:port" or "[ipv6]:port", unmapping IPv4 in
// IPv6 and dropping a zone.
func parseHostAddr(s string) (netip.Addr, bool) {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap().WithZone(""), true
	}
	s = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap().WithZone(""), true
}

func inPrefixes(a netip.Addr, ps []netip.Prefix) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// unmapPrefixes turns IPv4-in-IPv6 prefixes (::ffff:10.0.0.0/104) into IPv4
// ones, since addresses are unmapped before the check.
func unmapPrefixes(ps []netip.Prefix) []netip.Prefix {
	out := make([]netip.Prefix, 0, len(ps))
	for _, p := range ps {
		if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
			p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
		}
		out = append(out, p.Masked())
	}
	return out
}
