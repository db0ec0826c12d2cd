package kzrt

// This file reads callflow trees: ParseNode, ParseTree and the Decoder's
// Node, all in one pass over the JSON.

// ParseNode reads one callflow node ({"module":…,"data":…,"children":…})
// and its subtree, typing each node's data by its module. Unknown modules
// and properties are kept, so encoding the tree gives back the same JSON
// value.
//
// It fails only on JSON that is not a callflow tree at all: malformed
// JSON, a node or children that are not objects, a module that is not a
// string, a tree deeper than MaxDepth; the error is a *DecodeError naming
// the JSON pointer. Everything else is recorded in the tree for Validate
// to report with every other problem: the data of a module without a
// schema becomes *RawData marked Unknown, data that does not fit its
// module's type *RawData with its Problems.
//
// A key written twice in one object keeps its first copy, as Kazoo reads
// it (see Duplicate). The tree is read in one pass: each node's data is
// decoded as it is met, straight into its module's type, or, when the
// data comes before the node's "module", once the module is known.
func (m *Modules) ParseNode(data []byte) (*Node, error) {
	t, err := m.ParseTree(data, DecodeOptions{}, nil)
	if err != nil {
		return nil, err
	}
	return t.(*Node), nil
}

// ParseTree reads callflow JSON as ParseNode does, with options: a bare
// node, or, when document is not nil and the JSON is a stored callflow
// document (an object with "flow" and no "module", see IsDocument), the
// Tree that document decodes from it. Generated packages call it from
// their Parse and ParseWith functions, with their document type's decode
// method.
//
// The JSON is read as a node first (Pivot answers are nodes); only a
// document is read a second time.
func (m *Modules) ParseTree(data []byte, opts DecodeOptions, document func(*Decoder) Tree) (Tree, error) {
	d := newDecoder(data, m, opts)
	defer d.release()
	start := d.mark()
	n := d.node()
	if document != nil && d.isDocument(n) {
		d.reset(start)
		t := document(d)
		if err := d.finish(); err != nil {
			return nil, err
		}
		return t, nil
	}
	if err := d.finish(); err != nil {
		return nil, err
	}
	return n, nil
}

// isDocument reports whether the root just read as node n is a stored
// callflow document: a "flow" and no "module". When reading failed, only
// the object's keys are looked at.
func (d *Decoder) isDocument(n *Node) bool {
	if d.err == nil {
		_, flow := n.Extra["flow"]
		return flow && !d.rootHasModule
	}
	isDoc, err := IsDocument(d.data)
	return err == nil && isDoc
}

// IsDocument reports whether data, a JSON object, is a stored callflow
// document ({"flow":…,"numbers":[…]}) rather than a bare node: it has a
// "flow" member and no "module". Only the object's keys are read; anything
// but an object is a *DecodeError.
func IsDocument(data []byte) (bool, error) {
	var flow, module bool
	err := Unmarshal(data, func(d *Decoder) {
		if !d.OpenObject() {
			return
		}
		for d.NextMember() {
			switch string(d.Key()) {
			case "flow":
				flow = true
			case "module":
				module = true
			}
			d.Skip()
		}
	})
	if err != nil {
		return false, err
	}
	return flow && !module, nil
}

// Node reads a callflow node and its subtree, as ParseNode does: for the
// generated decode methods of types that hold nodes (a stored callflow's
// "flow"). The decoder must come from Modules (Modules.Unmarshal).
func (d *Decoder) Node() *Node {
	if d.err == nil && d.modules == nil {
		d.Fail("a callflow node cannot be decoded without its modules; use the Parse function of the generated package")
		return nil
	}
	return d.node()
}

// node reads one node and its subtree.
func (d *Decoder) node() *Node {
	if !d.OpenObject() {
		return nil
	}
	d.nodeDepth++
	n := &Node{}
	hasModule := false
	// dataStart and dataKey locate data that came before the module.
	dataStart, dataKey := -1, 0
	for d.NextMember() {
		switch string(d.Key()) {
		case "module":
			n.Module = d.moduleName()
			hasModule = true
		case "data":
			if hasModule {
				n.Data = d.nodeData(n.Module)
				break
			}
			dataKey = d.frames[len(d.frames)-1].key
			dataStart, _ = d.span()
		case "children":
			n.Children = d.children()
		default:
			d.Extra(&n.Extra)
		}
	}
	if dataStart >= 0 && d.err == nil {
		// Typed now that the module is known: the decoder goes back to
		// the data, as if it were still at the node's "data" member.
		end := d.pos
		d.frames = append(d.frames, frame{key: dataKey})
		d.pos = dataStart
		n.Data = d.nodeData(n.Module)
		d.frames = d.frames[:len(d.frames)-1]
		if d.err == nil {
			d.pos = end
		}
	}
	d.nodeDepth--
	if d.nodeDepth == 0 {
		d.rootHasModule = hasModule
	}
	return n
}

// moduleName reads a node's module, sharing the registry's copy of a known
// name rather than allocating one.
func (d *Decoder) moduleName() string {
	i := d.next('"', "string")
	if i < 0 {
		return ""
	}
	if end, flags, _, _ := scanString(d.data, i); end > 0 && flags == 0 {
		if t, ok := d.modules.types[string(d.data[i+1:end-1])]; ok {
			d.pos = end
			return t.name
		}
	}
	return d.String()
}

// nodeData reads a node's data, typed by its module. The data of a module
// without a schema must be an object; it is kept as RawData marked
// Unknown. Data that does not fit its module's type is kept as RawData
// with the problem (located relative to the data), so that Validate
// reports it with every other problem of the tree.
func (d *Decoder) nodeData(module string) Data {
	data, known := d.modules.NewData(module)
	if !known {
		if d.Kind() != '{' {
			d.Unexpected("object")
			return nil
		}
		return &RawData{Module: module, JSON: d.Raw(), Unknown: true}
	}
	start := d.mark()
	base := d.base
	d.base = len(d.frames)
	data.KzrtDecode(d)
	d.base = base
	if d.err == nil || d.fatal {
		return data
	}
	problems := Errors{{Pointer: d.err.Pointer, Message: d.err.Err.Error()}}
	d.reset(start)
	raw := d.Raw() // well-formed JSON, at least
	return &RawData{Module: module, JSON: raw, Problems: problems}
}

// children reads a node's children object.
func (d *Decoder) children() map[string]*Node {
	if !d.OpenObject() {
		return nil
	}
	children := map[string]*Node{}
	for d.NextMember() {
		if d.nodeDepth >= MaxDepth {
			d.Fail(depthMessage)
			return nil
		}
		key := string(d.Key())
		children[key] = d.node()
	}
	return children
}
