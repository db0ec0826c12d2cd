package pivot

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
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

func TestEncodeJSON(t *testing.T) {
	in := Params{
		{Key: "s", Value: String("a\"b\\c/d\b\f\n\r\t\x01\x1f\x7fé😀<&>")},
		{Key: "bad utf8", Value: String("x\xffy")},
		{Key: "n", Value: Number("12")},
		{Key: "not a number", Value: Number("1.")},
		{Key: "b", Value: Bool(false)},
		{Key: "null", Value: Value{}},
		{Key: "l", Value: List(String("x"), Number("0"))},
		{Key: "o", Value: Object(Params{{Key: "k", Value: Object(nil)}})},
		{Key: "el", Value: List()},
	}
	want := `{"s":"a\"b\\c/d\b\f\n\r\t\u0001\u001F` + "\x7fé😀<&>" + `","bad utf8":"x` + "\uFFFD" + `y",` +
		`"n":12,"not a number":"1.","b":false,"null":null,"l":["x",0],"o":{"k":{}},"el":[]}`
	got := string(EncodeJSON(in))
	if got != want {
		t.Errorf("EncodeJSON:\n got %s\nwant %s", got, want)
	}
	if !json.Valid([]byte(got)) {
		t.Error("EncodeJSON output is not valid JSON")
	}
	if got := string(EncodeJSON(nil)); got != "{}" {
		t.Errorf("EncodeJSON(nil) = %s", got)
	}
}

func TestIsJSONNumber(t *testing.T) {
	for s, want := range map[string]bool{
		"0": true, "-0": true, "12": true, "1.5": true, "1e5": true, "1E+5": true, "-2.5e-3": true,
		"": false, "-": false, "01": false, "1.": false, ".5": false, "1e": false, "+1": false, "1x": false, "NaN": false,
	} {
		if got := isJSONNumber(s); got != want {
			t.Errorf("isJSONNumber(%q) = %v", s, got)
		}
	}
}

func TestDecodeJSON(t *testing.T) {
	got, err := DecodeJSON([]byte(`{"b":1,"a":{"y":[true,null,"s"],"x":1.50},"b":"again","u":"\u00e9\ud83d\ude00"}`))
	if err != nil {
		t.Fatal(err)
	}
	want := Params{
		{Key: "b", Value: String("again")},
		{Key: "a", Value: Object(Params{
			{Key: "y", Value: List(Bool(true), Value{}, String("s"))},
			{Key: "x", Value: Number("1.50")},
		})},
		{Key: "u", Value: String("é😀")},
	}
	if !got.Equal(want) {
		t.Errorf("DecodeJSON = %s, want %s", EncodeJSON(got), EncodeJSON(want))
	}
	if _, err := DecodeJSON([]byte(`  `)); err == nil {
		t.Error("DecodeJSON of blank input: no error")
	}
}

func TestParamsAndValueJSONMethods(t *testing.T) {
	var p Params
	if err := json.Unmarshal([]byte(`{"z":1,"a":[{"k":"v"}]}`), &p); err != nil {
		t.Fatal(err)
	}
	if p[0].Key != "z" || p.Get("a[0][k]") != "v" {
		t.Errorf("Unmarshal lost order or content: %s", EncodeJSON(p))
	}
	out, err := json.Marshal(p)
	if err != nil || string(out) != `{"z":1,"a":[{"k":"v"}]}` {
		t.Errorf("Marshal = %s, %v", out, err)
	}
	var v Value
	if err := json.Unmarshal([]byte(`[1,"x"]`), &v); err != nil || v.Kind() != KindList || len(v.Items()) != 2 {
		t.Errorf("Value Unmarshal = %v, %v", v, err)
	}
	if err := v.UnmarshalJSON([]byte(`[1] 2`)); err == nil {
		t.Error("Value.UnmarshalJSON accepted trailing data")
	}
	if err := p.UnmarshalJSON([]byte(`[]`)); err == nil {
		t.Error("Params.UnmarshalJSON accepted a list")
	}
	if v.Equal(String("[1,\"x\"]")) || !v.Equal(List(Number("1"), String("x"))) {
		t.Error("Value.Equal wrong")
	}
	if got := Object(Params{{Key: "k", Value: Number("1")}}).Members().Get("k"); got != "1" {
		t.Errorf("Members().Get = %q", got)
	}

	var set Params
	set.Set("a", String("1"))
	set.Set("b", String("2"))
	set.Set("a", String("3"))
	if EncodeForm(set) != "a=3&b=2" {
		t.Errorf("Set: %s", EncodeForm(set))
	}
}

func TestAppendQuery(t *testing.T) {
	tests := []struct{ url, query, want string }{
		{"http://h/p", "a=1", "http://h/p?a=1"},
		{"http://h/p?x=y", "a=1", "http://h/p?x=y&a=1"},
		{"http://h/p?", "a=1", "http://h/p?a=1"},
		{"http://h/p#frag", "a=1", "http://h/p?a=1#frag"},
		{"http://h/p?x=y#frag", "a=1", "http://h/p?x=y&a=1#frag"},
		{"http://h/p", "", "http://h/p"},
		{"http://h/p?x=y", "", "http://h/p?x=y&"},
	}
	for _, tt := range tests {
		if got := AppendQuery(tt.url, tt.query); got != tt.want {
			t.Errorf("AppendQuery(%q, %q) = %q, want %q", tt.url, tt.query, got, tt.want)
		}
	}
}

func TestNewHTTPRequest(t *testing.T) {
	ctx := context.Background()
	p := Params{
		{Key: "Call-ID", Value: String("c 1")},
		{Key: "Digits", Value: Object(Params{{Key: "default", Value: String("1")}})},
	}

	get, err := NewHTTPRequest(ctx, "get", "http://pivot.test/cb?tenant=acme", BodyJSON, p)
	if err != nil {
		t.Fatal(err)
	}
	if get.Method != "GET" || get.URL.String() != "http://pivot.test/cb?tenant=acme&Call-ID=c+1&Digits[default]=1" {
		t.Errorf("GET: %s %s", get.Method, get.URL)
	}
	if get.Body != nil || len(get.Header) != 0 {
		t.Errorf("GET has body %v or headers %v", get.Body, get.Header)
	}

	for _, tt := range []struct {
		body     BodyFormat
		wantType string
		wantBody string
	}{
		{BodyForm, "application/x-www-form-urlencoded", "Call-ID=c+1&Digits[default]=1"},
		{0, "application/x-www-form-urlencoded", "Call-ID=c+1&Digits[default]=1"},
		{BodyJSON, "application/json", `{"Call-ID":"c 1","Digits":{"default":"1"}}`},
	} {
		post, err := NewHTTPRequest(ctx, "POST", "http://pivot.test/cb?tenant=acme", tt.body, p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(post.Body)
		if post.URL.String() != "http://pivot.test/cb?tenant=acme" || string(body) != tt.wantBody ||
			!reflect.DeepEqual(post.Header, http.Header{"Content-Type": {tt.wantType}}) {
			t.Errorf("POST %v: url %s headers %v body %s", tt.body, post.URL, post.Header, body)
		}
	}

	if _, err := NewHTTPRequest(ctx, "PUT", "http://pivot.test/", BodyForm, p); err == nil {
		t.Error("PUT accepted")
	}
	if _, err := NewHTTPRequest(ctx, "GET", "http://bad host/", BodyForm, p); err == nil || !strings.Contains(err.Error(), "pivot: building GET request") {
		t.Errorf("bad URL: err = %v", err)
	}
}

// TestRoundTrip sends a full request over a real loopback HTTP connection in
// each method, body format and naming, and parses it back.
func TestRoundTrip(t *testing.T) {
	got := make(chan *Request, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := ParseRequest(r)
		if err != nil {
			t.Errorf("server: ParseRequest: %v", err)
		}
		got <- req
	}))
	defer srv.Close()

	cases := []struct {
		method string
		body   BodyFormat
		want   BodyFormat
	}{
		{"GET", BodyForm, BodyQuery},
		{"POST", BodyForm, BodyForm},
		{"POST", BodyJSON, BodyJSON},
	}
	for _, c := range cases {
		for _, format := range []Format{FormatKazoo, FormatTwiML} {
			t.Run(c.method+"/"+c.want.String()+"/"+format.String(), func(t *testing.T) {
				want := fullRequest()
				if format == FormatTwiML {
					// Fields the twiml naming lacks, or shares with a base parameter.
					want.RequestUser, want.RequestRealm, want.Language = "", "", ""
					want.UserIDs, want.CustomApplicationVars, want.CustomSIPHeaders = nil, nil, nil
					want.Vars.RecordingURL, want.Vars.RecordingDuration, want.Vars.CallStatus = "", "", ""
					want.APIVersion = TwiMLAPIVersion
				}
				httpReq, err := NewHTTPRequest(context.Background(), c.method, srv.URL+"/pivot?tenant=acme", c.body, want.Params(format))
				if err != nil {
					t.Fatal(err)
				}
				resp, err := srv.Client().Do(httpReq)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				r := <-got
				if r == nil {
					t.FailNow()
				}
				want.Method, want.BodyFormat, want.Format = c.method, c.want, format
				if g := typed(r); !reflect.DeepEqual(g, *want) {
					t.Errorf("round trip:\n got %+v\nwant %+v", g, *want)
				}
				tenant := r.Get("tenant")
				if c.method == "POST" {
					tenant = r.URLQuery.Get("tenant")
				}
				if tenant != "acme" {
					t.Errorf("voice_url's own parameter lost: %q", tenant)
				}
			})
		}
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
