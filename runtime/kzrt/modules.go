package kzrt

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// Modules is the set of callflow modules a generated package has a schema
// for, each with its data type. A generated package builds one with
// NewModules and returns it from its Modules function; it types callflow
// JSON node by node (ParseNode), and answers which modules exist.
type Modules struct {
	types map[string]reflect.Type // module name → data struct type
	names []string                // sorted
	// nonModules are the names of the package's schemas callflows.<name>
	// that are no callflow module.
	nonModules map[string]bool
	// stored is set on the view that reads stored callflow documents:
	// node data is converted as Crossbar converts it (convertData).
	stored bool
}

// NewModules lists the modules whose data types the prototypes are, one
// empty value of each (new(TTSData), new(PivotData), …), named by their
// ModuleName. It panics on a prototype that is not a non-nil pointer to a
// struct or on two prototypes of the same module: both are mistakes in
// the generated code, not in a user's input.
func NewModules(prototypes ...Data) *Modules {
	m := &Modules{types: make(map[string]reflect.Type, len(prototypes))}
	for _, p := range prototypes {
		t := reflect.TypeOf(p)
		if t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct || reflect.ValueOf(p).IsNil() {
			panic(fmt.Sprintf("kzrt.NewModules: prototype %T is not a non-nil pointer to a struct", p))
		}
		name := p.ModuleName()
		if _, dup := m.types[name]; dup {
			panic(fmt.Sprintf("kzrt.NewModules: module %q listed twice", name))
		}
		m.types[name] = t.Elem()
	}
	m.names = slices.Sorted(maps.Keys(m.types))
	return m
}

// NonModules records the names under which the package has a schema
// callflows.<name> that is no callflow module: the node schema ("action")
// and item schemas ("audio_macro.prompt"). Kazoo's schema check accepts
// such a module name, since the schema exists, but the call fails when it
// runs; Parse marks their data NotAModule, so that Validate says so. It
// returns m, for a generated package's declaration.
func (m *Modules) NonModules(names ...string) *Modules {
	if m.nonModules == nil {
		m.nonModules = make(map[string]bool, len(names))
	}
	for _, n := range names {
		m.nonModules[n] = true
	}
	return m
}

// Names lists the modules, sorted.
func (m *Modules) Names() []string { return slices.Clone(m.names) }

// Has reports whether module is one of the modules.
func (m *Modules) Has(module string) bool {
	_, ok := m.types[module]
	return ok
}

// NewData returns empty typed data for a module, or false when the
// package has no schema for it.
func (m *Modules) NewData(module string) (Data, bool) {
	t, ok := m.types[module]
	if !ok {
		return nil, false
	}
	return reflect.New(t).Interface().(Data), true
}

// ParseNode reads one callflow node ({"module":…,"data":…,"children":…})
// and its subtree, typing each node's data by its module. Unknown modules
// and properties are kept, so encoding the tree gives back the same JSON
// value.
//
// It fails only on JSON that is not a callflow tree at all: invalid JSON,
// a node or children that are not objects, a module that is not a string,
// a tree deeper than MaxDepth; the error is a *DecodeError naming the JSON
// pointer (AsErrors gives it Kazoo's code). Everything else is recorded in
// the tree for Validate to report with every other problem: the data of a
// module without a schema becomes *RawData marked Unknown, data that does
// not fit its module's type *RawData with its Problems, a node without
// "module" or "data" is marked NoModuleKey or NoDataKey (its Data is then
// the module's empty data, which Kazoo fills in and checks), and a child
// under a key Kazoo never checks (ChildKeyChecked) that is no node is kept
// in RawChildren.
//
// The tree is read in one pass over a single token stream, so the cost
// grows with the size of the JSON, not with its size times its depth.
func (m *Modules) ParseNode(data []byte) (*Node, error) {
	if !json.Valid(data) {
		_, err := Members(data) // for encoding/json's syntax error
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	p := nodeParser{dec: dec, modules: m}
	return p.node()
}

// IsDocument reports whether data, a JSON object, is a stored callflow
// document ({"flow":…,"numbers":[…]}) rather than a bare node: it has a
// "flow" member and no "module". Anything but an object is a *DecodeError.
func IsDocument(data []byte) (bool, error) {
	members, err := Members(data)
	if err != nil {
		return false, err
	}
	_, hasFlow := members["flow"]
	_, hasModule := members["module"]
	return hasFlow && !hasModule, nil
}

// DecodeObject is the package-level DecodeObject for structs that hold
// callflow nodes: the stored callflow document, whose tree is its "flow".
// The nodes are read by ParseNode, typed by these modules, and their data
// as Crossbar stores it: data that does not fit its module's type is
// converted as Crossbar converts it before it stores a callflow ("2000"
// to 2000 where an integer is wanted, 2000.0 to 2000, "true" to true), and
// each conversion is recorded in the node (Node.Converted). A Pivot answer
// (ParseNode) gets no conversion, as in Kazoo.
func (m *Modules) DecodeObject(data []byte, dst any, extra *map[string]json.RawMessage) error {
	return decodeObject(data, dst, extra, m.storedView())
}

// Decode is the package-level Decode for values that are or hold callflow
// nodes of a stored callflow document, read as DecodeObject reads them.
func (m *Modules) Decode(data json.RawMessage, dst any) error {
	return decodeValue(data, reflect.ValueOf(dst).Elem(), m.storedView())
}

// storedView is m reading stored callflow documents.
func (m *Modules) storedView() *Modules {
	view := *m
	view.stored = true
	return &view
}

// nodeParser reads a callflow tree from a token stream of valid JSON.
type nodeParser struct {
	dec     *json.Decoder
	modules *Modules
	// path holds the JSON pointer tokens of the value being read.
	path []string
}

// fail returns a *DecodeError at the current location, below it by
// relative when that is a DecodeError too.
func (p *nodeParser) fail(err error) error {
	var b strings.Builder
	for _, t := range p.path {
		b.WriteByte('/')
		b.WriteString(EscapeToken(t))
	}
	var de *DecodeError
	if errors.As(err, &de) {
		return &DecodeError{Pointer: b.String() + de.Pointer, Err: de.Err}
	}
	return &DecodeError{Pointer: b.String(), Err: simplify(err)}
}

func (p *nodeParser) push(token string) { p.path = append(p.path, token) }
func (p *nodeParser) pop()              { p.path = p.path[:len(p.path)-1] }

// node reads one node and its subtree.
func (p *nodeParser) node() (*Node, error) {
	if err := p.openObject(); err != nil {
		return nil, err
	}
	n := &Node{NoModuleKey: true}
	var data json.RawMessage
	for p.dec.More() {
		tok, err := p.dec.Token()
		if err != nil {
			return nil, p.fail(err)
		}
		key, _ := tok.(string)
		p.push(key)
		if key == "children" {
			if err := p.children(n); err != nil {
				return nil, err
			}
			p.pop()
			continue
		}
		var raw json.RawMessage
		if err := p.dec.Decode(&raw); err != nil {
			return nil, p.fail(err)
		}
		switch key {
		case "module":
			if err := Decode(raw, &n.Module); err != nil {
				return nil, p.fail(err)
			}
			n.NoModuleKey = false
		case "data":
			data = raw
		default:
			if n.Extra == nil {
				n.Extra = map[string]json.RawMessage{}
			}
			n.Extra[key] = raw
		}
		p.pop()
	}
	if _, err := p.dec.Token(); err != nil { // the closing brace
		return nil, p.fail(err)
	}
	if data == nil {
		// Kazoo fills in data's default, {}, and checks it like any data.
		n.NoDataKey = true
		data = json.RawMessage("{}")
	}
	// Typed once the module is known, wherever its key was.
	p.push("data")
	d, converted, err := p.data(n.Module, data)
	if err != nil {
		return nil, p.fail(err)
	}
	p.pop()
	n.Data, n.Converted = d, converted
	return n, nil
}

// data types a node's data by its module; in a stored callflow, with the
// conversions Crossbar makes, which it returns with their pointers
// relative to the node.
func (p *nodeParser) data(module string, raw json.RawMessage) (Data, []Conversion, error) {
	d, known := p.modules.NewData(module)
	if !known {
		if k := Kind(raw); k != '{' {
			return nil, nil, fmt.Errorf("got %s, want object", kindName(k))
		}
		return &RawData{Module: module, JSON: raw, Unknown: true, NotAModule: p.modules.nonModules[module]}, nil, nil
	}
	err := unmarshalData(d, raw)
	if err == nil {
		return d, nil, nil
	}
	if p.modules.stored {
		converted, conv, lastErr := p.modules.convertData(module, raw, err)
		if lastErr == nil {
			for i := range conv {
				conv[i].Pointer = "/data" + conv[i].Pointer
			}
			return converted, conv, nil
		}
		err = lastErr
	}
	// Data of the wrong shape (a string where the schema wants a
	// number…) is kept as it was, and Validate reports it, together with
	// every other problem of the tree.
	return &RawData{Module: module, JSON: raw, Problems: AsErrors(err)}, nil, nil
}

// children reads a node's children object into n.
func (p *nodeParser) children(n *Node) error {
	if err := p.openObject(); err != nil {
		return err
	}
	// The path holds "children" once per level below the root, plus the
	// key being read.
	depth := (len(p.path)+1)/2 + 1
	n.Children = map[string]*Node{}
	for p.dec.More() {
		tok, err := p.dec.Token()
		if err != nil {
			return p.fail(err)
		}
		key, _ := tok.(string)
		p.push(key)
		if !ChildKeyChecked(key) {
			if err := p.uncheckedChild(n, key, depth <= MaxDepth); err != nil {
				return err
			}
			p.pop()
			continue
		}
		if depth > MaxDepth {
			return p.fail(errTooDeep)
		}
		child, err := p.node()
		if err != nil {
			return err
		}
		n.Children[key] = child
		p.pop()
	}
	if _, err := p.dec.Token(); err != nil {
		return p.fail(err)
	}
	return nil
}

// uncheckedChild reads the child under a key Kazoo never checks: as a
// node when it is one (and the tree may still grow), else kept verbatim in
// n.RawChildren.
func (p *nodeParser) uncheckedChild(n *Node, key string, mayGrow bool) error {
	var raw json.RawMessage
	if err := p.dec.Decode(&raw); err != nil {
		return p.fail(err)
	}
	if mayGrow {
		// Read from where the tree is, so that MaxDepth counts from its root.
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		sub := nodeParser{dec: dec, modules: p.modules, path: slices.Clone(p.path)}
		if child, err := sub.node(); err == nil {
			n.Children[key] = child
			return nil
		}
	}
	if n.RawChildren == nil {
		n.RawChildren = map[string]json.RawMessage{}
	}
	n.RawChildren[key] = raw
	return nil
}

// openObject reads the "{" that must start the next value.
func (p *nodeParser) openObject() error {
	tok, err := p.dec.Token()
	if err != nil {
		return p.fail(err)
	}
	if d, ok := tok.(json.Delim); ok && d == '{' {
		return nil
	}
	kind := "array"
	switch tok.(type) {
	case nil:
		kind = "null"
	case string:
		kind = "string"
	case bool:
		kind = "boolean"
	case json.Number:
		kind = "number"
	}
	return p.fail(fmt.Errorf("got %s, want object", kind))
}
