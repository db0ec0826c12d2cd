package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/internal/golden"
	"github.com/kzgen/kzgen/schemas"

	"github.com/kzgen/kzgen/runtime/flowgraph"
)

// TestGraphGolden draws testdata/graph/nested.json, a callflow document
// whose temporal route leads to a menu with digit branches, in both
// formats and compares with the golden files. Run with -update to accept
// a deliberate change, then review the diff.
func TestGraphGolden(t *testing.T) {
	in := filepath.Join("testdata", "graph", "nested.json")
	for _, tc := range []struct{ format, golden string }{
		{"mermaid", "nested.mmd"},
		{"dot", "nested.dot"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run([]string{"graph", "-format", tc.format, in}, &stdout, &stderr); code != 0 {
			t.Fatalf("%s: exit %d: %s", tc.format, code, stderr.String())
		}
		path := filepath.Join("testdata", "graph", tc.golden)
		if want := golden.Want(t, path, stdout.Bytes()); !bytes.Equal(stdout.Bytes(), want) {
			t.Errorf("%s output differs from %s (go test ./cmd/kzgen -run TestGraphGolden -update, then review):\n%s", tc.format, path, stdout.String())
		}
	}
}

func TestGraphDefaultsToMermaidAndIsDeterministic(t *testing.T) {
	in := filepath.Join("testdata", "graph", "nested.json")
	var first string
	for i := range 5 {
		var stdout, stderr bytes.Buffer
		if code := run([]string{"graph", in}, &stdout, &stderr); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
		if i == 0 {
			first = stdout.String()
			if !strings.HasPrefix(first, "flowchart TD\n") {
				t.Fatalf("default format is not Mermaid:\n%s", first)
			}
		} else if stdout.String() != first {
			t.Fatal("two runs drew the same callflow differently")
		}
	}
}

func TestGraphBareNode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "node.json")
	node := `{"module":"check_cid","data":{"regex":"^\\+1"},"children":{"match":{"module":"user","data":{"id":"u1"}},"nomatch":{"module":"hangup","data":{}}}}`
	if err := os.WriteFile(path, []byte(node), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"graph", "-format", "dot", path}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, want := range []string{
		`n0 [label="check_cid\nregex: ^\\+1"];`,
		`n0 -> n1 [label="match"];`,
		`n0 -> n2 [label="nomatch"];`,
	} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output lacks %s:\n%s", want, stdout.String())
		}
	}
}

func TestGraphErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"module": "tts", "data": `), 0o644); err != nil {
		t.Fatal(err)
	}
	noFlow := filepath.Join(dir, "doc.json")
	if err := os.WriteFile(noFlow, []byte(`{"flow": null, "numbers": ["1"]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"graph"}, 2, "Usage"},
		{[]string{"graph", "-format", "svg", bad}, 2, "unknown format"},
		{[]string{"graph", filepath.Join(dir, "missing.json")}, 2, "missing.json"},
		{[]string{"graph", bad}, 1, "invalid JSON"},
		{[]string{"graph", noFlow}, 1, "/flow"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(tc.args, &stdout, &stderr); code != tc.code || !strings.Contains(stderr.String(), tc.msg) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d mentioning %q", tc.args, code, stderr.String(), tc.code, tc.msg)
		}
	}
}

// TestGraphReadsAsKazoo: a key written twice counts with its first copy,
// with a warning; a module without a schema is drawn, with a warning that
// -schemas and the user's own schema set silence.
func TestGraphReadsAsKazoo(t *testing.T) {
	dir := schemaCopy(t, schemas.FS, nil)
	custom := `{"_id": "callflows.hold_music", "type": "object", "properties": {"media_id": {"type": "string"}}}`
	if err := os.WriteFile(filepath.Join(dir, "callflows.hold_music.json"), []byte(custom), 0o644); err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, "flow.json", `{"module":"tts","data":{"text":"first","text":"second"},"children":{"_":{"module":"hold_music","data":{"media_id":"m1"}}}}`)
	code, stdout, stderr := kzgen(t, "graph", path)
	if code != 0 || !strings.Contains(stdout, `n0["tts<br/>text: first"]`) || !strings.Contains(stdout, `n1["hold_music<br/>media_id: m1"]`) {
		t.Errorf("exit %d, stdout:\n%s", code, stdout)
	}
	for _, want := range []string{
		path + ": warning: /data/text: duplicate key: Kazoo reads the first copy",
		path + ": warning: /children/_/module: no schema callflows.hold_music in kzgen's embedded schemas",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	code, custom2, stderr := kzgen(t, "graph", "-schemas", dir, path)
	if code != 0 || custom2 != stdout || strings.Contains(stderr, "hold_music") {
		t.Errorf("-schemas: exit %d, stderr %q, stdout:\n%s", code, stderr, custom2)
	}
}

// TestGraphHostileInput: nesting beyond the bound and trees beyond
// flowgraph.MaxNodes are errors naming the JSON pointer; a 10 MB value is
// drawn, cut to a label.
func TestGraphHostileInput(t *testing.T) {
	t.Parallel()
	deep := writeFile(t, "deep.json", `{"flow":`+deepChain(600)+`}`)
	code, stdout, stderr := kzgen(t, "graph", deep)
	if code != 1 || stdout != "" || !strings.HasPrefix(stderr, deep+":/flow/children/_/children/_/") || !strings.Contains(stderr, "nested more than 1000") {
		t.Errorf("deep: exit %d, stderr %.300q", code, stderr)
	}

	var b strings.Builder
	b.WriteString(`{"module":"menu","children":{`)
	for i := 0; b.Len() < 10<<20; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"%07d":{"module":"tts","data":{"text":"%d"}}`, i, i)
	}
	b.WriteString(`}}`)
	code, stdout, stderr = kzgen(t, "graph", writeFile(t, "wide.json", b.String()))
	if want := fmt.Sprintf("/children/%07d: the tree has more than %d nodes", flowgraph.MaxNodes-1, flowgraph.MaxNodes); code != 1 || stdout != "" || !strings.Contains(stderr, want) {
		t.Errorf("%d bytes, wide: exit %d, stderr %q; want %q", b.Len(), code, stderr, want)
	}

	big := writeFile(t, "big.json", `{"module":"tts","data":{"text":"`+strings.Repeat("blah ", 2<<20)+`"}}`)
	code, stdout, stderr = kzgen(t, "graph", big)
	if code != 0 || len(stdout) > 200 || !strings.Contains(stdout, "text: blah blah") {
		t.Errorf("10 MB text: exit %d, stderr %q, stdout %q", code, stderr, stdout)
	}
}
