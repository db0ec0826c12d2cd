package wire

import (
	"net/url"
	"strings"
)

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
		key := Unescape(k)
		if key == "" {
			continue
		}
		val := Unescape(v)
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

// Unescape decodes one form-encoded key or value as DecodeForm does: "+" is
// a space and %XX a byte, in either hex case. A malformed escape is kept
// literally rather than rejected, because a voice_url's own query string
// (passed through by Kazoo on GET) may contain a bare "%".
func Unescape(s string) string {
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

// ParamName returns the name of the top-level parameter a decoded form key
// sets, as DecodeForm nests it: "Digits[pin]" and "User-ID[]" set "Digits"
// and "User-ID"; a key that does not fit the bracketed shape ("odd[") is a
// name of its own.
func ParamName(key string) string {
	path, _ := splitKey(key)
	return path[0]
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
