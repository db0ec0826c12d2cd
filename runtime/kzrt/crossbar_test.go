package kzrt_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/kzgen/kzgen/runtime/kzrt"
)

// waitData is a module's data with the types Crossbar converts to.
type waitData struct {
	Seconds *int64                     `json:"seconds,omitempty"`
	Ratio   *float64                   `json:"ratio,omitempty"`
	Loud    *bool                      `json:"loud,omitempty"`
	Steps   []int64                    `json:"steps,omitempty"`
	Label   *string                    `json:"label,omitempty"`
	Extra   map[string]json.RawMessage `json:"-"`
}

func (x *waitData) ModuleName() string { return "wait" }
func (x *waitData) MarshalJSON() ([]byte, error) {
	type plain waitData // encoding/json suffices for a test
	return json.Marshal((*plain)(x))
}
func (x *waitData) KzrtEncode(e *kzrt.Encoder) {
	b, err := x.MarshalJSON()
	if err != nil {
		e.Fail(err)
	}
	e.Raw(b)
}
func (x *waitData) UnmarshalJSON(data []byte) error {
	return kzrt.Unmarshal(data, x.KzrtDecode)
}
func (x *waitData) KzrtDecode(d *kzrt.Decoder) {
	*x = waitData{}
	if !d.OpenObject() {
		return
	}
	for d.NextMember() {
		switch string(d.Key()) {
		case "seconds":
			x.Seconds = d.IntOrKeep(&x.Extra)
		case "ratio":
			x.Ratio = d.FloatOrKeep(&x.Extra)
		case "loud":
			x.Loud = new(d.Bool())
		case "steps":
			if d.OpenArray() {
				x.Steps = []int64{}
				for d.NextElem() {
					x.Steps = append(x.Steps, d.Int())
				}
			}
		case "label":
			x.Label = new(d.String())
		default:
			d.Extra(&x.Extra)
		}
	}
}
func (x *waitData) Validate() error                { return nil }
func (x *waitData) KzrtValidate(v *kzrt.Validator) {}

// pickData holds a union: its "seconds" is read as a oneOf of an
// integer, and Crossbar converts no union; "loud" is a plain boolean.
type pickData struct {
	Seconds *int64
	Loud    *bool
}

func (x *pickData) ModuleName() string             { return "pick" }
func (x *pickData) MarshalJSON() ([]byte, error)   { return json.Marshal(x) }
func (x *pickData) KzrtEncode(e *kzrt.Encoder)     { e.Raw([]byte(`{}`)) }
func (x *pickData) Validate() error                { return nil }
func (x *pickData) KzrtValidate(v *kzrt.Validator) {}
func (x *pickData) KzrtDecode(d *kzrt.Decoder) {
	*x = pickData{}
	if !d.OpenObject() {
		return
	}
	for d.NextMember() {
		switch string(d.Key()) {
		case "loud":
			x.Loud = new(d.Bool())
		case "seconds":
			x.Seconds = pickSeconds(d)
		default:
			d.Skip()
		}
	}
}

// pickSeconds reads a oneOf whose one alternative is an integer, as
// generated code reads unions.
func pickSeconds(d *kzrt.Decoder) *int64 {
	try := d.Alternatives()
	defer try.End()
	if d.Kind() == '0' {
		n := d.Int()
		if try.Decoded() {
			return &n
		}
	}
	try.Fail("integer", kzrt.CodeNoneOf)
	return nil
}

var crossbarModules = kzrt.NewModules(kzrt.DataType[waitData](), kzrt.DataType[sayData](), kzrt.DataType[pickData]())

// storedDoc is a stored callflow document, as a generated package has.
type storedDoc struct {
	Flow  *kzrt.Node                 `json:"flow,omitempty"`
	Extra map[string]json.RawMessage `json:"-"`
}

func (x *storedDoc) UnmarshalJSON(data []byte) error {
	return crossbarModules.Unmarshal(data, func(d *kzrt.Decoder) {
		*x = storedDoc{}
		if !d.OpenObject() {
			return
		}
		for d.NextMember() {
			if string(d.Key()) == "flow" {
				x.Flow = d.Node()
			} else {
				d.Extra(&x.Extra)
			}
		}
	})
}

func TestCrossbarConvert(t *testing.T) {
	for _, c := range []struct {
		in, want, out string
		ok            bool
	}{
		{`"2000"`, "integer", `2000`, true},
		{`"+7"`, "integer", `7`, true},
		{`"2.5"`, "integer", `3`, true},
		{`"-2.5"`, "integer", `-3`, true},
		{`2000.0`, "integer", `2000`, true},
		{`2e3`, "integer", `2000`, true},
		{`"1e3"`, "integer", ``, false},
		{`"twenty"`, "integer", ``, false},
		{`"2."`, "number", ``, false},
		{`"2.25"`, "number", `2.25`, true},
		{`"12"`, "number", `12`, true},
		{`"true"`, "boolean", `true`, true},
		{`"false"`, "boolean", `false`, true},
		{`"yes"`, "boolean", ``, false},
		{`1`, "boolean", ``, false},
		{`true`, "integer", ``, false},
	} {
		out, ok := kzrt.CrossbarConvert(json.RawMessage(c.in), c.want)
		if ok != c.ok || string(out) != c.out {
			t.Errorf("CrossbarConvert(%s, %s) = %s, %v; want %s, %v", c.in, c.want, out, ok, c.out, c.ok)
		}
	}
}

func TestNumbersOrPatterns(t *testing.T) {
	var v kzrt.Validator
	v.NumbersOrPatterns(1, 0)
	v.NumbersOrPatterns(0, 2)
	if !v.OK() {
		t.Fatalf("a number or a pattern is enough: %v", v.Problems())
	}
	v.NumbersOrPatterns(0, 0)
	if got := problemsOf(v.Err()); !slices.Equal(got, []string{"/numbers [required]"}) {
		t.Errorf("neither: %q", got)
	}
}

// TestStoredDocumentConversions: the data of a stored callflow's nodes is
// converted as Crossbar converts it; a Pivot answer's is not.
func TestStoredDocumentConversions(t *testing.T) {
	in := `{"flow":{"module":"wait","data":{"seconds":"20","ratio":"0.5","loud":"true","steps":[1,"2",3.0],"label":"5"},
		"children":{"_":{"module":"wait","data":{"seconds":2.6}},"1":{"module":"say","data":{"text":"hi"}}}}}`
	var doc storedDoc
	if err := json.Unmarshal([]byte(in), &doc); err != nil {
		t.Fatal(err)
	}
	w, ok := doc.Flow.Data.(*waitData)
	if !ok {
		t.Fatalf("data not converted: %#v", doc.Flow.Data)
	}
	if *w.Seconds != 20 || *w.Ratio != 0.5 || !*w.Loud || !slices.Equal(w.Steps, []int64{1, 2, 3}) || *w.Label != "5" {
		t.Errorf("converted data: %+v", w)
	}
	if next, ok := doc.Flow.Next("_").Data.(*waitData); !ok || *next.Seconds != 3 {
		t.Errorf("child: %#v", doc.Flow.Next("_").Data)
	}
	var got []string
	for _, c := range doc.Flow.Conversions() {
		got = append(got, c.Pointer+" "+string(c.From)+"→"+string(c.To))
	}
	slices.Sort(got)
	want := []string{
		`/children/_/data/seconds 2.6→3`,
		`/data/loud "true"→true`,
		`/data/ratio "0.5"→0.5`,
		`/data/seconds "20"→20`,
		`/data/steps/1 "2"→2`,
		`/data/steps/2 3.0→3`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("conversions:\n got %q\nwant %q", got, want)
	}

	// What cannot be converted stays, with the problem Crossbar's second
	// pass reports.
	if err := json.Unmarshal([]byte(`{"flow":{"module":"wait","data":{"seconds":"20","loud":"maybe"}}}`), &doc); err != nil {
		t.Fatal(err)
	}
	raw, ok := doc.Flow.Data.(*kzrt.RawData)
	if !ok || string(raw.JSON) != `{"seconds":"20","loud":"maybe"}` || len(doc.Flow.Converted) != 0 {
		t.Fatalf("unconvertible data: %#v", doc.Flow.Data)
	}
	if got := problemsOf(doc.Flow.Validate()); !slices.Equal(got, []string{"/data/loud [type]"}) {
		t.Errorf("Validate: %q", got)
	}

	// Nor is a union's value: Kazoo converts a value whose own type is
	// wrong, not a oneOf none of whose alternatives accepts it.
	for _, in := range []string{`"20"`, `20.0`} {
		if err := json.Unmarshal([]byte(`{"flow":{"module":"pick","data":{"seconds":`+in+`}}}`), &doc); err != nil {
			t.Fatal(err)
		}
		if got := problemsOf(doc.Flow.Validate()); !slices.Equal(got, []string{"/data/seconds [not_one_schema_valid]"}) || len(doc.Flow.Converted) != 0 {
			t.Errorf("a union's %s: %q %v", in, got, doc.Flow.Converted)
		}
	}
	// Values after a union are converted again.
	if err := json.Unmarshal([]byte(`{"flow":{"module":"pick","data":{"seconds":2,"loud":"true"}}}`), &doc); err != nil {
		t.Fatal(err)
	}
	if p, ok := doc.Flow.Data.(*pickData); !ok || *p.Seconds != 2 || !*p.Loud || len(doc.Flow.Converted) != 1 {
		t.Errorf("after a union: %#v %v", doc.Flow.Data, doc.Flow.Converted)
	}

	// A Pivot answer is never converted.
	n, err := crossbarModules.ParseNode([]byte(`{"module":"wait","data":{"seconds":"20"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, raw := n.Data.(*kzrt.RawData); !raw || n.Converted != nil {
		t.Errorf("a Pivot answer was converted: %#v", n.Data)
	}
}
