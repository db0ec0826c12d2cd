package docs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/kzgen/kzgen/generator/golang"
	"github.com/kzgen/kzgen/generator/kazoo"
	"github.com/kzgen/kzgen/generator/model"
	"github.com/kzgen/kzgen/generator/validate"
	"github.com/kzgen/kzgen/runtime/flowgraph"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// examples makes the pages' example nodes: a module's sample from the
// model, and a branching tree from Kazoo's table. Each is checked with
// Kazoo's semantics before a page shows it.
type examples struct {
	set   *model.Set
	table *kazoo.Table
	check *validate.Validator
	// code writes a branching example as the builder code that makes it.
	code *golang.TreeWriter
}

// exampleNode is a callflow node as the pages print it: "module", "data"
// and "children" in that order, data keys and child keys sorted.
type exampleNode struct {
	Module   string                  `json:"module"`
	Data     json.RawMessage         `json:"data"`
	Children map[string]*exampleNode `json:"children,omitempty"`
}

// compact encodes the node on one line, "<", ">" and "&" as they are.
func (n *exampleNode) compact() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(n); err != nil {
		return nil, fmt.Errorf("encoding the example: %w", err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// indented encodes the node indented by four spaces, as Kazoo's docs show
// JSON.
func (n *exampleNode) indented() (string, error) {
	raw, err := n.compact()
	if err != nil {
		return "", err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, raw, "", "    "); err != nil {
		return "", fmt.Errorf("indenting the example: %w", err)
	}
	return out.String(), nil
}

// validated checks the node (and its children) as a Pivot answer, as Kazoo
// checks one, and returns its compact JSON.
func (e *examples) validated(n *exampleNode) ([]byte, error) {
	raw, err := n.compact()
	if err != nil {
		return nil, err
	}
	if res := e.check.Validate(raw, validate.Pivot); !res.Valid() {
		return nil, fmt.Errorf("kzgen made an example Kazoo refuses, %s: %w", raw, res.Err())
	}
	return raw, nil
}

// sample is the module's node with model.Sample's data. When the model
// cannot sample the data, node is nil and unsampled says why; err is for
// an example that Kazoo would refuse.
func (e *examples) sample(module string, s *model.Schema) (node *exampleNode, unsampled string, err error) {
	data, err := model.Sample(s.Root)
	if err != nil {
		return nil, err.Error(), nil
	}
	node = &exampleNode{Module: module, Data: data}
	if _, err := e.validated(node); err != nil {
		return nil, "", err
	}
	return node, "", nil
}

// branchingExample is a module's node with a child for each key it reads.
type branchingExample struct {
	// about says what the tree shows, in a paragraph.
	about string
	// tree is the node, children included; diagram its Mermaid flowchart;
	// code the Go builder code that makes it.
	tree          *exampleNode
	diagram, code string
}

// branching builds the branching example of a module with named keys,
// nil for other modules: the sample node, its data changed where a key
// needs it (hotdesk's cause keys need "action": "bridge"), with one child
// per key of the table (a family's example key) and "_" when the module
// uses it. Each child is a tts node speaking when Kazoo takes it, in the
// table's words. A key whose conditions contradict an earlier key's is
// left out, and the paragraph says so.
func (e *examples) branching(module string, sample *exampleNode) (*branchingExample, error) {
	km, ok := e.table.Module(module)
	if !ok || len(km.Keys) == 0 {
		return nil, nil
	}
	root := e.set.Schema(model.CallflowFamily + module).Root
	data, err := decodeObject(sample.Data)
	if err != nil {
		return nil, err
	}
	tree := &exampleNode{Module: module, Children: map[string]*exampleNode{}}
	pinned := map[string]bool{} // fields a key's condition has fixed
	var changed, skipped []string
	for _, k := range km.Keys {
		trial := maps.Clone(data)
		if !satisfyAll(root, trial, k.OnlyIf, pinned) {
			skipped = append(skipped, fmt.Sprintf("%s, taken only when %s", k, conditions(k.OnlyIf)))
			continue
		}
		for _, c := range k.OnlyIf {
			if !pinned[c.Field] && !slices.Equal(jsonOf(trial[c.Field]), jsonOf(data[c.Field])) {
				changed = append(changed, c.String())
			}
			pinned[c.Field] = true
		}
		data = trial
		key := k.Fixed
		if k.Family != nil {
			key = k.Family.Example
		}
		if _, dup := tree.Children[key]; dup {
			continue
		}
		text := k.When
		if text == "" {
			text = fmt.Sprintf("The child %q.", key)
		}
		if tree.Children[key], err = e.leaf(text); err != nil {
			return nil, err
		}
	}
	if km.Default.Used {
		if tree.Children[kzrt.DefaultChild], err = e.leaf(km.Default.About); err != nil {
			return nil, err
		}
	}
	if tree.Data, err = json.Marshal(data); err != nil {
		return nil, err
	}
	raw, err := e.validated(tree)
	if err != nil {
		return nil, err
	}
	if warnings := e.table.Lint(module, tree.Data, slices.Collect(maps.Keys(tree.Children))); len(warnings) > 0 {
		return nil, fmt.Errorf("the branching example has a child Kazoo does not take: %s", warnings[0])
	}
	node, err := kzrt.NewModules().ParseNode(raw)
	if err != nil {
		return nil, fmt.Errorf("reading the branching example back: %w", err)
	}

	about := fmt.Sprintf("The node below runs `%s` with a child for each key the module reads (one example key of each family)", module)
	if km.Default.Used {
		about += ` and the default child "_", which the diagram draws as "next"`
	}
	about += `. Each child is a tts node that says when Kazoo takes it, in the words of the table above.`
	if len(changed) > 0 {
		about += fmt.Sprintf(" The data is the example's, changed so that %s, as these keys need.", strings.Join(changed, " and "))
	}
	if len(skipped) > 0 {
		about += fmt.Sprintf(" Not shown: %s.", strings.Join(skipped, "; "))
	}
	diagram, err := flowgraph.New(node)
	if err != nil {
		return nil, fmt.Errorf("drawing the branching example: %w", err)
	}
	code, err := e.code.Code(raw)
	if err != nil {
		return nil, fmt.Errorf("writing the branching example in Go: %w", err)
	}
	return &branchingExample{about: about, tree: tree, diagram: diagram.Mermaid(), code: code}, nil
}

// leaf is a child node speaking text: a tts node.
func (e *examples) leaf(text string) (*exampleNode, error) {
	if s, isModule := e.set.Module(model.CallflowFamily, "tts"); s == nil || !isModule {
		return nil, fmt.Errorf("the schema set has no tts module for the branching example's children")
	}
	data, err := json.Marshal(map[string]string{"text": text})
	if err != nil {
		return nil, err
	}
	return &exampleNode{Module: "tts", Data: data}, nil
}

// satisfyAll changes data so that every condition holds: it sets a value
// the condition lists, samples a field that must be present, or removes
// one that must be absent. It reports false when that would change a field
// an earlier key fixed, or remove a required one.
func satisfyAll(root *model.Type, data map[string]any, conds []kazoo.Condition, pinned map[string]bool) bool {
	for _, c := range conds {
		if c.Holds(data) {
			continue
		}
		if pinned[c.Field] {
			return false
		}
		f := field(root, c.Field)
		switch {
		case c.Present != nil && !*c.Present:
			if f != nil && f.Required {
				return false
			}
			delete(data, c.Field)
		case c.Present != nil:
			if f == nil {
				return false
			}
			raw, err := model.Sample(f.Type)
			if err != nil {
				return false
			}
			v, err := decodeValue(raw)
			if err != nil {
				return false
			}
			data[c.Field] = v
		case len(c.In) > 0:
			data[c.Field] = c.In[0]
		}
		if !c.Holds(data) {
			return false
		}
	}
	return true
}

// conditions states conditions for prose: "action is \"bridge\" and …".
func conditions(conds []kazoo.Condition) string {
	parts := make([]string, len(conds))
	for i, c := range conds {
		parts[i] = c.String()
	}
	return strings.Join(parts, " and ")
}

// field is the property name of object t, nil when it has none.
func field(t *model.Type, name string) *model.Field {
	for _, f := range t.Fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// decodeObject decodes a sample's data object, numbers as json.Number.
func decodeObject(raw []byte) (map[string]any, error) {
	v, err := decodeValue(raw)
	if err != nil {
		return nil, err
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("the sample data %s is no JSON object", raw)
	}
	return obj, nil
}

func decodeValue(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("decoding a sample: %w", err)
	}
	return v, nil
}

// jsonOf encodes a decoded value for comparison; nil for an absent one.
func jsonOf(v any) []byte {
	if v == nil {
		return nil
	}
	b, _ := json.Marshal(v)
	return b
}
