// Package outdir updates the generated files of a directory so that no
// run, even one killed part way, leaves it half-updated for good: the next
// run finishes or undoes what a killed one started.
//
// An update is recorded in DIR/.kzgen-update, inside the output directory
// so that every rename stays on one filesystem even when DIR is a mount
// point. It goes through three states:
//
//   - clean: there is no .kzgen-update. DIR holds whole generations only.
//   - staging: .kzgen-update/files/ receives the new content of every file
//     that changes; DIR itself is untouched. A run killed here is undone:
//     the next Open deletes .kzgen-update.
//   - committed: .kzgen-update/commit exists. It is written in full under
//     another name and renamed, so it exists whole or not at all, and it
//     lists the staged files and the stale files to delete. The run then
//     renames each staged file into DIR, deletes the stale ones and deletes
//     .kzgen-update. A run killed here is finished by the next Open, which
//     does the same (a staged file no longer there was already moved).
//
// A commit file that cannot be read (it can only be damaged from outside)
// is treated like staging: the update is dropped and the next generation
// rewrites whatever differs. Nothing is synced to disk: the states protect
// against a killed process, not against power loss, and generated files
// can always be generated again.
//
// One run updates a directory at a time: Open takes an advisory lock
// (flock) on DIR, so a second run fails at once with ErrBusy instead of
// undoing the first one's update. The kernel releases the lock when its
// holder dies, so a killed run never leaves DIR locked. Where flock is not
// available (some network filesystems, Windows), runs are not serialized.
package outdir

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// UpdateDir, inside the output directory, holds an update in progress.
// Its leading dot keeps the go command away from it.
const UpdateDir = ".kzgen-update"

// ErrBusy reports that another process is updating the directory.
var ErrBusy = errors.New("another kzgen run is updating this directory")

// File is one file to write: a base name and its content.
type File struct {
	Name    string
	Content []byte
}

// Dir is an output directory held for one update. Open it, Replace its
// files, Close it.
type Dir struct {
	path   string
	unlock func() error // nil while the directory does not exist
}

// Open takes the update lock on dir and finishes or undoes an update a
// killed run left there, so that dir is clean. A missing dir is fine: it
// is created by Replace, so a run that fails before writing leaves
// nothing behind.
func Open(dir string) (*Dir, error) {
	d := &Dir{path: dir}
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return d, nil
	case err != nil:
		return nil, fmt.Errorf("output directory: %w", err)
	case !info.IsDir():
		return nil, fmt.Errorf("output directory %s: not a directory", dir)
	}
	if err := d.lock(); err != nil {
		return nil, err
	}
	if err := d.recover(); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// Close releases the update lock.
func (d *Dir) Close() error {
	if d.unlock == nil {
		return nil
	}
	err := d.unlock()
	d.unlock = nil
	return err
}

func (d *Dir) lock() error {
	unlock, err := lockDir(d.path)
	if err != nil {
		return fmt.Errorf("output directory %s: %w", d.path, err)
	}
	d.unlock = unlock
	return nil
}

// Replace writes files into the directory, creating it if needed, through
// the states of the package documentation, so that an interrupted update
// is finished or undone by the next Open. A file whose content is already
// in place is left untouched, so its modification time, and build caches
// keyed on it, survive a regeneration that changes nothing. Each other
// file already in the directory is passed to stale, and deleted when stale
// says an earlier run generated it; subdirectories and other files are
// left alone.
func (d *Dir) Replace(files []File, stale func(path string, entry fs.DirEntry) (bool, error)) error {
	if err := checkNames(files); err != nil {
		return err
	}
	created := d.unlock == nil
	if created {
		if err := os.MkdirAll(d.path, 0o755); err != nil {
			return fmt.Errorf("creating output directory: %w", err)
		}
		if err := d.lock(); err != nil {
			return err
		}
	}
	changed := make([]bool, len(files))
	if err := each(files, func(i int, f File) error {
		if created {
			changed[i] = true // nothing to compare with
			return nil
		}
		old, err := os.ReadFile(filepath.Join(d.path, f.Name))
		changed[i] = err != nil || !bytes.Equal(old, f.Content)
		return nil
	}); err != nil {
		return err
	}
	var c commit
	for i, f := range files {
		if changed[i] {
			c.Put = append(c.Put, f.Name)
		}
	}
	remove, err := d.stale(files, stale)
	if err != nil {
		return err
	}
	c.Remove = remove
	if len(c.Put) == 0 && len(c.Remove) == 0 {
		return nil
	}
	if err := d.stage(files, changed); err != nil {
		os.RemoveAll(d.update())
		return err
	}
	if err := d.commit(c); err != nil {
		os.RemoveAll(d.update())
		return err
	}
	return d.apply(c)
}

// Replace opens dir, replaces its files and closes it (see Dir.Replace).
func Replace(dir string, files []File, stale func(path string, entry fs.DirEntry) (bool, error)) error {
	d, err := Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Replace(files, stale)
}

// commit is the content of the commit file: what the update does to the
// output directory once its files are staged.
type commit struct {
	Put    []string `json:"put"`    // staged files to move into place
	Remove []string `json:"remove"` // stale files to delete
}

func (d *Dir) update() string { return filepath.Join(d.path, UpdateDir) }
func (d *Dir) staged() string { return filepath.Join(d.path, UpdateDir, "files") }

// stale lists the files in the directory that files does not hold and that
// stale says an earlier run generated.
func (d *Dir) stale(files []File, isStale func(string, fs.DirEntry) (bool, error)) ([]string, error) {
	entries, err := os.ReadDir(d.path)
	if err != nil {
		return nil, fmt.Errorf("reading output directory: %w", err)
	}
	keep := make(map[string]bool, len(files))
	for _, f := range files {
		keep[f.Name] = true
	}
	var remove []string
	var errs []error
	for _, e := range entries {
		if e.IsDir() || keep[e.Name()] {
			continue
		}
		generated, err := isStale(filepath.Join(d.path, e.Name()), e)
		if err != nil {
			errs = append(errs, err)
		} else if generated {
			remove = append(remove, e.Name())
		}
	}
	return remove, summarize(errs)
}

// stage writes the changed files into the staging directory, one after
// the other: creating a file takes its directory's lock, so writers in
// parallel would only wait on each other, and the kernel spins while they
// wait (see BENCHMARKS.md).
func (d *Dir) stage(files []File, changed []bool) error {
	if err := os.MkdirAll(d.staged(), 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", UpdateDir, err)
	}
	errs := make([]error, len(files))
	for i, f := range files {
		if changed[i] {
			if err := os.WriteFile(filepath.Join(d.staged(), f.Name), f.Content, 0o644); err != nil {
				errs[i] = fmt.Errorf("writing %s: %w", f.Name, err)
			}
		}
	}
	return summarize(errs)
}

// commit writes the commit file, the point after which the update is
// finished rather than undone.
func (d *Dir) commit(c commit) error {
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	tmp := filepath.Join(d.update(), "commit.tmp")
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("writing the commit file: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(d.update(), "commit")); err != nil {
		return fmt.Errorf("writing the commit file: %w", err)
	}
	return nil
}

// apply carries out a committed update and deletes the update directory.
// Each step can be repeated, so a killed apply is finished by the next.
func (d *Dir) apply(c commit) error {
	var errs []error
	for _, name := range c.Put {
		err := os.Rename(filepath.Join(d.staged(), name), filepath.Join(d.path, name))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("moving %s into place: %w", name, err))
		}
	}
	for _, name := range c.Remove {
		if err := os.Remove(filepath.Join(d.path, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("removing stale file: %w", err))
		}
	}
	if len(errs) > 0 {
		// Keep the update so that the next run finishes it.
		return summarize(errs)
	}
	if err := os.RemoveAll(d.update()); err != nil {
		return fmt.Errorf("removing %s: %w", UpdateDir, err)
	}
	return nil
}

// recover brings the directory back to the clean state: a committed update
// is finished, any other is undone.
func (d *Dir) recover() error {
	data, err := os.ReadFile(filepath.Join(d.update(), "commit"))
	var c commit
	if err == nil && json.Unmarshal(data, &c) == nil && checkNames(names(c)) == nil {
		return d.apply(c)
	}
	if err := os.RemoveAll(d.update()); err != nil {
		return fmt.Errorf("removing an interrupted update: %w", err)
	}
	return nil
}

// names turns the names of a commit into Files for checkNames.
func names(c commit) []File {
	var files []File
	for _, n := range append(append([]string(nil), c.Put...), c.Remove...) {
		files = append(files, File{Name: n})
	}
	return files
}

// checkNames refuses file names that are empty, hold a path separator,
// name no file of their own ("." and "..") or the update directory.
func checkNames(files []File) error {
	for _, f := range files {
		if f.Name == "" || f.Name == "." || f.Name == ".." || f.Name == UpdateDir || strings.ContainsAny(f.Name, `/\`) {
			return fmt.Errorf("bad output file name %q", f.Name)
		}
	}
	return nil
}

// each runs fn on every file with a few goroutines (reading files spends
// its time waiting on the kernel) and returns the errors summarized.
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
	return summarize(errs)
}

// summarize returns the first non-nil error of errs, with the number of
// others: when one file cannot be written, usually none can, and one line
// says it.
func summarize(errs []error) error {
	var first error
	others := 0
	for _, err := range errs {
		switch {
		case err == nil:
		case first == nil:
			first = err
		default:
			others++
		}
	}
	if others > 0 {
		return fmt.Errorf("%w (and %d more like it)", first, others)
	}
	return first
}
