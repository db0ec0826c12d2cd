package validate

import (
	"encoding/json"

	"github.com/kzgen/kzgen/generator/kazoo"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// UnreachableChild is the kind of Warning for a child of a node that Kazoo
// never takes: a key its module never reads ("matched" under check_cid,
// which reads "match"), one it reads only under other settings, or "_"
// under a module that never continues there. Kazoo accepts a child under
// any key, so the document stays valid.
const UnreachableChild = "unreachable_child"

// lintBranches adds an UnreachableChild warning for every such child of
// the callflow in root: the node itself in Pivot mode, its "flow" in
// Callflow mode. The rules are kzgen's table of Kazoo's modules
// (generator/kazoo), the same a generated package's Lint applies; modules
// the table does not describe are not judged.
func lintBranches(root *value, mode Mode, res *Result) {
	table, err := kazoo.Embedded()
	if err != nil {
		return // the embedded table is checked by kzgen's own tests
	}
	rules, prefix := table.Rules(), ""
	if mode == Callflow {
		root, prefix = root.get("flow"), "/flow"
	}
	lintNode(rules, root, prefix, 0, res)
}

// lintNode checks the children of the node n, at pointer, then its
// children's, to the decoder's depth limit.
func lintNode(rules *kzrt.BranchRules, n *value, pointer string, depth int, res *Result) {
	if n == nil || n.kind != kindObject || depth > kzrt.MaxDepth {
		return
	}
	children := n.get("children")
	if children == nil || children.kind != kindObject {
		return
	}
	if module := n.get("module"); module != nil && module.kind == kindString {
		var data json.RawMessage
		if d := n.get("data"); d != nil {
			data, _ = json.Marshal(plain(d)) // always encodes: plain values only
		}
		keys := make([]string, len(children.members))
		for i, m := range children.members {
			keys[i] = m.key
		}
		for _, w := range rules.CheckNode(module.s, data, keys) {
			res.Warnings = append(res.Warnings, Warning{Kind: UnreachableChild, Pointer: pointer + w.Pointer, Message: w.Message})
		}
	}
	for _, m := range children.members {
		lintNode(rules, m.val, pointer+"/children/"+kzrt.EscapeToken(m.key), depth+1, res)
	}
}

// plain turns a decoded value into the Go values encoding/json makes of
// JSON (numbers as json.Number, so they keep their text).
func plain(v *value) any {
	switch v.kind {
	case kindBool:
		return v.b
	case kindString:
		return v.s
	case kindNumber:
		return json.Number(v.s)
	case kindArray:
		out := make([]any, len(v.items))
		for i, it := range v.items {
			out[i] = plain(it)
		}
		return out
	case kindObject:
		out := make(map[string]any, len(v.members))
		for _, m := range v.members {
			out[m.key] = plain(m.val)
		}
		return out
	}
	return nil
}
