package kzrt

import "encoding/json"

// This file reads callflow trees: ParseNode, ParseTree and the Decoder's
// Node, all in one pass over the JSON.

// ParseNode reads one callflow node ({"module":…,"data":…,"children":…})
// and its subtree as Kazoo reads a Pivot answer, typing each node's data
// by its module. Unknown modules and properties are kept, so encoding the
// tree gives back the same JSON value.
//
// It fails only on JSON that is not a callflow tree at all: malformed
// JSON, a node or children that are not objects, a module that is not a
// string, a tree deeper than MaxDepth; the error is a *DecodeError naming
// the JSON pointer, with Kazoo's error code (AsErrors keeps it).
// Everything else is recorded in the tree for Validate to report with
// every other problem: the data of a module without a schema becomes
// *RawData marked Unknown, data that does not fit its module's type
// *RawData with its Problems, a node without "module" or "data" is marked
// NoModuleKey or NoDataKey (its Data is then the module's empty data,
// which Kazoo fills in and checks), and a child under a key Kazoo never
// checks (ChildKeyChecked) that is no node is kept in RawChildren.
//
// A key written twice in one object keeps its first copy, as Kazoo reads
// it (see Duplicate). The tree is read in one pass: each node's data is
// decoded as it is met, straight into its module's type, or, when the
// data comes before the node's "module", once the module is known.
func (m *Modules) ParseNode(data []byte) (*Node, error) {
	return m.ParseNodeWith(data, DecodeOptions{})
}

// ParseNodeWith is ParseNode with options: DecodeOptions.OnDuplicate
// hears of every key written twice.
func (m *Modules) ParseNodeWith(data []byte, opts DecodeOptions) (*Node, error) {
	t, err := m.ParseTree(data, opts, nil)
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
// method, which reads the flow with Decoder.Node.
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
		return flow && n.NoModuleKey
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

// Node reads a callflow node and its subtree for the generated decode
// methods of types that hold nodes: a stored callflow document's "flow".
// It reads as ParseNode does, with what Crossbar adds when it stores a
// callflow: node data of the wrong JSON type is converted as Crossbar
// converts it ("2000" to 2000 where an integer is wanted, 2000.0 to 2000,
// "true" to true), each conversion recorded in its node (Node.Converted).
// The decoder must come from Modules (Modules.Unmarshal).
func (d *Decoder) Node() *Node {
	if d.err == nil && d.modules == nil {
		d.Fail("a callflow node cannot be decoded without its modules; use the Parse function of the generated package")
		return nil
	}
	stored := d.stored
	d.stored = true
	n := d.node()
	d.stored = stored
	return n
}

// node reads one node and its subtree.
func (d *Decoder) node() *Node {
	if !d.OpenObject() {
		return nil
	}
	d.nodeDepth++
	n := &Node{NoModuleKey: true, NoDataKey: true}
	// dataStart and dataKey locate data that came before the module.
	dataStart, dataKey := -1, 0
	for d.NextMember() {
		switch string(d.Key()) {
		case "module":
			n.Module = d.moduleName()
			n.NoModuleKey = false
		case "data":
			n.NoDataKey = false
			if !n.NoModuleKey {
				n.Data, n.Converted = d.nodeData(n.Module)
				break
			}
			dataKey = d.frames[len(d.frames)-1].key
			dataStart, _ = d.span()
		case "children":
			d.children(n)
		default:
			d.Extra(&n.Extra)
		}
	}
	switch {
	case d.err != nil:
	case dataStart >= 0:
		// Typed now that the module is known: the decoder goes back to
		// the data, as if it were still at the node's "data" member.
		end := d.pos
		d.frames = append(d.frames, frame{key: dataKey})
		d.pos = dataStart
		n.Data, n.Converted = d.nodeData(n.Module)
		d.frames = d.frames[:len(d.frames)-1]
		if d.err == nil {
			d.pos = end
		}
	case n.NoDataKey:
		// Kazoo fills in data's default, {}, and checks it like any data.
		n.Data = d.emptyData(n.Module)
	}
	d.nodeDepth--
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

// emptyData is a module's data when the node has none: the module's empty
// data, as decoding {} gives it.
func (d *Decoder) emptyData(module string) Data {
	if data, known := d.modules.NewData(module); known {
		return data
	}
	return &RawData{Module: module, JSON: []byte("{}"), Unknown: true, NotAModule: d.modules.nonModules[module]}
}

// nodeData reads a node's data, typed by its module, and, in a stored
// callflow, the conversions Crossbar makes in it. The data of a module
// without a schema must be an object; it is kept as RawData marked
// Unknown. Data that does not fit its module's type is kept as RawData
// with the problem (located relative to the data), so that Validate
// reports it with every other problem of the tree.
func (d *Decoder) nodeData(module string) (Data, []Conversion) {
	data, known := d.modules.NewData(module)
	if !known {
		if d.Kind() != '{' {
			d.Unexpected("object")
			return nil, nil
		}
		return &RawData{Module: module, JSON: d.Raw(), Unknown: true, NotAModule: d.modules.nonModules[module]}, nil
	}
	start := d.mark()
	base, convert := d.base, d.convert
	d.base, d.convert = len(d.frames), d.stored
	data.KzrtDecode(d)
	d.base, d.convert = base, convert
	if d.err == nil || d.fatal {
		var converted []Conversion
		if len(d.conversions) > start.conversions {
			converted = append(converted, d.conversions[start.conversions:]...)
			clear(d.conversions[start.conversions:])
			d.conversions = d.conversions[:start.conversions]
		}
		return data, converted
	}
	problems := AsErrors(d.err)
	d.reset(start)
	raw := d.Raw() // well-formed JSON, at least
	return &RawData{Module: module, JSON: raw, Problems: problems}, nil
}

// children reads a node's children object into n. A child under a key
// Kazoo never checks (ChildKeyChecked) that is no node, or that would lie
// deeper than MaxDepth, is kept verbatim in n.RawChildren.
func (d *Decoder) children(n *Node) {
	if !d.OpenObject() {
		return
	}
	n.Children = map[string]*Node{}
	for d.NextMember() {
		key := string(d.Key())
		if ChildKeyChecked(key) {
			if d.nodeDepth >= MaxDepth {
				d.fail("", depthMessage)
				return
			}
			n.Children[key] = d.node()
			continue
		}
		if d.nodeDepth < MaxDepth && d.Kind() == '{' {
			start := d.mark()
			if child := d.node(); d.err == nil {
				n.Children[key] = child
				continue
			} else if d.fatal {
				return
			}
			d.reset(start)
		}
		if raw := d.Raw(); raw != nil {
			if n.RawChildren == nil {
				n.RawChildren = map[string]json.RawMessage{}
			}
			n.RawChildren[key] = raw
		}
	}
}
