package pivot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/internal/clip"
)

// This file holds the Router's step observer: a function told about every
// request to a step once it is answered, for IVR analytics (which steps
// callers reach, what they key in, what fails) and monitoring (latency,
// fallbacks).

// StepOutcome is what Kazoo got for a request to a Router step.
type StepOutcome uint8

// The outcomes.
const (
	// StepAnswered: the step's callflow, with status 200.
	StepAnswered StepOutcome = iota + 1
	// StepFallback: the step could not be answered and the fallback
	// callflow was (WithFallback; by default an apology, then hangup).
	StepFallback
	// StepError: an error status without a callflow, so that Kazoo takes
	// the pivot node's "_" child: the failure status (WithFailureStatus),
	// or 405, 413 or 414 for a request refused before the step ran.
	StepError
)

// String returns "answered", "fallback" or "error": short, fixed words,
// fit for a metric label.
func (o StepOutcome) String() string {
	switch o {
	case StepAnswered:
		return "answered"
	case StepFallback:
		return "fallback"
	case StepError:
		return "error"
	}
	return fmt.Sprintf("StepOutcome(%d)", uint8(o))
}

// Why a step was not answered, when no error of the step tells: test
// StepEvent.Err with errors.Is.
var (
	// ErrBadRequest: the request was refused before the step ran: it did
	// not parse, was too large, or used a method Kazoo does not send.
	ErrBadRequest = errors.New("pivot: request refused before the step ran")
	// ErrStepPanicked: the step function panicked (the Router logs the
	// panic and its stack).
	ErrStepPanicked = errors.New("pivot: the step panicked")
	// ErrInvalidCallflow: the step returned no callflow, or one that
	// failed Validate (the Router logs its problems).
	ErrInvalidCallflow = errors.New("pivot: the step returned no valid callflow")
)

// StepEvent is one request to a Router step, as a StepObserver sees it.
type StepEvent struct {
	// Step is the step's name. Only registered steps are observed (an
	// unknown one is answered 404), so the names are the Router's own.
	Step string
	// CallID is the request's Call-ID; "" when the request did not parse.
	CallID string
	// Request is the parsed request; nil when it did not parse.
	Request *Request
	// Digits are the digits the request carried (Request.Digits): the
	// caller's answer to the prompt before this step.
	Digits Digits
	// Entered is when the Router got the request, by its clock
	// (WithClock).
	Entered time.Time
	// Latency is how long the Router took to answer, measured on the
	// monotonic clock up to the answer's last byte written.
	Latency time.Duration
	// Outcome is what Kazoo got; Status is the HTTP status of the answer.
	Outcome StepOutcome
	Status  int
	// Flow is the callflow answered, for StepAnswered (nil otherwise):
	// read it, never change it, as a step may answer a tree it shares.
	Flow *callflow.Node
	// Err says why the step was not answered: the step's own error, a
	// refused continuation (errors.Is ErrContinuationInvalid, …), or
	// ErrBadRequest, ErrStepPanicked, ErrInvalidCallflow. Nil for
	// StepAnswered.
	Err error
}

// StepObserver is told about every request to a Router step; see
// WithStepObserver.
type StepObserver func(ctx context.Context, ev StepEvent)

// WithStepObserver has a Router call fn for every request to one of its
// steps, once the answer is written and flushed to Kazoo: the observer
// adds nothing to the time Kazoo waits. A Handler ignores this option.
//
// fn is called from the request's goroutine, so from many goroutines at
// once: it must be safe for concurrent use. It should return quickly
// (update counters, hand slow work to a queue), since the connection is
// not free for Kazoo's next request until it returns. A panic in fn is
// recovered and logged (WithLogger); the request has been answered by
// then, so nothing else changes. ctx is the request's context.
//
// Without this option the Router's only cost is one nil check per
// request. With it, the Router wraps the ResponseWriter to learn the
// answer's status; a too-large body is still answered 413, but net/http
// is no longer told to close the connection early.
func WithStepObserver(fn StepObserver) Option {
	return func(c *config) {
		if fn == nil {
			c.fail(errors.New("pivot: WithStepObserver: nil observer"))
			return
		}
		c.observer = fn
	}
}

// serveObserved serves a request to step name like ServeHTTP, through
// answer, then tells the observer what happened.
func (rt *Router) serveObserved(w http.ResponseWriter, r *http.Request, name string, answer answerFunc) {
	start := time.Now()
	ev := StepEvent{Step: name, Entered: rt.cfg.now()}
	var (
		ran, returned bool
		flow          callflow.Builder
	)
	ow := &observedWriter{ResponseWriter: w, fallback: rt.cfg.fallbackBody}
	rt.cfg.serve(ow, r, func(ctx context.Context, hr *http.Request, req *Request) (callflow.Builder, error) {
		ev.Request, ev.CallID, ev.Digits, ran = req, req.CallID, req.Digits, true
		b, err := answer(ctx, hr, req)
		flow, ev.Err, returned = b, err, true
		return b, err
	})
	ev.Latency = time.Since(start)
	ev.Status = ow.status
	switch {
	case ow.status != http.StatusOK:
		ev.Outcome = StepError
	case ow.wroteFallback:
		ev.Outcome = StepFallback
	default:
		ev.Outcome = StepAnswered
		ev.Flow, _ = nodeOf(flow)
	}
	if ev.Outcome != StepAnswered && ev.Err == nil {
		switch {
		case !ran:
			ev.Err = ErrBadRequest
		case !returned:
			ev.Err = ErrStepPanicked
		default:
			ev.Err = ErrInvalidCallflow
		}
	}
	_ = http.NewResponseController(w).Flush() // Kazoo has its answer before the observer runs
	rt.notify(r.Context(), ev)
}

// notify calls the observer, recovering and logging a panic.
func (rt *Router) notify(ctx context.Context, ev StepEvent) {
	defer func() {
		if v := recover(); v != nil {
			rt.cfg.logger.LogAttrs(ctx, slog.LevelError, "pivot: step observer panicked",
				clippedString("step", ev.Step), clippedString("call_id", ev.CallID),
				slog.String("panic", clip.String(fmt.Sprint(v), MaxLogErrorBytes)), slog.String("stack", string(debug.Stack())))
		}
	}()
	rt.cfg.observer(ctx, ev)
}

// observedWriter notes the status of an answer and whether its body is the
// configured fallback.
type observedWriter struct {
	http.ResponseWriter
	fallback      []byte // the config's fallback body, nil with WithFailureStatus
	status        int
	wroteFallback bool
}

// WriteHeader records the status.
func (w *observedWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write records whether p is the fallback: the handler writes the
// config's fallback slice itself, so that answer's bytes share its array,
// while a step's callflow is encoded afresh, even one equal to the
// fallback.
func (w *observedWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if len(p) > 0 && len(w.fallback) > 0 && &p[0] == &w.fallback[0] {
		w.wroteFallback = true
	}
	return w.ResponseWriter.Write(p)
}

// Unwrap returns the underlying ResponseWriter, for http.ResponseController.
func (w *observedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
