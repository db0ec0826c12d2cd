package kzrt_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"testing"

	"github.com/kzgen/kzgen/runtime/kzrt"
)

// problems renders a validator's problems as "pointer: message" lines.
func problems(v *kzrt.Validator) []string {
	var out []string
	for _, e := range v.Problems() {
		out = append(out, e.Error())
	}
	return out
}

func expect(t *testing.T, v *kzrt.Validator, want ...string) {
	t.Helper()
	got := problems(v)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestValidatorPointers(t *testing.T) {
	var v kzrt.Validator
	if !v.OK() || v.Err() != nil || v.Pointer() != "" {
		t.Fatal("a fresh validator is empty, at the root")
	}
	v.Report("", "at the root")
	v.Push("children")
	v.Push("a/b~c")
	v.PushIndex(3)
	v.Reportf(kzrt.CodeType, "deep %d", 1)
	v.Pop()
	v.Missing("text")
	v.Pop()
	v.Pop()
	expect(t, &v, "(root): at the root", "/children/a~1b~0c/3: deep 1 [type]", "/children/a~1b~0c/text: required property is missing [required]")
	if v.OK() || v.Pointer() != "" {
		t.Error("OK or Pointer after the walk")
	}
	var es kzrt.Errors
	if !errors.As(v.Err(), &es) || len(es) != 3 {
		t.Errorf("Err: %v", v.Err())
	}
}

func TestValidatorDeepPath(t *testing.T) {
	// Deeper than the validator's built-in path buffer.
	var v kzrt.Validator
	want := ""
	for i := range 40 {
		v.PushIndex(i)
		want += fmt.Sprintf("/%d", i)
	}
	if v.Pointer() != want {
		t.Fatalf("%s", v.Pointer())
	}
}

func TestValidatorChecks(t *testing.T) {
	var v kzrt.Validator
	v.Length("日本語", 1, 3) // code points, not bytes
	v.Length("", 1, -1)
	v.Length("abcd", -1, 3)
	v.Pattern("abc", regexp.MustCompile(`b`), `b`) // not anchored
	v.Pattern("abc", regexp.MustCompile(`^b`), `^b`)
	v.Items(0, 1, -1)
	v.Items(3, -1, 2)
	v.Properties(3, -1, 2)
	v.Properties(0, 1, -1)
	v.Items(1, 1, 1)
	v.Enum("x", `"a", "b"`)
	v.Enum(int64(7), "1, 2")
	v.ClientURL("http://localhost/x")
	v.ClientURL("https://ivr.example.com/")
	expect(t, &v,
		"(root): length 0, minimum 1 [minLength]",
		"(root): length 4, maximum 3 [maxLength]",
		`(root): "abc" does not match pattern "^b" [pattern]`,
		"(root): 0 items, minimum 1 [minItems]",
		"(root): 3 items, maximum 2 [maxItems]",
		"(root): 3 properties, maximum 2 [maxProperties]",
		"(root): 0 properties, minimum 1 [minProperties]",
		`(root): "x" is not one of "a", "b" [enum]`,
		"(root): 7 is not one of 1, 2 [enum]",
		"(root): invalid client URL: host localhost is on the client blacklist [error]",
	)
	if err := kzrt.CheckEnum(true, "a", `"a"`); err != nil {
		t.Error(err)
	}
	if err := kzrt.CheckEnum(false, "z", `"a"`); err == nil || err.Error() != `(root): "z" is not one of "a" [enum]` {
		t.Error(err)
	}
}

func TestUnique(t *testing.T) {
	enc := func(e *kzrt.Encoder, s string) { e.String(s) }
	var v kzrt.Validator
	kzrt.Unique(&v, []string{"a", "b"}, enc)
	kzrt.Unique(&v, []string{"a"}, enc)
	kzrt.Unique(&v, []string{"a", "b", "a", "b"}, enc)
	expect(t, &v, "(root): items 0 and 2 are equal; items must be unique [uniqueItems]")

	// Raw JSON items compare as Kazoo compares values: exactly, objects
	// whatever their key order.
	raw := func(e *kzrt.Encoder, r json.RawMessage) { e.Raw(r) }
	for _, c := range []struct {
		items []string
		equal bool
	}{
		{[]string{`1`, `1.0`}, false},
		{[]string{`1.0`, `1.00`}, true},
		{[]string{`10`, `1e1`}, false},
		{[]string{`{"a":1,"b":[true,null]}`, `{"b":[true,null],"a":1}`}, true},
		{[]string{`{"a":1}`, `{"a":1.0}`}, false},
		{[]string{`"x"`, `"x"`}, true},
		{[]string{`[1,2]`, `[2,1]`}, false},
	} {
		items := make([]json.RawMessage, len(c.items))
		for i, s := range c.items {
			items[i] = json.RawMessage(s)
		}
		var v kzrt.Validator
		kzrt.Unique(&v, items, raw)
		if v.OK() == c.equal {
			t.Errorf("%s: equal = %v, want %v", c.items, !v.OK(), c.equal)
		}
	}
}

func TestValidatorDecodeMergeCheck(t *testing.T) {
	var v kzrt.Validator
	v.Push("data")
	var n int64
	if v.Decoded(kzrt.Unmarshal(json.RawMessage(`"x"`), func(d *kzrt.Decoder) { n = d.Int() })) || n != 0 {
		t.Error("Decoded of a string into an int64")
	}
	var s string
	if !v.Decoded(kzrt.Unmarshal(json.RawMessage(`"a"`), func(d *kzrt.Decoder) { s = d.String() })) || s != "a" {
		t.Error("Decoded")
	}
	v.Merge(kzrt.Errors{{Pointer: "/x", Message: "merged", Code: kzrt.CodeEnum}, {Message: "at data"}})
	found := v.Try(func(v *kzrt.Validator) {
		v.Push("url")
		v.ClientURL("ftp://x/")
		v.Pop()
	})
	v.Pop()
	expect(t, &v, "/data: got string, want integer [type]", "/data/x: merged [enum]", "/data: at data")
	if len(found) != 1 || found[0].Pointer != "/url" || found[0].Code != kzrt.CodeError {
		t.Errorf("Try: %v", found)
	}
	if !kzrt.Check(func(*kzrt.Validator) {}) || kzrt.Check(func(v *kzrt.Validator) { v.Report("", "no") }) {
		t.Error("Check")
	}
}

func TestUnionProblems(t *testing.T) {
	var v kzrt.Validator
	v.Push("id")
	v.NoneOf(false, "a string", kzrt.Errors{{Code: kzrt.CodeFormat, Message: `"x" is not a valid email`}})
	v.NoneOf(true, "a list", kzrt.Errors{{Pointer: "/0", Code: kzrt.CodeType, Message: "got number, want string"}})
	v.SeveralOf(2)
	v.Pop()
	expect(t, &v,
		`/id: no alternative matches; as a string: (root): "x" is not a valid email [wrong_format] [not_one_schema_valid]`,
		"/id: no alternative matches; as a list: /0: got number, want string [type] [any_schemas_not_valid]",
		"/id: 2 alternatives match; oneOf allows exactly one [more_than_one_schema_valid]")
}

func TestValidateWithBlacklist(t *testing.T) {
	b, err := kzrt.DefaultBlacklist().With("10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	var v kzrt.Validator
	kzrt.WithURLBlacklist(b)(&v)
	v.ClientURL("http://10.1.2.3/")
	v.ClientURL("http://localhost/")
	if len(v.Problems()) != 2 {
		t.Errorf("an extended blacklist: %v", v.Problems())
	}
	var d kzrt.Validator
	d.ClientURL("http://10.1.2.3/")
	if !d.OK() {
		t.Errorf("the default blacklist: %v", d.Problems())
	}

	// kzrt.Validate applies the blacklist to a whole tree; nil is no tree.
	node := kzrt.NewNode(&kzrt.RawData{Module: "hold", JSON: json.RawMessage(`{}`)})
	if err := kzrt.Validate(node, kzrt.WithURLBlacklist(b), nil); err != nil {
		t.Errorf("Validate: %v", err)
	}
	if err := kzrt.Validate(nil); err == nil {
		t.Error("Validate(nil): no problem")
	}
	if err := kzrt.Validate((*kzrt.Node)(nil)); err == nil {
		t.Error("Validate of a nil *Node: no problem")
	}
}

func TestFormat(t *testing.T) {
	cases := []struct {
		format, value string
		ok            bool
	}{
		// Kazoo's email check: text, one @, text.
		{"email", "user@example.com", true},
		{"email", "help desk@example.com", true},
		{"email", "a@b", true},
		{"email", "a@b\n", true}, // PCRE's $ before a final newline
		{"email", "no-at-sign", false},
		{"email", "a@b@c", false},
		{"email", "@example.com", false},
		{"email", "user@", false},
		{"date-time", "2024-02-29T12:30:00Z", true},
		{"date-time", "2024-02-29t12:30:00.123+02:00", true},
		{"date-time", "2023-02-29T12:30:00Z", false},
		{"date-time", "2024-01-01 12:30:00Z", false},
		{"date-time", "2024-01-01T24:00:00Z", false},
		// Formats Kazoo does not check pass.
		{"uri", "https://rec.example.com/rec%zz", true},
		{"uri", "/relative", true},
		{"hostname", "-a.example.com", true},
		{"ipv4", "256.0.0.1", true},
		{"regex", "(", true},
		{"color", "anything", true},
	}
	for _, c := range cases {
		var v kzrt.Validator
		v.Format(c.value, c.format)
		if v.OK() != c.ok || kzrt.FormatOK(c.format, c.value) != c.ok {
			t.Errorf("%s %q: ok = %v, want %v (%v)", c.format, c.value, v.OK(), c.ok, v.Problems())
		}
		if !v.OK() && v.Problems()[0].Code != kzrt.CodeFormat {
			t.Errorf("%s %q: code %q", c.format, c.value, v.Problems()[0].Code)
		}
	}
	for _, f := range []string{"email", "date-time"} {
		if !kzrt.FormatChecked(f) {
			t.Errorf("FormatChecked(%q) = false", f)
		}
	}
	for _, f := range []string{"uri", "hostname", "ipv4", "ipv6", "regex"} {
		if kzrt.FormatChecked(f) {
			t.Errorf("FormatChecked(%q) = true", f)
		}
	}
}

func TestErrors(t *testing.T) {
	es := kzrt.Errors{{Pointer: "/a", Message: "one"}, {Message: "two"}}
	if es.Error() != "/a: one; (root): two" {
		t.Errorf("%q", es.Error())
	}
	if kzrt.AsErrors(nil) != nil {
		t.Error("AsErrors(nil)")
	}
	wrapped := fmt.Errorf("context: %w", es)
	if got := kzrt.AsErrors(wrapped); len(got) != 2 {
		t.Errorf("AsErrors of a wrapped Errors: %v", got)
	}
	de := &kzrt.DecodeError{Pointer: "/x", Code: kzrt.CodeType, Err: errors.New("got string, want integer")}
	if got := kzrt.AsErrors(fmt.Errorf("context: %w", de)); len(got) != 1 || got[0] != (kzrt.Error{Pointer: "/x", Code: kzrt.CodeType, Message: "got string, want integer"}) {
		t.Errorf("AsErrors of a DecodeError: %v", got)
	}
	err := kzrt.Unmarshal([]byte(`[1,`), func(d *kzrt.Decoder) { d.Skip() })
	if got := kzrt.AsErrors(err); len(got) != 1 || got[0].Code != kzrt.CodeJSON {
		t.Errorf("AsErrors of malformed JSON: %v", got)
	}
	if got := kzrt.AsErrors(errors.New("plain")); len(got) != 1 || got[0].Pointer != "" || got[0].Message != "plain" {
		t.Errorf("AsErrors of a plain error: %v", got)
	}
	for in, want := range map[string]string{"sip:486": "sip:486", "a/b": "a~1b", "~x": "~0x", "~/": "~0~1", "": ""} {
		if got := kzrt.EscapeToken(in); got != want {
			t.Errorf("EscapeToken(%q) = %q, want %q", in, got, want)
		}
	}
}
