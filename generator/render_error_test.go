package generator

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/dave/jennifer/jen"
)

// TestRenderError: when generated source does not format, the error names
// the file, the position and the line's text, never the whole source.
func TestRenderError(t *testing.T) {
	render := func(name string) error {
		f := jen.NewFile("p")
		f.Type().Id("Fine").Struct()
		f.Type().Id("Bad-Name").Struct()
		for range 200 {
			f.Comment("padding to make the source long")
		}
		if err := f.Render(io.Discard); err != nil {
			return fmt.Errorf("rendering %s: %w", name, err)
		}
		return nil
	}
	err := renderError(errors.Join(render("a.kz.go"), render("b.kz.go"), render("c.kz.go")))
	want := `rendering a.kz.go: the generated Go does not parse: line 5:9: expected type, found '-', in "type Bad-Name struct{}" (and 2 more files)`
	if err.Error() != want {
		t.Errorf("error\n%s\nwant\n%s", err, want)
	}

	// An error of another shape keeps its first line only.
	err = renderError(fmt.Errorf("rendering x.kz.go: odd\n%s", strings.Repeat("source\n", 100)))
	if want := "rendering x.kz.go: odd […]"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
}
