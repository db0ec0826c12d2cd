package flowgraph_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/flowgraph"
)

func TestNumbersBoxesInWalkOrder(t *testing.T) {
	root := callflow.Menu().ID("m1").
		Branch("2", callflow.TTS("two")).
		Branch("1", callflow.TTS("one").Then(callflow.Hangup())).
		Then(callflow.Voicemail().ID("vm")).
		Node()
	g := flowgraph.New(root)
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
	g := flowgraph.New(root)

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
	g := flowgraph.New(root)
	if len(g.Edges) != 1 || g.Edges[0].Key != "a/b~c" || g.Edges[0].From != "n0" {
		t.Errorf("edges %+v", g.Edges)
	}
}

func TestEmpty(t *testing.T) {
	g := flowgraph.New(nil)
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
	fmt.Print(flowgraph.New(root).Mermaid())
	// Output:
	// flowchart TD
	//     n0["check_cid<br/>regex: ^\+1"]
	//     n1["user<br/>id: 5d0a0cd1"]
	//     n2["tts<br/>text: Goodbye."]
	//     n0 -->|"match"| n1
	//     n0 -->|"nomatch"| n2
}
