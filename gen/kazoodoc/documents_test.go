package kazoodoc_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/gen/kazoodoc"
	"github.com/kzgen/kzgen/generator/validate"
	"github.com/kzgen/kzgen/runtime/kzrt"
	"github.com/kzgen/kzgen/schemas"
)

// document is what every document type of the package is.
type document interface {
	json.Marshaler
	json.Unmarshaler
	Validate() error
}

// documents are the files of testdata/, real-looking documents as Crossbar
// stores them, each with its schema and Go type.
var documents = []struct {
	file, schema string
	new          func() document
}{
	{"user.json", "users", func() document { return new(kazoodoc.Users) }},
	{"device.json", "devices", func() document { return new(kazoodoc.Devices) }},
	{"vmbox.json", "vmboxes", func() document { return new(kazoodoc.Vmboxes) }},
	{"group.json", "groups", func() document { return new(kazoodoc.Groups) }},
	{"menu.json", "menus", func() document { return new(kazoodoc.Menus) }},
	{"conference.json", "conferences", func() document { return new(kazoodoc.Conferences) }},
	{"media.json", "media", func() document { return new(kazoodoc.Media) }},
	{"temporal_rule.json", "temporal_rules", func() document { return new(kazoodoc.TemporalRules) }},
	{"webhook.json", "webhooks", func() document { return new(kazoodoc.Webhooks) }},
	{"callflow_menu.json", "callflows", func() document { return new(kazoodoc.Callflows) }},
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// sameJSON reports whether two JSON texts hold the same value, numbers
// compared as written.
func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	decode := func(data []byte) any {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("%v in %s", err, data)
		}
		return v
	}
	return reflect.DeepEqual(decode(a), decode(b))
}

// kazoo is the schema-driven validator: Kazoo's verdict on the embedded
// schemas.
func kazoo(t *testing.T) *validate.Validator {
	t.Helper()
	v, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// kazooProblems is Kazoo's verdict on a document of schema: a callflow as
// Crossbar stores it, anything else against its schema.
func kazooProblems(t *testing.T, v *validate.Validator, schema string, data []byte) kzrt.Errors {
	t.Helper()
	if schema == "callflows" {
		return v.Validate(data, validate.Callflow).Problems
	}
	res, err := v.ValidateSchema(schema, data)
	if err != nil {
		t.Fatal(err)
	}
	return res.Problems
}

// TestDocumentsRoundTrip: every document decodes into its type, is valid
// for the generated Validate and for Kazoo, and encodes back to the same
// JSON value, properties the schema does not name included; encoding is
// stable.
func TestDocumentsRoundTrip(t *testing.T) {
	v := kazoo(t)
	for _, d := range documents {
		t.Run(d.file, func(t *testing.T) {
			in := readTestdata(t, d.file)
			if p := kazooProblems(t, v, d.schema, in); len(p) > 0 {
				t.Fatalf("Kazoo refuses the test document: %v", p)
			}
			doc := d.new()
			if err := json.Unmarshal(in, doc); err != nil {
				t.Fatal(err)
			}
			if err := doc.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
			out, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			if !sameJSON(t, in, out) {
				t.Errorf("round trip changed the document:\n in %s\nout %s", in, out)
			}
			again := d.new()
			if err := json.Unmarshal(out, again); err != nil {
				t.Fatal(err)
			}
			if out2, _ := json.Marshal(again); !bytes.Equal(out, out2) {
				t.Errorf("encoding is not stable:\n%s\n%s", out, out2)
			}
		})
	}
}

// TestCallflowFlowIsTyped: a callflow document's flow is gen/callflow's
// tree, each node's data typed by its module at every depth, and the same
// flow built with gen/callflow's builders is the same document.
func TestCallflowFlowIsTyped(t *testing.T) {
	in := readTestdata(t, "callflow_menu.json")
	var doc kazoodoc.Callflows
	if err := json.Unmarshal(in, &doc); err != nil {
		t.Fatal(err)
	}
	const rule = "0f9e8d7c6b5a49382716a5b4c3d2e1f0"
	route, ok := doc.Flow.Data.(*callflow.TemporalRouteData)
	if !ok || !slices.Equal(route.Rules, []string{rule}) {
		t.Fatalf("root: %#v", doc.Flow.Data)
	}
	menuNode := doc.Flow.Next(rule)
	if menu, ok := menuNode.Data.(*callflow.MenuData); !ok || menu.GetID() != "a1b2c3d4e5f60718293a4b5c6d7e8f90" {
		t.Fatalf("menu: %#v", menuNode.Data)
	}
	user, ok := menuNode.Next("1").Data.(*callflow.UserData)
	if !ok || user.GetID() != "4b1a1f61ac2e35ab7d7ba9a8d3c10e4c" || user.GetTimeout() != 20 || user.CanCallSelf == nil || *user.CanCallSelf {
		t.Errorf("menu 1: %#v", menuNode.Next("1").Data)
	}
	if _, ok := menuNode.Next("1").Next("_").Data.(*callflow.VoicemailData); !ok {
		t.Errorf("menu 1, then: %#v", menuNode.Next("1").Next("_").Data)
	}
	if rg, ok := menuNode.Next("2").Data.(*callflow.RingGroupData); !ok || len(rg.Endpoints) != 1 || rg.Endpoints[0].GetEndpointType() != callflow.RingGroupEndpointEndpointTypeGroup {
		t.Errorf("menu 2: %#v", menuNode.Next("2").Data)
	}
	// A digit the menu has no branch for takes "_".
	if pivot, ok := menuNode.Next("9").Data.(*callflow.PivotData); !ok || pivot.GetVoiceURL() != "https://ivr.example.com/main" {
		t.Errorf("menu 9: %#v", menuNode.Next("9").Data)
	}

	built := kazoodoc.Callflows{
		Name:     new("Main line"),
		Numbers:  []string{"+14155550100", "1000"},
		Patterns: []string{},
		Ringback: &kazoodoc.CallflowsRingback{Early: new("/system_media/ringback")},
		Flags:    []string{"main"},
		Flow: callflow.TemporalRoute().Rules(rule).Timezone("America/Los_Angeles").
			Branch(rule, callflow.Menu().ID("a1b2c3d4e5f60718293a4b5c6d7e8f90").
				Branch("1", callflow.User().ID("4b1a1f61ac2e35ab7d7ba9a8d3c10e4c").Timeout(20).CanCallSelf(false).
					Then(callflow.Voicemail().ID("5c6d7e8f90a1b2c3d4e5f60718293a4b"))).
				Branch("2", callflow.RingGroup(callflow.RingGroupEndpoint{
					EndpointType: new(callflow.RingGroupEndpointEndpointTypeGroup), ID: new("6d7e8f90a1b2c3d4e5f60718293a4b5c"),
				}).Strategy(callflow.RingGroupStrategySimultaneous).Timeout(30)).
				Then(callflow.Pivot("https://ivr.example.com/main").Method(callflow.PivotMethodPost).ReqFormat(callflow.PivotReqFormatKazoo))).
			Then(callflow.Play().ID("c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6").
				Then(callflow.Voicemail().ID("5c6d7e8f90a1b2c3d4e5f60718293a4b").Action(callflow.VoicemailActionCompose))).
			Node(),
	}
	if err := built.Validate(); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(&built)
	if err != nil {
		t.Fatal(err)
	}
	if !sameJSON(t, in, out) {
		t.Errorf("built with gen/callflow:\n%s\nwant the same as testdata/callflow_menu.json", out)
	}
}

// TestInvalidDocuments: what Kazoo refuses, Validate reports at the same
// JSON pointers, inside a callflow's tree too.
func TestInvalidDocuments(t *testing.T) {
	v := kazoo(t)
	for _, tc := range []struct {
		file, schema string
		new          func() document
		// edit changes the decoded test document.
		edit     func(doc map[string]any)
		pointers []string
	}{
		{"user.json", "users", func() document { return new(kazoodoc.Users) }, func(doc map[string]any) {
			delete(doc, "last_name")
			doc["priv_level"] = "root"
			doc["username"] = "alice smith"
		}, []string{"/last_name", "/priv_level", "/username"}},
		{"device.json", "devices", func() document { return new(kazoodoc.Devices) }, func(doc map[string]any) {
			doc["owner_id"] = "4b1a1f61"
			doc["name"] = ""
			doc["media"].(map[string]any)["audio"].(map[string]any)["codecs"] = []any{"PCMU", "PCMU"}
		}, []string{"/owner_id", "/name", "/media/audio/codecs"}},
		{"vmbox.json", "vmboxes", func() document { return new(kazoodoc.Vmboxes) }, func(doc map[string]any) {
			doc["pin"] = "12"
			doc["media_extension"] = "ogg"
			delete(doc, "mailbox")
		}, []string{"/pin", "/media_extension", "/mailbox"}},
		{"temporal_rule.json", "temporal_rules", func() document { return new(kazoodoc.TemporalRules) }, func(doc map[string]any) {
			doc["time_window_stop"] = 90000
			doc["wdays"] = []any{"monday", "funday"}
		}, []string{"/time_window_stop", "/wdays/1"}},
		{"callflow_menu.json", "callflows", func() document { return new(kazoodoc.Callflows) }, func(doc map[string]any) {
			doc["numbers"] = []any{"1000", "1000"}
			menu := doc["flow"].(map[string]any)["children"].(map[string]any)["0f9e8d7c6b5a49382716a5b4c3d2e1f0"].(map[string]any)
			children := menu["children"].(map[string]any)
			children["1"].(map[string]any)["children"].(map[string]any)["_"].(map[string]any)["data"].(map[string]any)["id"] = "short"
			children["2"].(map[string]any)["data"].(map[string]any)["strategy"] = "round_robin"
			children["_"].(map[string]any)["data"].(map[string]any)["req_format"] = "xml"
		}, []string{
			"/numbers",
			"/flow/children/0f9e8d7c6b5a49382716a5b4c3d2e1f0/children/1/children/_/data/id",
			"/flow/children/0f9e8d7c6b5a49382716a5b4c3d2e1f0/children/2/data/strategy",
			"/flow/children/0f9e8d7c6b5a49382716a5b4c3d2e1f0/children/_/data/req_format",
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			var m map[string]any
			if err := json.Unmarshal(readTestdata(t, tc.file), &m); err != nil {
				t.Fatal(err)
			}
			tc.edit(m)
			data, _ := json.Marshal(m)
			doc := tc.new()
			if err := json.Unmarshal(data, doc); err != nil {
				t.Fatal(err)
			}
			generated := pointers(kzrt.AsErrors(doc.Validate()))
			kazoo := pointers(kazooProblems(t, v, tc.schema, data))
			for _, p := range tc.pointers {
				if !generated[p] {
					t.Errorf("Validate does not report %s: %v", p, doc.Validate())
				}
				if !kazoo[p] {
					t.Errorf("Kazoo does not report %s: %v", p, kazooProblems(t, v, tc.schema, data))
				}
			}
		})
	}
}

func pointers(errs kzrt.Errors) map[string]bool {
	out := map[string]bool{}
	for _, e := range errs {
		out[e.Pointer] = true
	}
	return out
}

// TestDecodeErrors: JSON that does not fit a document's shape is an error
// naming its JSON pointer, inside a callflow's tree too; a module the
// callflow package does not know is kept and reported by Validate.
func TestDecodeErrors(t *testing.T) {
	for in, pointer := range map[string]string{
		`{"name": 7}`: "/name",
		`{"flow": {"module": "menu", "data": {}, "children": 5}}`:          "/flow/children",
		`{"flow": {"module": "menu", "data": {}, "children": {"1": [1]}}}`: "/flow/children/1",
		`{"flow": "menu"}`:    "/flow",
		`{"numbers": [null]}`: "/numbers/0",
	} {
		var doc kazoodoc.Callflows
		var de *kzrt.DecodeError
		if err := json.Unmarshal([]byte(in), &doc); !errors.As(err, &de) || de.Pointer != pointer {
			t.Errorf("%s: %v, want a decode error at %s", in, err, pointer)
		}
	}
	var doc kazoodoc.Callflows
	in := `{"numbers": ["1"], "flow": {"module": "hold_music", "data": {"x": 1}}}`
	if err := json.Unmarshal([]byte(in), &doc); err != nil {
		t.Fatal(err)
	}
	if raw, ok := doc.Flow.Data.(*kzrt.RawData); !ok || !raw.Unknown {
		t.Fatalf("unknown module: %#v", doc.Flow.Data)
	}
	if got := kzrt.AsErrors(doc.Validate()); len(got) != 1 || got[0].Pointer != "/flow/module" {
		t.Errorf("Validate: %v", got)
	}
}

// TestGenerateLine: the go:generate line that makes this package selects
// exactly schemas.DocumentMatch.
func TestGenerateLine(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "callflow", "generate.go"))
	if err != nil {
		t.Fatal(err)
	}
	line := regexp.MustCompile(`(?m)^//go:generate go run \.\./\.\./cmd/kzgen gen -out \.\./kazoodoc -pkg kazoodoc -match (\S+)$`).FindSubmatch(src)
	if line == nil {
		t.Fatal("no go:generate line for gen/kazoodoc in gen/callflow/generate.go")
	}
	if got := string(line[1]); got != schemas.DocumentMatch {
		t.Errorf("the go:generate line selects %s,\nschemas.DocumentMatch is %s", got, schemas.DocumentMatch)
	}
	if strings.Index(string(src), "-out . -pkg callflow") > strings.Index(string(src), "-out ../kazoodoc") {
		t.Error("gen/callflow's own line must come first")
	}
}
