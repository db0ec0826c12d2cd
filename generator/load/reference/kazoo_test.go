package reference_test

import (
	"os"
	"slices"
	"testing"

	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/generator/load/reference"
	"github.com/kzgen/kzgen/internal/kazootest"
	"github.com/kzgen/kzgen/schemas"
)

// TestKazooSchemas: every schema of Kazoo's set and of the embedded set
// passes both checks, and the two patterns of Kazoo's set that use
// lookaround are warned about.
func TestKazooSchemas(t *testing.T) {
	t.Run("embedded", func(t *testing.T) {
		set, err := load.Read(schemas.FS, load.Options{Name: "embedded"})
		if err != nil {
			t.Fatal(err)
		}
		if err := reference.Compile(set); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("kazoo", func(t *testing.T) {
		set, err := load.Read(os.DirFS(kazootest.SchemaDir(t)), load.Options{Name: "kazoo"})
		if err != nil {
			t.Fatal(err)
		}
		if err := reference.Compile(set); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, w := range set.Warnings {
			got = append(got, w.File+"#"+w.Pointer)
		}
		want := []string{
			`kazoo/system_configs.json#/patternProperties/(?!id\b)(?!default\b)^.+@.+$`,
			`kazoo/system_configs.json#/patternProperties/(?!id\b)(?!default\b)^[a-zA-Z0-9.]+$`,
		}
		if !slices.Equal(got, want) {
			t.Errorf("warnings at %q\nwant %q", got, want)
		}
	})
}
