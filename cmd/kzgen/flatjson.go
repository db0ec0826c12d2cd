package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

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

// flatJSON is one JSON text as fmt and graph read it, by kzrt's
// Decoder: Kazoo's reading (the first copy of a duplicate key counts; the
// later copies are left out), number literals as written, and every value
// in document order in one flat list, so that a large input costs a few
// words per value.
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
	// member's key, '0' for a number, true, false or null.
	kind byte
	// text is a string's or a key's decoded text, or a literal as written.
	text string
	// end is, for a container, the index just past its last value (an
	// input of maxInputBytes holds fewer values than int32 counts).
	end int32
}

// errTooDeep is the message for JSON nested deeper than maxNesting.
var errTooDeep = fmt.Errorf("nested more than %d arrays and objects deep (kzrt.MaxDepth; kzgen validate has the same bound)", maxNesting)

// readFlatJSON reads exactly one JSON value. Malformed JSON is a
// *kzrt.DecodeError saying "invalid JSON at line L, column C: …"; nesting
// deeper than maxNesting is one naming the JSON pointer, line and column
// of the first value too deep. The cost is linear in the size of data.
func readFlatJSON(data []byte) (*flatJSON, error) {
	text := &flatJSON{}
	opts := kzrt.DecodeOptions{OnDuplicate: func(dup kzrt.Duplicate) {
		if len(text.duplicates) < maxWarnings {
			text.duplicates = append(text.duplicates, dup.Pointer)
		} else {
			text.moreDuplicates++
		}
	}}
	err := kzrt.UnmarshalWith(data, opts, func(d *kzrt.Decoder) { text.read(d, data, 0) })
	if se := (*kzrt.SyntaxError)(nil); errors.As(err, &se) {
		line, column := position(data, se.Offset)
		return nil, &kzrt.DecodeError{Code: kzrt.CodeJSON, Err: fmt.Errorf("invalid JSON at line %d, column %d: %s", line, column, se.Msg)}
	}
	if err != nil {
		return nil, err
	}
	return text, nil
}

// read appends the next value d reads from data; depth is the number of
// containers around it. A problem stops d, which read then leaves.
func (t *flatJSON) read(d *kzrt.Decoder, data []byte, depth int) {
	switch kind := d.Kind(); kind {
	case '{', '[':
		if depth >= maxNesting {
			line, column := position(data, d.Offset())
			d.Fail(fmt.Sprintf("line %d, column %d: %v", line, column, errTooDeep))
			return
		}
		at := len(t.vals)
		t.add(kind, "")
		if kind == '{' {
			for d.OpenObject(); d.NextMember(); {
				t.add('k', string(d.Key()))
				t.read(d, data, depth+1)
			}
		} else {
			for d.OpenArray(); d.NextElem(); {
				t.read(d, data, depth+1)
			}
		}
		t.vals[at].end = int32(len(t.vals))
	case '"':
		t.add('"', d.String())
	case '0':
		t.add('0', d.Number())
	case 't', 'f':
		t.add('0', strconv.FormatBool(d.Bool()))
	default: // null, or the malformed JSON that d reports
		d.Skip()
		t.add('0', "null")
	}
}

// add appends a value. The list doubles when full, rather than growing by
// the quarter append grows large slices by: a large input has millions of
// values, each copy of them costs.
func (t *flatJSON) add(kind byte, text string) {
	if len(t.vals) == cap(t.vals) {
		t.vals = slices.Grow(t.vals, max(len(t.vals), 64))
	}
	t.vals = append(t.vals, flatValue{kind: kind, text: text})
}

// position gives the line and column (1-based; columns count bytes) of
// the byte at offset in data.
func position(data []byte, offset int) (line, column int) {
	before := data[:min(offset, len(data))]
	return bytes.Count(before, []byte("\n")) + 1, len(before) - bytes.LastIndexByte(before, '\n')
}

// next returns the index just past the value at i.
func (t *flatJSON) next(i int) int {
	if k := t.vals[i].kind; k == '{' || k == '[' {
		return int(t.vals[i].end)
	}
	return i + 1
}

// member returns the index of the value of the first member key of the
// object at i, or -1.
func (t *flatJSON) member(i int, key string) int {
	for k := i + 1; k < int(t.vals[i].end); k = t.next(k + 1) {
		if t.vals[k].text == key {
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
		for k := i + 1; k < int(v.end); k = w.text.next(k) {
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
// are written: a node's own keys first when isNode, then sorted.
func (t *flatJSON) keys(i int, isNode bool) []int {
	var keys []int
	for k := i + 1; k < int(t.vals[i].end); k = t.next(k + 1) {
		keys = append(keys, k)
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
