package callflow_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// TestMenuThatRepeatsItself is the loop a user writes when "press 9 to
// hear the options again" points back at the menu: Kazoo would reject the
// flow, and Validate, MarshalJSON and Walk say where the loop closes
// instead of recursing forever.
func TestMenuThatRepeatsItself(t *testing.T) {
	menu := callflow.Menu().ID("7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d")
	menu.Branch("1", callflow.User().ID(userID)).
		Branch("9", callflow.TTS("Here are the options again.").Then(menu))
	flow := callflow.TTS("Welcome.").Then(menu)

	const at, back = "/children/_/children/9/children/_", "/children/_"
	problems := kzrt.AsErrors(flow.Validate())
	if len(problems) != 1 || problems[0].Pointer != at || !strings.HasPrefix(problems[0].Message, "loop back to "+back+";") {
		t.Fatalf("Validate: %v", problems)
	}
	if _, err := json.Marshal(flow); err == nil || !strings.Contains(err.Error(), at+": loop back to "+back) {
		t.Fatalf("json.Marshal: %v", err)
	}
	visited := 0
	if err := flow.Node().Walk(func(string, *callflow.Node) { visited++ }); err == nil || visited != 4 {
		t.Fatalf("Walk: %d nodes, %v", visited, err)
	}
}

// TestBuilderGivenItself: a builder whose next node is itself.
func TestBuilderGivenItself(t *testing.T) {
	tts := callflow.TTS("Still there?")
	tts.Then(tts)
	problems := kzrt.AsErrors(tts.Validate())
	if len(problems) != 1 || problems[0].Pointer != "/children/_" || !strings.HasPrefix(problems[0].Message, "loop back to the root") {
		t.Fatalf("Validate: %v", problems)
	}
	if _, err := tts.MarshalJSON(); err == nil {
		t.Fatal("MarshalJSON encoded a node that is its own child")
	}
	// Parsed JSON cannot loop; a stored document holding a looping tree
	// is reported under /flow.
	doc := &callflow.Document{Numbers: []string{"1000"}, Flow: tts.Node()}
	if problems := kzrt.AsErrors(doc.Validate()); len(problems) != 1 || problems[0].Pointer != "/flow/children/_" {
		t.Fatalf("Document.Validate: %v", problems)
	}
	if _, err := json.Marshal(doc); err == nil {
		t.Fatal("a document holding a loop encoded")
	}
}

// TestSharedBranchIsNotALoop: one node reached from two menu digits is a
// tree Kazoo accepts once written out; it is encoded under each.
func TestSharedBranchIsNotALoop(t *testing.T) {
	goodbye := callflow.TTS("Goodbye.").Then(callflow.Hangup())
	flow := callflow.Menu().Branch("1", goodbye).Branch("2", goodbye)
	if err := flow.Validate(); err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(flow)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), "Goodbye."); n != 2 {
		t.Fatalf("shared branch written %d times: %s", n, data)
	}
	tree, err := callflow.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := json.Marshal(tree); string(again) != string(data) {
		t.Fatalf("round trip: %s", again)
	}
}

// TestDeepJSONIsRefused: Parse stops at kzrt.MaxDepth nodes with an error
// naming where, rather than reading arbitrarily deep input.
func TestDeepJSONIsRefused(t *testing.T) {
	deep := strings.Repeat(`{"module":"answer","data":{},"children":{"_":`, kzrt.MaxDepth) +
		`{"module":"hangup","data":{}}` + strings.Repeat(`}}`, kzrt.MaxDepth)
	_, err := callflow.Parse([]byte(deep))
	if err == nil || !strings.Contains(err.Error(), "deeper than 1000 nodes") {
		t.Fatalf("Parse: %.200v", err)
	}
	doc := `{"flow":` + deep + `}`
	_, err = callflow.Parse([]byte(doc))
	if err == nil || !strings.HasPrefix(err.Error(), "/flow/children/_/") {
		t.Fatalf("Parse of a document: %.200v", err)
	}
}
