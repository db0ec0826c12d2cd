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
	"slices"
	"strings"

	"github.com/kzgen/kzgen/internal/dirlock"
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

// Dir is an output directory held for one update. Open it, then Replace
// its files (or stage them as they come with Update, Put and Commit), and
// Close it.
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
	unlock, err := dirlock.TryLock(d.path)
	if errors.Is(err, dirlock.ErrHeld) {
		err = ErrBusy
	}
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
	u := d.Update()
	for _, f := range files {
		u.Put(f)
	}
	return u.Commit(stale)
}

// Update is a Replace given its files one at a time, so that they can be
// compared and staged while the caller still makes the next ones: Put
// hands a file to a goroutine that stages it if it changed, Commit waits
// for that goroutine and carries out the update, Abort drops it.
type Update struct {
	d *Dir
	// created says the directory did not exist: the update creates it
	// with the first file, and Abort removes it again.
	created bool
	queue   chan File
	done    chan struct{}
	// Written by the staging goroutine, read once done is closed.
	opened, stagedDir bool
	names, put        []string
	errs              []error
}

// Update starts an update of d (see Replace). Put every file of the new
// generation, then Commit, or Abort if the generation failed. A directory
// that does not exist is created with the first file, so an update
// aborted before it leaves nothing behind.
func (d *Dir) Update() *Update {
	u := &Update{d: d, created: d.unlock == nil, queue: make(chan File, 16), done: make(chan struct{})}
	go u.stage()
	return u
}

// Put adds f to the update; the file is compared and staged on the
// update's own goroutine. Put may be called from several goroutines.
func (u *Update) Put(f File) { u.queue <- f }

// open creates and locks the directory when the update creates it.
func (u *Update) open() error {
	if u.opened {
		return nil
	}
	u.opened = true
	if !u.created {
		return nil
	}
	if err := os.MkdirAll(u.d.path, 0o755); err != nil {
		return fmt.Errorf("creating output directory: %w", err)
	}
	return u.d.lock()
}

// stage stages each changed file as Put hands it over, one after the
// other: creating a file takes its directory's lock, so writers in
// parallel would only wait on each other, and the kernel spins while they
// wait (see BENCHMARKS.md).
func (u *Update) stage() {
	defer close(u.done)
	for f := range u.queue {
		u.names = append(u.names, f.Name)
		if err := u.stageFile(f); err != nil {
			u.errs = append(u.errs, err)
		}
	}
}

func (u *Update) stageFile(f File) error {
	if err := checkName(f.Name); err != nil {
		return err
	}
	if err := u.open(); err != nil {
		return err
	}
	if !u.created {
		if old, err := os.ReadFile(filepath.Join(u.d.path, f.Name)); err == nil && bytes.Equal(old, f.Content) {
			return nil // already in place
		}
	}
	if !u.stagedDir {
		if err := os.MkdirAll(u.d.staged(), 0o755); err != nil {
			return fmt.Errorf("creating %s: %w", UpdateDir, err)
		}
		u.stagedDir = true
	}
	if err := os.WriteFile(filepath.Join(u.d.staged(), f.Name), f.Content, 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", f.Name, err)
	}
	u.put = append(u.put, f.Name)
	return nil
}

// Commit waits until every file given to Put is staged, then carries the
// update out: the staged files move into place and the files stale says
// an earlier run generated, and that were not given to Put, are deleted.
func (u *Update) Commit(stale func(path string, entry fs.DirEntry) (bool, error)) error {
	close(u.queue)
	<-u.done
	if err := u.open(); err != nil { // no file was put
		u.errs = append(u.errs, err)
	}
	if err := summarize(u.errs); err != nil {
		return u.drop(err)
	}
	remove, err := u.d.stale(u.names, stale)
	if err != nil {
		return u.drop(err)
	}
	c := commit{Put: u.put, Remove: remove}
	if len(c.Put) == 0 && len(c.Remove) == 0 {
		return nil
	}
	if err := u.d.commit(c); err != nil {
		return u.drop(err)
	}
	return u.d.apply(c)
}

// Abort drops the update: what was staged is deleted, and so is the
// directory if Update created it.
func (u *Update) Abort() {
	close(u.queue)
	<-u.done
	u.drop(nil)
}

// drop deletes what the update staged, and the directory if the update
// created it (and nothing else was put there since), and returns err.
func (u *Update) drop(err error) error {
	if !u.opened {
		return err
	}
	os.RemoveAll(u.d.update())
	if u.created {
		os.Remove(u.d.path) // fails, as it should, unless empty
	}
	return err
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

// stale lists the files in the directory that names does not hold and that
// stale says an earlier run generated.
func (d *Dir) stale(names []string, isStale func(string, fs.DirEntry) (bool, error)) ([]string, error) {
	entries, err := os.ReadDir(d.path)
	if err != nil {
		return nil, fmt.Errorf("reading output directory: %w", err)
	}
	keep := make(map[string]bool, len(names))
	for _, n := range names {
		keep[n] = true
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

// commit writes the commit file, the point after which the update is
// finished rather than undone.
func (d *Dir) commit(c commit) error {
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(d.update(), 0o755); err != nil { // none when no file changed
		return fmt.Errorf("creating %s: %w", UpdateDir, err)
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
	if err == nil && json.Unmarshal(data, &c) == nil && c.namesOK() {
		return d.apply(c)
	}
	if err := os.RemoveAll(d.update()); err != nil {
		return fmt.Errorf("removing an interrupted update: %w", err)
	}
	return nil
}

// namesOK reports whether every name of the commit passes checkName.
func (c commit) namesOK() bool {
	for _, name := range slices.Concat(c.Put, c.Remove) {
		if checkName(name) != nil {
			return false
		}
	}
	return true
}

// checkName refuses a file name that is empty, holds a path separator,
// names no file of its own ("." and "..") or the update directory.
func checkName(name string) error {
	if name == "" || name == "." || name == ".." || name == UpdateDir || strings.ContainsAny(name, `/\`) {
		return fmt.Errorf("bad output file name %q", name)
	}
	return nil
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
