// Package tempmod builds throwaway Go modules for tests that compile and
// run generated code against this repository's packages.
package tempmod

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/internal/kazootest"
)

// goDirective reads the "go" line of a go.mod file.
var goDirective = regexp.MustCompile(`(?m)^go\s+(\S+)\s*$`)

// NewModule creates a scratch module named path. It requires
// github.com/kzgen/kzgen, replaced by this repository, and has this
// repository's go.sum, so nothing is downloaded beyond what the repository
// itself needs.
//
// The module lives in a scratch directory (see Dir) that is the same every
// time the same test of the same package runs. As builds run without
// -trimpath, like the go test that runs the test, file paths are part of
// the build cache's keys: a stable directory lets a warm run reuse what
// the last run compiled and vetted, and the standard library is shared
// with the parent build instead of being compiled again.
func NewModule(tb testing.TB, path string) string {
	tb.Helper()
	root, ok := kazootest.ModuleRoot()
	if !ok {
		tb.Fatal("cannot find the module root (no go.mod above the working directory)")
	}
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		tb.Fatal(err)
	}
	version := "1.26"
	if m := goDirective.FindSubmatch(gomod); m != nil {
		version = string(m[1])
	}
	dir := Dir(tb, path)
	mod := fmt.Sprintf("module %s\n\ngo %s\n\nrequire github.com/kzgen/kzgen v0.0.0\n\nreplace github.com/kzgen/kzgen => %s\n",
		path, version, root)
	WriteFile(tb, dir, "go.mod", []byte(mod))
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		tb.Fatal(err)
	}
	WriteFile(tb, dir, "go.sum", sum)
	return dir
}

// WriteFile writes a file below dir, creating folders as needed, unless
// it already holds content: a file left as it was keeps its modification
// time and costs no new inode. In a scratch directory (Dir), the file is
// kept for the test's next run.
func WriteFile(tb testing.TB, dir, name string, content []byte) {
	tb.Helper()
	path := filepath.Join(dir, filepath.FromSlash(name))
	recordWritten(path)
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, content) {
		return
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, content, 0o644); err != nil {
		tb.Fatal(err)
	}
}

// CopyFS writes every regular file of fsys whose path matches the glob
// pattern (path.Match, "*" for all) below dir with WriteFile.
func CopyFS(tb testing.TB, dir string, fsys fs.FS, pattern string) {
	tb.Helper()
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		if ok, err := path.Match(pattern, name); err != nil || !ok {
			return err
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		WriteFile(tb, dir, name, data)
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// Go runs the go command in dir and returns its combined output. Module
// mode is -mod=mod (the scratch go.sum may lack lines) and workspaces are
// off; other settings are the parent's, so that the build cache serves
// what the parent build compiled. Do not pass -trimpath: it changes every
// package's cache key, the standard library's included.
func Go(dir string, stdin []byte, args ...string) (stdout, stderr []byte, err error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	err = cmd.Run()
	if err != nil {
		err = fmt.Errorf("go %s: %w", strings.Join(args, " "), err)
	}
	return out.Bytes(), errb.Bytes(), err
}

// MustGo is Go that fails the test, showing the output, when the command
// fails; it returns standard output and error combined.
func MustGo(tb testing.TB, dir string, args ...string) string {
	tb.Helper()
	out, errOut, err := Go(dir, nil, args...)
	if err != nil {
		tb.Fatalf("%v\n%s%s", err, out, errOut)
	}
	return string(out) + string(errOut)
}

// Executable returns the path of an executable of the main package pkg
// (as the go command in dir names it, "./cmd/kzgen"), built as go run
// builds it. The go command keeps the executables of go run in its build
// cache, so on a warm run this links nothing: go run -exec hands the
// cached executable's path to a program that prints it. Where the go
// command does not keep it (no echo program, a go command that removes
// it), the package is built with go build -o into a temporary directory.
func Executable(tb testing.TB, dir, pkg string) string {
	tb.Helper()
	if echo, err := exec.LookPath("echo"); err == nil {
		cmd := exec.Command("go", "run", "-exec", echo, pkg)
		cmd.Dir = dir
		out, err := cmd.Output()
		if exe := strings.TrimSpace(string(out)); err == nil && filepath.IsAbs(exe) && isExecutable(exe) {
			return exe
		}
	}
	exe := filepath.Join(tb.TempDir(), filepath.Base(pkg))
	cmd := exec.Command("go", "build", "-o", exe, pkg)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
	return exe
}

// isExecutable reports whether path is a regular file someone may run.
func isExecutable(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.Mode().IsRegular() && info.Mode().Perm()&0o111 != 0
}
