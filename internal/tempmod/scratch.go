package tempmod

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kzgen/kzgen/internal/dirlock"
)

// manifest is the file, beside scratch directory dir, that lists the
// files the last run wrote there through WriteFile. It stands outside the
// directory, which so holds only the test's files.
func manifest(dir string) string { return dir + ".files" }

// pruneAge is how long a scratch directory may go unused before a test of
// any checkout removes it.
const pruneAge = 7 * 24 * time.Hour

var (
	scratchMu sync.Mutex
	// scratches holds, for each scratch directory whose test is running,
	// the slash-separated paths WriteFile wrote there in this run.
	scratches = map[string]map[string]bool{}

	pruneOnce sync.Once // pruneUnused, once a test process
)

// Dir returns a scratch directory for name in test tb, the same one every
// time the same test of the same package of the same checkout runs: it
// lives below the user's cache directory (os.TempDir where there is none)
// and outlasts the test.
// Files written there with WriteFile are left as they are when their
// content has not changed, and files an earlier run wrote but this one
// did not are removed when the test ends; files other programs create
// there stay. So a warm run creates and deletes almost no files (which
// costs more than writing them on some filesystems), and tools keyed on
// file contents or modification times (the go command's caches, kzgen's
// stamp) find their earlier work. Another process running the same test
// of the same package waits for this one to end.
func Dir(tb testing.TB, name string) string {
	tb.Helper()
	return scratchDir(tb, tb.Name()+"\x00"+name)
}

// scratchDir is Dir for the key naming a directory within the package
// under test, whose directory (go test's working directory) is part of
// the directory's name: tests of the same name in two packages do not
// share one.
func scratchDir(tb testing.TB, key string) string {
	tb.Helper()
	pkg, err := os.Getwd()
	if err != nil {
		tb.Fatalf("scratch directory: %v", err)
	}
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	base = filepath.Join(base, "kzgen-tempmod")
	sum := sha256.Sum256([]byte(pkg + "\x00" + key))
	dir := filepath.Join(base, hex.EncodeToString(sum[:8]))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	unlock, err := dirlock.Lock(dir)
	if err != nil {
		tb.Fatalf("scratch directory %s: %v", dir, err)
	}
	scratchMu.Lock()
	if _, taken := scratches[dir]; taken {
		scratchMu.Unlock()
		unlock()
		tb.Fatalf("scratch directory %s asked for twice at once (test %s)", dir, tb.Name())
	}
	written := map[string]bool{}
	scratches[dir] = written
	scratchMu.Unlock()
	tb.Cleanup(func() {
		scratchMu.Lock()
		delete(scratches, dir)
		scratchMu.Unlock()
		defer unlock()
		if err := finish(dir, written); err != nil {
			tb.Errorf("scratch directory %s: %v", dir, err)
		}
	})
	pruneOnce.Do(func() { pruneUnused(base, dir) })
	return dir
}

// finish removes the files the last run wrote in dir and this one did not
// (written), and records this run's files.
func finish(dir string, written map[string]bool) error {
	old, err := os.ReadFile(manifest(dir))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	for _, name := range strings.Split(string(old), "\n") {
		if name != "" && !written[name] {
			if err := os.Remove(filepath.Join(dir, filepath.FromSlash(name))); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
	}
	names := slices.Sorted(maps.Keys(written))
	list := []byte(strings.Join(names, "\n") + "\n")
	if bytes.Equal(list, old) {
		// Mark the directory used, for pruneUnused.
		now := time.Now()
		return os.Chtimes(manifest(dir), now, now)
	}
	return os.WriteFile(manifest(dir), list, 0o644)
}

// pruneUnused removes the scratch directories below base, other than
// keep, that no test has used for pruneAge, unless one is in use.
func pruneUnused(base, keep string) {
	entries, err := os.ReadDir(base)
	if err != nil {
		return
	}
	for _, e := range entries {
		dir := filepath.Join(base, e.Name())
		if dir == keep || !e.IsDir() {
			continue
		}
		info, err := os.Stat(manifest(dir))
		if err != nil || time.Since(info.ModTime()) < pruneAge {
			continue
		}
		if unlock, err := dirlock.TryLock(dir); err == nil {
			os.RemoveAll(dir)
			os.Remove(manifest(dir))
			unlock()
		}
	}
}

// recordWritten records that WriteFile wrote path, when path lies in a
// scratch directory of a running test.
func recordWritten(path string) {
	scratchMu.Lock()
	defer scratchMu.Unlock()
	for dir, written := range scratches {
		if rel, err := filepath.Rel(dir, path); err == nil && filepath.IsLocal(rel) {
			written[filepath.ToSlash(rel)] = true
			return
		}
	}
}

// Tree returns every file below dir, by slash-separated path, with its
// content; a directory appears as its path and "/", with no content. It is
// the form Mirror takes.
func Tree(tb testing.TB, dir string) map[string]string {
	tb.Helper()
	files := map[string]string{}
	err := walkTree(dir, func(key, path string, e fs.DirEntry) error {
		if e.IsDir() {
			files[key] = ""
			return nil
		}
		data, err := os.ReadFile(path)
		files[key] = string(data)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return files
}

// Mirror makes dir hold exactly files (slash-separated path → content; a
// path ending in "/" is a directory, its content ignored): every other
// file and directory below dir is removed, and each file is written with
// WriteFile, so one already in place is left alone. Resetting a scratch
// directory with Mirror costs a new inode only for what is missing.
func Mirror(tb testing.TB, dir string, files map[string]string) {
	tb.Helper()
	err := walkTree(dir, func(key, path string, e fs.DirEntry) error {
		_, keep := files[key]
		switch {
		case e.IsDir() && keep:
			return nil
		case e.IsDir():
			if err := os.RemoveAll(path); err != nil {
				return err
			}
			return filepath.SkipDir
		case keep && e.Type().IsRegular():
			return nil
		}
		return os.Remove(path)
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		tb.Fatal(err)
	}
	for name, content := range files {
		if strings.HasSuffix(name, "/") {
			if err := os.MkdirAll(filepath.Join(dir, filepath.FromSlash(name)), 0o755); err != nil {
				tb.Fatal(err)
			}
			continue
		}
		WriteFile(tb, dir, name, []byte(content))
	}
}

// walkTree calls fn for every file and directory below dir, with its key
// in Tree's form: its slash-separated path, and "/" after a directory's.
func walkTree(dir string, fn func(key, path string, e fs.DirEntry) error) error {
	return filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || path == dir {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		key := filepath.ToSlash(rel)
		if e.IsDir() {
			key += "/"
		}
		return fn(key, path, e)
	})
}
