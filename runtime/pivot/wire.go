package pivot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file holds the wire side of Pivot requests: the ordered parameter tree
// (Value, Params), Kazoo's form and JSON encodings of it, the matching
// decoders, and NewHTTPRequest, which sends a parameter set exactly as Kazoo's
// pivot_call would.

// Content types Kazoo puts on a POST (pivot_call req_content_type/1).
const (
	ContentTypeForm = "application/x-www-form-urlencoded"
	ContentTypeJSON = "application/json"
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
	text string  // string value, number literal, or "true"/"false"
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
func List(items ...Value) Value { return Value{kind: KindList, list: items} }

// Strings returns a list Value holding one string Value per item.
func Strings(items ...string) Value {
	list := make([]Value, len(items))
	for i, s := range items {
		list[i] = String(s)
	}
	return List(list...)
}

// Object returns an object Value with the members p, in p's order.
func Object(p Params) Value { return Value{kind: KindObject, obj: p} }

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
func (v Value) Items() []Value { return v.list }

// Members returns the members of an object Value, or nil for any other kind.
func (v Value) Members() Params { return v.obj }

// Equal reports whether v and w are the same value, member order included.
func (v Value) Equal(w Value) bool {
	if v.kind != w.kind {
		return false
	}
	switch v.kind {
	case KindList:
		if len(v.list) != len(w.list) {
			return false
		}
		for i := range v.list {
			if !v.list[i].Equal(w.list[i]) {
				return false
			}
		}
		return true
	case KindObject:
		return v.obj.Equal(w.obj)
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
	path, _ := splitKey(name)
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
			v, ok = v.obj.member(seg)
		case KindList:
			i, err := strconv.Atoi(seg)
			ok = err == nil && i >= 0 && i < len(v.list)
			if ok {
				v = v.list[i]
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

// ---------------------------------------------------------------------------
// Form / query-string encoding (kz_http_util:json_to_querystring/1)

// EncodeForm encodes p exactly as Kazoo's kz_http_util:json_to_querystring
// does, for a GET query string or a form body:
//
//   - keys are written as they are, never percent-encoded;
//   - values use the "legacy" encoding: space becomes "+", A-Z a-z 0-9 and
//     ". - ~ _" stay, every other byte becomes %XX in upper-case hex;
//   - booleans are "true"/"false", numbers their literal text (how Kazoo
//     prints a float here is unverified; its parameters are strings);
//   - a list repeats its key with "[]": "User-ID[]=a&User-ID[]=b";
//   - an object nests its keys in brackets: "Digits[default]=1234", deeper
//     objects stack them ("a[b][c]=v") and a list inside gives "a[b][]=v";
//   - an empty object or list writes no pair but keeps the "&" separators
//     around its slot, so {"a":{},"b":"1"} gives "&b=1" (Kazoo joins the
//     encoded members with "&" whether or not a member produced anything).
//
// Kazoo's encoder has no clause for null, nor for a list or object inside a
// list (it would crash). EncodeForm writes no pair for null, like an empty
// object, and writes a nested list item as its JSON text.
func EncodeForm(p Params) string {
	var b strings.Builder
	appendFormObject(&b, "", p)
	return b.String()
}

// appendFormObject writes the members of p, their keys nested under prefix
// (or bare when prefix is ""), joined with "&".
func appendFormObject(b *strings.Builder, prefix string, p Params) {
	for i, kv := range p {
		if i > 0 {
			b.WriteByte('&')
		}
		key := kv.Key
		if prefix != "" {
			key = prefix + "[" + kv.Key + "]"
		}
		appendFormValue(b, key, kv.Value)
	}
}

// appendFormValue writes one member under its full (bracketed) key.
func appendFormValue(b *strings.Builder, key string, v Value) {
	switch v.kind {
	case KindNull:
		// No pair: see EncodeForm.
	case KindObject:
		appendFormObject(b, key, v.obj)
	case KindList:
		for i, item := range v.list {
			if i > 0 {
				b.WriteByte('&')
			}
			b.WriteString(key)
			b.WriteString("[]=")
			b.WriteString(EscapeValue(item.Text()))
		}
	default:
		b.WriteString(key)
		b.WriteByte('=')
		b.WriteString(EscapeValue(v.text))
	}
}

// EscapeValue applies Kazoo's "legacy" value encoding
// (kz_http_util:urlencode(V, 'legacy')): space becomes "+", the bytes
// A-Z a-z 0-9 . - ~ _ are kept, and every other byte becomes %XX with
// upper-case hex digits.
func EscapeValue(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
			b.WriteByte('+')
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9',
			c == '.', c == '-', c == '~', c == '_':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xF])
		}
	}
	return b.String()
}

// DecodeForm decodes a query string or form body. It returns the parameter
// tree (bracketed keys nested back into objects and lists) and the flat
// name/value pairs with their keys as sent, brackets included.
//
// It accepts everything Kazoo writes and is lenient about the rest; it never
// fails:
//   - "+" is a space and %XX a byte, in either hex case, in keys as well as
//     values (so "%5B"/"%5D" in keys work like raw brackets); a "%" not
//     followed by two hex digits is kept as it is;
//   - empty pairs (a stray "&" from an empty object) are skipped, and so are
//     pairs with an empty key; a pair without "=" has the value "";
//   - ";" is an ordinary character, not a separator;
//   - "a[b][c]=v" nests objects, "a[]=v" appends to a list, "a[b][]=v" both;
//     a key that does not fit that shape (unbalanced brackets, text after
//     "]", "[]" before the end, an empty name, nesting deeper than 64) is
//     kept whole as a plain top-level name;
//   - when pairs collide (the same scalar twice, or "a=1&a[b]=2"), the later
//     pair wins and the parameter keeps its first position. With GET this
//     lets Kazoo's parameters, which follow the voice_url's own, win.
func DecodeForm(s string) (Params, url.Values) {
	n := min(strings.Count(s, "&")+1, 64) // preallocation only; bounded against hostile input
	values := make(url.Values, n)
	backing := make([]string, 0, n)
	root := &formObject{order: make([]string, 0, n), nodes: make([]formNode, 0, n)}
	for piece := range strings.SplitSeq(s, "&") {
		if piece == "" {
			continue
		}
		k, v, _ := strings.Cut(piece, "=")
		key := unescapeComponent(k)
		if key == "" {
			continue
		}
		val := unescapeComponent(v)
		if vs, ok := values[key]; ok {
			values[key] = append(vs, val)
		} else {
			backing = append(backing, val)
			values[key] = backing[len(backing)-1 : len(backing) : len(backing)]
		}
		if strings.IndexByte(key, '[') < 0 {
			root.insert1(key, val)
			continue
		}
		path, isList := splitKey(key)
		root.insert(path, isList, val)
	}
	return root.params(), values
}

// unescapeComponent undoes form encoding: "+" is a space and %XX a byte.
// A malformed escape is kept literally rather than rejected, because a
// voice_url's own query string (passed through by Kazoo on GET) may contain
// a bare "%".
func unescapeComponent(s string) string {
	if !strings.ContainsAny(s, "+%") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '+':
			b.WriteByte(' ')
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// splitKey splits a form key into its name and bracketed segments:
// "a[b][c]" gives [a b c]; "a[b][]" gives [a b] with isList set. A key that
// does not fit that shape is returned whole as a one-element path.
func splitKey(key string) (path []string, isList bool) {
	open := strings.IndexByte(key, '[')
	if open <= 0 || strings.IndexByte(key[:open], ']') >= 0 {
		return []string{key}, false
	}
	path = []string{key[:open]}
	rest := key[open:]
	for rest != "" {
		end := strings.IndexAny(rest[1:], "[]") + 1 // index of the next bracket
		if rest[0] != '[' || end == 0 || rest[end] != ']' || len(path) >= maxDepth {
			return []string{key}, false
		}
		seg := rest[1:end]
		rest = rest[end+1:]
		if seg == "" {
			if rest != "" {
				return []string{key}, false
			}
			return path, true
		}
		path = append(path, seg)
	}
	return path, false
}

// formObject is a mutable object used while decoding a form: map lookups keep
// decoding linear in the number of pairs, order keeps first positions.
type formObject struct {
	order []string
	nodes []formNode
	index map[string]int // built once the object outgrows a linear scan
}

// formIndexAt is the member count from which a formObject indexes its keys
// in a map: small objects (all of Kazoo's) scan, large hostile ones stay
// linear in the number of pairs.
const formIndexAt = 16

// formNode is one member of a formObject: a string, a list of strings or an
// object, as form pairs can only produce those.
type formNode struct {
	kind Kind
	str  string
	list []string
	obj  *formObject
}

func newFormObject() *formObject {
	return &formObject{}
}

// node returns the member named key, creating an empty one in last position.
// The pointer is valid until the next call.
func (o *formObject) node(key string) *formNode {
	if o.index != nil {
		if i, ok := o.index[key]; ok {
			return &o.nodes[i]
		}
	} else {
		for i := range o.order {
			if o.order[i] == key {
				return &o.nodes[i]
			}
		}
	}
	o.nodes = append(o.nodes, formNode{})
	o.order = append(o.order, key)
	switch n := len(o.order); {
	case o.index != nil:
		o.index[key] = n - 1
	case n >= formIndexAt:
		o.index = make(map[string]int, 2*n)
		for i, k := range o.order {
			o.index[k] = i
		}
	}
	return &o.nodes[len(o.nodes)-1]
}

// insert stores val at path, appending to a list when isList is set. Members
// in the way that are not objects (or not lists) are replaced.
func (o *formObject) insert(path []string, isList bool, val string) {
	for _, name := range path[:len(path)-1] {
		n := o.node(name)
		if n.kind != KindObject {
			*n = formNode{kind: KindObject, obj: newFormObject()}
		}
		o = n.obj
	}
	n := o.node(path[len(path)-1])
	if !isList {
		*n = formNode{kind: KindString, str: val}
		return
	}
	if n.kind != KindList {
		*n = formNode{kind: KindList}
	}
	n.list = append(n.list, val)
}

// insert1 stores a plain top-level scalar.
func (o *formObject) insert1(key, val string) {
	n := o.node(key)
	*n = formNode{kind: KindString, str: val}
}

// params converts the decoded object into Params.
func (o *formObject) params() Params {
	if len(o.order) == 0 {
		return nil
	}
	p := make(Params, 0, len(o.order))
	for i, key := range o.order {
		n := &o.nodes[i]
		var v Value
		switch n.kind {
		case KindObject:
			v = Object(n.obj.params())
		case KindList:
			v = Strings(n.list...)
		default:
			v = String(n.str)
		}
		p = append(p, Param{Key: key, Value: v})
	}
	return p
}

// ---------------------------------------------------------------------------
// JSON body encoding (kz_json:encode/1, i.e. jiffy:encode/1 without options)

// EncodeJSON encodes p as one compact JSON object, the way Kazoo's
// kz_json:encode (jiffy, no options) writes a POST body with
// req_body_format=json: members in p's order, no whitespace, UTF-8 written
// as it is, "/" not escaped, `"` `\` and \b \f \n \r \t escaped by letter
// and other control bytes as \u00XX with upper-case hex (as in jiffy's
// source; the jiffy version Kazoo ships is unverified). Invalid UTF-8 (which
// jiffy would refuse) is written as U+FFFD. Kazoo does not guarantee member
// order, so a receiver must not depend on it.
func EncodeJSON(p Params) []byte {
	return appendJSONObject(nil, p)
}

func appendJSONObject(b []byte, p Params) []byte {
	b = append(b, '{')
	for i, kv := range p {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, kv.Key)
		b = append(b, ':')
		b = appendJSONValue(b, kv.Value)
	}
	return append(b, '}')
}

func appendJSONValue(b []byte, v Value) []byte {
	switch v.kind {
	case KindNull:
		return append(b, "null"...)
	case KindBool:
		return append(b, v.text...)
	case KindNumber:
		if isJSONNumber(v.text) {
			return append(b, v.text...)
		}
		return appendJSONString(b, v.text)
	case KindList:
		b = append(b, '[')
		for i, item := range v.list {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONValue(b, item)
		}
		return append(b, ']')
	case KindObject:
		return appendJSONObject(b, v.obj)
	}
	return appendJSONString(b, v.text)
}

func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = utf8.AppendRune(b, utf8.RuneError)
			} else {
				b = append(b, s[i:i+size]...)
			}
			i += size
			continue
		}
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			if c < 0x20 {
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			} else {
				b = append(b, c)
			}
		}
		i++
	}
	return append(b, '"')
}

// isJSONNumber reports whether s is a JSON number literal:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func isJSONNumber(s string) bool {
	digits := func(i int) int { // index after a run of digits starting at i
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		return i
	}
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && '1' <= s[i] && s[i] <= '9':
		i = digits(i)
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		j := digits(i + 1)
		if j == i+1 {
			return false
		}
		i = j
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := digits(i)
		if j == i {
			return false
		}
		i = j
	}
	return i == len(s)
}

// ---------------------------------------------------------------------------
// JSON body decoding

// BodyError reports a request body that could not be decoded, with the byte
// offset and the parameter being decoded when it failed.
type BodyError struct {
	Format BodyFormat // the body format being decoded
	Offset int64      // byte offset in the body of the token that failed
	Field  string     // parameter path, e.g. "Custom-SIP-Headers[X-Foo]"; "" at top level
	Err    error      // what went wrong
}

// Error describes the failure, naming the format, position and field.
func (e *BodyError) Error() string {
	where := fmt.Sprintf("at byte %d", e.Offset)
	if e.Field != "" {
		where += " in " + strconv.Quote(e.Field)
	}
	return fmt.Sprintf("pivot: %s body: %s: %v", e.Format, where, e.Err)
}

// Unwrap returns the underlying error.
func (e *BodyError) Unwrap() error { return e.Err }

// DecodeJSON decodes a JSON body, which must be a single JSON object, into
// Params, keeping member order. A key given twice keeps its first position
// and its last value. Numbers keep their literal text (Number). Errors are
// *BodyError values naming the byte offset and the field.
func DecodeJSON(data []byte) (Params, error) {
	d := newJSONDecoder(data)
	tok, err := d.token()
	if err != nil {
		return nil, err
	}
	if delim, ok := tok.(json.Delim); !ok || delim != '{' {
		v, err := d.value(tok, 0)
		if err != nil {
			return nil, err
		}
		return nil, d.errorf("the body is a JSON %s, not an object", v.kind)
	}
	p, err := d.object(1)
	if err != nil {
		return nil, err
	}
	return p, d.end()
}

// jsonDecoder walks a JSON document token by token, tracking the path of
// keys for error messages.
type jsonDecoder struct {
	dec  *json.Decoder
	path []string
}

func newJSONDecoder(data []byte) *jsonDecoder {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return &jsonDecoder{dec: dec}
}

// errorf returns a *BodyError at the current position and path.
func (d *jsonDecoder) errorf(format string, args ...any) *BodyError {
	return d.wrap(fmt.Errorf(format, args...))
}

// wrap turns err into a *BodyError at the current position and path.
func (d *jsonDecoder) wrap(err error) *BodyError {
	// After a failed Token, InputOffset is the start of the offending token.
	// (json.SyntaxError.Offset is not used: for a failed Token inside a
	// value it is not an offset into the whole input.)
	offset := d.dec.InputOffset()
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	field := ""
	if len(d.path) > 0 {
		field = d.path[0]
		for _, seg := range d.path[1:] {
			field += "[" + seg + "]"
		}
	}
	return &BodyError{Format: BodyJSON, Offset: offset, Field: field, Err: err}
}

func (d *jsonDecoder) token() (json.Token, error) {
	tok, err := d.dec.Token()
	if err != nil {
		return nil, d.wrap(err)
	}
	return tok, nil
}

// end checks that nothing but whitespace follows the document.
func (d *jsonDecoder) end() error {
	if _, err := d.dec.Token(); err != io.EOF {
		return d.errorf("trailing data after the JSON value")
	}
	return nil
}

// value decodes the value that starts with tok; depth counts the enclosing
// objects and lists.
func (d *jsonDecoder) value(tok json.Token, depth int) (Value, error) {
	switch t := tok.(type) {
	case json.Delim:
		if depth+1 > maxDepth && (t == '{' || t == '[') {
			// The delimiter, one byte, was just read.
			err := d.errorf("objects and lists nest deeper than %d", maxDepth)
			err.Offset--
			return Value{}, err
		}
		switch t {
		case '{':
			p, err := d.object(depth + 1)
			return Object(p), err
		case '[':
			return d.list(depth + 1)
		}
		return Value{}, d.errorf("unexpected %q", t.String())
	case string:
		return String(t), nil
	case json.Number:
		return Number(t.String()), nil
	case bool:
		return Bool(t), nil
	case nil:
		return Value{}, nil
	}
	return Value{}, d.errorf("unexpected token %v", tok)
}

// object decodes members up to the closing brace; the opening one was read.
func (d *jsonDecoder) object(depth int) (Params, error) {
	var p Params
	index := map[string]int{} // key → position in p, for duplicate keys
	for {
		tok, err := d.token()
		if err != nil {
			return nil, err
		}
		if delim, ok := tok.(json.Delim); ok && delim == '}' {
			return p, nil
		}
		key, ok := tok.(string)
		if !ok { // json.Decoder reports this itself; kept as a guard
			return nil, d.errorf("object key is not a string")
		}
		d.path = append(d.path, key)
		if tok, err = d.token(); err != nil {
			return nil, err
		}
		v, err := d.value(tok, depth)
		if err != nil {
			return nil, err
		}
		d.path = d.path[:len(d.path)-1]
		if i, dup := index[key]; dup {
			p[i].Value = v
		} else {
			index[key] = len(p)
			p = append(p, Param{Key: key, Value: v})
		}
	}
}

// list decodes items up to the closing bracket; the opening one was read.
func (d *jsonDecoder) list(depth int) (Value, error) {
	var items []Value
	for {
		d.path = append(d.path, strconv.Itoa(len(items)))
		tok, err := d.token()
		if err != nil {
			return Value{}, err
		}
		if delim, ok := tok.(json.Delim); ok && delim == ']' {
			d.path = d.path[:len(d.path)-1]
			return List(items...), nil
		}
		v, err := d.value(tok, depth)
		if err != nil {
			return Value{}, err
		}
		d.path = d.path[:len(d.path)-1]
		items = append(items, v)
	}
}

// ---------------------------------------------------------------------------
// Sending requests as Kazoo does

// AppendQuery adds an encoded parameter string to a voice_url the way
// pivot_call's uri/2 does for GET: after the URL's own query joined with "&"
// when it has one, else after a "?"; any "#fragment" stays last. An empty
// query on a URL without one leaves the URL as it is.
func AppendQuery(voiceURL, query string) string {
	rest, fragment, _ := strings.Cut(voiceURL, "#")
	base, own, _ := strings.Cut(rest, "?")
	if own != "" {
		query = own + "&" + query
	}
	u := base
	if query != "" {
		u += "?" + query
	}
	if fragment != "" {
		u += "#" + fragment
	}
	return u
}

// NewHTTPRequest builds the HTTP request Kazoo's pivot_call sends for the
// parameter set p:
//
//   - method "GET" (any case): the parameters, form-encoded, are appended to
//     voiceURL's query (AppendQuery) whatever body says, as Kazoo does; no
//     body and no headers.
//   - method "POST": to voiceURL unchanged, with a BodyJSON body (EncodeJSON,
//     Content-Type application/json) or otherwise a form body (EncodeForm,
//     Content-Type application/x-www-form-urlencoded, Kazoo's default).
//
// Content-Type is the only header set; Go's transport still adds its own
// (Host, Content-Length, User-Agent, Accept-Encoding), as Kazoo's httpc adds
// its own. Any other method is an error wrapping ErrUnsupportedMethod.
func NewHTTPRequest(ctx context.Context, method, voiceURL string, body BodyFormat, p Params) (*http.Request, error) {
	var (
		req *http.Request
		err error
	)
	switch strings.ToUpper(method) {
	case http.MethodGet:
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, AppendQuery(voiceURL, EncodeForm(p)), nil)
	case http.MethodPost:
		contentType, data := ContentTypeForm, []byte(EncodeForm(p))
		if body == BodyJSON {
			contentType, data = ContentTypeJSON, EncodeJSON(p)
		}
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, voiceURL, bytes.NewReader(data))
		if err == nil {
			req.Header.Set("Content-Type", contentType)
		}
	default:
		return nil, fmt.Errorf("pivot: building request: method %q: %w", method, ErrUnsupportedMethod)
	}
	if err != nil {
		return nil, fmt.Errorf("pivot: building %s request: %w", strings.ToUpper(method), err)
	}
	return req, nil
}
