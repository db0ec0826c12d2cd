package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// maxNesting is how deeply arrays and objects may nest in the JSON that fmt
// and graph read: kzrt.MaxDepth, the bound kzgen validate applies too. A
// callflow nests two levels per node (the node, its "children"), so real
// ones stay far below it.
const maxNesting = kzrt.MaxDepth

// maxIndentLevel is the deepest nesting level the canonical layout indents.
// A value that starts deeper is written on one line, so that the output
// stays within a small factor of the input whatever the nesting: indenting
// every level would make it grow with the square of the depth. Past 128
// columns of indentation nothing is readable anyway.
const maxIndentLevel = 32

// flatJSON is one JSON text as fmt and graph read it: Kazoo's reading
// (the first copy of a duplicate key counts), number literals as
// written, and every value in document order in one flat list, so that a
// large input costs a few words per value.
type flatJSON struct {
	vals []flatValue
	// duplicates are the JSON pointers of the first maxWarnings keys
	// written a second time in the same object, in document order;
	// moreDuplicates counts the others.
	duplicates     []string
	moreDuplicates int
}

// flatValue is one value of a flatJSON, or an object member's key. The
// values of a container follow it in the list, an object's as key, value,
// key, value…
type flatValue struct {
	// kind is '{' or '[' for a container, '"' for a string, 'k' for a
	// member's key, 'd' for the key of a member that repeats an earlier
	// key of its object, '0' for a number, true, false or null.
	kind byte
	// text is a string's or a key's decoded text, or a literal as written.
	text string
	// end is, for a container, the index just past its last value.
	end int
}

// errTooDeep is the message for JSON nested deeper than maxNesting.
var errTooDeep = fmt.Errorf("nested more than %d arrays and objects deep (kzrt.MaxDepth; kzgen validate has the same bound)", maxNesting)

// pathStep is one step of a JSON pointer while reading: an object's key
// or an array's index.
type pathStep struct {
	key   string
	index int // -1 for a key
}

// flatReader reads a flatJSON from encoding/json's token stream.
type flatReader struct {
	data []byte
	dec  *json.Decoder
	text *flatJSON
	path []pathStep
}

// readFlatJSON reads exactly one JSON value. Malformed JSON is a
// *load.DecodeError, with its line and column; nesting deeper than
// maxNesting a *kzrt.DecodeError naming the pointer of the first value too
// deep. The cost is linear in the size of data.
func readFlatJSON(data []byte) (*flatJSON, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	r := flatReader{data: data, dec: dec, text: &flatJSON{}}
	if err := r.value(0); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, r.syntaxError()
	}
	return r.text, nil
}

// syntaxError locates the syntax error encoding/json met, by line and
// column, as generator/load reports one.
func (r *flatReader) syntaxError() error {
	_, err := load.Decode(r.data)
	if err == nil { // encoding/json's decoder and load.Decode agree on what is JSON
		err = errors.New("invalid JSON")
	}
	return err
}

// line and column locate the token just read (1-based; columns count
// bytes).
func (r *flatReader) line() int {
	return bytes.Count(r.data[:r.dec.InputOffset()], []byte("\n")) + 1
}

func (r *flatReader) column() int {
	before := r.data[:r.dec.InputOffset()]
	return len(before) - bytes.LastIndexByte(before, '\n') - 1
}

// pointer renders the JSON pointer of the value being read.
func (r *flatReader) pointer() string {
	var b strings.Builder
	for _, s := range r.path {
		b.WriteByte('/')
		if s.index >= 0 {
			b.WriteString(strconv.Itoa(s.index))
		} else {
			b.WriteString(kzrt.EscapeToken(s.key))
		}
	}
	return b.String()
}

// value reads the next value; depth is the number of containers around
// it.
func (r *flatReader) value(depth int) error {
	tok, err := r.dec.Token()
	if err != nil {
		return r.syntaxError()
	}
	t := r.text
	switch tok := tok.(type) {
	case json.Delim:
		if depth >= maxNesting {
			return &kzrt.DecodeError{Pointer: r.pointer(), Err: fmt.Errorf("line %d, column %d: %w", r.line(), r.column(), errTooDeep)}
		}
		at := len(t.vals)
		t.vals = append(t.vals, flatValue{kind: byte(tok)})
		if tok == '{' {
			err = r.members(depth + 1)
		} else {
			err = r.items(depth + 1)
		}
		if err != nil {
			return err
		}
		if _, err := r.dec.Token(); err != nil { // the closing delimiter
			return r.syntaxError()
		}
		t.vals[at].end = len(t.vals)
	case string:
		t.vals = append(t.vals, flatValue{kind: '"', text: tok})
	case json.Number:
		t.vals = append(t.vals, flatValue{kind: '0', text: string(tok)})
	case bool:
		t.vals = append(t.vals, flatValue{kind: '0', text: strconv.FormatBool(tok)})
	case nil:
		t.vals = append(t.vals, flatValue{kind: '0', text: "null"})
	}
	return nil
}

// members reads an object's members; depth counts the object.
func (r *flatReader) members(depth int) error {
	t := r.text
	var seen map[string]bool
	for r.dec.More() {
		tok, err := r.dec.Token()
		if err != nil {
			return r.syntaxError()
		}
		key, _ := tok.(string)
		if seen == nil {
			seen = map[string]bool{}
		}
		r.path = append(r.path, pathStep{key: key, index: -1})
		kind := byte('k')
		if seen[key] {
			kind = 'd'
			if len(t.duplicates) < maxWarnings {
				t.duplicates = append(t.duplicates, r.pointer())
			} else {
				t.moreDuplicates++
			}
		}
		seen[key] = true
		t.vals = append(t.vals, flatValue{kind: kind, text: key})
		if err := r.value(depth); err != nil {
			return err
		}
		r.path = r.path[:len(r.path)-1]
	}
	return nil
}

// items reads an array's items; depth counts the array.
func (r *flatReader) items(depth int) error {
	for i := 0; r.dec.More(); i++ {
		r.path = append(r.path, pathStep{index: i})
		if err := r.value(depth); err != nil {
			return err
		}
		r.path = r.path[:len(r.path)-1]
	}
	return nil
}

// next returns the index just past the value at i.
func (t *flatJSON) next(i int) int {
	if k := t.vals[i].kind; k == '{' || k == '[' {
		return t.vals[i].end
	}
	return i + 1
}

// member returns the index of the value of the first member key of the
// object at i, or -1.
func (t *flatJSON) member(i int, key string) int {
	for k := i + 1; k < t.vals[i].end; k = t.next(k + 1) {
		if t.vals[k].kind == 'k' && t.vals[k].text == key {
			return k + 1
		}
	}
	return -1
}

// nodeKeyOrder is the order a callflow node's own keys are written in,
// before its other keys, as Kazoo lays a node out.
var nodeKeyOrder = map[string]int{"module": 1, "data": 2, "children": 3}

// role is what a JSON value is in a callflow, which decides its layout.
type role uint8

const (
	rolePlain    role = iota
	roleNode          // a callflow node: module, data, children first
	roleChildren      // a node's "children": every member is a node
	roleDocument      // a stored callflow document: its "flow" is a node
)

// memberRole is the role of the value of a member key of an object of
// role r.
func (r role) memberRole(key string) role {
	switch {
	case r == roleNode && key == "children":
		return roleChildren
	case r == roleChildren, r == roleDocument && key == "flow":
		return roleNode
	}
	return rolePlain
}

// flatWriter writes a flatJSON in kzgen's canonical layout: a callflow
// node's keys module, data and children first, then the others sorted,
// every other object's keys sorted, the first copy of a duplicate key
// only, strings escaped as encoding/json escapes them (HTML characters
// left as they are), numbers as written; indented by four spaces a level
// up to maxIndentLevel, or compact.
type flatWriter struct {
	w      *bufio.Writer
	text   *flatJSON
	indent bool
}

// write writes the value at i, which starts at nesting level.
func (w *flatWriter) write(i, level int, r role) {
	v := w.text.vals[i]
	switch v.kind {
	case '"':
		w.string(v.text)
	case '0':
		w.w.WriteString(v.text)
	case '[':
		w.w.WriteByte('[')
		n := 0
		for k := i + 1; k < v.end; k = w.text.next(k) {
			w.element(n, level)
			w.write(k, level+1, rolePlain)
			n++
		}
		w.close(n, level, ']')
	case '{':
		w.w.WriteByte('{')
		keys := w.text.keys(i, r == roleNode)
		for n, k := range keys {
			w.element(n, level)
			key := w.text.vals[k].text
			w.string(key)
			w.w.WriteByte(':')
			if w.lines(level) {
				w.w.WriteByte(' ')
			}
			w.write(k+1, level+1, r.memberRole(key))
		}
		w.close(len(keys), level, '}')
	}
}

// lines reports whether a container at level is written one element a
// line.
func (w *flatWriter) lines(level int) bool { return w.indent && level < maxIndentLevel }

// element starts the n-th element of a container at level.
func (w *flatWriter) element(n, level int) {
	if n > 0 {
		w.w.WriteByte(',')
	}
	if w.lines(level) {
		w.newline(level + 1)
	}
}

// close ends a container at level that has n elements.
func (w *flatWriter) close(n, level int, delim byte) {
	if n > 0 && w.lines(level) {
		w.newline(level)
	}
	w.w.WriteByte(delim)
}

// indentation is the deepest indentation of a line.
var indentation = strings.Repeat("    ", maxIndentLevel)

func (w *flatWriter) newline(level int) {
	w.w.WriteByte('\n')
	w.w.WriteString(indentation[:4*level])
}

// string writes s as a JSON string, escaped as kzrt's encoder escapes it.
func (w *flatWriter) string(s string) {
	var e kzrt.Encoder
	e.String(s)
	b, _ := e.Bytes()
	w.w.Write(b)
}

// keys lists the indexes of the keys of the object at i in the order they
// are written: a node's own keys first when isNode, then sorted; the
// repeated copies of a key are left out.
func (t *flatJSON) keys(i int, isNode bool) []int {
	var keys []int
	for k := i + 1; k < t.vals[i].end; k = t.next(k + 1) {
		if t.vals[k].kind == 'k' {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b int) int {
		ka, kb := t.vals[a].text, t.vals[b].text
		if isNode {
			oa, ob := nodeKeyOrder[ka], nodeKeyOrder[kb]
			switch {
			case oa != 0 && ob != 0:
				return oa - ob
			case oa != 0:
				return -1
			case ob != 0:
				return 1
			}
		}
		return strings.Compare(ka, kb)
	})
	return keys
}
