package golden

import (
	"bytes"
	"path/filepath"
	"testing"
)

// TestWant: without -update Want reads the file; with it, Want writes the
// output first, in a directory it creates.
func TestWant(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "out.golden")
	defer func(v bool) { *update = v }(*update)

	*update = true
	if got := Want(t, path, []byte("first")); string(got) != "first" {
		t.Errorf("with -update: %q, want the output written", got)
	}
	*update = false
	if got := Want(t, path, []byte("second")); !bytes.Equal(got, []byte("first")) {
		t.Errorf("without -update: %q, want the file as written", got)
	}
}
