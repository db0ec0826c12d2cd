package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// This file keeps the implementation of ParseRequest (and of the form and
// JSON decoders under it) as it was before the parser was rewritten for
// speed, for one use only: FuzzParseRequestDifferential compares the
// current parser's results with this reference on any input. It is test
// code, never built into the package. The field tables (fields.go) and the
// Value and Params types are shared; everything that reads bytes, picks a
// body format, decodes, nests, detects the naming or fills the fields is
// the old code, renamed with a "ref" prefix.

// refParseRequest reads a Pivot request as Kazoo sends it:
//
//   - GET (and HEAD): the parameters are the URL's query string, form-encoded
//     (a voice_url's own query parameters arrive among them); the body is
//     never read.
//   - POST with Content-Type application/x-www-form-urlencoded: the form
//     body. With application/json (or any "+json" type): one JSON object.
//     Media types are compared case-insensitively, parameters (charset)
//     ignored.
//   - POST with no or another Content-Type: Kazoo never sends that, so,
//     leniently, a body that starts with "{" and decodes as a JSON object is
//     read as JSON, and anything else as a form body (form decoding cannot
//     fail).
//
// An empty POST body gives a request with no parameters. The form decoding
// rules are refDecodeForm's, the JSON ones refDecodeJSON's. The body is read once,
// to its end, and not closed: wrap it in http.MaxBytesReader to bound it;
// a read error, such as *http.MaxBytesError, is returned wrapped. A JSON body
// that does not decode gives an error wrapping a *BodyError, which names the
// byte offset and field.
// Methods other than GET, HEAD and POST give an error wrapping
// ErrUnsupportedMethod.
func refParseRequest(r *http.Request) (*Request, error) {
	if r == nil {
		return nil, errors.New("pivot: nil *http.Request")
	}
	method := strings.ToUpper(r.Method)
	if method == "" {
		method = http.MethodGet // net/http's meaning of an empty Method
	}
	rawQuery := ""
	if r.URL != nil {
		rawQuery = r.URL.RawQuery
	}

	req := &Request{Method: method}
	switch method {
	case http.MethodGet, http.MethodHead:
		req.BodyFormat = BodyQuery
		req.Raw, _ = refDecodeForm(rawQuery)
		req.form = rawQuery
	case http.MethodPost:
		req.urlQuery = rawQuery
		body, err := refReadBody(r.Body)
		if err != nil {
			return nil, fmt.Errorf("pivot: reading POST body: %w", err)
		}
		var values url.Values
		req.Raw, values, req.BodyFormat, err = refDecodeBody(r.Header.Get("Content-Type"), body)
		if err != nil {
			return nil, fmt.Errorf("pivot: %w", err)
		}
		if values != nil {
			req.form = string(body)
		}
	default:
		return nil, fmt.Errorf("pivot: method %q: %w", r.Method, ErrUnsupportedMethod)
	}

	req.Format = refDetectFormat(req.Raw)
	refFill(req)
	return req, nil
}

// refReadBody reads the whole body; a nil body is empty.
func refReadBody(body io.Reader) ([]byte, error) {
	if body == nil {
		return nil, nil
	}
	return io.ReadAll(body)
}

// refDecodeBody decodes a request body by its Content-Type, the one rule Pivot
// requests (POST) and webhook deliveries (POST, PUT) share:
//
//   - application/x-www-form-urlencoded: a form body (refDecodeForm);
//   - application/json, or any "+json" type: one JSON object (refDecodeJSON);
//     a blank body has no parameters;
//   - media types are compared case-insensitively, parameters (charset)
//     ignored;
//   - no or another Content-Type: Kazoo always sends one of the two above,
//     so, leniently, a body that starts with "{" (after white space) and
//     decodes as a JSON object is read as JSON, and anything else as a form
//     body.
//
// It returns the parameters, the pairs as sent for a form body (nil for
// JSON) and the body format found. Only a body sent as JSON can fail, with
// a *BodyError naming the byte offset and the field.
func refDecodeBody(contentType string, body []byte) (Params, url.Values, BodyFormat, error) {
	mediaType, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mediaType = "" // missing or malformed: decide from the body
	}
	switch {
	case mediaType == ContentTypeForm:
		p, values := refDecodeForm(string(body))
		return p, values, BodyForm, nil
	case mediaType == ContentTypeJSON || strings.HasSuffix(mediaType, "+json"):
		if len(bytes.TrimSpace(body)) == 0 {
			return nil, nil, BodyJSON, nil // lenient: an empty body has no parameters
		}
		p, err := refDecodeJSON(body)
		return p, nil, BodyJSON, err
	}
	if trimmed := bytes.TrimSpace(body); len(trimmed) > 0 && trimmed[0] == '{' {
		if p, err := refDecodeJSON(body); err == nil {
			return p, nil, BodyJSON, nil
		}
	}
	p, values := refDecodeForm(string(body))
	return p, values, BodyForm, nil
}

// refDecodeForm decodes a query string or form body. It returns the parameter
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
func refDecodeForm(s string) (Params, url.Values) {
	n := min(strings.Count(s, "&")+1, 64) // preallocation only; bounded against hostile input
	values := make(url.Values, n)
	backing := make([]string, 0, n)
	root := &refFormObject{order: make([]string, 0, n), nodes: make([]refFormNode, 0, n)}
	for piece := range strings.SplitSeq(s, "&") {
		if piece == "" {
			continue
		}
		k, v, _ := strings.Cut(piece, "=")
		key := refUnescape(k)
		if key == "" {
			continue
		}
		val := refUnescape(v)
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
		path, isList := refSplitKey(key)
		root.insert(path, isList, val)
	}
	return root.params(), values
}

// refUnescape decodes one form-encoded key or value as refDecodeForm does: "+" is
// a space and %XX a byte, in either hex case. A malformed escape is kept
// literally rather than rejected, because a voice_url's own query string
// (passed through by Kazoo on GET) may contain a bare "%".
func refUnescape(s string) string {
	if !strings.ContainsAny(s, "+%") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '+':
			b.WriteByte(' ')
		case c == '%' && i+2 < len(s) && refIsHex(s[i+1]) && refIsHex(s[i+2]):
			b.WriteByte(refUnhex(s[i+1])<<4 | refUnhex(s[i+2]))
			i += 2
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func refIsHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func refUnhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// refSplitKey splits a form key into its name and bracketed segments:
// "a[b][c]" gives [a b c]; "a[b][]" gives [a b] with isList set. A key that
// does not fit that shape is returned whole as a one-element path.
func refSplitKey(key string) (path []string, isList bool) {
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

// refFormObject is a mutable object used while decoding a form: map lookups keep
// decoding linear in the number of pairs, order keeps first positions.
type refFormObject struct {
	order []string
	nodes []refFormNode
	index map[string]int // built once the object outgrows a linear scan
}

// refFormIndexAt is the member count from which a refFormObject indexes its keys
// in a map: small objects (all of Kazoo's) scan, large hostile ones stay
// linear in the number of pairs.
const refFormIndexAt = 16

// refFormNode is one member of a refFormObject: a string, a list of strings or an
// object, as form pairs can only produce those.
type refFormNode struct {
	kind Kind
	str  string
	list []string
	obj  *refFormObject
}

func refNewFormObject() *refFormObject {
	return &refFormObject{}
}

// node returns the member named key, creating an empty one in last position.
// The pointer is valid until the next call.
func (o *refFormObject) node(key string) *refFormNode {
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
	o.nodes = append(o.nodes, refFormNode{})
	o.order = append(o.order, key)
	switch n := len(o.order); {
	case o.index != nil:
		o.index[key] = n - 1
	case n >= refFormIndexAt:
		o.index = make(map[string]int, 2*n)
		for i, k := range o.order {
			o.index[k] = i
		}
	}
	return &o.nodes[len(o.nodes)-1]
}

// insert stores val at path, appending to a list when isList is set. Members
// in the way that are not objects (or not lists) are replaced.
func (o *refFormObject) insert(path []string, isList bool, val string) {
	for _, name := range path[:len(path)-1] {
		n := o.node(name)
		if n.kind != KindObject {
			*n = refFormNode{kind: KindObject, obj: refNewFormObject()}
		}
		o = n.obj
	}
	n := o.node(path[len(path)-1])
	if !isList {
		*n = refFormNode{kind: KindString, str: val}
		return
	}
	if n.kind != KindList {
		*n = refFormNode{kind: KindList}
	}
	n.list = append(n.list, val)
}

// insert1 stores a plain top-level scalar.
func (o *refFormObject) insert1(key, val string) {
	n := o.node(key)
	*n = refFormNode{kind: KindString, str: val}
}

// params converts the decoded object into Params.
func (o *refFormObject) params() Params {
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

// refDecodeJSON decodes a JSON body, which must be a single JSON object, into
// Params, keeping member order. A key given twice keeps its first position
// and its last value. Numbers keep their literal text (Number). Errors are
// *BodyError values naming the byte offset and the field.
func refDecodeJSON(data []byte) (Params, error) {
	d := refNewJSONDecoder(data)
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

// refJsonDecoder walks a JSON document token by token, tracking the path of
// keys for error messages.
type refJsonDecoder struct {
	dec  *json.Decoder
	path []string
}

func refNewJSONDecoder(data []byte) *refJsonDecoder {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return &refJsonDecoder{dec: dec}
}

// errorf returns a *BodyError at the current position and path.
func (d *refJsonDecoder) errorf(format string, args ...any) *BodyError {
	return d.wrap(fmt.Errorf(format, args...))
}

// wrap turns err into a *BodyError at the current position and path.
func (d *refJsonDecoder) wrap(err error) *BodyError {
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

func (d *refJsonDecoder) token() (json.Token, error) {
	tok, err := d.dec.Token()
	if err != nil {
		return nil, d.wrap(err)
	}
	return tok, nil
}

// end checks that nothing but whitespace follows the document.
func (d *refJsonDecoder) end() error {
	if _, err := d.dec.Token(); err != io.EOF {
		return d.errorf("trailing data after the JSON value")
	}
	return nil
}

// value decodes the value that starts with tok; depth counts the enclosing
// objects and lists.
func (d *refJsonDecoder) value(tok json.Token, depth int) (Value, error) {
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
func (d *refJsonDecoder) object(depth int) (Params, error) {
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
func (d *refJsonDecoder) list(depth int) (Value, error) {
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

// refDetectFormat picks the naming whose distinctive names are most present in
// p; a tie between two non-zero counts goes to kazoo. The naming is read from
// the keys rather than assumed because which one a pivot node without
// req_format produces is unverified: the schema default is kazoo, but
// pivot_call falls back to twiml when no Request-Format reaches it.
var refOnlyNames = func() map[string]Format {
	m := map[string]Format{}
	for _, n := range kazooOnly {
		m[n] = FormatKazoo
	}
	for _, n := range twimlOnly {
		m[n] = FormatTwiML
	}
	return m
}()

func refDetectFormat(p Params) Format {
	kazoo, twiml := 0, 0
	for _, kv := range p {
		switch refOnlyNames[kv.Key] {
		case FormatKazoo:
			kazoo++
		case FormatTwiML:
			twiml++
		}
	}
	switch {
	case kazoo > 0 && kazoo >= twiml:
		return FormatKazoo
	case twiml > 0:
		return FormatTwiML
	}
	return FormatUnknown
}

// fill sets the typed fields from Raw, reading the names of r.Format.
var (
	refKazooSetters = refSetters(kazooFields, kazooVars)
	refTwimlSetters = refSetters(twimlFields, twimlVars)
)

func refSetters(lists ...[]field) map[string]func(*Request, Value) {
	m := map[string]func(*Request, Value){}
	for _, l := range lists {
		for _, f := range l {
			m[f.name] = f.set
		}
	}
	return m
}

func refFill(r *Request) {
	set := refTwimlSetters
	if r.Format == FormatKazoo {
		set = refKazooSetters
	}
	for _, kv := range r.Raw {
		if f := set[kv.Key]; f != nil {
			f(r, kv.Value)
		}
	}
}
