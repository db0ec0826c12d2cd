package wire

import (
	"strings"
	"unicode/utf8"
)

// scanJSON decodes a JSON object body quickly, for DecodeJSON: in one pass
// over the text, every key and every string without escapes a substring of
// it, no token values. It reads the JSON Kazoo writes (kz_json:encode: UTF-8
// as it is, control characters escaped) and gives up, with ok false, on
// anything it does not read exactly as encoding/json would: a syntax
// error, a \u escape, invalid UTF-8, nesting deeper than maxDepth, an object
// of more than scanMaxMembers members, trailing data. DecodeJSON then
// decodes with encoding/json, which handles all of those and reports errors
// with their offsets. Whatever scanJSON returns, encoding/json's decoding
// returns too (FuzzParseRequestDifferential checks it).
func scanJSON(s string) (p Params, ok bool) {
	d := jsonScanner{s: s}
	d.space()
	if !d.consume('{') {
		return nil, false
	}
	// Members of the body, nested ones included, at most: one ':' each.
	p, ok = d.object(1, min(strings.Count(s, ":"), scanMaxMembers))
	d.space()
	return p, ok && d.i == len(s)
}

// scanMaxMembers is the member count at which scanJSON leaves an object to
// encoding/json: duplicate keys are found by comparing with every earlier
// key, which must stay cheap.
const scanMaxMembers = 64

// jsonScanner reads JSON text from position i.
type jsonScanner struct {
	s string
	i int
}

// space skips JSON white space.
func (d *jsonScanner) space() {
	for d.i < len(d.s) {
		switch d.s[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// consume skips c and reports true when it comes next.
func (d *jsonScanner) consume(c byte) bool {
	if d.i < len(d.s) && d.s[d.i] == c {
		d.i++
		return true
	}
	return false
}

// object reads members up to the closing brace; the opening one was read,
// depth counts the objects and lists open. A key given twice keeps its
// first position and its last value, as DecodeJSON documents.
func (d *jsonScanner) object(depth, capacity int) (Params, bool) {
	var p Params
	d.space()
	if d.consume('}') {
		return p, true
	}
	p = make(Params, 0, max(capacity, 1))
	for {
		d.space()
		key, ok := d.string()
		if !ok {
			return nil, false
		}
		d.space()
		if !d.consume(':') {
			return nil, false
		}
		v, ok := d.value(depth)
		if !ok {
			return nil, false
		}
		if i := p.index(key); i >= 0 {
			p[i].Value = v
		} else if len(p) < scanMaxMembers {
			p = append(p, Param{Key: key, Value: v})
		} else {
			return nil, false
		}
		d.space()
		if d.consume('}') {
			return p, true
		}
		if !d.consume(',') {
			return nil, false
		}
	}
}

// index returns the position of the member named key, or -1.
func (p Params) index(key string) int {
	for i := range p {
		if p[i].Key == key {
			return i
		}
	}
	return -1
}

// list reads items up to the closing bracket; the opening one was read.
func (d *jsonScanner) list(depth int) (Value, bool) {
	var items []Value
	d.space()
	if d.consume(']') {
		return List(items...), true
	}
	for {
		v, ok := d.value(depth)
		if !ok {
			return Value{}, false
		}
		items = append(items, v)
		d.space()
		if d.consume(']') {
			return List(items...), true
		}
		if !d.consume(',') {
			return Value{}, false
		}
	}
}

// value reads one value after optional white space.
func (d *jsonScanner) value(depth int) (Value, bool) {
	d.space()
	if d.i >= len(d.s) {
		return Value{}, false
	}
	switch c := d.s[d.i]; {
	case c == '"':
		s, ok := d.string()
		return String(s), ok
	case c == '{' || c == '[':
		if depth+1 > maxDepth {
			return Value{}, false
		}
		d.i++
		if c == '[' {
			return d.list(depth + 1)
		}
		p, ok := d.object(depth+1, 0)
		return Object(p), ok
	case c == 't':
		return Bool(true), d.literal("true")
	case c == 'f':
		return Bool(false), d.literal("false")
	case c == 'n':
		return Value{}, d.literal("null")
	case c == '-' || '0' <= c && c <= '9':
		return d.number()
	}
	return Value{}, false
}

// literal skips word when it comes next.
func (d *jsonScanner) literal(word string) bool {
	if strings.HasPrefix(d.s[d.i:], word) {
		d.i += len(word)
		return true
	}
	return false
}

// number reads a number literal: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (d *jsonScanner) number() (Value, bool) {
	start := d.i
	d.consume('-')
	switch {
	case d.consume('0'):
	case d.i < len(d.s) && '1' <= d.s[d.i] && d.s[d.i] <= '9':
		d.digits()
	default:
		return Value{}, false
	}
	if d.consume('.') && !d.digits() {
		return Value{}, false
	}
	if d.consume('e') || d.consume('E') {
		if !d.consume('+') {
			d.consume('-')
		}
		if !d.digits() {
			return Value{}, false
		}
	}
	return Number(d.s[start:d.i]), true
}

// digits skips a run of digits and reports whether there was one.
func (d *jsonScanner) digits() bool {
	start := d.i
	for d.i < len(d.s) && '0' <= d.s[d.i] && d.s[d.i] <= '9' {
		d.i++
	}
	return d.i > start
}

// string reads a string: a substring of the text when it has no escapes.
// It gives up on a \u escape, a control character and invalid UTF-8, which
// encoding/json handles its own way.
func (d *jsonScanner) string() (string, bool) {
	if !d.consume('"') {
		return "", false
	}
	start, open := d.i, d.i
	ascii := true
	var b []byte // the string so far, once it had an escape
	for d.i < len(d.s) {
		c := d.s[d.i]
		switch {
		case c == '"':
			if !ascii && !utf8.ValidString(d.s[open:d.i]) { // escapes are ASCII
				return "", false
			}
			s := d.s[start:d.i]
			d.i++
			if b != nil {
				return string(append(b, s...)), true
			}
			return s, true
		case c == '\\':
			if d.i+1 >= len(d.s) {
				return "", false
			}
			r := unescapeJSON(d.s[d.i+1])
			if r == 0 {
				return "", false
			}
			b = append(append(b, d.s[start:d.i]...), r)
			d.i += 2
			start = d.i
			continue
		case c < 0x20:
			return "", false
		case c >= utf8.RuneSelf:
			ascii = false
		}
		d.i++
	}
	return "", false
}

// unescapeJSON returns the byte a one-letter JSON escape stands for, or 0
// for \u and anything else.
func unescapeJSON(c byte) byte {
	switch c {
	case '"', '\\', '/':
		return c
	case 'b':
		return '\b'
	case 'f':
		return '\f'
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	}
	return 0
}
