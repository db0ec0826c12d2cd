package tempmod

import (
	"maps"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestDirKeepsWhatTheLastRunWrote runs a test twice, as two go test runs
// would: the second finds the files the first wrote, unchanged files keep
// their inode and modification time, a file the second run no longer
// writes is removed when it ends, and a file another program made stays.
func TestDirKeepsWhatTheLastRunWrote(t *testing.T) {
	key := t.Name() + "\x00scratch"
	var dir string
	t.Run("first", func(t *testing.T) {
		dir = scratchDir(t, key)
		WriteFile(t, dir, "kept.txt", []byte("same"))
		WriteFile(t, dir, "sub/changed.txt", []byte("one"))
		WriteFile(t, dir, "dropped.txt", []byte("gone next time"))
		if err := os.WriteFile(filepath.Join(dir, "tool.out"), []byte("a tool's file"), 0o644); err != nil {
			t.Fatal(err)
		}
	})
	kept := stat(t, filepath.Join(dir, "kept.txt"))
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(filepath.Join(dir, "kept.txt"), old, old); err != nil {
		t.Fatal(err)
	}
	t.Run("second", func(t *testing.T) {
		if again := scratchDir(t, key); again != dir {
			t.Fatalf("second run got %s, first %s", again, dir)
		}
		WriteFile(t, dir, "kept.txt", []byte("same"))
		WriteFile(t, dir, "sub/changed.txt", []byte("two"))
	})
	if got := stat(t, filepath.Join(dir, "kept.txt")); !os.SameFile(got, kept) || !got.ModTime().Equal(old) {
		t.Errorf("kept.txt was rewritten (same file %v, modified %v)", os.SameFile(got, kept), got.ModTime())
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "sub", "changed.txt")); string(data) != "two" {
		t.Errorf("sub/changed.txt = %q", data)
	}
	if _, err := os.Stat(filepath.Join(dir, "dropped.txt")); !os.IsNotExist(err) {
		t.Errorf("dropped.txt, which the second run did not write, is still there (%v)", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "tool.out")); err != nil {
		t.Errorf("a file no WriteFile wrote was removed: %v", err)
	}
}

// TestDirIsPerTestAndName: other names, other tests and other packages
// get other directories.
func TestDirIsPerTestAndName(t *testing.T) {
	dirs := map[string]bool{}
	for _, name := range []string{"a", "b"} {
		t.Run(name, func(t *testing.T) {
			for _, scratch := range []string{"x", "y"} {
				dirs[Dir(t, scratch)] = true
			}
		})
	}
	if len(dirs) != 4 {
		t.Errorf("%d directories for 2 tests × 2 names", len(dirs))
	}
	// The same test and name in another package (go test runs a
	// package's tests in its directory).
	key := t.Name() + "\x00x"
	var here, again, there string
	t.Run("here", func(t *testing.T) { here = scratchDir(t, key) })
	t.Run("again", func(t *testing.T) { again = scratchDir(t, key) })
	t.Run("there", func(t *testing.T) {
		t.Chdir(t.TempDir())
		there = scratchDir(t, key)
	})
	if here != again || here == there {
		t.Errorf("one key: %s here, %s again, %s in another package's directory; want the first two equal, the third apart", here, again, there)
	}
}

// TestPruneUnused removes a scratch directory unused for pruneAge and
// keeps a recent one.
func TestPruneUnused(t *testing.T) {
	base := t.TempDir()
	for _, name := range []string{"stale", "recent", "keep"} {
		if err := os.MkdirAll(filepath.Join(base, name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(manifest(filepath.Join(base, name)), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	long := time.Now().Add(-pruneAge - time.Hour)
	for _, name := range []string{"stale", "keep"} {
		if err := os.Chtimes(manifest(filepath.Join(base, name)), long, long); err != nil {
			t.Fatal(err)
		}
	}
	pruneUnused(base, filepath.Join(base, "keep"))
	for name, want := range map[string]bool{"stale": false, "recent": true, "keep": true} {
		if _, err := os.Stat(filepath.Join(base, name)); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", name, err == nil, want)
		}
	}
}

func stat(t *testing.T, path string) os.FileInfo {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

// TestMirror resets a directory to a tree: extra files and directories go,
// missing ones come, and files already right are not rewritten.
func TestMirror(t *testing.T) {
	dir := t.TempDir()
	Mirror(t, dir, map[string]string{"a.txt": "a", "d/b.txt": "b", "empty/": ""})
	same := stat(t, filepath.Join(dir, "a.txt"))
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(filepath.Join(dir, "a.txt"), old, old); err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{"extra.txt": "x", "d/b.txt": "changed", "d/e/f.txt": "deep"} {
		WriteFile(t, dir, name, []byte(content))
	}
	if err := os.Remove(filepath.Join(dir, "empty")); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a.txt": "a", "d/b.txt": "b", "empty/": ""}
	Mirror(t, dir, want)
	got := Tree(t, dir)
	want["d/"] = ""
	if !maps.Equal(got, want) {
		t.Errorf("after Mirror: %v, want %v", got, want)
	}
	if info := stat(t, filepath.Join(dir, "a.txt")); !os.SameFile(info, same) || !info.ModTime().Equal(old) {
		t.Errorf("a.txt, already right, was rewritten")
	}
}
