package callflow_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// FuzzParse runs whole trees through the generated code as a pivot server
// and Crossbar would: Parse (a node or a stored document) and ParseAnswer
// (always a node), Validate (tree.Validate, kzrt.Validate and
// AppendValidJSON must agree), encode, re-parse. Nothing may panic or
// hang; Parse accepts only well-formed JSON and refuses everything else
// with a located *kzrt.DecodeError; what it accepts encodes to the input's
// JSON value as Kazoo reads it (the first copy of a repeated key, numbers
// exact), but for the values Crossbar converts in a stored callflow
// (Document.Conversions), and that encoding parses again to itself.
//
// Run locally, not in CI (go test replays the corpus in testdata/fuzz):
//
//	go test ./gen/callflow -run '^$' -fuzz FuzzParse -fuzztime 10m
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"module":"tts","data":{"text":"hi"},"children":{"_":{"module":"hangup","data":{}}}}`))
	f.Add([]byte(`{"flow":{"module":"pivot","data":{"voice_url":"https://x"}},"numbers":["1000"]}`))
	f.Add([]byte(`{"module":"send_dtmf","data":{"digits":"1","duration_ms":"2000"}}`))
	f.Add([]byte(`{"module":"resources","data":{"custom_sip_headers":{"in":{"X":"1"}}}}`))
	f.Add([]byte(`{"data":{"text":"hi","text":""},"module":"tts","module":"x","children":{"_":{"module":"user","data":{"timeout":100000000000000000000}}}}`))
	f.Add([]byte(`{"module":"audio_macro","data":{"macros":[{"macro":"tts","text":"hi"},{"macro":"tone","frequencies":[440]},{"macro":"beep"},{"id":"x"}]}}`))
	f.Add([]byte(`{"module":"pivot","data":{"voice_url":"https://x","req_timeout_ms":2e1,"method":"get"}}`))
	f.Add([]byte(`{"numbers":["1"],"flow":{"module":"user","data":{"timeout":"20","can_call_self":"true","id":"x"},"children":{"_":{"module":"voicemail","data":{"max_message_length":120.5}}}}}`))
	f.Add([]byte(`{"module":"answer","children":{"":"x","\n":{"module":"hangup"},"_":{"module":"conference","data":{"config":{"profile":{"rate":8000.0}}}}}}`))
	f.Add([]byte(`{"module":"missed_call_alert","data":{"recipients":[{"id":["a@b.c"],"type":"email"},{"id":7,"type":"user"}]}}`))
	f.Add([]byte(`{"module":"sleep","data":{"duration":1e999999999}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tree, err := callflow.Parse(data)
		answer, aerr := callflow.ParseAnswer(data)
		for _, err := range []error{err, aerr} {
			if _, ok := errors.AsType[*kzrt.DecodeError](err); err != nil && !ok {
				t.Fatalf("Parse error %T %v is not a *kzrt.DecodeError", err, err)
			}
		}
		if err != nil && aerr != nil {
			return
		}
		if !json.Valid(data) {
			t.Fatalf("Parse or ParseAnswer accepts malformed JSON: %q", data)
		}
		// A document's "flow" need not be a node to ParseAnswer, nor its
		// other members to Parse: each may accept what the other refuses.
		if aerr == nil {
			checkTree(t, answer, firstCopies(t, data), nil)
		}
		if err == nil {
			var conversions []kzrt.Conversion
			if doc, ok := tree.(*callflow.Document); ok {
				conversions = doc.Conversions()
			}
			checkTree(t, tree, firstCopies(t, data), conversions)
		}
	})
}

// checkTree validates tree three ways, which must agree, then encodes it:
// its JSON must be want, with the conversions applied, and parse again to
// the same encoding.
func checkTree(t *testing.T, tree kzrt.Tree, want any, conversions []kzrt.Conversion) {
	verr := tree.Validate()
	if kerr := kzrt.Validate(tree); fmt.Sprint(kerr) != fmt.Sprint(verr) {
		t.Fatalf("kzrt.Validate: %v, Validate: %v", kerr, verr)
	}
	out, merr := tree.MarshalJSON() // json.Marshal would escape <, > and & besides
	if n, ok := tree.(*callflow.Node); ok {
		one, err := n.AppendValidJSON(nil)
		switch {
		case verr != nil:
			if err == nil || err.Error() != verr.Error() {
				t.Fatalf("AppendValidJSON: %v, Validate: %v", err, verr)
			}
		case merr != nil:
			if err == nil {
				t.Fatalf("AppendValidJSON: no error, MarshalJSON: %v", merr)
			}
		case err != nil || !bytes.Equal(one, out):
			t.Fatalf("AppendValidJSON: %s %v, MarshalJSON: %s", one, err, out)
		}
	}
	if merr != nil {
		return // e.g. a union with no alternative a decoder could set
	}
	for _, c := range conversions {
		want = setAt(t, want, c.Pointer, firstCopies(t, c.To))
	}
	if got := firstCopies(t, out); !reflect.DeepEqual(got, want) {
		t.Fatalf("the tree's JSON is not the input's value:\n want %v\n out  %s", want, out)
	}
	again, err := callflow.Parse(out)
	if _, isNode := tree.(*callflow.Node); isNode {
		again, err = callflow.ParseAnswer(out)
	}
	if err != nil {
		t.Fatalf("re-parsing our own output: %v\n%s", err, out)
	}
	out2, err := again.MarshalJSON()
	if err != nil || string(out2) != string(out) {
		t.Fatalf("encoding is not stable:\n%s\n%s", out, out2)
	}
}

// firstCopies reads well-formed JSON with encoding/json's tokens, keeping
// the first copy of a repeated key, as Kazoo reads it; numbers become
// their exact value, written canonically.
func firstCopies(t *testing.T, data []byte) any {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var value func() any
	value = func() any {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("reading %q: %v", data, err)
		}
		switch tok := tok.(type) {
		case json.Delim:
			if tok == '[' {
				l := []any{}
				for dec.More() {
					l = append(l, value())
				}
				dec.Token()
				return l
			}
			m := map[string]any{}
			for dec.More() {
				k, _ := dec.Token()
				v := value()
				if _, dup := m[k.(string)]; !dup {
					m[k.(string)] = v
				}
			}
			dec.Token()
			return m
		case json.Number:
			return exactNumber(string(tok))
		}
		return tok
	}
	return value()
}

// exactNumber writes a JSON number's exact value canonically, whatever its
// size or exponent: "20", "2e1" and "20.00" are all "+2e1", "0" and "-0.0"
// "0". (big.Rat would do, but not in time for 1e999999999.)
func exactNumber(lit string) string {
	sign := "+"
	if lit[0] == '-' {
		sign, lit = "-", lit[1:]
	}
	mantissa, exp, _ := strings.Cut(strings.ToLower(lit), "e")
	whole, frac, _ := strings.Cut(mantissa, ".")
	digits := whole + frac
	e := new(big.Int)
	if exp != "" {
		e.SetString(strings.TrimPrefix(exp, "+"), 10)
	}
	// The value is 0.digits × 10^(len(whole)+e); leading zeros move the
	// point, trailing ones do not count.
	trimmed := strings.TrimLeft(digits, "0")
	e.Add(e, big.NewInt(int64(len(whole)-(len(digits)-len(trimmed)))))
	trimmed = strings.TrimRight(trimmed, "0")
	if trimmed == "" {
		return "0"
	}
	return sign + "0." + trimmed + "e" + e.String()
}

// setAt replaces the value at a JSON pointer in a value from firstCopies.
func setAt(t *testing.T, v any, pointer string, to any) any {
	if pointer == "" {
		return to
	}
	token, rest, _ := strings.Cut(pointer[1:], "/")
	if rest != "" {
		rest = "/" + rest
	}
	token = strings.ReplaceAll(strings.ReplaceAll(token, "~1", "/"), "~0", "~")
	switch c := v.(type) {
	case map[string]any:
		if _, ok := c[token]; ok {
			c[token] = setAt(t, c[token], rest, to)
			return c
		}
	case []any:
		if i, err := strconv.Atoi(token); err == nil && i >= 0 && i < len(c) {
			c[i] = setAt(t, c[i], rest, to)
			return c
		}
	}
	t.Fatalf("conversion at %s: no such value", pointer)
	return nil
}
