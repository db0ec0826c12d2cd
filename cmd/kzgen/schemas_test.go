package main

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/generator/load"

	"github.com/kzgen/kzgen/internal/kazootest"
	"github.com/kzgen/kzgen/internal/tempmod"
	"github.com/kzgen/kzgen/schemas"
)

// runSchemasCmd runs `kzgen schemas args...` and returns exit code and output.
func runSchemasCmd(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = runSchemas(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// rewrite decodes dir/name, applies edit and writes the result back.
func rewrite(t *testing.T, dir, name string, edit func(doc map[string]any)) {
	t.Helper()
	file := filepath.Join(dir, name)
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := load.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	edit(doc.(map[string]any))
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	tempmod.WriteFile(t, dir, name, out)
}

func properties(doc map[string]any) map[string]any {
	return doc["properties"].(map[string]any)
}

func TestSchemasList(t *testing.T) {
	code, out, errOut := runSchemasCmd("list")
	if code != 0 {
		t.Fatalf("exit %d, stderr: %s", code, errOut)
	}
	ids := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	names, _ := fs.Glob(schemas.FS, "*.json")
	if len(ids) != len(names) {
		t.Fatalf("listed %d ids, embedded set has %d files", len(ids), len(names))
	}
	for _, want := range []string{"callflows", "callflows.tts", "custom_sip_headers", "metaflows"} {
		if !strings.Contains("\n"+out, "\n"+want+"\n") {
			t.Errorf("list does not include %s", want)
		}
	}
	for _, id := range ids {
		if strings.HasSuffix(id, ".json") || id == "" {
			t.Errorf("bad id line %q", id)
		}
	}
}

func TestSchemasUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string // in stderr
	}{
		{nil, 2, "Usage: kzgen schemas"},
		{[]string{"-h"}, 0, "Usage: kzgen schemas"},
		{[]string{"bogus"}, 2, `unknown subcommand "bogus"`},
		{[]string{"list", "-h"}, 0, "Usage: kzgen schemas list"},
		{[]string{"list", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"diff", "-h"}, 0, "-against"},
		{[]string{"diff"}, 2, "-against DIR is required"},
		{[]string{"diff", "-nope"}, 2, "flag provided but not defined"},
		{[]string{"diff", "-against", filepath.Join(t.TempDir(), "missing")}, 2, "missing"},
		{[]string{"diff", "-against", t.TempDir()}, 2, "no *.json schema files"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, errOut := runSchemasCmd(tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tt.code, errOut)
			}
			if !strings.Contains(errOut, tt.want) {
				t.Errorf("stderr %q does not contain %q", errOut, tt.want)
			}
		})
	}
}

func TestSchemasDiffUnchangedCopy(t *testing.T) {
	dir := schemaCopy(t, schemas.FS, nil)
	code, out, errOut := runSchemasCmd("diff", "-against", dir)
	if code != 0 {
		t.Fatalf("exit %d, stdout: %s, stderr: %s", code, out, errOut)
	}
	if !strings.HasPrefix(out, "no fact changes") {
		t.Errorf("stdout = %q", out)
	}
}

func TestSchemasDiffModifiedCopy(t *testing.T) {
	dir := schemaCopy(t, schemas.FS, nil)
	rewrite(t, dir, "callflows.tts.json", func(doc map[string]any) {
		engine := properties(doc)["engine"].(map[string]any)
		engine["enum"] = append(engine["enum"].([]any), "polly")
	})
	rewrite(t, dir, "callflows.sleep.json", func(doc map[string]any) {
		doc["description"] = "Only the wording changed."
	})
	// A new callflow module that pulls in a new referenced schema.
	newFiles := map[string]string{
		"callflows.zz_new.json": `{"_id": "callflows.zz_new", "properties": {"h": {"$ref": "zz_headers"}}}`,
		"zz_headers.json":       `{"_id": "zz_headers", "type": "object"}`,
		"unrelated.json":        `{"_id": "unrelated"}`,
	}
	for name, data := range newFiles {
		tempmod.WriteFile(t, dir, name, []byte(data))
	}
	if err := os.Remove(filepath.Join(dir, "callflows.webhook.json")); err != nil {
		t.Fatal(err)
	}
	// metaflow.json stays in DIR, but once nothing refers to it, it leaves
	// the closure and so counts as removed.
	rewrite(t, dir, "metaflows.json", func(doc map[string]any) {
		p := properties(doc)
		delete(p, "numbers")
		delete(p, "patterns")
	})

	code, out, errOut := runSchemasCmd("diff", "-against", dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stdout: %s, stderr: %s", code, out, errOut)
	}
	want := strings.Join([]string{
		`changed callflows.tts.json /properties/engine/enum/4: added "polly"`,
		`removed callflows.webhook.json`,
		`added callflows.zz_new.json`,
		`removed metaflow.json`,
		`changed metaflows.json /properties/numbers: removed {"additionalProperties":false,"patternProperties":{"^[0-9]+$":{"$ref":"metaflow"}},"type":"object"}`,
		`changed metaflows.json /properties/patterns: removed {"additionalProperties":false,"patternProperties":{".+":{"$ref":"metaflow"}},"type":"object"}`,
		`added zz_headers.json`,
		``,
	}, "\n")
	if out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
}

func TestSchemasDiffErrors(t *testing.T) {
	t.Run("malformed", func(t *testing.T) {
		dir := schemaCopy(t, schemas.FS, nil)
		tempmod.WriteFile(t, dir, "callflows.play.json", []byte(`{"type": `))
		code, _, errOut := runSchemasCmd("diff", "-against", dir)
		if code != 2 || !strings.Contains(errOut, "callflows.play.json") {
			t.Errorf("exit %d, stderr %q; want 2 and the file named", code, errOut)
		}
	})
	t.Run("dangling ref", func(t *testing.T) {
		dir := schemaCopy(t, schemas.FS, nil)
		if err := os.Remove(filepath.Join(dir, "custom_sip_headers.json")); err != nil {
			t.Fatal(err)
		}
		code, _, errOut := runSchemasCmd("diff", "-against", dir)
		if code != 2 || !strings.Contains(errOut, "custom_sip_headers") || !strings.Contains(errOut, "/$ref") {
			t.Errorf("exit %d, stderr %q; want 2 naming the file and pointer", code, errOut)
		}
	})
}

// TestSchemasDiffAgainstKazoo checks that our copy's facts match Kazoo's
// real schema set: only descriptions differ, so diff must exit 0.
func TestSchemasDiffAgainstKazoo(t *testing.T) {
	dir := kazootest.SchemaDir(t)
	code, out, errOut := runSchemasCmd("diff", "-against", dir)
	if code != 0 {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !strings.HasPrefix(out, "no fact changes") {
		t.Errorf("stdout = %q", out)
	}
}
