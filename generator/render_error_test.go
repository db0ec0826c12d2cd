package generator

import (
	"errors"
	"fmt"
	"testing"

	"github.com/kzgen/kzgen/generator/golang"
)

// TestRenderError: of several files that fail to render, the error names
// the first (its file, the position and the line's text) and counts the
// others; one failing file's error is kept as it is.
func TestRenderError(t *testing.T) {
	bad := func(name string) error {
		return fmt.Errorf("rendering %s: %w", name, &golang.SourceError{Line: 5, Column: 9, Msg: "expected type, found '-'", Text: "type Bad-Name struct{}"})
	}
	err := renderError(errors.Join(bad("a.kz.go"), bad("b.kz.go"), bad("c.kz.go")))
	want := `rendering a.kz.go: the generated Go does not parse: line 5:9: expected type, found '-', in "type Bad-Name struct{}" (and 2 more files)`
	if err.Error() != want {
		t.Errorf("error\n%s\nwant\n%s", err, want)
	}
	var se *golang.SourceError
	if !errors.As(err, &se) || se.Line != 5 {
		t.Errorf("errors.As(%v, *SourceError) = %v, %+v; want the first file's", err, se != nil, se)
	}

	one := bad("x.kz.go")
	if err := renderError(errors.Join(one)); err.Error() != one.Error() {
		t.Errorf("one file: %q, want %q", err, one)
	}
}
