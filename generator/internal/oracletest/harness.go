package oracletest

import (
	"bytes"
	"go/format"
	"text/template"

	"github.com/kzgen/kzgen/generator/golang"
)

// Root is one schema's entry in the harness registry.
type Root struct {
	ID, Type string
}

// Harness renders the harness main package from its template (the text of
// testdata/oracle/harness.go.tmpl): a registry mapping every file's schema
// id to a checker of its root type, imported from importPath.
func Harness(tmpl string, importPath string, files []golang.File) ([]byte, error) {
	t, err := template.New("harness").Parse(tmpl)
	if err != nil {
		return nil, err
	}
	data := struct {
		Import string
		Roots  []Root
	}{Import: importPath}
	for _, f := range files {
		if f.SchemaID == "" {
			continue // not a schema's file
		}
		data.Roots = append(data.Roots, Root{ID: f.SchemaID, Type: f.RootType})
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return nil, err
	}
	return format.Source(b.Bytes())
}
