package callflow_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// FuzzParse feeds arbitrary bytes to Parse, Validate and the encoders.
// Nothing may panic; Parse accepts only well-formed JSON, and refuses
// everything else with a located error; what parses encodes to the same
// JSON value as the input as Kazoo reads it (encoding/json's reading,
// keeping the first copy of a repeated key), which parses again to the
// same encoding; and AppendValidJSON agrees with Validate and MarshalJSON.
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
	f.Add([]byte(`{"module":"audio_macro","data":{"macros":[{"macro":"tts","text":"hi"},{"macro":"tone","frequencies":[440]}]}}`))
	f.Add([]byte(`{"module":"pivot","data":{"voice_url":"https://x","req_timeout_ms":2e1,"method":"get"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tree, err := callflow.Parse(data)
		if err != nil {
			var de *kzrt.DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("Parse error %T %v is not a *kzrt.DecodeError", err, err)
			}
			return
		}
		if !json.Valid(data) {
			t.Fatalf("Parse accepts malformed JSON: %q", data)
		}
		verr := tree.Validate()
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
		if want, got := firstCopies(t, data), firstCopies(t, out); !sameValue(got, want) {
			t.Fatalf("the tree's JSON is not the input's value:\n in  %s\n out %s", data, out)
		}
		again, err := callflow.Parse(out)
		if err != nil {
			t.Fatalf("re-parsing our own output: %v\n%s", err, out)
		}
		out2, err := again.MarshalJSON()
		if err != nil || string(out2) != string(out) {
			t.Fatalf("encoding is not stable:\n%s\n%s", out, out2)
		}
	})
}

// firstCopies reads well-formed JSON with encoding/json's tokens, keeping
// the first copy of a repeated key, as Kazoo reads it; numbers are exact
// rationals.
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
			r, _ := new(big.Rat).SetString(string(tok))
			return r.RatString()
		}
		return tok
	}
	return value()
}

// sameValue compares two values from firstCopies. A node read without a
// "module" is written with "module":"" (a Node has no way to tell the
// two apart; Validate reports both), so got may have that member more.
func sameValue(got, want any) bool {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return false
		}
		if m, added := g["module"]; added && m == "" {
			if _, had := w["module"]; !had {
				g = maps.Clone(g)
				delete(g, "module")
			}
		}
		if len(g) != len(w) {
			return false
		}
		for k, wv := range w {
			gv, ok := g[k]
			if !ok || !sameValue(gv, wv) {
				return false
			}
		}
		return true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !sameValue(g[i], w[i]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(got, want)
}
