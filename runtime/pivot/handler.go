package pivot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/internal/clip"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// HandlerFunc answers one Pivot request with the callflow Kazoo runs next.
// Any module builder (callflow.TTS(…), callflow.Pivot(…), …) or a
// *callflow.Node is a callflow.Builder, so a builder chain can be returned
// as it is. ctx is the HTTP request's context: it is cancelled when Kazoo
// gives up (its request timeout is 5 s by default) or the connection closes.
//
// A non-nil error, a nil callflow (a nil interface, or a typed nil such as a
// nil *callflow.TTSBuilder), a callflow that fails Validate or cannot be
// encoded, and a panic are all logged and answered with the fallback (see
// WithFallback and WithFailureStatus), never with the half-built callflow.
type HandlerFunc func(ctx context.Context, r *Request) (callflow.Builder, error)

// DefaultMaxBodyBytes is the default bound on a request's parameters: a POST
// body, and the URL's query (where a GET carries them all). Kazoo's
// parameters take a few hundred bytes to a few KiB; more is not a Pivot
// request.
const DefaultMaxBodyBytes = 64 << 10

// DefaultTTL is how long a continuation made by Router.Next stays valid by
// default.
const DefaultTTL = time.Hour

// DefaultApology is the text of the default fallback callflow.
const DefaultApology = "We are sorry, we cannot take your call right now. Please try again later."

// DefaultFallback returns the default fallback callflow: DefaultApology spoken
// with tts, then hangup.
func DefaultFallback() *callflow.Node {
	return callflow.TTS(DefaultApology).Then(callflow.Hangup()).Node()
}

// Option configures Handler, NewRouter, NewServer, ListenAndServe and
// Serve. Each takes the options that concern it and ignores the others:
// options that only concern a Router (WithTTL, WithClock, WithFollowUp) are
// ignored by Handler, and a server only reads WithLogger, WithMaxBodyBytes
// and WithShutdownTimeout.
type Option func(*config)

// config is the settings shared by Handler, Router and the servers.
type config struct {
	logger  *slog.Logger
	maxBody int64

	// The fallback: fallbackStatus 200 answers fallbackBody as a callflow;
	// any other status answers that status with no callflow.
	fallbackStatus int
	fallbackBody   []byte

	// blacklist is the client blacklist callflows are validated with
	// (WithURLBlacklist); nil is Kazoo's default.
	blacklist *kzrt.Blacklist

	// Router only.
	ttl          time.Duration
	now          func() time.Time
	followMethod callflow.PivotMethod
	followBody   callflow.PivotReqBodyFormat
	observer     StepObserver // WithStepObserver

	// Servers only.
	shutdownTimeout time.Duration

	err error // first invalid option
}

// defaultFallbackBody is DefaultFallback encoded once.
var defaultFallbackBody = func() []byte {
	b, err := DefaultFallback().MarshalJSON()
	if err != nil {
		panic("pivot: encoding the default fallback: " + err.Error())
	}
	return b
}()

func newConfig(opts []Option) *config {
	c := &config{
		maxBody:        DefaultMaxBodyBytes,
		fallbackStatus: http.StatusOK,
		fallbackBody:   defaultFallbackBody,
		ttl:            DefaultTTL,
		now:            time.Now,
		followMethod:   callflow.PivotMethodPost,
		followBody:     callflow.PivotReqBodyFormatForm,

		shutdownTimeout: DefaultShutdownTimeout,
	}
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	if c.logger == nil {
		c.logger = slog.Default()
	}
	return c
}

func (c *config) fail(err error) {
	if c.err == nil {
		c.err = err
	}
}

// WithLogger sets the logger for failed requests; the default is
// slog.Default(). Successful requests are not logged: wrap the handler for
// access logs.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// WithMaxBodyBytes bounds a request's parameters (default
// DefaultMaxBodyBytes), without calling the handler: a POST body over n
// bytes is answered 413 (Request Entity Too Large), and a URL whose query is
// over n bytes 414 (URI Too Long), whatever the method, since a GET carries
// every parameter in its query. n must be positive. Give a server from
// NewServer the same option, so that its header bound fits the query bound.
func WithMaxBodyBytes(n int64) Option {
	return func(c *config) {
		if n <= 0 {
			c.fail(fmt.Errorf("pivot: WithMaxBodyBytes(%d): the bound must be positive", n))
			return
		}
		c.maxBody = n
	}
}

// WithFallback sets the callflow answered, with status 200, when a request
// cannot be answered with the handler's callflow: a handler error or panic,
// an invalid callflow, an unreadable request, a refused continuation. The
// default is DefaultFallback: an apology, then hangup.
//
// Kazoo runs the fallback in place of the current callflow, like any other
// answer, so the caller hears it whatever children the pivot node has.
// WithFallback and WithFailureStatus replace each other; the last one wins.
// The callflow is validated and encoded once, when the handler is built.
func WithFallback(b callflow.Builder) Option {
	return func(c *config) {
		var n *callflow.Node
		if b != nil {
			n = b.Node()
		}
		if n == nil {
			c.fail(errors.New("pivot: WithFallback: nil callflow"))
			return
		}
		if err := n.Validate(); err != nil {
			c.fail(fmt.Errorf("pivot: WithFallback: invalid callflow: %w", err))
			return
		}
		body, err := n.MarshalJSON()
		if err != nil {
			c.fail(fmt.Errorf("pivot: WithFallback: %w", err))
			return
		}
		c.fallbackStatus, c.fallbackBody = http.StatusOK, body
	}
}

// WithFailureStatus makes failures answer the HTTP status code, 400 to 599
// (e.g. 503), with no callflow, instead of a fallback callflow.
//
// Kazoo's pivot_call treats any status other than 200 and 206 as a failed
// request: it publishes pivot.failed, and cf_pivot continues with the pivot
// node's "_" child, or hangs up when the node has none. Use this when the
// static callflow that holds the pivot node has its own plan for failures
// (a "_" child playing a message, ringing a queue, …).
//
// Only 4xx and 5xx are accepted: Kazoo's HTTP client might follow a 3xx
// redirect rather than fail (unverified).
//
// Contrast with answering a broken callflow: an empty body, invalid JSON or
// a callflow that fails Kazoo's schemas publishes no pivot.failed and ends
// the call. That is why this package validates every callflow before
// answering it and never sends a broken one.
func WithFailureStatus(code int) Option {
	return func(c *config) {
		if code < 400 || code > 599 {
			c.fail(fmt.Errorf("pivot: WithFailureStatus(%d): the status must be 400 to 599", code))
			return
		}
		c.fallbackStatus, c.fallbackBody = code, nil
	}
}

// ---------------------------------------------------------------------------
// The handler

// Handler returns an http.Handler that answers Kazoo's Pivot requests with
// the callflows fn returns. For each request it:
//
//  1. refuses methods other than GET, HEAD and POST with 405 (Kazoo sends
//     only GET and POST);
//  2. bounds the parameters (WithMaxBodyBytes): a URL query over the bound
//     is answered 414, and a POST body is read through
//     http.MaxBytesReader, a larger one answered 413;
//  3. parses the request with ParseRequest; a request that does not parse
//     (e.g. a malformed JSON body) gets the fallback;
//  4. calls fn with the request's context;
//  5. takes the callflow's Node and validates it as Kazoo will (with
//     Kazoo's default client URL blacklist, or WithURLBlacklist's), then
//     encodes it;
//  6. answers status 200 with the bare node as JSON and the header
//     "Content-Type: application/json", exactly: Kazoo compares the media
//     type case-sensitively and reads a response with no Content-Type as
//     TwiML.
//
// Steps 4 and 5 run under one recover: a panic in fn, in a Builder's Node
// method, in Validate or in the encoding is a failure like any other.
// Failures in steps 3 to 5 are logged (WithLogger) and answered with the
// fallback: by default an apology then hangup with status 200 (WithFallback),
// or a bare error status so that Kazoo takes the pivot node's "_" child
// (WithFailureStatus). The 405, 413 and 414 answers are non-200 too, so if
// Kazoo ever met one it would also take the "_" child.
//
// Handler panics if an option is invalid, as the options are fixed when the
// program is written.
func Handler(fn HandlerFunc, opts ...Option) http.Handler {
	if fn == nil {
		panic("pivot: Handler: nil HandlerFunc")
	}
	c := newConfig(opts)
	if c.err != nil {
		panic(c.err)
	}
	return &handler{cfg: c, fn: fn}
}

type handler struct {
	cfg *config
	fn  HandlerFunc
}

// ServeHTTP answers one Kazoo request.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.cfg.serve(w, r, func(ctx context.Context, _ *http.Request, req *Request) (callflow.Builder, error) {
		return h.fn(ctx, req)
	})
}

// answerFunc is the per-request work of a handler or router step: it gets
// both the HTTP request (for the URL) and the parsed Pivot request.
type answerFunc func(ctx context.Context, hr *http.Request, r *Request) (callflow.Builder, error)

// refusal is an error an answerFunc returns for a request it refuses before
// any user code ran (a bad continuation); it is logged at warning level under
// msg and answered with the fallback.
type refusal struct {
	msg string
	err error
}

// Error describes the problem, with its location.
func (e *refusal) Error() string { return e.msg + ": " + e.err.Error() }

// Unwrap returns the underlying error.
func (e *refusal) Unwrap() error { return e.err }

// panicError is a recovered panic.
type panicError struct {
	value any
	stack []byte
}

// Error describes the problem, with its location.
func (e *panicError) Error() string { return fmt.Sprintf("panic: %v", e.value) }

// failure is why a request is answered with the fallback: what to log, and
// at which level.
type failure struct {
	level slog.Level
	msg   string
	err   error
	attrs []slog.Attr
}

// serve runs one request through the pipeline Handler documents.
func (c *config) serve(w http.ResponseWriter, r *http.Request, answer answerFunc) {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodPost:
	default:
		c.log(r, nil, slog.LevelWarn, "pivot: method not allowed", nil)
		w.Header().Set("Allow", "GET, HEAD, POST")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	if n := len(r.URL.RawQuery); int64(n) > c.maxBody {
		c.log(r, nil, slog.LevelWarn, "pivot: request URL too long", nil,
			slog.Int("query_bytes", n), slog.Int64("limit", c.maxBody))
		http.Error(w, http.StatusText(http.StatusRequestURITooLong), http.StatusRequestURITooLong)
		return
	}
	if r.Method == http.MethodPost && r.Body != nil {
		r.Body = http.MaxBytesReader(w, r.Body, c.maxBody)
	}
	req, err := ParseRequest(r)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			c.log(r, nil, slog.LevelWarn, "pivot: request body too large", err, slog.Int64("limit", tooBig.Limit))
			http.Error(w, http.StatusText(http.StatusRequestEntityTooLarge), http.StatusRequestEntityTooLarge)
			return
		}
		c.log(r, nil, slog.LevelWarn, "pivot: unreadable request", err)
		c.writeFallback(w)
		return
	}

	buf := bodyBuffers.Get().(*[]byte)
	body, f := produce(r.Context(), answer, r, req, c.blacklist, (*buf)[:0])
	if f != nil {
		c.log(r, req, f.level, f.msg, f.err, f.attrs...)
		c.writeFallback(w)
	} else {
		writeCallflow(w, body)
	}
	if cap(body) > cap(*buf) {
		*buf = body[:0] // keep the grown array
	}
	if cap(*buf) <= maxPooledBody {
		bodyBuffers.Put(buf)
	}
}

// bodyBuffers holds the arrays answers are encoded into, between requests:
// an answer is written out before serve returns, and a ResponseWriter, as
// an io.Writer, must not keep the slice it is given.
var bodyBuffers = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledBody is the largest array bodyBuffers keeps, so that one huge
// answer does not stay in memory.
const maxPooledBody = 64 << 10

// produce runs answer and turns the callflow it returns into the JSON
// answer, appended to dst: the builder's Node, Validate, MarshalJSON. All of it runs under
// one recover, since every step after the handler returns also runs the
// developer's values (a typed-nil builder, a Builder of their own, a tree
// they assembled by hand): a panic anywhere becomes a failure, never a
// dropped connection. http.ErrAbortHandler is re-raised, as net/http
// expects.
func produce(ctx context.Context, answer answerFunc, hr *http.Request, r *Request, blacklist *kzrt.Blacklist, dst []byte) (body []byte, f *failure) {
	stage := "handler"
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			pe := &panicError{value: v, stack: debug.Stack()}
			msg := "pivot: handler panicked"
			if stage != "handler" {
				msg = "pivot: the handler's callflow panicked in " + stage
			}
			body, f = nil, &failure{level: slog.LevelError, msg: msg, err: pe,
				attrs: []slog.Attr{slog.String("stack", string(pe.stack))}}
		}
	}()
	b, err := answer(ctx, hr, r)
	if err != nil {
		if ref, ok := errors.AsType[*refusal](err); ok {
			return nil, &failure{level: slog.LevelWarn, msg: ref.msg, err: ref.err}
		}
		return nil, &failure{level: slog.LevelError, msg: "pivot: handler failed", err: err}
	}
	stage = "Node"
	node, err := nodeOf(b)
	if err != nil {
		return nil, &failure{level: slog.LevelError, msg: "pivot: handler returned no callflow", err: err}
	}
	stage = "AppendValidJSON" // Validate and MarshalJSON, in one walk of the tree
	body, err = node.AppendValidJSON(dst, kzrt.WithURLBlacklist(blacklist))
	if problems, invalid := errors.AsType[kzrt.Errors](err); invalid {
		return nil, &failure{level: slog.LevelError, msg: "pivot: handler returned an invalid callflow", err: err,
			attrs: []slog.Attr{slog.Int("problems", len(problems))}}
	}
	if err != nil {
		return nil, &failure{level: slog.LevelError, msg: "pivot: encoding the callflow", err: err}
	}
	return body, nil
}

// nodeOf returns b's node, or an error when there is none: a nil Builder, a
// typed nil (a nil *callflow.TTSBuilder, whose Node method would
// dereference it), or a Builder whose Node returns nil.
func nodeOf(b callflow.Builder) (*callflow.Node, error) {
	if b == nil {
		return nil, errors.New("nil callflow.Builder")
	}
	switch v := reflect.ValueOf(b); v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.Interface:
		if v.IsNil() {
			return nil, fmt.Errorf("nil %T", b)
		}
	}
	n := b.Node()
	if n == nil {
		return nil, fmt.Errorf("%T.Node() returned nil", b)
	}
	return n, nil
}

// writeCallflow answers a callflow: status 200, Content-Type exactly
// "application/json" (Kazoo compares it case-sensitively; a missing one is
// read as text/xml), and a Content-Length, set here rather than left to
// net/http, which only sets it for a short answer that no one flushed (the
// step observer flushes before it runs).
func writeCallflow(w http.ResponseWriter, body []byte) {
	h := w.Header()
	h["Content-Type"] = contentTypeJSON
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// contentTypeJSON is the Content-Type header value of every answer, shared:
// its length equals its capacity, so a handler that adds a value copies it.
var contentTypeJSON = []string{ContentTypeJSON}

// writeFallback answers the configured fallback.
func (c *config) writeFallback(w http.ResponseWriter) {
	if c.fallbackStatus != http.StatusOK {
		http.Error(w, http.StatusText(c.fallbackStatus), c.fallbackStatus)
		return
	}
	writeCallflow(w, c.fallbackBody)
}

// log logs a failed request. The URL's query is never logged: it may hold a
// token or a continuation (and, for GET, every call parameter). Values the
// client controls are clipped (see MaxLogValueBytes), and so is the error.
func (c *config) log(r *http.Request, req *Request, level slog.Level, msg string, err error, extra ...slog.Attr) {
	ctx := r.Context()
	if !c.logger.Enabled(ctx, level) {
		return
	}
	attrs := make([]slog.Attr, 0, 7+len(extra))
	attrs = append(attrs,
		clippedString("method", r.Method),
		clippedString("path", r.URL.Path),
		clippedString("remote", r.RemoteAddr),
		clippedString("user_agent", r.UserAgent()),
	)
	if req != nil && req.CallID != "" {
		attrs = append(attrs, clippedString("call_id", req.CallID))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", clip.String(err.Error(), MaxLogErrorBytes)))
	}
	attrs = append(attrs, extra...)
	c.logger.LogAttrs(ctx, level, msg, attrs...)
}

// How much of a value the client controls this package logs: the method,
// path, remote address, user agent, Call-ID and step name of a request
// (MaxLogValueBytes), and the text of an error (MaxLogErrorBytes), which may
// quote the request. A longer value is cut on a UTF-8 boundary and ends with
// "…(N bytes)", N being its whole length, so a client cannot fill the logs.
const (
	MaxLogValueBytes = 128
	MaxLogErrorBytes = 2048
)

// clippedString is slog.String with the value clipped to MaxLogValueBytes.
func clippedString(key, value string) slog.Attr {
	return slog.String(key, clip.String(value, MaxLogValueBytes))
}
