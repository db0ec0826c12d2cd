package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/internal/kazootest"
	"github.com/kzgen/kzgen/schemas"
)

// validTrees are realistic callflows built with the generated builders.
func validTrees(t *testing.T) map[string][]byte {
	t.Helper()
	trees := map[string]callflow.Builder{
		"say-hi": callflow.TTS("Hello from kzgen").Voice("female").Engine(callflow.TTSEngineFlite),
		"pin": callflow.TTS("Enter your PIN").Then(
			callflow.CollectDTMF().CollectionName("pin").MaxDigits(6).Then(
				callflow.Pivot("https://ivr.example.com/pin").Method(callflow.PivotMethodPost).ReqTimeoutMS(3000))),
		"menu": callflow.Menu().ID("main-menu").
			Branch("1", callflow.User().ID("4b1a1f61ac2e35ab7d7ba9a8d3c10e4c").Timeout(20)).
			Branch("2", callflow.Voicemail().ID("e3b0c44298fc1c149afbf4c8996fb924")).
			Then(callflow.Hangup()),
		"carrier":  callflow.Resources().UseLocalResources(false).ToDID("+14155550123"),
		"presence": callflow.ManualPresence("1001@example.com").Status(callflow.ManualPresenceStatusBusy),
	}
	out := map[string][]byte{}
	for name, b := range trees {
		data, err := json.Marshal(b.Node())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = data
	}
	return out
}

// mutations derives invalid variants of a tree from the schema of each
// node's module: a required property removed, an enum value that is not
// allowed, a string too long, a value of the wrong type, an unknown module.
func mutations(t *testing.T, tree []byte) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	var root map[string]any
	if err := json.Unmarshal(tree, &root); err != nil {
		t.Fatal(err)
	}
	var visit func(path string, node map[string]any)
	visit = func(path string, node map[string]any) {
		module, _ := node["module"].(string)
		raw, err := schemas.FS.ReadFile("callflows." + module + ".json")
		if err != nil {
			t.Fatalf("%s: %v", module, err)
		}
		var schema map[string]any
		if err := json.Unmarshal(raw, &schema); err != nil {
			t.Fatal(err)
		}
		props, _ := schema["properties"].(map[string]any)
		data, _ := node["data"].(map[string]any)
		mutate := func(name string, change func(data map[string]any)) {
			saved := clone(data)
			change(data)
			b, _ := json.Marshal(root)
			out[path+"/"+name] = b
			for k := range data {
				delete(data, k)
			}
			for k, v := range saved {
				data[k] = v
			}
		}
		for _, r := range asStrings(schema["required"]) {
			mutate("missing-"+r, func(d map[string]any) { delete(d, r) })
		}
		for key, p := range props {
			prop, _ := p.(map[string]any)
			if _, ok := prop["enum"]; ok {
				mutate("enum-"+key, func(d map[string]any) { d[key] = "not-an-allowed-value" })
			}
			if max, ok := prop["maxLength"].(float64); ok {
				mutate("long-"+key, func(d map[string]any) { d[key] = strings.Repeat("x", int(max)+1) })
			}
			if max, ok := prop["maximum"].(float64); ok {
				mutate("big-"+key, func(d map[string]any) { d[key] = max + 1 })
			}
			switch prop["type"] {
			case "string":
				mutate("type-"+key, func(d map[string]any) { d[key] = 42 })
			case "boolean", "integer", "array", "object":
				mutate("type-"+key, func(d map[string]any) { d[key] = "wrong type" })
			}
		}
		mutate("module-unknown", func(map[string]any) { node["module"] = "no_such_module" })
		node["module"] = module
		children, _ := node["children"].(map[string]any)
		for key, c := range children {
			visit(path+"/"+key, c.(map[string]any))
		}
	}
	visit("", root)
	return out
}

func clone(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func asStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// TestValidateAgreesWithKazooSchemas runs kzgen validate on valid trees and
// on their mutations and compares every verdict with the reference
// validator run on Kazoo's own schemas.
func TestValidateAgreesWithKazooSchemas(t *testing.T) {
	oracle := kazootest.Oracle(t)
	dir := t.TempDir()
	cases := 0
	invalid := 0
	for name, tree := range validTrees(t) {
		files := map[string][]byte{name + ".json": tree}
		for m, data := range mutations(t, tree) {
			files[name+strings.ReplaceAll(m, "/", "_")+".json"] = data
		}
		for file, data := range files {
			path := filepath.Join(dir, file)
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			var stdout, stderr bytes.Buffer
			code := run([]string{"validate", path}, &stdout, &stderr)
			want := kazootest.ValidateTree(oracle, data)
			wantCode := 0
			if len(want) > 0 {
				wantCode = 1
				invalid++
			}
			if code != wantCode {
				t.Errorf("%s: kzgen validate exit %d, reference validator says %d\ninput: %s\nkzgen: %s%s\nreference: %v",
					file, code, wantCode, data, stdout.String(), stderr.String(), want)
			}
			if code == 1 && !strings.HasPrefix(stdout.String(), path+":") {
				t.Errorf("%s: problem lines must start with the file name: %q", file, stdout.String())
			}
			cases++
		}
	}
	t.Logf("%d files checked (%d invalid), kzgen validate agrees with the reference validator on all", cases, invalid)
	if cases < 50 {
		t.Fatalf("only %d cases; the mutation generator is not doing its job", cases)
	}
}

func TestValidateReportsPointers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.json")
	bad := `{"module":"tts","data":{"text":""},"children":{"_":{"module":"pivot","data":{"voice_url":"https://x.example","req_timeout_ms":9000}}}}`
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"validate", path}, &stdout, &stderr); code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	want := fmt.Sprintf("%[1]s:/data/text: length 0, minimum 1\n%[1]s:/children/_/data/req_timeout_ms: 9000 is greater than the maximum 5000\n", path)
	if stdout.String() != want {
		t.Errorf("got\n%s\nwant\n%s", stdout.String(), want)
	}
}

// TestValidateReportsTypeErrorsWithTheRest: data of the wrong JSON type
// does not hide the other problems of the tree.
func TestValidateReportsTypeErrorsWithTheRest(t *testing.T) {
	path := filepath.Join(t.TempDir(), "types.json")
	bad := `{"module":"user","data":{"id":"6f0c1d5a8b2e4c7d9e3f1a2b3c4d5e6f","timeout":"20"},"children":{"_":{"module":"tts","data":{"text":""}}}}`
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"validate", path}, &stdout, &stderr); code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	want := fmt.Sprintf("%[1]s:/data/timeout: got string, want integer\n%[1]s:/children/_/data/text: length 0, minimum 1\n", path)
	if stdout.String() != want {
		t.Errorf("got\n%s\nwant\n%s", stdout.String(), want)
	}
}

func TestValidateUsageAndIOErrors(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"validate"}, &stdout, &stderr); code != 2 {
		t.Errorf("no files: exit %d, want 2", code)
	}
	if code := run([]string{"validate", filepath.Join(t.TempDir(), "missing.json")}, &stdout, &stderr); code != 2 {
		t.Errorf("missing file: exit %d, want 2", code)
	}
	path := filepath.Join(t.TempDir(), "broken.json")
	os.WriteFile(path, []byte("{\n  \"module\": "), 0o644)
	stdout.Reset()
	if code := run([]string{"validate", path}, &stdout, &stderr); code != 1 {
		t.Errorf("broken JSON: exit %d, want 1", code)
	}
	if !strings.Contains(stdout.String(), "invalid JSON at line 2") {
		t.Errorf("broken JSON: %q does not give the position", stdout.String())
	}
}

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
