package kzrt_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/runtime/kzrt"
)

func TestModules(t *testing.T) {
	names := testModules.Names()
	if !slices.Equal(names, []string{"bye", "say"}) {
		t.Fatalf("Names: %v", names)
	}
	names[0] = "changed"
	if testModules.Names()[0] != "bye" {
		t.Fatal("Names shares its slice")
	}
	if !testModules.Has("say") || testModules.Has("hold") {
		t.Fatal("Has")
	}
	d, ok := testModules.NewData("say")
	if _, typed := d.(*sayData); !ok || !typed {
		t.Fatalf("NewData(say) = %T", d)
	}
	if again, _ := testModules.NewData("say"); again == d {
		t.Fatal("NewData returns the same value twice")
	}
	if d, ok := testModules.NewData("hold"); ok || d != nil {
		t.Fatalf("NewData(hold) = %v, %v", d, ok)
	}
}

func TestNewModulesRefusesAModuleTwice(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	kzrt.NewModules(kzrt.DataType[sayData](), kzrt.DataType[sayData]())
}

func TestParseNode(t *testing.T) {
	in := `{"x_editor":{"pos":1},"data":{"text":"hi","x_hint":true},"module":"say","children":{
		"_":{"module":"bye","data":{}},
		"1":{"module":"hold","data":{"music":"jazz"},"comment":"kept"},
		"2":{"module":"say","data":{"text":5}},
		"3":{"module":"say"}}}`
	n, err := testModules.ParseNode([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	say, ok := n.Data.(*sayData)
	if !ok || *say.Text != "hi" || say.Extra["x_hint"] == nil || n.Extra["x_editor"] == nil {
		t.Fatalf("root: %+v %+v", n, n.Data)
	}
	if _, ok := n.Children["_"].Data.(*byeData); !ok {
		t.Errorf("child _: %T", n.Children["_"].Data)
	}
	unknown, ok := n.Children["1"].Data.(*kzrt.RawData)
	if !ok || !unknown.Unknown || unknown.Module != "hold" || string(unknown.JSON) != `{"music":"jazz"}` || n.Children["1"].Extra["comment"] == nil {
		t.Errorf("unknown module: %+v", n.Children["1"])
	}
	misfit, ok := n.Children["2"].Data.(*kzrt.RawData)
	if !ok || misfit.Unknown || len(misfit.Problems) != 1 || misfit.Problems[0].Pointer != "/text" {
		t.Errorf("data of the wrong shape: %+v", n.Children["2"].Data)
	}
	// Without "data", the node has its module's empty data, which Kazoo
	// fills in and checks.
	if d, ok := n.Children["3"].Data.(*sayData); !ok || d.Text != nil || !n.Children["3"].NoDataKey {
		t.Errorf("no data: %+v", n.Children["3"])
	}

	// Everything Parse kept is reported by Validate, at once.
	want := []string{"/children/1/module", "/children/2/data/text", "/children/3/data/text"}
	if got := pointers(n.Validate()); !slices.Equal(got, want) {
		t.Errorf("Validate: %v, want %v", got, want)
	}

	// And encoding gives the same JSON value back.
	out, err := json.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	json.Unmarshal([]byte(in), &a)
	json.Unmarshal(out, &b)
	if ja, jb := mustJSON(a), mustJSON(b); ja != jb {
		t.Errorf("round trip:\n in %s\nout %s", ja, jb)
	}
}

// roundTrip parses in and checks that encoding gives the same JSON value
// back.
func roundTrip(t *testing.T, in string) *kzrt.Node {
	t.Helper()
	n, err := testModules.ParseNode([]byte(in))
	if err != nil {
		t.Fatalf("%s: %v", in, err)
	}
	out, err := json.Marshal(n)
	if err != nil {
		t.Fatalf("%s: %v", in, err)
	}
	var a, b any
	json.Unmarshal([]byte(in), &a)
	json.Unmarshal(out, &b)
	if ja, jb := mustJSON(a), mustJSON(b); ja != jb {
		t.Errorf("round trip:\n in %s\nout %s", ja, jb)
	}
	return n
}

// problemsOf renders a validation's problems as "pointer [code]".
func problemsOf(err error) []string {
	var out []string
	for _, e := range kzrt.AsErrors(err) {
		out = append(out, e.Pointer+" ["+e.Code+"]")
	}
	return out
}

func TestParseNodeAsKazooReadsIt(t *testing.T) {
	cases := []struct {
		in   string
		want []string // problems, as pointer [code]
	}{
		// Kazoo fills in data's default, {}, then checks it.
		{`{"module":"bye"}`, nil},
		{`{"module":"say"}`, []string{"/data/text [required]"}},
		{`{"module":"hold"}`, []string{"/module [error]"}},
		// A node without module: missing, and its data is not checked.
		{`{"data":{"text":5}}`, []string{"/module [required]"}},
		{`{}`, []string{"/module [required]"}},
		{`{"flow":{"module":"bye"}}`, []string{"/module [required]"}},
		{`{"module":"","data":{}}`, []string{"/module [minLength]", "/module [error]"}},
		// A schema that is no module.
		{`{"module":"action","data":{"module":"bye"}}`, []string{"/module [error]"}},
		{`{"module":"say.part","data":{}}`, []string{"/module [error]"}},
		// Children under keys ".+" does not match are never checked.
		{`{"module":"bye","children":{"":{"module":5}}}`, nil},
		{`{"module":"bye","children":{"\n":"not a node","\n\n":[1]}}`, nil},
		{`{"module":"bye","children":{"":{"module":"say","data":{}}}}`, nil},
		{`{"module":"bye","children":{"1\n":{"module":"say","data":{}}}}`, []string{"/children/1\n/data/text [required]"}},
		{`{"module":"bye","children":{"\r":{"module":"say","data":{}}}}`, []string{"/children/\r/data/text [required]"}},
	}
	for _, c := range cases {
		n := roundTrip(t, c.in)
		if got := problemsOf(n.Validate()); !slices.Equal(got, c.want) {
			t.Errorf("%s: %q, want %q", c.in, got, c.want)
		}
	}
	n := roundTrip(t, `{"flow":{"module":"bye"}}`)
	if err := n.Validate(); err == nil || !strings.Contains(err.Error(), "a Pivot answer is the bare node") {
		t.Errorf("a wrapped document: %v", err)
	}
	n = roundTrip(t, `{"module":"action","data":{}}`)
	if err := n.Validate(); err == nil || !strings.Contains(err.Error(), "no callflow module") {
		t.Errorf("a schema that is no module: %v", err)
	}
	// Data filled in by Parse is written again once it is no longer {}.
	n = roundTrip(t, `{"module":"say"}`)
	n.Data.(*sayData).Text = new("hi")
	if out, _ := json.Marshal(n); string(out) != `{"module":"say","data":{"text":"hi"}}` {
		t.Errorf("changed data: %s", out)
	}
	if out, _ := json.Marshal(&kzrt.Node{NoModuleKey: true, Data: &byeData{}, NoDataKey: true}); string(out) != `{}` {
		t.Errorf("no module, no data: %s", out)
	}
}

func TestChildKeyChecked(t *testing.T) {
	for key, want := range map[string]bool{"": false, "\n": false, "\n\n": false, "_": true, "1\n": true, "\n1": true, "\r": true, " ": true} {
		if got := kzrt.ChildKeyChecked(key); got != want {
			t.Errorf("ChildKeyChecked(%q) = %v", key, got)
		}
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestParseNodeRefusesWhatIsNotATree(t *testing.T) {
	cases := []struct{ in, pointer, msg string }{
		{`[1]`, "", "got array, want object"},
		{`{"module":"say","data":{},"children":[]}`, "/children", "got array, want object"},
		{`{"module":"say","data":{},"children":{"_":"bye"}}`, "/children/_", "got string, want object"},
		{`{"module":"say","data":{},"children":{"_":{"module":"bye","data":{},"children":{"a/b":null}}}}`, "/children/_/children/a~1b", "got null, want object"},
		{`{"module":5,"data":{}}`, "/module", "got number 5, want string"},
		{`{"module":"hold","data":[]}`, "/data", "got array, want object"},
		{`{"module":"say","data":{},"children":{"_":{"module":"hold","data":"x"}}}`, "/children/_/data", "got string, want object"},
	}
	for _, c := range cases {
		_, err := testModules.ParseNode([]byte(c.in))
		de := decodeErr(t, err)
		if de.Pointer != c.pointer || !strings.Contains(de.Err.Error(), c.msg) {
			t.Errorf("%s: %q %q, want %q %q", c.in, de.Pointer, de.Err, c.pointer, c.msg)
		}
	}
	if _, err := testModules.ParseNode([]byte(`{"module":"say",`)); err == nil || !strings.Contains(err.Error(), "unexpected end of JSON input") {
		t.Errorf("invalid JSON: %v", err)
	}
	// Data nested past encoding/json's own limit is refused, not a crash.
	deep := `{"module":"hold","data":{"x":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}}`
	if _, err := testModules.ParseNode([]byte(deep)); err == nil {
		t.Error("data nested 20000 deep parsed")
	}
}

func TestIsDocument(t *testing.T) {
	for in, want := range map[string]bool{
		`{"flow":{"module":"say"},"numbers":["1"]}`: true,
		`{"module":"say","flow":{}}`:                false,
		`{"module":"say"}`:                          false,
	} {
		if got, err := kzrt.IsDocument([]byte(in)); err != nil || got != want {
			t.Errorf("IsDocument(%s) = %v, %v", in, got, err)
		}
	}
	if _, err := kzrt.IsDocument([]byte(`"flow"`)); err == nil {
		t.Error("IsDocument of a string")
	}
}

// doc is a struct holding nodes, as a generated stored-callflow document
// does; its decode method reads them with the decoder's modules.
type doc struct {
	Flow    *kzrt.Node
	Options []*kzrt.Node
	Extra   map[string]json.RawMessage
}

func (x *doc) UnmarshalJSON(data []byte) error {
	return testModules.Unmarshal(data, x.decode)
}

func (x *doc) decode(d *kzrt.Decoder) {
	*x = doc{}
	if !d.OpenObject() {
		return
	}
	for d.NextMember() {
		switch string(d.Key()) {
		case "flow":
			x.Flow = d.Node()
		case "options":
			if d.OpenArray() {
				x.Options = []*kzrt.Node{}
				for d.NextElem() {
					x.Options = append(x.Options, d.Node())
				}
			}
		default:
			d.Extra(&x.Extra)
		}
	}
}

func (x *doc) Root() *kzrt.Node               { return x.Flow }
func (x *doc) Validate() error                { return x.Flow.Validate() }
func (x *doc) MarshalJSON() ([]byte, error)   { return nil, errors.New("not needed") }
func (x *doc) KzrtValidate(v *kzrt.Validator) {}

func TestModulesUnmarshal(t *testing.T) {
	var d doc
	err := json.Unmarshal([]byte(`{"flow":{"module":"say","data":{"text":"hi"}},"options":[{"module":"bye","data":{}}],"name":"x"}`), &d)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := d.Flow.Data.(*sayData); !ok || len(d.Options) != 1 || d.Extra["name"] == nil {
		t.Fatalf("%+v", d)
	}
	if _, ok := d.Options[0].Data.(*byeData); !ok {
		t.Fatalf("options: %T", d.Options[0].Data)
	}
	err = json.Unmarshal([]byte(`{"flow":{"module":"say","data":{},"children":{"_":[]}}}`), &d)
	if de := decodeErr(t, err); de.Pointer != "/flow/children/_" {
		t.Errorf("pointer %q", de.Pointer)
	}
	// Without modules, a node cannot be decoded, and the error says why.
	if err := kzrt.Unmarshal([]byte(`{"flow":{"module":"bye","data":{}}}`), d.decode); err == nil || !strings.Contains(err.Error(), "Parse function") {
		t.Errorf("kzrt.Unmarshal of a node: %v", err)
	}
}

func TestParseTree(t *testing.T) {
	document := func(d *kzrt.Decoder) kzrt.Tree {
		x := new(doc)
		x.decode(d)
		return x
	}
	for in, isDoc := range map[string]bool{
		`{"flow":{"module":"say","data":{"text":"hi"}},"numbers":["1"]}`:                    true,
		`{"numbers":["1"],"flow":{"module":"bye","data":{}}}`:                               true,
		`{"module":"say","flow":{},"data":{"text":"hi"}}`:                                   false,
		`{"module":"say","data":{"text":"hi"}}`:                                             false,
		`{"flow":{"module":"bye","data":{}},"children":{"_":[]}}`:                           true, // not a node, but a document
		`{"flow":{"module":"bye","data":{}},"flow":{"module":"say"}}`:                       true,
		`{"data":{"text":"hi"},"module":"say","children":{"_":{"module":"bye","data":{}}}}`: false,
	} {
		tree, err := testModules.ParseTree([]byte(in), kzrt.DecodeOptions{}, document)
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if _, got := tree.(*doc); got != isDoc {
			t.Errorf("%s: read as %T", in, tree)
		}
	}
	// A document's flow must be a node.
	_, err := testModules.ParseTree([]byte(`{"flow":[],"numbers":["1"]}`), kzrt.DecodeOptions{}, document)
	if de := decodeErr(t, err); de.Pointer != "/flow" {
		t.Errorf("pointer %q", de.Pointer)
	}
}

// TestUncheckedChildrenCountTowardsMaxDepth: a chain of children under
// keys Kazoo never checks is still one tree, bounded by MaxDepth.
func TestUncheckedChildrenCountTowardsMaxDepth(t *testing.T) {
	deep := strings.Repeat(`{"module":"bye","children":{"":`, kzrt.MaxDepth+1) + `{"module":"bye"}` + strings.Repeat(`}}`, kzrt.MaxDepth+1)
	n, err := testModules.ParseNode([]byte(deep))
	if err != nil {
		t.Fatal(err)
	}
	// Past MaxDepth the chain is no node any more: it is kept verbatim.
	depth := 1
	for c := n; len(c.Children) > 0; c = c.Children[""] {
		depth++
	}
	if depth != kzrt.MaxDepth {
		t.Errorf("typed depth %d, want %d", depth, kzrt.MaxDepth)
	}
	if err := n.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	if _, err := json.Marshal(n); err != nil {
		t.Errorf("Marshal: %v", err)
	}
}
