package pivot_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/pivot"
)

// recorder is a StepObserver that keeps every event.
type recorder struct {
	mu     sync.Mutex
	events []pivot.StepEvent
}

func (r *recorder) observe(_ context.Context, ev pivot.StepEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
}

// take returns the events recorded since the last take.
func (r *recorder) take() []pivot.StepEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	evs := r.events
	r.events = nil
	return evs
}

// only returns the one event recorded since the last take.
func (r *recorder) only(t *testing.T) pivot.StepEvent {
	t.Helper()
	evs := r.take()
	if len(evs) != 1 {
		t.Fatalf("%d events, want 1: %+v", len(evs), evs)
	}
	return evs[0]
}

var errDown = errors.New("the database is down")

// observedRouter is newMenu plus steps that fail in every way, observed by
// rec.
func observedRouter(t *testing.T, rec *recorder, opts ...pivot.Option) *pivot.Router {
	t.Helper()
	rt := newMenu(t, []pivot.Key{key1}, append([]pivot.Option{pivot.WithStepObserver(rec.observe), pivot.WithLogger(slog.New(slog.DiscardHandler))}, opts...)...)
	rt.Entry("fails", func(context.Context, *pivot.Step) (callflow.Builder, error) { return nil, errDown })
	rt.Entry("panics", func(context.Context, *pivot.Step) (callflow.Builder, error) { panic("boom") })
	rt.Entry("invalid", func(context.Context, *pivot.Step) (callflow.Builder, error) { return callflow.Pivot(""), nil })
	rt.Entry("nil", func(context.Context, *pivot.Step) (callflow.Builder, error) { return nil, nil })
	rt.Entry("unknown-next", func(_ context.Context, s *pivot.Step) (callflow.Builder, error) { return s.Next("nowhere", nil), nil })
	rt.Entry("like-fallback", func(context.Context, *pivot.Step) (callflow.Builder, error) { return pivot.DefaultFallback(), nil })
	return rt
}

func TestStepObserverAnswered(t *testing.T) {
	clk := newClock()
	rec := &recorder{}
	rt := observedRouter(t, rec, pivot.WithClock(clk.Now))
	c := aliceCall
	c.VoiceURL = ivrBase + "/start"
	res, _ := walk(t, rt, c, "2")
	if got := spoken(t, res); got != "1 sales, 2 support" {
		t.Fatalf("spoken %q", got)
	}
	evs := rec.take()
	if len(evs) != 2 {
		t.Fatalf("%d events, want 2", len(evs))
	}
	start, lang := evs[0], evs[1]
	if start.Step != "start" || start.Outcome != pivot.StepAnswered || start.Status != 200 || start.Err != nil ||
		start.CallID != "call-1" || start.Request == nil || !start.Digits.IsZero() || !start.Entered.Equal(clk.Now()) {
		t.Errorf("start: %+v", start)
	}
	if start.Flow == nil || start.Flow.Module != "tts" || start.Latency <= 0 {
		t.Errorf("start: flow %v, latency %v", start.Flow, start.Latency)
	}
	if d, _ := lang.Digits.Collection("lang"); lang.Step != "lang" || d != "2" || lang.Outcome != pivot.StepAnswered {
		t.Errorf("lang: %+v", lang)
	}
	// The event's flow is the one answered.
	if data, _ := lang.Flow.MarshalJSON(); !bytes.Equal(data, res.Body) {
		t.Errorf("flow %s\nanswered %s", data, res.Body)
	}
}

func TestStepObserverEveryOutcome(t *testing.T) {
	rec := &recorder{}
	rt := observedRouter(t, rec)

	for _, tc := range []struct {
		step    string
		outcome pivot.StepOutcome
		err     error
	}{
		{"fails", pivot.StepFallback, errDown},
		{"panics", pivot.StepFallback, pivot.ErrStepPanicked},
		{"invalid", pivot.StepFallback, pivot.ErrInvalidCallflow},
		{"nil", pivot.StepFallback, pivot.ErrInvalidCallflow},
		{"unknown-next", pivot.StepFallback, pivot.ErrUnknownStep},
		{"dept", pivot.StepFallback, pivot.ErrContinuationMissing}, // a step reached without a continuation
		{"like-fallback", pivot.StepAnswered, nil},                 // a step may answer what the fallback says
	} {
		t.Run(tc.step, func(t *testing.T) {
			c := aliceCall
			c.VoiceURL = ivrBase + "/" + tc.step
			if _, err := c.Send(rt); err != nil {
				t.Fatal(err)
			}
			ev := rec.only(t)
			if ev.Step != tc.step || ev.Outcome != tc.outcome || ev.Status != 200 || ev.CallID != "call-1" {
				t.Errorf("%+v", ev)
			}
			if tc.err == nil && ev.Err != nil || tc.err != nil && !errors.Is(ev.Err, tc.err) {
				t.Errorf("Err %v, want %v", ev.Err, tc.err)
			}
			if (ev.Outcome == pivot.StepAnswered) != (ev.Flow != nil) {
				t.Errorf("outcome %v with flow %v", ev.Outcome, ev.Flow)
			}
		})
	}

	t.Run("failure status", func(t *testing.T) {
		rec := &recorder{}
		rt := observedRouter(t, rec, pivot.WithFailureStatus(http.StatusServiceUnavailable))
		c := aliceCall
		c.VoiceURL = ivrBase + "/fails"
		c.Send(rt)
		if ev := rec.only(t); ev.Outcome != pivot.StepError || ev.Status != 503 || !errors.Is(ev.Err, errDown) || ev.Flow != nil {
			t.Errorf("%+v", ev)
		}
	})
	t.Run("unreadable request", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPost, ivrBase+"/start", strings.NewReader("{not json"))
		req.Header.Set("Content-Type", "application/json")
		rt.ServeHTTP(httptest.NewRecorder(), req)
		ev := rec.only(t)
		if ev.Step != "start" || ev.Outcome != pivot.StepFallback || !errors.Is(ev.Err, pivot.ErrBadRequest) || ev.Request != nil || ev.CallID != "" {
			t.Errorf("%+v", ev)
		}
	})
	t.Run("method not allowed", func(t *testing.T) {
		rt.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPut, ivrBase+"/start", nil))
		if ev := rec.only(t); ev.Outcome != pivot.StepError || ev.Status != 405 || !errors.Is(ev.Err, pivot.ErrBadRequest) {
			t.Errorf("%+v", ev)
		}
	})
	t.Run("unknown step is not observed", func(t *testing.T) {
		w := httptest.NewRecorder()
		rt.ServeHTTP(w, httptest.NewRequest(http.MethodGet, ivrBase+"/nope", nil))
		if w.Code != 404 || len(rec.take()) != 0 {
			t.Errorf("status %d, events observed", w.Code)
		}
	})
	for o, want := range map[pivot.StepOutcome]string{pivot.StepAnswered: "answered", pivot.StepFallback: "fallback", pivot.StepError: "error"} {
		if o.String() != want {
			t.Errorf("%d.String() = %q", o, o)
		}
	}
}

// TestStepObserverConcurrent runs many calls at once through one observed
// Router; under -race it also shows that observing shares nothing unsafely.
func TestStepObserverConcurrent(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{} // call ID → steps observed
	rt := newMenu(t, []pivot.Key{key1}, pivot.WithStepObserver(func(_ context.Context, ev pivot.StepEvent) {
		if ev.Outcome != pivot.StepAnswered {
			t.Errorf("%s %s: %v %v", ev.CallID, ev.Step, ev.Outcome, ev.Err)
		}
		mu.Lock()
		seen[ev.CallID]++
		mu.Unlock()
	}))
	const calls = 64
	var wg sync.WaitGroup
	for i := range calls {
		wg.Go(func() {
			c := aliceCall
			c.CallID, c.VoiceURL = fmt.Sprintf("call-%d", i), ivrBase+"/start"
			res, _ := walk(t, rt, c, "1", "2")
			if got := spoken(t, res); got != "lang=en dept=2 caller=+15551234567" {
				t.Errorf("%s: %q", c.CallID, got)
			}
		})
	}
	wg.Wait()
	if len(seen) != calls {
		t.Fatalf("%d calls observed, want %d", len(seen), calls)
	}
	for id, n := range seen {
		if n != 3 {
			t.Errorf("%s: %d steps observed, want 3", id, n)
		}
	}
}

// TestStepObserverPanicContained: a panicking observer is logged, and
// neither the answer nor the server suffers.
func TestStepObserverPanicContained(t *testing.T) {
	var logs bytes.Buffer
	var mu sync.Mutex
	rt := newMenu(t, []pivot.Key{key1},
		pivot.WithLogger(slog.New(slog.NewTextHandler(&lockedWriter{w: &logs, mu: &mu}, nil))),
		pivot.WithStepObserver(func(context.Context, pivot.StepEvent) { panic("observer bug") }))
	srv := httptest.NewServer(rt)
	defer srv.Close()
	for range 3 {
		c := aliceCall
		c.VoiceURL = srv.URL + "/ivr/start"
		res, err := c.Do(context.Background(), srv.Client())
		if err != nil {
			t.Fatal(err)
		}
		if got := spoken(t, res); got != "1 English, 2 Español" {
			t.Errorf("spoken %q", got)
		}
	}
	srv.Close() // waits for the observers, which run after the answers
	mu.Lock()
	defer mu.Unlock()
	if n := strings.Count(logs.String(), "pivot: step observer panicked"); n != 3 || !strings.Contains(logs.String(), "observer bug") {
		t.Errorf("%d panics logged:\n%s", n, logs.String())
	}
}

// TestStepObserverAfterAnswer: Kazoo has the whole answer before the
// observer runs, so a slow observer does not delay it.
func TestStepObserverAfterAnswer(t *testing.T) {
	answered := make(chan struct{})
	observed := make(chan struct{})
	rt := newMenu(t, []pivot.Key{key1}, pivot.WithStepObserver(func(context.Context, pivot.StepEvent) {
		<-answered // until the client has read the answer
		close(observed)
	}))
	srv := httptest.NewServer(rt)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/ivr/start?Call-ID=c1")
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || !bytes.Contains(body, []byte("English")) {
		t.Fatalf("%d %s %v", resp.StatusCode, body, err)
	}
	close(answered)
	select {
	case <-observed:
	case <-time.After(5 * time.Second):
		t.Fatal("the observer never ran")
	}
}

func TestWithStepObserverNil(t *testing.T) {
	if _, err := pivot.NewRouter(ivrBase, []pivot.Key{key1}, pivot.WithStepObserver(nil)); err == nil {
		t.Error("a nil observer was accepted")
	}
}

// lockedWriter serialises writes to w.
type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
