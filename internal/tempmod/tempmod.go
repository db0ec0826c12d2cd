// Package tempmod builds throwaway Go modules for tests that compile and
// run generated code against this repository's packages.
package tempmod

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/internal/kazootest"
)

// New creates a module named example.com/gen in a temporary directory that
// depends on this repository through a replace directive, with this
// repository's go.sum so no download is needed beyond its own
// dependencies.
func New(tb testing.TB) string {
	tb.Helper()
	root, ok := kazootest.ModuleRoot()
	if !ok {
		tb.Fatal("cannot find the module root")
	}
	dir := tb.TempDir()
	gomod := "module example.com/gen\n\ngo 1.26\n\nrequire github.com/kzgen/kzgen v0.0.0\n\nreplace github.com/kzgen/kzgen => " + root + "\n"
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644); err != nil {
		tb.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// WriteFile writes a file below dir, creating folders as needed.
func WriteFile(tb testing.TB, dir, name string, content []byte) {
	tb.Helper()
	path := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, content, 0o644); err != nil {
		tb.Fatal(err)
	}
}

// Go runs the go command in dir and fails the test with its output when it
// fails. It returns the combined output.
func Go(tb testing.TB, dir string, args ...string) string {
	tb.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		tb.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}
