package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/pivot"
	"github.com/kzgen/kzgen/runtime/webhook"
)

// testClock is a settable clock.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func newTestFunnel(timeout time.Duration, maxCalls int) (*funnel, *testClock) {
	clk := &testClock{now: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)}
	return newFunnel(menus, destinations, timeout, maxCalls, clk.Now), clk
}

// answered is the event of an answered request to routerStep, tagged step
// and choice.
func answered(callID, routerStep, step, choice string) pivot.StepEvent {
	return pivot.StepEvent{Step: routerStep, CallID: callID, Outcome: pivot.StepAnswered,
		Flow: tagged(step, choice, callflow.Hangup()).Node()}
}

// ended delivers a channel_destroy of callID whose ivr_step is step ("" for
// none).
func ended(f *funnel, callID, step string) {
	e := &webhook.ChannelEvent{}
	e.CallID = callID
	if step != "" {
		e.CustomApplicationVars = map[string]string{tagStep: step}
	}
	f.channelDestroy(context.Background(), e)
}

func TestFunnelExpiresQuietCalls(t *testing.T) {
	f, clk := newTestFunnel(time.Hour, 100)
	ctx := context.Background()
	f.observe(ctx, answered("quiet", "main", "main", ""))
	f.observe(ctx, answered("busy", "main", "main", ""))
	clk.Advance(50 * time.Minute)
	f.observe(ctx, answered("busy", "main", "support", "support")) // heard of again
	clk.Advance(10*time.Minute - time.Nanosecond)
	if s := f.snapshot(); s.InProgress != 2 || s.Expired != 0 {
		t.Fatalf("just before the timeout: %d in progress, %d expired", s.InProgress, s.Expired)
	}
	clk.Advance(time.Nanosecond)
	if s := f.snapshot(); s.InProgress != 1 || s.Expired != 1 {
		t.Fatalf("at the timeout: %d in progress, %d expired", s.InProgress, s.Expired)
	}
	ended(f, "quiet", "main") // too late: it is gone
	ended(f, "busy", "support")
	s := f.snapshot()
	if s.InProgress != 0 || s.Tracked != 1 || s.Untracked != 1 || s.Menus[0].Abandoned != 0 || s.Menus[1].Abandoned != 1 {
		t.Errorf("%+v", s)
	}
}

func TestFunnelCallLimit(t *testing.T) {
	f, clk := newTestFunnel(time.Hour, 2)
	ctx := context.Background()
	for _, id := range []string{"c1", "c2", "c3"} {
		f.observe(ctx, answered(id, "main", "main", ""))
		clk.Advance(time.Second)
	}
	f.observe(ctx, answered("c2", "main", "support", "support"))
	f.observe(ctx, answered("c4", "main", "main", "")) // c3 is now the least recently heard of
	s := f.snapshot()
	if s.InProgress != 2 || s.Expired != 2 {
		t.Fatalf("%d in progress, %d expired", s.InProgress, s.Expired)
	}
	for _, id := range []string{"c1", "c2", "c3", "c4"} {
		ended(f, id, "")
	}
	if s := f.snapshot(); s.Tracked != 2 || s.Untracked != 2 || s.Menus[0].Reached != 4 {
		t.Errorf("%+v", s)
	}
}

// TestFunnelKeepsLabelsBounded: tags, steps and call IDs the funnel does
// not know count nothing, so no label value comes from outside.
func TestFunnelKeepsLabelsBounded(t *testing.T) {
	f, _ := newTestFunnel(time.Hour, 100)
	ctx := context.Background()
	f.observe(ctx, answered("c1", "main", "nowhere", "sales"))             // unknown step
	f.observe(ctx, answered(strings.Repeat("x", 300), "main", "main", "")) // call ID too long
	f.observe(ctx, answered("c2", "main", "main", "42"))                   // unknown choice: the step counts, the choice not
	f.observe(ctx, pivot.StepEvent{Step: "main", CallID: "c3", Outcome: pivot.StepFallback})
	f.observe(ctx, pivot.StepEvent{Step: "main", CallID: "c4", Outcome: pivot.StepAnswered, Flow: callflow.Hangup().Node()}) // untagged
	s := f.snapshot()
	if s.InProgress != 1 || s.Menus[0].Reached != 1 {
		t.Errorf("%+v", s)
	}
	for _, m := range s.Menus {
		for _, c := range m.Choices {
			if c.Count != 0 {
				t.Errorf("%s %s counted %d", m.Name, c.Name, c.Count)
			}
		}
	}
	ended(f, "c2", "billing") // a step c2 never reached: its own last step counts
	if s := f.snapshot(); s.Menus[0].Abandoned != 1 || s.Destinations[1].Transferred != 0 {
		t.Errorf("%+v", s)
	}
}

// TestFunnelPrefersKazoosLastStep: a step the server answered but Kazoo
// never ran (the caller hung up first) is not where the call ended.
func TestFunnelPrefersKazoosLastStep(t *testing.T) {
	f, _ := newTestFunnel(time.Hour, 100)
	ctx := context.Background()
	f.observe(ctx, answered("c1", "main", "main", ""))
	f.observe(ctx, answered("c1", "main", "support", "support"))
	ended(f, "c1", "main")
	f.observe(ctx, answered("c2", "main", "main", ""))
	f.observe(ctx, answered("c2", "main", "sales", "sales"))
	ended(f, "c2", "")
	s := f.snapshot()
	if s.Menus[0].Abandoned != 1 || s.Menus[1].Abandoned != 0 || s.Destinations[0].Transferred != 1 || s.Menus[1].Reached != 1 {
		t.Errorf("%+v", s)
	}
}

// TestFunnelConcurrent observes and ends calls from many goroutines; under
// -race it also shows the funnel shares nothing unsafely.
func TestFunnelConcurrent(t *testing.T) {
	f, _ := newTestFunnel(time.Hour, 1000)
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 100 {
		wg.Go(func() {
			id := fmt.Sprintf("c%d", i)
			f.observe(ctx, answered(id, "main", "main", ""))
			f.observe(ctx, answered(id, "main", "support", "support"))
			f.observe(ctx, answered(id, "support", "billing", "billing"))
			ended(f, id, "billing")
			f.snapshot()
		})
	}
	wg.Wait()
	s := f.snapshot()
	if s.InProgress != 0 || s.Tracked != 100 || s.Destinations[1].Transferred != 100 || s.Menus[1].Choices[0].Count != 100 {
		t.Errorf("%+v", s)
	}
}

// TestMetricsLint runs Prometheus's linter over the funnel's metrics.
func TestMetricsLint(t *testing.T) {
	f, _ := newTestFunnel(time.Hour, 100)
	problems, err := testutil.CollectAndLint(funnelCollector{f})
	if err != nil || len(problems) > 0 {
		t.Errorf("%v %+v", err, problems)
	}
}
