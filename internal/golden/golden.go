// Package golden compares test output with golden files and rewrites them
// when the tests run with -update ("go test ./... -update", then review the
// diff). Importing it registers the -update flag in the test binary.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files from the output of the tests")

// Updating reports whether the tests run with -update.
func Updating() bool { return *update }

// Want returns the golden file at path for output got. With -update it
// first writes got there, creating the directory, so that the comparison
// the caller makes next passes. A missing or unreadable file fails the test.
func Want(tb testing.TB, path string, got []byte) []byte {
	tb.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (go test -update creates it)", err)
	}
	return want
}
