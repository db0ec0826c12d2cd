package kzrt_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strconv"
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

// call is a struct as kzgen generates it, with a decode method written as
// the generator writes them: one case per property, unknown properties in
// Extra.
type call struct {
	Name   *string
	Count  *int64
	Ratio  *float64
	On     *bool
	Tags   []string
	Labels map[string]int64
	Items  []item
	Meta   json.RawMessage
	Extra  map[string]json.RawMessage
}

func (x *call) UnmarshalJSON(data []byte) error { return kzrt.Unmarshal(data, x.decode) }

func (x *call) decode(d *kzrt.Decoder) {
	*x = call{}
	if !d.OpenObject() {
		return
	}
	for d.NextMember() {
		switch string(d.Key()) {
		case "name":
			x.Name = new(d.String())
		case "count":
			x.Count = d.IntOrKeep(&x.Extra)
		case "ratio":
			x.Ratio = d.FloatOrKeep(&x.Extra)
		case "on":
			x.On = new(d.Bool())
		case "tags":
			if d.OpenArray() {
				x.Tags = []string{}
				for d.NextElem() {
					x.Tags = append(x.Tags, d.String())
				}
			}
		case "labels":
			if d.OpenObject() {
				x.Labels = map[string]int64{}
				for d.NextMember() {
					k := string(d.Key())
					x.Labels[k] = d.Int()
				}
			}
		case "items":
			if d.OpenArray() {
				x.Items = []item{}
				for d.NextElem() {
					var c item
					c.decode(d)
					x.Items = append(x.Items, c)
				}
			}
		case "meta":
			x.Meta = d.Raw()
		default:
			d.Extra(&x.Extra)
		}
	}
}

// item is a nested object.
type item struct {
	Name  *string
	Extra map[string]json.RawMessage
}

func (x *item) decode(d *kzrt.Decoder) {
	*x = item{}
	if !d.OpenObject() {
		return
	}
	for d.NextMember() {
		switch string(d.Key()) {
		case "name":
			x.Name = new(d.String())
		default:
			d.Extra(&x.Extra)
		}
	}
}

func TestDecoder(t *testing.T) {
	in := `{ "name" : "h\u00e9 \"x\"", "count": -42, "ratio": 1.5e3, "on": false,
		"tags": ["a", "b"], "labels": {"x": 1, "y/z": 2}, "items": [{"name": "i", "k": [1]}, {}],
		"meta": null, "x_note": {"k": [1, {"a": "b"}]}, "empty": [] }`
	var c call
	if err := json.Unmarshal([]byte(in), &c); err != nil {
		t.Fatal(err)
	}
	want := call{
		Name: new(`hé "x"`), Count: new(int64(-42)), Ratio: new(1500.0), On: new(false),
		Tags: []string{"a", "b"}, Labels: map[string]int64{"x": 1, "y/z": 2},
		Items: []item{{Name: new("i"), Extra: map[string]json.RawMessage{"k": json.RawMessage(`[1]`)}}, {}},
		Meta:  json.RawMessage(`null`),
		Extra: map[string]json.RawMessage{"x_note": json.RawMessage(`{"k": [1, {"a": "b"}]}`), "empty": json.RawMessage(`[]`)},
	}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("got  %+v\nwant %+v", c, want)
	}
	// An empty list is not an absent one.
	if err := json.Unmarshal([]byte(`{"tags":[]}`), &c); err != nil || c.Tags == nil || len(c.Tags) != 0 {
		t.Fatalf("empty list: %#v %v", c.Tags, err)
	}
}

func TestDecoderProblems(t *testing.T) {
	cases := []struct{ in, pointer, msg string }{
		{`null`, "", "got null, want object"},
		{`[]`, "", "got array, want object"},
		{`{"name": 5}`, "/name", "got number 5, want string"},
		{`{"name": null}`, "/name", "got null, want string"},
		{`{"count": "5"}`, "/count", "got string, want integer"},
		// Kazoo reads these as floats, not integers (a struct field keeps
		// them in Extra, see TestKeptNumbers).
		{`{"labels": {"a": 20.0}}`, "/labels/a", "got number 20.0, want integer"},
		{`{"labels": {"a": 2e1}}`, "/labels/a", "got number 2e1, want integer"},
		{`{"on": "true"}`, "/on", "got string, want boolean"},
		{`{"tags": ["a", null]}`, "/tags/1", "got null, want string"},
		{`{"tags": "a"}`, "/tags", "got string, want array"},
		{`{"labels": {"a/b": true}}`, "/labels/a~1b", "got boolean, want integer"},
		{`{"labels": {"a": 100000000000000000000}}`, "/labels/a", "integer 100000000000000000000 is beyond int64's range"},
		{`{"items": [{"name": "x"}, {"name": 7}]}`, "/items/1/name", "got number 7, want string"},
		{`{"items": [{"name": "x"}, "y"]}`, "/items/1", "got string, want object"},
		// Malformed JSON, located where it is found.
		{`{"name": "x",}`, "/name", "invalid JSON at offset 13: unexpected character '}' looking for an object key"},
		{`{"name": "x" "count": 1}`, "/name", "want ',' or '}'"},
		{`{"tags": ["a" "b"]}`, "/tags/0", "want ',' or ']'"},
		{`{"tags": ["a",]}`, "/tags/1", "unexpected character ']' looking for the beginning of a value"},
		{`{"name": "x"} x`, "", "unexpected character 'x' after the top-level value"},
		{`{"name": "x`, "/name", "unexpected end of JSON input in a string"},
		{`{"name": "\x"}`, "/name", "invalid escape"},
		{"{\"name\": \"a\tb\"}", "/name", "control character in a string"},
		{`{"count": 01}`, "/count", "want ',' or '}'"},
		{`{"count": -}`, "/count", "invalid number"},
		{`{"count": 1.}`, "/count", "invalid number"},
		{`{"on": tru}`, "/on", "unexpected character 't' looking for the beginning of a value"},
		{`{"meta": [1,]}`, "/meta", "unexpected character ']' looking for the beginning of a value"},
		{`{"x": {"a" 1}}`, "/x", "after an object key; want ':'"},
		{`{"x": nul}`, "/x", "looking for the beginning of a value"},
		// A value of the wrong type is reported as malformed when it is.
		{`{"name": [1,}`, "/name", "looking for the beginning of a value"},
		{``, "", "unexpected end of JSON input"},
	}
	for _, c := range cases {
		var x call
		de := decodeErr(t, x.UnmarshalJSON([]byte(c.in)))
		if de.Pointer != c.pointer || !strings.Contains(de.Err.Error(), c.msg) {
			t.Errorf("%s: %q %q, want %q %q", c.in, de.Pointer, de.Err, c.pointer, c.msg)
		}
	}
	// Nesting is bounded, in decoded and in skipped values alike.
	for _, in := range []string{
		`{"x":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`,
		strings.Repeat(`{"items":[`, 3000) + strings.Repeat(`]}`, 3000),
	} {
		var x call
		if err := x.UnmarshalJSON([]byte(in)); err == nil || !strings.Contains(err.Error(), "levels deep") {
			t.Errorf("deep input: %.200v", err)
		}
	}
}

// TestStrings compares string decoding with encoding/json's, escapes,
// surrogates and invalid UTF-8 included.
func TestStrings(t *testing.T) {
	for _, in := range []string{
		`"plain"`, `""`, `"\"\\\/\b\f\n\r\t"`, `"\u00e9\u4e16"`, `"\ud83d\ude00"`, `"\ud83d"`, `"\ude00x"`,
		`"\ud83d\u0041"`, "\"caf\xc3\xa9\"", "\"bad \xff byte\"", "\"cut \xe4\xb8\"", `"\u0000"`, "\"\u2028\"",
	} {
		var want string
		if err := json.Unmarshal([]byte(in), &want); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		var got string
		if err := kzrt.Unmarshal([]byte(in), func(d *kzrt.Decoder) { got = d.String() }); err != nil || got != want {
			t.Errorf("%s: %q %v, want %q", in, got, err, want)
		}
	}
}

func TestNumbers(t *testing.T) {
	for in, want := range map[string]int64{`0`: 0, `-0`: 0, `9223372036854775807`: 1<<63 - 1, `-9223372036854775808`: -1 << 63} {
		var got int64
		if err := kzrt.Unmarshal([]byte(in), func(d *kzrt.Decoder) { got = d.Int() }); err != nil || got != want {
			t.Errorf("%s: %d %v", in, got, err)
		}
	}
	for _, in := range []string{`9223372036854775808`, `-9223372036854775809`, `100000000000000000000000000000000000000`} {
		err := kzrt.Unmarshal([]byte(in), func(d *kzrt.Decoder) { d.Int() })
		if err == nil || !strings.Contains(err.Error(), "beyond int64's range") {
			t.Errorf("%s: %v", in, err)
		}
	}
	for in, want := range map[string]float64{`1`: 1, `-2.5e-3`: -0.0025, `1E2`: 100, `1e-400`: 0} {
		var got float64
		if err := kzrt.Unmarshal([]byte(in), func(d *kzrt.Decoder) { got = d.Float() }); err != nil || got != want {
			t.Errorf("%s: %v %v", in, got, err)
		}
	}
	if err := kzrt.Unmarshal([]byte(`1e400`), func(d *kzrt.Decoder) { d.Float() }); err == nil || !strings.Contains(err.Error(), "beyond float64's range") {
		t.Errorf("1e400: %v", err)
	}
}

// TestKeptNumbers: numbers a struct field cannot hold are kept verbatim in
// Extra, and checked there exactly.
func TestKeptNumbers(t *testing.T) {
	in := `{"count": 100000000000000000000000000000000000000, "ratio": -1e400}`
	var c call
	if err := c.UnmarshalJSON([]byte(in)); err != nil {
		t.Fatal(err)
	}
	var float call
	if err := float.UnmarshalJSON([]byte(`{"count": 20.0}`)); err != nil || float.Count != nil || string(float.Extra["count"]) != "20.0" {
		t.Fatalf("20.0: %+v %v", float, err)
	}
	if c.Count != nil || c.Ratio != nil || string(c.Extra["count"]) != "100000000000000000000000000000000000000" || string(c.Extra["ratio"]) != "-1e400" {
		t.Fatalf("%+v", c)
	}
	var small call
	if err := small.UnmarshalJSON([]byte(`{"count": 12}`)); err != nil || *small.Count != 12 || small.Extra != nil {
		t.Fatalf("%+v %v", small, err)
	}

	check := func(raw string, b kzrt.NumberRule) []string {
		var v kzrt.Validator
		v.Push("n")
		v.KeptNumber(json.RawMessage(raw), b)
		v.Pop()
		var out []string
		for _, e := range v.Problems() {
			out = append(out, e.Error())
		}
		return out
	}
	big := "100000000000000000000000000000000000000"
	for _, c := range []struct {
		raw  string
		b    kzrt.NumberRule
		want []string
	}{
		{big, kzrt.NumberRule{}, nil},
		{big, kzrt.NumberRule{Min: "0"}, nil},
		{"-" + big, kzrt.NumberRule{Min: "0"}, []string{"/n: -" + big + " is less than the minimum 0 [minimum]"}},
		{big, kzrt.NumberRule{Max: "5000"}, []string{"/n: " + big + " is greater than the maximum 5000 [maximum]"}},
		{"1e400", kzrt.NumberRule{Max: "1e400", ExclusiveMax: true}, []string{"/n: 1e400 must be less than 1e400 [maximum]"}},
		{"1e400", kzrt.NumberRule{Max: "1e400"}, nil},
		{big + big, kzrt.NumberRule{Max: "0"}, []string{"/n: 10000000000000000000…0000000000 is greater than the maximum 0 [maximum]"}},
		{"-1e400", kzrt.NumberRule{Min: "-1e400", ExclusiveMin: true}, []string{"/n: -1e400 must be greater than -1e400 [minimum]"}},
		{`"x"`, kzrt.NumberRule{}, []string{"/n: got string, want number [type]"}},
		{`1/2`, kzrt.NumberRule{}, []string{"/n: got 1/2, want a JSON number [type]"}},
		// Written as a float where an integer is wanted: of the wrong
		// type, still checked against bounds and enum, as Kazoo does.
		{"20.0", kzrt.NumberRule{Integer: true, Min: "0"}, []string{"/n: got number 20.0, want integer [type]"}},
		{"-2e1", kzrt.NumberRule{Integer: true, Min: "0"}, []string{"/n: got number -2e1, want integer [type]", "/n: -2e1 is less than the minimum 0 [minimum]"}},
		{"8000.0", kzrt.NumberRule{Integer: true, Enum: "8000, 16000"}, []string{"/n: got number 8000.0, want integer [type]", "/n: 8000.0 is not one of 8000, 16000 [enum]"}},
		{big, kzrt.NumberRule{Integer: true}, nil},
		// Exponents of any size are compared exactly, and quickly.
		{"1e999999999", kzrt.NumberRule{Max: "5000"}, []string{"/n: 1e999999999 is greater than the maximum 5000 [maximum]"}},
		{"-1e999999999", kzrt.NumberRule{Min: "0"}, []string{"/n: -1e999999999 is less than the minimum 0 [minimum]"}},
		{"1e-999999999", kzrt.NumberRule{Min: "0", ExclusiveMin: true}, nil},
		{"1e-999999999", kzrt.NumberRule{Min: "1/2"}, []string{"/n: 1e-999999999 is less than the minimum 1/2 [minimum]"}},
		{"0.0e999999999", kzrt.NumberRule{Min: "0", Max: "0"}, nil},
		{"5000.000000000000000000000000000001", kzrt.NumberRule{Max: "5000"}, []string{"/n: 5000.000000000000000000000000000001 is greater than the maximum 5000 [maximum]"}},
		{"5e3", kzrt.NumberRule{Max: "5000", Min: "5000"}, nil},
		{"0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001e100", kzrt.NumberRule{Max: "1000000", ExclusiveMax: true}, nil},
	} {
		if got := check(c.raw, c.b); !slices.Equal(got, c.want) {
			t.Errorf("%s %+v: %q, want %q", c.raw, c.b, got, c.want)
		}
	}
}

// TestDuplicates: the first copy of a repeated key is the one read, as
// Kazoo reads it, everywhere: properties, Extra, maps; OnDuplicate hears
// of every later copy.
func TestDuplicates(t *testing.T) {
	in := `{"name":"first","labels":{"a":1,"a":2,"b":3},"name":"second","x":1,"x":[2],
		"items":[{"name":"i","name":"j"}],"text":"t"}`
	var c call
	if err := c.UnmarshalJSON([]byte(in)); err != nil {
		t.Fatal(err)
	}
	if *c.Name != "first" || c.Labels["a"] != 1 || c.Labels["b"] != 3 || string(c.Extra["x"]) != "1" || *c.Items[0].Name != "i" {
		t.Fatalf("%+v", c)
	}
	// A skipped copy must still be well-formed.
	if err := c.UnmarshalJSON([]byte(`{"name":"a","name":[1,}`)); err == nil {
		t.Error("a malformed second copy was accepted")
	}
	// Escaped keys are compared by their text.
	if err := c.UnmarshalJSON([]byte(`{"name":"a","n\u0061me":"b"}`)); err != nil || *c.Name != "a" {
		t.Errorf("escaped duplicate: %v %v", c.Name, err)
	}
	// Objects with many keys.
	var b strings.Builder
	b.WriteString(`{"labels":{`)
	for i := range 100 {
		b.WriteString(`"k` + strconv.Itoa(i) + `":` + strconv.Itoa(i) + `,`)
	}
	b.WriteString(`"k7":700,"k99":9900}}`)
	if err := c.UnmarshalJSON([]byte(b.String())); err != nil || len(c.Labels) != 100 || c.Labels["k7"] != 7 || c.Labels["k99"] != 99 {
		t.Errorf("many keys: %d labels, k7 %d, %v", len(c.Labels), c.Labels["k7"], err)
	}

	// The tree: node keys, data fields, children; reported with pointers.
	tree := `{"module":"say","module":"bye","data":{"text":"hi","text":""},"data":{},
		"children":{"_":{"module":"bye","data":{}},"_":{"module":"say","data":{}}},"x":1,"x":2}`
	var dups []kzrt.Duplicate
	got, err := testModules.ParseTree([]byte(tree), kzrt.DecodeOptions{OnDuplicate: func(d kzrt.Duplicate) { dups = append(dups, d) }}, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := got.(*kzrt.Node)
	if n.Module != "say" || *n.Data.(*sayData).Text != "hi" || n.Children["_"].Module != "bye" || string(n.Extra["x"]) != "1" {
		t.Fatalf("%+v", n)
	}
	var ptrs []string
	for _, d := range dups {
		ptrs = append(ptrs, d.Pointer)
		if !strings.HasPrefix(tree[d.Offset:], tree[d.FirstOffset:d.FirstOffset+4]) || d.Offset <= d.FirstOffset {
			t.Errorf("offsets of %s: %d, %d", d.Pointer, d.FirstOffset, d.Offset)
		}
	}
	if want := []string{"/module", "/data/text", "/data", "/children/_", "/x"}; !slices.Equal(ptrs, want) {
		t.Errorf("duplicates %v, want %v", ptrs, want)
	}
	// Without OnDuplicate, nothing is recorded, and nothing allocated for it.
	if _, err := testModules.ParseNode([]byte(tree)); err != nil {
		t.Fatal(err)
	}
}

// TestAlternatives: a union tries its alternatives on the same value and
// reports the problem of the one that got furthest.
func TestAlternatives(t *testing.T) {
	// value is an object of items (an item has a string name) or of
	// integers; the first that decodes and is "valid" (here: not empty)
	// wins, else the first that decodes.
	type value struct {
		Items  map[string]item
		Counts map[string]int64
	}
	code := kzrt.CodeType // a list of types
	decode := func(x *value, d *kzrt.Decoder) {
		*x = value{}
		var fallback func()
		try := d.Alternatives()
		defer try.End()
		switch d.Kind() {
		case '{':
			{
				var c map[string]item
				if d.OpenObject() {
					c = map[string]item{}
					for d.NextMember() {
						k := string(d.Key())
						var it item
						it.decode(d)
						c[k] = it
					}
				}
				if try.Decoded() {
					if len(c) > 0 {
						x.Items = c
						return
					}
					fallback = func() { x.Items = c }
					try.Rewind()
				}
			}
			{
				var c map[string]int64
				if d.OpenObject() {
					c = map[string]int64{}
					for d.NextMember() {
						k := string(d.Key())
						c[k] = d.Int()
					}
				}
				if try.Decoded() {
					if len(c) > 0 {
						x.Counts = c
						return
					}
					try.Rewind()
				}
			}
		}
		if fallback != nil {
			fallback()
			try.Fallback()
			return
		}
		try.Fail("object", code)
	}
	run := func(in string) (value, error) {
		var x value
		err := kzrt.Unmarshal([]byte(in), func(d *kzrt.Decoder) {
			if d.OpenArray() {
				for d.NextElem() {
					decode(&x, d)
				}
			}
		})
		return x, err
	}
	if x, err := run(`[{"a":{"name":"n"}}]`); err != nil || x.Items["a"].Name == nil {
		t.Errorf("items: %+v %v", x, err)
	}
	if x, err := run(`[{"a":1}]`); err != nil || x.Counts["a"] != 1 {
		t.Errorf("counts: %+v %v", x, err)
	}
	if x, err := run(`[{}]`); err != nil || x.Items == nil || x.Counts != nil {
		t.Errorf("fallback: %+v %v", x, err)
	}
	// The first alternative gets deeper into this one.
	if _, err := run(`[{"a":{"name":5}}]`); err == nil || decodeErr(t, err).Pointer != "/0/a/name" {
		t.Errorf("deepest error: %v", err)
	}
	if _, err := run(`[true]`); err == nil || err.Error() != "/0: got boolean, want object" {
		t.Errorf("no alternative: %v", err)
	}
	if _, err := run(`[{"a":1,}]`); err == nil || !strings.Contains(err.Error(), "invalid JSON") {
		t.Errorf("malformed: %v", err)
	}
	// A oneOf fails as a whole, at the union, quoting the deepest problem.
	code = kzrt.CodeNoneOf
	_, err := run(`[{"a":{"name":5}}]`)
	if es := kzrt.AsErrors(err); len(es) != 1 || es[0].Pointer != "/0" || es[0].Code != kzrt.CodeNoneOf ||
		es[0].Message != "no alternative matches: /a/name: got number 5, want string [type]" {
		t.Errorf("oneOf: %q", es)
	}
	_, err = run(`[true]`)
	if es := kzrt.AsErrors(err); len(es) != 1 || es[0].Pointer != "/0" || es[0].Code != kzrt.CodeNoneOf {
		t.Errorf("oneOf of no JSON type: %q", es)
	}
}

func TestKindIsInteger(t *testing.T) {
	for in, want := range map[string]byte{`{`: '{', ` [`: '[', `"`: '"', `true`: 't', `false`: 'f', `null`: 'n', `-1`: '0', `7`: '0', ``: 0, `x`: 0} {
		if got := kzrt.Kind([]byte(in)); got != want {
			t.Errorf("Kind(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]bool{`1`: true, ` -0 `: true, `100000000000000000000000`: true, `1.0`: false, `1e2`: false, `1.5`: false, `"1"`: false, `1x`: false} {
		if got := kzrt.IsInteger([]byte(in)); got != want {
			t.Errorf("IsInteger(%s) = %v", in, got)
		}
	}
}

func TestDefaultValue(t *testing.T) {
	if got := kzrt.DefaultValue[[]string](`["1","#"]`); !reflect.DeepEqual(got, []string{"1", "#"}) {
		t.Errorf("DefaultValue: %v", got)
	}
	if got := kzrt.DefaultValue[int64](`"x"`); got != 0 {
		t.Errorf("DefaultValue of a bad default: %v", got)
	}
}

// TestPickedByMember: what a discriminated union reads its items with.
// PeekString finds the member that picks the kind without reading
// anything, Implied hides it from the kind's reader, Member and
// StringMember read it from an item kept as JSON, Members splits one.
func TestPickedByMember(t *testing.T) {
	var kinds []string
	var items []item
	err := kzrt.Unmarshal([]byte(`[{"name":"a","kind":"x"}, {"kind":"y","kind":"z","v":1}, {"k\u0069nd":"\u0078"}, {"kind":5}, {"n":{"kind":"no"}}, "s", {"kind":"a\"b"}]`),
		func(d *kzrt.Decoder) {
			if !d.OpenArray() {
				return
			}
			for d.NextElem() {
				kinds = append(kinds, string(d.PeekString("kind")))
				var it item
				d.Implied("kind")
				if d.Kind() == '{' {
					it.decode(d)
				} else {
					d.Implied("") // nothing to hide
					d.Skip()
				}
				items = append(items, it)
			}
		})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"x", "y", "x", "", "", "", `a"b`}; !slices.Equal(kinds, want) {
		t.Errorf("PeekString: %q, want %q", kinds, want)
	}
	if *items[0].Name != "a" || items[0].Extra != nil || string(items[1].Extra["v"]) != "1" || len(items[1].Extra) != 1 || items[3].Extra != nil {
		t.Errorf("Implied: %+v", items)
	}
	if _, ok := items[4].Extra["n"]; !ok {
		t.Errorf("Implied hid a nested member: %+v", items[4])
	}
	// Malformed JSON after the member is still reported.
	if err := kzrt.Unmarshal([]byte(`{"kind":"x","name":}`), func(d *kzrt.Decoder) {
		if string(d.PeekString("kind")) != "x" {
			t.Error("PeekString before malformed JSON")
		}
		d.Implied("kind")
		var it item
		it.decode(d)
	}); err == nil {
		t.Error("malformed JSON accepted")
	}

	members, err := kzrt.Members([]byte(` {"a":1,"b":[2],"a":3} `))
	if err != nil || len(members) != 2 || string(members["a"]) != "1" || string(members["b"]) != "[2]" {
		t.Errorf("Members: %v %v", members, err)
	}
	if _, err := kzrt.Members([]byte(`"s"`)); err == nil || err.Error() != "got string, want object" {
		t.Errorf("Members of a string: %v", err)
	}
	if _, err := kzrt.Members([]byte(`{"a":`)); kzrt.AsErrors(err)[0].Code != kzrt.CodeJSON {
		t.Errorf("Members of malformed JSON: %v", err)
	}

	raw, found, err := kzrt.Member([]byte(`{"a":1,"kind":[true, {}],"kind":2}`), "kind")
	if err != nil || !found || string(raw) != `[true, {}]` {
		t.Errorf("Member: %s %v %v", raw, found, err)
	}
	if _, found, err := kzrt.Member([]byte(`{"a":1}`), "kind"); err != nil || found {
		t.Errorf("Member of a missing key: %v %v", found, err)
	}
	if _, _, err := kzrt.Member([]byte(`[1]`), "kind"); kzrt.AsErrors(err)[0].Code != kzrt.CodeType {
		t.Errorf("Member of an array: %v", err)
	}
	for in, want := range map[string]string{`{"kind":"tts"}`: "tts", `{"kind":7}`: "", `"kind"`: "", `{"kind":"x",}`: "", ``: ""} {
		if got := kzrt.StringMember([]byte(in), "kind"); got != want {
			t.Errorf("StringMember(%s) = %q, want %q", in, got, want)
		}
	}
}

// TestUntypedReading: the untyped methods read any JSON as encoding/json
// reads it into any with UseNumber (numbers kept as written), but for
// keys written twice, whose first copy counts and which UnmarshalWith
// reports; a syntax error gives its byte offset as a *kzrt.SyntaxError.
func TestUntypedReading(t *testing.T) {
	for _, in := range []string{
		`{"a":[1,2.50,-0,1e3,1E+2,123456789012345678901234567890],"b":{"c":null,"d":true,"e":false},"f":"\u00e9\n","g":[],"h":{}}`,
		` [ "x" , { "y" : [ [ ] ] } ] `,
		`3.25`,
		`"s"`,
		`null`,
	} {
		var got any
		if err := kzrt.Unmarshal([]byte(in), func(d *kzrt.Decoder) { got = decodeAny(d) }); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		dec := json.NewDecoder(strings.NewReader(in))
		dec.UseNumber()
		var want any
		if err := dec.Decode(&want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\ngot  %#v\nwant %#v", in, got, want)
		}
	}

	// Number keeps the text; anything else is no number.
	var nums []string
	err := kzrt.Unmarshal([]byte(`[20.0, 2e1, -0.5E-3]`), func(d *kzrt.Decoder) {
		for d.OpenArray(); d.NextElem(); {
			nums = append(nums, d.Number())
		}
	})
	if err != nil || !slices.Equal(nums, []string{"20.0", "2e1", "-0.5E-3"}) {
		t.Errorf("numbers %q, %v", nums, err)
	}
	err = kzrt.Unmarshal([]byte(`"1"`), func(d *kzrt.Decoder) { d.Number() })
	if err == nil || !strings.Contains(err.Error(), "got string, want number") {
		t.Errorf("a string as a number: %v", err)
	}

	// The first copy counts; each later one is reported with its pointer
	// and offsets, in document order.
	in := `{"a":{"x":1,"x":2},"a":3,"b":[{"y":1,"y":{"z":1,"z":2}}]}`
	var got any
	var dups []kzrt.Duplicate
	err = kzrt.UnmarshalWith([]byte(in), kzrt.DecodeOptions{OnDuplicate: func(d kzrt.Duplicate) { dups = append(dups, d) }},
		func(d *kzrt.Decoder) { got = decodeAny(d) })
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]any{"a": map[string]any{"x": json.Number("1")}, "b": []any{map[string]any{"y": json.Number("1")}}}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v, want %#v", got, want)
	}
	var ptrs []string
	for _, d := range dups {
		ptrs = append(ptrs, d.Pointer)
	}
	// The keys of a skipped copy are not looked at: /b/0/y/z is not reported.
	if want := []string{"/a/x", "/a", "/b/0/y"}; !slices.Equal(ptrs, want) || dups[0].Offset != strings.Index(in, `"x":2`) {
		t.Errorf("duplicates %v (first at %d), want %v", ptrs, dups[0].Offset, want)
	}

	// Offset locates the next value, past whitespace; a syntax error
	// carries its offset.
	bad := "{\"a\":  \n [1,}"
	var at int
	err = kzrt.Unmarshal([]byte(bad), func(d *kzrt.Decoder) {
		d.OpenObject()
		d.NextMember()
		at = d.Offset()
		decodeAny(d)
	})
	var se *kzrt.SyntaxError
	if at != strings.Index(bad, "[") || !errors.As(err, &se) || se.Offset != strings.Index(bad, "}") ||
		!strings.Contains(se.Msg, "looking for the beginning of a value") {
		t.Errorf("offset %d, error %v; want the offsets of [ and }", at, err)
	}
}
