package validate

import (
	"testing"

	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// TestEmailPatternIsKazoos: kzrt holds Kazoo's email check, already in Go's
// syntax; it must be what load.TranslatePattern makes of Kazoo's PCRE
// pattern.
func TestEmailPatternIsKazoos(t *testing.T) {
	p, err := load.TranslatePattern(`^[^@]+@[^@]+$`)
	if err != nil {
		t.Fatal(err)
	}
	if got := kzrt.EmailPattern.String(); got != p.Go {
		t.Errorf("kzrt.EmailPattern is %s, want the translation %s", got, p.Go)
	}
}
