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
	v.Report("at the root")
	v.Push("children")
	v.Push("a/b~c")
	v.PushIndex(3)
	v.Reportf("deep %d", 1)
	v.Pop()
	v.Missing("text")
	v.Pop()
	v.Pop()
	expect(t, &v, "(root): at the root", "/children/a~1b~0c/3: deep 1", "/children/a~1b~0c/text: required property is missing")
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
	v.Count(0, 1, -1, "items")
	v.Count(3, -1, 2, "properties")
	v.Count(1, 1, 1, "items")
	v.Enum("x", `"a", "b"`)
	v.Enum(int64(7), "1, 2")
	expect(t, &v,
		"(root): length 0, minimum 1",
		"(root): length 4, maximum 3",
		`(root): "abc" does not match pattern "^b"`,
		"(root): 0 items, minimum 1",
		"(root): 3 properties, maximum 2",
		`(root): "x" is not one of "a", "b"`,
		"(root): 7 is not one of 1, 2",
	)
	if err := kzrt.CheckEnum(true, "a", `"a"`); err != nil {
		t.Error(err)
	}
	if err := kzrt.CheckEnum(false, "z", `"a"`); err == nil || err.Error() != `(root): "z" is not one of "a"` {
		t.Error(err)
	}
}

func TestUnique(t *testing.T) {
	enc := func(e *kzrt.Encoder, s string) { e.String(s) }
	var v kzrt.Validator
	kzrt.Unique(&v, []string{"a", "b"}, enc)
	kzrt.Unique(&v, []string{"a"}, enc)
	kzrt.Unique(&v, []string{"a", "b", "a", "b"}, enc)
	expect(t, &v, "(root): items 0 and 2 are equal; items must be unique")
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
	v.Merge(kzrt.Errors{{Pointer: "/x", Message: "merged"}, {Message: "at data"}})
	v.Pop()
	expect(t, &v, "/data: got string, want integer", "/data/x: merged", "/data: at data")
	if !kzrt.Check(func(*kzrt.Validator) {}) || kzrt.Check(func(v *kzrt.Validator) { v.Report("no") }) {
		t.Error("Check")
	}
}

func TestFormat(t *testing.T) {
	cases := []struct {
		format, value string
		ok            bool
	}{
		{"email", "user@example.com", true},
		{"email", "user@[192.0.2.1]", true},
		{"email", "user@[IPv6:2001:db8::1]", true},
		{"email", "no-at-sign", false},
		{"email", "user@-bad-.com", false},
		{"uri", "https://example.com/x?y=1", true},
		{"uri", "/relative", false},
		{"ipv4", "192.0.2.10", true},
		{"ipv4", "192.0.2.010", false},
		{"ipv4", "256.0.0.1", false},
		{"ipv4", "1.2.3", false},
		{"ipv6", "2001:db8::10", true},
		{"ipv6", "192.0.2.1", false},
		{"hostname", "a-b.example.com", true},
		{"hostname", "-a.example.com", false},
		{"hostname", "a_b.example.com", false},
		{"regex", "^[0-9]+$", true},
		{"regex", "(", false},
		{"color", "anything", true}, // unknown formats pass
	}
	for _, c := range cases {
		var v kzrt.Validator
		v.Format(c.value, c.format)
		if v.OK() != c.ok {
			t.Errorf("%s %q: ok = %v, want %v (%v)", c.format, c.value, v.OK(), c.ok, v.Problems())
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
	de := &kzrt.DecodeError{Pointer: "/x", Err: errors.New("bad")}
	if got := kzrt.AsErrors(de); len(got) != 1 || got[0] != (kzrt.Error{Pointer: "/x", Message: "bad"}) {
		t.Errorf("AsErrors of a DecodeError: %v", got)
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
