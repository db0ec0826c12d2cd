package flowgraph_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/flowgraph"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// mustNew lays out root, failing the test on an error.
func mustNew(t *testing.T, root *callflow.Node) *flowgraph.Graph {
	t.Helper()
	g, err := flowgraph.New(root)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestNumbersBoxesInWalkOrder(t *testing.T) {
	root := callflow.Menu().ID("m1").
		Branch("2", callflow.TTS("two")).
		Branch("1", callflow.TTS("one").Then(callflow.Hangup())).
		Then(callflow.Voicemail().ID("vm")).
		Node()
	g := mustNew(t, root)
	var got []string
	for _, n := range g.Nodes {
		got = append(got, n.ID+"="+n.Module)
	}
	want := "n0=menu n1=tts n2=hangup n3=tts n4=voicemail"
	if strings.Join(got, " ") != want {
		t.Errorf("nodes %v, want %s", got, want)
	}
	var edges []string
	for _, e := range g.Edges {
		edges = append(edges, fmt.Sprintf("%s-%s->%s", e.From, e.Label(), e.To))
	}
	if want := "n0-1->n1 n1-next->n2 n0-2->n3 n0-next->n4"; strings.Join(edges, " ") != want {
		t.Errorf("edges %v, want %s", edges, want)
	}
}

func TestDetails(t *testing.T) {
	long := strings.Repeat("a", 60)
	for _, tc := range []struct {
		node callflow.Builder
		want string
	}{
		{callflow.TTS(long), "text: " + strings.Repeat("a", flowgraph.MaxValue-1) + "…"},
		{callflow.TTS("two\n  lines"), "text: two lines"},
		{callflow.Play().ID("media-1"), "id: media-1"},
		{callflow.User().ID("u1").Timeout(20), "id: u1"},
		{callflow.Device().ID("d1"), "id: d1"},
		{callflow.Menu().ID("m1"), "id: m1"},
		{callflow.Pivot("https://example.com/p"), "voice_url: https://example.com/p"},
		{callflow.CollectDTMF().CollectionName("pin").MaxDigits(4), "collection_name: pin"},
		{callflow.TemporalRoute().Rules("r1", "r2"), "rules: r1, r2"},
		{callflow.ManualPresence("100").Status(callflow.ManualPresenceStatusBusy), "presence_id: 100|status: busy"},
		{callflow.SetCID().CallerIDNumber("+15550100").CallerIDName("Desk"), "caller_id_number: +15550100"},
		{callflow.Resources().ToDID("+15550199"), "to_did: +15550199|local resources"},
		{callflow.Resources().UseLocalResources(false), "global resources"},
		{callflow.Offnet(), "global resources"},
		{callflow.Sleep().Duration(5).Unit(callflow.SleepUnitS).SkipModule(false), "duration: 5|skip_module: false|unit: s"},
		{callflow.Hangup(), ""},
	} {
		n := tc.node.Node()
		if got := strings.Join(flowgraph.Details(n), "|"); got != tc.want {
			t.Errorf("%s: details %q, want %q", n.Module, got, tc.want)
		}
	}
}

func TestRawDataOfUnknownModule(t *testing.T) {
	tree, err := callflow.Parse([]byte(`{"module":"say","data":{"text":"hi","list":[1]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(flowgraph.Details(tree.Root()), "|"); got != "text: hi" {
		t.Errorf("details %q", got)
	}
}

func TestEscaping(t *testing.T) {
	root := callflow.TTS(`say "hi" [now] | <b> & #1 \n`).
		Branch(`a"b|c`, callflow.Hangup()).
		Node()
	g := mustNew(t, root)

	mermaid := g.Mermaid()
	for _, want := range []string{
		`n0["tts<br/>text: say #34;hi#34; #91;now#93; #124; #60;b#62; #38; #35;1 \n"]`,
		`n0 -->|"a#34;b#124;c"| n1`,
	} {
		if !strings.Contains(mermaid, want) {
			t.Errorf("Mermaid lacks %s:\n%s", want, mermaid)
		}
	}

	dot := g.DOT()
	for _, want := range []string{
		`n0 [label="tts\ntext: say \"hi\" [now] | <b> & #1 \\n"];`,
		`n0 -> n1 [label="a\"b|c"];`,
	} {
		if !strings.Contains(dot, want) {
			t.Errorf("DOT lacks %s:\n%s", want, dot)
		}
	}
}

func TestSlashInKey(t *testing.T) {
	root := callflow.BranchVariable().Variable("path").Branch("a/b~c", callflow.Hangup()).Node()
	g := mustNew(t, root)
	if len(g.Edges) != 1 || g.Edges[0].Key != "a/b~c" || g.Edges[0].From != "n0" {
		t.Errorf("edges %+v", g.Edges)
	}
}

func TestEmpty(t *testing.T) {
	g := mustNew(t, nil)
	if got := g.Mermaid(); got != "flowchart TD\n" {
		t.Errorf("Mermaid of nothing: %q", got)
	}
	if got := g.DOT(); got != "digraph callflow {\n    node [shape=box];\n}\n" {
		t.Errorf("DOT of nothing: %q", got)
	}
}

func ExampleGraph_Mermaid() {
	root := callflow.CheckCID().Regex(`^\+1`).
		Branch("match", callflow.User().ID("5d0a0cd1")).
		Branch("nomatch", callflow.TTS("Goodbye.")).
		Node()
	g, err := flowgraph.New(root)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(g.Mermaid())
	// Output:
	// flowchart TD
	//     n0["check_cid<br/>regex: ^\+1"]
	//     n1["user<br/>id: 5d0a0cd1"]
	//     n2["tts<br/>text: Goodbye."]
	//     n0 -->|"match"| n1
	//     n0 -->|"nomatch"| n2
}

// TestLoopsAreErrors: trees built in Go can loop; New names the child that
// closes the loop and the node it leads back to, instead of recursing
// until the stack overflows.
func TestLoopsAreErrors(t *testing.T) {
	// Builders store their children as copies, so loops are made of nodes.
	// A menu whose timeout child asks again: the menu itself.
	menu := callflow.Menu().ID("m1").Branch("1", callflow.TTS("Sales").Then(callflow.User().ID("u1"))).Node()
	menu.SetChild("timeout", callflow.TTS("Sorry?").Then(menu))

	self := callflow.TTS("again and again").Node()
	self.SetChild(callflow.DefaultChild, self)

	inner := callflow.TTS("inner").Node()
	outer := callflow.Menu().Branch("2", callflow.TTS("mid").Then(inner)).Node()
	outer.Children["2"].Children[callflow.DefaultChild].SetChild(callflow.DefaultChild, outer.Children["2"])

	for _, tc := range []struct {
		name          string
		root          callflow.Builder
		pointer, back string
	}{
		{"menu", menu, "/children/timeout/children/_", "the root"},
		{"self", self, "/children/_", "the root"},
		{"inner", outer, "/children/2/children/_/children/_", "/children/2"},
	} {
		g, err := flowgraph.New(tc.root.Node())
		var errs kzrt.Errors
		if g != nil || !errors.As(err, &errs) || len(errs) != 1 || errs[0].Pointer != tc.pointer ||
			errs[0].Message != "loop back to "+tc.back+"; a callflow is a tree, a node cannot be its own descendant" {
			t.Errorf("%s: %v, %#v; want a loop at %s back to %s", tc.name, g, err, tc.pointer, tc.back)
		}
	}
}

// TestSharedNodeIsDrawnUnderEachParent: a node under two parents is no
// loop; it is drawn once under each, as Kazoo runs it.
func TestSharedNodeIsDrawnUnderEachParent(t *testing.T) {
	bye := callflow.Hangup()
	root := callflow.Menu().Branch("1", bye).Branch("2", bye).Node()
	g := mustNew(t, root)
	if len(g.Nodes) != 3 || g.Nodes[1].Pointer != "/children/1" || g.Nodes[2].Pointer != "/children/2" {
		t.Errorf("nodes %+v", g.Nodes)
	}
}

// TestNilsAreErrors: a nil child and Data that is a nil pointer are
// reported where they are; nil Data (no "data" key) is drawn.
func TestNilsAreErrors(t *testing.T) {
	root := callflow.Menu().Branch("1", callflow.TTS("x")).Node()
	root.Children["1"].Children = map[string]*callflow.Node{"_": nil}
	if _, err := flowgraph.New(root); err == nil || err.Error() != "/children/1/children/_: a child must be a node, not nil" {
		t.Errorf("nil child: %v", err)
	}

	var data *callflow.TTSData
	root = callflow.Menu().Branch("1", &callflow.Node{Module: "tts", Data: data}).Node()
	if _, err := flowgraph.New(root); err == nil || err.Error() != "/children/1/data: the node's Data is a nil *callflow.TTSData, which cannot be drawn or encoded" {
		t.Errorf("nil data: %v", err)
	}
	if d := flowgraph.Details(root.Children["1"]); d != nil {
		t.Errorf("details of nil data: %q", d)
	}

	g := mustNew(t, &callflow.Node{Module: "answer"})
	if len(g.Nodes) != 1 || g.Nodes[0].Details != nil {
		t.Errorf("nil Data: %+v", g.Nodes)
	}
}

// TestBounds: at most MaxNodes boxes and kzrt.MaxDepth levels. A tree
// that shares nodes, which Go can build with a few nodes and a number of
// paths that doubles each level, is stopped at MaxNodes too.
func TestBounds(t *testing.T) {
	wide := func(n int) *callflow.Node {
		root := callflow.Menu().Node()
		for i := range n - 1 {
			root.SetChild(fmt.Sprintf("%04d", i), callflow.Hangup())
		}
		return root
	}
	if g := mustNew(t, wide(flowgraph.MaxNodes)); len(g.Nodes) != flowgraph.MaxNodes {
		t.Errorf("%d boxes of %d", len(g.Nodes), flowgraph.MaxNodes)
	}
	_, err := flowgraph.New(wide(flowgraph.MaxNodes + 1))
	if want := fmt.Sprintf("/children/%04d: the tree has more than %d nodes", flowgraph.MaxNodes-1, flowgraph.MaxNodes); err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("%d nodes: %v, want %s…", flowgraph.MaxNodes+1, err, want)
	}

	shared := callflow.Hangup().Node()
	for range 64 {
		shared = callflow.Menu().Branch("1", shared).Branch("2", shared).Node()
	}
	start := time.Now()
	if _, err := flowgraph.New(shared); err == nil || !strings.Contains(err.Error(), "more than 1000 nodes") {
		t.Errorf("2^64 paths: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("2^64 paths took %v", d)
	}

	// A chain of kzrt.MaxDepth nodes is drawn; one more node is too deep.
	chain := func(n int) *callflow.Node {
		c := callflow.Hangup().Node()
		for range n - 1 {
			c = callflow.TTS("x").Then(c).Node()
		}
		return c
	}
	if g := mustNew(t, chain(kzrt.MaxDepth)); len(g.Nodes) != kzrt.MaxDepth {
		t.Errorf("chain of %d: %d boxes", kzrt.MaxDepth, len(g.Nodes))
	}
	_, err = flowgraph.New(chain(kzrt.MaxDepth + 1))
	var errs kzrt.Errors
	if !errors.As(err, &errs) || errs[0].Pointer != strings.Repeat("/children/_", kzrt.MaxDepth) ||
		errs[0].Message != "the tree is deeper than 1000 nodes (kzrt.MaxDepth)" {
		t.Errorf("chain of %d: %.200v", kzrt.MaxDepth+1, err)
	}
}

// TestPointers: each box knows its node's JSON pointer, keys escaped.
func TestPointers(t *testing.T) {
	root := callflow.BranchVariable().Variable("v").Branch("a/b", callflow.TTS("x").Then(callflow.Hangup())).Node()
	g := mustNew(t, root)
	var got []string
	for _, n := range g.Nodes {
		got = append(got, n.Pointer)
	}
	if want := []string{"", "/children/a~1b", "/children/a~1b/children/_"}; !slices.Equal(got, want) {
		t.Errorf("pointers %q, want %q", got, want)
	}
}
