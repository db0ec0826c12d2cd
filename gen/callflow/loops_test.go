package callflow_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// TestMenuThatRepeatsItself is what a user writes when "press 9 to hear
// the options again" points back at the menu. A builder stores its child
// as it is when given, so the tree holds a copy of the menu as it was then
// (without its own "9"): a finite tree Kazoo accepts, never a loop.
func TestMenuThatRepeatsItself(t *testing.T) {
	menu := callflow.Menu().ID("7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d")
	menu.OnDigits("1", callflow.User().ID(userID)).
		OnDigits("9", callflow.TTS("Here are the options again.").Then(menu))
	flow := callflow.TTS("Welcome.").Then(menu)
	if err := flow.Validate(); err != nil {
		t.Fatal(err)
	}
	var paths []string
	if err := flow.Node().Walk(func(p string, _ *callflow.Node) { paths = append(paths, p) }); err != nil {
		t.Fatal(err)
	}
	want := []string{"", "/children/_", "/children/_/children/1", "/children/_/children/9",
		"/children/_/children/9/children/_", "/children/_/children/9/children/_/children/1"}
	if strings.Join(paths, " ") != strings.Join(want, " ") {
		t.Fatalf("nodes at %q, want %q", paths, want)
	}
}

// TestNodeLoopIsReported: a tree built by hand from *Node values can loop;
// Validate, MarshalJSON and Walk say where the loop closes instead of
// recursing forever.
func TestNodeLoopIsReported(t *testing.T) {
	menu := callflow.Menu().ID("7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d").Node()
	again := callflow.TTS("Here are the options again.").Node()
	menu.SetChild("1", callflow.User().ID(userID))
	menu.SetChild("9", again)
	again.SetChild(callflow.DefaultChild, menu)
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
	// A stored document holding a looping tree is reported under /flow.
	doc := &callflow.Document{Numbers: []string{"1000"}, Flow: menu}
	if problems := kzrt.AsErrors(doc.Validate()); len(problems) != 1 || problems[0].Pointer != "/flow/children/9/children/_" {
		t.Fatalf("Document.Validate: %v", problems)
	}
	if _, err := json.Marshal(doc); err == nil {
		t.Fatal("a document holding a loop encoded")
	}
}

// TestBuilderGivenItself: a builder given as its own child gets a copy of
// itself as it was, so the flow says it twice and ends.
func TestBuilderGivenItself(t *testing.T) {
	tts := callflow.TTS("Still there?")
	tts.Then(tts)
	if err := tts.Validate(); err != nil {
		t.Fatal(err)
	}
	data, err := tts.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"module":"tts","data":{"text":"Still there?"},"children":{"_":{"module":"tts","data":{"text":"Still there?"}}}}`
	if string(data) != want {
		t.Fatalf("got %s\nwant %s", data, want)
	}
}

// TestChildIsStoredAsGiven: changing a builder after giving it as a child
// does not change the parent, whichever parents it was given to: a node
// Node has given out is never changed by its builder again, which goes on
// with a copy.
func TestChildIsStoredAsGiven(t *testing.T) {
	goodbye := callflow.TTS("Goodbye.")
	menu := callflow.Menu().OnTimeout(goodbye).OnMaxRetries(goodbye)
	before, err := menu.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	goodbye.Voice("female").Then(callflow.Hangup())
	if after, _ := menu.MarshalJSON(); string(after) != string(before) {
		t.Fatalf("changing the child's builder changed the parent:\n%s\n%s", before, after)
	}
	n := menu.Node()
	menu.OnDigits("1", callflow.Hangup()).ID("main")
	if _, ok := n.Children["1"]; ok || n.Data.(*callflow.MenuData).ID != nil {
		t.Fatal("a later call on the builder changed the node Node returned")
	}
	n.SetChild("2", callflow.Hangup())
	if _, ok := menu.Node().Children["2"]; ok {
		t.Fatal("changing a node given out before the builder's last change changed the builder")
	}
	// Giving the node out allocates nothing; the first change after it
	// makes the copy, once.
	b := callflow.TTS("Hi")
	if allocs := testing.AllocsPerRun(100, func() { b.Node() }); allocs != 0 {
		t.Errorf("Node allocates %v times", allocs)
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
