package schemadiff_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/kzgen/kzgen/generator/load"

	"github.com/kzgen/kzgen/internal/schemadiff"
	"github.com/kzgen/kzgen/internal/tempmod"
	"github.com/kzgen/kzgen/schemas"
)

// copyEmbedded writes the embedded schema set into the test's scratch
// directory (tempmod.Dir); edit it with tempmod.WriteFile.
func copyEmbedded(t *testing.T) string {
	t.Helper()
	dir := tempmod.Dir(t, "schemas")
	tempmod.CopyFS(t, dir, schemas.FS, "*.json")
	return dir
}

// editJSON decodes dir/name, lets edit change it and writes it back.
func editJSON(t *testing.T, dir, name string, edit func(doc map[string]any)) {
	t.Helper()
	file := filepath.Join(dir, name)
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := load.Decode(data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	edit(doc.(map[string]any))
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	tempmod.WriteFile(t, dir, name, out)
}

func prop(doc map[string]any, name string) map[string]any {
	return doc["properties"].(map[string]any)[name].(map[string]any)
}

func TestCompareEmbeddedWithItself(t *testing.T) {
	r, err := schemadiff.Compare(schemas.FS, schemas.FS)
	if err != nil {
		t.Fatal(err)
	}
	if r.HasFactChanges() || r.String() != "" || len(r.DescriptionsOnly) != 0 {
		t.Fatalf("comparing the set with itself: got %+v", r)
	}
}

func TestCompareModifiedCopy(t *testing.T) {
	dir := copyEmbedded(t)
	editJSON(t, dir, "callflows.tts.json", func(doc map[string]any) {
		engine := prop(doc, "engine")
		engine["enum"] = append(engine["enum"].([]any), "polly")
	})
	if err := os.Remove(filepath.Join(dir, "callflows.webhook.json")); err != nil {
		t.Fatal(err)
	}
	editJSON(t, dir, "callflows.sleep.json", func(doc map[string]any) {
		prop(doc, "unit")["description"] = "A rewritten description that must not be reported."
	})

	r, err := schemadiff.Compare(schemas.FS, os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	want := "changed callflows.tts.json /properties/engine/enum/4: added \"polly\"\n" +
		"removed callflows.webhook.json\n"
	if got := r.String(); got != want {
		t.Errorf("report:\n%s\nwant:\n%s", got, want)
	}
	if !r.HasFactChanges() {
		t.Error("HasFactChanges() = false, want true")
	}
	if got := strings.Join(r.DescriptionsOnly, ","); got != "callflows.sleep.json" {
		t.Errorf("DescriptionsOnly = %q, want callflows.sleep.json", got)
	}
}

func TestCompareDescriptionOnly(t *testing.T) {
	dir := copyEmbedded(t)
	editJSON(t, dir, "callflows.play.json", func(doc map[string]any) {
		doc["description"] = "Another wording."
	})
	r, err := schemadiff.Compare(schemas.FS, os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	if r.HasFactChanges() || r.String() != "" {
		t.Errorf("description-only change reported as facts:\n%s", r)
	}
}

func TestCompareAddedFileAndKinds(t *testing.T) {
	oldFS := fstest.MapFS{
		"a.json": {Data: []byte(`{"type":"object","description":"x","properties":{"description":{"type":"string"},"n":{"type":"integer","maximum":5},"gone":{"type":"boolean"}},"enum":["a","b","c"]}`)},
	}
	newFS := fstest.MapFS{
		"a.json": {Data: []byte(`{"type":"object","description":"y","properties":{"description":{"type":"integer"},"n":{"type":"integer","maximum":5.0},"new/key":{"type":"string"}},"enum":["a","c"]}`)},
		"b.json": {Data: []byte(`{}`)},
	}
	r, err := schemadiff.Compare(oldFS, newFS)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		`changed a.json /enum/1: removed "b"`,
		`changed a.json /properties/description/type: "string" -> "integer"`,
		`changed a.json /properties/gone: removed {"type":"boolean"}`,
		`changed a.json /properties/new~1key: added {"type":"string"}`,
		`added b.json`,
		``,
	}, "\n")
	if got := r.String(); got != want {
		t.Errorf("report:\n%s\nwant:\n%s", got, want)
	}
}

func TestCompareMalformedJSON(t *testing.T) {
	dir := copyEmbedded(t)
	bad := "{\n    \"type\": \"object\",\n    \"properties\": {\n"
	tempmod.WriteFile(t, dir, "callflows.play.json", []byte(bad))
	_, err := schemadiff.Compare(schemas.FS, os.DirFS(dir))
	if err == nil {
		t.Fatal("Compare accepted malformed JSON")
	}
	if !strings.Contains(err.Error(), "callflows.play.json") {
		t.Errorf("error %q does not name the file", err)
	}
	var de *load.DecodeError
	if !errors.As(err, &de) {
		t.Errorf("error %q is not a *load.DecodeError", err)
	}
}

func TestDescriptionsAndStrip(t *testing.T) {
	doc, err := load.Decode([]byte(`{
		"description": "root",
		"default": {"description": "data"},
		"properties": {
			"description": {"type": "string", "description": "a property named description"},
			"list": {"items": [{"description": "first item"}]},
			"odd": {"description": 7}
		}
	}`))
	if err != nil {
		t.Fatal(err)
	}
	got := schemadiff.Descriptions(doc)
	want := map[string]string{
		"/description":                         "root",
		"/properties/description/description":  "a property named description",
		"/properties/list/items/0/description": "first item",
	}
	if len(got) != len(want) {
		t.Errorf("Descriptions = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("Descriptions[%q] = %q, want %q", k, got[k], v)
		}
	}
	stripped, _ := json.Marshal(schemadiff.StripDescriptions(doc))
	const wantStripped = `{"default":{"description":"data"},"properties":{"description":{"type":"string"},"list":{"items":[{}]},"odd":{"description":7}}}`
	if string(stripped) != wantStripped {
		t.Errorf("StripDescriptions = %s\nwant %s", stripped, wantStripped)
	}
	if len(schemadiff.Descriptions(doc)) != 3 {
		t.Error("StripDescriptions modified its argument")
	}
}
