// Package generator runs kzgen's pipeline: load the schemas (package load),
// build the language-neutral model (package model), emit Go (package
// golang), and write the files atomically.
package generator

import (
	"errors"
	"fmt"
	"go/token"
	"io/fs"
	"regexp"
	"strconv"
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
	files, err := golang.GenerateEach(m, cfg.Go, rendered)
	if err != nil {
		return nil, renderError(err)
	}
	return &Result{Files: files, Model: m, Warnings: set.Warnings}, nil
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

// formatFailure matches the first line of jennifer's error for source that
// go/format cannot parse; the whole source follows on the next lines.
var formatFailure = regexp.MustCompile(`^(.*)Error (\d+):(\d+): (.*) while formatting source:$`)

// renderError shortens the error of rendering the files, which carries the
// whole generated source of every file that failed: it keeps the first
// failing file, the position and text of the line where formatting
// stopped, and how many other files failed. Such an error is a bug in
// kzgen or an option it did not check.
func renderError(err error) error {
	errs := []error{err}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		errs = joined.Unwrap()
	}
	first, source, _ := strings.Cut(errs[0].Error(), "\n")
	msg := first
	if m := formatFailure.FindStringSubmatch(first); m != nil {
		msg = fmt.Sprintf("%sthe generated Go does not parse: line %s:%s: %s", m[1], m[2], m[3], m[4])
		lines := strings.Split(source, "\n")
		if n, _ := strconv.Atoi(m[2]); n >= 1 && n <= len(lines) {
			msg += fmt.Sprintf(", in %q", strings.TrimSpace(lines[n-1]))
		}
	} else if source != "" {
		msg += " […]"
	}
	if len(errs) > 1 {
		msg += fmt.Sprintf(" (and %d more files)", len(errs)-1)
	}
	return errors.New(msg)
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
