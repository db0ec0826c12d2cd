package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

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
		for i, item := range v.Items() {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONValue(b, item)
		}
		return append(b, ']')
	case KindObject:
		return appendJSONObject(b, v.Members())
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
// offset and the parameter being decoded when it failed. Its text names no
// receiver ("json body: at byte 12 in \"Call-ID\": …"): ParseRequest and
// runtime/webhook wrap it with theirs.
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
	return fmt.Sprintf("%s body: %s: %v", e.Format, where, e.Err)
}

// Unwrap returns the underlying error.
func (e *BodyError) Unwrap() error { return e.Err }

// DecodeJSON decodes a JSON body, which must be a single JSON object, into
// Params, keeping member order. A key given twice keeps its first position
// and its last value. Numbers keep their literal text (Number). Errors are
// *BodyError values naming the byte offset and the field.
func DecodeJSON(data []byte) (Params, error) {
	if p, ok := scanJSON(string(data)); ok {
		return p, nil
	}
	// Not the JSON Kazoo writes, perhaps not JSON at all: encoding/json
	// decodes it, and reports what is wrong.
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
