package conformance_test

import (
	"testing"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/internal/conformance"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// generatedKnownFailures are the cases the generated code (callflow.Parse
// and Validate) gets wrong today, each with the reason; a later change
// teaches it Kazoo's semantics and empties this list.
var generatedKnownFailures = map[string]string{
	// 3: integers are int64.
	"integer-big":               "an integer beyond int64 does not decode",
	"integer-big-below-minimum": "an integer beyond int64 does not decode",
	// 6: encoding/json keeps the last copy of a duplicate key.
	"duplicate-first-invalid": "reads the last copy",
	"duplicate-first-valid":   "reads the last copy",
	"duplicate-module":        "reads the last copy",
	// 7: a float where an integer is expected does not decode, so only its type is reported.
	"enum-integer-written-as-float": "reports the type only",
}

// TestGeneratedCode runs the suite on the generated code: ParseAnswer for
// a Pivot answer, Parse for a stored callflow, then Validate, with the
// case's client URL blacklist when it has one. Every problem must carry
// Kazoo's error code.
func TestGeneratedCode(t *testing.T) {
	conformance.Run(t, func(c conformance.Case) conformance.Verdict {
		var opts []kzrt.Option
		if len(c.URLBlacklist) > 0 {
			b, err := kzrt.DefaultBlacklist().With(c.URLBlacklist...)
			if err != nil {
				t.Fatal(err)
			}
			opts = append(opts, kzrt.WithURLBlacklist(b))
		}
		var tree kzrt.Tree
		var err error
		if c.Mode == conformance.ModePivot {
			tree, err = callflow.ParseAnswer([]byte(c.Input))
		} else {
			tree, err = callflow.Parse([]byte(c.Input))
		}
		if err != nil {
			return conformance.FromErrors(kzrt.AsErrors(err), nil)
		}
		return conformance.FromErrors(kzrt.AsErrors(kzrt.Validate(tree, opts...)), nil)
	}, conformance.KnownFailures(generatedKnownFailures))
}
