package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/generator/golang"
	"github.com/kzgen/kzgen/schemas"
)

// TestGenNodesFrom: the embedded documents take their callflow trees from
// gen/callflow without a flag, and from the package -nodes-from names
// with it.
func TestGenNodesFrom(t *testing.T) {
	for _, tc := range []struct {
		flags []string
		want  string
	}{
		{nil, `"` + golang.DefaultNodesFrom + `"`},
		{[]string{"-nodes-from", "example.com/pbx/flows"}, `flows "example.com/pbx/flows"`},
	} {
		out := filepath.Join(t.TempDir(), "docs")
		var stdout, stderr bytes.Buffer
		args := append([]string{"gen", "-out", out, "-match", schemas.DocumentMatch}, tc.flags...)
		if code := run(args, &stdout, &stderr); code != 0 {
			t.Fatalf("%v: exit %d: %s", tc.flags, code, stderr.String())
		}
		registry, err := os.ReadFile(filepath.Join(out, golang.NodesFile))
		if err != nil || !bytes.Contains(registry, []byte(tc.want)) {
			t.Errorf("%v: %s does not import %s (%v):\n%s", tc.flags, golang.NodesFile, tc.want, err, registry)
		}
		if _, err := os.Stat(filepath.Join(out, golang.FileName("callflows.action"))); !os.IsNotExist(err) {
			t.Errorf("%v: the node schema got a file of its own", tc.flags)
		}
	}
	var stdout, stderr bytes.Buffer
	run([]string{"gen", "-h"}, &stdout, &stderr)
	if !strings.Contains(stderr.String(), "-nodes-from path") || !strings.Contains(stderr.String(), golang.DefaultNodesFrom) {
		t.Errorf("gen -h does not document -nodes-from:\n%s", stderr.String())
	}
}
