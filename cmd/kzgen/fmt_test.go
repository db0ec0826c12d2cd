package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestFmtCanonical(t *testing.T) {
	path := filepath.Join(t.TempDir(), "in.json")
	in := `{"children":{"_":{"data":{},"module":"hangup"}},"data":{"voice":"male","text":"Hi","x-custom":[1,2]},"module":"tts","flags":"kept"}`
	os.WriteFile(path, []byte(in), 0o644)
	var stdout, stderr bytes.Buffer
	if code := run([]string{"fmt", path}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	want := `{
    "module": "tts",
    "data": {
        "text": "Hi",
        "voice": "male",
        "x-custom": [
            1,
            2
        ]
    },
    "children": {
        "_": {
            "module": "hangup",
            "data": {}
        }
    },
    "flags": "kept"
}
`
	if stdout.String() != want {
		t.Errorf("got\n%s\nwant\n%s", stdout.String(), want)
	}
}
