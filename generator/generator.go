// Package generator runs kzgen's pipeline: load the schemas (package load),
// build the language-neutral model (package model), emit Go (package
// golang), and write the files atomically.
package generator

import (
	"errors"
	"fmt"
	"go/token"
	"io/fs"

	"github.com/kzgen/kzgen/generator/golang"
	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/generator/model"
	"github.com/kzgen/kzgen/internal/outdir"
	"github.com/kzgen/kzgen/schemas"
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
func Generate(cfg Config) (*Result, error) { return generate(cfg, nil) }

// generate is Generate, handing each file to rendered as soon as it is
// ready (see golang.GenerateEach).
func generate(cfg Config, rendered func(golang.File)) (*Result, error) {
	if err := CheckPackageName(cfg.Go.Package); err != nil {
		return nil, err
	}
	set, err := load.Read(cfg.Schemas, load.Options{Match: cfg.Match, Name: cfg.Name})
	if err != nil {
		return nil, err
	}
	m, err := model.Build(set)
	if err != nil {
		return nil, err
	}
	opts := cfg.Go
	if opts.NodesFromSchemas == nil && (opts.NodesFrom == "" || opts.NodesFrom == golang.DefaultNodesFrom) {
		opts.NodesFromSchemas = defaultNodesFromSchemas
	}
	files, err := golang.GenerateEach(m, opts, rendered)
	if err != nil {
		return nil, renderError(err)
	}
	return &Result{Files: files, Model: m, Warnings: set.Warnings}, nil
}

// defaultNodesFromSchemas is the schema set golang.DefaultNodesFrom is
// generated from, with kzgen's default options: the embedded callflow
// schemas. A package that takes its trees from it aliases the types it
// shares with it (golang.Options.NodesFromSchemas).
func defaultNodesFromSchemas() (*model.Set, error) {
	set, err := load.Read(schemas.FS, load.Options{Match: schemas.CallflowMatch, Name: "kzgen's embedded schemas"})
	if err != nil {
		return nil, err
	}
	return model.Build(set)
}

// CheckPackageName reports whether name can be the package name of the
// generated files: a Go identifier, not a keyword nor "_".
func CheckPackageName(name string) error {
	switch {
	case token.IsKeyword(name):
		return fmt.Errorf("package name %q is a Go keyword", name)
	case name == "_":
		return errors.New(`package name "_" is the blank identifier`)
	case !token.IsIdentifier(name):
		return fmt.Errorf("package name %q is not a Go identifier", name)
	}
	return nil
}

// renderError keeps the first of the files' rendering errors (each names
// its file and, for Go that does not parse, the line: golang.SourceError)
// and counts the others.
func renderError(err error) error {
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok || len(joined.Unwrap()) < 2 {
		return err
	}
	errs := joined.Unwrap()
	return fmt.Errorf("%w (and %d more files)", errs[0], len(errs)-1)
}

// WriteDir replaces the generated files in dir with files as one update
// (see internal/outdir): a run that fails or is killed part way is undone
// or finished by the next one, and nothing is left beside dir. Files in dir
// that kzgen generated earlier (ending in ".kz.go") but no longer produces
// are removed, and so is the stamp of an earlier Run, which no longer
// describes the directory; other files are left alone.
func WriteDir(dir string, files []golang.File) error {
	out := make([]outdir.File, len(files))
	for i, f := range files {
		out[i] = outdir.File{Name: f.Name, Content: f.Content}
	}
	return outdir.Replace(dir, out, isGenerated)
}
