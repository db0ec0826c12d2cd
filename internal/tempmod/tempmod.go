// Package tempmod builds throwaway Go modules for tests that compile and
// run generated code against this repository's packages.
package tempmod

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/internal/kazootest"
)

// goDirective reads the "go" line of a go.mod file.
var goDirective = regexp.MustCompile(`(?m)^go\s+(\S+)\s*$`)

// NewModule creates a scratch module named path in a temporary directory.
// It requires github.com/kzgen/kzgen, replaced by this repository, and
// has this repository's go.sum, so nothing is downloaded beyond what the
// repository itself needs.
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
	dir := tb.TempDir()
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

// Go runs the go command in dir and returns its combined output. Module
// mode is -mod=mod (the scratch go.sum may lack lines) and workspaces are
// off. Builds should pass -trimpath: the build cache then serves packages
// compiled in an earlier scratch directory, as their file paths no longer
// enter the cache key.
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
