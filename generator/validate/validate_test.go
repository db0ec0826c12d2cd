package validate_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/kzgen/kzgen/generator/validate"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// minimal is the smallest schema set a validator accepts, plus what a test
// adds: callflows.action (without Kazoo's extension checks) and callflows.
func minimal(extra map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{
		"callflows.action.json": {Data: []byte(`{"_id":"callflows.action","type":"object",
			"properties":{"module":{"type":"string","kazoo-validation":true},"data":{"type":"object","default":{},"kazoo-validation":true},
			"children":{"type":"object","patternProperties":{".+":{"$ref":"callflows.action"}}}},"required":["module","data"]}`)},
		"callflows.json": {Data: []byte(`{"_id":"callflows","type":"object","properties":{"flow":{"$ref":"callflows.action"},
			"numbers":{"type":"array","items":{"type":"string"}}}}`)},
	}
	for name, doc := range extra {
		fsys[name+".json"] = &fstest.MapFile{Data: []byte(doc)}
	}
	return fsys
}

func mustFS(t *testing.T, fsys fstest.MapFS, opts ...validate.Option) *validate.Validator {
	t.Helper()
	v, err := validate.FromFS(fsys, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// problems renders a result's problems as "pointer [code]" lines.
func problems(res *validate.Result) []string {
	var out []string
	for _, p := range res.Problems {
		out = append(out, p.Pointer+" ["+p.Code+"]")
	}
	return out
}

func expect(t *testing.T, v *validate.Validator, id, input string, want ...string) {
	t.Helper()
	res, err := v.ValidateSchema(id, []byte(input))
	if err != nil {
		t.Fatal(err)
	}
	if got := problems(res); !slices.Equal(got, want) {
		t.Errorf("%s: got %q, want %q\n%v", input, got, want, res.Problems)
	}
}

// TestKeywords covers the keywords and comparisons the callflow schemas
// barely use: exact enum and uniqueItems equality, objects equal whatever
// their key order, counts before defaults, schemas without a type, type
// lists, anyOf, overlapping oneOf, additional and pattern properties,
// exclusive bounds, formats.
func TestKeywords(t *testing.T) {
	v := mustFS(t, minimal(map[string]string{"x": `{"_id":"x","type":"object","properties":{
		"nums":{"type":"array","uniqueItems":true},
		"objs":{"type":"array","uniqueItems":true},
		"pick":{"enum":[1,"1",{"a":1,"b":[2]}]},
		"few":{"type":"object","minProperties":2,"properties":{"d":{"type":"string","default":"x"}}},
		"loose":{"properties":{"s":{"type":"string"}}},
		"either":{"type":["string","integer"],"minLength":2,"minimum":10},
		"any":{"anyOf":[{"type":"string"},{"type":"integer"}]},
		"one":{"oneOf":[{"type":"integer"},{"type":"number"}]},
		"closed":{"type":"object","additionalProperties":false,"properties":{"a":{}},"patternProperties":{"^x-":{"type":"string"}}},
		"open":{"type":"object","additionalProperties":{"type":"integer"}},
		"excl":{"type":"number","minimum":0,"exclusiveMinimum":true,"maximum":1,"exclusiveMaximum":true},
		"mail":{"type":"string","format":"email"},
		"when":{"type":"string","format":"date-time"},
		"host":{"type":"string","format":"hostname"}}}`}))
	expect(t, v, "x", `{"nums":[1,1.0,"1"]}`)
	expect(t, v, "x", `{"nums":[1.0,1.00]}`, "/nums [uniqueItems]")
	expect(t, v, "x", `{"nums":[100000000000000000000001,100000000000000000000001]}`, "/nums [uniqueItems]")
	expect(t, v, "x", `{"objs":[{"a":1,"b":2},{"b":2,"a":1}]}`, "/objs [uniqueItems]")
	expect(t, v, "x", `{"objs":[{"a":1},{"a":1,"b":2}]}`)
	expect(t, v, "x", `{"pick":1}`)
	expect(t, v, "x", `{"pick":1.0}`, "/pick [enum]")
	expect(t, v, "x", `{"pick":{"b":[2],"a":1}}`)
	expect(t, v, "x", `{"pick":{"b":[2.0],"a":1}}`, "/pick [enum]")
	// minProperties counts the object as written, before defaults.
	expect(t, v, "x", `{"few":{"z":1}}`, "/few [minProperties]")
	expect(t, v, "x", `{"few":{"z":1,"y":2}}`)
	// Without "type", keywords of other types do not apply.
	expect(t, v, "x", `{"loose":"a string"}`)
	expect(t, v, "x", `{"loose":{"s":1}}`, "/loose/s [type]")
	expect(t, v, "x", `{"either":"ab"}`)
	expect(t, v, "x", `{"either":"a"}`, "/either [minLength]")
	expect(t, v, "x", `{"either":5}`, "/either [minimum]")
	expect(t, v, "x", `{"either":5.5}`, "/either [type]")
	expect(t, v, "x", `{"any":"s"}`)
	expect(t, v, "x", `{"any":true}`, "/any [any_schemas_not_valid]")
	expect(t, v, "x", `{"one":1.5}`)
	expect(t, v, "x", `{"one":1}`, "/one [more_than_one_schema_valid]")
	expect(t, v, "x", `{"one":"1"}`, "/one [not_one_schema_valid]")
	expect(t, v, "x", `{"closed":{"a":[],"x-1":"s"}}`)
	expect(t, v, "x", `{"closed":{"b":1,"x-1":2}}`, "/closed/b [additionalProperties]", "/closed/x-1 [type]")
	expect(t, v, "x", `{"open":{"n":1,"m":"s"}}`, "/open/m [type]")
	expect(t, v, "x", `{"excl":0.5}`)
	expect(t, v, "x", `{"excl":0}`, "/excl [minimum]")
	expect(t, v, "x", `{"excl":1}`, "/excl [maximum]")
	expect(t, v, "x", `{"excl":1e400}`) // beyond float64: bounds unchecked (unverified in Kazoo)
	expect(t, v, "x", `{"mail":"a b@c d\n"}`)
	expect(t, v, "x", `{"mail":"a@b@c"}`, "/mail [wrong_format]")
	expect(t, v, "x", `{"when":"2024-02-29T23:59:60.5+01:00"}`)
	expect(t, v, "x", `{"when":"2023-02-29T00:00:00Z"}`, "/when [wrong_format]")
	expect(t, v, "x", `{"when":"2024-01-01 00:00:00Z"}`, "/when [wrong_format]")
	expect(t, v, "x", `{"when":"2024-01-01T24:00:00Z"}`, "/when [wrong_format]")
	expect(t, v, "x", `{"host":"not a host name!"}`)
}

// TestDefaults: a filled-in default is checked like any value, and fills
// the required property it stands for.
func TestDefaults(t *testing.T) {
	v := mustFS(t, minimal(map[string]string{"d": `{"_id":"d","type":"object","required":["a","b","c"],"properties":{
		"a":{"type":"string","default":"x"},
		"b":{"type":"integer","default":"not an integer"},
		"c":{"type":"object","default":{},"required":["inner"]}}}`}))
	expect(t, v, "d", `{"a":"y","b":1,"c":{"inner":1}}`)
	expect(t, v, "d", `{}`, "/b [type]", "/c/inner [required]")
}

// TestSchemaCycles: a schema set that refers to itself without consuming
// the value is refused when it is loaded, naming the files of the cycle,
// so no validator ever follows it.
func TestSchemaCycles(t *testing.T) {
	_, err := validate.FromFS(minimal(map[string]string{
		"loop": `{"_id":"loop","$ref":"loop2"}`, "loop2": `{"_id":"loop2","anyOf":[{"$ref":"loop"},{"$ref":"loop"}]}`,
	}))
	if err == nil || !strings.Contains(err.Error(), "loop.json") || !strings.Contains(err.Error(), "loop2.json") {
		t.Errorf("got %v, want an error naming loop.json and loop2.json", err)
	}
}

// TestDeepInput: input nested beyond the limit is a problem, not a crash.
func TestDeepInput(t *testing.T) {
	v, err := validate.New(validate.WithMaxDepth(50))
	if err != nil {
		t.Fatal(err)
	}
	node := `{"module":"answer","data":{}}`
	for range 20 {
		node = `{"module":"answer","data":{},"children":{"_":` + node + `}}`
	}
	if res := v.Validate([]byte(node), validate.Pivot); !res.Valid() || res.Mode != validate.Pivot {
		t.Errorf("21 nodes: %v", res.Problems)
	}
	deep := strings.Repeat("[", 51) + strings.Repeat("]", 51)
	res := v.Validate([]byte(deep), validate.Auto)
	if len(res.Problems) != 1 || res.Problems[0].Code != validate.CodeJSON || !strings.Contains(res.Problems[0].Message, "50 levels") {
		t.Errorf("51 levels: %v", res.Problems)
	}
}

func TestMalformedJSON(t *testing.T) {
	v, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		"{\n  \"module\": ":          "line 2, column 13: unexpected end of input",
		`{"module":"tts"} x`:         "line 1, column 18: unexpected data after the top-level value",
		"{\"a\":\"\xff\"}":           "invalid UTF-8",
		`{"a":01}`:                   "expected ',' or '}'",
		`{"a":1.}`:                   "no digit after the decimal point",
		`{"a":"\x"}`:                 `invalid escape \x`,
		"":                           "unexpected end of input",
		`{"a" 1}`:                    "expected ':'",
		"{\"a\":\"tab\there\"}":      "control character",
		`[1,2,]`:                     "unexpected character ']'",
		`{"a":"\ud800"}`:             "",
		`{"a":"\ud83d\ude00"} `:      "",
		`{"module":"answer"}` + "\n": "",
	} {
		res := v.Validate([]byte(in), validate.Auto)
		if want == "" {
			if len(res.Problems) > 0 && res.Problems[0].Code == validate.CodeJSON {
				t.Errorf("%q: %v", in, res.Problems)
			}
			continue
		}
		if len(res.Problems) != 1 || res.Problems[0].Code != validate.CodeJSON || !strings.Contains(res.Problems[0].Message, want) {
			t.Errorf("%q: got %v, want a JSON problem with %q", in, res.Problems, want)
		}
	}
}

// TestDuplicateKeys: every later copy is a warning with its pointer and
// position, in small objects and in large ones.
func TestDuplicateKeys(t *testing.T) {
	v, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	var big strings.Builder
	big.WriteString(`{"module":"tts","data":{"text":"Hi"`)
	for i := range 40 {
		fmt.Fprintf(&big, `,"k%d":%d`, i, i)
	}
	big.WriteString(`,"k7":"again","text":"","k7":3}}`)
	res := v.Validate([]byte(big.String()), validate.Pivot)
	if !res.Valid() {
		t.Errorf("the first copies are valid: %v", res.Problems)
	}
	var got []string
	for _, w := range res.Warnings {
		if w.Kind != validate.DuplicateKey || w.Line != 1 || w.Column < 300 {
			t.Errorf("warning %+v", w)
		}
		got = append(got, w.Pointer)
	}
	if want := []string{"/data/k7", "/data/text", "/data/k7"}; !slices.Equal(got, want) {
		t.Errorf("warnings at %v, want %v", got, want)
	}
	res = v.Validate([]byte("{\"module\":\"tts\",\n\"data\":{\"text\":\"\",\n  \"text\":\"Hi\"}}"), validate.Pivot)
	if len(res.Warnings) != 1 || res.Warnings[0].String() != "/data/text (line 3, column 3): duplicate key: Kazoo reads the first copy (line 2) and ignores this one" {
		t.Errorf("warnings %v", res.Warnings)
	}
}

// TestModules: metaflow modules are checked only when the set has
// metaflows.* schemas; custom modules of a user's schema directory work.
func TestModules(t *testing.T) {
	metaflow := `{"_id":"metaflow","type":"object","required":["module"],"properties":{
		"module":{"type":"string","kazoo-validation":true},"data":{"type":"object","default":{},"kazoo-validation":true}}}`
	document := `{"_id":"callflows","type":"object","properties":{"flow":{"$ref":"callflows.action"},
		"numbers":{"type":"array"},"metaflow":{"$ref":"metaflow"}}}`
	doc := []byte(`{"numbers":["1"],"flow":{"module":"custom","data":{"n":1}},"metaflow":{"module":"transfer","data":{}}}`)

	without := mustFS(t, minimal(map[string]string{"callflows": document, "metaflow": metaflow,
		"callflows.custom": `{"_id":"callflows.custom","type":"object","properties":{"n":{"type":"string"}}}`}))
	if got := problems(without.Validate(doc, validate.Auto)); !slices.Equal(got, []string{"/flow/data/n [type]"}) {
		t.Errorf("without metaflows.*: %q", got)
	}
	with := mustFS(t, minimal(map[string]string{"callflows": document, "metaflow": metaflow,
		"callflows.custom": `{"_id":"callflows.custom","type":"object"}`,
		"metaflows.hold":   `{"_id":"metaflows.hold","type":"object"}`}))
	res := with.Validate(doc, validate.Auto)
	if got := problems(res); !slices.Equal(got, []string{"/metaflow/module [error]"}) ||
		res.Problems[0].Message != "unable to find metaflow schema for module transfer" {
		t.Errorf("with metaflows.*: %v", res.Problems)
	}
}

// TestStabilityLevel: a property whose stability_level is below the
// system's is refused in stored callflows.
func TestStabilityLevel(t *testing.T) {
	fsys := minimal(map[string]string{"callflows.beta": `{"_id":"callflows.beta","type":"object",
		"properties":{"new":{"type":"boolean","stability_level":"beta"}}}`})
	doc := []byte(`{"numbers":["1"],"flow":{"module":"beta","data":{"new":true}}}`)
	if res := mustFS(t, fsys).Validate(doc, validate.Callflow); !res.Valid() {
		t.Errorf("no system level: %v", res.Problems)
	}
	if res := mustFS(t, fsys, validate.WithStabilityLevel("beta")).Validate(doc, validate.Callflow); !res.Valid() {
		t.Errorf("system level beta: %v", res.Problems)
	}
	res := mustFS(t, fsys, validate.WithStabilityLevel("stable")).Validate(doc, validate.Callflow)
	if got := problems(res); !slices.Equal(got, []string{"/flow/data/new [error]"}) {
		t.Errorf("system level stable: %v", res.Problems)
	}
	// Pivot answers are validated without a stability level.
	res = mustFS(t, fsys, validate.WithStabilityLevel("stable")).Validate([]byte(`{"module":"beta","data":{"new":true}}`), validate.Pivot)
	if !res.Valid() {
		t.Errorf("a Pivot answer: %v", res.Problems)
	}
}

// TestCrossbarConversions follows Kazoo's kz_term conversions: Erlang's
// number syntax, rounding half away from zero.
func TestCrossbarConversions(t *testing.T) {
	v := mustFS(t, minimal(map[string]string{"callflows.c": `{"_id":"callflows.c","type":"object","properties":{
		"i":{"type":"integer","maximum":2001},"n":{"type":"number","maximum":3},"b":{"type":"boolean"},"e":{"enum":[1]},
		"l":{"type":"array","items":{"type":"integer"}}}}`}))
	check := func(data string, want ...string) {
		t.Helper()
		res := v.Validate([]byte(`{"numbers":["1"],"flow":{"module":"c","data":`+data+`}}`), validate.Callflow)
		if got := problems(res); !slices.Equal(got, want) {
			t.Errorf("%s: got %q, want %q", data, got, want)
		}
	}
	check(`{"i":"2000"}`)
	check(`{"i":"+2000"}`)
	check(`{"i":"2000.4"}`)
	check(`{"i":"2001.5"}`, "/flow/data/i [maximum]") // rounds to 2002
	check(`{"i":2000.5}`)                             // rounds to 2001
	check(`{"i":"2e3"}`, "/flow/data/i [type]")       // not an Erlang number
	check(`{"i":"2000."}`, "/flow/data/i [type]")
	check(`{"i":true}`, "/flow/data/i [type]")
	check(`{"n":"2.5"}`)
	check(`{"n":"3.5"}`, "/flow/data/n [maximum]")
	check(`{"b":"false"}`)
	check(`{"b":"yes"}`, "/flow/data/b [type]")
	check(`{"l":["1",2.0]}`)
	check(`{"i":"x","e":2}`, "/flow/data/e [enum]", "/flow/data/i [type]")
	strict := mustFS(t, minimal(map[string]string{"callflows.c": `{"_id":"callflows.c","type":"object","properties":{"i":{"type":"integer"}}}`}),
		validate.WithStrict())
	if res := strict.Validate([]byte(`{"numbers":["1"],"flow":{"module":"c","data":{"i":"1"}}}`), validate.Callflow); res.Valid() {
		t.Error("strict validation converts nothing")
	}
	res := v.Validate([]byte(`{"numbers":["1"],"flow":{"module":"c","data":{"i":"7"}}}`), validate.Callflow)
	if len(res.Warnings) != 1 || res.Warnings[0].Kind != validate.Converted || res.Warnings[0].Pointer != "/flow/data/i" {
		t.Errorf("warnings %v", res.Warnings)
	}
}

func TestOptionsAndModes(t *testing.T) {
	for _, opt := range []validate.Option{validate.WithStabilityLevel("gold"), validate.WithMaxDepth(0), validate.WithBlacklist(nil)} {
		if _, err := validate.New(opt); err == nil {
			t.Error("a bad option must fail")
		}
	}
	partial := mustFS(t, fstest.MapFS{"callflows.json": {Data: []byte(`{"_id":"callflows"}`)}})
	if err := partial.CheckModes(); err == nil || err.Error() != "the schema set has no callflows.action" {
		t.Errorf("CheckModes on a set without callflows.action: %v", err)
	}
	if res := partial.Validate([]byte(`{"module":"x"}`), validate.Pivot); res.Valid() || res.Problems[0].Code != "error" {
		t.Errorf("a Pivot answer without callflows.action: %v", res.Problems)
	}
	if res := partial.Validate([]byte(`{"numbers":["1"],"flow":{}}`), validate.Callflow); !res.Valid() {
		t.Errorf("a document: %v", res.Problems)
	}
	if _, err := validate.FromFS(fstest.MapFS{"x.json": {Data: []byte(`{`)}}); err == nil {
		t.Error("a broken schema directory must fail")
	}
	for in, want := range map[string]validate.Mode{
		`{"flow":{}}`: validate.Callflow, `{"flow":{},"module":"x"}`: validate.Pivot, `[]`: validate.Pivot, `{`: validate.Pivot,
	} {
		if got := validate.DetectMode([]byte(in)); got != want {
			t.Errorf("DetectMode(%s) = %v, want %v", in, got, want)
		}
	}
	for _, s := range []string{"pivot", "callflow", "auto"} {
		if _, err := validate.ParseMode(s); err != nil {
			t.Error(err)
		}
	}
	if _, err := validate.ParseMode("document"); err == nil {
		t.Error("ParseMode accepts anything")
	}
	v, _ := validate.New()
	if _, err := v.ValidateSchema("no.such", []byte(`{}`)); err == nil {
		t.Error("ValidateSchema on a missing schema")
	}
	res := v.Validate([]byte(`{"module":"tts","data":{}}`), validate.Auto)
	var es kzrt.Errors
	if !errors.As(res.Err(), &es) || es[0].Error() != "/data/text: required property is missing [required]" {
		t.Errorf("Err: %v", res.Err())
	}
}
