package wire

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func TestEscapeValue(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"AZaz09.-~_", "AZaz09.-~_"},
		{"John Doe", "John+Doe"},
		{"+15551234567", "%2B15551234567"},
		{"a@b/c?d=e&f#g", "a%40b%2Fc%3Fd%3De%26f%23g"},
		{"100%", "100%25"},
		{"*'()!", "%2A%27%28%29%21"},
		{"é", "%C3%A9"},
		{"\x00\n\x7f\xff", "%00%0A%7F%FF"},
		{"[]", "%5B%5D"},
	}
	for _, tt := range tests {
		if got := EscapeValue(tt.in); got != tt.want {
			t.Errorf("EscapeValue(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEncodeForm(t *testing.T) {
	tests := []struct {
		name string
		in   Params
		want string
	}{
		{"nothing", nil, ""},
		{"scalars", Params{
			{Key: "Call-ID", Value: String("a b")},
			{Key: "Flag", Value: Bool(true)},
			{Key: "Off", Value: Bool(false)},
			{Key: "N", Value: Number("-1.5e+3")},
		}, "Call-ID=a+b&Flag=true&Off=false&N=-1.5e%2B3"},
		{"keys are never encoded", Params{{Key: "a b&c", Value: String("v")}}, "a b&c=v"},
		{"list", Params{{Key: "User-ID", Value: Strings("u1", "u 2")}}, "User-ID[]=u1&User-ID[]=u+2"},
		{"object", Params{{Key: "Digits", Value: Object(Params{
			{Key: "default", Value: String("1234")},
			{Key: "custom_name", Value: String("5")},
		})}}, "Digits[default]=1234&Digits[custom_name]=5"},
		{"nested object and list", Params{{Key: "a", Value: Object(Params{
			{Key: "b", Value: Object(Params{{Key: "c", Value: String("v")}})},
			{Key: "l", Value: Strings("1", "2")},
		})}}, "a[b][c]=v&a[l][]=1&a[l][]=2"},
		{"empty object first leaves a leading &", Params{
			{Key: "Custom-SIP-Headers", Value: Object(nil)},
			{Key: "b", Value: String("1")},
		}, "&b=1"},
		{"empty object between leaves &&", Params{
			{Key: "a", Value: String("1")},
			{Key: "Custom-Application-Vars", Value: Object(Params{})},
			{Key: "b", Value: String("2")},
		}, "a=1&&b=2"},
		{"empty object last leaves a trailing &", Params{
			{Key: "a", Value: String("1")},
			{Key: "o", Value: Object(nil)},
		}, "a=1&"},
		{"empty nested object", Params{{Key: "o", Value: Object(Params{
			{Key: "x", Value: Object(nil)},
			{Key: "y", Value: String("1")},
		})}}, "&o[y]=1"},
		{"empty list", Params{{Key: "a", Value: List()}, {Key: "b", Value: String("1")}}, "&b=1"},
		{"null writes no pair", Params{{Key: "a", Value: Value{}}, {Key: "b", Value: String("1")}}, "&b=1"},
		{"nested list items as JSON text", Params{{Key: "a", Value: List(Strings("x"), Object(Params{{Key: "k", Value: Number("1")}}), Bool(true))}},
			"a[]=%5B%22x%22%5D&a[]=%7B%22k%22%3A1%7D&a[]=true"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := EncodeForm(tt.in); got != tt.want {
				t.Errorf("EncodeForm = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDecodeForm(t *testing.T) {
	obj := func(kv ...Param) Value { return Object(Params(kv)) }
	p := func(k string, v Value) Param { return Param{Key: k, Value: v} }
	tests := []struct {
		name       string
		in         string
		want       Params
		wantValues url.Values
	}{
		{"empty", "", nil, url.Values{}},
		{"plus, hex cases, stray &", "&a=x+y%2b%2B&&b&=skipped&", Params{p("a", String("x y++")), p("b", String(""))},
			url.Values{"a": {"x y++"}, "b": {""}}},
		{"encoded brackets", "Digits%5Bdefault%5D=1", Params{p("Digits", obj(p("default", String("1"))))},
			url.Values{"Digits[default]": {"1"}}},
		{"nesting", "a[b][c]=1&a[b][d]=2&a[l][]=x&a[l][]=y", Params{p("a", obj(
			p("b", obj(p("c", String("1")), p("d", String("2")))),
			p("l", Strings("x", "y")),
		))}, nil},
		{"later wins, first position kept", "a=1&b=2&a=3", Params{p("a", String("3")), p("b", String("2"))}, url.Values{"a": {"1", "3"}, "b": {"2"}}},
		{"object replaces scalar", "a=1&a[x]=2", Params{p("a", obj(p("x", String("2"))))}, nil},
		{"list replaced by scalar", "a[]=1&a=2", Params{p("a", String("2"))}, nil},
		{"odd keys stay whole", "[x]=1&a[b=2&a]=3&a[b]c=4&a[][b]=5&a[b]]=6",
			Params{p("[x]", String("1")), p("a[b", String("2")), p("a]", String("3")), p("a[b]c", String("4")), p("a[][b]", String("5")), p("a[b]]", String("6"))}, nil},
		{"semicolon is not a separator", "a=1;b=2", Params{p("a", String("1;b=2"))}, nil},
		{"bad escapes kept", "a=%&b=%4&c=%zz%41", Params{p("a", String("%")), p("b", String("%4")), p("c", String("%zzA"))}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, values := DecodeForm(tt.in)
			if !got.Equal(tt.want) {
				t.Errorf("DecodeForm tree:\n got %s\nwant %s", EncodeJSON(got), EncodeJSON(tt.want))
			}
			if tt.wantValues != nil && !reflect.DeepEqual(values, tt.wantValues) {
				t.Errorf("DecodeForm values = %v, want %v", values, tt.wantValues)
			}
		})
	}

	deep := "a" + strings.Repeat("[x]", 70) + "=1"
	got, _ := DecodeForm(deep)
	if len(got) != 1 || got[0].Key != deep[:len(deep)-2] {
		t.Errorf("over-deep key not kept whole: %s", EncodeJSON(got))
	}
}

// TestFormRoundTripEveryByte checks that every byte value survives Kazoo's
// value encoding and DecodeForm, alone and in one string, at the top level
// and nested, and that the encoding uses only unreserved bytes.
func TestFormRoundTripEveryByte(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	p := Params{
		{Key: "all", Value: String(string(all))},
		{Key: "o", Value: Object(Params{{Key: "k", Value: Strings(string(all), "", " ")}})},
	}
	for i := range all {
		p = append(p, Param{Key: "b" + strings.Repeat("x", i), Value: String(string(all[i : i+1]))})
	}
	encoded := EncodeForm(p)
	if i := strings.IndexFunc(encoded, func(r rune) bool {
		return !strings.ContainsRune("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-~_%+[]=&", r)
	}); i >= 0 {
		t.Errorf("encoding holds %q at %d", encoded[i], i)
	}
	got, _ := DecodeForm(encoded)
	if !got.Equal(p) {
		t.Errorf("round trip changed the parameters:\n got %s\nwant %s", EncodeJSON(got), EncodeJSON(p))
	}
}

// TestFormValue: the first value of a name, both decoded as DecodeForm
// decodes them, agrees with DecodeForm's pairs, for every pair of every
// query of TestDecodeForm's kind.
func TestFormValue(t *testing.T) {
	for _, tc := range []struct{ in, name, want string }{
		{"a=1&b=2&a=3", "a", "1"},
		{"%61=x+y%2b&a=2", "a", "x y+"},
		{"a+b=1", "a b", "1"},
		{"a[x]=1&a=2", "a", "2"},
		{"a[x]=1", "a", ""},
		{"&&b&=skipped&", "b", ""},
		{"=skipped&c=%zz", "c", "%zz"},
		{"kzc=v1.k.1.st.mac&kzc=later", "kzc", "v1.k.1.st.mac"},
		{"", "a", ""},
	} {
		if got := FormValue(tc.in, tc.name); got != tc.want {
			t.Errorf("FormValue(%q, %q) = %q, want %q", tc.in, tc.name, got, tc.want)
		}
		_, values := DecodeForm(tc.in)
		for name, vs := range values {
			if got := FormValue(tc.in, name); got != vs[0] {
				t.Errorf("FormValue(%q, %q) = %q, DecodeForm's first value %q", tc.in, name, got, vs[0])
			}
		}
	}
}

// TestRequestValuesOnDemand: Values and URLQuery decode the pairs as sent
// on each call, into a map the caller may change.
func TestRequestValuesOnDemand(t *testing.T) {
	for _, tc := range []struct {
		method, target, contentType, body string
		values, urlQuery                  url.Values
	}{
		{"GET", "/p?a=1&Digits%5Bx%5D=2&a=3", "", "", url.Values{"a": {"1", "3"}, "Digits[x]": {"2"}}, nil},
		{"GET", "/p", "", "", url.Values{}, nil},
		{"POST", "/p?t=x+y", ContentTypeForm, "a=1&User-ID[]=u", url.Values{"a": {"1"}, "User-ID[]": {"u"}}, url.Values{"t": {"x y"}}},
		{"POST", "/p", "", "a=1", url.Values{"a": {"1"}}, nil},
		{"POST", "/p?t=1", ContentTypeJSON, `{"a":"1"}`, nil, url.Values{"t": {"1"}}},
	} {
		r, err := ParseRequest(newServerRequest(tc.method, tc.target, tc.contentType, tc.body))
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Values(); !reflect.DeepEqual(got, tc.values) {
			t.Errorf("%s %s: Values() = %#v, want %#v", tc.method, tc.target, got, tc.values)
		}
		if got := r.URLQuery(); !reflect.DeepEqual(got, tc.urlQuery) {
			t.Errorf("%s %s: URLQuery() = %#v, want %#v", tc.method, tc.target, got, tc.urlQuery)
		}
		if v := r.Values(); v != nil {
			v.Set("a", "changed")
			if got := r.Values().Get("a"); got == "changed" {
				t.Errorf("%s %s: a change to one Values() map shows in the next", tc.method, tc.target)
			}
		}
	}
	if got := (&Request{BodyFormat: BodyForm}).Values(); len(got) != 0 {
		t.Errorf("Values() of a Request ParseRequest did not read = %v", got)
	}
}
