package golang

import (
	"bytes"
	"errors"
	"strings"
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

// TestRenderSourceError: a file go/format cannot parse is a SourceError
// naming the failing position and its line's text, not the whole source.
func TestRenderSourceError(t *testing.T) {
	f := jen.NewFile("p")
	f.Type().Id("Fine").Struct()
	f.Type().Id("Bad-Name").Struct()
	for range 200 {
		f.Comment("padding to make the source long")
	}
	_, err := render(f)
	var se *SourceError
	if !errors.As(err, &se) {
		t.Fatalf("render: %v, want a *SourceError", err)
	}
	if se.Text != "type Bad-Name struct{}" || se.Line < 1 || se.Column != 9 || !strings.Contains(se.Msg, "expected type") {
		t.Errorf("SourceError %+v, want line 'type Bad-Name struct{}', column 9, 'expected type'", se)
	}
	if len(err.Error()) > 200 {
		t.Errorf("error carries the source: %d bytes", len(err.Error()))
	}
}
