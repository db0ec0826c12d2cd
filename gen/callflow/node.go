package callflow

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/kzgen/kzgen/runtime/kzrt"
)

// DefaultChild is the key of the branch Kazoo takes when a module asks for
// no particular one, or asks for one the node does not have: "_".
const DefaultChild = "_"

// Data is the typed data of one callflow node: *TTSData for module "tts",
// *PivotData for "pivot", and so on; *RawData for a module without a schema.
type Data interface {
	// ModuleName is the module this data belongs to.
	ModuleName() string
	// Validate checks the data against the module's schema.
	Validate() error
	json.Marshaler

	encode(*kzrt.Encoder)
	validate(*kzrt.Validator)
}

// Builder is anything that yields a callflow node: every module builder
// (TTS, Pivot, Menu, …) and *Node itself.
type Builder interface {
	Node() *Node
}

// Node is one step of a callflow: a module, its data, and the children
// Kazoo may continue with. Its JSON is exactly what Kazoo reads, and what a
// pivot server answers: {"module":"tts","data":{…},"children":{"_":{…}}}.
type Node struct {
	// Module names the callflow action, e.g. "tts" or "pivot".
	Module string
	// Data holds the module's arguments. Nil encodes no "data" key, which
	// Kazoo rejects; constructors always set it.
	Data Data
	// Children maps branch keys to the next node: DefaultChild ("_"),
	// menu digits, "match"/"nomatch", "sip:486", variable values…
	Children map[string]*Node
	// Extra holds node keys other than module, data and children, kept
	// verbatim so that a round trip loses nothing.
	Extra map[string]json.RawMessage
}

// NewNode makes a node of any module from its typed data.
func NewNode(data Data) *Node {
	return &Node{Module: data.ModuleName(), Data: data}
}

// Node returns n, so a *Node can be passed wherever a Builder is expected.
func (n *Node) Node() *Node { return n }

// SetChild sets the child under key; a nil next removes it.
func (n *Node) SetChild(key string, next Builder) {
	if next == nil || next.Node() == nil {
		delete(n.Children, key)
		return
	}
	if n.Children == nil {
		n.Children = map[string]*Node{}
	}
	n.Children[key] = next.Node()
}

// Next returns the child Kazoo continues with when the module asks for
// key: that child if present, else the default "_" child, else nil (the
// call hangs up).
func (n *Node) Next(key string) *Node {
	if c, ok := n.Children[key]; ok && c != nil {
		return c
	}
	return n.Children[DefaultChild]
}

// Root returns n; it lets a Node and a Document be handled alike.
func (n *Node) Root() *Node { return n }

// MarshalJSON encodes the node and its subtree.
func (n *Node) MarshalJSON() ([]byte, error) {
	var e kzrt.Encoder
	e.Grow(1024) // a typical callflow fits without reallocating
	n.encode(&e)
	return e.Bytes()
}

func (n *Node) encode(e *kzrt.Encoder) {
	e.OpenObject()
	e.Key("module")
	e.String(n.Module)
	if n.Data != nil {
		e.Key("data")
		n.Data.encode(e)
	}
	if n.Children != nil {
		e.Key("children")
		e.OpenObject()
		for _, k := range kzrt.SortedKeys(n.Children) {
			e.Key(k)
			if c := n.Children[k]; c != nil {
				c.encode(e)
			} else {
				e.Null()
			}
		}
		e.CloseObject()
	}
	e.Extra(n.Extra)
	e.CloseObject()
}

// UnmarshalJSON decodes a node and its subtree, typing each node's data by
// its module. Data of a module without a schema is kept as RawData.
//
// The tree is read in one pass over a single token stream, so the cost
// grows with the size of the JSON, not with its size times its depth.
func (n *Node) UnmarshalJSON(b []byte) error {
	if !json.Valid(b) {
		_, err := kzrt.Members(b) // for encoding/json's syntax error
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	node, err := decodeNode(dec)
	if err != nil {
		return err
	}
	*n = *node
	return nil
}

// decodeNode reads one node from dec, whose input is valid JSON.
func decodeNode(dec *json.Decoder) (*Node, error) {
	if err := openObject(dec); err != nil {
		return nil, err
	}
	n := &Node{}
	var data json.RawMessage
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, &kzrt.DecodeError{Err: err}
		}
		key, _ := tok.(string)
		if key == "children" {
			children, err := decodeChildren(dec)
			if err != nil {
				return nil, kzrt.At(key, err)
			}
			n.Children = children
			continue
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, kzrt.At(key, err)
		}
		switch key {
		case "module":
			if err := kzrt.Decode(raw, &n.Module); err != nil {
				return nil, kzrt.At(key, err)
			}
		case "data":
			data = raw
		default:
			if n.Extra == nil {
				n.Extra = map[string]json.RawMessage{}
			}
			n.Extra[key] = raw
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, &kzrt.DecodeError{Err: err}
	}
	if data != nil { // typed once the module is known, wherever its key was
		d, err := decodeData(n.Module, data)
		if err != nil {
			return nil, kzrt.At("data", err)
		}
		n.Data = d
	}
	return n, nil
}

// openObject reads the "{" that must start the next value of dec.
func openObject(dec *json.Decoder) error {
	tok, err := dec.Token()
	if err != nil {
		return &kzrt.DecodeError{Err: err}
	}
	if d, ok := tok.(json.Delim); ok && d == '{' {
		return nil
	}
	kind := "a " + fmt.Sprintf("%T", tok)
	switch tok.(type) {
	case nil:
		kind = "null"
	case string:
		kind = "string"
	case bool:
		kind = "boolean"
	case json.Number:
		kind = "number"
	case json.Delim:
		kind = "array"
	}
	return &kzrt.DecodeError{Err: fmt.Errorf("got %s, want object", kind)}
}

func decodeData(module string, raw json.RawMessage) (Data, error) {
	newData, ok := moduleData[module]
	if !ok {
		if kzrt.Kind(raw) != '{' {
			return nil, &kzrt.DecodeError{Err: errors.New("data must be an object")}
		}
		return &RawData{Module: module, JSON: raw}, nil
	}
	d := newData()
	if err := d.(json.Unmarshaler).UnmarshalJSON(raw); err != nil {
		// Data of the wrong shape (a string where the schema wants a
		// number…) is kept as it was, and Validate reports it, together
		// with every other problem of the tree.
		return &RawData{Module: module, JSON: raw, Problems: kzrt.AsErrors(err)}, nil
	}
	return d, nil
}

// decodeChildren reads a node's children object from dec.
func decodeChildren(dec *json.Decoder) (map[string]*Node, error) {
	if err := openObject(dec); err != nil {
		return nil, err
	}
	children := map[string]*Node{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, &kzrt.DecodeError{Err: err}
		}
		key, _ := tok.(string)
		child, err := decodeNode(dec)
		if err != nil {
			return nil, kzrt.At(key, err)
		}
		children[key] = child
	}
	if _, err := dec.Token(); err != nil {
		return nil, &kzrt.DecodeError{Err: err}
	}
	return children, nil
}

// Validate checks the whole tree as Kazoo does: each node against
// callflows.action (a module name of 1 to 64 characters, data present)
// and each node's data against its module's schema, at every depth. A
// module without a schema is an error, as in Kazoo. It returns nil or
// kzrt.Errors, each with a JSON pointer such as /children/_/data/text.
func (n *Node) Validate() error {
	var v kzrt.Validator
	n.validate(&v)
	return v.Err()
}

func (n *Node) validate(v *kzrt.Validator) {
	// The node itself, against the generated callflows.action type.
	action := ActionData{Module: &n.Module}
	if n.Data != nil {
		action.Data = dataPresent
	}
	action.validate(v)
	if _, known := moduleData[n.Module]; !known && n.Module != "" {
		v.Push("module")
		v.Reportf("unable to find callflow schema for module %q", n.Module)
		v.Pop()
	}
	if n.Data != nil {
		v.Push("data")
		if _, known := moduleData[n.Module]; known && n.Data.ModuleName() != n.Module {
			v.Reportf("data is for module %q, but the node runs %q", n.Data.ModuleName(), n.Module)
		} else {
			n.Data.validate(v)
		}
		v.Pop()
	}
	if len(n.Children) > 0 {
		v.Push("children")
		for _, k := range kzrt.SortedKeys(n.Children) {
			v.Push(k)
			// Kazoo's schema types children under keys matching ".+"; an
			// empty key is not matched, so it is not checked either.
			switch c := n.Children[k]; {
			case k == "":
			case c == nil:
				v.Report("a child must be a node, not null")
			default:
				c.validate(v)
			}
			v.Pop()
		}
		v.Pop()
	}
}

// dataPresent stands for a node's data when checking the node itself
// against callflows.action: only its presence matters there.
var dataPresent = map[string]json.RawMessage{}

// Walk calls fn for n and every node below it, depth first, children in
// key order, with the JSON pointer of each node.
func (n *Node) Walk(fn func(pointer string, node *Node)) {
	n.walk("", fn)
}

func (n *Node) walk(ptr string, fn func(string, *Node)) {
	fn(ptr, n)
	keys := make([]string, 0, len(n.Children))
	for k := range n.Children {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if c := n.Children[k]; c != nil {
			c.walk(ptr+"/children/"+escapeToken(k), fn)
		}
	}
}

// Modules lists the modules Kazoo has a schema for, sorted.
func Modules() []string {
	return kzrt.SortedKeys(moduleData)
}

// NewData returns empty typed data for a module, or false when Kazoo has
// no schema for it.
func NewData(module string) (Data, bool) {
	newData, ok := moduleData[module]
	if !ok {
		return nil, false
	}
	return newData(), true
}

// RawData is node data kept as the JSON it was: the data of a module
// without a schema (Kazoo rejects the node; Node.Validate says so), or data
// that does not fit its module's Go type, whose problems Parse recorded in
// Problems.
type RawData struct {
	Module string
	JSON   json.RawMessage
	// Problems lists why the data does not fit its module's type, with
	// pointers relative to the data; empty for an unknown module.
	Problems kzrt.Errors
}

// ModuleName returns the node's module.
func (d *RawData) ModuleName() string { return d.Module }

// Validate returns the problems found when the data was parsed, if any.
func (d *RawData) Validate() error {
	if len(d.Problems) == 0 {
		return nil
	}
	return d.Problems
}

// MarshalJSON returns the data as it was read.
func (d *RawData) MarshalJSON() ([]byte, error) {
	var e kzrt.Encoder
	d.encode(&e)
	return e.Bytes()
}

func (d *RawData) encode(e *kzrt.Encoder)     { e.Raw(d.JSON) }
func (d *RawData) validate(v *kzrt.Validator) { v.Merge(d.Problems) }

func escapeToken(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '~':
			out = append(out, '~', '0')
		case '/':
			out = append(out, '~', '1')
		default:
			out = append(out, s[i])
		}
	}
	return string(out)
}

// Tree is what Parse returns: a bare *Node, as a pivot server
// answers, or a stored *Document with its routing fields.
type Tree interface {
	json.Marshaler
	Validate() error
	// Root is the first node of the tree.
	Root() *Node
}

// Parse reads callflow JSON: a bare node ({"module":…}), or a callflow
// document ({"flow":…, "numbers":[…]}). The tree is typed module by module;
// unknown modules and properties are kept, so Parse followed by
// json.Marshal gives back the same JSON value. Parse fails only on JSON
// that is not a callflow at all (not an object, children that are not
// nodes…); data that does not fit its module is kept as RawData, and
// Validate reports it with every other problem.
func Parse(data []byte) (Tree, error) {
	members, err := kzrt.Members(data)
	if err != nil {
		return nil, err
	}
	_, hasFlow := members["flow"]
	_, hasModule := members["module"]
	if hasFlow && !hasModule {
		doc := new(Document)
		if err := doc.UnmarshalJSON(data); err != nil {
			return nil, err
		}
		return doc, nil
	}
	node := new(Node)
	if err := node.UnmarshalJSON(data); err != nil {
		return nil, err
	}
	return node, nil
}

// Document is a stored callflow (the callflows schema): how calls reach it
// (numbers, patterns, feature code…) and its tree in Flow. The embedded
// Callflows holds every other property, typed; its own Flow field is not
// used.
type Document struct {
	Callflows
	// Flow is the first node of the tree.
	Flow *Node
}

// Root returns the first node.
func (d *Document) Root() *Node { return d.Flow }

// MarshalJSON encodes the document, the tree under "flow".
func (d *Document) MarshalJSON() ([]byte, error) {
	var e kzrt.Encoder
	rest := d.Callflows
	rest.Flow = nil
	rest.encode(&e)
	if d.Flow != nil && e.ReopenObject() {
		e.Key("flow")
		d.Flow.encode(&e)
		e.CloseObject()
	}
	return e.Bytes()
}

// UnmarshalJSON decodes a document, typing the tree under "flow".
func (d *Document) UnmarshalJSON(data []byte) error {
	members, err := kzrt.Members(data)
	if err != nil {
		return err
	}
	*d = Document{}
	if raw, ok := members["flow"]; ok {
		d.Flow = new(Node)
		if err := d.Flow.UnmarshalJSON(raw); err != nil {
			return kzrt.At("flow", err)
		}
		delete(members, "flow")
	}
	rest, err := json.Marshal(members)
	if err != nil {
		return fmt.Errorf("re-encoding callflow document: %w", err)
	}
	return d.Callflows.UnmarshalJSON(rest)
}

// Validate checks the document's own properties against the callflows
// schema and the tree under /flow as Node.Validate does.
func (d *Document) Validate() error {
	var v kzrt.Validator
	rest := d.Callflows
	rest.Flow = nil
	rest.validate(&v)
	if d.Flow != nil {
		v.Push("flow")
		d.Flow.validate(&v)
		v.Pop()
	}
	return v.Err()
}

// Ptr returns a pointer to v, for filling optional fields of nested data
// types: RingGroupEndpointsItem{ID: callflow.Ptr("4b1…")}.
func Ptr[T any](v T) *T { return &v }
