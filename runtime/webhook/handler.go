package webhook

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/kzgen/kzgen/runtime/internal/clip"
)

// Receiver handles decoded webhook events. Receive is called once per
// delivery, with the request's context, after the delivery passed the
// handler's checks.
type Receiver interface {
	Receive(ctx context.Context, ev Event) error
}

// ReceiverFunc adapts a function to Receiver; use a type switch on ev.
type ReceiverFunc func(ctx context.Context, ev Event) error

// Receive calls f.
func (f ReceiverFunc) Receive(ctx context.Context, ev Event) error { return f(ctx, ev) }

// On dispatches events by hook to the function set for it. An event whose
// function is nil goes to Other; with Other nil too it is accepted and
// ignored (answered 200 like any other). The zero On ignores everything.
type On struct {
	ChannelCreate  func(ctx context.Context, e *ChannelEvent) error
	ChannelAnswer  func(ctx context.Context, e *ChannelEvent) error
	ChannelBridge  func(ctx context.Context, e *ChannelEvent) error
	ChannelDestroy func(ctx context.Context, e *ChannelEvent) error
	// Channel takes the channel events whose own function above is nil,
	// including channel_* hooks this package does not name.
	Channel func(ctx context.Context, e *ChannelEvent) error

	Object       func(ctx context.Context, e *ObjectEvent) error
	Notification func(ctx context.Context, e *NotificationEvent) error
	Parking      func(ctx context.Context, e *ParkingEvent) error
	Callflow     func(ctx context.Context, e *CallflowEvent) error

	// Other takes every event no function above takes, *UnknownEvent
	// included.
	Other func(ctx context.Context, ev Event) error
}

// Receive calls the function set for ev's hook; see On.
func (o On) Receive(ctx context.Context, ev Event) error {
	switch e := ev.(type) {
	case *ChannelEvent:
		var fn func(context.Context, *ChannelEvent) error
		switch e.Hook() {
		case HookChannelCreate:
			fn = o.ChannelCreate
		case HookChannelAnswer:
			fn = o.ChannelAnswer
		case HookChannelBridge:
			fn = o.ChannelBridge
		case HookChannelDestroy:
			fn = o.ChannelDestroy
		}
		if fn == nil {
			fn = o.Channel
		}
		if fn != nil {
			return fn(ctx, e)
		}
	case *ObjectEvent:
		if o.Object != nil {
			return o.Object(ctx, e)
		}
	case *NotificationEvent:
		if o.Notification != nil {
			return o.Notification(ctx, e)
		}
	case *ParkingEvent:
		if o.Parking != nil {
			return o.Parking(ctx, e)
		}
	case *CallflowEvent:
		if o.Callflow != nil {
			return o.Callflow(ctx, e)
		}
	}
	if o.Other != nil {
		return o.Other(ctx, ev)
	}
	return nil
}

// ErrRetry asks Kazoo to deliver the event again. When the receiver returns
// an error wrapping it, the handler closes the connection without an answer
// (it panics with http.ErrAbortHandler, which net/http turns into a closed
// connection): Kazoo sees a transport error, records a failed attempt and
// sends the same payload again after 2 seconds, while the hook's retries
// last (retries, 1 to 5). That is the only way to get a delivery repeated:
// Kazoo never retries an answered request, whatever its status.
var ErrRetry = errors.New("webhook: retry the delivery")

// DefaultMaxBytes is the default bound on a delivery: a POST or PUT body, or
// a GET query string. Channel events take a few KiB; notifications with
// template previews can take more.
const DefaultMaxBytes = 1 << 20

// Option configures Handler.
type Option func(*config)

// config is Handler's settings.
type config struct {
	logger        *slog.Logger
	maxBytes      int64
	failureStatus int // answered when the receiver fails; 200 by default
	checks        []check
	middleware    []func(http.Handler) http.Handler // outermost first
	err           error                             // first invalid option
}

func (c *config) fail(err error) {
	if c.err == nil {
		c.err = err
	}
}

// WithLogger sets the logger; the default is slog.Default(). Refused and
// failed deliveries are logged at Warn and Error; ignored events and
// successful ones are not logged (wrap the handler for access logs).
func WithLogger(l *slog.Logger) Option {
	return func(c *config) {
		if l == nil {
			c.fail(errors.New("webhook: WithLogger: nil logger"))
			return
		}
		c.logger = l
	}
}

// WithMaxBytes bounds a POST or PUT body, and a GET query string, to n bytes
// (default DefaultMaxBytes). A larger body is answered 413, a larger query
// 414, without calling the receiver. n must be positive.
func WithMaxBytes(n int64) Option {
	return func(c *config) {
		if n <= 0 {
			c.fail(fmt.Errorf("webhook: WithMaxBytes(%d): the bound must be positive", n))
			return
		}
		c.maxBytes = n
	}
}

// WithFailureStatus makes the handler answer code, 400 to 599, when the
// receiver returns an error (other than ErrRetry) or panics, instead of 200.
//
// By default a failed receiver is logged and the delivery still answered
// 200, because a failure status buys nothing but harm: Kazoo does not retry
// an answered request, it only records a failed attempt, and 6 failed
// attempts within a minute (the default) disable the hook until someone
// re-enables it, so every later event is lost. Opt in when you watch the
// hook's attempt log and prefer failures to show there; return ErrRetry
// for a delivery you want repeated.
func WithFailureStatus(code int) Option {
	return func(c *config) {
		if code < 400 || code > 599 {
			c.fail(fmt.Errorf("webhook: WithFailureStatus(%d): the status must be 400 to 599", code))
			return
		}
		c.failureStatus = code
	}
}

// ---------------------------------------------------------------------------
// The handler

// Handler returns an http.Handler that receives Kazoo's webhook deliveries
// and passes each, decoded (see Parse), to r. For each request it:
//
//  1. runs the checks of WithAllowedIPs and WithBasicAuth (403, 401);
//  2. refuses methods other than GET, POST and PUT with 405;
//  3. bounds the delivery (WithMaxBytes): a larger body is answered 413, a
//     larger query string 414;
//  4. reads and decodes it; a JSON body that does not decode is answered
//     400;
//  5. runs the checks of WithSecret and WithAccounts (403), and removes the
//     secret from the fields;
//  6. calls r.Receive with the request's context, recovering a panic;
//  7. answers exactly 200, with no body, when Receive returned nil.
//
// Kazoo counts only status 200 as success (5.x also takes 201 for PUT). A
// failed or panicking receiver is logged at Error and answered 200, or the
// WithFailureStatus code; with ErrRetry the connection is closed unanswered
// so that Kazoo delivers again. Every refusal in steps 1 to 5 is logged at
// Warn and counts as a failed attempt in Kazoo, toward disabling the hook.
//
// The whole delivery is read before Receive runs, so once Receive returns
// nil nothing can turn the answer into anything but 200. Kazoo waits about
// 10 seconds for an answer (unverified) and retries on a timeout, so a slow
// receiver gets duplicates: keep Receive short, and hand slow work to a
// queue. Kazoo sends no delivery ID; call_id, the hook and the timestamp
// identify a channel event.
//
// Handler panics if r is nil or an option is invalid, as both are fixed when
// the program is written.
func Handler(r Receiver, opts ...Option) http.Handler {
	if r == nil {
		panic("webhook: Handler: nil Receiver")
	}
	c := &config{maxBytes: DefaultMaxBytes, failureStatus: http.StatusOK}
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	if c.err != nil {
		panic(c.err)
	}
	if c.logger == nil {
		c.logger = slog.Default()
	}
	h := &handler{cfg: c, receiver: r}
	var next http.Handler = http.HandlerFunc(h.serve)
	for i := len(c.middleware) - 1; i >= 0; i-- {
		next = c.middleware[i](next)
	}
	h.checked = next
	return h
}

type handler struct {
	cfg      *config
	receiver Receiver
	checked  http.Handler // serve behind the HTTP-level checks
}

// ServeHTTP answers one delivery.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if len(h.cfg.middleware) == 0 {
		h.serve(w, r)
		return
	}
	sw := &statusWriter{ResponseWriter: w}
	h.checked.ServeHTTP(sw, r)
	if !sw.reached {
		h.cfg.log(r, nil, slog.LevelWarn, "webhook: delivery refused", nil, slog.Int("status", sw.status))
	}
}

// statusWriter notes the status an HTTP-level check answered, and whether
// the request got past the checks.
type statusWriter struct {
	http.ResponseWriter
	status  int
	reached bool
}

// WriteHeader records the status.
func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap returns the underlying writer, for http.ResponseController.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// serve runs steps 2 to 7 of Handler.
func (h *handler) serve(w http.ResponseWriter, r *http.Request) {
	bodyWriter := w // the server's own writer, which MaxBytesReader tells to close the connection
	if sw, ok := w.(*statusWriter); ok {
		sw.reached, bodyWriter = true, sw.ResponseWriter
	}
	c := h.cfg
	switch r.Method {
	case http.MethodGet, http.MethodPost, http.MethodPut:
	default:
		c.log(r, nil, slog.LevelWarn, "webhook: method not allowed", nil)
		w.Header().Set("Allow", "GET, POST, PUT")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	if r.Method == http.MethodGet && r.URL != nil && int64(len(r.URL.RawQuery)) > c.maxBytes {
		c.log(r, nil, slog.LevelWarn, "webhook: query string too long", nil, slog.Int64("limit", c.maxBytes))
		http.Error(w, http.StatusText(http.StatusRequestURITooLong), http.StatusRequestURITooLong)
		return
	}
	if r.Method != http.MethodGet && r.Body != nil {
		r.Body = http.MaxBytesReader(bodyWriter, r.Body, c.maxBytes)
	}
	d, err := readDelivery(r)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			c.log(r, nil, slog.LevelWarn, "webhook: body too large", err, slog.Int64("limit", tooBig.Limit))
			http.Error(w, http.StatusText(http.StatusRequestEntityTooLarge), http.StatusRequestEntityTooLarge)
			return
		}
		c.log(r, nil, slog.LevelWarn, "webhook: unreadable delivery", err)
		http.Error(w, http.StatusText(http.StatusBadRequest), http.StatusBadRequest)
		return
	}
	for _, check := range c.checks {
		if status, why := check(d); status != 0 {
			c.log(r, d, slog.LevelWarn, "webhook: delivery refused: "+why, nil, slog.Int("status", status))
			http.Error(w, http.StatusText(status), status)
			return
		}
	}
	ev := decode(d)
	d = ev.Info()
	if len(d.Problems) > 0 {
		c.log(r, d, slog.LevelWarn, "webhook: fields that do not fit their type", d.Problems[0],
			slog.Int("problems", len(d.Problems)))
	}

	err = receive(r.Context(), h.receiver, ev)
	if err == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	var pe *panicError
	switch {
	case errors.Is(err, ErrRetry):
		c.log(r, d, slog.LevelWarn, "webhook: receiver asked for a retry; closing the connection unanswered", err)
		panic(http.ErrAbortHandler)
	case errors.As(err, &pe):
		c.log(r, d, slog.LevelError, "webhook: receiver panicked", err, slog.String("stack", string(pe.stack)))
	default:
		c.log(r, d, slog.LevelError, "webhook: receiver failed", err)
	}
	if c.failureStatus == http.StatusOK {
		w.WriteHeader(http.StatusOK)
		return
	}
	http.Error(w, http.StatusText(c.failureStatus), c.failureStatus)
}

// panicError is a recovered panic.
type panicError struct {
	value any
	stack []byte
}

// Error describes the panic.
func (e *panicError) Error() string { return fmt.Sprintf("panic: %v", e.value) }

// receive calls r.Receive, turning a panic into a *panicError.
// http.ErrAbortHandler is re-raised, as net/http expects.
func receive(ctx context.Context, r Receiver, ev Event) (err error) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			err = &panicError{value: v, stack: debug.Stack()}
		}
	}()
	return r.Receive(ctx, ev)
}

// ---------------------------------------------------------------------------
// Logging

// maxLogValue bounds each logged value that a sender controls (paths,
// headers, field values, error texts), so that a hostile delivery cannot
// flood the log.
const maxLogValue = 200

// clipped cuts s to maxLogValue bytes, marking the cut.
func clipped(s string) string { return clip.String(s, maxLogValue) }

// log logs a refused or failed delivery. The query string is never logged:
// for GET it is the whole payload, and it may hold a secret.
func (c *config) log(r *http.Request, d *Delivery, level slog.Level, msg string, err error, extra ...slog.Attr) {
	ctx := r.Context()
	if !c.logger.Enabled(ctx, level) {
		return
	}
	attrs := make([]slog.Attr, 0, 8+len(extra))
	attrs = append(attrs,
		slog.String("method", clipped(r.Method)),
		slog.String("remote", clipped(r.RemoteAddr)),
	)
	if r.URL != nil {
		attrs = append(attrs, slog.String("path", clipped(r.URL.Path)))
	}
	if d != nil {
		for _, a := range [...]struct{ key, value string }{
			{"hook", d.hook},
			{"hook_id", d.HookID},
			{"account_id", d.HookAccountID},
			{"call_id", d.Get("call_id")},
		} {
			if a.value != "" {
				attrs = append(attrs, slog.String(a.key, clipped(a.value)))
			}
		}
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", clipped(err.Error())))
	}
	attrs = append(attrs, extra...)
	c.logger.LogAttrs(ctx, level, msg, attrs...)
}
