package validate

import (
	"bytes"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// This file is the validator's own JSON decoding. It reads JSON as Kazoo's
// decoder (jiffy) does where encoding/json would not: number literals are
// kept as written (big integers stay exact, 20.0 stays a float), and for a
// key written twice in one object the first copy is kept, as Kazoo reads
// it, while each later copy becomes a warning.

// jsonKind is the JSON type of a decoded value.
type jsonKind uint8

const (
	kindNull jsonKind = iota
	kindBool
	kindNumber
	kindString
	kindArray
	kindObject
)

var kindNames = [...]string{"null", "boolean", "number", "string", "array", "object"}

// value is one decoded JSON value.
type value struct {
	kind jsonKind
	// b is a boolean's value.
	b bool
	// s is a string's text or a number's literal.
	s string
	// isInt is true for a number written without fraction or exponent.
	isInt bool
	// items are an array's elements.
	items []*value
	// members are an object's members in document order, first copies
	// only.
	members []member
	// shared marks a value used at several places (a schema default): it
	// has no single JSON pointer.
	shared bool
}

// member is one key of an object and its value.
type member struct {
	key string
	val *value
}

// get returns the member named key, or nil.
func (v *value) get(key string) *value {
	for i := range v.members {
		if v.members[i].key == key {
			return v.members[i].val
		}
	}
	return nil
}

// typeName names v's JSON type for messages, "integer" for integers.
func (v *value) typeName() string {
	if v.kind == kindNumber && v.isInt {
		return "integer"
	}
	return kindNames[v.kind]
}

// rat returns a number's value as Kazoo compares it: an integer exactly, a
// float as the float64 Kazoo's decoder makes of it. ok is false for a
// float beyond float64's range.
func (v *value) rat() (r *big.Rat, ok bool) {
	if v.isInt {
		r, ok = new(big.Rat).SetString(v.s)
		return r, ok
	}
	f, err := strconv.ParseFloat(v.s, 64)
	if err != nil || math.IsInf(f, 0) {
		return nil, false
	}
	return new(big.Rat).SetFloat64(f), true
}

// duplicate is a key written again in the same object.
type duplicate struct {
	pointer      string
	line, column int // of the later copy's key
	firstLine    int // of the first copy's key
	offset       int // byte offsets of the two keys, until located
	firstOffset  int
}

// syntaxError is malformed JSON, located by line and column (1-based;
// columns count bytes).
type syntaxError struct {
	line, column int
	msg          string
}

func (e *syntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at line %d, column %d: %s", e.line, e.column, e.msg)
}

// decoder reads one JSON text.
type decoder struct {
	data       []byte
	pos        int
	maxDepth   int
	path       []string
	duplicates []duplicate
}

// decode parses data, which must hold exactly one JSON value, nested at
// most maxDepth arrays and objects deep.
func decode(data []byte, maxDepth int) (*value, []duplicate, error) {
	d := &decoder{data: data, maxDepth: maxDepth}
	d.space()
	v, err := d.value(0)
	if err != nil {
		return nil, nil, err
	}
	d.space()
	if d.pos < len(d.data) {
		return nil, nil, d.errorf("unexpected data after the top-level value")
	}
	d.locateDuplicates()
	return v, d.duplicates, nil
}

// locateDuplicates turns the duplicates' byte offsets into lines and
// columns in one pass over the text.
func (d *decoder) locateDuplicates() {
	if len(d.duplicates) == 0 {
		return
	}
	var offsets []int
	for _, dup := range d.duplicates {
		offsets = append(offsets, dup.offset, dup.firstOffset)
	}
	slices.Sort(offsets)
	lines := map[int][2]int{}
	line, lineStart, next := 1, 0, 0
	for i := 0; i <= len(d.data) && next < len(offsets); i++ {
		for next < len(offsets) && offsets[next] == i {
			lines[i] = [2]int{line, i - lineStart + 1}
			next++
		}
		if i < len(d.data) && d.data[i] == '\n' {
			line, lineStart = line+1, i+1
		}
	}
	for i := range d.duplicates {
		dup := &d.duplicates[i]
		at := lines[dup.offset]
		dup.line, dup.column = at[0], at[1]
		dup.firstLine = lines[dup.firstOffset][0]
	}
}

// decodeSchemaValue parses a JSON value from a schema (a default, an enum
// value), marked shared.
func decodeSchemaValue(data []byte) (*value, error) {
	v, _, err := decode(data, 10000)
	if err != nil {
		return nil, err
	}
	markShared(v)
	return v, nil
}

func markShared(v *value) {
	v.shared = true
	for _, it := range v.items {
		markShared(it)
	}
	for _, m := range v.members {
		markShared(m.val)
	}
}

// location turns a byte offset into a line and a column.
func (d *decoder) location(offset int) (line, column int) {
	before := d.data[:offset]
	return bytes.Count(before, []byte("\n")) + 1, offset - bytes.LastIndexByte(before, '\n')
}

func (d *decoder) errorf(format string, args ...any) error {
	line, col := d.location(min(d.pos, len(d.data)))
	return &syntaxError{line: line, column: col, msg: fmt.Sprintf(format, args...)}
}

func (d *decoder) space() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

func (d *decoder) value(depth int) (*value, error) {
	if d.pos >= len(d.data) {
		return nil, d.errorf("unexpected end of input")
	}
	switch c := d.data[d.pos]; {
	case c == '{':
		return d.object(depth + 1)
	case c == '[':
		return d.array(depth + 1)
	case c == '"':
		s, err := d.string()
		if err != nil {
			return nil, err
		}
		return &value{kind: kindString, s: s}, nil
	case c == '-' || c >= '0' && c <= '9':
		return d.number()
	case d.literal("true"):
		return &value{kind: kindBool, b: true}, nil
	case d.literal("false"):
		return &value{kind: kindBool}, nil
	case d.literal("null"):
		return &value{kind: kindNull}, nil
	default:
		return nil, d.errorf("unexpected character %q", rune(c))
	}
}

func (d *decoder) literal(word string) bool {
	if bytes.HasPrefix(d.data[d.pos:], []byte(word)) {
		d.pos += len(word)
		return true
	}
	return false
}

func (d *decoder) object(depth int) (*value, error) {
	if depth > d.maxDepth {
		return nil, d.errorf("nested more than %d levels deep", d.maxDepth)
	}
	d.pos++ // {
	v := &value{kind: kindObject}
	d.space()
	if d.pos < len(d.data) && d.data[d.pos] == '}' {
		d.pos++
		return v, nil
	}
	var offsets []int        // where each member's key starts, for warnings
	var index map[string]int // key → member position, once the object is large
	for {
		d.space()
		if d.pos >= len(d.data) || d.data[d.pos] != '"' {
			return nil, d.errorf("expected a string key")
		}
		keyStart := d.pos
		key, err := d.string()
		if err != nil {
			return nil, err
		}
		d.space()
		if d.pos >= len(d.data) || d.data[d.pos] != ':' {
			return nil, d.errorf("expected ':' after an object key")
		}
		d.pos++
		d.space()
		first := -1
		if index != nil {
			if i, ok := index[key]; ok {
				first = i
			}
		} else {
			for i := range v.members {
				if v.members[i].key == key {
					first = i
					break
				}
			}
		}
		d.path = append(d.path, key)
		before := len(d.duplicates)
		val, err := d.value(depth)
		if err != nil {
			return nil, err
		}
		d.path = d.path[:len(d.path)-1]
		if first >= 0 {
			// Kazoo ignores this copy, duplicates inside it included.
			d.duplicates = append(d.duplicates[:before], duplicate{
				pointer: pointer(append(d.path, key)), offset: keyStart, firstOffset: offsets[first]})
		} else {
			v.members = append(v.members, member{key: key, val: val})
			offsets = append(offsets, keyStart)
			switch {
			case index != nil:
				index[key] = len(v.members) - 1
			case len(v.members) > 16:
				index = make(map[string]int, 2*len(v.members))
				for i, m := range v.members {
					index[m.key] = i
				}
			}
		}
		d.space()
		if d.pos >= len(d.data) {
			return nil, d.errorf("unexpected end of input in an object")
		}
		switch d.data[d.pos] {
		case ',':
			d.pos++
		case '}':
			d.pos++
			return v, nil
		default:
			return nil, d.errorf("expected ',' or '}' in an object")
		}
	}
}

func (d *decoder) array(depth int) (*value, error) {
	if depth > d.maxDepth {
		return nil, d.errorf("nested more than %d levels deep", d.maxDepth)
	}
	d.pos++ // [
	v := &value{kind: kindArray}
	d.space()
	if d.pos < len(d.data) && d.data[d.pos] == ']' {
		d.pos++
		return v, nil
	}
	for {
		d.space()
		d.path = append(d.path, strconv.Itoa(len(v.items)))
		item, err := d.value(depth)
		if err != nil {
			return nil, err
		}
		d.path = d.path[:len(d.path)-1]
		v.items = append(v.items, item)
		d.space()
		if d.pos >= len(d.data) {
			return nil, d.errorf("unexpected end of input in an array")
		}
		switch d.data[d.pos] {
		case ',':
			d.pos++
		case ']':
			d.pos++
			return v, nil
		default:
			return nil, d.errorf("expected ',' or ']' in an array")
		}
	}
}

// number reads a number literal, as RFC 8259 writes it.
func (d *decoder) number() (*value, error) {
	start := d.pos
	digits := func() int {
		n := 0
		for d.pos < len(d.data) && d.data[d.pos] >= '0' && d.data[d.pos] <= '9' {
			d.pos++
			n++
		}
		return n
	}
	if d.data[d.pos] == '-' {
		d.pos++
	}
	if d.pos < len(d.data) && d.data[d.pos] == '0' {
		d.pos++
	} else if digits() == 0 {
		return nil, d.errorf("invalid number")
	}
	isInt := true
	if d.pos < len(d.data) && d.data[d.pos] == '.' {
		d.pos++
		isInt = false
		if digits() == 0 {
			return nil, d.errorf("invalid number: no digit after the decimal point")
		}
	}
	if d.pos < len(d.data) && (d.data[d.pos] == 'e' || d.data[d.pos] == 'E') {
		d.pos++
		isInt = false
		if d.pos < len(d.data) && (d.data[d.pos] == '+' || d.data[d.pos] == '-') {
			d.pos++
		}
		if digits() == 0 {
			return nil, d.errorf("invalid number: no digit in the exponent")
		}
	}
	return &value{kind: kindNumber, s: string(d.data[start:d.pos]), isInt: isInt}, nil
}

// string reads a string literal. Invalid UTF-8 is an error (Kazoo's decoder
// refuses it); an escaped lone surrogate becomes U+FFFD.
func (d *decoder) string() (string, error) {
	d.pos++ // opening quote
	start := d.pos
	// Fast path: no escapes.
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		if c == '"' {
			s := d.data[start:d.pos]
			if !utf8.Valid(s) {
				return "", d.errorf("invalid UTF-8 in a string")
			}
			d.pos++
			return string(s), nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", d.errorf("control character %q in a string", rune(c))
		}
		d.pos++
	}
	var b strings.Builder
	b.Write(d.data[start:d.pos])
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		switch {
		case c == '"':
			d.pos++
			if !utf8.ValidString(b.String()) {
				return "", d.errorf("invalid UTF-8 in a string")
			}
			return b.String(), nil
		case c < 0x20:
			return "", d.errorf("control character %q in a string", rune(c))
		case c != '\\':
			b.WriteByte(c)
			d.pos++
			continue
		}
		if d.pos+1 >= len(d.data) {
			break
		}
		esc := d.data[d.pos+1]
		d.pos += 2
		switch esc {
		case '"', '\\', '/':
			b.WriteByte(esc)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, ok := d.hex4()
			if !ok {
				return "", d.errorf("invalid \\u escape")
			}
			if utf16.IsSurrogate(r) {
				r2 := utf8.RuneError
				if bytes.HasPrefix(d.data[d.pos:], []byte(`\u`)) {
					save := d.pos
					d.pos += 2
					if lo, ok := d.hex4(); ok && utf16.DecodeRune(r, lo) != utf8.RuneError {
						r2 = utf16.DecodeRune(r, lo)
					} else {
						d.pos = save
					}
				}
				r = r2
			}
			b.WriteRune(r)
		default:
			d.pos--
			return "", d.errorf("invalid escape \\%c", esc)
		}
	}
	return "", d.errorf("unexpected end of input in a string")
}

func (d *decoder) hex4() (rune, bool) {
	if d.pos+4 > len(d.data) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(d.data[d.pos:d.pos+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	d.pos += 4
	return rune(n), true
}
