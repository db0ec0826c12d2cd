package wire

import (
	"strconv"
)

// maxDepth bounds how deeply objects and lists may nest, in JSON bodies and in
// bracketed form keys. Kazoo's own parameters nest a level or two; the bound
// keeps hostile input from driving deep recursion.
const maxDepth = 64

// Kind says what a Value holds.
type Kind uint8

// The kinds of Value, one per JSON type.
const (
	KindNull Kind = iota
	KindString
	KindNumber
	KindBool
	KindList
	KindObject
)

// String returns the kind's lower-case name, e.g. "object".
func (k Kind) String() string {
	switch k {
	case KindNull:
		return "null"
	case KindString:
		return "string"
	case KindNumber:
		return "number"
	case KindBool:
		return "bool"
	case KindList:
		return "list"
	case KindObject:
		return "object"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is one parameter value as Kazoo's kz_json holds it: a string, a
// number, a boolean, a list or an object. The zero Value is JSON null.
type Value struct {
	kind Kind
	text string     // string value, number literal, or "true"/"false"
	comp *composite // KindList and KindObject; nil for the others
}

// composite holds a list's items or an object's members. Keeping them
// behind one pointer keeps Value, and so every Param, small: most values
// Kazoo sends are strings.
type composite struct {
	list []Value // KindList
	obj  Params  // KindObject
}

// String returns a string Value.
func String(s string) Value { return Value{kind: KindString, text: s} }

// Number returns a number Value holding the JSON number literal text, e.g.
// "12" or "1.5". EncodeJSON writes a text that is not a valid JSON number as
// a string instead.
func Number(text string) Value { return Value{kind: KindNumber, text: text} }

// Bool returns a boolean Value.
func Bool(b bool) Value {
	if b {
		return Value{kind: KindBool, text: "true"}
	}
	return Value{kind: KindBool, text: "false"}
}

// List returns a list Value holding items.
func List(items ...Value) Value { return Value{kind: KindList, comp: &composite{list: items}} }

// Strings returns a list Value holding one string Value per item.
func Strings(items ...string) Value {
	list := make([]Value, len(items))
	for i, s := range items {
		list[i] = String(s)
	}
	return List(list...)
}

// Object returns an object Value with the members p, in p's order.
func Object(p Params) Value { return Value{kind: KindObject, comp: &composite{obj: p}} }

// Kind reports what v holds.
func (v Value) Kind() Kind { return v.kind }

// Text returns v as one string: a string as it is, a number as its literal,
// a boolean as "true" or "false", null as "", and a list or object as its
// compact JSON text.
func (v Value) Text() string {
	switch v.kind {
	case KindNull:
		return ""
	case KindList, KindObject:
		return string(appendJSONValue(nil, v))
	}
	return v.text
}

// Items returns the items of a list Value, or nil for any other kind.
func (v Value) Items() []Value {
	if v.kind != KindList || v.comp == nil {
		return nil
	}
	return v.comp.list
}

// Members returns the members of an object Value, or nil for any other kind.
func (v Value) Members() Params {
	if v.kind != KindObject || v.comp == nil {
		return nil
	}
	return v.comp.obj
}

// Equal reports whether v and w are the same value, member order included.
func (v Value) Equal(w Value) bool {
	if v.kind != w.kind {
		return false
	}
	switch v.kind {
	case KindList:
		a, b := v.Items(), w.Items()
		if len(a) != len(b) {
			return false
		}
		for i := range a {
			if !a[i].Equal(b[i]) {
				return false
			}
		}
		return true
	case KindObject:
		return v.Members().Equal(w.Members())
	}
	return v.text == w.text
}

// MarshalJSON encodes v as Kazoo's JSON encoder would (see EncodeJSON).
func (v Value) MarshalJSON() ([]byte, error) { return appendJSONValue(nil, v), nil }

// UnmarshalJSON decodes any JSON value into v, keeping object member order.
func (v *Value) UnmarshalJSON(data []byte) error {
	d := newJSONDecoder(data)
	tok, err := d.token()
	if err != nil {
		return err
	}
	val, err := d.value(tok, 0)
	if err != nil {
		return err
	}
	if err := d.end(); err != nil {
		return err
	}
	*v = val
	return nil
}

// Param is one named parameter.
type Param struct {
	Key   string
	Value Value
}

// Params is an ordered set of parameters: the top level of a Pivot request,
// or the members of an object. Order is kept so encodings are deterministic.
// Keys are unique when built with Set or by the decoders.
type Params []Param

// Set stores v under key, replacing an existing member in its place or
// appending a new one.
func (p *Params) Set(key string, v Value) {
	for i := range *p {
		if (*p)[i].Key == key {
			(*p)[i].Value = v
			return
		}
	}
	*p = append(*p, Param{Key: key, Value: v})
}

// Has reports whether p has a member named exactly key.
func (p Params) Has(key string) bool {
	_, ok := p.member(key)
	return ok
}

// member returns the member named exactly key.
func (p Params) member(key string) (Value, bool) {
	for _, kv := range p {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return Value{}, false
}

// Lookup finds a parameter by name. The name is first matched exactly against
// the top-level keys; failing that, a bracketed name walks into objects and
// lists the way form keys nest: "Digits[default]", "Custom-SIP-Headers[X-Foo]",
// "User-ID[0]". A trailing "[]" is ignored ("User-ID[]" is "User-ID").
func (p Params) Lookup(name string) (Value, bool) {
	if v, ok := p.member(name); ok {
		return v, true
	}
	var buf [8]string
	path, _ := splitKey(buf[:0], name)
	if len(path) == 1 && path[0] == name {
		return Value{}, false // a plain name, already looked up
	}
	v, ok := p.member(path[0])
	for _, seg := range path[1:] {
		if !ok {
			break
		}
		switch v.kind {
		case KindObject:
			v, ok = v.Members().member(seg)
		case KindList:
			i, err := strconv.Atoi(seg)
			items := v.Items()
			ok = err == nil && i >= 0 && i < len(items)
			if ok {
				v = items[i]
			}
		default:
			ok = false
		}
	}
	if !ok {
		return Value{}, false
	}
	return v, true
}

// Get returns the Text of the named parameter (see Lookup), or "" when it is
// absent. Lists and objects come back as compact JSON.
func (p Params) Get(name string) string {
	v, _ := p.Lookup(name)
	return v.Text()
}

// Equal reports whether p and q hold the same members in the same order.
func (p Params) Equal(q Params) bool {
	if len(p) != len(q) {
		return false
	}
	for i := range p {
		if p[i].Key != q[i].Key || !p[i].Value.Equal(q[i].Value) {
			return false
		}
	}
	return true
}

// MarshalJSON encodes p as a JSON object, as EncodeJSON does.
func (p Params) MarshalJSON() ([]byte, error) { return EncodeJSON(p), nil }

// UnmarshalJSON decodes a JSON object into p, as DecodeJSON does.
func (p *Params) UnmarshalJSON(data []byte) error {
	q, err := DecodeJSON(data)
	if err != nil {
		return err
	}
	*p = q
	return nil
}
