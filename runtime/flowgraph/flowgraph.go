// Package flowgraph draws a callflow tree as a diagram: a Mermaid flowchart
// (which GitHub renders inside Markdown) or a Graphviz DOT graph.
//
// Every node becomes one box labelled with its module and the data that
// identifies it (the text a tts node speaks, the id a user node rings, the
// URL a pivot node asks…). Every child becomes an edge labelled with its
// branch key; the default key "_" reads "next". The output depends only on
// the tree: boxes are numbered n0, n1, … in kzrt.Node.Walk order (depth
// first, children in key order), so the same tree always gives the same
// text.
//
//	tree, _ := callflow.Parse(data)
//	fmt.Print(flowgraph.New(tree.Root()).Mermaid())
package flowgraph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/kzgen/kzgen/runtime/kzrt"
)

// MaxValue is how many characters of a data value a label shows; longer
// values are cut and end in "…".
const MaxValue = 40

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

// New lays out the tree under root; a nil root gives an empty graph.
func New(root *kzrt.Node) *Graph {
	g := &Graph{}
	if root == nil {
		return g
	}
	ids := map[string]string{} // JSON pointer → box ID
	root.Walk(func(ptr string, n *kzrt.Node) {
		id := fmt.Sprintf("n%d", len(g.Nodes))
		ids[ptr] = id
		g.Nodes = append(g.Nodes, Node{ID: id, Module: n.Module, Details: Details(n)})
		if ptr == "" {
			return
		}
		// A child's pointer is its parent's plus "/children/<key>"; a
		// "/" inside a key is escaped as "~1", so the last such segment
		// is the one.
		i := strings.LastIndex(ptr, "/children/")
		g.Edges = append(g.Edges, Edge{From: ids[ptr[:i]], To: id, Key: unescapeToken(ptr[i+len("/children/"):])})
	})
	return g
}

func unescapeToken(s string) string {
	return strings.NewReplacer("~1", "/", "~0", "~").Replace(s)
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
	if n.Data == nil {
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
