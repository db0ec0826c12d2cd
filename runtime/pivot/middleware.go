package pivot

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/kzgen/kzgen/runtime/internal/access"
	"github.com/kzgen/kzgen/runtime/wire"
)

// This file holds optional middleware for Pivot servers: access control,
// and an access log.
//
// Kazoo does not sign Pivot requests, and it sends no credential of its own.
// All a Pivot server can check is what the voice_url carries (user info, a
// query token) and where the request comes from (its IP address). Each check
// below raises the bar; none proves that a request comes from Kazoo:
//
//   - The voice_url, credentials included, is stored in the callflow. Anyone
//     who can read the account's callflows through Crossbar can read it, and
//     pivot debug records (debug: true) store the requested URI.
//   - Over plain http, credentials and tokens cross the network in clear
//     text. Use https.
//   - Query strings are routinely written to access logs (proxies, load
//     balancers, this server's own): keep tokens out of logs and rotate them.
//   - Kazoo's outbound address may be shared (NAT, a hosted Kazoo), so an IP
//     allowlist admits everything behind it.
//
// A refused request gets 401 or 403. Kazoo treats any status but 200 and 206
// as a failed pivot: it continues with the pivot node's "_" child, or hangs
// up when there is none.

// Middleware wraps an http.Handler.
type Middleware func(http.Handler) http.Handler

// Chain wraps h in the middleware, the first one outermost:
// Chain(h, a, b) is a(b(h)).
func Chain(h http.Handler, m ...Middleware) http.Handler {
	for i := len(m) - 1; i >= 0; i-- {
		h = m[i](h)
	}
	return h
}

// BasicAuth admits requests with HTTP Basic credentials username and
// password, compared in constant time, and answers others 401 with a
// WWW-Authenticate challenge.
//
// Kazoo takes the credentials from the voice_url's user info,
// "https://username:password@pivot.example.com/…": its HTTP client (Erlang's
// httpc) turns the user info into an "Authorization: Basic" header. That is
// how Pivot servers are commonly protected, but it is unverified against
// Kazoo's source, and so are the details: whether percent-encoded user info
// is decoded first, and how a password holding ":" is split. Use user names
// and passwords of letters, digits, "-", ".", "_" and "~" only. To carry
// the credentials into follow-up steps, give them in the Router's base URL.
//
// BasicAuth panics if username or password is empty.
func BasicAuth(username, password string) Middleware {
	if username == "" || password == "" {
		panic("pivot: BasicAuth: empty user name or password")
	}
	return access.BasicAuth("pivot", username, password)
}

// TokenAuth admits requests whose URL query parameter param equals one of
// tokens (several allow rotation), compared in constant time, and answers
// others 403. Put the token in the voice_url, e.g.
// "https://pivot.example.com/ivr?token=…"; for GET, Kazoo appends its
// parameters after the voice_url's own query, and the first value of param
// is the one checked.
//
// Names and values are decoded as ParseRequest decodes them ("+" is a
// space, %XX a byte, in names too), so "%74oken=…" is the parameter token.
// Every pair ParseRequest would read as the parameter param, however its
// name is encoded and with any bracketed suffix ("token[]", "token[x]"), is
// removed from the request's URL before the next handler sees it, so none
// reaches Request.Raw, Request.Values or Request.URLQuery. Names are
// case-sensitive, as in ParseRequest. A POST body is not touched: the token
// travels in the URL.
//
// The token travels in the URL: it is visible wherever URLs are logged, in
// the stored callflow, and in pivot debug records. Use a long random token
// (at least 128 bits), https, and rotate it. To carry it into follow-up
// steps, give it in the Router's base URL.
//
// TokenAuth panics if param is empty, if no token is given, or if a token is
// empty.
func TokenAuth(param string, tokens ...string) Middleware {
	if param == "" || len(tokens) == 0 {
		panic("pivot: TokenAuth: need a parameter name and at least one token")
	}
	want := make([][sha256.Size]byte, len(tokens))
	for i, t := range tokens {
		if t == "" {
			panic("pivot: TokenAuth: empty token")
		}
		want[i] = sha256.Sum256([]byte(t))
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got := sha256.Sum256([]byte(wire.FormValue(r.URL.RawQuery, param)))
			ok := 0
			for i := range want {
				ok |= subtle.ConstantTimeCompare(got[:], want[i][:])
			}
			if ok != 1 {
				http.Error(w, http.StatusText(http.StatusForbidden), http.StatusForbidden)
				return
			}
			next.ServeHTTP(w, withoutQueryParam(r, param))
		})
	}
}

// withoutQueryParam returns a shallow copy of r whose URL query lacks every
// pair that ParseRequest would read as the parameter name; the other pairs
// keep their order and encoding.
func withoutQueryParam(r *http.Request, name string) *http.Request {
	var kept []string
	for pair := range strings.SplitSeq(r.URL.RawQuery, "&") {
		if k, _, _ := strings.Cut(pair, "="); formParamName(k) != name {
			kept = append(kept, pair)
		}
	}
	r2 := new(http.Request)
	*r2 = *r
	u := new(url.URL)
	*u = *r.URL
	u.RawQuery = strings.Join(kept, "&")
	r2.URL = u
	if r.RequestURI != "" {
		r2.RequestURI = u.RequestURI()
	}
	return r2
}

// formParamName returns the name of the parameter a form pair's raw key
// sets, decoded by DecodeForm's own rules: "%74oken" and "token[x]" both
// set "token".
func formParamName(rawKey string) string {
	return wire.ParamName(wire.Unescape(rawKey))
}

// ParsePrefixes parses IP prefixes in CIDR notation ("10.0.0.0/8",
// "2001:db8::/32") or single addresses ("192.0.2.7", a /32 or /128), for
// AllowIPs.
func ParsePrefixes(list ...string) ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(list))
	for _, s := range list {
		s = strings.TrimSpace(s)
		if strings.Contains(s, "/") {
			p, err := netip.ParsePrefix(s)
			if err != nil {
				return nil, fmt.Errorf("pivot: %w", err)
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("pivot: %w", err)
		}
		a = a.Unmap().WithZone("")
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// AllowIPs admits requests whose client address is in one of the allow
// prefixes (the addresses Kazoo's pivot application sends from) and answers
// others 403.
//
// The client address is the connection's remote address, unless that
// address is in trustedProxies: then the X-Forwarded-For header is read from
// right to left, skipping addresses that are themselves trusted proxies, and
// the first untrusted address is the client (when every address is trusted,
// the leftmost is). X-Forwarded-For from anyone else is ignored, since
// clients can write it. A malformed X-Forwarded-For from a trusted proxy is
// refused. The Forwarded header (RFC 7239) is not read.
//
// An allowlist admits everything behind an allowed address: a shared NAT, or
// a Kazoo cluster that also serves other tenants.
func AllowIPs(allow []netip.Prefix, trustedProxies ...netip.Prefix) Middleware {
	return access.AllowIPs(allow, trustedProxies...)
}

// AccessLog logs one line per request at info level through log: the
// method, the path, the status, the duration and the remote address, each
// value the client controls clipped to MaxLogValueBytes. It never logs the
// query string: with GET it holds every call parameter, and it may hold a
// token or a continuation. When log is not enabled at info level, requests
// pass straight through.
//
// It is cheap enough for every request: it allocates nothing of its own per
// request (its status-recording writer is pooled), and it hands the line,
// five attributes that slog keeps inline, straight to log's handler, timed
// with the clock reading that ends the duration. So the record carries no
// source position (slog.HandlerOptions.AddSource shows none): the line
// always comes from here, and finding that position cost more than the
// rest of the line.
func AccessLog(log *slog.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := r.Context()
			if !log.Enabled(ctx, slog.LevelInfo) {
				next.ServeHTTP(w, r)
				return
			}
			start := time.Now()
			sw := statusWriters.Get().(*statusWriter)
			sw.ResponseWriter, sw.status = w, 0
			defer func() {
				sw.ResponseWriter = nil
				statusWriters.Put(sw)
			}()
			next.ServeHTTP(sw, r)
			logRequest(ctx, log, r, sw.status, start)
		})
	}
}

// logRequest writes AccessLog's line for r, answered with status (0: net/http
// sends 200) after starting at start. It is a function of its own so that the
// record, a few hundred bytes, is not in the frame under the handler: a
// request's goroutine then needs less stack, which it would otherwise grow,
// by copying, on most requests after a garbage collection shrank it.
func logRequest(ctx context.Context, log *slog.Logger, r *http.Request, status int, start time.Time) {
	if status == 0 {
		status = http.StatusOK // nothing written: net/http sends 200
	}
	end := time.Now()
	rec := slog.NewRecord(end, slog.LevelInfo, "request", 0)
	rec.AddAttrs(
		clippedString("method", r.Method),
		clippedString("path", r.URL.Path),
		slog.Int("status", status),
		slog.Duration("duration", end.Sub(start)),
		clippedString("remote", r.RemoteAddr),
	)
	_ = log.Handler().Handle(ctx, rec)
}

// statusWriter records the status an http.ResponseWriter answers.
type statusWriter struct {
	http.ResponseWriter
	status int
}

var statusWriters = sync.Pool{New: func() any { return new(statusWriter) }}

// WriteHeader records the first final status code and passes it on.
func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 { // 1xx are interim
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write records the implicit 200 of a write with no WriteHeader.
func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}

// Unwrap returns the underlying ResponseWriter, for http.ResponseController.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
