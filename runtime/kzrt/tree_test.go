package kzrt_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kzgen/kzgen/runtime/kzrt"
)

func TestNodeChildren(t *testing.T) {
	menu := say("menu")
	one, other := bye(), say("other")
	menu.SetChild("1", one)
	menu.SetChild(kzrt.DefaultChild, other)
	if menu.Next("1") != one || menu.Next("9") != other || menu.Next(kzrt.DefaultChild) != other {
		t.Fatalf("Next: %v %v", menu.Next("1"), menu.Next("9"))
	}
	menu.SetChild("1", nil)
	menu.SetChild("2", (*kzrt.Node)(nil))
	if _, ok := menu.Children["1"]; ok || len(menu.Children) != 1 {
		t.Fatalf("SetChild(nil) should remove: %v", menu.Children)
	}
	if leaf := bye(); leaf.Next("_") != nil {
		t.Fatal("a leaf has no next node")
	}
	var b kzrt.Builder = menu
	if b.Node() != menu || menu.Root() != menu {
		t.Fatal("a *Node is its own Builder and Tree root")
	}
}

func TestNodeMarshalJSON(t *testing.T) {
	n := then(say("hi"), bye())
	n.SetChild("b", bye())
	n.Children["a"] = nil
	n.Extra = map[string]json.RawMessage{"x_editor": json.RawMessage(` { "pos" : 1 } `)}
	got, err := json.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"module":"say","data":{"text":"hi"},"children":{"_":{"module":"bye","data":{}},"a":null,"b":{"module":"bye","data":{}}},"x_editor":{"pos":1}}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got, err := (*kzrt.Node)(nil).MarshalJSON(); err != nil || string(got) != "null" {
		t.Errorf("nil node: %s, %v", got, err)
	}
	// No data: no "data" key, which Validate reports.
	if got, _ := json.Marshal(&kzrt.Node{Module: "bye"}); string(got) != `{"module":"bye"}` {
		t.Errorf("no data: %s", got)
	}
}

func TestNodeUnmarshalJSONNeedsModules(t *testing.T) {
	var n kzrt.Node
	err := json.Unmarshal([]byte(`{"module":"say","data":{}}`), &n)
	if err == nil || !strings.Contains(err.Error(), "Parse function of the generated package") {
		t.Fatalf("err = %v, want a pointer to Parse", err)
	}
}

func TestNodeValidate(t *testing.T) {
	cases := []struct {
		name string
		node *kzrt.Node
		want map[string]string // pointer → message, exactly
	}{
		{"valid", then(say("hi"), bye()), nil},
		{"data problem at depth", then(say("hi"), then(bye(), say(""))), map[string]string{
			"/children/_/children/_/data/text": "length 0, minimum 1",
		}},
		{"module empty", &kzrt.Node{Data: &byeData{}}, map[string]string{
			"/module": "length 0, minimum 1",
			"/data":   `data is for module "bye", but the node runs ""`,
		}},
		{"module too long", &kzrt.Node{Module: strings.Repeat("m", 65), Data: &kzrt.RawData{Module: strings.Repeat("m", 65), JSON: json.RawMessage(`{}`)}}, map[string]string{
			"/module": "length 65, maximum 64",
		}},
		{"nil data", &kzrt.Node{Module: "say"}, map[string]string{
			"/data": "Node.Data is nil: set the module's data, its empty data at least (Kazoo fills in {} and checks it against the module's schema)",
		}},
		{"data of another module", &kzrt.Node{Module: "say", Data: &byeData{}}, map[string]string{
			"/data": `data is for module "bye", but the node runs "say"`,
		}},
		{"unknown module, as Parse marks it", kzrt.NewNode(&kzrt.RawData{Module: "hold", JSON: json.RawMessage(`{}`), Unknown: true}), map[string]string{
			"/module": `unable to find callflow schema for module "hold"`,
		}},
		{"raw data built by hand is sent as it is", kzrt.NewNode(&kzrt.RawData{Module: "hold", JSON: json.RawMessage(`{"music":"x"}`)}), nil},
		{"raw data must be an object", kzrt.NewNode(&kzrt.RawData{Module: "hold", JSON: json.RawMessage(`[1]`)}), map[string]string{
			"/data": "got array, want object",
		}},
		{"raw data problems, as Parse records them", kzrt.NewNode(&kzrt.RawData{Module: "say", JSON: json.RawMessage(`{"text":5}`),
			Problems: kzrt.Errors{{Pointer: "/text", Message: "got number, want string"}}}), map[string]string{
			"/data/text": "got number, want string",
		}},
		{"null child", &kzrt.Node{Module: "bye", Data: &byeData{}, Children: map[string]*kzrt.Node{"x/y": nil}}, map[string]string{
			"/children/x~1y": "a child must be a node, not null",
		}},
		{"empty key is not checked, as in Kazoo's schema", &kzrt.Node{Module: "bye", Data: &byeData{}, Children: map[string]*kzrt.Node{"": {}}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.node.Validate()
			got := map[string]string{}
			for _, e := range kzrt.AsErrors(err) {
				got[e.Pointer] = e.Message
			}
			if len(c.want) == 0 && err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if len(got) != len(c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
			for p, msg := range c.want {
				if got[p] != msg {
					t.Errorf("%s: got %q, want %q", p, got[p], msg)
				}
			}
			if err != nil {
				var es kzrt.Errors
				if !errors.As(err, &es) {
					t.Errorf("Validate returned %T, not kzrt.Errors", err)
				}
			}
		})
	}
	if err := (*kzrt.Node)(nil).Validate(); err == nil {
		t.Error("a nil node validates")
	}
}

// loopMenu builds what a user might write by mistake: a menu whose digit
// 9 leads to a prompt that repeats the menu.
func loopMenu() *kzrt.Node {
	menu := say("menu")
	again := say("again")
	menu.SetChild("1", bye())
	menu.SetChild("9", again)
	again.SetChild(kzrt.DefaultChild, menu)
	return then(say("welcome"), menu)
}

func TestLoopsAreFoundNotFollowed(t *testing.T) {
	const loopAt, backTo = "/children/_/children/9/children/_", "/children/_"
	root := loopMenu()

	err := root.Validate()
	es := kzrt.AsErrors(err)
	if len(es) != 1 || es[0].Pointer != loopAt || !strings.HasPrefix(es[0].Message, "loop back to "+backTo+";") {
		t.Fatalf("Validate: %v", err)
	}
	if _, err := json.Marshal(root); err == nil || !strings.Contains(err.Error(), loopAt+": loop back to "+backTo) {
		t.Fatalf("MarshalJSON: %v", err)
	}
	var visited []string
	err = root.Walk(func(p string, _ *kzrt.Node) { visited = append(visited, p) })
	want := []string{"", "/children/_", "/children/_/children/1", "/children/_/children/9"}
	if !slices.Equal(visited, want) {
		t.Errorf("Walk visited %v, want %v", visited, want)
	}
	if es := kzrt.AsErrors(err); len(es) != 1 || es[0].Pointer != loopAt {
		t.Errorf("Walk: %v", err)
	}

	// A node that is its own child loops back to the root.
	self := say("self")
	self.SetChild("_", self)
	if es := kzrt.AsErrors(self.Validate()); len(es) != 1 || es[0].Pointer != "/children/_" || !strings.HasPrefix(es[0].Message, "loop back to the root") {
		t.Errorf("self loop: %v", es)
	}
}

func TestLoopPointerIncludesWhereTheTreeSits(t *testing.T) {
	var v kzrt.Validator
	v.Push("flow")
	loopMenu().KzrtValidate(&v)
	v.Pop()
	es := v.Problems()
	if len(es) != 1 || es[0].Pointer != "/flow/children/_/children/9/children/_" || !strings.HasPrefix(es[0].Message, "loop back to /flow/children/_;") {
		t.Fatalf("%v", es)
	}
}

func TestSharedNodeIsNotALoop(t *testing.T) {
	shared := then(say("goodbye"), bye())
	root := say("menu")
	root.SetChild("1", shared)
	root.SetChild("2", shared)
	if err := root.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	got, err := json.Marshal(root)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(got), `"goodbye"`); n != 2 {
		t.Errorf("shared node encoded %d times, want 2: %s", n, got)
	}
	count := 0
	if err := root.Walk(func(string, *kzrt.Node) { count++ }); err != nil || count != 5 {
		t.Errorf("Walk: %d nodes, %v", count, err)
	}
}

// chain is a tree of depth nodes, each the "_" child of the one before.
func chain(depth int) *kzrt.Node {
	root := bye()
	n := root
	for range depth - 1 {
		c := bye()
		n.SetChild(kzrt.DefaultChild, c)
		n = c
	}
	return root
}

func TestDepthLimit(t *testing.T) {
	ok := chain(kzrt.MaxDepth)
	if err := ok.Validate(); err != nil {
		t.Fatalf("a tree of MaxDepth nodes: %v", err)
	}
	data, err := json.Marshal(ok)
	if err != nil {
		t.Fatalf("MarshalJSON at MaxDepth: %v", err)
	}
	if _, err := testModules.ParseNode(data); err != nil {
		t.Fatalf("ParseNode at MaxDepth: %v", err)
	}

	deep := chain(kzrt.MaxDepth + 1)
	deepest := strings.Repeat("/children/_", kzrt.MaxDepth)
	es := kzrt.AsErrors(deep.Validate())
	if len(es) != 1 || es[0].Pointer != deepest || !strings.Contains(es[0].Message, "deeper than 1000 nodes") {
		t.Fatalf("Validate: %d problems, first %.200v", len(es), es)
	}
	if _, err := json.Marshal(deep); err == nil || !strings.Contains(err.Error(), "deeper than 1000 nodes") {
		t.Errorf("MarshalJSON: %.200v", err)
	}
	count := 0
	err = deep.Walk(func(string, *kzrt.Node) { count++ })
	if count != kzrt.MaxDepth || err == nil {
		t.Errorf("Walk: %d nodes, %.200v", count, err)
	}
	// The same tree as JSON: Parse refuses it at the same pointer.
	deepJSON := strings.Repeat(`{"module":"bye","data":{},"children":{"_":`, kzrt.MaxDepth) +
		`{"module":"bye","data":{}}` + strings.Repeat(`}}`, kzrt.MaxDepth)
	_, err = testModules.ParseNode([]byte(deepJSON))
	var de *kzrt.DecodeError
	if !errors.As(err, &de) || de.Pointer != deepest || !strings.Contains(de.Err.Error(), "deeper than 1000 nodes") {
		t.Errorf("ParseNode: %.300v", err)
	}
}

func TestWalk(t *testing.T) {
	root := say("root")
	root.SetChild("b", bye())
	root.SetChild("a/b~c", then(say("x"), bye()))
	root.Children["nil"] = nil
	var got []string
	if err := root.Walk(func(p string, n *kzrt.Node) { got = append(got, p+"="+n.Module) }); err != nil {
		t.Fatal(err)
	}
	want := []string{"=say", "/children/a~1b~0c=say", "/children/a~1b~0c/children/_=bye", "/children/b=bye"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if err := (*kzrt.Node)(nil).Walk(func(string, *kzrt.Node) { t.Error("called") }); err != nil {
		t.Error(err)
	}
}

func TestRawData(t *testing.T) {
	d := &kzrt.RawData{Module: "hold", JSON: json.RawMessage(`{ "a" : [1, 2] }`)}
	if got, err := d.MarshalJSON(); err != nil || string(got) != `{"a":[1,2]}` {
		t.Errorf("MarshalJSON: %s %v", got, err)
	}
	if d.ModuleName() != "hold" || d.Validate() != nil {
		t.Errorf("ModuleName %q, Validate %v", d.ModuleName(), d.Validate())
	}
	d.Problems = kzrt.Errors{{Pointer: "/a/0", Message: "bad"}}
	if err := d.Validate(); err == nil || err.Error() != "/a/0: bad" {
		t.Errorf("Validate with problems: %v", err)
	}
}

// TestValidateAllocations: loop and depth bookkeeping allocate nothing on
// a typical tree, and Validate's Validator comes from a pool.
func TestValidateAllocations(t *testing.T) {
	root := then(say("hi"), then(bye(), bye()))
	root.SetChild("1", then(say("one"), bye()))
	allocs := testing.AllocsPerRun(100, func() {
		if err := root.Validate(); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("Validate of a valid 6-node tree: %.0f allocations, want 0", allocs)
	}
	allocs = testing.AllocsPerRun(100, func() {
		if err := root.Walk(func(string, *kzrt.Node) {}); err != nil {
			t.Fatal(err)
		}
	})
	// The pointers handed to fn are built for each of the 5 children.
	if allocs > 5 {
		t.Errorf("Walk of a 6-node tree: %.0f allocations, want at most one per child pointer", allocs)
	}
}

// TestAppendValidJSON: one walk gives what Validate then MarshalJSON give,
// on valid trees and on every kind of problem: invalid data, nil data and
// children, loops (also under the key Kazoo does not check), excess depth.
func TestAppendValidJSON(t *testing.T) {
	nilChild := say("x")
	nilChild.Children = map[string]*kzrt.Node{"_": nil}
	unchecked := say("x")
	unchecked.SetChild("", say("")) // invalid, but under "" Kazoo never looks
	uncheckedLoop := say("x")
	uncheckedLoop.SetChild("", uncheckedLoop)
	shared := then(say("goodbye"), bye())
	sharedTree := say("menu")
	sharedTree.SetChild("1", shared)
	sharedTree.SetChild("2", shared)
	withExtra := then(say("hi"), bye())
	withExtra.Extra = map[string]json.RawMessage{"x_editor": json.RawMessage(` {"pos": [1, 2]} `)}
	badExtra := bye()
	badExtra.Extra = map[string]json.RawMessage{"x": json.RawMessage(`{`)}
	trees := map[string]*kzrt.Node{
		"valid":          then(say("hi"), then(bye(), bye())),
		"shared":         sharedTree,
		"extra":          withExtra,
		"invalid data":   then(say(""), say("much too long a text")),
		"no data":        {Module: "bye"},
		"nil child":      nilChild,
		"unchecked key":  unchecked,
		"unchecked loop": uncheckedLoop,
		"loop":           loopMenu(),
		"too deep":       chain(kzrt.MaxDepth + 1),
		"deep":           chain(kzrt.MaxDepth),
		"bad raw":        badExtra,
	}
	// What Parse records in a tree: no "module", no "data", children under
	// keys Kazoo never checks.
	for name, in := range map[string]string{
		"parsed no data":      `{"module":"bye","children":{"_":{"module":"say"}}}`,
		"parsed no module":    `{"data":{}}`,
		"parsed raw children": `{"module":"bye","data":{},"children":{"":"x","\n":[1],"_":{"module":"bye"}}}`,
		"parsed unknown":      `{"module":"hold","data":{"music":"jazz"}}`,
		"parsed not a module": `{"module":"say.part","data":{}}`,
	} {
		n, err := testModules.ParseNode([]byte(in))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		trees[name] = n
	}
	for name, n := range trees {
		prefix := []byte("prefix:")
		got, err := n.AppendValidJSON(prefix)
		verr := n.Validate()
		enc, eerr := n.MarshalJSON()
		switch {
		case verr != nil:
			if !errors.Is(err, verr) && err.Error() != verr.Error() {
				t.Errorf("%s: %v, want Validate's %v", name, err, verr)
			}
			if _, ok := err.(kzrt.Errors); !ok || string(got) != "prefix:" {
				t.Errorf("%s: %T, %q", name, err, got)
			}
		case eerr != nil:
			if err == nil || err.Error() != eerr.Error() || string(got) != "prefix:" {
				t.Errorf("%s: %v, want MarshalJSON's %v", name, err, eerr)
			}
		default:
			if err != nil || string(got) != "prefix:"+string(enc) {
				t.Errorf("%s: %q %v, want %q", name, got, err, enc)
			}
			if got, err := n.AppendValidJSON(nil); err != nil || string(got) != string(enc) {
				t.Errorf("%s into nil: %q %v", name, got, err)
			}
		}
	}
	if _, err := (*kzrt.Node)(nil).AppendValidJSON(nil); err == nil {
		t.Error("nil node")
	}
	// The options are Validate's.
	pivotTo := func(url string) *kzrt.Node { return kzrt.NewNode(&urlData{URL: url}) }
	b, err := kzrt.DefaultBlacklist().With("10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pivotTo("http://10.1.2.3/").AppendValidJSON(nil); err != nil {
		t.Errorf("default blacklist: %v", err)
	}
	if _, err := pivotTo("http://10.1.2.3/").AppendValidJSON(nil, kzrt.WithURLBlacklist(b)); err == nil {
		t.Error("a site's blacklist is not applied")
	}
}

// urlData is a module's data with a client URL, checked as Kazoo checks
// pivot's voice_url.
type urlData struct{ URL string }

func (x *urlData) ModuleName() string             { return "go" }
func (x *urlData) Validate() error                { return kzrt.Validate(kzrt.NewNode(x)) }
func (x *urlData) MarshalJSON() ([]byte, error)   { return json.Marshal(map[string]string{"url": x.URL}) }
func (x *urlData) KzrtDecode(d *kzrt.Decoder)     { d.Skip() }
func (x *urlData) KzrtValidate(v *kzrt.Validator) { v.Push("url"); v.ClientURL(x.URL); v.Pop() }
func (x *urlData) KzrtEncode(e *kzrt.Encoder) {
	e.OpenObject()
	e.Key("url")
	e.String(x.URL)
	e.CloseObject()
}

// TestEncodingAllocations: with a buffer that has room, a valid tree is
// validated and encoded without allocating; MarshalJSON allocates only
// the JSON it returns.
func TestEncodingAllocations(t *testing.T) {
	root := then(say("hi"), then(bye(), bye()))
	root.SetChild("1", then(say("one"), bye()))
	buf := make([]byte, 0, 1024)
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := root.AppendValidJSON(buf[:0]); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("AppendValidJSON of a valid 6-node tree: %.0f allocations, want 0", allocs)
	}
	allocs = testing.AllocsPerRun(100, func() {
		if _, err := root.AppendValidJSON(nil); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 1 {
		t.Errorf("AppendValidJSON(nil) of a 6-node tree: %.0f allocations, want 1", allocs)
	}
	allocs = testing.AllocsPerRun(100, func() {
		if _, err := root.MarshalJSON(); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 1 {
		t.Errorf("MarshalJSON of a 6-node tree: %.0f allocations, want 1", allocs)
	}
}

// TestSharedSubtreesAreBounded: a tree built in Go can share a subtree
// under two parents at every level, so that 41 nodes stand for 2^41 in
// JSON. Every walk stops at MaxNodes with one error at the node beyond
// the limit, quickly, instead of running for hours.
func TestSharedSubtreesAreBounded(t *testing.T) {
	root := bye()
	for range 40 {
		up := say("again")
		up.SetChild("1", root)
		up.SetChild("2", root)
		root = up
	}
	start := time.Now()
	err := root.Validate()
	var errs kzrt.Errors
	if !errors.As(err, &errs) || len(errs) != 1 || !strings.Contains(errs[0].Message, "kzrt.MaxNodes") {
		t.Errorf("Validate: %v, want one MaxNodes problem", err)
	}
	if _, err := root.MarshalJSON(); err == nil || !strings.Contains(err.Error(), "kzrt.MaxNodes") {
		t.Errorf("MarshalJSON: %v, want the MaxNodes error", err)
	}
	if _, err := root.AppendValidJSON(nil); !errors.As(err, &errs) || len(errs) != 1 {
		t.Errorf("AppendValidJSON: %v, want one problem", err)
	}
	visited := 0
	err = root.Walk(func(string, *kzrt.Node) { visited++ })
	if !errors.As(err, &errs) || len(errs) != 1 || visited != kzrt.MaxNodes {
		t.Errorf("Walk: visited %d nodes, %v; want %d and one problem", visited, err, kzrt.MaxNodes)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the four walks took %v", d)
	}
}
