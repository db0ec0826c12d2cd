// Package conformance is the suite of cases that says how Kazoo validates
// callflow JSON, one or more per behaviour of the fact sheet
// ("What Kazoo's validator stack actually does", numbered 1 to 10), each
// with both verdicts. Every validator kzgen has runs it: the schema-driven
// validator, the generated Validate, the Pivot handler, the CLI.
//
// A case keeps its input as JSON text, so that duplicate keys and big
// integers survive, with the mode (a Pivot answer or a stored callflow
// document), the verdict, and the problems as JSON pointer plus Kazoo's
// error code. A consumer's test is a few lines:
//
//	conformance.Run(t, func(c conformance.Case) conformance.Verdict {
//		res := v.Validate([]byte(c.Input), mode(c.Mode))
//		return conformance.FromErrors(res.Problems, warnings(res))
//	}, conformance.KnownFailures(map[string]string{"integer-big": "int64"}))
//
// Which cases a consumer is known to fail belongs in that consumer's test,
// never in the cases.
package conformance

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/runtime/kzrt"
)

//go:embed cases.json
var casesJSON []byte

// The modes of a case.
const (
	// ModePivot is a Pivot answer: one bare node against
	// callflows.action.
	ModePivot = "pivot"
	// ModeCallflow is a callflow document as Crossbar stores it.
	ModeCallflow = "callflow"
)

// Case is one input and Kazoo's verdict on it.
type Case struct {
	// Name identifies the case ("answer-without-data").
	Name string `json:"name"`
	// Behaviour is the fact sheet's number of the behaviour the case
	// shows, 1 to 10.
	Behaviour int `json:"behaviour"`
	// Mode is ModePivot or ModeCallflow.
	Mode string `json:"mode"`
	// Input is the JSON text, exactly as sent.
	Input string `json:"input"`
	// Valid is the verdict.
	Valid bool `json:"valid"`
	// Problems lists every problem of an invalid input.
	Problems []Problem `json:"problems,omitempty"`
	// Warnings lists the JSON pointers of keys written twice.
	Warnings []string `json:"warnings,omitempty"`
	// URLBlacklist extends Kazoo's default client blacklist for this case
	// (host names, IP addresses or CIDR networks).
	URLBlacklist []string `json:"url_blacklist,omitempty"`
	// Draft04Agrees is true when a plain draft-04 validator, applied the
	// way Kazoo applies its schemas (each node against callflows.action,
	// its data against callflows.<module>), reaches the same verdict, and
	// false when this case shows where the two differ.
	Draft04Agrees bool `json:"draft04_agrees"`
	// KzgenDiffers, when set, says why kzgen's verdict deliberately
	// differs from Kazoo's schema check (a flow Kazoo accepts but cannot
	// run); Valid is then kzgen's verdict.
	KzgenDiffers string `json:"kzgen_differs,omitempty"`
	// Reason says in one line why the verdict is what it is.
	Reason string `json:"reason"`
}

// Problem is one expected problem: where, and Kazoo's error code.
type Problem struct {
	Pointer string `json:"pointer"`
	Code    string `json:"code"`
}

// String renders the problem as "/data/text [minLength]".
func (p Problem) String() string { return p.Pointer + " [" + p.Code + "]" }

// Cases returns every case, in the order of the fact sheet's behaviours.
// The cases are embedded; TestCases guarantees they parse.
func Cases() []Case {
	var cases []Case
	if err := json.Unmarshal(casesJSON, &cases); err != nil {
		panic(fmt.Sprintf("conformance: embedded cases.json: %v", err))
	}
	return cases
}

// Verdict is what a validator under test says about a case.
type Verdict struct {
	// Valid is the validator's verdict.
	Valid bool
	// Problems are the problems it reports. With CheckProblems (the
	// default), they must equal the case's, as sets of pointer and code.
	Problems []Problem
	// Warnings are the pointers of the duplicate keys it warns about;
	// checked with CheckProblems too.
	Warnings []string
}

// FromErrors makes a Verdict from a validator's problems (valid when
// there are none) and the pointers of its duplicate-key warnings.
func FromErrors(problems kzrt.Errors, warnings []string) Verdict {
	v := Verdict{Valid: len(problems) == 0, Warnings: warnings}
	for _, p := range problems {
		v.Problems = append(v.Problems, Problem{Pointer: p.Pointer, Code: p.Code})
	}
	return v
}

// Option adjusts Run.
type Option func(*options)

type options struct {
	known       map[string]string
	verdictOnly bool
	skip        func(Case) string
}

// KnownFailures names the cases the validator under test is known to get
// wrong today, each with the reason. They are run and reported, but do not
// fail the test; one that starts passing fails it, so that the list only
// ever shrinks.
func KnownFailures(known map[string]string) Option {
	return func(o *options) { o.known = known }
}

// VerdictOnly compares verdicts only, for validators that do not report
// Kazoo's error codes yet.
func VerdictOnly() Option {
	return func(o *options) { o.verdictOnly = true }
}

// Skip leaves out the cases for which skip returns a reason (a consumer
// that cannot be given a URL blacklist, say).
func Skip(skip func(Case) string) Option {
	return func(o *options) { o.skip = skip }
}

// Run runs every case as a subtest of t, asking validate for its verdict.
func Run(t *testing.T, validate func(Case) Verdict, opts ...Option) {
	t.Helper()
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	cases := Cases()
	for name := range o.known {
		if !slices.ContainsFunc(cases, func(c Case) bool { return c.Name == name }) {
			t.Errorf("known failure %q: no such case", name)
		}
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			if o.skip != nil {
				if why := o.skip(c); why != "" {
					t.Skip(why)
				}
			}
			diff := Compare(c, validate(c), !o.verdictOnly)
			why, known := o.known[c.Name]
			switch {
			case diff == "" && known:
				t.Errorf("passes now, though listed as a known failure (%s): remove it from the list", why)
			case diff != "" && known:
				t.Logf("known failure (%s): %s", why, diff)
			case diff != "":
				t.Errorf("behaviour %d, %s\ninput: %s\n%s", c.Behaviour, c.Reason, c.Input, diff)
			}
		})
	}
}

// Compare says how got differs from the case's expectations, "" when it
// does not; problems and warnings are compared only when withProblems.
func Compare(c Case, got Verdict, withProblems bool) string {
	var diffs []string
	if got.Valid != c.Valid {
		diffs = append(diffs, fmt.Sprintf("verdict: valid=%v, want valid=%v", got.Valid, c.Valid))
	}
	if withProblems {
		if g, w := problemSet(got.Problems), problemSet(c.Problems); !slices.Equal(g, w) {
			diffs = append(diffs, fmt.Sprintf("problems: %s, want %s", show(g), show(w)))
		}
		if g, w := sorted(got.Warnings), sorted(c.Warnings); !slices.Equal(g, w) {
			diffs = append(diffs, fmt.Sprintf("duplicate-key warnings at %s, want %s", show(g), show(w)))
		}
	}
	return strings.Join(diffs, "; ")
}

func problemSet(ps []Problem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return sorted(out)
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return slices.Compact(out)
}

func show(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	quoted := make([]string, len(s))
	for i, x := range s {
		quoted[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(quoted, ", ")
}
