package wire

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

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

// TestScanJSON checks the fast JSON path: it must read the bodies Kazoo
// writes itself (else DecodeJSON silently falls back to encoding/json's
// slower decoding), leave everything else to encoding/json, and agree with
// the reference decoder on both.
func TestScanJSON(t *testing.T) {
	call := benchRequest()
	call.CustomSIPHeaders = map[string]string{"X-Note": "say \"hi\"\\n\t/ Zoë"}
	call.CustomApplicationVars = map[string]string{"n": "1"}
	read := []string{
		string(EncodeJSON(call.Params(FormatKazoo))),
		string(EncodeJSON(call.Params(FormatTwiML))),
		`{}`,
		" {\"a\" : [ ] , \"b\":{},\"c\":[1,-0.5e+7,2E-3,true,false,null,\"\"],\"a\":\"last\"}\r\n",
		`{"esc":"\"\\\/\b\f\n\r\t","ü":"ü"}`,
	}
	leave := []string{
		``, ` `, `[]`, `"x"`, `{`, `{"a":1,}`, `{"a":1}x`, `{"a":1}{}`, `{"a":01}`, `{"a":1.}`, `{"a":-}`,
		`{"a":tru}`, `{"a":"\u00e9"}`, `{"a":"` + "\xff" + `"}`, `{"a":"` + "\x01" + `"}`, `{"a":"\x"}`,
		`{a:1}`, "\ufeff{}", `{"a":` + strings.Repeat("[", 70) + strings.Repeat("]", 70) + `}`,
		`{` + strings.Repeat(`"k":1,`, 10) + manyMembers(scanMaxMembers) + `}`,
	}
	for _, s := range read {
		p, ok := scanJSON(s)
		want, err := refDecodeJSON([]byte(s))
		if !ok || err != nil || !reflect.DeepEqual(p, want) {
			t.Errorf("scanJSON(%q) = %v, %v; want %v, %v", s, p, ok, want, err)
		}
	}
	for _, s := range leave {
		if p, ok := scanJSON(s); ok {
			t.Errorf("scanJSON(%q) read %v, want it left to encoding/json", s, p)
		}
		got, gotErr := DecodeJSON([]byte(s))
		want, wantErr := refDecodeJSON([]byte(s))
		if !reflect.DeepEqual(got, want) || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
			t.Errorf("DecodeJSON(%q) = %v, %v; reference %v, %v", s, got, gotErr, want, wantErr)
		}
	}
}

// manyMembers returns n distinct JSON members, without braces.
func manyMembers(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"m%d":%d`, i, i)
	}
	return b.String()
}
