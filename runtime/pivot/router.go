package pivot

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kzgen/kzgen/gen/callflow"
)

// This file holds the Router: multi-step IVRs where each step is its own
// handler, and the signed continuations that carry per-call state from one
// step to the next through Kazoo, without a shared store.

// ContinuationParam is the voice_url query parameter that carries a signed
// continuation, e.g. https://ivr.example.com/ivr/menu?kzc=v1.k1.1767225600.bGFuZz1lbg.3q2-…
const ContinuationParam = "kzc"

// MinSecretLen is the shortest secret a Key may have, in bytes.
const MinSecretLen = 32

// maxTokenLen bounds a continuation: it travels in a URL, which Kazoo, proxies
// and servers all limit.
const maxTokenLen = 4096

// The ways a continuation can be refused. Router wraps them with detail; test
// with errors.Is.
var (
	// ErrContinuationMissing: a step other than an entry was requested
	// without a continuation.
	ErrContinuationMissing = errors.New("pivot: no continuation")
	// ErrContinuationInvalid: the continuation is malformed, names an unknown
	// key, or its signature does not match: tampered with, or made for
	// another call (Call-ID) or another step.
	ErrContinuationInvalid = errors.New("pivot: invalid continuation")
	// ErrContinuationExpired: the signature matches but the expiry has passed.
	ErrContinuationExpired = errors.New("pivot: continuation expired")
)

// The ways Router.Next (and Gather) can fail to build a follow-up. Test with
// errors.Is.
var (
	// ErrUnknownStep: the follow-up names a step that is not registered.
	ErrUnknownStep = errors.New("pivot: no such step")
	// ErrStateTooLarge: the continuation, state included, is over 4 KiB; it
	// travels in a URL, which Kazoo, proxies and servers all limit.
	ErrStateTooLarge = errors.New("pivot: continuation state too large")
)

// Key is one secret continuations are signed with. Its ID travels in the
// clear in every continuation, so a verifier knows which key to use: this
// allows rotation (sign with the new key, keep verifying with the old one
// until the longest TTL has passed).
type Key struct {
	// ID names the key: 1 to 16 letters, digits, "-" or "_".
	ID string
	// Secret is at least MinSecretLen random bytes, shared by every replica.
	Secret []byte
}

// State is the per-call state a Router carries from one step to the next,
// signed (not encrypted) inside the continuation: keep it small (it travels
// in a URL) and keep secrets out of it (it can be read by anyone who sees
// the URL, e.g. in Kazoo's pivot debug records).
type State map[string]string

// With returns a copy of s with key set to value.
func (s State) With(key, value string) State {
	c := make(State, len(s)+1)
	for k, v := range s {
		c[k] = v
	}
	c[key] = value
	return c
}

// StepFunc answers one step of a Router.
type StepFunc func(ctx context.Context, s *Step) (callflow.Builder, error)

// Step is one request to a Router step: the parsed Pivot request, the step's
// name, and the verified state.
type Step struct {
	*Request
	// Name is the step requested.
	Name string
	// State is the state the previous step passed to Next or Gather,
	// verified; empty (not nil) at an entry step reached without a
	// continuation.
	State State

	router *Router
	err    error // the first error of Next or Gather
}

// Next returns a pivot node to step carrying state for this call; see
// Router.Next. So that it chains, Next returns no error: when the node
// cannot be made (ErrUnknownStep, ErrStateTooLarge) it records the error,
// which Err returns, and returns a pivot node with no voice_url, which fails
// Validate. After the step function returns, the Router answers the
// fallback and logs the error, whatever the function returned.
func (s *Step) Next(step string, state State) *callflow.PivotBuilder {
	b, err := s.router.Next(s.Request, step, state)
	if err != nil {
		s.fail(err)
		return callflow.Pivot("")
	}
	return b
}

// Gather returns a collect_dtmf node whose "_" child is Next(step, state);
// see Router.Gather. Errors are recorded as for Next, and the node returned
// then has no child.
func (s *Step) Gather(collection, step string, state State) *callflow.CollectDTMFBuilder {
	b, err := s.router.Gather(s.Request, collection, step, state)
	if err != nil {
		s.fail(err)
		return callflow.CollectDTMF()
	}
	return b
}

// Err returns the first error of Next or Gather in this step, or nil, so
// that a step function can stop early. Once there is one, the Router
// answers the fallback whatever the function returns; to handle such an
// error (retry with smaller state, say), call Router.Next or Router.Gather
// with s.Request, which return it instead.
func (s *Step) Err() error { return s.err }

func (s *Step) fail(err error) {
	if s.err == nil {
		s.err = err
	}
}

// Router serves a multi-step IVR. Each step is a handler reached at
// baseURL/NAME. Entry steps (Entry) are the voice_urls a static callflow
// points at; the other steps (Step) are reached only through a pivot node
// made by Next or Gather, whose voice_url carries a signed continuation:
//
//	kzc=v1.KEYID.EXPIRY.STATE.MAC
//
// where EXPIRY is Unix seconds, STATE is the State form-encoded (sorted
// keys) then base64url-encoded, and MAC is the base64url HMAC-SHA256, under
// the key KEYID, of the version, key ID, step name, the call's Call-ID,
// EXPIRY and STATE (each length-prefixed). On arrival the Router recomputes
// the MAC with the step requested and the request's Call-ID, so a tampered,
// expired, cross-step or cross-call (different Call-ID) continuation is
// refused: logged, and answered with the fallback. Any number of replicas
// sharing the keys can serve the steps of one call.
//
// A continuation proves that this server issued that state for that Call-ID
// and step, not that the request comes from Kazoo, which signs nothing; it
// can also be replayed within its TTL for the same Call-ID. Pair the Router
// with the middleware of this package (BasicAuth, TokenAuth, AllowIPs): put
// their credentials in baseURL, which Next copies into every follow-up URL.
//
// The follow-up pivot node Next makes sets req_format "kazoo" and, by
// default, method POST with req_body_format "form" (WithFollowUp), so the
// next request is read exactly like the first. The Router dispatches on the
// last segment of the request path, so it may be mounted at any path of a
// ServeMux, under http.StripPrefix, or behind a proxy that rewrites the
// prefix; an unknown step is answered 404.
type Router struct {
	cfg    *config
	prefix string    // base URL without query or trailing slash
	query  string    // base URL's raw query, copied into every step URL
	keys   []*macKey // keys[0] signs
	byID   map[string]*macKey

	// steps maps step names to their routes. Registering copies the map
	// and swaps it in (under mu, which only registration takes), so that
	// a request reads it without a lock: every request looks a step up,
	// and an RWMutex's reader count, shared by every core, cost more than
	// the lookup.
	mu    sync.Mutex
	steps atomic.Pointer[map[string]*route]
}

type route struct {
	fn    StepFunc
	entry bool
}

// NewRouter returns a Router whose steps live under baseURL, the public
// http(s) URL Kazoo reaches this server at, e.g. "https://ivr.example.com/ivr".
// baseURL may hold credentials for the middleware ("https://user:pass@host/…"
// or a "?token=…" query); they are copied into every follow-up voice_url.
// keys[0] signs new continuations; every key verifies. Options set the
// logger, the fallback, the body bound (as for Handler), the continuation
// TTL (WithTTL), the clock (WithClock) and the follow-up request
// (WithFollowUp).
func NewRouter(baseURL string, keys []Key, opts ...Option) (*Router, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("pivot: NewRouter: base URL: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("pivot: NewRouter: base URL %q: want an absolute http or https URL, as Kazoo's voice_url requires", u.Redacted())
	}
	if u.Fragment != "" {
		return nil, fmt.Errorf("pivot: NewRouter: base URL %q: a fragment is not allowed", u.Redacted())
	}
	query := u.RawQuery
	u.RawQuery, u.ForceQuery = "", false
	u.Path, u.RawPath = strings.TrimRight(u.Path, "/"), strings.TrimRight(u.RawPath, "/")

	if len(keys) == 0 {
		return nil, errors.New("pivot: NewRouter: no key")
	}
	rt := &Router{
		prefix: u.String(),
		query:  query,
		byID:   make(map[string]*macKey, len(keys)),
	}
	rt.steps.Store(&map[string]*route{})
	for _, k := range keys {
		if !validName(k.ID, 16) {
			return nil, fmt.Errorf("pivot: NewRouter: key ID %q: want 1 to 16 letters, digits, '-' or '_'", k.ID)
		}
		if len(k.Secret) < MinSecretLen {
			return nil, fmt.Errorf("pivot: NewRouter: key %q: secret of %d bytes, want at least %d", k.ID, len(k.Secret), MinSecretLen)
		}
		if _, dup := rt.byID[k.ID]; dup {
			return nil, fmt.Errorf("pivot: NewRouter: key ID %q used twice", k.ID)
		}
		mk := newMACKey(k.ID, k.Secret)
		rt.byID[k.ID] = mk
		rt.keys = append(rt.keys, mk)
	}
	rt.cfg = newConfig(opts)
	if rt.cfg.err != nil {
		return nil, rt.cfg.err
	}
	return rt, nil
}

// WithTTL sets how long a continuation made by Router.Next stays valid
// (default DefaultTTL). Make it longer than the longest gap between two
// steps of a call, including any bridge that runs before a follow-up pivot.
func WithTTL(d time.Duration) Option {
	return func(c *config) {
		if d <= 0 {
			c.fail(fmt.Errorf("pivot: WithTTL(%v): the TTL must be positive", d))
			return
		}
		c.ttl = d
	}
}

// WithClock sets the clock continuations are signed and checked with
// (default time.Now); for tests.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now == nil {
			c.fail(errors.New("pivot: WithClock: nil clock"))
			return
		}
		c.now = now
	}
}

// WithFollowUp sets the method and body format of the pivot nodes
// Router.Next makes (default POST and form, Kazoo's default body format).
// The body format only matters for POST; GET puts the parameters in the
// query string. Either way the Router reads the continuation from the URL.
func WithFollowUp(method callflow.PivotMethod, body callflow.PivotReqBodyFormat) Option {
	return func(c *config) {
		if !method.Valid() || !body.Valid() {
			c.fail(fmt.Errorf("pivot: WithFollowUp(%q, %q): want get or post, and form or json", method, body))
			return
		}
		c.followMethod, c.followBody = method, body
	}
}

// Entry registers an entry step: one reachable without a continuation, the
// voice_url (see URL) that a static callflow's pivot node points at. Its
// Step.State is empty unless it was reached through Next, whose continuation
// is then verified as for any step. Entry panics if name is not 1 to 64
// letters, digits, "-" or "_", if fn is nil, or if name is already used.
func (rt *Router) Entry(name string, fn StepFunc) { rt.register(name, fn, true) }

// Step registers a step reachable only through a continuation made by Next
// or Gather. It panics as Entry does.
func (rt *Router) Step(name string, fn StepFunc) { rt.register(name, fn, false) }

func (rt *Router) register(name string, fn StepFunc, entry bool) {
	if !validName(name, 64) {
		panic(fmt.Sprintf("pivot: Router: step name %q: want 1 to 64 letters, digits, '-' or '_'", name))
	}
	if fn == nil {
		panic(fmt.Sprintf("pivot: Router: step %q: nil StepFunc", name))
	}
	rt.mu.Lock()
	defer rt.mu.Unlock()
	steps := *rt.steps.Load()
	if _, dup := steps[name]; dup {
		panic(fmt.Sprintf("pivot: Router: step %q registered twice", name))
	}
	steps = maps.Clone(steps)
	steps[name] = &route{fn: fn, entry: entry}
	rt.steps.Store(&steps)
}

// URL returns the URL of a step, with baseURL's credentials and query: for
// an entry step, the voice_url to configure in Kazoo.
func (rt *Router) URL(step string) string {
	u := rt.prefix + "/" + step
	if rt.query != "" {
		u += "?" + rt.query
	}
	return u
}

// Next returns a pivot node that sends this call's next request to step,
// carrying state, signed for r's Call-ID and valid for the TTL. The node
// sets voice_url, req_format "kazoo", method and, for POST, req_body_format
// (WithFollowUp); further settings (req_timeout_ms, …) may be chained.
//
// Next fails with ErrUnknownStep if step is not registered, and with
// ErrStateTooLarge if the continuation, state included, exceeds 4 KiB.
// Inside a step function, Step.Next is the shorter form.
func (rt *Router) Next(r *Request, step string, state State) (*callflow.PivotBuilder, error) {
	if r == nil {
		return nil, errors.New("pivot: Router.Next: nil *Request")
	}
	_, ok := (*rt.steps.Load())[step]
	if !ok {
		return nil, fmt.Errorf("pivot: Router.Next: %w: %q", ErrUnknownStep, step)
	}
	voiceURL, tokenLen := rt.stepURL(step, r.CallID, rt.cfg.now().Add(rt.cfg.ttl), state)
	if tokenLen > maxTokenLen {
		return nil, fmt.Errorf("pivot: Router.Next to step %q: %w: continuation of %d bytes, at most %d",
			step, ErrStateTooLarge, tokenLen, maxTokenLen)
	}
	b := callflow.Pivot(voiceURL).
		Method(rt.cfg.followMethod).
		ReqFormat(callflow.PivotReqFormatKazoo)
	if strings.EqualFold(string(rt.cfg.followMethod), http.MethodPost) {
		b.ReqBodyFormat(rt.cfg.followBody)
	}
	return b, nil
}

// Gather returns a collect_dtmf node that collects digits into collection
// ("" leaves collection_name unset: Kazoo then uses "default") and whose "_"
// child is Next(r, step, state); step reads the digits with
// s.Digits.Collection(collection). Chain MaxDigits, Timeout, Terminators…
// on the result, and put the prompt before it, as with Step.Gather:
//
//	callflow.TTS("Press 1 for sales").Then(s.Gather("dept", "department", nil).MaxDigits(1))
//
// It fails as Next does.
func (rt *Router) Gather(r *Request, collection, step string, state State) (*callflow.CollectDTMFBuilder, error) {
	next, err := rt.Next(r, step, state)
	if err != nil {
		return nil, err
	}
	b := callflow.CollectDTMF()
	if collection != "" {
		b.CollectionName(collection)
	}
	return b.Then(next), nil
}

// ServeHTTP dispatches a request to the step named by the last segment of
// its path, verifying the continuation, then answers as Handler does, and
// tells the observer (WithStepObserver) what happened.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	rte := (*rt.steps.Load())[name]
	if rte == nil {
		rt.cfg.log(r, nil, slog.LevelWarn, "pivot: no such step", nil, clippedString("step", name))
		http.NotFound(w, r)
		return
	}
	answer := func(ctx context.Context, hr *http.Request, req *Request) (callflow.Builder, error) {
		var state State
		// The continuation is the first ContinuationParam of the URL's own
		// query, which for GET comes before Kazoo's parameters.
		if token := req.URLParam(ContinuationParam); token != "" || !rte.entry {
			var err error
			if state, err = rt.verify(token, name, req.CallID); err != nil {
				return nil, &refusal{msg: "pivot: continuation refused", err: err}
			}
		} else {
			state = State{} // empty, not nil, as Step.State says
		}
		step := &Step{Request: req, Name: name, State: state, router: rt}
		b, err := rte.fn(ctx, step)
		if step.err != nil {
			return nil, errors.Join(err, step.err)
		}
		return b, err
	}
	if rt.cfg.observer != nil {
		rt.serveObserved(w, r, name, answer) // observe.go
		return
	}
	rt.cfg.serve(w, r, answer)
}

// ---------------------------------------------------------------------------
// Continuations

// continuationVersion is the first field of every continuation.
const continuationVersion = "v1"

// stepURL returns the URL of step (as URL does) carrying a continuation
// for callID and state, signed with the signing key, and the length of the
// continuation. The URL is written into one buffer of its final size.
func (rt *Router) stepURL(step, callID string, expires time.Time, state State) (u string, tokenLen int) {
	key := rt.keys[0]
	var scratch [512]byte
	form := appendStateForm(scratch[:0], state)
	var num [20]byte
	exp := strconv.AppendInt(num[:0], expires.Unix(), 10)

	var b strings.Builder
	b.Grow(len(rt.prefix) + len(step) + len(rt.query) + len(ContinuationParam) + len(continuationVersion) + len(key.id) +
		len(exp) + base64.RawURLEncoding.EncodedLen(len(form)) + macTextLen + 8)
	b.WriteString(rt.prefix)
	b.WriteByte('/')
	b.WriteString(step)
	b.WriteByte('?')
	if rt.query != "" {
		b.WriteString(rt.query)
		b.WriteByte('&')
	}
	b.WriteString(ContinuationParam)
	b.WriteByte('=')
	tokenStart := b.Len()
	b.WriteString(continuationVersion)
	b.WriteByte('.')
	b.WriteString(key.id)
	b.WriteByte('.')
	expStart := b.Len()
	b.Write(exp)
	b.WriteByte('.')
	stStart := b.Len()
	writeState(&b, form)
	stEnd := b.Len()
	// What is written so far stays as it is: later writes only append.
	written := b.String()
	var mac [macTextLen]byte
	key.sumText(&mac, step, callID, written[expStart:stStart-1], written[stStart:stEnd])
	b.WriteByte('.')
	b.Write(mac[:])
	return b.String(), b.Len() - tokenStart
}

// verify checks a continuation for step and callID and returns its state.
func (rt *Router) verify(token, step, callID string) (State, error) {
	if token == "" {
		return nil, fmt.Errorf("%w for step %q", ErrContinuationMissing, step)
	}
	if len(token) > maxTokenLen {
		return nil, fmt.Errorf("%w: %d bytes long", ErrContinuationInvalid, len(token))
	}
	version, rest, _ := strings.Cut(token, ".")
	kid, rest, _ := strings.Cut(rest, ".")
	exp, rest, _ := strings.Cut(rest, ".")
	st, macText, ok := strings.Cut(rest, ".")
	if !ok || version != continuationVersion || strings.Contains(macText, ".") {
		return nil, fmt.Errorf("%w: malformed", ErrContinuationInvalid)
	}
	key, ok := rt.byID[kid]
	if !ok {
		return nil, fmt.Errorf("%w: unknown key ID %q", ErrContinuationInvalid, kid)
	}
	if callID == "" {
		return nil, fmt.Errorf("%w: the request has no Call-ID", ErrContinuationInvalid)
	}
	var want [macTextLen]byte
	key.sumText(&want, step, callID, exp, st)
	if !hmac.Equal(want[:], []byte(macText)) {
		return nil, fmt.Errorf("%w: signature mismatch (tampered with, or made for another call or step)", ErrContinuationInvalid)
	}
	expires, err := strconv.ParseInt(exp, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("%w: expiry %q", ErrContinuationInvalid, exp)
	}
	if now := rt.cfg.now().Unix(); now > expires {
		return nil, fmt.Errorf("%w %ds ago", ErrContinuationExpired, now-expires)
	}
	state, err := decodeState(st)
	if err != nil {
		return nil, fmt.Errorf("%w: state: %v", ErrContinuationInvalid, err)
	}
	return state, nil
}

// macLabel starts every MAC input: the domain of the signature.
const macLabel = "kzgen pivot continuation " + continuationVersion + "\x00"

// macTextLen is the length of a MAC in a continuation: 32 bytes of
// HMAC-SHA256, base64url-encoded without padding (the value of
// base64.RawURLEncoding.EncodedLen(sha256.Size)).
const macTextLen = (sha256.Size*8 + 5) / 6

// macKey is one key, ready to sign and verify. hmac.New hashes the key into
// two SHA-256 states and allocates; doing that for each request cost a
// measurable share of a Router's time. So each key keeps a pool of HMACs
// made once: Reset restores an HMAC to its keyed state.
type macKey struct {
	id   string
	pool sync.Pool // of *macState
}

// macState is one reusable HMAC with its input and output buffers.
type macState struct {
	mac hash.Hash
	in  []byte
	out []byte
}

func newMACKey(id string, secret []byte) *macKey {
	secret = slices.Clone(secret) // the caller's slice may change
	k := &macKey{id: id}
	k.pool.New = func() any {
		return &macState{mac: hmac.New(sha256.New, secret), in: make([]byte, 0, 256), out: make([]byte, 0, sha256.Size)}
	}
	return k
}

// sumText writes to dst the base64url MAC, under the key, of its ID and the
// fields: HMAC-SHA256 over macLabel then each field length-prefixed, so that
// no two field lists give the same input.
func (k *macKey) sumText(dst *[macTextLen]byte, fields ...string) {
	s := k.pool.Get().(*macState)
	in := appendField(append(s.in[:0], macLabel...), k.id)
	for _, f := range fields {
		in = appendField(in, f)
	}
	s.mac.Reset()
	s.mac.Write(in)
	s.out = s.mac.Sum(s.out[:0])
	base64.RawURLEncoding.Encode(dst[:], s.out)
	if cap(in) <= 64<<10 { // keep the pool's buffers small
		s.in = in
	}
	k.pool.Put(s)
}

// appendField appends f to a MAC input, prefixed with its length.
func appendField(in []byte, f string) []byte {
	return append(binary.AppendUvarint(in, uint64(len(f))), f...)
}

// The state in a continuation: form-encoded, keys sorted, then
// base64url-encoded (unpadded), so that it is URL-safe and holds no ".".

// appendStateForm appends s form-encoded, keys sorted, to dst.
func appendStateForm(dst []byte, s State) []byte {
	var room [8]string
	keys := room[:0]
	for k := range s {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, url.QueryEscape(k)...)
		dst = append(dst, '=')
		dst = append(dst, url.QueryEscape(s[k])...)
	}
	return dst
}

// writeState writes a state's form encoding base64url-encoded to b.
func writeState(b *strings.Builder, form []byte) {
	var scratch [684]byte // the encoding of appendStateForm's scratch
	b.Write(base64.RawURLEncoding.AppendEncode(scratch[:0], form))
}

// decodeState reverses the encoding of the state: base64url, then the form
// pairs by url.ParseQuery's rules (empty pairs skipped, ";" refused, the
// first value of a key kept), without its map of lists.
func decodeState(s string) (State, error) {
	state := State{}
	if s == "" {
		return state, nil
	}
	var scratch [512]byte
	form, err := base64.RawURLEncoding.AppendDecode(scratch[:0], []byte(s))
	if err != nil {
		return nil, err
	}
	for pair := range strings.SplitSeq(string(form), "&") {
		if pair == "" {
			continue
		}
		if strings.Contains(pair, ";") {
			return nil, errors.New("invalid semicolon separator in query")
		}
		k, v, _ := strings.Cut(pair, "=")
		if k, err = url.QueryUnescape(k); err != nil {
			return nil, err
		}
		if v, err = url.QueryUnescape(v); err != nil {
			return nil, err
		}
		if _, dup := state[k]; !dup {
			state[k] = v
		}
	}
	return state, nil
}

// validName reports whether s is 1 to max letters, digits, "-" or "_".
func validName(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
