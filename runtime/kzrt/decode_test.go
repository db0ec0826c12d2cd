package kzrt_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/runtime/kzrt"
)

// decodeErr returns err as a *kzrt.DecodeError, failing the test when it
// is not one.
func decodeErr(t *testing.T, err error) *kzrt.DecodeError {
	t.Helper()
	var de *kzrt.DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("got %T (%v), want a *kzrt.DecodeError", err, err)
	}
	return de
}

func TestDecode(t *testing.T) {
	var s string
	if err := kzrt.Decode(json.RawMessage(`"h\u00e9 \"x\""`), &s); err != nil || s != `hé "x"` {
		t.Fatalf("string with escapes: %q %v", s, err)
	}
	var n int64
	if err := kzrt.Decode(json.RawMessage(` -42 `), &n); err != nil || n != -42 {
		t.Fatalf("int: %d %v", n, err)
	}
	var p *bool
	if err := kzrt.Decode(json.RawMessage(`false`), &p); err != nil || p == nil || *p {
		t.Fatalf("*bool: %v %v", p, err)
	}
	var raws []json.RawMessage
	if err := kzrt.Decode(json.RawMessage(`[null, {"a":1}]`), &raws); err != nil || string(raws[0]) != "null" {
		t.Fatalf("raw items may be null: %s %v", raws, err)
	}

	cases := []struct {
		in, pointer, msg string
		dst              any
	}{
		{`null`, "", "got null, want a value", new(string)},
		{`5`, "", "got number, want string", new(string)},
		{`"5"`, "", "got string, want integer", new(int64)},
		{`1.5`, "", "got number 1.5, want integer", new(int64)},
		{`["a", null]`, "/1", "got null, want a value", new([]string)},
		{`{"a": ["x", 1]}`, "/a/1", "got number, want string", new(map[string][]string)},
		{`{"a/b": null}`, "/a~1b", "got null, want a value", new(map[string]int64)},
		{`"x"`, "", "got string, want array", new([]string)},
		{`[1]`, "", "got array, want object", new(map[string]int64)},
	}
	for _, c := range cases {
		de := decodeErr(t, kzrt.Decode(json.RawMessage(c.in), c.dst))
		if de.Pointer != c.pointer || !strings.Contains(de.Err.Error(), c.msg) {
			t.Errorf("%s into %T: %q %q, want %q %q", c.in, c.dst, de.Pointer, de.Err, c.pointer, c.msg)
		}
	}
}

// item is a nested object as generated code declares it.
type item struct {
	Name  *string                    `json:"name,omitempty"`
	Extra map[string]json.RawMessage `json:"-"`
}

func (x *item) UnmarshalJSON(data []byte) error {
	*x = item{}
	return kzrt.DecodeObject(data, x, &x.Extra)
}

func TestDecodeObject(t *testing.T) {
	type obj struct {
		ID    *string                    `json:"id,omitempty"`
		Items []item                     `json:"items,omitempty"`
		Skip  string                     `json:"-"`
		Extra map[string]json.RawMessage `json:"-"`
	}
	var o obj
	err := kzrt.DecodeObject([]byte(`{"id":"a","x_note":{"k":1},"items":[],"Skip":"no"}`), &o, &o.Extra)
	if err != nil || *o.ID != "a" || o.Items == nil || string(o.Extra["x_note"]) != `{"k":1}` || o.Skip != "" || o.Extra["Skip"] == nil {
		t.Fatalf("%+v %v", o, err)
	}
	var bad obj
	de := decodeErr(t, kzrt.DecodeObject([]byte(`{"items":[{"name":"x"},{"name":7}]}`), &bad, &bad.Extra))
	if de.Pointer != "/items/1/name" {
		t.Errorf("pointer %q", de.Pointer)
	}
	de = decodeErr(t, kzrt.DecodeObject([]byte(`[]`), &bad, &bad.Extra))
	if de.Error() != "got array, want object" {
		t.Errorf("not an object: %v", de)
	}
}

func TestAt(t *testing.T) {
	if kzrt.At("a", nil) != nil {
		t.Fatal("At of nil")
	}
	inner := kzrt.At("x/y", &json.UnmarshalTypeError{Value: "number", Type: reflect.TypeFor[string]()})
	err := kzrt.At("data", inner)
	if err.Error() != "/data/x~1y: got number, want string" {
		t.Fatalf("%v", err)
	}
	if !errors.Is(kzrt.At("a", errSentinel), errSentinel) {
		t.Fatal("At hides the cause")
	}
}

var errSentinel = errors.New("sentinel")

func TestMembersKindIsInteger(t *testing.T) {
	m, err := kzrt.Members([]byte(` {"a":1,"b":[2]} `))
	if err != nil || string(m["b"]) != "[2]" {
		t.Fatalf("%v %v", m, err)
	}
	if _, err := kzrt.Members([]byte(`"s"`)); err == nil || err.Error() != "got string, want object" {
		t.Fatalf("%v", err)
	}
	if _, err := kzrt.Members([]byte(`{"a":`)); err == nil {
		t.Fatal("invalid JSON")
	}
	for in, want := range map[string]byte{`{`: '{', ` [`: '[', `"`: '"', `true`: 't', `false`: 'f', `null`: 'n', `-1`: '0', `7`: '0', ``: 0, `x`: 0} {
		if got := kzrt.Kind([]byte(in)); got != want {
			t.Errorf("Kind(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]bool{`1`: true, `1.0`: true, `1e2`: true, `1.5`: false, `1e-1`: false, `-0`: true} {
		if got := kzrt.IsInteger([]byte(in)); got != want {
			t.Errorf("IsInteger(%s) = %v", in, got)
		}
	}
}

func TestUnionHelpers(t *testing.T) {
	if err := kzrt.NoVariant([]byte(`true`), "string or integer"); err.Error() != "got boolean, want string or integer" {
		t.Errorf("NoVariant: %v", err)
	}
	shallow := &kzrt.DecodeError{Pointer: "/a", Err: errSentinel}
	deep := &kzrt.DecodeError{Pointer: "/a/b/c", Err: errSentinel}
	if kzrt.Deeper(shallow, deep) != deep || kzrt.Deeper(deep, shallow) != deep || kzrt.Deeper(nil, shallow) != shallow || kzrt.Deeper(shallow, nil) != shallow {
		t.Error("Deeper")
	}
	if got := kzrt.DefaultValue[[]string](`["1","#"]`); !reflect.DeepEqual(got, []string{"1", "#"}) {
		t.Errorf("DefaultValue: %v", got)
	}
	if got := kzrt.DefaultValue[int64](`"x"`); got != 0 {
		t.Errorf("DefaultValue of a bad default: %v", got)
	}
}
