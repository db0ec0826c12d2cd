// Package generator runs kzgen's pipeline: load the schemas (package load),
// build the language-neutral model (package model), emit Go (package
// golang), and write the files atomically.
package generator

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/kzgen/kzgen/generator/golang"
	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/generator/model"
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
func Generate(cfg Config) (*Result, error) {
	set, err := load.Load(cfg.Schemas, load.Options{Match: cfg.Match, Name: cfg.Name})
	if err != nil {
		return nil, err
	}
	m, err := model.Build(set)
	if err != nil {
		return nil, err
	}
	files, err := golang.Generate(m, cfg.Go)
	if err != nil {
		return nil, err
	}
	return &Result{Files: files, Model: m, Warnings: set.Warnings}, nil
}

// WriteDir replaces the generated files in dir with files. It writes into a
// temporary directory beside dir and renames each file into place only when
// all were written, so a failure leaves dir as it was. Files in dir that
// kzgen generated earlier (ending in ".kz.go") but no longer produces are
// removed; other files are left alone.
func WriteDir(dir string, files []golang.File) (err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating output directory: %w", err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(filepath.Clean(dir)), ".kzgen-")
	if err != nil {
		return fmt.Errorf("creating temporary directory: %w", err)
	}
	defer os.RemoveAll(tmp)
	keep := map[string]bool{}
	for _, f := range files {
		if strings.ContainsAny(f.Name, `/\`) {
			return fmt.Errorf("bad generated file name %q", f.Name)
		}
		if err := os.WriteFile(filepath.Join(tmp, f.Name), f.Content, 0o644); err != nil {
			return fmt.Errorf("writing %s: %w", f.Name, err)
		}
		keep[f.Name] = true
	}
	old, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("reading output directory: %w", err)
	}
	for _, f := range files {
		if err := os.Rename(filepath.Join(tmp, f.Name), filepath.Join(dir, f.Name)); err != nil {
			return fmt.Errorf("moving %s into place: %w", f.Name, err)
		}
	}
	var errs []error
	for _, e := range old {
		if strings.HasSuffix(e.Name(), ".kz.go") && !keep[e.Name()] {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}
