package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/internal/conformance"
	"github.com/kzgen/kzgen/internal/kazootest"
	"github.com/kzgen/kzgen/schemas"
)

// runValidateFile writes data to a file and runs kzgen validate on it with
// the flags; it returns the exit code, standard output and standard error.
func runValidateFile(t *testing.T, data string, flags ...string) (string, int, string, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "flow.json")
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := run(append(append([]string{"validate"}, flags...), path), &stdout, &stderr)
	return path, code, stdout.String(), stderr.String()
}

var (
	problemLine = regexp.MustCompile(`^:(?:("[^"]*"|/.*?):)? .* \[([a-zA-Z_]+)\]$`)
	warningLine = regexp.MustCompile(`: warning: (\S*) \(line \d+, column \d+\): duplicate key`)
)

// TestValidateConformance runs the conformance suite through the command
// line: -as for the mode, -url-blacklist for the cases that extend the
// blacklist; problems are read back from the FILE:/pointer: message [code]
// lines and duplicate keys from the warnings.
func TestValidateConformance(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(c conformance.Case) conformance.Verdict {
		flags := []string{"-as", c.Mode}
		if len(c.URLBlacklist) > 0 {
			flags = append(flags, "-url-blacklist", strings.Join(c.URLBlacklist, ","))
		}
		path, code, stdout, stderr := runValidateFile(t, c.Input, flags...)
		if code != 0 && code != 1 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var v conformance.Verdict
		v.Valid = code == 0
		for _, line := range strings.Split(strings.TrimSuffix(stdout, "\n"), "\n") {
			if line == "" {
				continue
			}
			m := problemLine.FindStringSubmatch(strings.TrimPrefix(line, path))
			if !strings.HasPrefix(line, path+":") || m == nil {
				t.Fatalf("problem line %q is not FILE:/pointer: message [code]", line)
			}
			ptr := m[1]
			if strings.HasPrefix(ptr, `"`) {
				var err error
				if ptr, err = strconv.Unquote(ptr); err != nil {
					t.Fatalf("problem line %q: %v", line, err)
				}
			}
			v.Problems = append(v.Problems, conformance.Problem{Pointer: ptr, Code: m[2]})
		}
		for _, m := range warningLine.FindAllStringSubmatch(stderr, -1) {
			v.Warnings = append(v.Warnings, m[1])
		}
		want := fmt.Sprintf("%s: checked as a %s (-as)\n", path, map[string]string{"pivot": "Pivot answer", "callflow": "callflow document"}[c.Mode])
		if !strings.HasPrefix(stderr, want) {
			t.Errorf("standard error does not start with %q:\n%s", want, stderr)
		}
		return v
	})
}

func TestValidateReportsPointersAndCodes(t *testing.T) {
	bad := `{"module":"tts","data":{"text":""},"children":{"_":{"module":"pivot","data":{"voice_url":"https://x.example","req_timeout_ms":9000}}}}`
	path, code, stdout, stderr := runValidateFile(t, bad)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	want := fmt.Sprintf("%[1]s:/children/_/data/req_timeout_ms: 9000 is greater than the maximum 5000 [maximum]\n"+
		"%[1]s:/data/text: length 0, minimum 1 [minLength]\n", path)
	if stdout != want {
		t.Errorf("got\n%s\nwant\n%s", stdout, want)
	}
	if stderr != path+": checked as a Pivot answer\n" {
		t.Errorf("standard error: %q", stderr)
	}
}

// TestValidateWarnsAboutUnreachableChildren: a child Kazoo never takes is a
// warning on standard error, with the pointer and a suggestion; the file
// stays valid (Kazoo accepts any key). callflow.Lint says the same, from
// the same table (gen/callflow's TestLintAgreesWithValidate).
func TestValidateWarnsAboutUnreachableChildren(t *testing.T) {
	flow := `{"module":"check_cid","data":{},"children":{"matched":{"module":"hangup","data":{}},"nomatch":{"module":"hangup","data":{}}}}`
	path, code, stdout, stderr := runValidateFile(t, flow)
	if code != 0 || stdout != "" {
		t.Errorf("exit %d, %s", code, stdout)
	}
	want := path + `: warning: /children/matched: check_cid never takes this child; it reads "match", "nomatch", ` +
		`caller-ID numbers (with use_absolute_mode) and "_"; did you mean "match"?`
	if !strings.Contains(stderr, want) {
		t.Errorf("standard error lacks\n%s\n%s", want, stderr)
	}
}

// TestValidatePicksTheMode: a document with "flow" is checked as Crossbar
// stores it, and the command says so; -as pivot checks it as an answer.
func TestValidatePicksTheMode(t *testing.T) {
	doc := `{"numbers":["1000"],"flow":{"module":"user","data":{"id":"4b1a1f61ac2e35ab7d7ba9a8d3c10e4c","timeout":"20"}}}`
	path, code, stdout, stderr := runValidateFile(t, doc)
	if code != 0 || stdout != "" {
		t.Errorf("as a document: exit %d, %s", code, stdout)
	}
	for _, want := range []string{
		path + `: checked as a callflow document (it has "flow" and no "module"; -as pivot checks it as an answer)`,
		path + `: warning: /flow/data/timeout: Crossbar converts "20" to integer 20 before storing`,
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("standard error lacks %q:\n%s", want, stderr)
		}
	}
	path, code, stdout, _ = runValidateFile(t, doc, "-as", "pivot")
	if code != 1 || stdout != path+":/module: required property is missing [required]\n" {
		t.Errorf("-as pivot: exit %d, %s", code, stdout)
	}
}

// TestValidateSchemaDirectory: -schemas checks against a user's own Kazoo
// schemas, custom modules included.
func TestValidateSchemaDirectory(t *testing.T) {
	custom := `{"_id":"callflows.queue_callback","type":"object","required":["queue_id"],
		"properties":{"queue_id":{"type":"string","minLength":32,"maxLength":32}}}`
	dir := schemaCopy(t, schemas.FS, map[string]string{"callflows.queue_callback.json": custom})
	flow := `{"module":"queue_callback","data":{"queue_id":"4b1a1f61ac2e35ab7d7ba9a8d3c10e4c"}}`
	if _, code, stdout, _ := runValidateFile(t, flow, "-schemas", dir); code != 0 {
		t.Errorf("custom module with -schemas: exit %d: %s", code, stdout)
	}
	path, code, stdout, _ := runValidateFile(t, `{"module":"queue_callback","data":{}}`, "-schemas", dir)
	if code != 1 || stdout != path+":/data/queue_id: required property is missing [required]\n" {
		t.Errorf("custom module data: exit %d: %s", code, stdout)
	}
	path, code, stdout, _ = runValidateFile(t, flow)
	if code != 1 || stdout != path+":/module: unable to find callflow schema for module queue_callback [error]\n" {
		t.Errorf("custom module without -schemas: exit %d: %s", code, stdout)
	}
}

func TestValidateURLBlacklist(t *testing.T) {
	flow := `{"module":"pivot","data":{"voice_url":"http://10.0.0.7/ivr"}}`
	if _, code, stdout, _ := runValidateFile(t, flow); code != 0 {
		t.Errorf("default blacklist: exit %d: %s", code, stdout)
	}
	path, code, stdout, _ := runValidateFile(t, flow, "-url-blacklist", "10.0.0.0/8, pbx.internal")
	if code != 1 || !strings.HasPrefix(stdout, path+":/data/voice_url: invalid client URL: host 10.0.0.7 is on the client blacklist (10.0.0.0/8) [error]") {
		t.Errorf("extended blacklist: exit %d: %s", code, stdout)
	}
	if _, code, _, stderr := runValidateFile(t, flow, "-url-blacklist", "10.0.0.0/33"); code != 2 || !strings.Contains(stderr, "-url-blacklist") {
		t.Errorf("bad entry: exit %d: %s", code, stderr)
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
	for _, flags := range [][]string{{"-as", "document"}, {"-schemas", t.TempDir()}, {"-schemas", "/no/such/dir"}, {"-stability-level", "gold"}} {
		if _, code, _, stderr := runValidateFile(t, `{}`, flags...); code != 2 {
			t.Errorf("%v: exit %d, want 2: %s", flags, code, stderr)
		}
	}
	path, code, out, _ := runValidateFile(t, "{\n  \"module\": ")
	if code != 1 || out != path+": invalid JSON at line 2, column 13: unexpected end of input [json]\n" {
		t.Errorf("broken JSON: exit %d: %q", code, out)
	}
}

// flows are realistic callflows, written as Kazoo's documentation writes
// them.
var flows = map[string]string{
	"say-hi": `{"module":"tts","data":{"text":"Hello from kzgen","voice":"female","engine":"flite"}}`,
	"pin": `{"module":"tts","data":{"text":"Enter your PIN"},"children":{"_":{"module":"collect_dtmf","data":{"collection_name":"pin","max_digits":6},
		"children":{"_":{"module":"pivot","data":{"voice_url":"https://ivr.example.com/pin","method":"post","req_timeout_ms":3000}}}}}}`,
	"menu": `{"module":"menu","data":{"id":"main-menu"},"children":{"1":{"module":"user","data":{"id":"4b1a1f61ac2e35ab7d7ba9a8d3c10e4c","timeout":20}},
		"2":{"module":"voicemail","data":{"id":"e3b0c44298fc1c149afbf4c8996fb924"}},"_":{"module":"hangup","data":{}}}}`,
	"carrier":  `{"module":"resources","data":{"use_local_resources":false,"to_did":"+14155550123"}}`,
	"presence": `{"module":"manual_presence","data":{"presence_id":"1001@example.com","status":"busy"}}`,
	"record":   `{"module":"record_call","data":{"url":"https://rec.example.com/","time_limit":600}}`,
}

// mutations derives invalid variants of a tree from the schema of each
// node's module: a required property removed, an enum value that is not
// allowed, a string too long, a number too big, a value of the wrong type,
// an unknown module.
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
			saved := maps.Clone(data)
			change(data)
			b, _ := json.Marshal(root)
			out[path+"/"+name] = b
			clear(data)
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

// TestValidateAgreesWithKazooSchemas runs kzgen validate (embedded
// schemas) on realistic flows and their mutations and compares every
// verdict and every problem with the same check on Kazoo's own schema
// set: the embedded closure must carry all of Kazoo's facts.
func TestValidateAgreesWithKazooSchemas(t *testing.T) {
	t.Parallel()
	kazoo := kazootest.Oracle(t)
	cases, invalid := 0, 0
	for name, tree := range flows {
		files := map[string][]byte{name: []byte(tree)}
		for m, data := range mutations(t, []byte(tree)) {
			files[name+strings.ReplaceAll(m, "/", "_")] = data
		}
		for file, data := range files {
			path, code, stdout, stderr := runValidateFile(t, string(data))
			want := kazootest.KazooTree(kazoo, data)
			var got []string
			for _, line := range strings.Split(strings.TrimSuffix(stdout, "\n"), "\n") {
				if line != "" {
					got = append(got, strings.TrimPrefix(strings.TrimPrefix(line, path), ":"))
				}
			}
			slices.Sort(got)
			slices.Sort(want)
			wantCode := 0
			if len(want) > 0 {
				wantCode = 1
			}
			if !slices.Equal(got, want) || code != wantCode {
				t.Errorf("%s: kzgen validate (exit %d) and Kazoo's schemas disagree\ninput: %s\nkzgen: %q%s\nkazoo: %q",
					file, code, data, got, stderr, want)
			}
			if len(want) > 0 {
				invalid++
			}
			cases++
		}
	}
	t.Logf("%d files checked (%d invalid); kzgen validate agrees with Kazoo's own schemas on all", cases, invalid)
	if cases < 50 || invalid < cases/2 {
		t.Fatalf("only %d cases, %d invalid; the mutation generator is not doing its job", cases, invalid)
	}
}
