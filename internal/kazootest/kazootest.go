// Package kazootest locates Kazoo's real schema set for tests and checks
// callflow JSON against it, with Kazoo's semantics or, as a second opinion,
// with a draft-04 validator.
//
// The schemas live outside this repository (in ../shared/kazoo-schemas next
// to the module root) because they belong to another project and must not be
// copied here. Tests that need them call SchemaDir, which skips the test with
// a clear message when the directory is absent.
package kazootest

import (
	"os"
	"path/filepath"
	"testing"
)

// EnvVar names the environment variable that overrides the schema directory.
const EnvVar = "KAZOO_SCHEMAS"

// SkipReason is the message of every test SchemaDir skips. The test
// command (internal/gotest) counts the tests that skip with it and says so
// in one line at the end of the run.
const SkipReason = "Kazoo's schema set not found: set " + EnvVar + " or place it at ../shared/kazoo-schemas beside the module root"

// SchemaDir returns the directory holding Kazoo's schema files, or skips the
// test when it cannot be found.
func SchemaDir(tb testing.TB) string {
	tb.Helper()
	dir, ok := Find()
	if !ok {
		tb.Skip(SkipReason)
	}
	return dir
}

// Find returns the schema directory and whether it exists: $KAZOO_SCHEMAS if
// set, else ../shared/kazoo-schemas relative to the module root.
func Find() (string, bool) {
	if dir := os.Getenv(EnvVar); dir != "" {
		return dir, isDir(dir)
	}
	root, ok := ModuleRoot()
	if !ok {
		return "", false
	}
	dir := filepath.Join(root, "..", "shared", "kazoo-schemas")
	return dir, isDir(dir)
}

// ModuleRoot walks up from the working directory to the folder holding go.mod.
func ModuleRoot() (string, bool) {
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}
