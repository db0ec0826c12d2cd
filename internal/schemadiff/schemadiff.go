// Package schemadiff compares two sets of JSON schema files and reports the
// files added and removed and, for files in both sets, every fact that
// changed, by JSON pointer. Descriptions (the "description" keyword in
// schema positions) are prose, not facts, and are ignored.
package schemadiff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/big"
	"path"
	"sort"
	"strings"

	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// Kind says how a fact changed.
type Kind int

const (
	// Added means the value exists only in the new file.
	Added Kind = iota + 1
	// Removed means the value exists only in the old file.
	Removed
	// Modified means both files have a value at the pointer and they differ.
	Modified
)

// String returns "added", "removed" or "modified".
func (k Kind) String() string {
	switch k {
	case Added:
		return "added"
	case Removed:
		return "removed"
	case Modified:
		return "modified"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Change is one fact that differs between the old and new version of a file.
type Change struct {
	// File is the file name, e.g. "callflows.tts.json".
	File string
	// Pointer is the JSON pointer of the value in the file ("" for the
	// whole document). For Added array elements it is the index in the new
	// array, for Removed ones the index in the old array.
	Pointer string
	// Kind says whether the value was added, removed or modified.
	Kind Kind
	// Old and New are the decoded values (nil when absent), with
	// descriptions stripped and numbers as json.Number.
	Old, New any
}

// String renders the change as one report line, e.g.
// `changed callflows.tts.json /properties/engine/enum/4: added "polly"`.
func (c Change) String() string {
	var what string
	switch c.Kind {
	case Added:
		what = "added " + render(c.New)
	case Removed:
		what = "removed " + render(c.Old)
	default:
		what = render(c.Old) + " -> " + render(c.New)
	}
	ptr := c.Pointer
	if ptr == "" {
		ptr = "(document)"
	}
	return fmt.Sprintf("changed %s %s: %s", c.File, ptr, what)
}

// Report is the outcome of comparing an old schema set with a new one.
type Report struct {
	// Added lists the files only in the new set, sorted.
	Added []string
	// Removed lists the files only in the old set, sorted.
	Removed []string
	// Changes lists fact changes in files present in both sets, sorted by
	// file and, within a file, in document order (object keys sorted).
	Changes []Change
	// DescriptionsOnly lists, sorted, the files in both sets whose facts
	// are equal but whose descriptions differ. It is informational and not
	// part of String's output.
	DescriptionsOnly []string
}

// HasFactChanges reports whether any file was added or removed or any fact
// changed. Description-only differences do not count.
func (r *Report) HasFactChanges() bool {
	return len(r.Added) > 0 || len(r.Removed) > 0 || len(r.Changes) > 0
}

// Lines returns the report as text lines, ordered by file name; for each
// file, "added F" or "removed F" or its "changed F POINTER: ..." lines.
func (r *Report) Lines() []string {
	type entry struct {
		file string
		seq  int
		line string
	}
	var entries []entry
	for _, f := range r.Added {
		entries = append(entries, entry{f, 0, "added " + f})
	}
	for _, f := range r.Removed {
		entries = append(entries, entry{f, 0, "removed " + f})
	}
	for i, c := range r.Changes {
		entries = append(entries, entry{c.File, i + 1, c.String()})
	}
	sort.SliceStable(entries, func(i, j int) bool {
		if entries[i].file != entries[j].file {
			return entries[i].file < entries[j].file
		}
		return entries[i].seq < entries[j].seq
	})
	lines := make([]string, len(entries))
	for i, e := range entries {
		lines[i] = e.line
	}
	return lines
}

// String renders the report, one line per entry (see Lines), each ending in
// a newline; it is empty when there are no fact changes.
func (r *Report) String() string {
	var b strings.Builder
	for _, l := range r.Lines() {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}

// Compare compares every *.json file at the root of oldFS with those at the
// root of newFS.
func Compare(oldFS, newFS fs.FS) (*Report, error) {
	oldNames, err := jsonFiles(oldFS)
	if err != nil {
		return nil, fmt.Errorf("schemadiff: old set: %w", err)
	}
	newNames, err := jsonFiles(newFS)
	if err != nil {
		return nil, fmt.Errorf("schemadiff: new set: %w", err)
	}
	return CompareFiles(oldFS, oldNames, newFS, newNames)
}

// CompareFiles compares the named files of oldFS with the named files of
// newFS: a name only in oldNames is removed, one only in newNames is added,
// and files named in both are compared fact by fact. Names are paths in
// their file systems. Errors name the file that could not be read or
// decoded.
func CompareFiles(oldFS fs.FS, oldNames []string, newFS fs.FS, newNames []string) (*Report, error) {
	inOld := set(oldNames)
	inNew := set(newNames)
	r := &Report{}
	for _, name := range sortedSet(inOld) {
		if !inNew[name] {
			r.Removed = append(r.Removed, name)
			continue
		}
		oldDoc, err := load.ReadFile(oldFS, name)
		if err != nil {
			return nil, fmt.Errorf("schemadiff: old set: %w", err)
		}
		newDoc, err := load.ReadFile(newFS, name)
		if err != nil {
			return nil, fmt.Errorf("schemadiff: new set: %w", err)
		}
		changes := Diff(name, StripDescriptions(oldDoc), StripDescriptions(newDoc))
		r.Changes = append(r.Changes, changes...)
		if len(changes) == 0 && !equal(oldDoc, newDoc) {
			r.DescriptionsOnly = append(r.DescriptionsOnly, name)
		}
	}
	for _, name := range sortedSet(inNew) {
		if !inOld[name] {
			r.Added = append(r.Added, name)
		}
	}
	return r, nil
}

// Diff returns the changes that turn oldDoc into newDoc, labelled with file.
// It compares values as they are; use StripDescriptions first to ignore
// descriptions. Objects are compared key by key (keys sorted); arrays of the
// same length element by element; arrays of different lengths by a longest
// common subsequence, reporting whole elements as added or removed.
// Numbers are equal when their values are equal (1 and 1.0 match).
func Diff(file string, oldDoc, newDoc any) []Change {
	d := differ{file: file}
	d.diff("", oldDoc, newDoc)
	return d.changes
}

type differ struct {
	file    string
	changes []Change
}

func (d *differ) add(ptr string, kind Kind, oldV, newV any) {
	d.changes = append(d.changes, Change{File: d.file, Pointer: ptr, Kind: kind, Old: oldV, New: newV})
}

func (d *differ) diff(ptr string, a, b any) {
	switch av := a.(type) {
	case map[string]any:
		if bv, ok := b.(map[string]any); ok {
			d.diffObjects(ptr, av, bv)
			return
		}
	case []any:
		if bv, ok := b.([]any); ok {
			d.diffArrays(ptr, av, bv)
			return
		}
	}
	if !equal(a, b) {
		d.add(ptr, Modified, a, b)
	}
}

func (d *differ) diffObjects(ptr string, a, b map[string]any) {
	keys := make(map[string]bool, len(a)+len(b))
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	for _, k := range sortedSet(keys) {
		p := ptr + "/" + kzrt.EscapeToken(k)
		av, inA := a[k]
		bv, inB := b[k]
		switch {
		case !inB:
			d.add(p, Removed, av, nil)
		case !inA:
			d.add(p, Added, nil, bv)
		default:
			d.diff(p, av, bv)
		}
	}
}

func (d *differ) diffArrays(ptr string, a, b []any) {
	if len(a) == len(b) {
		for i := range a {
			d.diff(fmt.Sprintf("%s/%d", ptr, i), a[i], b[i])
		}
		return
	}
	// lcs[i][j] is the length of the longest common subsequence of a[i:] and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if equal(a[i], b[j]) {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && equal(a[i], b[j]):
			i++
			j++
		case i < len(a) && (j == len(b) || lcs[i+1][j] >= lcs[i][j+1]):
			d.add(fmt.Sprintf("%s/%d", ptr, i), Removed, a[i], nil)
			i++
		default:
			d.add(fmt.Sprintf("%s/%d", ptr, j), Added, nil, b[j])
			j++
		}
	}
}

// equal reports whether two decoded JSON values are the same, comparing
// numbers by value.
func equal(a, b any) bool {
	switch av := a.(type) {
	case map[string]any:
		bv, ok := b.(map[string]any)
		if !ok || len(av) != len(bv) {
			return false
		}
		for k, x := range av {
			y, ok := bv[k]
			if !ok || !equal(x, y) {
				return false
			}
		}
		return true
	case []any:
		bv, ok := b.([]any)
		if !ok || len(av) != len(bv) {
			return false
		}
		for i := range av {
			if !equal(av[i], bv[i]) {
				return false
			}
		}
		return true
	case json.Number:
		bv, ok := b.(json.Number)
		if !ok {
			return false
		}
		if av == bv {
			return true
		}
		x, okA := new(big.Rat).SetString(string(av))
		y, okB := new(big.Rat).SetString(string(bv))
		return okA && okB && x.Cmp(y) == 0
	case string, bool, nil:
		return a == b
	}
	return false
}

// StripDescriptions returns a copy of doc without the string-valued
// "description" keyword of any schema in it (see load.WalkSchemas).
// Data that merely looks like a description, such as a property named
// "description" or a "description" key inside a default value, is kept.
func StripDescriptions(doc any) any {
	doc = deepCopy(doc)
	_ = load.WalkSchemas(doc, func(_ string, s map[string]any) error {
		if _, ok := s["description"].(string); ok {
			delete(s, "description")
		}
		return nil
	})
	return doc
}

// Descriptions returns the string-valued "description" keywords of every
// schema in doc, keyed by the JSON pointer of the keyword (for example
// "/properties/id/description").
func Descriptions(doc any) map[string]string {
	out := make(map[string]string)
	_ = load.WalkSchemas(doc, func(ptr string, s map[string]any) error {
		if text, ok := s["description"].(string); ok {
			out[ptr+"/description"] = text
		}
		return nil
	})
	return out
}

func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = deepCopy(x)
		}
		return m
	case []any:
		l := make([]any, len(t))
		for i, x := range t {
			l[i] = deepCopy(x)
		}
		return l
	}
	return v
}

// render prints a value as compact JSON with object keys sorted.
func render(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprintf("%v", v)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// jsonFiles lists the *.json files at the root of fsys.
func jsonFiles(fsys fs.FS) ([]string, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && path.Ext(e.Name()) == ".json" {
			names = append(names, e.Name())
		}
	}
	return names, nil
}

func set(names []string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
