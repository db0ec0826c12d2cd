package demo

// This file is copied next to the package generated from
// testdata/golden/types/schemas and run by TestGoldenCompilesAndBehaves.

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/runtime/kzrt"
)

func roundTrip(t *testing.T, in string, v interface {
	json.Unmarshaler
}) string {
	t.Helper()
	if err := json.Unmarshal([]byte(in), v); err != nil {
		t.Fatalf("unmarshal %s: %v", in, err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	var a, b any
	json.Unmarshal([]byte(in), &a)
	json.Unmarshal(out, &b)
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("round trip changed the value:\n in: %s\nout: %s", in, out)
	}
	return string(out)
}

func TestFalseAndZeroSurvive(t *testing.T) {
	var p DemoPrompt
	out := roundTrip(t, `{"text":"hi","endless":false,"retries":0}`, &p)
	if p.Endless == nil || *p.Endless || p.Retries == nil || *p.Retries != 0 {
		t.Fatalf("false/0 lost: %+v", p)
	}
	if !strings.Contains(out, `"endless":false`) || !strings.Contains(out, `"retries":0`) {
		t.Fatalf("false/0 not written back: %s", out)
	}
	var absent DemoPrompt
	roundTrip(t, `{"text":"hi"}`, &absent)
	if absent.Endless != nil || absent.Retries != nil {
		t.Fatal("absent fields must stay nil")
	}
}

func TestDefaults(t *testing.T) {
	var p DemoPrompt
	if p.GetRetries() != 3 || p.GetMethod() != DemoPromptMethodGet || p.GetEndless() {
		t.Fatalf("defaults: %d %q %v", p.GetRetries(), p.GetMethod(), p.GetEndless())
	}
	if DefaultDemoPromptRetries != 3 {
		t.Fatal("default constant")
	}
	d := DefaultDemoCallDurationMS()
	if d.String == nil || *d.String != "2000" || d.Int != nil {
		t.Fatalf("union default: %+v", d)
	}
}

func TestEnumsDifferingByCase(t *testing.T) {
	if DemoPromptMethodGet == DemoPromptMethodGET || DemoPromptMethodGet != "get" || DemoPromptMethodGET != "GET" {
		t.Fatal("case-only enum values need distinct constants")
	}
	if !DemoPromptMethodPOST.Valid() || DemoPromptMethod("Get").Valid() {
		t.Fatal("Valid")
	}
	if DemoNamesTypeAB == DemoNamesTypeAB2 || DemoNamesTypeEmpty != "" || DemoNamesTypeStar != "*" {
		t.Fatal("enum names for punctuation")
	}
}

func TestUnionsAreLossless(t *testing.T) {
	var c DemoCall
	roundTrip(t, `{"prompt":{"text":"x"},"duration_ms":1500}`, &c)
	if c.DurationMS.Int == nil || *c.DurationMS.Int != 1500 {
		t.Fatalf("integer alternative: %+v", c.DurationMS)
	}
	roundTrip(t, `{"prompt":{"text":"x"},"duration_ms":"1500"}`, &c)
	if c.DurationMS.String == nil || *c.DurationMS.String != "1500" {
		t.Fatalf("string alternative: %+v", c.DurationMS)
	}
	roundTrip(t, `{"prompt":{"text":"x"},"target":"+15551234"}`, &c)
	roundTrip(t, `{"prompt":{"text":"x"},"target":42}`, &c)
	if c.Target.Int == nil {
		t.Fatal("type list union")
	}
	// $ref-or-object: a flat header map, or one split into in and out.
	roundTrip(t, `{"prompt":{"text":"x"},"custom_sip_headers":{"X-Account":"abc"}}`, &c)
	if c.CustomSIPHeaders.Headers["X-Account"] != "abc" {
		t.Fatalf("ref alternative: %+v", c.CustomSIPHeaders)
	}
	roundTrip(t, `{"prompt":{"text":"x"},"custom_sip_headers":{"in":{"X-In":"1"},"out":{"X-Out":"2"}}}`, &c)
	if c.CustomSIPHeaders.Object == nil || c.CustomSIPHeaders.Object.In["X-In"] != "1" {
		t.Fatalf("object alternative: %+v", c.CustomSIPHeaders)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	var bad DemoCall
	if err := json.Unmarshal([]byte(`{"prompt":{"text":"x"},"duration_ms":true}`), &bad); err == nil {
		t.Fatal("a boolean is neither integer nor string")
	}
}

func TestRecursiveRefsAndMaps(t *testing.T) {
	var p DemoPrompt
	roundTrip(t, `{"text":"menu","children":{"1":{"text":"sales","children":{"_":{"text":"bye"}}}}}`, &p)
	next := p.Children["1"].Children["_"]
	if got := next.GetText(); got != "bye" {
		t.Fatalf("nested child: %q", got)
	}
	var c DemoCall
	roundTrip(t, `{"prompt":{"text":"x"},"labels":{"a":"one","b":"two"},"metadata":{"any":[1,"x",null]}}`, &c)
	if c.Labels["b"] != "two" || string(c.Metadata) == "" {
		t.Fatalf("maps and raw values: %+v", c)
	}
}

func TestUnknownPropertiesKept(t *testing.T) {
	var p DemoPrompt
	out := roundTrip(t, `{"text":"hi","x_vendor":{"nested":[1,2]},"another":true}`, &p)
	if len(p.Extra) != 2 || !strings.Contains(out, `"x_vendor":{"nested":[1,2]}`) {
		t.Fatalf("extra properties: %s", out)
	}
}

func TestIdentifiers(t *testing.T) {
	n := DemoNames{N1stChoice: ptr("a"), DTMFTTS: ptr(true), Extra2: ptr("E"), Extra3: ptr("e"), Validate2: ptr(int64(1))}
	out, _ := json.Marshal(n)
	want := `{"1st-choice":"a","Extra":"E","dtmf.tts":true,"extra":"e","validate":1}`
	if string(out) != want {
		t.Fatalf("got %s want %s", out, want)
	}
	p := DemoPrompt{CallerIDNumber: ptr("+1"), VoiceURL: ptr("http://x")}
	_ = p
}

func ptr[T any](v T) *T { return &v }

func TestValidateReportsEveryProblem(t *testing.T) {
	var c DemoCall
	in := `{
		"prompt": {"text": "", "retries": 11, "method": "put", "caller_id_number": "abc", "voice_url": "not a uri",
		           "children": {"2": {"text": "this text is far too long to be spoken"}}},
		"codecs": ["PCMU", "PCMU", "G729", "OPUS"],
		"labels": {"k": "toolong"},
		"limits": {"min": 0},
		"custom_sip_headers": {"bad header": "x"}
	}`
	// custom_sip_headers is valid: "bad header" breaks the header map
	// alternative, but anyOf is satisfied by the {in, out} object, which
	// allows other keys.
	if err := json.Unmarshal([]byte(in), &c); err != nil {
		t.Fatal(err)
	}
	got, codes := map[string]string{}, map[string]string{}
	for _, e := range kzrt.AsErrors(c.Validate()) {
		if got[e.Pointer] != "" {
			got[e.Pointer] += "; "
			codes[e.Pointer] += " "
		}
		got[e.Pointer] += e.Message
		codes[e.Pointer] += e.Code
	}
	want := map[string]string{
		"/prompt/text":             "length 0, minimum 1",
		"/prompt/retries":          "11 is greater than the maximum 10",
		"/prompt/method":           `"put" is not one of "get", "post", "GET", "POST"`,
		"/prompt/caller_id_number": `"abc" does not match pattern "^\\+?[0-9]+$"`,
		"/prompt/children/2/text":  "length 38, maximum 20",
		"/codecs":                  "4 items, maximum 3; items 0 and 1 are equal; items must be unique",
		"/codecs/2":                `"G729" is not one of "PCMU", "PCMA", "OPUS"`,
		"/labels/k":                "length 7, maximum 5",
		"/limits/max":              "required property is missing",
		"/limits/min":              "0 must be greater than 0",
	}
	// Every problem carries Kazoo's error code.
	wantCodes := map[string]string{
		"/prompt/text":             "minLength",
		"/prompt/retries":          "maximum",
		"/prompt/method":           "enum",
		"/prompt/caller_id_number": "pattern",
		"/prompt/children/2/text":  "maxLength",
		"/codecs":                  "maxItems uniqueItems",
		"/codecs/2":                "enum",
		"/labels/k":                "maxLength",
		"/limits/max":              "required",
		"/limits/min":              "minimum",
	}
	for ptr, msg := range want {
		if got[ptr] != msg {
			t.Errorf("%s: got %q, want %q", ptr, got[ptr], msg)
		}
		if codes[ptr] != wantCodes[ptr] {
			t.Errorf("%s: codes %q, want %q", ptr, codes[ptr], wantCodes[ptr])
		}
	}
	if len(got) < len(want) {
		t.Errorf("got %d problems, want at least %d: %v", len(got), len(want), got)
	}
	// Kazoo does not check format "uri".
	if got["/prompt/voice_url"] != "" {
		t.Errorf("/prompt/voice_url: %s, but Kazoo does not check uri", got["/prompt/voice_url"])
	}
	err := DemoHeaders{"bad header": "x", "Good": "y"}.Validate()
	if err == nil || err.Error() != `/bad header: property name "bad header" is not allowed [additionalProperties]` {
		t.Errorf("header map: %v", err)
	}
	var missing DemoCall
	json.Unmarshal([]byte(`{}`), &missing)
	if err := missing.Validate(); err == nil || !strings.Contains(err.Error(), "/prompt: required property is missing") {
		t.Fatalf("required: %v", err)
	}
}

func TestDecodeErrorsNamePointers(t *testing.T) {
	var c DemoCall
	err := json.Unmarshal([]byte(`{"prompt":{"text":"x","children":{"1":{"text":5}}}}`), &c)
	if err == nil || !strings.Contains(err.Error(), "/prompt/children") {
		t.Fatalf("got %v", err)
	}
}

func TestEnumValidate(t *testing.T) {
	if err := DemoPromptMethodGET.Validate(); err != nil {
		t.Fatal(err)
	}
	err := DemoPromptMethod("put").Validate()
	if err == nil || err.Error() != `(root): "put" is not one of "get", "post", "GET", "POST" [enum]` {
		t.Fatalf("got %v", err)
	}
}

// TestUnionConstructors: one constructor per alternative, whose value
// encodes as that alternative.
func TestUnionConstructors(t *testing.T) {
	for _, c := range []struct {
		v    json.Marshaler
		want string
	}{
		{new(DemoCallTargetFromInt(7)), `7`},
		{new(DemoCallTargetFromString("sales")), `"sales"`},
		{new(DemoCallDurationMSFromString("20")), `"20"`},
		{new(DemoCallCustomSIPHeadersFromHeaders(DemoHeaders{"X-A": "1"})), `{"X-A":"1"}`},
	} {
		v := c.v
		if p, ok := v.(interface{ Validate() error }); ok && p.Validate() != nil {
			t.Errorf("%T: %v", v, p.Validate())
		}
		got, err := v.MarshalJSON()
		if err != nil || string(got) != c.want {
			t.Errorf("%T: %s, %v; want %s", v, got, err, c.want)
		}
	}
}
