package model

import (
	"encoding/json"
	"math/big"
	"testing"
)

func typ(k Kind) *Type {
	return &Type{Kind: k, MinLength: -1, MaxLength: -1, MinItems: -1, MaxItems: -1, MinProperties: -1, MaxProperties: -1}
}

func TestKazooType(t *testing.T) {
	str := typ(String)
	enum := typ(String)
	enum.Enum = []any{"a", "b"}
	ranged := typ(String)
	ranged.MinLength, ranged.MaxLength = 1, 128
	fixed := typ(String)
	fixed.MinLength, fixed.MaxLength = 32, 32
	atLeast := typ(String)
	atLeast.MinLength = 5
	atMost := typ(String)
	atMost.MaxLength = 35
	intEnum := typ(Integer)
	intEnum.Enum = []any{json.Number("8000"), json.Number("16000")}
	list := typ(Array)
	list.Items = str
	oneOf := typ(Union)
	oneOf.OneOf = true
	oneOf.Variants = []*Type{typ(Integer), str}
	target := &Schema{ID: "custom_sip_headers"}
	ref := typ(Ref)
	ref.Target = target
	anyOf := typ(Union)
	anyOf.Variants = []*Type{ref, typ(Object)}
	refList := typ(Array)
	refList.Items = ref

	code := func(s string) string { return "`" + s + "`" }
	link := func(s *Schema) string { return "[" + s.ID + "]" }
	for _, tc := range []struct {
		t    *Type
		want string
	}{
		{str, "`string()`"},
		{typ(Bool), "`boolean()`"},
		{typ(Map), "`object()`"},
		{typ(Any), "`any()`"},
		{enum, "`string('a' | 'b')`"},
		{ranged, "`string(1..128)`"},
		{fixed, "`string(32)`"},
		{atLeast, "`string(5..)`"},
		{atMost, "`string(0..35)`"},
		{intEnum, "`integer(8000 | 16000)`"},
		{list, "`array(string())`"},
		{oneOf, "`integer() | string()`"},
		{ref, "[custom_sip_headers]"},
		{anyOf, "[custom_sip_headers]` || object()`"},
		{refList, "`array(`[custom_sip_headers]`)`"},
	} {
		if got := KazooType(tc.t, code, link); got != tc.want {
			t.Errorf("KazooType = %s, want %s", got, tc.want)
		}
	}
}

func TestFactsAndConstraints(t *testing.T) {
	s := typ(String)
	s.MinLength, s.MaxLength = 1, 1000
	s.Pattern = "^https?://"
	s.Default = json.RawMessage(`"x"`)
	s.SupportLevel = "beta"
	if got, want := Constraints(s), `Length 1 to 1000 characters. Must match "^https?://".`; got != want {
		t.Errorf("Constraints = %q, want %q", got, want)
	}
	if got, want := Facts(s), `Length 1 to 1000 characters. Must match "^https?://". Default: "x". Support level: beta.`; got != want {
		t.Errorf("Facts = %q, want %q", got, want)
	}
	n := typ(Integer)
	n.Minimum, n.Maximum, n.ExclusiveMaximum = big.NewRat(5, 1), big.NewRat(10800, 1), true
	if got, want := Facts(n), "At least 5. Less than 10800."; got != want {
		t.Errorf("Facts = %q, want %q", got, want)
	}
	a := typ(Array)
	a.MinItems, a.UniqueItems = 1, true
	a.Default = json.RawMessage(`[ "a", "b" ]`)
	if got, want := Facts(a), `At least 1 item. Items must be unique. Default: ["a","b"].`; got != want {
		t.Errorf("Facts = %q, want %q", got, want)
	}
}

func TestSentence(t *testing.T) {
	for in, want := range map[string]string{"": "", " Plays media ": "Plays media.", "Done.": "Done.", "Why?": "Why?"} {
		if got := Sentence(in); got != want {
			t.Errorf("Sentence(%q) = %q, want %q", in, got, want)
		}
	}
}
