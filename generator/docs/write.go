package docs

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// WriteDir replaces the generated pages in dir with files. It writes every
// file into a temporary directory beside dir first and renames them into
// place only when all were written, so a failure leaves dir as it was.
// Markdown files in dir that an earlier run generated (they start with
// Header) but this one does not are removed, so a module that disappears
// loses its page; other files are left alone.
func WriteDir(dir string, files []File) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating output directory: %w", err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(filepath.Clean(dir)), ".kzgen-docs-")
	if err != nil {
		return fmt.Errorf("creating temporary directory: %w", err)
	}
	defer os.RemoveAll(tmp)
	keep := map[string]bool{}
	for _, f := range files {
		if f.Name == "" || strings.ContainsAny(f.Name, `/\`) {
			return fmt.Errorf("bad page name %q", f.Name)
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
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".md") || keep[e.Name()] {
			continue
		}
		path := filepath.Join(dir, e.Name())
		generated, err := isGenerated(path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if generated {
			if err := os.Remove(path); err != nil {
				errs = append(errs, fmt.Errorf("removing stale page: %w", err))
			}
		}
	}
	return errors.Join(errs...)
}

// isGenerated reports whether the file at path starts with Header.
func isGenerated(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, fmt.Errorf("checking %s: %w", filepath.Base(path), err)
	}
	defer f.Close()
	head := make([]byte, len(Header))
	n, _ := f.Read(head)
	return bytes.Equal(head[:n], []byte(Header)), nil
}
