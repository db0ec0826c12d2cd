// Package outdir replaces the generated files of a directory all at once,
// so that a failure part way leaves the directory as it was.
package outdir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// File is one file to write: a base name and its content.
type File struct {
	Name    string
	Content []byte
}

// Replace writes files into dir. Every file goes first into a temporary
// directory beside dir, and all are renamed into place only once all were
// written. Afterwards, each file already in dir that is not among files is
// passed to stale, and removed when stale says an earlier run generated it;
// other files are left alone.
func Replace(dir string, files []File, stale func(path string, entry fs.DirEntry) (bool, error)) error {
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
		if f.Name == "" || strings.ContainsAny(f.Name, `/\`) {
			return fmt.Errorf("bad output file name %q", f.Name)
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
		if e.IsDir() || keep[e.Name()] {
			continue
		}
		path := filepath.Join(dir, e.Name())
		generated, err := stale(path, e)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if generated {
			if err := os.Remove(path); err != nil {
				errs = append(errs, fmt.Errorf("removing stale file: %w", err))
			}
		}
	}
	return errors.Join(errs...)
}
