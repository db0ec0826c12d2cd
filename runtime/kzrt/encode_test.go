package kzrt_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"testing"

	"github.com/kzgen/kzgen/runtime/kzrt"
)

// stdJSON encodes v as encoding/json does with HTML escaping off, which is
// what Encoder promises to match byte for byte.
func stdJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

func TestEncoderCommas(t *testing.T) {
	var e kzrt.Encoder
	e.OpenObject()
	e.Key("a")
	e.OpenArray()
	e.Elem()
	e.Int(1)
	e.Elem()
	e.OpenObject()
	e.CloseObject()
	e.Elem()
	e.OpenArray()
	e.CloseArray()
	e.CloseArray()
	e.Key("b")
	e.Bool(true)
	e.Key("c")
	e.Null()
	e.Extra(map[string]json.RawMessage{"z": json.RawMessage(`[ 1 ]`), "y": nil})
	e.CloseObject()
	got, err := e.Bytes()
	if want := `{"a":[1,{},[]],"b":true,"c":null,"y":null,"z":[1]}`; err != nil || string(got) != want {
		t.Fatalf("got %s (%v), want %s", got, err, want)
	}
}

func TestEncoderReopenObject(t *testing.T) {
	var e kzrt.Encoder
	e.OpenObject()
	e.Key("a")
	e.Int(1)
	e.CloseObject()
	if !e.ReopenObject() {
		t.Fatal("ReopenObject after an object")
	}
	e.Key("b")
	e.Int(2)
	e.CloseObject()
	if got, _ := e.Bytes(); string(got) != `{"a":1,"b":2}` {
		t.Fatalf("got %s", got)
	}
	var s kzrt.Encoder
	s.String("x")
	if s.ReopenObject() {
		t.Fatal("ReopenObject after a string")
	}
}

func TestEncoderErrors(t *testing.T) {
	for name, write := range map[string]func(*kzrt.Encoder){
		"NaN":         func(e *kzrt.Encoder) { e.Float(math.NaN()) },
		"+Inf":        func(e *kzrt.Encoder) { e.Float(math.Inf(1)) },
		"invalid raw": func(e *kzrt.Encoder) { e.Raw(json.RawMessage(`{"a":`)) },
		"Fail":        func(e *kzrt.Encoder) { e.Fail(errors.New("first")); e.Fail(errors.New("second")) },
	} {
		var e kzrt.Encoder
		write(&e)
		if b, err := e.Bytes(); err == nil || b != nil {
			t.Errorf("%s: got %s, %v; want an error and no bytes", name, b, err)
		}
	}
	var e kzrt.Encoder
	e.Fail(errors.New("first"))
	e.Fail(errors.New("second"))
	if _, err := e.Bytes(); err.Error() != "first" {
		t.Errorf("the first error wins: %v", err)
	}
}

func TestEncoderGrow(t *testing.T) {
	var e kzrt.Encoder
	e.String("ab")
	e.Grow(100)
	e.Grow(1) // already has room
	if got, _ := e.Bytes(); string(got) != `"ab"` || cap(got) < 104 {
		t.Fatalf("got %s, capacity %d", got, cap(got))
	}
}

// The differential fuzz targets below hold Encoder to encoding/json with
// HTML escaping off (json.Encoder.SetEscapeHTML(false)): for every input,
// both produce the same bytes, or both fail. That covers string escapes
// (quotes, backslashes, control characters with their short forms \b \f
// \n \r \t, U+2028 and U+2029), invalid UTF-8 (each bad byte becomes
// \ufffd), numbers (integers, floats with encoding/json's choice of
// exponent form and its "e-7" spelling; NaN and infinities refused), raw
// JSON (compacted; invalid JSON refused; empty input is null, as a nil
// json.RawMessage is) and whole nested values.

// stringSeeds exercise every kind of escape and invalid UTF-8.
var stringSeeds = []string{
	"", "plain", `quote " backslash \ slash /`, "\b\f\n\r\t", "\x00\x01\x1f\x7f",
	"<script>&amp;</script>", "\u2028\u2029", "é ü 日本 🎉", "\xff", "\xc3", "a\xe2\x82b",
	"\xed\xa0\x80" /* a UTF-16 surrogate, invalid in UTF-8 */, "\xf4\x90\x80\x80", /* beyond U+10FFFF */
	"\ufffd", "mixed \"\x01\xff\u2028é",
}

func FuzzEncoderString(f *testing.F) {
	for _, s := range stringSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var e kzrt.Encoder
		e.String(s)
		got, err := e.Bytes()
		if err != nil {
			t.Fatalf("String(%q): %v", s, err)
		}
		want, _ := stdJSON(s)
		if !bytes.Equal(got, want) {
			t.Fatalf("String(%q):\n got %s\nwant %s", s, got, want)
		}
	})
}

func FuzzEncoderNumber(f *testing.F) {
	for _, v := range []struct {
		i int64
		f float64
	}{
		{0, 0}, {-1, math.Copysign(0, -1)}, {math.MaxInt64, 1e21}, {math.MinInt64, 1e20}, {42, 1e-6}, {7, 1e-7},
		{1, 123456789.125}, {2, 5e-324}, {3, math.MaxFloat64}, {4, -1.5e-10}, {5, 0.000001234},
	} {
		f.Add(v.i, v.f)
	}
	f.Fuzz(func(t *testing.T, i int64, fl float64) {
		var e kzrt.Encoder
		e.Int(i)
		got, _ := e.Bytes()
		if want, _ := stdJSON(i); !bytes.Equal(got, want) {
			t.Fatalf("Int(%d): got %s, want %s", i, got, want)
		}
		var fe kzrt.Encoder
		fe.Float(fl)
		got, err := fe.Bytes()
		want, stdErr := stdJSON(fl)
		if (err != nil) != (stdErr != nil) || !bytes.Equal(got, want) {
			t.Fatalf("Float(%v): got %s (%v), want %s (%v)", fl, got, err, want, stdErr)
		}
	})
}

func FuzzEncoderRaw(f *testing.F) {
	for _, s := range []string{"", "null", " { \"a\" : [ 1 , 2 ] } ", `"<&>"`, `{"a":`, "[1,]", "1e5", `"\u2028"`, "tru", "\"\xff\""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var e kzrt.Encoder
		e.Raw(raw)
		got, err := e.Bytes()
		if len(raw) == 0 {
			// The one difference: empty input is null, as a nil
			// json.RawMessage is; encoding/json refuses a non-nil empty one.
			raw = nil
		}
		want, stdErr := stdJSON(json.RawMessage(raw))
		if (err != nil) != (stdErr != nil) || !bytes.Equal(got, want) {
			t.Fatalf("Raw(%q): got %s (%v), want %s (%v)", raw, got, err, want, stdErr)
		}
	})
}

// FuzzEncoderValue decodes the input as JSON, with encoding/json, and
// encodes the value it gives back two ways: with Encoder, walked as
// generated code walks a value (objects with sorted keys, arrays, strings,
// float64 numbers, booleans, null), and with encoding/json.
func FuzzEncoderValue(f *testing.F) {
	for _, s := range []string{
		`{"module":"tts","data":{"text":"Hi <there> & \u2028 \"you\"","n":[1,2.5,-3e-7,1e21]},"children":{"_":null}}`,
		`[[[]],{},"",true,false,null,0]`, `{"b":1,"a":{"d":[{"z":"\u0000"}],"c":"é"}}`, `"\ud800"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		if json.Unmarshal(data, &v) != nil {
			return
		}
		var e kzrt.Encoder
		encodeAny(&e, v)
		got, err := e.Bytes()
		if err != nil {
			t.Fatalf("%s: %v", data, err)
		}
		want, _ := stdJSON(v)
		if !bytes.Equal(got, want) {
			t.Fatalf("%s:\n got %s\nwant %s", data, got, want)
		}
	})
}

func encodeAny(e *kzrt.Encoder, v any) {
	switch v := v.(type) {
	case map[string]any:
		e.OpenObject()
		for _, k := range slices.Sorted(maps.Keys(v)) {
			e.Key(k)
			encodeAny(e, v[k])
		}
		e.CloseObject()
	case []any:
		e.OpenArray()
		for _, item := range v {
			e.Elem()
			encodeAny(e, item)
		}
		e.CloseArray()
	case string:
		e.String(v)
	case float64:
		e.Float(v)
	case bool:
		e.Bool(v)
	case nil:
		e.Null()
	default:
		panic(fmt.Sprintf("encodeAny: unexpected %T", v))
	}
}
