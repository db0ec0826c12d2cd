package main

import (
	"container/list"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/kzgen/kzgen/runtime/pivot"
	"github.com/kzgen/kzgen/runtime/webhook"
)

// The funnel joins two views of each call by its call ID:
//
//   - the server's: the Router's step observer sees every answered step,
//     and the answer's tags say where it put the caller (ivr_step) and
//     what they chose to get there (ivr_choice, counted at the menu whose
//     step read the key);
//   - Kazoo's: channel_destroy says the call ended, with the tags Kazoo
//     last set on the channel.
//
// A call is tracked from its first answered step until its channel_destroy.
// It then ends at its last step: abandoned, if that is a menu; transferred,
// if it is a destination. The last step is the one channel_destroy's
// ivr_step names when the call reached it (Kazoo ran that answer), else the
// last one the server answered: a caller who hangs up while an answer is on
// its way never reached it. (The observer runs as soon as an answer is
// sent, long before Kazoo can report the call's end; a step observed after
// its call's channel_destroy would start a new call in progress, which
// would expire.)
//
// Memory is bounded: a call not heard of for the call timeout (no step, no
// channel_destroy, e.g. a lost webhook or a disabled hook) is dropped and
// counted as expired, and so is the oldest call when maxCalls are tracked.
// A tracked call costs its ID and a few words.

// maxCallIDLen bounds the call IDs tracked: Kazoo's are well under it.
const maxCallIDLen = 256

// funnel counts what callers do, per step. It is safe for concurrent use.
type funnel struct {
	menus     []*menu        // steps[:len(menus)] are theirs
	steps     []string       // the menus, then the destinations
	stepIndex map[string]int // step → index in steps
	choices   [][]string     // by menu: its option names, then invalid and none
	timeout   time.Duration
	maxCalls  int
	now       func() time.Time

	mu     sync.Mutex
	calls  map[string]*list.Element // call ID → its *call in order
	order  *list.List               // *call, least recently heard of first
	counts counts
}

// call is a call in progress.
type call struct {
	id      string
	heard   time.Time // when its last event came
	reached uint64    // bit i: steps[i] reached
	last    int       // index of the last step answered
}

// counts are the funnel's totals.
type counts struct {
	reached []uint64   // by step: callers who reached it
	ended   []uint64   // by step: calls that ended with it as last step
	choices [][]uint64 // by menu, by choice
	// expired counts calls dropped without a channel_destroy; tracked and
	// untracked the channel_destroy events of calls tracked or not (other
	// calls of the account, transfer legs, repeated deliveries).
	expired, tracked, untracked uint64
}

// newFunnel returns an empty funnel over ms and dests.
func newFunnel(ms []*menu, dests []string, timeout time.Duration, maxCalls int, now func() time.Time) *funnel {
	f := &funnel{menus: ms, stepIndex: map[string]int{}, timeout: timeout, maxCalls: maxCalls, now: now,
		calls: map[string]*list.Element{}, order: list.New()}
	for _, m := range ms {
		f.steps = append(f.steps, m.name)
		var names []string
		for _, o := range m.options {
			names = append(names, o.name)
		}
		f.choices = append(f.choices, append(names, choiceInvalid, choiceNone))
	}
	f.steps = append(f.steps, dests...)
	if len(f.steps) > 64 {
		panic("ivr-analytics: more than 64 steps: call.reached has a bit per step")
	}
	for i, s := range f.steps {
		f.stepIndex[s] = i
	}
	f.counts = counts{reached: make([]uint64, len(f.steps)), ended: make([]uint64, len(f.steps))}
	for _, c := range f.choices {
		f.counts.choices = append(f.counts.choices, make([]uint64, len(c)))
	}
	return f
}

// observe is the Router's step observer: an answered step tagged with a
// known step and choice moves its call there.
func (f *funnel) observe(_ context.Context, ev pivot.StepEvent) {
	if ev.Outcome != pivot.StepAnswered || ev.CallID == "" || len(ev.CallID) > maxCallIDLen {
		return
	}
	step, choice, ok := tagsOf(ev.Flow)
	if !ok {
		return
	}
	to, known := f.stepIndex[step]
	if !known {
		return
	}
	from, fromMenu := f.stepIndex[ev.Step] // the menu whose key was read
	chose := -1
	if choice != "" && fromMenu && from < len(f.menus) {
		chose = slices.Index(f.choices[from], choice)
	}

	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	f.expire(now)
	c := f.track(ev.CallID, now)
	if chose >= 0 {
		f.counts.choices[from][chose]++
	}
	if c.reached&(1<<to) == 0 {
		c.reached |= 1 << to
		f.counts.reached[to]++
	}
	c.last = to
}

// track returns the call with the ID, tracking it if new, and marks it
// heard of now. f.mu is held.
func (f *funnel) track(id string, now time.Time) *call {
	if e, ok := f.calls[id]; ok {
		c := e.Value.(*call)
		c.heard = now
		f.order.MoveToBack(e)
		return c
	}
	if len(f.calls) >= f.maxCalls {
		f.drop(f.order.Front())
	}
	c := &call{id: id, heard: now}
	f.calls[id] = f.order.PushBack(c)
	return c
}

// expire drops the calls not heard of for the timeout. f.mu is held.
func (f *funnel) expire(now time.Time) {
	for e := f.order.Front(); e != nil && now.Sub(e.Value.(*call).heard) >= f.timeout; e = f.order.Front() {
		f.drop(e)
	}
}

// drop forgets a call without a channel_destroy. f.mu is held.
func (f *funnel) drop(e *list.Element) {
	delete(f.calls, f.order.Remove(e).(*call).id)
	f.counts.expired++
}

// channelDestroy is the webhook receiver's channel_destroy handler: the
// call ends at its last step.
func (f *funnel) channelDestroy(_ context.Context, e *webhook.ChannelEvent) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.expire(f.now())
	el, ok := f.calls[e.CallID]
	if !ok {
		f.counts.untracked++
		return nil
	}
	c := f.order.Remove(el).(*call)
	delete(f.calls, c.id)
	f.counts.tracked++
	last := c.last
	if i, known := f.stepIndex[e.CustomApplicationVars[tagStep]]; known && c.reached&(1<<i) != 0 {
		last = i
	}
	f.counts.ended[last]++
	return nil
}

// snapshot is the funnel at one moment, for the page and the metrics.
type snapshot struct {
	Menus        []menuStats
	Destinations []destinationStats
	InProgress   int
	Expired      uint64
	// Tracked and Untracked count the channel_destroy events received.
	Tracked, Untracked uint64
	Timeout            time.Duration
	MaxCalls           int
}

type menuStats struct {
	Name               string
	Reached, Abandoned uint64
	Choices            []choiceStats
}

type choiceStats struct {
	Key   string // the key that chooses it; "" for invalid and none
	Name  string
	Count uint64
}

type destinationStats struct {
	Name                 string
	Reached, Transferred uint64
}

// snapshot returns the current totals, after expiring what is due.
func (f *funnel) snapshot() snapshot {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.expire(f.now())
	s := snapshot{InProgress: len(f.calls), Expired: f.counts.expired, Tracked: f.counts.tracked,
		Untracked: f.counts.untracked, Timeout: f.timeout, MaxCalls: f.maxCalls}
	for i, name := range f.steps {
		if i >= len(f.menus) {
			s.Destinations = append(s.Destinations, destinationStats{Name: name, Reached: f.counts.reached[i], Transferred: f.counts.ended[i]})
			continue
		}
		m := menuStats{Name: name, Reached: f.counts.reached[i], Abandoned: f.counts.ended[i]}
		for j, choice := range f.choices[i] {
			key := ""
			if o := f.menus[i].options; j < len(o) {
				key = o[j].key
			}
			m.Choices = append(m.Choices, choiceStats{Key: key, Name: choice, Count: f.counts.choices[i][j]})
		}
		s.Menus = append(s.Menus, m)
	}
	return s
}
