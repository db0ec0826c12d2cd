package conformance_test

import (
	"encoding/json"
	"testing"

	"github.com/kzgen/kzgen/internal/conformance"
)

// TestCases checks the suite itself: every behaviour of the fact sheet has
// cases with both verdicts, invalid cases name their problems and valid
// ones none, names are unique, and each input is one JSON value.
func TestCases(t *testing.T) {
	cases := conformance.Cases()
	names := map[string]bool{}
	verdicts := map[int]map[bool]int{}
	for _, c := range cases {
		if names[c.Name] {
			t.Errorf("%s: name used twice", c.Name)
		}
		names[c.Name] = true
		if c.Behaviour < 1 || c.Behaviour > 10 {
			t.Errorf("%s: behaviour %d, want 1 to 10", c.Name, c.Behaviour)
		}
		if c.Mode != conformance.ModePivot && c.Mode != conformance.ModeCallflow {
			t.Errorf("%s: mode %q", c.Name, c.Mode)
		}
		if c.Valid != (len(c.Problems) == 0) {
			t.Errorf("%s: valid=%v with %d problems", c.Name, c.Valid, len(c.Problems))
		}
		if c.Reason == "" {
			t.Errorf("%s: no reason", c.Name)
		}
		if !json.Valid([]byte(c.Input)) {
			t.Errorf("%s: input is not JSON: %s", c.Name, c.Input)
		}
		if verdicts[c.Behaviour] == nil {
			verdicts[c.Behaviour] = map[bool]int{}
		}
		verdicts[c.Behaviour][c.Valid]++
	}
	for b := 1; b <= 10; b++ {
		if verdicts[b][true] == 0 || verdicts[b][false] == 0 {
			t.Errorf("behaviour %d: %d valid and %d invalid cases, want both", b, verdicts[b][true], verdicts[b][false])
		}
	}
	t.Logf("%d cases", len(cases))
}

func TestCompare(t *testing.T) {
	c := conformance.Case{Valid: false, Problems: []conformance.Problem{{Pointer: "/a", Code: "type"}}, Warnings: []string{"/b"}}
	if d := conformance.Compare(c, conformance.Verdict{Problems: []conformance.Problem{{Pointer: "/a", Code: "type"}}, Warnings: []string{"/b"}}, true); d != "" {
		t.Errorf("equal verdicts differ: %s", d)
	}
	if d := conformance.Compare(c, conformance.Verdict{Valid: true}, false); d == "" {
		t.Error("a wrong verdict must differ")
	}
	if d := conformance.Compare(c, conformance.Verdict{Problems: []conformance.Problem{{Pointer: "/a", Code: "enum"}}}, true); d == "" {
		t.Error("a wrong code must differ")
	}
	if d := conformance.Compare(c, conformance.Verdict{Problems: []conformance.Problem{{Pointer: "/a", Code: "enum"}}}, false); d != "" {
		t.Errorf("verdict only: %s", d)
	}
}
