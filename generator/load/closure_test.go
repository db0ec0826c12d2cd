package load_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/schemas"
)

// TestCallflowMatch: the glob kzgen uses for the callflow closure picks
// callflows.json and every callflows.* file at the root, nothing else.
func TestCallflowMatch(t *testing.T) {
	fsys := fstest.MapFS{
		"callflows.json":       {Data: []byte(`{}`)},
		"callflows.b.json":     {Data: []byte(`{}`)},
		"callflows.a.json":     {Data: []byte(`{}`)},
		"callflowsx.json":      {Data: []byte(`{}`)},
		"conferences.json":     {Data: []byte(`{}`)},
		"sub/callflows.c.json": {Data: []byte(`{}`)},
	}
	set, err := load.Read(fsys, load.Options{Match: schemas.CallflowMatch})
	if err != nil {
		t.Fatal(err)
	}
	if want := "callflows,callflows.a,callflows.b"; strings.Join(set.Matched, ",") != want {
		t.Errorf("matched %v, want %s", set.Matched, want)
	}
}

func TestClosure(t *testing.T) {
	fsys := fstest.MapFS{
		"root.json": {Data: []byte(`{"properties": {
			"a": {"$ref": "a"},
			"local": {"$ref": "#/definitions/x"},
			"$ref": {"type": "string"},
			"d": {"default": {"$ref": "not-a-schema"}, "enum": [{"$ref": "nor-this"}]},
			"l": {"oneOf": [{"$ref": "b#/properties/x"}]}
		}}`)},
		"a.json":      {Data: []byte(`{"items": {"$ref": "b"}}`)},
		"b.json":      {Data: []byte(`{"properties": {"self": {"$ref": "b"}, "back": {"$ref": "root"}}}`)},
		"unused.json": {Data: []byte(`{}`)},
	}
	set, err := load.Read(fsys, load.Options{Match: "root"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "a,b,root"; strings.Join(set.IDs, ",") != want {
		t.Errorf("closure = %v, want %s", set.IDs, want)
	}
}

func TestClosureErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string // substrings the error must contain
	}{
		{
			name:  "missing root",
			files: map[string]string{"other.json": `{}`},
			want:  []string{`no schema matches "root"`},
		},
		{
			name:  "dangling ref",
			files: map[string]string{"root.json": `{"properties": {"x": {"anyOf": [{}, {"$ref": "nope"}]}}}`},
			want:  []string{"root.json", "/properties/x/anyOf/1/$ref", `"nope"`},
		},
		{
			name:  "ref not a string",
			files: map[string]string{"root.json": `{"items": {"$ref": 7}}`},
			want:  []string{"root.json", "/items/$ref", "a number"},
		},
		{
			name:  "empty ref",
			files: map[string]string{"root.json": `{"not": {"$ref": ""}}`},
			want:  []string{"root.json", "/not/$ref", "empty"},
		},
		{
			name:  "ref escaping the directory",
			files: map[string]string{"root.json": `{"properties": {"a/b": {"$ref": "../x"}}}`},
			want:  []string{"root.json", "/properties/a~1b/$ref", `"../x"`},
		},
		{
			name:  "malformed referenced file",
			files: map[string]string{"root.json": `{"$ref": "bad"}`, "bad.json": "{\n  \"type\": ,\n}"},
			want:  []string{"bad.json", "line 2, column 11"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, data := range tt.files {
				fsys[name] = &fstest.MapFile{Data: []byte(data)}
			}
			_, err := load.Read(fsys, load.Options{Match: "root"})
			if err == nil {
				t.Fatal("Read succeeded, want an error")
			}
			for _, s := range tt.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
		})
	}
}
