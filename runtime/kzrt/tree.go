package kzrt

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// DefaultChild is the key of the branch Kazoo takes when a module asks for
// no particular one, or asks for one the node does not have: "_".
const DefaultChild = "_"

// MaxDepth is the deepest callflow tree kzrt handles, counted in nodes from
// the root (a lone node has depth 1). Parsing, validating, encoding and
// walking a deeper tree is an error at the first node beyond the limit;
// real callflows are a few dozen nodes deep at most.
const MaxDepth = 1000

// MaxNodes is the most nodes kzrt validates, encodes or walks in one tree,
// counting a node once under each of its parents, as the tree's JSON
// repeats it. A tree built in Go can share a subtree under many parents,
// so that a few dozen nodes stand for billions in JSON; past MaxNodes the
// tree is an error at the first node beyond the limit, not an endless
// walk. Real callflows have a few hundred nodes at most.
const MaxNodes = 100_000

// Data is the typed data of one callflow node: *TTSData for module "tts",
// *PivotData for "pivot" and so on in a generated package, or *RawData for
// data kept as JSON. Every generated module data type implements it.
type Data interface {
	// ModuleName is the module this data belongs to.
	ModuleName() string
	// Validate checks the data against the module's schema.
	Validate() error
	json.Marshaler

	// KzrtEncode is an implementation hook, not meant to be called by
	// applications (use MarshalJSON): it appends the data to e as JSON.
	KzrtEncode(e *Encoder)
	// KzrtValidate is an implementation hook, not meant to be called by
	// applications (use Validate): it records every problem of the data
	// in v, at v's current location.
	KzrtValidate(v *Validator)
	// KzrtDecode is an implementation hook, not meant to be called by
	// applications (use the generated package's Parse, or UnmarshalJSON):
	// it reads the data from d, replacing what it held.
	KzrtDecode(d *Decoder)
}

// Builder is anything that yields a callflow node: every generated module
// builder (TTS(…), Pivot(…), Menu(), …) and *Node itself.
type Builder interface {
	Node() *Node
}

// Tree is a callflow as a whole: a bare *Node, as a pivot server answers,
// or a stored callflow document of a generated package, whose tree sits
// under "flow".
type Tree interface {
	json.Marshaler
	// Validate checks the whole tree as Kazoo does.
	Validate() error
	// Root is the first node of the tree.
	Root() *Node

	// KzrtValidate is an implementation hook, not meant to be called by
	// applications (use Validate, or kzrt.Validate for a site's settings):
	// it records every problem of the tree in v.
	KzrtValidate(v *Validator)
}

// Node is one step of a callflow: a module, its data, and the children
// Kazoo may continue with. It is the Go form of Kazoo's callflows.action
// schema, shared by every package kzgen generates, so trees built with two
// such packages compose. Its JSON is exactly what Kazoo runs and what a
// pivot server answers: {"module":"tts","data":{…},"children":{"_":{…}}}.
//
// A tree must not loop: a node that is its own descendant (a menu whose
// child is the menu itself) is reported by Validate, MarshalJSON and Walk,
// never followed. The same node under two parents is fine; it is encoded
// once under each.
type Node struct {
	// Module names the callflow action, e.g. "tts" or "pivot".
	Module string
	// Data holds the module's arguments. Builders, NewNode and Parse always
	// set it. Nil encodes no "data" key, which Kazoo fills in as {} and
	// checks against the module's schema; Validate cannot (kzrt does not
	// know the module's schema) and reports nil Data instead.
	Data Data
	// Children maps branch keys to the next node: DefaultChild ("_"),
	// menu digits, "match"/"nomatch", "sip:486", variable values…
	Children map[string]*Node
	// Extra holds node keys other than module, data and children, kept
	// verbatim so that a round trip loses nothing.
	Extra map[string]json.RawMessage

	// RawChildren holds children that are no callflow node (a string, a
	// node whose module is a number…) under keys Kazoo never validates
	// (see ChildKeyChecked: "" and keys made only of newlines), kept
	// verbatim as Parse found them. Kazoo accepts them, so Validate does
	// too; they are encoded with Children, which win on a shared key.
	RawChildren map[string]json.RawMessage
	// NoModuleKey is set by Parse for a node written without "module":
	// Module is then "", Validate reports the module missing (code
	// "required"), as Kazoo does, and encoding leaves "module" out while
	// Module is still "".
	NoModuleKey bool
	// NoDataKey is set by Parse for a node written without "data". Kazoo
	// fills in data's default, {}, and checks it against the module's
	// schema like any data ({"module":"answer"} is valid,
	// {"module":"pivot"} lacks voice_url), so Parse sets Data to the
	// module's empty data, which Validate checks the same way; encoding
	// leaves "data" out again as long as Data still encodes as {}.
	NoDataKey bool
	// Converted lists the values of Data that Crossbar converts to the
	// type their schema wants before it stores a callflow ("2000" to 2000,
	// 2000.0 to 2000, "true" to true), as Parse read a stored callflow
	// document: Data holds the converted values, and encoding writes them.
	// Pointers are relative to the node (/data/timeout); the conversions
	// are listed in the order the values are written. A Pivot answer is
	// never converted.
	Converted []Conversion
	// Problems are what a builder was given that the node cannot hold (a
	// duration of 1.5 s for a field counted in whole seconds), with
	// pointers relative to the node (/data/timeout). Validate reports
	// them; encoding ignores them.
	Problems Errors
}

// NewNode makes a node of any module from its typed data.
func NewNode(data Data) *Node {
	return &Node{Module: data.ModuleName(), Data: data}
}

// Node returns n, so a *Node can be passed wherever a Builder is expected.
func (n *Node) Node() *Node { return n }

// Root returns n; it makes *Node a Tree.
func (n *Node) Root() *Node { return n }

// SetChild sets the child under key; a nil next removes it.
func (n *Node) SetChild(key string, next Builder) {
	var child *Node
	if next != nil {
		child = next.Node()
	}
	if child == nil {
		delete(n.Children, key)
		return
	}
	if n.Children == nil {
		n.Children = map[string]*Node{}
	}
	n.Children[key] = child
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

// MarshalJSON encodes the node and its subtree. A loop in the tree or a
// tree deeper than MaxDepth is an error naming the JSON pointer, relative
// to n, where it is found.
func (n *Node) MarshalJSON() ([]byte, error) {
	if n == nil {
		return []byte("null"), nil
	}
	e := getEncoder()
	defer putEncoder(e)
	n.KzrtEncode(e)
	out, err := e.Bytes()
	return bytes.Clone(out), err
}

// AppendValidJSON validates the tree under n as Validate does (adjusted
// by opts to a site's settings, as kzrt.Validate is) and, when it is
// valid, appends its encoding (MarshalJSON's) to dst, in one walk of the
// tree: what a pivot server does with every answer, for about the cost of
// encoding alone. It returns dst unchanged with the problems, as Errors,
// when the tree is invalid, or with the encoding's error (a number JSON
// cannot hold). Given a dst with room, it allocates nothing for a valid
// tree; given nil, it encodes into a pooled buffer and returns a copy of
// exactly the JSON's size.
func (n *Node) AppendValidJSON(dst []byte, opts ...Option) ([]byte, error) {
	v := getValidator(opts)
	defer putValidator(v)
	if n == nil {
		n.KzrtValidate(v)
		return dst, v.take()
	}
	e := getEncoder()
	defer putEncoder(e)
	own := e.buf
	if dst != nil {
		e.buf = dst
	}
	var nodes [16]*Node
	var keys [16]string
	var marks [16]int
	encodeValidate(e, v, n, newTrail(nodes[:0], keys[:0], marks[:0]))
	out, err := e.Bytes()
	if dst != nil {
		e.buf = own // dst is the caller's
	}
	if problems := v.take(); problems != nil {
		return dst, problems
	}
	if err != nil {
		return dst, err
	}
	if dst == nil {
		return bytes.Clone(out), nil
	}
	return out, nil
}

// UnmarshalJSON refuses to decode: a node's data is typed by its module,
// and only a generated package knows its modules. Decode callflow JSON
// with that package's Parse, or with its Modules().ParseNode.
func (n *Node) UnmarshalJSON([]byte) error {
	return errors.New("kzrt: a callflow node cannot be decoded without its modules; use the Parse function of the generated package")
}

// KzrtEncode is an implementation hook, not meant to be called by
// applications (use MarshalJSON): it appends the tree under n to e as
// JSON, failing e at a loop or beyond MaxDepth.
func (n *Node) KzrtEncode(e *Encoder) {
	var nodes [16]*Node
	var keys [16]string
	encodeValidate(e, nil, n, newTrail(nodes[:0], keys[:0], nil))
}

// Validate checks the whole tree as Kazoo does: each node against
// callflows.action (a module name of 1 to 64 characters, data present)
// and each node's data against its module's schema, at every depth. It
// returns nil or Errors, each with a JSON pointer such as
// /children/_/data/text.
//
// Validate needs no list of modules: Parse records in the tree what only
// the generated package knew. Data of a module it had no schema for is
// *RawData marked Unknown, reported at /module as Kazoo reports it; data
// that did not fit its module's type is *RawData carrying its Problems.
// A loop, a tree deeper than MaxDepth, a nil child, nil Data and Data of
// another module than the node's are problems too.
func (n *Node) Validate() error {
	v := getValidator(nil)
	defer putValidator(v)
	n.KzrtValidate(v)
	return v.take()
}

// KzrtValidate is an implementation hook, not meant to be called by
// applications (use Validate): it records every problem of the tree under
// n in v, at v's current location.
func (n *Node) KzrtValidate(v *Validator) {
	if n == nil {
		v.Report("", "no callflow node (nil *Node)")
		return
	}
	var nodes [16]*Node
	var keys [16]string
	var marks [16]int
	encodeValidate(nil, v, n, newTrail(nodes[:0], keys[:0], marks[:0]))
}

// Conversions lists the conversions of every node of the tree under n
// (Converted), in Walk's order, with pointers relative to n
// (/children/_/data/timeout).
func (n *Node) Conversions() []Conversion {
	var out []Conversion
	_ = n.Walk(func(pointer string, node *Node) {
		for _, c := range node.Converted {
			c.Pointer = pointer + c.Pointer
			out = append(out, c)
		}
	})
	return out
}

// Walk calls fn for n and every node below it, depth first, children in
// key order, with the JSON pointer of each node relative to n ("" for n
// itself). It does not descend into a child that closes a loop or lies
// deeper than MaxDepth; it returns those as Errors, nil when there are
// none. The same node under two parents is visited under each.
func (n *Node) Walk(fn func(pointer string, node *Node)) error {
	if n == nil {
		return nil
	}
	var nodes [16]*Node
	var keys [16]string
	var errs Errors
	walkTree(n, "", fn, newTrail(nodes[:0], keys[:0], nil), &errs)
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// trail is the way from where a walk started down to the node it is at:
// the nodes, the branch keys between them (keys[i] leads from nodes[i] to
// nodes[i+1]) and, when validating, the validator's path length at each
// node. A child already on the trail closes a loop. Each level of the
// walk gets the trail by value and appends to it, so the arrays behind it
// are shared and a typical tree needs no allocation.
type trail struct {
	nodes []*Node
	keys  []string
	marks []int
	// count is the number of nodes the walk has visited so far, shared by
	// every level; past MaxNodes the walk stops.
	count *int
}

// newTrail starts the trail of a walk on the arrays given.
func newTrail(nodes []*Node, keys []string, marks []int) trail {
	return trail{nodes: nodes, keys: keys, marks: marks, count: new(int)}
}

// full reports whether the walk has visited MaxNodes nodes already, so
// that the next one is beyond the limit.
func (t trail) full() bool { return *t.count >= MaxNodes }

// loop returns the depth on the trail (0 for the first node) of c, or -1.
func (t trail) loop(c *Node) int { return slices.Index(t.nodes, c) }

// tooDeep reports whether a child of the last node would be deeper than
// MaxDepth.
func (t trail) tooDeep() bool { return len(t.nodes) >= MaxDepth }

// pointer renders the JSON pointer of the node at depth d, relative to
// where the walk started, from the keys.
func (t trail) pointer(d int) string {
	var b strings.Builder
	for _, k := range t.keys[:d] {
		b.WriteString("/children/")
		b.WriteString(EscapeToken(k))
	}
	return b.String()
}

// loopMessage says that a child closes a loop back to the node at pointer
// back.
func loopMessage(back string) string {
	if back == "" {
		back = "the root"
	}
	return "loop back to " + back + "; a callflow is a tree, a node cannot be its own descendant"
}

var depthMessage = fmt.Sprintf("the tree is deeper than %d nodes (kzrt.MaxDepth)", MaxDepth)

var sizeMessage = fmt.Sprintf("the tree has more than %d nodes (kzrt.MaxNodes), counting a node once under each of its parents as its JSON does", MaxNodes)

// encodeValidate walks the tree under n once, appending it to e as JSON
// and recording its problems in v; either may be nil, for encoding or
// validating alone. The two follow their own rules on the same walk:
// encoding writes every child, RawChildren included, and fails e at a
// loop or beyond MaxDepth; validation, as Kazoo's, skips the children
// under keys it never checks (ChildKeyChecked) and reports nil children,
// loops and excess depth.
func encodeValidate(e *Encoder, v *Validator, n *Node, t trail) {
	*t.count++
	t.nodes = append(t.nodes, n)
	if v != nil {
		t.marks = append(t.marks, len(v.path))
		validateAction(v, n)
	}
	if e != nil {
		e.OpenObject()
		if !n.NoModuleKey || n.Module != "" {
			e.Key("module")
			e.String(n.Module)
		}
		if n.Data != nil {
			mark := len(e.buf)
			e.Key("data")
			start := len(e.buf)
			n.Data.KzrtEncode(e)
			if n.NoDataKey && string(e.buf[start:]) == "{}" {
				e.buf = e.buf[:mark] // the default Kazoo fills in, not written in the input
			}
		}
	}
	// ce encodes the children, cv validates them; nil when there is
	// nothing to do.
	ce, cv := e, v
	if n.Children == nil && n.RawChildren == nil {
		ce = nil
	}
	if len(n.Children) == 0 {
		cv = nil
	}
	if ce != nil || cv != nil {
		encodeValidateChildren(ce, cv, n, t)
	}
	if e != nil {
		e.Extra(n.Extra)
		e.CloseObject()
	}
}

// encodeValidateChildren is encodeValidate's walk of n's children, under
// "children", for the encoder and validator that have work there. Most
// nodes have one child, "_", which needs no sorting; the keys of the others
// are sorted in a buffer of their own frame (encodeValidateSorted), so that
// the frames of a deep walk stay small: a goroutine whose stack outgrows
// its size, at every level of a tree, copies it to a larger one.
func encodeValidateChildren(e *Encoder, v *Validator, n *Node, t trail) {
	if e != nil {
		e.Key("children")
		e.OpenObject()
	}
	if v != nil {
		v.Push("children")
	}
	if c, ok := n.Children[DefaultChild]; ok && len(n.Children) == 1 && len(n.RawChildren) == 0 {
		encodeValidateChild(e, v, DefaultChild, c, t)
	} else {
		encodeValidateSorted(e, v, n, t)
	}
	if v != nil {
		v.Pop()
	}
	if e != nil {
		e.CloseObject()
	}
}

// encodeValidateSorted walks n's children in key order: the typed and raw
// ones when encoding, the typed ones when only validating.
func encodeValidateSorted(e *Encoder, v *Validator, n *Node, t trail) {
	var buf [16]string // room for a menu's keys
	var keys []string
	if e != nil {
		keys = childKeys(buf[:0], n)
	} else {
		keys = sortedKeys(buf[:0], n.Children)
	}
	for _, k := range keys {
		c, typed := n.Children[k]
		if !typed { // only when encoding: keys holds raw ones then
			e.Key(k)
			e.Raw(n.RawChildren[k])
			continue
		}
		encodeValidateChild(e, v, k, c, t)
	}
}

// encodeValidateChild writes the typed child c under key k and validates
// it, unless Kazoo never checks that key; t is the parent's trail. A nil
// child, a loop, excess depth or size is reported here, and the walk does
// not descend.
func encodeValidateChild(e *Encoder, v *Validator, k string, c *Node, t trail) {
	if e != nil {
		e.Key(k)
	}
	if v != nil && !ChildKeyChecked(k) {
		v = nil // Kazoo never checks this child
	}
	if e == nil && v == nil {
		return
	}
	if v != nil {
		v.Push(k)
	}
	if c != nil && !t.tooDeep() && !t.full() && t.loop(c) < 0 {
		down := t
		down.keys = append(down.keys, k)
		encodeValidate(e, v, c, down)
	} else {
		badChild(e, v, k, c, &t)
	}
	if v != nil {
		v.Pop()
	}
}

// badChild reports the child c under key k that the walk does not descend
// into: nil, closing a loop, deeper than MaxDepth or beyond MaxNodes. t is
// the parent's trail.
func badChild(e *Encoder, v *Validator, k string, c *Node, t *trail) {
	if c == nil {
		if v != nil {
			v.Report(CodeType, "a child must be a node, not null")
		}
		if e != nil {
			e.Null()
		}
		return
	}
	// What the validator reports, and what encoding fails with.
	var report, fail string
	switch d := t.loop(c); {
	case d >= 0:
		if v != nil {
			report = loopMessage(v.pointerTo(t.marks[d]))
		}
		fail = loopMessage(t.pointer(d))
	case t.tooDeep():
		report, fail = depthMessage, depthMessage
	case *t.count == MaxNodes: // beyond MaxNodes: reported once, at the first node
		*t.count++
		report, fail = sizeMessage, sizeMessage
	}
	if v != nil && report != "" {
		v.Report("", report)
	}
	if e != nil {
		if fail != "" {
			down := *t
			down.keys = append(down.keys, k)
			e.Fail(fmt.Errorf("kzrt: encoding callflow: %s: %s", down.pointer(len(down.keys)), fail))
		}
		e.Null()
	}
}

// validateAction checks one node, without its children, against Kazoo's
// callflows.action schema, and its data against its module's schema.
func validateAction(v *Validator, n *Node) {
	if len(n.Problems) > 0 {
		v.Merge(n.Problems)
	}
	v.Push("module")
	if n.NoModuleKey && n.Module == "" {
		// Kazoo has no module to check the data against either.
		if _, wrapped := n.Extra["flow"]; wrapped {
			v.Report(CodeRequired, `required property is missing: this is a stored callflow document ({"flow": …}); a Pivot answer is the bare node`)
		} else {
			v.Report(CodeRequired, "required property is missing")
		}
		v.Pop()
		return
	}
	v.Length(n.Module, 1, 64)
	if raw, ok := n.Data.(*RawData); ok && raw.Unknown {
		if raw.NotAModule {
			v.Reportf(CodeError, "%q names the schema callflows.%s, which is no callflow module: "+
				"Kazoo's schema check accepts it, but the call fails when it runs", n.Module, n.Module)
		} else {
			v.Reportf(CodeError, "unable to find callflow schema for module %q", n.Module)
		}
	}
	v.Pop()
	v.Push("data")
	switch {
	case n.Data == nil:
		v.Report("", "Node.Data is nil: set the module's data, its empty data at least (Kazoo fills in {} and checks it against the module's schema)")
	case n.Data.ModuleName() != n.Module:
		v.Reportf("", "data is for module %q, but the node runs %q", n.Data.ModuleName(), n.Module)
	default:
		n.Data.KzrtValidate(v)
	}
	v.Pop()
}

// ChildKeyChecked reports whether Kazoo validates the child under key.
// callflows.action types children by "patternProperties" ".+", and PCRE's
// "." matches any character but a newline, so a key with at least one
// other character is checked; "" and keys made only of newlines are not,
// and whatever stands under them passes.
func ChildKeyChecked(key string) bool {
	return strings.ContainsFunc(key, func(r rune) bool { return r != '\n' })
}

// childKeys appends the keys of n's children, typed and raw, to buf,
// sorted and without repeats.
func childKeys(buf []string, n *Node) []string {
	buf = sortedKeys(buf, n.Children)
	if len(n.RawChildren) == 0 {
		return buf
	}
	for k := range n.RawChildren {
		if _, typed := n.Children[k]; !typed {
			buf = append(buf, k)
		}
	}
	slices.Sort(buf)
	return buf
}

// walkTree calls fn for the tree under n, at pointer ptr.
func walkTree(n *Node, ptr string, fn func(string, *Node), t trail, errs *Errors) {
	*t.count++
	t.nodes = append(t.nodes, n)
	fn(ptr, n)
	var buf [8]string
	for _, k := range sortedKeys(buf[:0], n.Children) {
		c := n.Children[k]
		if c == nil {
			continue
		}
		childPtr := ptr + "/children/" + EscapeToken(k)
		switch d := t.loop(c); {
		case d >= 0:
			*errs = append(*errs, Error{Pointer: childPtr, Message: loopMessage(t.pointer(d))})
		case t.tooDeep():
			*errs = append(*errs, Error{Pointer: childPtr, Message: depthMessage})
		case t.full():
			if *t.count == MaxNodes { // reported once
				*t.count++
				*errs = append(*errs, Error{Pointer: childPtr, Message: sizeMessage})
			}
		default:
			down := t
			down.keys = append(down.keys, k)
			walkTree(c, childPtr, fn, down, errs)
		}
	}
}

// sortedKeys appends the keys of m to buf, sorted; with a buf of enough
// capacity it does not allocate.
func sortedKeys[V any](buf []string, m map[string]V) []string {
	if len(m) == 1 { // most nodes: a lookup costs less than an iterator
		if _, ok := m[DefaultChild]; ok {
			return append(buf, DefaultChild)
		}
	}
	for k := range m {
		buf = append(buf, k)
	}
	slices.Sort(buf)
	return buf
}

// RawData is node data kept as the JSON it was. Parse makes it for the
// data of a module the generated package has no schema for (Unknown is
// set; Validate reports the node as Kazoo does), and for data that does
// not fit its module's type (Problems lists why). A RawData built by hand
// is sent as it is: Validate only checks that JSON is an object, so it
// suits a module kzgen does not know but the Kazoo server does.
type RawData struct {
	// Module is the module the data belongs to.
	Module string
	// JSON is the data, an object.
	JSON json.RawMessage
	// Problems lists why the data does not fit its module's type, with
	// pointers relative to the data; empty for an unknown module.
	Problems Errors
	// Unknown is set when no schema is known for Module.
	Unknown bool
	// NotAModule is set with Unknown when the package has a schema
	// callflows.<Module> that is no callflow module: the node schema
	// ("action") or an item schema ("audio_macro.prompt"). Kazoo's schema
	// check accepts such a module, but the call fails when it runs;
	// Validate reports it, saying so.
	NotAModule bool
}

// ModuleName returns the node's module.
func (d *RawData) ModuleName() string { return d.Module }

// Validate returns the problems found when the data was parsed, if any.
func (d *RawData) Validate() error {
	var v Validator
	d.KzrtValidate(&v)
	return v.Err()
}

// MarshalJSON returns the data as it was read.
func (d *RawData) MarshalJSON() ([]byte, error) {
	var e Encoder
	d.KzrtEncode(&e)
	return e.Bytes()
}

// KzrtEncode is an implementation hook, not meant to be called by
// applications (use MarshalJSON): it appends the data to e.
func (d *RawData) KzrtEncode(e *Encoder) { e.Raw(d.JSON) }

// KzrtDecode is an implementation hook, not meant to be called by
// applications: it keeps the next JSON value of dec as the data's JSON,
// leaving Module as it is and clearing Problems and Unknown.
func (d *RawData) KzrtDecode(dec *Decoder) {
	*d = RawData{Module: d.Module, JSON: dec.Raw()}
}

// KzrtValidate is an implementation hook, not meant to be called by
// applications (use Validate): it records the data's problems in v.
func (d *RawData) KzrtValidate(v *Validator) {
	if len(d.Problems) > 0 {
		v.Merge(d.Problems)
		return
	}
	if k := Kind(d.JSON); k != '{' {
		v.Reportf(CodeType, "got %s, want object", kindName(k))
	}
}
