package golang

import (
	"encoding/json"
	"math/big"
	"regexp"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/generator/model"
)

func newType(k model.Kind) *model.Type {
	return &model.Type{Kind: k, MinLength: -1, MaxLength: -1, MinItems: -1, MaxItems: -1, MinProperties: -1, MaxProperties: -1}
}

func TestPatternSampleMatches(t *testing.T) {
	for _, p := range []string{
		"^https?://", "^[0-9]+$", "^[A-Za-z]{2}(-[A-Za-z]{2})?$", `^\+?1?\d{10}$`, "^(sip|tel):.+@[a-z]+$",
		"^[a-zA-z0-9_\\-]+$", "x{3,5}y*", ".+",
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
	str := func(min, max int, pattern, format string) *model.Type {
		t := newType(model.String)
		t.MinLength, t.MaxLength, t.Pattern, t.Format = min, max, pattern, format
		return t
	}
	withDefault := str(-1, -1, "", "")
	withDefault.Default = json.RawMessage(`"female"`)
	for _, tc := range []struct {
		t          *model.Type
		prop, want string
	}{
		{str(1, 1000, "", ""), "text", "Thank you for calling."},
		{str(-1, -1, "^https?://", ""), "voice_url", "https://example.com/pivot"},
		{str(-1, -1, "^https?://", ""), "cdr_url", "https://example.com/cdr-url"},
		{str(-1, -1, "", "email"), "id", "user@example.com"},
		{str(-1, -1, "^[A-Za-z]{2}(-[A-Za-z]{2})?$", ""), "language", "en-US"},
		{str(-1, -1, "^[0-9]+$", ""), "number", "1"},
		{str(5, -1, "", ""), "thing", "example"},
		{str(10, -1, "", ""), "thing", "examplexxx"},
		{str(-1, 3, "", ""), "thing", "exa"},
		{withDefault, "voice", "female"},
	} {
		got, err := stringSample(tc.t, tc.prop, "seed")
		if err != nil || got != tc.want {
			t.Errorf("%s %s: %q, %v; want %q", tc.prop, model.Constraints(tc.t), got, err, tc.want)
		}
	}
	id, err := stringSample(str(32, 32, "", ""), "owner_id", "callflows.x/owner_id")
	if err != nil || len(id) != 32 || strings.Trim(id, "0123456789abcdef") != "" {
		t.Errorf("id sample %q, %v; want 32 hex digits", id, err)
	}
	if _, err := stringSample(str(3, 2, "", ""), "x", "seed"); err == nil {
		t.Error("an impossible length was sampled")
	}
}

func TestNumberSample(t *testing.T) {
	num := func(min, max *big.Rat, def string) *model.Type {
		t := newType(model.Integer)
		t.Minimum, t.Maximum = min, max
		if def != "" {
			t.Default = json.RawMessage(def)
		}
		return t
	}
	r := func(n int64) *big.Rat { return big.NewRat(n, 1) }
	for _, tc := range []struct {
		t    *model.Type
		want string
	}{
		{num(nil, nil, "486"), "486"},
		{num(nil, nil, ""), "1"},
		{num(r(5), r(10800), "3600"), "3600"},
		{num(r(5), r(10800), "2"), "5"},
		{num(nil, r(-3), ""), "-3"},
	} {
		got, err := numberSample(tc.t)
		if err != nil || got.RatString() != tc.want {
			t.Errorf("%s: %v, %v; want %s", model.Facts(tc.t), got, err, tc.want)
		}
	}
	excl := num(r(1), r(2), "")
	excl.ExclusiveMinimum, excl.ExclusiveMaximum = true, true
	if _, err := numberSample(excl); err == nil {
		t.Error("sampled an integer strictly between 1 and 2")
	}
}
