package kzrt_test

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kzgen/kzgen/runtime/kzrt"
)

// TestNodeProblems: what a builder could not store is reported by
// Validate at its node, replaced by the next call at the same pointer, and
// never encoded.
func TestNodeProblems(t *testing.T) {
	n := say("hi")
	n.SetProblem("/data/timeout", nil)
	if n.Problems != nil {
		t.Fatalf("removing nothing: %v", n.Problems)
	}
	_, err := kzrt.DurationCount(1500*time.Millisecond, time.Second)
	n.SetProblem("/data/timeout", err)
	n.SetProblems("/data/endpoints", kzrt.Errors{{Pointer: "/0/delay", Message: "a"}, {Pointer: "/1/delay", Message: "b"}})
	menu := then(bye(), n)
	if got := pointers(menu.Validate()); !slices.Equal(got, []string{"/children/_/data/timeout", "/children/_/data/endpoints/0/delay", "/children/_/data/endpoints/1/delay"}) {
		t.Errorf("Validate: %v", got)
	}
	if data, err := json.Marshal(menu); err != nil || strings.Contains(string(data), "timeout") {
		t.Errorf("encoded: %s, %v", data, err)
	}
	n.SetProblems("/data/endpoints", nil)
	n.SetProblem("/data/timeout", nil)
	if n.Problems != nil || menu.Validate() != nil {
		t.Errorf("after the fixes: %v, %v", n.Problems, menu.Validate())
	}
	// A pointer that merely starts like another is left alone.
	n.SetProblem("/data/timeout_ms", err)
	n.SetProblem("/data/timeout", nil)
	if len(n.Problems) != 1 {
		t.Errorf("/data/timeout removed /data/timeout_ms: %v", n.Problems)
	}
}

func TestDurationCount(t *testing.T) {
	for _, c := range []struct {
		d, unit time.Duration
		want    int64
		err     string
	}{
		{5 * time.Second, time.Millisecond, 5000, ""},
		{5 * time.Second, time.Second, 5, ""},
		{0, time.Second, 0, ""},
		{1500 * time.Millisecond, time.Second, 0, "1.5s is not a whole number of seconds"},
		{time.Microsecond, time.Millisecond, 0, "1µs is not a whole number of milliseconds"},
		{-time.Second, time.Second, 0, "-1s is negative"},
	} {
		n, err := kzrt.DurationCount(c.d, c.unit)
		if n != c.want || (err == nil) != (c.err == "") || err != nil && !strings.Contains(err.Error(), c.err) {
			t.Errorf("DurationCount(%v, %v) = %d, %v; want %d, %q", c.d, c.unit, n, err, c.want, c.err)
		}
	}
}

func TestJSONStrings(t *testing.T) {
	got := kzrt.JSONStrings(map[string]string{"X-A": `a "b" <c>`})
	if string(got["X-A"]) != `"a \"b\" <c>"` {
		t.Errorf("got %s", got["X-A"])
	}
	if kzrt.JSONStrings(map[string]string(nil)) != nil {
		t.Error("nil map")
	}
}

// TestBranchRulesLint: the tree walk of Lint, pointers, raw children and
// conditions on the node's data; the messages are tested with kzgen's
// table in generator/kazoo.
func TestBranchRulesLint(t *testing.T) {
	digits := &kzrt.KeyFamily{Name: "digits", Pattern: regexp.MustCompile(`^[0-9]{1,2}$`), Noun: "digits"}
	codes := &kzrt.KeyFamily{Name: "code", Pattern: regexp.MustCompile(`^sip:[0-9]+$`), Numeric: true, Format: "sip:%d",
		Min: new(int64(300)), Max: new(int64(699)), Noun: "codes"}
	rules := kzrt.NewBranchRules(
		&kzrt.ModuleBranches{Module: "say", UsesDefault: true, Keys: []kzrt.BranchKey{
			{Family: digits},
			{Key: "loud", OnlyIf: []kzrt.BranchCondition{{Field: "text", In: []any{"HI"}}}},
		}},
		&kzrt.ModuleBranches{Module: "bye", Keys: []kzrt.BranchKey{{Family: codes}}, DefaultAbout: "The call ends."},
	)
	b := bye()
	b.SetChild("sip:486", say("x"))
	b.SetChild("sip:200", say("x"))
	b.SetChild("_", say("x"))
	b.RawChildren = map[string]json.RawMessage{"": json.RawMessage(`"raw"`)}
	root := say("hi")
	root.SetChild("1", b)
	root.SetChild("loud", bye())
	root.SetChild("x", bye())
	var got []string
	for _, w := range rules.Lint(root) {
		got = append(got, w.Pointer)
	}
	want := []string{"/children/loud", "/children/x", "/children/1/children/", "/children/1/children/_", "/children/1/children/sip:200"}
	if !slices.Equal(got, want) {
		t.Errorf("Lint: %q\nwant %q", got, want)
	}
	if !rules.Reachable("bye", "sip:699") || rules.Reachable("bye", "sip:700") || !rules.Reachable("other", "x") {
		t.Error("Reachable")
	}
	if ws := rules.Lint(nil); ws != nil {
		t.Errorf("nil tree: %v", ws)
	}
	if m, ok := rules.Module("say"); !ok || len(m.Keys) != 2 || !slices.Equal(rules.Modules(), []string{"bye", "say"}) {
		t.Error("Module, Modules")
	}
}
