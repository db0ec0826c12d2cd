package validate_test

import (
	"testing"

	"github.com/kzgen/kzgen/generator/validate"
	"github.com/kzgen/kzgen/internal/conformance"
)

// TestConformance runs the whole suite, problems and codes included.
func TestConformance(t *testing.T) {
	def, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	conformance.Run(t, func(c conformance.Case) conformance.Verdict {
		v := def
		if len(c.URLBlacklist) > 0 {
			b, err := validate.DefaultBlacklist().With(c.URLBlacklist...)
			if err != nil {
				t.Fatal(err)
			}
			if v, err = validate.New(validate.WithBlacklist(b)); err != nil {
				t.Fatal(err)
			}
		}
		mode, err := validate.ParseMode(c.Mode)
		if err != nil {
			t.Fatal(err)
		}
		res := v.Validate([]byte(c.Input), mode)
		if res.Mode != mode {
			t.Errorf("validated as %v, asked for %v", res.Mode, mode)
		}
		return conformance.FromErrors(res.Problems, duplicateKeys(res))
	})
}

// duplicateKeys lists the pointers of a result's duplicate-key warnings.
func duplicateKeys(res *validate.Result) []string {
	var out []string
	for _, w := range res.Warnings {
		if w.Kind == validate.DuplicateKey {
			out = append(out, w.Pointer)
		}
	}
	return out
}
