package callflow_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// TestDefaultsMayBeLeftOut: a required property with a default is a
// setter, its getter returns the default, and the node is valid without it,
// as Kazoo fills the default in.
func TestDefaultsMayBeLeftOut(t *testing.T) {
	rec := callflow.RecordCall()
	if err := rec.Validate(); err != nil {
		t.Errorf("record_call without action: %v", err)
	}
	data := rec.Node().Data.(*callflow.RecordCallData)
	if data.GetAction() != callflow.RecordCallActionStart {
		t.Errorf("GetAction: %q, want the default", data.GetAction())
	}
	if got := callflow.Response().Node().Data.(*callflow.ResponseData).GetCode(); got != 486 {
		t.Errorf("response GetCode: %d", got)
	}
	if got := (*callflow.SetVariablesData)(nil).GetCustomApplicationVars(); got == nil {
		t.Error("GetCustomApplicationVars of nil data: nil, want the default {}")
	}
	b, _ := json.Marshal(callflow.RecordCall().Action(callflow.RecordCallActionStop))
	if string(b) != `{"module":"record_call","data":{"action":"stop"}}` {
		t.Errorf("setter: %s", b)
	}
}

// TestNodeWithoutData: Kazoo fills in data's default, {}, and checks it;
// Parse types it as the module's empty data and encoding leaves it out.
func TestNodeWithoutData(t *testing.T) {
	for in, want := range map[string][]string{
		`{"module":"answer"}`:                                   nil,
		`{"module":"pivot"}`:                                    {"/data/voice_url [required]"},
		`{"module":"audio_macro"}`:                              {"/data/macros [minItems]"},
		`{"module":"tts","children":{"_":{"module":"hangup"}}}`: {"/data/text [required]"},
	} {
		n, err := callflow.ParseAnswer([]byte(in))
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if _, raw := n.Data.(*callflow.RawData); raw || !n.NoDataKey {
			t.Errorf("%s: data %T, NoDataKey %v", in, n.Data, n.NoDataKey)
		}
		if got := problemCodes(kzrt.AsErrors(n.Validate())); !slices.Equal(got, want) {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
		if out, _ := json.Marshal(n); string(out) != in {
			t.Errorf("%s: encodes as %s", in, out)
		}
	}
}

// TestModuleNamesAsKazooResolvesThem: a name that is a schema but no
// module is refused, saying why.
func TestModuleNamesAsKazooResolvesThem(t *testing.T) {
	for in, why := range map[string]string{
		`{"module":"audio_macro.prompt","data":{"id":"vm-enter_pass"}}`: "no callflow module",
		`{"module":"action","data":{}}`:                                 "no callflow module",
		`{"module":"say","data":{}}`:                                    "unable to find callflow schema",
	} {
		n, err := callflow.ParseAnswer([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		es := kzrt.AsErrors(n.Validate())
		if len(es) != 1 || es[0].Pointer != "/module" || es[0].Code != kzrt.CodeError || !strings.Contains(es[0].Message, why) {
			t.Errorf("%s: %v, want /module [error] saying %q", in, es, why)
		}
	}
}

// TestStoredCallflowMode: a stored callflow document is read and checked
// as Crossbar stores it, a Pivot answer as Kazoo runs it.
func TestStoredCallflowMode(t *testing.T) {
	doc := `{"numbers":["1000"],"flow":{"module":"user","data":{"id":"` + userID + `","timeout":"20","can_call_self":"true"},` +
		`"children":{"_":{"module":"voicemail","data":{"id":"` + vmboxID + `","max_message_length":120.0}}}}}`
	tree, err := callflow.Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	d, ok := tree.(*callflow.Document)
	if !ok {
		t.Fatalf("Parse gave %T", tree)
	}
	if err := d.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	user := d.Flow.Data.(*callflow.UserData)
	if user.GetTimeout() != 20 || !user.GetCanCallSelf() {
		t.Errorf("converted data: %+v", user)
	}
	var got []string
	for _, c := range d.Conversions() {
		got = append(got, c.Pointer+" "+string(c.From)+"→"+string(c.To))
	}
	// Node by node in Walk's order, each node's in the order written.
	want := []string{`/flow/data/timeout "20"→20`, `/flow/data/can_call_self "true"→true`, `/flow/children/_/data/max_message_length 120.0→120`}
	if !slices.Equal(got, want) {
		t.Errorf("Conversions:\n got %q\nwant %q", got, want)
	}
	// Crossbar wants a number or a pattern.
	tree, err = callflow.Parse([]byte(`{"flow":{"module":"answer"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := problemCodes(kzrt.AsErrors(tree.Validate())); !slices.Equal(got, []string{"/numbers [required]"}) {
		t.Errorf("a document without numbers: %q", got)
	}
	// As a Pivot answer, the same document is no node, and a string is no
	// integer.
	answer, err := callflow.ParseAnswer([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if err := answer.Validate(); err == nil || !strings.Contains(err.Error(), "a Pivot answer is the bare node") {
		t.Errorf("a document as a Pivot answer: %v", err)
	}
	answer, err = callflow.ParseAnswer([]byte(`{"module":"user","data":{"id":"` + userID + `","timeout":"20"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := problemCodes(kzrt.AsErrors(answer.Validate())); !slices.Equal(got, []string{"/data/timeout [type]"}) || answer.Converted != nil {
		t.Errorf("a Pivot answer: %q, converted %v", got, answer.Converted)
	}
}
