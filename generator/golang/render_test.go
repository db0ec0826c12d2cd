package golang

import (
	"bytes"
	"testing"

	"github.com/dave/jennifer/jen"
	"golang.org/x/tools/imports"
)

// TestRenderGroupsImportsAsGoimports: render groups a file's imports as
// goimports does, for every kind of path goimports tells apart: the
// standard library, paths with a dot in their first element, and
// "appengine" ones, named or not.
func TestRenderGroupsImportsAsGoimports(t *testing.T) {
	for _, paths := range [][]string{
		{"strings"},
		{"github.com/kzgen/kzgen/runtime/kzrt"},
		{"encoding/json", "github.com/kzgen/kzgen/runtime/kzrt", "maps", "time"},
		{"appengine/datastore", "example.com/a", "zz/b", "appengine.example.com/x", "bytes", "localpkg"},
	} {
		f := jen.NewFile("p")
		f.HeaderComment(Header)
		for i, p := range paths {
			if i%2 == 1 {
				f.ImportAlias(p, "alias"+string(rune('a'+i)))
			}
			f.Var().Id("_").Op("=").Qual(p, "X")
		}
		got, err := render(f)
		if err != nil {
			t.Fatal(err)
		}
		want, err := imports.Process("p.go", got, &imports.Options{Comments: true, TabIndent: true, TabWidth: 8, FormatOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("imports %q: render gives\n%s\ngoimports\n%s", paths, got, want)
		}
	}
}
