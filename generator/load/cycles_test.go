package load_test

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/kzgen/kzgen/generator/load"
)

// TestRefCycles: a $ref cycle with no object or array between its steps is
// an error naming every file of the cycle; recursion through properties,
// items or map values stays legal. Each case runs under a deadline, since
// the failure this guards against was a hang.
func TestRefCycles(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string // the error, or "" for a legal set
	}{
		{"root refers to itself",
			map[string]string{"a.json": `{"_id":"a","$ref":"a"}`},
			"schemas/a.json#/$ref: $ref cycle with no object or array in between, so checking a value never ends: a.json#/$ref → a.json"},
		{"two roots refer to each other",
			map[string]string{"a.json": `{"$ref":"b"}`, "b.json": `{"$ref":"a"}`},
			"schemas/a.json#/$ref: $ref cycle with no object or array in between, so checking a value never ends: a.json#/$ref → b.json#/$ref → a.json"},
		{"three roots, entered from outside",
			map[string]string{"a.json": `{"$ref":"b"}`, "b.json": `{"$ref":"c"}`, "c.json": `{"$ref":"b"}`},
			"schemas/b.json#/$ref: $ref cycle with no object or array in between, so checking a value never ends: b.json#/$ref → c.json#/$ref → b.json"},
		{"a union of itself",
			map[string]string{"a.json": `{"oneOf":[{"type":"string"},{"$ref":"a"}]}`},
			"schemas/a.json#/oneOf/1/$ref: $ref cycle with no object or array in between, so checking a value never ends: a.json#/oneOf/1/$ref → a.json"},
		{"a union through another file",
			map[string]string{"a.json": `{"anyOf":[{"$ref":"b"}]}`, "b.json": `{"type":"object","allOf":[{"$ref":"a"}]}`},
			"a.json#/anyOf/0/$ref → b.json#/allOf/0/$ref → a.json"},
		{"not and a local fragment",
			map[string]string{"a.json": `{"definitions":{"x":{"not":{"$ref":"#/definitions/x"}}},"properties":{"p":{"$ref":"#/definitions/x"}}}`},
			"schemas/a.json#/definitions/x/not/$ref: $ref cycle with no object or array in between, so checking a value never ends: a.json#/definitions/x/not/$ref → a.json"},
		{"a schema dependency",
			map[string]string{"a.json": `{"dependencies":{"k":{"$ref":"a"}}}`},
			"a.json#/dependencies/k/$ref → a.json"},
		{"through a property", map[string]string{"a.json": `{"type":"object","properties":{"next":{"$ref":"a"}}}`}, ""},
		{"through items", map[string]string{"a.json": `{"type":"array","items":{"$ref":"a"}}`}, ""},
		{"through map values", map[string]string{"a.json": `{"type":"object","additionalProperties":{"$ref":"a"}}`}, ""},
		{"through pattern properties", map[string]string{"a.json": `{"type":"object","patternProperties":{"^x":{"oneOf":[{"$ref":"a"}]}}}`}, ""},
		{"root ref to an object that refers back",
			map[string]string{"a.json": `{"$ref":"b"}`, "b.json": `{"type":"object","properties":{"children":{"additionalProperties":{"$ref":"a"}}}}`}, ""},
		{"a union of two refs to the same leaf",
			map[string]string{"a.json": `{"oneOf":[{"$ref":"b"},{"$ref":"b"}]}`, "b.json": `{"type":"string"}`}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, data := range tt.files {
				fsys[name] = &fstest.MapFile{Data: []byte(data)}
			}
			err := withDeadline(t, func() error {
				_, err := load.Read(fsys, load.Options{Name: "schemas"})
				return err
			})
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("legal recursion refused: %v", err)
			case tt.want != "" && err == nil:
				t.Fatal("Read succeeded, want a cycle error")
			case tt.want != "" && !strings.Contains(err.Error(), tt.want):
				t.Fatalf("error %q\ndoes not contain %q", err, tt.want)
			}
		})
	}
}

// TestOnlyRegularFiles: a named pipe, socket or directory named *.json is
// an error naming it (reading a pipe would block forever); a symbolic link
// to a regular file is read like the file.
func TestOnlyRegularFiles(t *testing.T) {
	good := `{"type":"object","properties":{"a":{"type":"string"}}}`
	tests := []struct {
		name string
		make func(dir string) error
		want string // "" for success
	}{
		{"named pipe", func(dir string) error { return syscall.Mkfifo(filepath.Join(dir, "pipe.json"), 0o644) },
			"pipe.json: not a regular file (a named pipe)"},
		{"directory", func(dir string) error { return os.Mkdir(filepath.Join(dir, "dir.json"), 0o755) },
			"dir.json: not a regular file (a directory)"},
		{"socket", func(dir string) error {
			l, err := net.Listen("unix", filepath.Join(dir, "sock.json"))
			if err == nil {
				t.Cleanup(func() { l.Close() })
			}
			return err
		}, "sock.json: not a regular file (a socket)"},
		{"link to a pipe", func(dir string) error {
			if err := syscall.Mkfifo(filepath.Join(dir, "pipe"), 0o644); err != nil {
				return err
			}
			return os.Symlink("pipe", filepath.Join(dir, "link.json"))
		}, "link.json: not a regular file (a named pipe)"},
		{"dangling link", func(dir string) error { return os.Symlink("nowhere", filepath.Join(dir, "gone.json")) },
			"gone.json"},
		{"link to a file", func(dir string) error {
			if err := os.WriteFile(filepath.Join(dir, "real"), []byte(good), 0o644); err != nil {
				return err
			}
			return os.Symlink("real", filepath.Join(dir, "linked.json"))
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "good.json"), []byte(good), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := tt.make(dir); err != nil {
				t.Skipf("cannot create the entry here: %v", err)
			}
			err := withDeadline(t, func() error {
				_, err := load.Read(os.DirFS(dir), load.Options{Name: "schemas"})
				return err
			})
			switch {
			case tt.want == "" && err != nil:
				t.Fatal(err)
			case tt.want != "" && err == nil:
				t.Fatal("Read succeeded, want an error")
			case tt.want != "" && !strings.Contains(err.Error(), "schemas/"+tt.want):
				t.Fatalf("error %q does not name %q", err, "schemas/"+tt.want)
			}
		})
	}
}

// withDeadline runs fn and fails the test if it does not return promptly.
func withDeadline(t *testing.T, fn func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("did not return within 10s (hang)")
		return nil
	}
}

// TestFingerprint: the fingerprint changes with any schema file added,
// removed, renamed or edited, and with nothing else.
func TestFingerprint(t *testing.T) {
	base := fstest.MapFS{
		"a.json":     {Data: []byte(`{"type":"string"}`)},
		"b.json":     {Data: []byte(`{"type":"integer"}`)},
		"notes.txt":  {Data: []byte("not a schema")},
		"sub/c.json": {Data: []byte(`{}`)},
	}
	fp := func(fsys fstest.MapFS) string {
		t.Helper()
		s, err := load.Fingerprint(fsys, "schemas")
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	want := fp(base)
	if !strings.HasSuffix(want, "(2 files)") {
		t.Errorf("fingerprint %q should count 2 files", want)
	}
	variant := func(change func(fstest.MapFS)) fstest.MapFS {
		fsys := fstest.MapFS{}
		for k, v := range base {
			fsys[k] = v
		}
		change(fsys)
		return fsys
	}
	same := variant(func(fsys fstest.MapFS) {
		fsys["notes.txt"] = &fstest.MapFile{Data: []byte("edited")}
		fsys["sub/c.json"] = &fstest.MapFile{Data: []byte(`{"type":"null"}`)}
	})
	if fp(same) != want {
		t.Error("files Read never reads changed the fingerprint")
	}
	for name, change := range map[string]func(fstest.MapFS){
		"edited":  func(fsys fstest.MapFS) { fsys["a.json"] = &fstest.MapFile{Data: []byte(`{"type":"number"}`)} },
		"added":   func(fsys fstest.MapFS) { fsys["c.json"] = &fstest.MapFile{Data: []byte(`{}`)} },
		"removed": func(fsys fstest.MapFS) { delete(fsys, "b.json") },
		"renamed": func(fsys fstest.MapFS) { fsys["c.json"] = fsys["b.json"]; delete(fsys, "b.json") },
		"content moved between files": func(fsys fstest.MapFS) {
			fsys["a.json"] = &fstest.MapFile{Data: []byte(`{"type":"string"}{"type":"integer"}`)}
			fsys["b.json"] = &fstest.MapFile{Data: []byte(``)}
		},
	} {
		if fp(variant(change)) == want {
			t.Errorf("a schema file %s: the fingerprint did not change", name)
		}
	}
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.json"), 0o644); err == nil {
		if _, err := load.Fingerprint(os.DirFS(dir), "schemas"); err == nil || !strings.Contains(err.Error(), "schemas/pipe.json: not a regular file") {
			t.Errorf("a named pipe: %v", err)
		}
	}
}
