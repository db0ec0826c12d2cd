package kzrt_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/runtime/kzrt"
)

// decodeAny reads any JSON value with a Decoder, as generated code reads
// the values it knows: objects (the first copy of a repeated key), arrays,
// strings, numbers (as their text), booleans, null.
func decodeAny(d *kzrt.Decoder) any {
	switch d.Kind() {
	case '{':
		m := map[string]any{}
		if d.OpenObject() {
			for d.NextMember() {
				k := string(d.Key())
				m[k] = decodeAny(d)
			}
		}
		return m
	case '[':
		l := []any{}
		if d.OpenArray() {
			for d.NextElem() {
				l = append(l, decodeAny(d))
			}
		}
		return l
	case '"':
		return d.String()
	case '0':
		return json.Number(d.Number())
	case 't', 'f':
		return d.Bool()
	case 'n':
		d.Skip()
		return nil
	}
	d.Unexpected("a value")
	return nil
}

// reference reads data with encoding/json's tokens, keeping the first
// copy of a repeated key as Kazoo does: the value decodeAny must give.
// ok is false for what encoding/json finds malformed.
func reference(data []byte) (v any, ok bool) {
	if !json.Valid(data) {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := referenceValue(dec)
	if err != nil {
		panic("encoding/json found valid JSON it cannot read: " + err.Error())
	}
	return v, true
}

func referenceValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		m := map[string]any{}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := referenceValue(dec)
			if err != nil {
				return nil, err
			}
			if _, dup := m[k.(string)]; !dup {
				m[k.(string)] = v
			}
		}
		_, err := dec.Token()
		return m, err
	case json.Delim('['):
		l := []any{}
		for dec.More() {
			v, err := referenceValue(dec)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
		}
		_, err := dec.Token()
		return l, err
	}
	return tok, nil
}

// FuzzDecoder compares the Decoder with encoding/json on any input: both
// must accept the same JSON (up to the Decoder's tighter nesting bound)
// and read the same value from it, except for repeated keys, where the
// Decoder keeps the first copy as Kazoo does (the reference too). Nothing
// may panic, and every error must be located.
func FuzzDecoder(f *testing.F) {
	for _, s := range []string{
		`{"module":"tts","data":{"text":"h\u00e9","n":[1,2.5,-3e-7,1e400,100000000000000000000]},"children":{"_":null}}`,
		`{"a":1,"a":2,"b":{"c":[],"c":{}}}`, `[[[]],{},"",true,false,null,0,-0]`, "\"\xff\\ud800\\udc00x\"",
		`{"\u0061":1,"a":2}`, ` 1 `, `{"a":[1,]}`, `{"a" 1}`, `01`, `1.`, `-`, `"\x"`, "\"a\tb\"", `nul`, `[1 2]`,
		strings.Repeat(`{"a":`, 40) + `1` + strings.Repeat(`}`, 40),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var got any
		err := kzrt.Unmarshal(data, func(d *kzrt.Decoder) { got = decodeAny(d) })
		want, valid := reference(data)
		if err != nil {
			var de *kzrt.DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("%q: error %T %v is not a *kzrt.DecodeError", data, err, err)
			}
			if valid && !strings.Contains(err.Error(), "levels deep") {
				t.Fatalf("%q: encoding/json accepts it, the Decoder says %v", data, err)
			}
			return
		}
		if !valid {
			t.Fatalf("%q: encoding/json refuses it, the Decoder reads %v", data, got)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q:\n got  %#v\n want %#v", data, got, want)
		}
		// Skipping the value accepts exactly what reading it does.
		if err := kzrt.Unmarshal(data, (*kzrt.Decoder).Skip); err != nil {
			t.Fatalf("%q: read, but Skip says %v", data, err)
		}
	})
}

// FuzzDecoderStructs feeds any input to a struct decoded as generated code
// decodes one (call, in decode_test.go), and compares what it reads with
// encoding/json's reading of the same members where the two agree: valid
// JSON, no key repeated, no number an int64 cannot hold, keys matched
// exactly (encoding/json also matches them case-insensitively, so inputs
// with such keys are left out).
func FuzzDecoderStructs(f *testing.F) {
	for _, s := range []string{
		`{"name":"x","count":5,"ratio":1.5,"on":true,"tags":["a"],"labels":{"a":1},"items":[{"name":"i"}],"meta":{"k":null},"other":[1]}`,
		`{"count":20.0}`, `{"count":100000000000000000000}`, `{"name":null}`, `{"tags":[null]}`, `{"Name":"x"}`, `[]`,
	} {
		f.Add([]byte(s))
	}
	type mirror struct {
		Name   *string          `json:"name"`
		Count  *int64           `json:"count"`
		Ratio  *float64         `json:"ratio"`
		On     *bool            `json:"on"`
		Tags   []string         `json:"tags"`
		Labels map[string]int64 `json:"labels"`
		Items  []struct {
			Name *string `json:"name"`
		} `json:"items"`
		Meta json.RawMessage `json:"meta"`
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var got call
		err := got.UnmarshalJSON(data)
		if err != nil {
			var de *kzrt.DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("%q: error %T %v is not a *kzrt.DecodeError", data, err, err)
			}
			return
		}
		if !json.Valid(data) {
			t.Fatalf("%q: malformed, but decoded", data)
		}
		// Where the two agree, encoding/json must read the same values.
		if hasRepeatedKey(data) || got.Extra["count"] != nil || got.Extra["ratio"] != nil {
			return
		}
		if v, _ := reference(data); hasUpperCaseKey(v) {
			return // encoding/json's case-insensitive matching
		}
		var want mirror
		if err := json.Unmarshal(data, &want); err != nil {
			return // null where a value is due: the Decoder refuses it, encoding/json not always
		}
		if !reflect.DeepEqual(got.Name, want.Name) || !reflect.DeepEqual(got.Count, want.Count) ||
			!reflect.DeepEqual(got.Ratio, want.Ratio) || !reflect.DeepEqual(got.On, want.On) ||
			!reflect.DeepEqual(got.Tags, want.Tags) || !reflect.DeepEqual(got.Labels, want.Labels) ||
			len(got.Items) != len(want.Items) || (got.Meta == nil) != (want.Meta == nil) {
			t.Fatalf("%q:\n got  %+v\n want %+v", data, got, want)
		}
		for i := range got.Items {
			if !reflect.DeepEqual(got.Items[i].Name, want.Items[i].Name) {
				t.Fatalf("%q: item %d: %v, want %v", data, i, got.Items[i].Name, want.Items[i].Name)
			}
		}
	})
}

// hasUpperCaseKey reports whether a value from reference has a key with
// an upper-case letter anywhere.
func hasUpperCaseKey(v any) bool {
	switch v := v.(type) {
	case map[string]any:
		for k, item := range v {
			if k != strings.ToLower(k) || hasUpperCaseKey(item) {
				return true
			}
		}
	case []any:
		for _, item := range v {
			if hasUpperCaseKey(item) {
				return true
			}
		}
	}
	return false
}

// hasRepeatedKey reports whether any object in data, valid JSON, has a key
// twice.
func hasRepeatedKey(data []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	var stack []map[string]bool
	expectKey := func() bool {
		return len(stack) > 0 && stack[len(stack)-1] != nil
	}
	var keyNext []bool
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return false
		}
		if err != nil {
			return false
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, map[string]bool{})
			keyNext = append(keyNext, true)
			continue
		case json.Delim('['):
			stack = append(stack, nil)
			keyNext = append(keyNext, false)
			continue
		case json.Delim('}'), json.Delim(']'):
			stack, keyNext = stack[:len(stack)-1], keyNext[:len(keyNext)-1]
		default:
			if expectKey() && keyNext[len(keyNext)-1] {
				k := tok.(string)
				if stack[len(stack)-1][k] {
					return true
				}
				stack[len(stack)-1][k] = true
				keyNext[len(keyNext)-1] = false
				continue
			}
		}
		// A value ended: the enclosing object wants a key next.
		if len(keyNext) > 0 && stack[len(stack)-1] != nil {
			keyNext[len(keyNext)-1] = true
		}
	}
}
