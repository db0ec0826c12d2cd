// Package generator runs kzgen's pipeline: load the schemas (package load),
// build the language-neutral model (package model), emit Go (package
// golang), and write the files atomically.
package generator

import (
	"io/fs"
	"strings"

	"github.com/kzgen/kzgen/generator/golang"
	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/generator/model"
	"github.com/kzgen/kzgen/internal/outdir"
)

// Config says what to generate.
type Config struct {
	// Schemas is the schema directory; Name labels it in error messages.
	Schemas fs.FS
	Name    string
	// Match selects schema ids by glob ("callflows.*"); empty for all.
	Match string
	// Go holds the package name and naming options.
	Go golang.Options
}

// Result is a generated package, not yet written.
type Result struct {
	Files    []golang.File
	Model    *model.Set
	Warnings []load.Warning
}

// Generate loads, models and emits.
//
// Compiling the schemas with the reference validator only checks them (the
// model is built from their JSON), so it runs beside modelling and
// emitting; a schema it rejects still fails the whole run.
func Generate(cfg Config) (*Result, error) {
	set, err := load.Read(cfg.Schemas, load.Options{Match: cfg.Match, Name: cfg.Name})
	if err != nil {
		return nil, err
	}
	compiled := make(chan error, 1)
	go func() { compiled <- set.Compile() }()
	m, err := model.Build(set)
	if err != nil {
		if cerr := <-compiled; cerr != nil {
			return nil, cerr // a schema error is the more useful report
		}
		return nil, err
	}
	files, err := golang.Generate(m, cfg.Go)
	if cerr := <-compiled; cerr != nil {
		return nil, cerr // a schema error is the more useful report
	}
	if err != nil {
		return nil, err
	}
	return &Result{Files: files, Model: m, Warnings: set.Warnings}, nil
}

// WriteDir replaces the generated files in dir with files as one update
// (see internal/outdir): a run that fails or is killed part way is undone
// or finished by the next one, and nothing is left beside dir. Files in dir
// that kzgen generated earlier (ending in ".kz.go") but no longer produces
// are removed; other files are left alone.
func WriteDir(dir string, files []golang.File) error {
	out := make([]outdir.File, len(files))
	for i, f := range files {
		out[i] = outdir.File{Name: f.Name, Content: f.Content}
	}
	return outdir.Replace(dir, out, func(_ string, e fs.DirEntry) (bool, error) {
		return strings.HasSuffix(e.Name(), ".kz.go"), nil
	})
}
