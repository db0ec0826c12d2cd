package model

import (
	"encoding/json"
	"math/big"
	"regexp"
	"strings"
	"testing"
)

// The sampler's parts, on types built by hand. sample_kazoo_test.go checks
// its output on whole schema sets with Kazoo's validator.

func sampleOf(t *testing.T, typ *Type) string {
	t.Helper()
	raw, err := Sample(typ)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

func TestPatternSampleMatches(t *testing.T) {
	for _, p := range []string{
		"^https?://", "^[0-9]+$", "^[A-Za-z]{2}(-[A-Za-z]{2})?$", `^\+?1?\d{10}$`, "^(sip|tel):.+@[a-z]+$",
		"^[a-zA-z0-9_\\-]+$", "x{3,5}y*", ".+", "^[a-z]{2}(?:\n?\\z)",
	} {
		s, ok := patternSample(p)
		if !ok {
			t.Errorf("%s: no sample", p)
			continue
		}
		if !regexp.MustCompile(p).MatchString(s) {
			t.Errorf("%s: sample %q does not match", p, s)
		}
	}
}

func TestStringSample(t *testing.T) {
	str := func(min, max int, pattern, format string) *Type {
		t := typ(String)
		t.MinLength, t.MaxLength, t.Pattern, t.Format = min, max, pattern, format
		return t
	}
	for _, tc := range []struct {
		t          *Type
		prop, want string
	}{
		{str(1, 1000, "", ""), "text", "Thank you for calling."},
		{str(-1, -1, "^https?://", ""), "voice_url", "https://example.com/pivot"},
		{str(-1, -1, "^https?://", ""), "cdr_url", "https://example.com/cdr-url"},
		{str(-1, -1, "", "email"), "id", "user@example.com"},
		{str(-1, -1, "", "date-time"), "start", "2024-01-01T09:00:00Z"},
		{str(-1, -1, "^[A-Za-z]{2}(-[A-Za-z]{2})?$", ""), "language", "en-US"},
		{str(-1, -1, "^[0-9]+$", ""), "number", "1"},
		{str(5, -1, "", ""), "thing", "example"},
		{str(10, -1, "", ""), "thing", "examplexxx"},
		{str(-1, 3, "", ""), "thing", "exa"},
	} {
		got, err := stringSample(tc.t, tc.prop, "seed")
		if err != nil || got != tc.want {
			t.Errorf("%s %s: %q, %v; want %q", tc.prop, Constraints(tc.t), got, err, tc.want)
		}
	}
	id, err := stringSample(str(32, 32, "", ""), "owner_id", "callflows.x/owner_id")
	if s, _ := id.(string); err != nil || len(s) != 32 || strings.Trim(s, "0123456789abcdef") != "" {
		t.Errorf("id sample %q, %v; want 32 hex digits", id, err)
	}
	if _, err := stringSample(str(3, 2, "", ""), "x", "seed"); err == nil {
		t.Error("an impossible length was sampled")
	}
}

func TestNumberSample(t *testing.T) {
	num := func(kind Kind, min, max *big.Rat, def string) *Type {
		t := typ(kind)
		t.Minimum, t.Maximum = min, max
		if def != "" {
			t.Default = json.RawMessage(def)
		}
		return t
	}
	r := func(n int64) *big.Rat { return big.NewRat(n, 1) }
	for _, tc := range []struct {
		t    *Type
		want string
	}{
		{num(Integer, nil, nil, "486"), "486"},
		{num(Integer, nil, nil, ""), "1"},
		{num(Integer, r(5), r(10800), "3600"), "3600"},
		{num(Integer, r(5), r(10800), "2"), "5"},
		{num(Integer, nil, r(-3), ""), "-3"},
		{num(Integer, nil, nil, "2.0"), "1"}, // 2.0 is no integer for Kazoo
		{num(Number, big.NewRat(1, 4), big.NewRat(1, 2), ""), "0.25"},
	} {
		if got := sampleOf(t, tc.t); got != tc.want {
			t.Errorf("%s: %s; want %s", Facts(tc.t), got, tc.want)
		}
	}
	excl := num(Integer, r(1), r(2), "")
	excl.ExclusiveMinimum, excl.ExclusiveMaximum = true, true
	if _, err := Sample(excl); err == nil {
		t.Error("sampled an integer strictly between 1 and 2")
	}
}

func TestEnumSample(t *testing.T) {
	enum := typ(String)
	enum.Enum = []any{"a", "bb", "ccc"}
	if got := sampleOf(t, enum); got != `"a"` {
		t.Errorf("enum: %s, want the first value", got)
	}
	enum.Default = json.RawMessage(`"ccc"`)
	if got := sampleOf(t, enum); got != `"ccc"` {
		t.Errorf("enum with default: %s, want the default", got)
	}
	enum.Default, enum.MinLength = nil, 2
	if got := sampleOf(t, enum); got != `"bb"` {
		t.Errorf("enum with minLength 2: %s, want the first value that fits", got)
	}
	enum.Default = json.RawMessage(`"a"`) // too short: not taken
	if got := sampleOf(t, enum); got != `"bb"` {
		t.Errorf("enum with a default that does not fit: %s", got)
	}
}

// object builds an object type with the given fields.
func object(fields ...*Field) *Type {
	o := typ(Object)
	o.Fields = fields
	return o
}

func TestObjectSampleGivesWhatKazooNeeds(t *testing.T) {
	text := typ(String)
	text.MinLength = 1
	optional := typ(String)
	withDefault := typ(String)
	withDefault.Default = json.RawMessage(`"start"`)
	list := typ(Array)
	list.Items, list.MinItems = typ(String), 1
	list.Default = json.RawMessage(`[]`) // Kazoo fills it in, then refuses it
	fine := typ(Array)
	fine.Items, fine.Default = typ(String), json.RawMessage(`["1", "2"]`)
	o := object(
		&Field{Name: "action", Type: withDefault, Required: true},
		&Field{Name: "comment", Type: optional},
		&Field{Name: "keys", Type: fine},
		&Field{Name: "macros", Type: list},
		&Field{Name: "text", Type: text, Required: true},
	)
	want := `{"action":"start","macros":["example"],"text":"Thank you for calling."}`
	if got := sampleOf(t, o); got != want {
		t.Errorf("sample %s, want %s", got, want)
	}
}

func TestObjectSampleMinProperties(t *testing.T) {
	o := object(&Field{Name: "a", Type: typ(Bool)}, &Field{Name: "b", Type: typ(Bool)})
	o.MinProperties = 1
	if got := sampleOf(t, o); got != `{"a":false}` {
		t.Errorf("minProperties 1: %s", got)
	}
	o.MinProperties = 3
	if _, err := Sample(o); err == nil {
		t.Error("sampled 3 properties out of 2")
	}
}

func TestFormatSelector(t *testing.T) {
	kind := typ(String)
	kind.Enum = []any{"user", "email"}
	addr := typ(String)
	addr.Format = "email"
	o := object(&Field{Name: "id", Type: addr, Required: true}, &Field{Name: "type", Type: kind, Required: true})
	if got := sampleOf(t, o); got != `{"id":"user@example.com","type":"email"}` {
		t.Errorf("sample %s: the selector should agree with the email address", got)
	}
}

func TestUnionSample(t *testing.T) {
	impossible := typ(String)
	impossible.MinLength, impossible.MaxLength = 3, 2
	u := typ(Union)
	u.OneOf = true
	u.Variants = []*Type{impossible, typ(Integer)}
	if got := sampleOf(t, u); got != "1" {
		t.Errorf("union: %s, want the first alternative that can be sampled", got)
	}
	u.Variants = []*Type{impossible}
	if _, err := Sample(u); err == nil || !strings.Contains(err.Error(), "no alternative") {
		t.Errorf("err = %v, want no alternative", err)
	}
}

func TestArraySample(t *testing.T) {
	a := typ(Array)
	a.Items, a.MinItems = typ(String), 2
	a.Items.Pattern = "^[0-9a-f]+$"
	if got := sampleOf(t, a); got != `["a","a"]` {
		t.Errorf("minItems 2: %s", got)
	}
	a.UniqueItems = true
	if _, err := Sample(a); err == nil {
		t.Error("two equal items passed for unique ones")
	}
	a.MinItems, a.MaxItems, a.UniqueItems = -1, 0, false
	if got := sampleOf(t, a); got != `[]` {
		t.Errorf("maxItems 0: %s", got)
	}
}

func TestSampleRefusesRecursion(t *testing.T) {
	s := &Schema{ID: "loop"}
	root := object()
	ref := typ(Ref)
	ref.Target = s
	root.Fields = []*Field{{Name: "next", Type: ref, Required: true}}
	s.Root = root
	if _, err := Sample(root); err == nil || !strings.Contains(err.Error(), "too deeply") {
		t.Errorf("err = %v, want a depth error", err)
	}
}

func TestFitsIsCautious(t *testing.T) {
	anyOf := typ(Union)
	anyOf.Variants = []*Type{typ(String), typ(String)}
	overlapping := typ(Union)
	overlapping.OneOf, overlapping.Variants = true, []*Type{typ(String), typ(String)}
	integer, str := typ(Integer), typ(String)
	integer.Declared, str.Declared = []string{"integer"}, []string{"string"}
	distinct := typ(Union)
	distinct.OneOf, distinct.Variants = true, []*Type{integer, str}
	url := typ(String)
	url.Check = CheckClientURL
	for _, tc := range []struct {
		t    *Type
		v    any
		want bool
	}{
		{typ(Integer), json.Number("20"), true},
		{typ(Integer), json.Number("20.0"), false},
		{typ(Integer), json.Number("2e1"), false},
		{anyOf, "x", true},
		{overlapping, "x", false}, // the other string might accept it too
		{distinct, "2000", true},  // the other declares integers
		{distinct, json.Number("2000"), true},
		{distinct, true, false},
		{url, "https://example.com/x", true},
		{url, "http://localhost/x", false},
		{url, "ftp://example.com/x", false},
	} {
		if got := fits(tc.t, tc.v, 0); got != tc.want {
			t.Errorf("fits(%s, %v) = %v, want %v", tc.t.Kind, tc.v, got, tc.want)
		}
	}
}
