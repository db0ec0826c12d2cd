package main

import (
	"io/fs"
	"testing"

	"github.com/kzgen/kzgen/internal/tempmod"
)

// schemaCopy returns a directory holding the top-level schema files
// (*.json) of fsys plus extra (file name → content): a user's schema
// directory, for -schemas. It is a scratch directory of the test
// (tempmod.Dir), so a warm run finds the files in place; write and
// rewrite files there with tempmod.WriteFile, which the next run undoes.
func schemaCopy(t *testing.T, fsys fs.FS, extra map[string]string) string {
	t.Helper()
	dir := tempmod.Dir(t, "schemas")
	tempmod.CopyFS(t, dir, fsys, "*.json")
	for name, content := range extra {
		tempmod.WriteFile(t, dir, name, []byte(content))
	}
	return dir
}
