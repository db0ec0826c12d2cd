package conformance_test

import (
	"strings"
	"testing"

	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/generator/load/reference"
	"github.com/kzgen/kzgen/internal/conformance"
	"github.com/kzgen/kzgen/internal/kazootest"
	"github.com/kzgen/kzgen/schemas"
)

// TestDraft04SecondOpinion runs a plain draft-04 validator
// (santhosh-tekuri/jsonschema, applied node by node as Kazoo applies its
// schemas) on every case: where a case says draft-04 agrees with Kazoo, it
// must reach the same verdict, a second opinion on the suite; where it says
// they differ, it must reach the other verdict, so that each such case
// really shows one of the fact sheet's differences.
func TestDraft04SecondOpinion(t *testing.T) {
	set, err := reference.Load(schemas.FS, load.Options{Name: "schemas"})
	if err != nil {
		t.Fatal(err)
	}
	agree, differ := 0, 0
	for _, c := range conformance.Cases() {
		problems := kazootest.Draft04Tree(set, []byte(c.Input), c.Mode)
		draftValid := len(problems) == 0
		if c.Draft04Agrees {
			agree++
		} else {
			differ++
		}
		if (draftValid == c.Valid) != c.Draft04Agrees {
			t.Errorf("%s: draft-04 says valid=%v, the case says valid=%v and draft04_agrees=%v\n  input: %s\n  draft-04: %s",
				c.Name, draftValid, c.Valid, c.Draft04Agrees, c.Input, strings.Join(problems, "; "))
		}
	}
	t.Logf("%d cases where draft-04 agrees with Kazoo, %d where it differs", agree, differ)
}
