package callflow_test

import (
	"slices"
	"testing"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/internal/conformance"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// TestDuplicateWarnings: ParseWith reports the keys written twice that
// kzgen validate warns about, for every case of the conformance suite.
func TestDuplicateWarnings(t *testing.T) {
	withWarnings := 0
	for _, c := range conformance.Cases() {
		var got []string
		_, err := callflow.ParseWith([]byte(c.Input), kzrt.DecodeOptions{OnDuplicate: func(d kzrt.Duplicate) {
			got = append(got, d.Pointer)
		}})
		if err != nil {
			continue // not a tree: Validate's verdict is the suite's concern
		}
		slices.Sort(got)
		want := slices.Sorted(slices.Values(c.Warnings))
		if !slices.Equal(got, want) {
			t.Errorf("%s: duplicates at %q, want %q", c.Name, got, want)
		}
		if len(want) > 0 {
			withWarnings++
		}
	}
	if withWarnings == 0 {
		t.Fatal("no conformance case has a duplicate key")
	}
}
