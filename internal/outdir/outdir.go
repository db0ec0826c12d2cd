// Package outdir replaces the generated files of a directory all at once,
// so that a failure part way leaves the directory as it was.
package outdir

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// File is one file to write: a base name and its content.
type File struct {
	Name    string
	Content []byte
}

// Replace writes files into dir. Every file goes first into a temporary
// directory beside dir, and all are renamed into place only once all were
// written. A file whose content is already in dir is left untouched, so
// its modification time, and build caches keyed on it, survive a
// regeneration that changes nothing. Afterwards, each file already in dir that is not among files is
// passed to stale, and removed when stale says an earlier run generated it;
// other files are left alone.
func Replace(dir string, files []File, stale func(path string, entry fs.DirEntry) (bool, error)) error {
	parent := filepath.Dir(filepath.Clean(dir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("creating output directory: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, ".kzgen-")
	if err != nil {
		return fmt.Errorf("creating temporary directory: %w", err)
	}
	defer os.RemoveAll(tmp)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		// A new output directory: fill the temporary one and rename it
		// into place whole.
		return create(dir, tmp, files)
	}
	if err := checkNames(files); err != nil {
		return err
	}
	keep := map[string]bool{}
	for _, f := range files {
		keep[f.Name] = true
	}
	changed := make([]bool, len(files))
	if err := each(files, func(i int, f File) error {
		if old, err := os.ReadFile(filepath.Join(dir, f.Name)); err == nil && bytes.Equal(old, f.Content) {
			return nil
		}
		changed[i] = true
		if err := os.WriteFile(filepath.Join(tmp, f.Name), f.Content, 0o644); err != nil {
			return fmt.Errorf("writing %s: %w", f.Name, err)
		}
		return nil
	}); err != nil {
		return err
	}
	old, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("reading output directory: %w", err)
	}
	if err := each(files, func(i int, f File) error {
		if !changed[i] {
			return nil
		}
		if err := os.Rename(filepath.Join(tmp, f.Name), filepath.Join(dir, f.Name)); err != nil {
			return fmt.Errorf("moving %s into place: %w", f.Name, err)
		}
		return nil
	}); err != nil {
		return err
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

// create writes files into tmp and renames tmp to dir.
func create(dir, tmp string, files []File) error {
	if err := checkNames(files); err != nil {
		return err
	}
	if err := each(files, func(_ int, f File) error {
		if err := os.WriteFile(filepath.Join(tmp, f.Name), f.Content, 0o644); err != nil {
			return fmt.Errorf("writing %s: %w", f.Name, err)
		}
		return nil
	}); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("creating output directory: %w", err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return fmt.Errorf("moving the output directory into place: %w", err)
	}
	return nil
}

// checkNames refuses file names that are empty or hold a path separator.
func checkNames(files []File) error {
	for _, f := range files {
		if f.Name == "" || strings.ContainsAny(f.Name, `/\`) {
			return fmt.Errorf("bad output file name %q", f.Name)
		}
	}
	return nil
}

// each runs fn on every file with a few goroutines (file operations spend
// their time waiting on the kernel) and returns the errors joined.
func each(files []File, fn func(int, File) error) error {
	const workers = 8
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				errs[i] = fn(i, files[i])
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	return errors.Join(errs...)
}
