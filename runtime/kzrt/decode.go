package kzrt

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"sync"
)

// DecodeError is a JSON value that does not fit its Go type, or JSON that
// is not well formed, located by JSON pointer.
type DecodeError struct {
	Pointer string
	// Code is Kazoo's error code for the problem (AsErrors keeps it):
	// CodeType for a value of the wrong JSON type, CodeJSON for malformed
	// JSON, a union's code (CodeNoneOf, CodeNoneOfAny) for a value none of
	// its alternatives can hold, "" for a tree deeper than MaxDepth.
	Code string
	// Err is the problem; for malformed JSON, a *SyntaxError with its
	// byte offset.
	Err error
}

// Error describes the problem, with its location.
func (e *DecodeError) Error() string {
	if e.Pointer == "" {
		return e.Err.Error()
	}
	return e.Pointer + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *DecodeError) Unwrap() error { return e.Err }

// DecodeOptions adjusts how JSON is read; the zero value reads as Kazoo
// does and reports nothing more.
type DecodeOptions struct {
	// OnDuplicate, when set, is called once for every key written again
	// in the same JSON object, in the order the copies appear, when
	// reading ends (for input that fails to parse, with those found before
	// the failure). Tools use it to warn, as kzgen validate does.
	OnDuplicate func(Duplicate)
}

// Duplicate is a key written more than once in one JSON object. Kazoo's
// JSON decoder keeps every copy and Kazoo reads the first one (Go's
// encoding/json keeps the last), so kzrt decodes the first copy and skips
// the later ones, checking only that they are well-formed JSON: keys
// repeated inside a skipped copy are not reported. Raw JSON that kzrt
// keeps as it is (Extra members, RawData, json.RawMessage fields) keeps
// its repeated keys, which Kazoo then reads the same way.
type Duplicate struct {
	// Pointer is the JSON pointer of the repeated key's value.
	Pointer string
	// Offset is the byte offset of the ignored copy's key in the input,
	// FirstOffset that of the first copy's key.
	Offset, FirstOffset int
}

// Decoder reads one JSON text for the decode methods kzgen generates,
// without reflection and in one pass: each method reads its value token by
// token (OpenObject and NextMember, OpenArray and NextElem, String, Int…)
// straight into its fields. Strings are copied once, and unescaped only
// when they hold escapes; numbers stay text until the type that receives
// them is known.
//
// The first problem stops decoding: every later call does nothing and
// returns zero values, and the reading function (Unmarshal, ParseNode…)
// returns that problem as a *DecodeError naming the JSON pointer of the
// offending value, what was expected ("got string, want integer") and
// Kazoo's code for it. A union reads its value with Alternatives, trying
// each alternative on the same bytes. A key written twice in one object
// keeps its first copy, as Kazoo reads it (see Duplicate). The nodes of a
// stored callflow (Node) have their data converted as Crossbar converts
// it. Arrays and objects may nest a few thousand levels deep; deeper
// input is an error, never a crash.
//
// Decoders are made by Unmarshal, Modules.Unmarshal and the Modules
// parsing functions; generated code only calls their methods.
type Decoder struct {
	data []byte
	pos  int

	// frames has one entry per open array or object, for JSON pointers
	// and duplicate keys; keys holds the keys read so far in the open
	// objects, each frame's from frame.keys on.
	frames []frame
	keys   []keySpan
	// key is the current member's key, unescaped; keyBuf backs it when
	// the key has escapes, strBuf does the same for string values.
	key, keyBuf, strBuf []byte
	stack               []byte // skipValue's scratch
	// implied is the key Implied set for the next object.
	implied string

	// base is the frame errors are located from: problems in a node's
	// data are relative to the data (see nodeData).
	base int
	err  *DecodeError
	// errDepth is how many frames deep below base err was found, so that
	// a union reports the alternative that got furthest.
	errDepth int
	// fatal is set for malformed JSON, which no alternative or fallback
	// can recover from.
	fatal bool

	modules   *Modules
	nodeDepth int
	// stored is set while reading the nodes of a stored callflow document
	// (Node), convert while reading one's data: values of the wrong JSON
	// type are then converted as Crossbar converts them, outside unions
	// (unions counts the unions being read), and recorded in conversions
	// for the node (Node.Converted).
	stored, convert bool
	unions          int
	conversions     []Conversion

	onDuplicate func(Duplicate)
	dups        []Duplicate
}

// frame is one open array or object.
type frame struct {
	array bool
	// key is the offset of the current member's key (objects); index
	// counts the members or elements begun so far.
	key, index int
	// keys is where this object's keys start in Decoder.keys; seen
	// indexes them by text once the object has many keys.
	keys int
	seen map[string]int
	// implied is a key the object's reader does not see (Implied).
	implied string
}

// keySpan is one key read in an open object: the offsets of its opening
// and closing quotes, and whether it has escapes.
type keySpan struct {
	start, end int
	escaped    bool
}

// manyKeys is the number of keys in one object past which duplicates are
// found with a map rather than by comparing with every earlier key.
const manyKeys = 32

var decoders = sync.Pool{New: func() any { return new(Decoder) }}

// newDecoder returns a decoder, from the pool, reading data.
func newDecoder(data []byte, m *Modules, opts DecodeOptions) *Decoder {
	d := decoders.Get().(*Decoder)
	d.data, d.modules, d.onDuplicate = data, m, opts.OnDuplicate
	return d
}

// release returns d to the pool, keeping its buffers (unless they grew
// large) but nothing of what it read.
func (d *Decoder) release() {
	clear(d.frames)
	clear(d.dups)
	clear(d.conversions)
	*d = Decoder{frames: d.frames[:0], keys: d.keys[:0], keyBuf: d.keyBuf[:0], strBuf: d.strBuf[:0], stack: d.stack[:0],
		dups: d.dups[:0], conversions: d.conversions[:0]}
	if cap(d.keyBuf) > 1<<16 || cap(d.strBuf) > 1<<16 || cap(d.frames) > 1<<12 {
		*d = Decoder{}
	}
	decoders.Put(d)
}

// Unmarshal decodes data, one JSON value, with decode, typically a
// generated type's decode method: x.decode. It returns nil or a
// *DecodeError. Generated UnmarshalJSON methods call it.
func Unmarshal(data []byte, decode func(*Decoder)) error {
	return unmarshal(data, nil, DecodeOptions{}, decode)
}

// UnmarshalWith is Unmarshal with options: DecodeOptions.OnDuplicate
// hears of every key written twice (in the objects decode reads; a
// skipped value's keys are not looked at).
func UnmarshalWith(data []byte, opts DecodeOptions, decode func(*Decoder)) error {
	return unmarshal(data, nil, opts, decode)
}

// UnmarshalValue decodes data, one JSON value, into *dst with read, a
// Decoder method reading a scalar ((*Decoder).Int, (*Decoder).String…).
// It returns nil or a *DecodeError.
func UnmarshalValue[T any](data []byte, dst *T, read func(*Decoder) T) error {
	return Unmarshal(data, func(d *Decoder) { *dst = read(d) })
}

// Unmarshal is the package-level Unmarshal for values that are or hold
// callflow nodes, which these modules type.
func (m *Modules) Unmarshal(data []byte, decode func(*Decoder)) error {
	return unmarshal(data, m, DecodeOptions{}, decode)
}

func unmarshal(data []byte, m *Modules, opts DecodeOptions, decode func(*Decoder)) error {
	d := newDecoder(data, m, opts)
	decode(d)
	err := d.finish()
	d.release()
	return err
}

// finish checks that nothing but whitespace follows the value, reports
// the duplicates, and returns the error, if any.
func (d *Decoder) finish() error {
	if d.err == nil {
		if i := skipSpace(d.data, d.pos); i < len(d.data) {
			d.failSyntax(i, describeByte(d.data, i)+" after the top-level value")
		}
	}
	for _, dup := range d.dups {
		d.onDuplicate(dup)
	}
	if d.err == nil {
		return nil
	}
	return d.err
}

// ---------------------------------------------------------------- errors

// pointer renders the JSON pointer of the current value from frame from
// on.
func (d *Decoder) pointer(from int) string {
	if from >= len(d.frames) {
		return ""
	}
	var b strings.Builder
	for _, f := range d.frames[from:] {
		b.WriteByte('/')
		if f.array {
			b.WriteString(strconv.Itoa(f.index - 1))
		} else if f.key >= 0 {
			b.WriteString(EscapeToken(d.keyText(f.key)))
		}
	}
	return b.String()
}

// keyText returns the text of the key whose opening quote is at offset i.
func (d *Decoder) keyText(i int) string {
	end, flags, _, _ := scanString(d.data, i)
	body := d.data[i+1 : end-1]
	if plainString(body, flags) {
		return string(body)
	}
	return string(appendUnquoted(nil, body))
}

// Fail records a value of the wrong type at the current position (Kazoo's
// CodeType), unless a problem is recorded already, and stops decoding. msg
// says what is wrong: "got string, want integer".
func (d *Decoder) Fail(msg string) { d.fail(CodeType, msg) }

// fail records a problem with Kazoo's code at the current position,
// unless one is recorded already, and stops decoding.
func (d *Decoder) fail(code, msg string) {
	if d.err != nil {
		return
	}
	d.err = &DecodeError{Pointer: d.pointer(d.base), Code: code, Err: errors.New(msg)}
	d.errDepth = len(d.frames) - d.base
}

// failSyntax records malformed JSON at offset i: fatal, and located from
// the document's root.
func (d *Decoder) failSyntax(i int, msg string) {
	if d.err != nil && d.fatal {
		return
	}
	d.err = &DecodeError{Pointer: d.pointer(0), Code: CodeJSON, Err: &SyntaxError{Offset: i, Msg: msg}}
	d.errDepth = len(d.frames)
	d.fatal = true
}

// Failed reports whether decoding has stopped on a problem.
func (d *Decoder) Failed() bool { return d.err != nil }

// Unexpected records that the next value is not of the JSON type want
// ("integer or string"): "got boolean, want integer or string". Malformed
// JSON is reported as such.
func (d *Decoder) Unexpected(want string) { d.unexpected(want, CodeType) }

// unexpected is Unexpected, reported with Kazoo's code.
func (d *Decoder) unexpected(want, code string) {
	if d.err != nil {
		return
	}
	i := skipSpace(d.data, d.pos)
	k := kindOf(d.data, i)
	if k == 0 {
		d.failSyntax(i, describeByte(d.data, i)+" looking for the beginning of a value")
		return
	}
	// What does not fit must at least be JSON: malformed JSON is the
	// problem to report.
	_, stack, err := skipValue(d.data, i, d.stack, maxNesting-len(d.frames))
	d.stack = stack
	if err != nil {
		d.failSyntax(err.Offset, err.Msg)
		return
	}
	got := kindName(k)
	if k == '0' {
		if end, _, _ := scanNumber(d.data, i); end-i <= 40 {
			got += " " + string(d.data[i:end])
		}
	}
	d.fail(code, "got "+got+", want "+want)
}

// next skips whitespace and returns the offset of the next value when its
// kind is want ('t' for booleans, '0' for numbers); otherwise it records
// the problem (wanting what) and returns -1.
func (d *Decoder) next(want byte, what string) int {
	if d.err != nil {
		return -1
	}
	i := skipSpace(d.data, d.pos)
	k := kindOf(d.data, i)
	if k == 'f' {
		k = 't'
	}
	if k != want {
		d.pos = i
		d.Unexpected(what)
		return -1
	}
	return i
}

// ---------------------------------------------------------------- structure

// OpenObject reads the "{" that starts the next value, for NextMember to
// read the members; it reports false, recording the problem, when the
// value is not an object.
func (d *Decoder) OpenObject() bool {
	i := d.next('{', "object")
	if i < 0 {
		return false
	}
	return d.open(i, false)
}

// OpenArray reads the "[" that starts the next value, for NextElem to
// read the elements; it reports false, recording the problem, when the
// value is not an array.
func (d *Decoder) OpenArray() bool {
	i := d.next('[', "array")
	if i < 0 {
		return false
	}
	return d.open(i, true)
}

func (d *Decoder) open(i int, array bool) bool {
	if len(d.frames) >= maxNesting {
		d.failSyntax(i, "nested more than "+strconv.Itoa(maxNesting)+" levels deep")
		return false
	}
	d.pos = i + 1
	f := frame{array: array, key: -1, keys: len(d.keys)}
	if !array {
		f.implied, d.implied = d.implied, ""
	}
	d.frames = append(d.frames, f)
	return true
}

// close ends the innermost object or array, at offset i, just past its
// closing bracket.
func (d *Decoder) close(i int) {
	f := &d.frames[len(d.frames)-1]
	d.keys = d.keys[:f.keys]
	*f = frame{}
	d.frames = d.frames[:len(d.frames)-1]
	d.pos = i
}

// NextMember moves to the next member of the object OpenObject opened and
// reads its key (Key); it reports false at the end of the object, which it
// then leaves, and when decoding has stopped. The caller reads the
// member's value before calling NextMember again. A key the object has
// already had is skipped with its value (Kazoo reads the first copy), and
// recorded as a Duplicate.
func (d *Decoder) NextMember() bool {
	for d.err == nil {
		f := &d.frames[len(d.frames)-1]
		i := skipSpace(d.data, d.pos)
		if i < len(d.data) && d.data[i] == '}' {
			d.close(i + 1)
			return false
		}
		if f.index > 0 {
			if i >= len(d.data) || d.data[i] != ',' {
				d.failSyntax(i, describeByte(d.data, i)+" after an object member; want ',' or '}'")
				return false
			}
			i = skipSpace(d.data, i+1)
		}
		if i >= len(d.data) || d.data[i] != '"' {
			d.failSyntax(i, describeByte(d.data, i)+" looking for an object key")
			return false
		}
		end, flags, at, msg := scanString(d.data, i)
		if end < 0 {
			d.failSyntax(at, msg)
			return false
		}
		body := d.data[i+1 : end-1]
		if plainString(body, flags) {
			d.key = body
		} else {
			d.keyBuf = appendUnquoted(d.keyBuf[:0], body)
			d.key = d.keyBuf
		}
		f.key = i
		f.index++
		j := skipSpace(d.data, end)
		if j >= len(d.data) || d.data[j] != ':' {
			d.failSyntax(j, describeByte(d.data, j)+" after an object key; want ':'")
			return false
		}
		d.pos = j + 1
		span := keySpan{start: i, end: end, escaped: flags&strEscaped != 0}
		if first := d.firstCopy(f, span); first >= 0 {
			d.duplicate(first, i)
			d.Skip()
			continue
		}
		d.keys = append(d.keys, span)
		if f.seen != nil {
			f.seen[string(d.key)] = i
		}
		if f.implied != "" && string(d.key) == f.implied {
			d.Skip()
			continue
		}
		return true
	}
	return false
}

// firstCopy returns the offset of an earlier key of the object f with the
// same text as the current key, or -1.
func (d *Decoder) firstCopy(f *frame, span keySpan) int {
	if f.seen != nil {
		if first, ok := f.seen[string(d.key)]; ok {
			return first
		}
		return -1
	}
	earlier := d.keys[f.keys:]
	for _, k := range earlier {
		if d.sameKey(k, span) {
			return k.start
		}
	}
	if len(earlier) >= manyKeys {
		f.seen = make(map[string]int, 2*len(earlier))
		for _, k := range earlier {
			f.seen[d.keyText(k.start)] = k.start
		}
	}
	return -1
}

// sameKey reports whether the key k has the text of the current key.
func (d *Decoder) sameKey(k, current keySpan) bool {
	body := d.data[k.start+1 : k.end-1]
	if !k.escaped && !current.escaped {
		return bytes.Equal(body, d.key)
	}
	return d.keyText(k.start) == string(d.key)
}

// duplicate records a repeated key, at offset i, whose first copy is at
// offset first, when someone asked for duplicates.
func (d *Decoder) duplicate(first, i int) {
	if d.onDuplicate != nil {
		d.dups = append(d.dups, Duplicate{Pointer: d.pointer(0), Offset: i, FirstOffset: first})
	}
}

// Implied hides the member key of the next object from its reader, as if
// the object did not have it (its value must still be well-formed JSON):
// for a union that picks its alternative by that member (PeekString) and
// whose alternative's type does not name it.
func (d *Decoder) Implied(key string) { d.implied = key }

// Key returns the current member's key, unescaped. The bytes are valid
// until the next call to NextMember; convert them with string(…) to keep
// them (switch string(d.Key()) does not allocate).
func (d *Decoder) Key() []byte { return d.key }

// NextElem moves to the next element of the array OpenArray opened; it
// reports false at the end of the array, which it then leaves, and when
// decoding has stopped. The caller reads the element before calling
// NextElem again.
func (d *Decoder) NextElem() bool {
	if d.err != nil {
		return false
	}
	f := &d.frames[len(d.frames)-1]
	i := skipSpace(d.data, d.pos)
	if i < len(d.data) && d.data[i] == ']' {
		d.close(i + 1)
		return false
	}
	if f.index > 0 {
		if i >= len(d.data) || d.data[i] != ',' {
			d.failSyntax(i, describeByte(d.data, i)+" after an array element; want ',' or ']'")
			return false
		}
		d.pos = i + 1
	} else {
		d.pos = i
	}
	f.index++
	return true
}

// ---------------------------------------------------------------- values

// Kind returns the kind of the next value, as the package-level Kind
// classifies it, without reading it; 0 when decoding has stopped.
func (d *Decoder) Kind() byte {
	if d.err != nil {
		return 0
	}
	return kindOf(d.data, skipSpace(d.data, d.pos))
}

// IsInteger reports whether the next value is a number written as an
// integer (see the package-level IsInteger), without reading it.
func (d *Decoder) IsInteger() bool {
	if d.err != nil {
		return false
	}
	i := skipSpace(d.data, d.pos)
	if kindOf(d.data, i) != '0' {
		return false
	}
	end, integer, _ := scanNumber(d.data, i)
	return end > 0 && integer
}

// Offset returns the byte offset in the input where the next value
// starts, past any whitespace: for a reader that refuses the value to say
// where it is (its line and column); 0 when decoding has stopped.
func (d *Decoder) Offset() int {
	if d.err != nil {
		return 0
	}
	return skipSpace(d.data, d.pos)
}

// Skip reads the next value, keeping nothing; it must be well-formed JSON.
func (d *Decoder) Skip() {
	d.span()
}

// span reads the next value and returns its offsets, or -1, -1.
func (d *Decoder) span() (start, end int) {
	if d.err != nil {
		return -1, -1
	}
	start = skipSpace(d.data, d.pos)
	end, stack, err := skipValue(d.data, start, d.stack, maxNesting-len(d.frames))
	d.stack = stack
	if err != nil {
		d.failSyntax(err.Offset, err.Msg)
		return -1, -1
	}
	d.pos = end
	return start, end
}

// Raw returns a copy of the next value's JSON, whatever its type (null
// included).
func (d *Decoder) Raw() json.RawMessage {
	start, end := d.span()
	if start < 0 {
		return nil
	}
	return bytes.Clone(d.data[start:end])
}

// Extra keeps the current member's value, as raw JSON, in *extra under its
// key: the unknown properties of a struct.
func (d *Decoder) Extra(extra *map[string]json.RawMessage) {
	if raw := d.Raw(); raw != nil {
		if *extra == nil {
			*extra = map[string]json.RawMessage{}
		}
		(*extra)[string(d.key)] = raw
	}
}

// String reads a JSON string.
func (d *Decoder) String() string {
	i := d.next('"', "string")
	if i < 0 {
		return ""
	}
	end, flags, at, msg := scanString(d.data, i)
	if end < 0 {
		d.failSyntax(at, msg)
		return ""
	}
	d.pos = end
	body := d.data[i+1 : end-1]
	if plainString(body, flags) {
		return string(body)
	}
	d.strBuf = appendUnquoted(d.strBuf[:0], body)
	return string(d.strBuf)
}

// Bool reads true or false.
func (d *Decoder) Bool() bool {
	if lit := d.converted("boolean"); lit != nil {
		return lit[0] == 't'
	}
	i := d.next('t', "boolean")
	if i < 0 {
		return false
	}
	switch {
	case scanLiteral(d.data, i, "true"):
		d.pos = i + 4
		return true
	case scanLiteral(d.data, i, "false"):
		d.pos = i + 5
	default:
		d.failSyntax(i, describeByte(d.data, i)+" looking for the beginning of a value")
	}
	return false
}

// number reads a JSON number and returns its text and whether it is
// written as an integer; lit is nil when there is none (what says what
// was wanted).
func (d *Decoder) number(what string) (lit []byte, integer bool) {
	i := d.next('0', what)
	if i < 0 {
		return nil, false
	}
	end, integer, at := scanNumber(d.data, i)
	if end < 0 {
		d.failSyntax(at, "invalid number")
		return nil, false
	}
	d.pos = end
	return d.data[i:end], integer
}

// Number reads a JSON number and returns its text as written ("1.50",
// "1e3", an integer of any size), as json.Number keeps it: for tools that
// copy numbers without giving them a Go type. It returns "" when the value
// is not a number.
func (d *Decoder) Number() string {
	lit, _ := d.number("number")
	return string(lit)
}

// Int reads an integer: a JSON number written without fraction or
// exponent, as Kazoo reads integers (20.0 and 2e1 are not integers), that
// int64 can hold.
func (d *Decoder) Int() int64 {
	n, lit := d.intValue(false)
	if lit != nil {
		d.Fail("integer " + clip(lit) + " is beyond int64's range")
	}
	return n
}

// IntOrKeep reads an integer into a struct field: a new *int64, or nil
// when the number does not fit the field, being written with a fraction
// or an exponent (20.0, 2e1: Kazoo reads those as floats, not integers)
// or beyond int64's range. Such a number is kept verbatim in *extra under
// the member's key, so that it survives a round trip and Validate can
// report it as Kazoo does: of the wrong type, or checked exactly against
// its schema's bounds (see Validator.KeptNumber).
func (d *Decoder) IntOrKeep(extra *map[string]json.RawMessage) *int64 {
	n, lit := d.intValue(true)
	if lit != nil {
		d.keep(extra, lit)
		return nil
	}
	if d.err != nil {
		return nil
	}
	return &n
}

// intValue reads an integer. lit is the number's text when int64 cannot
// hold it or, with floats, when it is written with a fraction or an
// exponent; otherwise such a number is a problem, as is a value that is no
// number.
func (d *Decoder) intValue(floats bool) (n int64, lit []byte) {
	text := d.converted("integer")
	if text == nil {
		start := skipSpace(d.data, d.pos)
		var integer bool
		if text, integer = d.number("integer"); text == nil {
			return 0, nil
		}
		if !integer {
			if floats {
				return 0, text
			}
			d.pos = start
			d.Unexpected("integer")
			return 0, nil
		}
	}
	n, ok := parseInt(text)
	if !ok {
		return 0, text
	}
	return n, nil
}

// Float reads a JSON number as the nearest float64; a number beyond
// float64's range is an error.
func (d *Decoder) Float() float64 {
	f, lit := d.floatValue()
	if lit != nil {
		d.Fail("number " + clip(lit) + " is beyond float64's range")
	}
	return f
}

// FloatOrKeep reads a number into a struct field: a new *float64, or nil
// when the number is beyond float64's range; it is then kept verbatim in
// *extra under the member's key, as IntOrKeep does.
func (d *Decoder) FloatOrKeep(extra *map[string]json.RawMessage) *float64 {
	f, lit := d.floatValue()
	if lit != nil {
		d.keep(extra, lit)
		return nil
	}
	if d.err != nil {
		return nil
	}
	return &f
}

// floatValue reads a number; lit is its text when it is beyond float64's
// range.
func (d *Decoder) floatValue() (f float64, lit []byte) {
	text := d.converted("number")
	if text == nil {
		if text, _ = d.number("number"); text == nil {
			return 0, nil
		}
	}
	f, ok := parseFloat(text)
	if !ok {
		return 0, text
	}
	return f, nil
}

// keep stores lit in *extra under the current member's key.
func (d *Decoder) keep(extra *map[string]json.RawMessage, lit []byte) {
	if *extra == nil {
		*extra = map[string]json.RawMessage{}
	}
	(*extra)[string(d.key)] = bytes.Clone(lit)
}

// converted applies Crossbar's conversion to the next value when the
// decoder converts (it reads a stored callflow's node data, outside
// unions) and the value is of the wrong JSON type for want ("integer",
// "number", "boolean"; see CrossbarConvert): it reads the value, records
// the conversion and returns the converted JSON. It returns nil, reading
// nothing, when there is nothing to convert or Kazoo cannot convert it;
// the caller then reads the value as it is.
func (d *Decoder) converted(want string) []byte {
	if !d.convert || d.unions > 0 || d.err != nil {
		return nil
	}
	i := skipSpace(d.data, d.pos)
	switch k := kindOf(d.data, i); {
	case k == '"':
	case k == '0' && want == "integer":
		if end, integer, _ := scanNumber(d.data, i); end < 0 || integer {
			return nil
		}
	default:
		return nil
	}
	start, end := d.span()
	if start < 0 {
		return nil
	}
	from := d.data[start:end]
	to, ok := CrossbarConvert(from, want)
	if !ok {
		d.pos = start
		return nil
	}
	d.conversions = append(d.conversions, Conversion{Pointer: "/data" + d.pointer(d.base), From: bytes.Clone(from), To: to})
	return to
}

// clip shortens a long number for a message.
func clip(lit []byte) string {
	if len(lit) > 40 {
		return string(lit[:20]) + "…" + string(lit[len(lit)-10:])
	}
	return string(lit)
}

// ---------------------------------------------------------------- unions

// mark is a decoder's position, to come back to.
type mark struct {
	pos, frames, keys, dups, conversions, nodeDepth int
	// top is the innermost open frame as it was (its key and index
	// change as its members are read).
	top frame
}

func (d *Decoder) mark() mark {
	m := mark{pos: d.pos, frames: len(d.frames), keys: len(d.keys), dups: len(d.dups),
		conversions: len(d.conversions), nodeDepth: d.nodeDepth}
	if len(d.frames) > 0 {
		m.top = d.frames[len(d.frames)-1]
	}
	return m
}

// reset goes back to m, forgetting any problem met since.
func (d *Decoder) reset(m mark) {
	clear(d.frames[m.frames:])
	d.pos, d.frames, d.keys, d.nodeDepth = m.pos, d.frames[:m.frames], d.keys[:m.keys], m.nodeDepth
	clear(d.dups[m.dups:])
	d.dups = d.dups[:m.dups]
	clear(d.conversions[m.conversions:])
	d.conversions = d.conversions[:m.conversions]
	if len(d.frames) > 0 {
		d.frames[len(d.frames)-1] = m.top
	}
	d.err, d.errDepth, d.fatal = nil, 0, false
	d.implied = ""
}

// Alternatives reads a union's value (a oneOf, an anyOf, a list of types)
// for generated code: it decodes an alternative, asks Decoded, and either
// keeps it or calls Rewind before trying the next one; when none fits, it
// calls Fail. End, deferred, closes the union. Values read in between are
// never converted as Crossbar converts stored callflows: Kazoo converts a
// value whose own type is wrong, not a union none of whose alternatives
// accepts it.
type Alternatives struct {
	d     *Decoder
	start mark
	// end is where the value ends, once an alternative decoded it.
	end int
	// err is the problem of the alternative that reached deepest.
	err      *DecodeError
	errDepth int
	// fallback holds the duplicates found by the first alternative that
	// decoded, kept for Fallback.
	fallback    []Duplicate
	hasFallback bool
}

// Alternatives starts reading a union's value, the next value.
func (d *Decoder) Alternatives() Alternatives {
	d.unions++
	return Alternatives{d: d, start: d.mark(), end: -1}
}

// End closes the union Alternatives opened, whatever came of it.
func (a *Alternatives) End() { a.d.unions-- }

// Decoded reports whether the alternative just tried decoded the value;
// when it did not, the decoder goes back to the value's start, keeping the
// problem for Fail if it reached deeper than the others' (malformed JSON
// stops everything).
func (a *Alternatives) Decoded() bool {
	d := a.d
	if d.err == nil {
		a.end = d.pos
		return true
	}
	if d.fatal {
		return false
	}
	if a.err == nil || d.errDepth > a.errDepth {
		a.err, a.errDepth = d.err, d.errDepth
	}
	d.reset(a.start)
	return false
}

// Restart goes back to the value's start after a union's shared
// properties were read from it, to try the alternatives.
func (a *Alternatives) Restart() { a.d.reset(a.start) }

// Rewind goes back to the value's start after an alternative that decoded
// but is not the one chosen; the first such alternative is the fallback.
func (a *Alternatives) Rewind() {
	d := a.d
	if !a.hasFallback {
		a.hasFallback = true
		a.fallback = append(a.fallback, d.dups[a.start.dups:]...)
	}
	d.reset(a.start)
}

// Fallback moves past the value after the generated code settled for the
// fallback alternative.
func (a *Alternatives) Fallback() {
	d := a.d
	d.pos = a.end
	d.dups = append(d.dups, a.fallback...)
}

// Fail records that no alternative can hold the value, as Kazoo reports
// it with code: CodeNoneOf for a oneOf, CodeNoneOfAny for an anyOf, one
// problem at the union that quotes the problem of the alternative that
// reached deepest; CodeType for a list of types, that problem itself.
// When no alternative has the value's JSON type, the problem is that the
// value is not of a type want names ("integer or string").
func (a *Alternatives) Fail(want, code string) {
	d := a.d
	switch {
	case d.err != nil:
	case a.err == nil:
		d.unexpected(want, code)
	case code == CodeType:
		d.err, d.errDepth = a.err, a.errDepth
	default:
		found := *a.err
		found.Pointer = strings.TrimPrefix(found.Pointer, d.pointer(d.base))
		d.fail(code, "no alternative matches: "+brief(AsErrors(&found).Error()))
	}
}

// PeekString returns the text of the member key of the next value, when
// that value is an object and the member a string, without reading
// anything: for a union whose alternative one property picks. Of a key
// written twice, the first copy counts, as Kazoo reads it. The bytes are
// valid until the next call of a Decoder method.
func (d *Decoder) PeekString(key string) []byte {
	if d.err != nil {
		return nil
	}
	i := skipSpace(d.data, d.pos)
	if i >= len(d.data) || d.data[i] != '{' {
		return nil
	}
	i = skipSpace(d.data, i+1)
	for i < len(d.data) && d.data[i] == '"' {
		end, flags, _, _ := scanString(d.data, i)
		if end < 0 {
			return nil
		}
		body := d.data[i+1 : end-1]
		match := string(body) == key
		if !plainString(body, flags) {
			d.strBuf = appendUnquoted(d.strBuf[:0], body)
			match = string(d.strBuf) == key
		}
		j := skipSpace(d.data, end)
		if j >= len(d.data) || d.data[j] != ':' {
			return nil
		}
		j = skipSpace(d.data, j+1)
		if match {
			if j >= len(d.data) || d.data[j] != '"' {
				return nil
			}
			end, flags, _, _ := scanString(d.data, j)
			if end < 0 {
				return nil
			}
			value := d.data[j+1 : end-1]
			if plainString(value, flags) {
				return value
			}
			d.strBuf = appendUnquoted(d.strBuf[:0], value)
			return d.strBuf
		}
		var err *SyntaxError
		if j, d.stack, err = skipValue(d.data, j, d.stack, maxNesting-len(d.frames)); err != nil {
			return nil
		}
		j = skipSpace(d.data, j)
		if j >= len(d.data) || d.data[j] != ',' {
			return nil
		}
		i = skipSpace(d.data, j+1)
	}
	return nil
}

// ---------------------------------------------------------------- helpers on bytes

// Kind classifies a JSON value by its first byte: '{', '[', '"', 't' or
// 'f' (booleans), 'n' (null), '0' (numbers), or 0 for empty input.
func Kind(data []byte) byte {
	return kindOf(data, skipSpace(data, 0))
}

// IsInteger reports whether data is a JSON number written as an integer:
// without fraction or exponent, as Kazoo's decoder reads integers ("20",
// not "20.0" nor "2e1"). The number may be of any size.
func IsInteger(data []byte) bool {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || kindOf(data, 0) != '0' {
		return false
	}
	end, integer, _ := scanNumber(data, 0)
	return end == len(data) && integer
}

// DefaultValue decodes a schema default into a T. The generator only emits
// defaults that decode; should one not, the zero T is returned.
func DefaultValue[T any](jsonText string) T {
	var v T
	if err := json.Unmarshal([]byte(jsonText), &v); err != nil {
		var zero T
		return zero
	}
	return v
}

// Members splits data, a JSON object, into its members, of a key written
// twice the first copy, as Kazoo reads it: for tools that read node data
// without its Go type. The values are copies. A value that is not a
// well-formed object is a *DecodeError naming its JSON type or the
// malformed JSON.
func Members(data []byte) (map[string]json.RawMessage, error) {
	var members map[string]json.RawMessage
	err := Unmarshal(data, func(d *Decoder) {
		if !d.OpenObject() {
			return
		}
		members = map[string]json.RawMessage{}
		for d.NextMember() {
			d.Extra(&members)
		}
	})
	if err != nil {
		return nil, err
	}
	return members, nil
}

// Member returns the JSON of member key of object, a JSON object (of a
// key written twice, the first copy, as Kazoo reads it), and whether it
// has one, for generated Validate methods checking values kept as JSON.
// The JSON shares object's bytes. An object that is not one, or not well
// formed, is a *DecodeError.
func Member(object []byte, key string) (value json.RawMessage, found bool, err error) {
	err = Unmarshal(object, func(d *Decoder) {
		if !d.OpenObject() {
			return
		}
		for d.NextMember() {
			if string(d.Key()) != key {
				d.Skip()
				continue
			}
			start, end := d.span()
			if start >= 0 {
				value, found = object[start:end], true
			}
		}
	})
	if err != nil {
		return nil, false, err
	}
	return value, found, nil
}

// StringMember returns the text of member key of object when object is a
// well-formed JSON object and the member a string (of a key written twice,
// the first copy), else "".
func StringMember(object []byte, key string) string {
	var s string
	err := Unmarshal(object, func(d *Decoder) {
		s = string(d.PeekString(key))
		d.Skip()
	})
	if err != nil {
		return ""
	}
	return s
}
