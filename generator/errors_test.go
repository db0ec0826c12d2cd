package generator_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/kzgen/kzgen/generator"
	"github.com/kzgen/kzgen/generator/golang"
)

const goodSchema = `{"$schema":"http://json-schema.org/draft-04/schema#","_id":"good","type":"object","properties":{"a":{"type":"string"}}}`

// TestBadInputErrors checks that every kind of bad input is an error that
// names the file and where in it the problem is.
func TestBadInputErrors(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"malformed JSON", map[string]string{"bad.json": "{\n  \"type\": \"object\",\n  \"properties\": {\n}"},
			"schemas/bad.json: line 4, column 2: invalid JSON"},
		{"trailing data", map[string]string{"bad.json": `{"type":"object"} {}`},
			"schemas/bad.json: line 1, column 19: invalid JSON: unexpected data after the top-level value"},
		{"not an object", map[string]string{"bad.json": `["type"]`},
			"schemas/bad.json: a schema must be a JSON object, found an array"},
		{"missing $ref target", map[string]string{"bad.json": `{"type":"object","properties":{"h":{"$ref":"custom_sip_headers"}}}`},
			`schemas/bad.json#/properties/h/$ref: $ref "custom_sip_headers": no schema file custom_sip_headers.json`},
		{"_id disagrees with file name", map[string]string{"bad.json": `{"_id":"other","type":"object"}`},
			"schemas/bad.json#/_id: _id other does not match the file name"},
		{"wrong keyword type", map[string]string{"bad.json": `{"type":"object","properties":{"n":{"type":"integer","minimum":"zero"}}}`},
			"schemas/bad.json#/properties/n/minimum"},
		{"unknown type name", map[string]string{"bad.json": `{"type":"object","properties":{"n":{"type":"integr"}}}`},
			"schemas/bad.json#/properties/n/type"},
		{"another draft", map[string]string{"bad.json": `{"$schema":"http://json-schema.org/draft-07/schema#","type":"object"}`},
			`schemas/bad.json#/$schema: $schema "http://json-schema.org/draft-07/schema#": kzgen reads draft-04 schemas`},
		{"empty required list", map[string]string{"bad.json": `{"type":"object","required":[]}`},
			"schemas/bad.json#/required: want at least one name"},
		{"bad subschema", map[string]string{"bad.json": `{"type":"object","properties":{"a":{"items":[{"type":"string"},"x"]}}}`},
			"schemas/bad.json#/properties/a/items/1: want a schema (a JSON object), found a string"},
		{"regex Go cannot run", map[string]string{"bad.json": `{"type":"object","properties":{"n":{"type":"string","pattern":"(a)\\1"}}}`},
			"schemas/bad.json#/properties/n/pattern"},
		{"root $ref to itself", map[string]string{"bad.json": `{"_id":"bad","$ref":"bad"}`},
			"schemas/bad.json#/$ref: $ref cycle with no object or array in between, so checking a value never ends: bad.json#/$ref → bad.json"},
		{"union of itself through another file", map[string]string{"bad.json": `{"oneOf":[{"type":"string"},{"$ref":"bad2"}]}`, "bad2.json": `{"$ref":"bad"}`},
			"schemas/bad.json#/oneOf/1/$ref: $ref cycle with no object or array in between, so checking a value never ends: bad.json#/oneOf/1/$ref → bad2.json#/$ref → bad.json"},
		{"construct the model cannot express", map[string]string{"bad.json": `{"properties":{"n":{"oneOf":[{"type":"string"}],"anyOf":[{"type":"integer"}]}}}`},
			"schemas/bad.json#/properties/n: both oneOf and anyOf on one schema is not supported"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fsys := fstest.MapFS{"good.json": {Data: []byte(goodSchema)}}
			for name, body := range c.files {
				fsys[name] = &fstest.MapFile{Data: []byte(body)}
			}
			_, err := generator.Generate(generator.Config{Schemas: fsys, Name: "schemas", Go: golang.Options{Package: "p"}})
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %q\ndoes not contain %q", err, c.want)
			}
		})
	}
}

// TestUnknownKeywordsAreTolerated checks Kazoo's own keywords and typos do
// not fail the load, and that support_level reaches the doc comment.
func TestUnknownKeywordsAreTolerated(t *testing.T) {
	fsys := fstest.MapFS{"k.json": {Data: []byte(`{"_id":"k","type":"object","kazoo-validation":true,"properties":{
		"url":{"type":"string","patern":"^https?://","kazoo-regexp":"x","name":"odd","support_level":"alpha"}}}`)}}
	res, err := generator.Generate(generator.Config{Schemas: fsys, Go: golang.Options{Package: "p"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(res.Files[0].Content), "Support level: alpha.") {
		t.Error("support_level missing from the doc comment")
	}
}

// TestNoPartialOutput checks that a failing generation leaves the output
// directory as it was.
func TestNoPartialOutput(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	good := fstest.MapFS{"good.json": {Data: []byte(goodSchema)}}
	res, err := generator.Generate(generator.Config{Schemas: good, Go: golang.Options{Package: "p"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := generator.WriteDir(out, res.Files); err != nil {
		t.Fatal(err)
	}
	before := listDir(t, out)
	good["zbad.json"] = &fstest.MapFile{Data: []byte(`{"type":"object","properties":{"x":{"$ref":"nowhere"}}}`)}
	if _, err := generator.Generate(generator.Config{Schemas: good, Go: golang.Options{Package: "p"}}); err == nil {
		t.Fatal("expected an error")
	}
	if after := listDir(t, out); after != before {
		t.Fatalf("output changed: %s -> %s", before, after)
	}
	// No temporary directories left beside the output.
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Fatalf("left behind: %v", entries)
	}
}

func listDir(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		data, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		names = append(names, e.Name()+":"+string(rune(len(data))))
	}
	return strings.Join(names, ",")
}
