package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kzgen/kzgen/runtime/kzrt"
	"github.com/kzgen/kzgen/schemas"
)

func TestFmtCanonical(t *testing.T) {
	path := writeFile(t, "in.json", `{"children":{"_":{"data":{},"module":"hangup"}},"data":{"voice":"male","text":"Hi","x-custom":[1,2]},"module":"tts","flags":"kept"}`)
	code, stdout, stderr := kzgen(t, "fmt", path)
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d: %s", code, stderr)
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
	if stdout != want {
		t.Errorf("got\n%s\nwant\n%s", stdout, want)
	}
}

// TestFmtDocument: a stored callflow document keeps its keys sorted and
// lays its flow out as a node; nested data keys are sorted at every depth,
// numbers keep their literal (1.50, 1e3, 20.0 mean something to Kazoo),
// strings are written as encoding/json writes them without HTML escaping,
// and a child under a key Kazoo does not check keeps its value.
func TestFmtDocument(t *testing.T) {
	in := `{"numbers":["+1555"],"name":"Main","flow":{"data":{"text":"\u0041 <b> & \u00e9\t","z":{"b":[{"y":1,"x":2}],"a":1.50},"n":1e3,"f":20.0},"children":{"":"not a node","b":{"data":{"id":"u1"},"module":"user"},"a":{"module":"hangup"}},"module":"tts"},"featurecode":{}}`
	code, stdout, stderr := kzgen(t, "fmt", writeFile(t, "doc.json", in))
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := `{
    "featurecode": {},
    "flow": {
        "module": "tts",
        "data": {
            "f": 20.0,
            "n": 1e3,
            "text": "A <b> & é\t",
            "z": {
                "a": 1.50,
                "b": [
                    {
                        "x": 2,
                        "y": 1
                    }
                ]
            }
        },
        "children": {
            "": "not a node",
            "a": {
                "module": "hangup"
            },
            "b": {
                "module": "user",
                "data": {
                    "id": "u1"
                }
            }
        }
    },
    "name": "Main",
    "numbers": [
        "+1555"
    ]
}
`
	if stdout != want {
		t.Errorf("got\n%s\nwant\n%s", stdout, want)
	}
	assertSameJSON(t, in, stdout)
}

// assertSameJSON fails unless a and b hold the same JSON value.
func assertSameJSON(t *testing.T, a, b string) {
	t.Helper()
	var va, vb any
	if err := json.Unmarshal([]byte(a), &va); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(b), &vb); err != nil {
		t.Fatalf("the output is no JSON: %v", err)
	}
	if !reflect.DeepEqual(va, vb) {
		t.Errorf("the output holds another value than the input:\n%s\n%s", a, b)
	}
}

// TestFmtDuplicateKeys: Kazoo reads the first copy of a key written twice,
// so fmt keeps that one, at every depth, and says where the others were.
func TestFmtDuplicateKeys(t *testing.T) {
	in := `{"module":"tts","data":{"text":"first","text":"second"},"module":"hangup","children":{"_":{"module":"hangup","data":{}},"_":{"module":"tts"}}}`
	code, stdout, stderr := kzgen(t, "fmt", writeFile(t, "dup.json", in))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	assertSameJSON(t, `{"module":"tts","data":{"text":"first"},"children":{"_":{"module":"hangup","data":{}}}}`, stdout)
	for _, ptr := range []string{"/data/text", "/module", "/children/_"} {
		if !strings.Contains(stderr, ": warning: "+ptr+": duplicate key: Kazoo reads the first copy") {
			t.Errorf("no warning for %s:\n%s", ptr, stderr)
		}
	}
}

// TestFmtWarnsOfModulesWithoutSchema: a module the schema set lacks is
// kept, with a warning naming the node; -schemas with the user's own set
// (a custom module) silences it.
func TestFmtWarnsOfModulesWithoutSchema(t *testing.T) {
	dir := schemaCopy(t, schemas.FS, nil)
	custom := `{"_id": "callflows.hold_music", "type": "object", "properties": {"media_id": {"type": "string"}}}`
	if err := os.WriteFile(filepath.Join(dir, "callflows.hold_music.json"), []byte(custom), 0o644); err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, "flow.json", `{"module":"tts","data":{"text":"hold"},"children":{"_":{"module":"hold_music","data":{"media_id":"m1"}}}}`)
	code, plain, stderr := kzgen(t, "fmt", path)
	if code != 0 || !strings.Contains(stderr, path+`: warning: /children/_/module: no schema callflows.hold_music in kzgen's embedded schemas`) ||
		!strings.Contains(stderr, "-schemas DIR") {
		t.Errorf("embedded schemas: exit %d, stderr %q", code, stderr)
	}
	code, custom2, stderr := kzgen(t, "fmt", "-schemas", dir, path)
	if code != 0 || stderr != "" {
		t.Errorf("-schemas: exit %d, stderr %q", code, stderr)
	}
	if plain != custom2 {
		t.Errorf("the layout depends on the schema set:\n%s\n%s", plain, custom2)
	}
	code, _, stderr = kzgen(t, "fmt", "-schemas", filepath.Join(dir, "missing"), path)
	if code != 2 || !strings.Contains(stderr, "does not exist") {
		t.Errorf("missing -schemas: exit %d, stderr %q", code, stderr)
	}
	// A name Kazoo's schema check accepts but no module.
	code, _, stderr = kzgen(t, "fmt", writeFile(t, "action.json", `{"module":"action","data":{}}`))
	if code != 0 || !strings.Contains(stderr, "/module: callflows.action is no callflow module") {
		t.Errorf("action: exit %d, stderr %q", code, stderr)
	}
}

// TestFmtIsIdempotent: formatting the output again changes nothing, deep
// values written on one line included.
func TestFmtIsIdempotent(t *testing.T) {
	for name, in := range map[string]string{
		"node":     `{"module":"tts","data":{"text":"a","b":[[],{}]},"children":{"1":{"module":"hangup"}}}`,
		"document": `{"numbers":["1"],"flow":{"module":"menu","children":{"_":{"module":"hangup"}}}}`,
		"deep":     deepChain(60),
	} {
		code, once, stderr := kzgen(t, "fmt", writeFile(t, name+".json", in))
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, stderr)
		}
		code, twice, stderr := kzgen(t, "fmt", writeFile(t, name+"2.json", once))
		if code != 0 || twice != once {
			t.Errorf("%s: formatting twice changes the output (exit %d, %s):\n%s\n%s", name, code, stderr, once, twice)
		}
		assertSameJSON(t, in, once)
	}
}

// deepChain is a callflow of depth nodes, each the "_" child of the one
// before.
func deepChain(depth int) string {
	return strings.Repeat(`{"module":"tts","data":{"text":"x"},"children":{"_":`, depth-1) + `{"module":"hangup"}` + strings.Repeat("}}", depth-1)
}

// TestFmtRefusesWhatIsNoCallflow: malformed JSON with its line and
// column, shapes that are no callflow tree with their JSON pointer.
func TestFmtRefusesWhatIsNoCallflow(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"module": "tts",` + "\n" + ` "data": }`, "invalid JSON at line 2, column 10"},
		{`{"module": "tts"} {}`, "invalid JSON at line 1, column 19"},
		{`[1, 2]`, "got array, want object"},
		{`{"module": "tts", "children": []}`, ":/children: got array, want object"},
		{`{"module": 7}`, ":/module: "},
		{`{"flow": null, "numbers": ["1"]}`, ":/flow: got null, want object"},
		{`{"flow": {"module": "menu", "children": {"1": "x"}}}`, ":/flow/children/1: got string, want object"},
	} {
		path := writeFile(t, "bad.json", tc.in)
		code, stdout, stderr := kzgen(t, "fmt", path)
		if code != 1 || stdout != "" || !strings.Contains(stderr, path+tc.want) && !strings.Contains(stderr, path+": "+tc.want) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 1 and %q", tc.in, code, stdout, stderr, tc.want)
		}
	}
}

// TestFmtNestingLimit: arrays and objects nested up to kzrt.MaxDepth
// levels are formatted; one more level is an error naming the JSON pointer
// and the line and column of the first value too deep.
func TestFmtNestingLimit(t *testing.T) {
	// The node and its data take two levels.
	ok := `{"module":"x","data":{"a":` + strings.Repeat("[", maxNesting-2) + strings.Repeat("]", maxNesting-2) + `}}`
	if code, _, stderr := kzgen(t, "fmt", writeFile(t, "ok.json", ok)); code != 0 {
		t.Fatalf("%d levels: exit %d: %s", maxNesting, code, stderr)
	}
	tooDeep := `{"module":"x","data":{"a":` + strings.Repeat("[", maxNesting-1) + strings.Repeat("]", maxNesting-1) + `}}`
	path := writeFile(t, "deep.json", tooDeep)
	code, _, stderr := kzgen(t, "fmt", path)
	wantPtr := "/data/a" + strings.Repeat("/0", maxNesting-2)
	want := fmt.Sprintf("%s:%s: line 1, column %d: nested more than %d arrays and objects deep", path, wantPtr, len(`{"module":"x","data":{"a":`)+maxNesting-1, maxNesting)
	if code != 1 || !strings.HasPrefix(stderr, want) {
		t.Errorf("exit %d, stderr …%q; want exit 1 and …%q", code, stderr[max(0, len(path)+len(wantPtr)-20):], want[len(path)+len(wantPtr)-20:])
	}
	// A node nests two levels (itself, its children), so a chain of
	// kzrt.MaxDepth nodes is too deep too.
	code, _, stderr = kzgen(t, "fmt", writeFile(t, "chain.json", deepChain(kzrt.MaxDepth)))
	if code != 1 || !strings.Contains(stderr, "nested more than") || !strings.Contains(stderr, "/children/_/children/_") {
		t.Errorf("chain of %d nodes: exit %d, stderr %.300q", kzrt.MaxDepth, code, stderr)
	}
}

// TestFmtOutputIsLinear: the output stays within a fixed factor of the
// input, however the input nests. Indenting every level would make a
// deeply nested input grow with the square of its depth (270 KB of nested
// arrays gave 540 MB).
func TestFmtOutputIsLinear(t *testing.T) {
	t.Parallel()
	// The worst case: one-byte values, one a line, as deep as indented.
	const factor = 4*maxIndentLevel/2 + 4
	nest := func(depth int, inner string) string {
		return `{"module":"x","data":{"a":` + strings.Repeat("[", depth) + inner + strings.Repeat("]", depth) + `}}`
	}
	many := func(n int, s string) string { return strings.TrimSuffix(strings.Repeat(s+",", n), ",") }
	for name, in := range map[string]string{
		"nested arrays, 270 KB": nest(1, many(135, strings.Repeat("[", 996)+strings.Repeat("]", 996))),
		"a chain of nodes":      deepChain(490),
		"ones at the deepest":   nest(maxIndentLevel-2, many(50000, "1")),
		"ones below it":         nest(maxIndentLevel+10, many(50000, "1")),
		"flat":                  nest(1, many(50000, `{"k":"v"}`)),
	} {
		code, out, stderr := kzgen(t, "fmt", writeFile(t, "in.json", in))
		if code != 0 {
			t.Fatalf("%s: exit %d: %.300s", name, code, stderr)
		}
		ratio := float64(len(out)) / float64(len(in))
		t.Logf("%s: %d bytes in, %d out (%.1f×)", name, len(in), len(out), ratio)
		if ratio > factor {
			t.Errorf("%s: %d bytes in, %d out: more than %d times the input", name, len(in), len(out), factor)
		}
		assertSameJSON(t, in, out)
	}
}

// TestFmtLargeInput: a 10 MB callflow is formatted in bounded time, and
// an input over maxInputBytes is refused before it is read whole.
func TestFmtLargeInput(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("formats 10 MB; skipped in -short mode")
	}
	var b strings.Builder
	b.WriteString(`{"module":"menu","data":{"id":"m"},"children":{`)
	for i := 0; b.Len() < 10<<20; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"%d":%s`, i, deepChain(20))
	}
	b.WriteString(`}}`)
	path := writeFile(t, "big.json", b.String())
	start := time.Now()
	code, out, stderr := kzgen(t, "fmt", path)
	if code != 0 {
		t.Fatalf("exit %d: %.300s", code, stderr)
	}
	t.Logf("%d bytes in, %d out, in %v", b.Len(), len(out), time.Since(start))
	if len(out) > 20*b.Len() {
		t.Errorf("%d bytes out of %d", len(out), b.Len())
	}

	huge := writeFile(t, "huge.json", `{"module":"tts","data":{"text":"`+strings.Repeat("a", maxInputBytes)+`"}}`)
	code, out, stderr = kzgen(t, "fmt", huge)
	if code != 2 || out != "" || !strings.Contains(stderr, "larger than 16 MiB") {
		t.Errorf("over maxInputBytes: exit %d, stderr %q", code, stderr)
	}
}

// TestFmtStandardInput reads "-".
func TestFmtStandardInput(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdin := os.Stdin
	os.Stdin = r
	t.Cleanup(func() { os.Stdin = stdin })
	go func() {
		w.WriteString(`{"data":{},"module":"hangup","data":{"x":1}}`)
		w.Close()
	}()
	var stdout, stderr bytes.Buffer
	code := run([]string{"fmt", "-"}, &stdout, &stderr)
	if code != 0 || stdout.String() != "{\n    \"module\": \"hangup\",\n    \"data\": {}\n}\n" ||
		!strings.Contains(stderr.String(), "<stdin>: warning: /data: duplicate key") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
}

// TestFmtWarningsInOrder: warnings about modules come in the order fmt
// writes the nodes (by branch key, depth first), the first maxWarnings of
// them, then how many more there are.
func TestFmtWarningsInOrder(t *testing.T) {
	var children []string
	for i := maxWarnings + 4; i >= 0; i-- { // written in reverse
		children = append(children, fmt.Sprintf(`"%02d":{"module":"nope%d","children":{"_":{"module":"nope"}}}`, i, i))
	}
	in := `{"module":"menu","children":{` + strings.Join(children, ",") + `}}`
	code, _, stderr := kzgen(t, "fmt", writeFile(t, "many.json", in))
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	var got []string
	for _, l := range lines {
		_, ptr, _ := strings.Cut(l, ": warning: ")
		ptr, _, _ = strings.Cut(ptr, ": ")
		got = append(got, ptr)
	}
	var want []string
	for i := range maxWarnings / 2 {
		want = append(want, fmt.Sprintf("/children/%02d/module", i), fmt.Sprintf("/children/%02d/children/_/module", i))
	}
	want = append(want, fmt.Sprintf("%d more like these", 2*(maxWarnings+5)-maxWarnings))
	if code != 0 || !slices.Equal(got, want) {
		t.Errorf("exit %d, warnings\n%s\nwant pointers %q", code, stderr, want)
	}
}
