package wire

import (
	"iter"
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
		appendFormObject(b, key, v.Members())
	case KindList:
		for i, item := range v.Items() {
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
	var values url.Values
	return decodeForm(s, &values), values
}

// pairsHint is the number of pairs to preallocate room for when decoding
// s: bounded, since s comes from the client.
func pairsHint(s string) int { return min(strings.Count(s, "&")+1, 64) }

// decodeForm is DecodeForm, setting *values to the pairs as sent unless
// values is nil: ParseRequest builds only the tree, and Request.Values the
// pairs when asked.
func decodeForm(s string, pairs *url.Values) Params {
	hint := pairsHint(s)
	var values *valuesBuilder
	if pairs != nil {
		b := newValues(hint)
		values = &b
		defer func() { *pairs = b.m }()
	}
	root := formObject{members: make(Params, 0, hint)}
	var buf [8]string // room for the segments of a bracketed key
	for key, val := range formPairs(s) {
		if strings.IndexByte(key, '[') < 0 {
			i, added := root.find(key)
			root.set(i, String(val))
			switch {
			case values == nil:
			case added: // so no pair had this key: values need no lookup
				values.addNew(key, val)
			default:
				values.add(key, val)
			}
			continue
		}
		if values != nil {
			values.add(key, val)
		}
		path, isList := splitKey(buf[:0], key)
		root.insert(path, isList, val)
	}
	return root.finish()
}

// decodeValues decodes a query string into its pairs only, by DecodeForm's
// rules: the second result of DecodeForm, without building the tree.
func decodeValues(s string) url.Values {
	values := newValues(pairsHint(s))
	for key, val := range formPairs(s) {
		values.add(key, val)
	}
	return values.m
}

// FormValue returns the first value of the parameter name in a query string
// or form body, or "" when there is none. Names and values are decoded as
// DecodeForm decodes them, and only a pair whose whole decoded name is name
// counts (not "name[x]"). It builds nothing: a value is decoded only when
// its name matches.
func FormValue(s, name string) string {
	for i := 0; i < len(s); {
		var p rawPair
		p, i = pairAt(s, i)
		if key := p.name(); key != "" && key == name {
			return p.value()
		}
	}
	return ""
}

// formPairs yields the pairs of a query string or form body, decoded, in
// order: pairs are separated by "&" and split at their first "="; empty
// pairs and pairs with an empty key are skipped.
func formPairs(s string) iter.Seq2[string, string] {
	return func(yield func(key, val string) bool) {
		for i := 0; i < len(s); {
			var p rawPair
			p, i = pairAt(s, i)
			key := p.name()
			if key == "" {
				continue
			}
			if !yield(key, p.value()) {
				return
			}
		}
	}
}

// rawPair is one pair of a query string or form body as sent, and whether
// its key and value hold "+" or "%", so need Unescape.
type rawPair struct {
	key, val       string
	escKey, escVal bool
}

// name returns p's key, decoded.
func (p rawPair) name() string {
	if p.escKey {
		return unescape(p.key)
	}
	return p.key
}

// value returns p's value, decoded.
func (p rawPair) value() string {
	if p.escVal {
		return unescape(p.val)
	}
	return p.val
}

// pairAt reads the pair that starts at s[i] and returns it with the index
// where the next one starts: the pair ends at the next "&" (or the end)
// and splits at its first "=" (a pair without one has the value ""). One
// scan finds its end, its "=" and whether key or value need Unescape.
func pairAt(s string, i int) (p rawPair, next int) {
	start, eq := i, -1
scan:
	for ; i < len(s); i++ {
		switch s[i] {
		case '&':
			break scan
		case '=':
			if eq < 0 {
				eq = i
			}
		case '+', '%':
			if eq < 0 {
				p.escKey = true
			} else {
				p.escVal = true
			}
		}
	}
	p.key = s[start:i]
	if eq >= 0 {
		p.key, p.val = s[start:eq], s[eq+1:i]
	}
	return p, i + 1 // past the "&"
}

// valuesBuilder builds url.Values, the first value of every key in one
// shared array.
type valuesBuilder struct {
	m       url.Values
	backing []string
}

func newValues(n int) valuesBuilder {
	return valuesBuilder{m: make(url.Values, n), backing: make([]string, 0, n)}
}

// add appends val to the values of key.
func (b *valuesBuilder) add(key, val string) {
	if vs, ok := b.m[key]; ok {
		b.m[key] = append(vs, val)
		return
	}
	b.addNew(key, val)
}

// addNew stores val as the first value of key, which has none yet.
func (b *valuesBuilder) addNew(key, val string) {
	b.backing = append(b.backing, val)
	n := len(b.backing)
	b.m[key] = b.backing[n-1 : n : n] // capped: a second value copies
}

// Unescape decodes one form-encoded key or value as DecodeForm does: "+" is
// a space and %XX a byte, in either hex case. A malformed escape is kept
// literally rather than rejected, because a voice_url's own query string
// (passed through by Kazoo on GET) may contain a bare "%".
func Unescape(s string) string {
	if strings.IndexByte(s, '+') < 0 && strings.IndexByte(s, '%') < 0 {
		return s
	}
	return unescape(s)
}

// unescape is Unescape for a string known to hold "+" or "%".
func unescape(s string) string {
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
	var buf [8]string
	path, _ := splitKey(buf[:0], key)
	return path[0]
}

// splitKey splits a form key into its name and bracketed segments, appended
// to dst: "a[b][c]" gives [a b c]; "a[b][]" gives [a b] with isList set. A
// key that does not fit that shape is returned whole as a one-element path.
func splitKey(dst []string, key string) (path []string, isList bool) {
	open := strings.IndexByte(key, '[')
	if open <= 0 || strings.IndexByte(key[:open], ']') >= 0 {
		return append(dst, key), false
	}
	path = append(dst, key[:open])
	rest := key[open:]
	for rest != "" {
		end := indexBracket(rest[1:]) + 1 // index of the next bracket
		if rest[0] != '[' || end == 0 || rest[end] != ']' || len(path) >= maxDepth {
			return append(dst, key), false
		}
		seg := rest[1:end]
		rest = rest[end+1:]
		if seg == "" {
			if rest != "" {
				return append(dst, key), false
			}
			return path, true
		}
		path = append(path, seg)
	}
	return path, false
}

// indexBracket returns the index of the first "[" or "]" in s, or -1.
func indexBracket(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == '[' || s[i] == ']' {
			return i
		}
	}
	return -1
}

// formObject is an object being decoded from a form: its members in first
// position order, and the objects among them still open for more pairs.
// Small objects (all of Kazoo's) find keys by scanning; a large one indexes
// them in a map, so that decoding stays linear in the number of pairs.
type formObject struct {
	members Params
	// nested[i] holds members[i]'s object while decoding (members[i] is
	// then an object Value with no members yet); nil until a member is an
	// object, then as long as members.
	nested []*formObject
	index  map[string]int // key → position, once members outgrow a scan
	comp   composite      // what a nested object's Value points to
}

// roomyFormObject is a formObject with room for its first members in the
// same allocation: Kazoo's nested objects (Digits, Custom-SIP-Headers, …)
// are small.
type roomyFormObject struct {
	formObject
	room [2]Param
}

// newFormObject returns an empty nested object.
func newFormObject() *formObject {
	o := new(roomyFormObject)
	o.members = o.room[:0]
	return &o.formObject
}

// formIndexAt is the member count from which a formObject indexes its keys
// in a map: up to there, comparing strings beats hashing them.
const formIndexAt = 32

// find returns the position of the member named key, appending a null one
// (and reporting it added) when there is none.
func (o *formObject) find(key string) (i int, added bool) {
	if o.index != nil {
		if i, ok := o.index[key]; ok {
			return i, false
		}
	} else {
		for i := range o.members {
			if o.members[i].Key == key {
				return i, false
			}
		}
	}
	i = len(o.members)
	o.members = append(o.members, Param{Key: key})
	if o.nested != nil {
		o.nested = append(o.nested, nil)
	}
	switch {
	case o.index != nil:
		o.index[key] = i
	case i+1 >= formIndexAt:
		o.index = make(map[string]int, 2*(i+1))
		for j, kv := range o.members {
			o.index[kv.Key] = j
		}
	}
	return i, true
}

// set replaces member i's value with a string or a list.
func (o *formObject) set(i int, v Value) {
	o.members[i].Value = v
	if o.nested != nil {
		o.nested[i] = nil
	}
}

// child returns member i's object, first replacing the member with an
// empty object when it is not one.
func (o *formObject) child(i int) *formObject {
	if o.nested != nil && o.nested[i] != nil {
		return o.nested[i]
	}
	if o.nested == nil {
		o.nested = make([]*formObject, len(o.members), cap(o.members))
	}
	c := newFormObject()
	o.members[i].Value = Value{kind: KindObject, comp: &c.comp} // members filled in by finish
	o.nested[i] = c
	return c
}

// insert stores val at path, appending to a list when isList is set. Members
// in the way that are not objects (or not lists) are replaced.
func (o *formObject) insert(path []string, isList bool, val string) {
	for _, name := range path[:len(path)-1] {
		i, _ := o.find(name)
		o = o.child(i)
	}
	i, _ := o.find(path[len(path)-1])
	switch v := &o.members[i].Value; {
	case !isList:
		o.set(i, String(val))
	case v.kind == KindList:
		v.comp.list = append(v.comp.list, String(val))
	default:
		o.set(i, listOf(String(val)))
	}
}

// listOf returns a list Value holding item, with room for a second item in
// the same allocation.
func listOf(item Value) Value {
	l := new(struct {
		composite
		room [2]Value
	})
	l.room[0] = item
	l.list = l.room[:1]
	return Value{kind: KindList, comp: &l.composite}
}

// finish returns the decoded members, nested objects filled in; nil when
// there are none.
func (o *formObject) finish() Params {
	if len(o.members) == 0 {
		return nil
	}
	for _, c := range o.nested {
		if c != nil {
			c.comp.obj = c.finish()
		}
	}
	return o.members
}
