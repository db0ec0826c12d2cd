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
	// 1: Validate requires a required property even when it has a default.
	"record-call-documented":              "requires action despite its default",
	"response-without-code":               "requires code despite its default",
	"branch-variable-without-variable":    "requires variable despite its default",
	"audio-macro-default-breaks-minitems": "does not check a filled-in default",
	// 2: keywords beside $ref are dropped, so every macro item matches several branches.
	"audio-macro-play-item":        "ignores the macro enum beside $ref",
	"audio-macro-every-kind":       "ignores the macro enum beside $ref",
	"audio-macro-tts-without-text": "ignores the macro enum beside $ref",
	"audio-macro-unknown-macro":    "ignores the macro enum beside $ref",
	// 3: integers are int64.
	"integer-big":               "an integer beyond int64 does not decode",
	"integer-big-below-minimum": "an integer beyond int64 does not decode",
	// 6: encoding/json keeps the last copy of a duplicate key.
	"duplicate-first-invalid": "reads the last copy",
	"duplicate-first-valid":   "reads the last copy",
	"duplicate-module":        "reads the last copy",
	// 7: a float where an integer is expected does not decode, so only its type is reported.
	"enum-integer-written-as-float": "reports the type only",
	// 10: Parse takes any JSON with "flow" as a document; Crossbar's rules are not applied.
	"pivot-answer-wrapped-in-flow":     "accepts a document as a Pivot answer",
	"callflow-without-numbers":         "does not require a number or pattern",
	"callflow-converts-integer-string": "no Crossbar conversion",
	"callflow-converts-float":          "no Crossbar conversion",
	"callflow-converts-boolean-string": "no Crossbar conversion",
	"callflow-conversion-then-bound":   "no Crossbar conversion",
}

// TestGeneratedCode runs the suite on the generated code: Parse, then
// Validate, with the case's client URL blacklist when it has one. Every
// problem must carry Kazoo's error code.
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
		tree, err := callflow.Parse([]byte(c.Input))
		if err != nil {
			return conformance.FromErrors(kzrt.AsErrors(err), nil)
		}
		return conformance.FromErrors(kzrt.AsErrors(kzrt.Validate(tree, opts...)), nil)
	}, conformance.KnownFailures(generatedKnownFailures))
}
