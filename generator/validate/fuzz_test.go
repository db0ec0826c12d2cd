package validate

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzValidate feeds arbitrary bytes to the validator in every mode. It
// must never panic or hang, give the same result twice, agree with
// encoding/json on what is JSON, and point every problem and warning into
// the document (or just below a value of it, for a missing property).
func FuzzValidate(f *testing.F) {
	for _, seed := range []string{
		`{"module":"answer"}`,
		`{"module":"tts","data":{"text":"Hello","text":""},"children":{"_":{"module":"hangup"}}}`,
		`{"module":"pivot","data":{"voice_url":"http://localhost/x","req_timeout_ms":5001}}`,
		`{"module":"audio_macro","data":{"macros":[{"macro":"play","id":"x"},{"macro":"tone","frequencies":[1e3]}]}}`,
		`{"numbers":["1000"],"flow":{"module":"user","data":{"timeout":"20","can_call_self":"true"}}}`,
		`{"module":"conference","data":{"config":{"profile":{"rate":8000.0}}}}`,
		`{"module":"language","data":{"language":"en\n"}}`,
		`{"module":"answer","children":{"":{},"\n":[1,2,{"a":null}]}}`,
		`[{"module":1},"x",true,null,-0.5e-3]`,
		`{"module":"action","data":{"module":"say"}}`,
		`{"a":"\ud800\udc00\ud800"}`,
		`{`, `"`, `[[[[[[[[[[`, ``, `nul`, `1.`, `-`, `{"a":1,}`,
	} {
		for mode := range 3 {
			f.Add([]byte(seed), uint8(mode))
		}
	}
	v, err := New(WithMaxDepth(64))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte, m uint8) {
		mode := Mode(m % 3)
		res := v.Validate(data, mode)
		again := v.Validate(data, mode)
		if !slices.Equal(res.Problems, again.Problems) || !slices.Equal(res.Warnings, again.Warnings) {
			t.Fatalf("two runs differ:\n%v\n%v", res.Problems, again.Problems)
		}
		if res.Mode == Auto {
			t.Fatal("result mode Auto")
		}
		if res.Valid() != (len(res.Problems) == 0) || res.Valid() != (res.Err() == nil) {
			t.Fatal("Valid, Problems and Err disagree")
		}
		root, _, decErr := decode(data, 64)
		if utf8.Valid(data) && depth(data) <= 64 && (decErr == nil) != json.Valid(data) {
			t.Fatalf("decode error %v, but json.Valid says %v", decErr, json.Valid(data))
		}
		if decErr != nil {
			if len(res.Problems) != 1 || res.Problems[0].Code != CodeJSON {
				t.Fatalf("malformed JSON gave %v", res.Problems)
			}
			return
		}
		for _, p := range res.Problems {
			if p.Code == "" || p.Message == "" {
				t.Fatalf("problem without code or message: %+v", p)
			}
			if !pointsInto(root, p.Pointer) {
				t.Fatalf("problem %v points outside the document", p)
			}
		}
		for _, w := range res.Warnings {
			if !pointsInto(root, w.Pointer) {
				t.Fatalf("warning %v points outside the document", w)
			}
		}
	})
}

// depth is how deeply arrays and objects nest in data, counting brackets
// outside strings.
func depth(data []byte) int {
	d, deepest, inString := 0, 0, false
	for i := 0; i < len(data); i++ {
		switch c := data[i]; {
		case inString && c == '\\':
			i++
		case c == '"':
			inString = !inString
		case inString:
		case c == '[' || c == '{':
			d++
			deepest = max(deepest, d)
		case c == ']' || c == '}':
			d--
		}
	}
	return deepest
}

// pointsInto reports whether ptr names a value of root, or leaves root's
// values at a member an object lacks: a missing required property, or a
// value inside a default Kazoo filled in for it.
func pointsInto(root *value, ptr string) bool {
	if ptr == "" {
		return true
	}
	if !strings.HasPrefix(ptr, "/") {
		return false
	}
	tokens := strings.Split(ptr[1:], "/")
	v := root
	for _, tok := range tokens {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch v.kind {
		case kindObject:
			next := v.get(tok)
			if next == nil {
				return true
			}
			v = next
		case kindArray:
			n, err := strconv.Atoi(tok)
			if err != nil || n < 0 || n >= len(v.items) {
				return false
			}
			v = v.items[n]
		default:
			return false
		}
	}
	return true
}
