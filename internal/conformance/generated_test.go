package conformance_test

import (
	"testing"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/internal/conformance"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// generatedKnownFailures are the cases the generated code (callflow.Parse
// and Validate) gets wrong, each with the reason: none. A case that starts
// failing must be fixed, not listed.
var generatedKnownFailures = map[string]string{}

// TestGeneratedCode runs the suite on the generated code: a Pivot answer
// read as ParseAnswer reads it, a stored callflow as Parse reads it (with
// the duplicate keys each finds), then Validate, with the case's client
// URL blacklist when it has one. Every problem must carry Kazoo's error
// code, and every duplicate key its warning.
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
		// Duplicate keys are warned about, as kzgen validate does.
		var warnings []string
		decode := kzrt.DecodeOptions{OnDuplicate: func(d kzrt.Duplicate) { warnings = append(warnings, d.Pointer) }}
		var tree kzrt.Tree
		var err error
		if c.Mode == conformance.ModePivot {
			tree, err = callflow.Modules().ParseNodeWith([]byte(c.Input), decode)
		} else {
			tree, err = callflow.ParseWith([]byte(c.Input), decode)
		}
		if err != nil {
			return conformance.FromErrors(kzrt.AsErrors(err), warnings)
		}
		return conformance.FromErrors(kzrt.AsErrors(kzrt.Validate(tree, opts...)), warnings)
	}, conformance.KnownFailures(generatedKnownFailures))
}
