// Package flowgraph draws a callflow tree as a diagram: a Mermaid flowchart
// (which GitHub renders inside Markdown) or a Graphviz DOT graph.
//
// Every node becomes one box labelled with its module and the data that
// identifies it (the text a tts node speaks, the id a user node rings, the
// URL a pivot node asks…). Every child becomes an edge labelled with its
// branch key; the default key "_" reads "next". The output depends only on
// the tree: boxes are numbered n0, n1, … depth first, children in key
// order (kzrt.Node.Walk's order), so the same tree always gives the same
// text.
//
// A tree built in Go can go wrong in ways JSON cannot: a node that is its
// own descendant (a menu whose timeout child is the menu), a nil child.
// New reports those as errors naming where they are, and it stops at
// MaxNodes boxes, so that no tree makes it run away.
//
//	tree, _ := callflow.Parse(data)
//	g, err := flowgraph.New(tree.Root())
//	if err != nil { … }
//	fmt.Print(g.Mermaid())
package flowgraph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/kzgen/kzgen/runtime/kzrt"
)

// MaxValue is how many characters of a data value a label shows; longer
// values are cut and end in "…".
const MaxValue = 40

// MaxNodes is the most boxes a graph holds; New refuses a larger tree.
// Mermaid refuses a diagram of more than 500 edges unless told otherwise,
// and nobody reads one of a thousand boxes.
const MaxNodes = 1000

// maxFields is how many data fields a label shows for a module without a
// rule of its own.
const maxFields = 3

// Graph is a callflow tree laid out as boxes and edges.
type Graph struct {
	// Nodes lists the boxes in walk order; Nodes[i].ID is "n<i>".
	Nodes []Node
	// Edges lists parent → child links in walk order of the child.
	Edges []Edge
}

// Node is one box.
type Node struct {
	// ID is the box's identifier in the diagram: "n0", "n1", …
	ID string
	// Pointer is the node's JSON pointer relative to the root:
	// "/children/1/children/_" ("" for the root).
	Pointer string
	// Module is the node's module ("tts").
	Module string
	// Details are the label lines after the module: "text: Welcome…".
	Details []string
}

// Edge is a link from a node to one of its children.
type Edge struct {
	// From and To are box IDs.
	From, To string
	// Key is the branch key the child is stored under ("_", "1", "match").
	Key string
}

// Label is the text of the edge: the branch key, or "next" for the
// default child "_".
func (e Edge) Label() string {
	if e.Key == kzrt.DefaultChild {
		return "next"
	}
	return e.Key
}

// New lays out the tree under root; a nil root gives an empty graph. A
// node that is its own descendant, a nil child, Data that is a nil
// pointer (a nil *callflow.TTSData), a tree deeper than
// kzrt.MaxDepth or one of more than MaxNodes nodes (counting a node under
// two parents twice, as it is drawn) is an error, kzrt.Errors naming the
// JSON pointer of the child where it is found, relative to root.
func New(root *kzrt.Node) (*Graph, error) {
	g := &Graph{}
	if root == nil {
		return g, nil
	}
	l := layout{g: g}
	if err := l.visit(root, "", ""); err != nil {
		return nil, err
	}
	return g, nil
}

// layout adds boxes and edges to g, depth first.
type layout struct {
	g *Graph
	// path holds the nodes from the root to the one being laid out, keys
	// the branch keys between them (keys[i] leads from path[i] to
	// path[i+1]).
	path []*kzrt.Node
	keys []string
}

// visit adds n, reached from the box from under key, and its subtree.
func (l *layout) visit(n *kzrt.Node, from, key string) error {
	if len(l.g.Nodes) == MaxNodes {
		return l.fail(fmt.Sprintf("the tree has more than %d nodes (flowgraph.MaxNodes), more than a diagram can show", MaxNodes))
	}
	if nilData(n.Data) {
		msg := fmt.Sprintf("the node's Data is a nil %T, which cannot be drawn or encoded", n.Data)
		return kzrt.Errors{{Pointer: l.pointer(len(l.keys)) + "/data", Message: msg}}
	}
	id := fmt.Sprintf("n%d", len(l.g.Nodes))
	l.g.Nodes = append(l.g.Nodes, Node{ID: id, Pointer: l.pointer(len(l.keys)), Module: n.Module, Details: Details(n)})
	if from != "" {
		l.g.Edges = append(l.g.Edges, Edge{From: from, To: id, Key: key})
	}
	l.path = append(l.path, n)
	defer func() { l.path = l.path[:len(l.path)-1] }()
	for _, k := range slices.Sorted(maps.Keys(n.Children)) {
		c := n.Children[k]
		l.keys = append(l.keys, k)
		var err error
		switch back := slices.Index(l.path, c); {
		case c == nil:
			err = l.fail("a child must be a node, not nil")
		case back >= 0:
			err = l.fail(fmt.Sprintf("loop back to %s; a callflow is a tree, a node cannot be its own descendant", l.name(back)))
		case len(l.path) >= kzrt.MaxDepth:
			err = l.fail(fmt.Sprintf("the tree is deeper than %d nodes (kzrt.MaxDepth)", kzrt.MaxDepth))
		default:
			err = l.visit(c, id, k)
		}
		if err != nil {
			return err
		}
		l.keys = l.keys[:len(l.keys)-1]
	}
	return nil
}

// fail is the error msg at the child being visited.
func (l *layout) fail(msg string) error {
	return kzrt.Errors{{Pointer: l.pointer(len(l.keys)), Message: msg}}
}

// pointer renders the JSON pointer of the node at depth d of the path.
func (l *layout) pointer(d int) string {
	var b strings.Builder
	for _, k := range l.keys[:d] {
		b.WriteString("/children/")
		b.WriteString(kzrt.EscapeToken(k))
	}
	return b.String()
}

// name is the pointer of the node at depth d for a message: "the root"
// for the root.
func (l *layout) name(d int) string {
	if d == 0 {
		return "the root"
	}
	return l.pointer(d)
}

// Mermaid renders the graph as a Mermaid flowchart, top to bottom.
func (g *Graph) Mermaid() string {
	var b strings.Builder
	b.WriteString("flowchart TD\n")
	for _, n := range g.Nodes {
		lines := append([]string{n.Module}, n.Details...)
		for i, l := range lines {
			lines[i] = mermaidEscape(l)
		}
		fmt.Fprintf(&b, "    %s[\"%s\"]\n", n.ID, strings.Join(lines, "<br/>"))
	}
	for _, e := range g.Edges {
		fmt.Fprintf(&b, "    %s -->|\"%s\"| %s\n", e.From, mermaidEscape(e.Label()), e.To)
	}
	return b.String()
}

// mermaidEscape makes text safe inside a quoted Mermaid label. Characters
// that end a label or that Mermaid or the browser would read as markup are
// written as Mermaid entity codes ("#34;" for a double quote).
func mermaidEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '"', '#', '<', '>', '&', '|', '`', '[', ']', '{', '}':
			fmt.Fprintf(&b, "#%d;", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// DOT renders the graph as a Graphviz digraph, top to bottom.
func (g *Graph) DOT() string {
	var b strings.Builder
	b.WriteString("digraph callflow {\n")
	b.WriteString("    node [shape=box];\n")
	for _, n := range g.Nodes {
		lines := append([]string{n.Module}, n.Details...)
		for i, l := range lines {
			lines[i] = dotEscape(l)
		}
		fmt.Fprintf(&b, "    %s [label=\"%s\"];\n", n.ID, strings.Join(lines, `\n`))
	}
	for _, e := range g.Edges {
		fmt.Fprintf(&b, "    %s -> %s [label=\"%s\"];\n", e.From, e.To, dotEscape(e.Label()))
	}
	b.WriteString("}\n")
	return b.String()
}

// dotEscape makes text safe inside a quoted DOT string: backslashes and
// double quotes are escaped, so no escape sequence of the label syntax
// (\n, \l, \N…) can come from the data.
func dotEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s)
}

// Details returns the label lines that identify a node beyond its module:
//
//   - tts: the text spoken;
//   - play: the media id or URL;
//   - user, device, menu: the id;
//   - resources, offnet: the number dialled (to_did) and whether the
//     account's local resources or the global ones are used;
//   - ring_group, page_group: the endpoints, by type and id;
//   - pivot: the voice_url;
//   - collect_dtmf: the collection name;
//   - temporal_route: the rules;
//   - manual_presence: the presence id and status;
//   - set_cid: the caller ID number;
//   - any other module: its first few scalar data fields, in key order.
//
// Each line reads "key: value", the value cut to MaxValue characters.
func Details(n *kzrt.Node) []string {
	data := dataMembers(n)
	if data == nil {
		return nil
	}
	switch n.Module {
	case "offnet":
		// offnet always dials through the system-wide carriers.
		return append(pick(data, "to_did"), "global resources")
	case "resources":
		// use_local_resources defaults to true.
		lines := pick(data, "to_did")
		if local, ok := data["use_local_resources"].(bool); ok && !local {
			return append(lines, "global resources")
		}
		return append(lines, "local resources")
	case "ring_group", "page_group":
		if line, ok := endpoints(data["endpoints"]); ok {
			return []string{line}
		}
	}
	if keys, ok := keyFields[n.Module]; ok {
		return pick(data, keys...)
	}
	var lines []string
	for _, k := range slices.Sorted(maps.Keys(data)) {
		if len(lines) == maxFields {
			break
		}
		if v, ok := scalar(data[k]); ok {
			lines = append(lines, k+": "+v)
		}
	}
	return lines
}

// keyFields names the data fields that identify a node, per module.
var keyFields = map[string][]string{
	"tts":             {"text"},
	"play":            {"id"},
	"user":            {"id"},
	"device":          {"id"},
	"menu":            {"id"},
	"pivot":           {"voice_url"},
	"collect_dtmf":    {"collection_name"},
	"temporal_route":  {"rules"},
	"manual_presence": {"presence_id", "status"},
	"set_cid":         {"caller_id_number"},
}

// endpoints renders a ring or page group's endpoint list as
// "endpoints: user 5d0a…, group 9a8b…".
func endpoints(v any) (string, bool) {
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		return "", false
	}
	parts := make([]string, 0, len(list))
	for _, item := range list {
		e, _ := item.(map[string]any)
		kind, _ := e["endpoint_type"].(string)
		id, _ := e["id"].(string)
		parts = append(parts, strings.TrimSpace(kind+" "+id))
	}
	return "endpoints: " + truncate(strings.Join(parts, ", ")), true
}

// pick renders the named fields that are present.
func pick(data map[string]any, keys ...string) []string {
	var lines []string
	for _, k := range keys {
		if v, ok := data[k]; ok {
			if s, ok := value(v); ok {
				lines = append(lines, k+": "+s)
			}
		}
	}
	return lines
}

// dataMembers decodes a node's data as a JSON object; nil when it has
// none or it is not an object.
func dataMembers(n *kzrt.Node) map[string]any {
	if n.Data == nil || nilData(n.Data) {
		return nil
	}
	raw, err := n.Data.MarshalJSON()
	if err != nil {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if dec.Decode(&m) != nil {
		return nil
	}
	return m
}

// nilData reports whether d holds a nil pointer, whose methods would
// dereference it.
func nilData(d kzrt.Data) bool {
	v := reflect.ValueOf(d)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// value renders a scalar, or a list of scalars joined by ", ", cut to
// MaxValue characters.
func value(v any) (string, bool) {
	if s, ok := scalar(v); ok {
		return s, true
	}
	list, ok := v.([]any)
	if !ok {
		return "", false
	}
	parts := make([]string, 0, len(list))
	for _, item := range list {
		s, ok := scalar(item)
		if !ok {
			return "", false
		}
		parts = append(parts, s)
	}
	return truncate(strings.Join(parts, ", ")), true
}

// scalar renders a string, number or boolean on one line, cut to
// MaxValue characters.
func scalar(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return truncate(strings.Join(strings.Fields(v), " ")), true
	case json.Number:
		return truncate(v.String()), true
	case bool:
		return fmt.Sprint(v), true
	}
	return "", false
}

func truncate(s string) string {
	if utf8.RuneCountInString(s) <= MaxValue {
		return s
	}
	return string([]rune(s)[:MaxValue-1]) + "…"
}
