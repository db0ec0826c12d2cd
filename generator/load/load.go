// Package load reads a directory of Kazoo JSON schemas and checks them.
//
// Kazoo's schemas are draft-04 documents whose identity is the "_id" key and
// whose "$ref" values are bare schema ids ("callflows.action"). The loader
// maps every id to "<id>.json" in the directory; the files are never
// rewritten. Read checks what a draft-04 validator would refuse to compile
// (JSON syntax, keyword values, regular expressions, $ref targets, $ref
// cycles no value can nest in) with errors naming the file and JSON
// pointer. Package load/reference compiles a loaded set with
// github.com/santhosh-tekuri/jsonschema/v5, the reference validator tests
// compare against; kzgen's commands do not use it.
package load

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// Options selects what Load reads.
type Options struct {
	// Match selects schema ids by path.Match globs, several separated by
	// commas ("callflows,callflows.*"). Empty
	// means every schema. The schemas the matched ones reference are
	// loaded too, so the set is always closed under $ref.
	Match string
	// Name is how errors refer to the directory ("schemas", a path). It
	// prefixes file names in error messages.
	Name string
}

// Set is a checked, $ref-closed collection of schemas.
type Set struct {
	// Name is the directory name used in error messages.
	Name string
	// IDs lists every loaded schema id, sorted.
	IDs []string
	// Matched lists the ids selected by Options.Match, sorted; the rest of
	// IDs were loaded only because a matched schema references them.
	Matched []string
	// Warnings lists problems that did not stop loading, such as a
	// pattern Go's regexp engine can only enforce loosely.
	Warnings []Warning
	byID     map[string]*Schema
}

// Schema is one schema file.
type Schema struct {
	// ID is the schema's identity, the file name without ".json".
	ID string
	// File is the file name inside the directory.
	File string
	// Raw is the decoded document; numbers are json.Number.
	Raw map[string]any
	// Compiled validates instances with the reference validator. It is nil
	// unless package load/reference compiled the set.
	Compiled interface{ Validate(v any) error }
	source   []byte      // the file as read
	refs     []schemaRef // its "$ref"s, same-document ones included
}

// ValidatorSource returns the document as a validator running Go's regexp
// should read it: the file as read, or, when a pattern needs relaxing (see
// RelaxPattern), the relaxed document as JSON.
func (s *Schema) ValidatorSource() ([]byte, error) {
	if !needsRelaxing(s.Raw) {
		return s.source, nil
	}
	doc, err := RelaxedDocument(s.Raw)
	if err != nil {
		return nil, err
	}
	return json.Marshal(doc)
}

// Get returns the schema with the given id, or nil.
func (s *Set) Get(id string) *Schema { return s.byID[id] }

// Error is a problem in one schema file, located by JSON pointer (or by
// line and column for JSON syntax errors).
type Error struct {
	File    string // file name, prefixed with the set name when known
	Pointer string // JSON pointer inside the file; "" for the whole file
	Err     error
}

// Error describes the problem, with its location.
func (e *Error) Error() string {
	if e.Pointer == "" {
		return fmt.Sprintf("%s: %v", e.File, e.Err)
	}
	return fmt.Sprintf("%s#%s: %v", e.File, e.Pointer, e.Err)
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Read reads and checks the schemas selected by opts and every schema they
// reference: JSON syntax, "_id", the values of draft-04 keywords and
// regular expressions (see check.go), "$ref" targets, and $ref cycles that
// no value could match (a schema that is only a "$ref" back to itself, or
// only a union of itself; see checkRefCycles). Patterns Go can only
// enforce loosely become Warnings. Only regular files are read, directly
// or through a symbolic link: any other "*.json" entry (a named pipe,
// socket, device or directory) is an error naming it, since reading it
// could block forever. The Compiled field of
// each schema stays nil until Compile runs; Raw is complete, which is all
// the model needs, so the two can run at the same time.
func Read(fsys fs.FS, opts Options) (*Set, error) {
	var globs []string
	if opts.Match != "" {
		globs = strings.Split(opts.Match, ",")
		for _, g := range globs {
			if _, err := path.Match(g, ""); err != nil {
				return nil, fmt.Errorf("bad -match pattern %q: %w", g, err)
			}
		}
	}
	l := &loader{fsys: fsys, name: opts.Name, docs: map[string]*Schema{}}
	all, err := l.listIDs()
	if err != nil {
		return nil, err
	}
	var matched []string
	for _, id := range all {
		if opts.Match == "" || matchAny(globs, id) {
			matched = append(matched, id)
		}
	}
	if len(matched) == 0 {
		return nil, fmt.Errorf("%s: no schema matches %q", l.display(""), opts.Match)
	}
	ids, err := l.closure(matched)
	if err != nil {
		return nil, err
	}
	var warnings []Warning
	for _, id := range ids {
		s := l.docs[id]
		w, err := checkKeywords(l.display(s.File), s.Raw)
		if err != nil {
			return nil, err
		}
		warnings = append(warnings, w...)
	}
	if err := l.checkRefCycles(ids); err != nil {
		return nil, err
	}
	return &Set{Name: opts.Name, IDs: ids, Matched: matched, Warnings: warnings, byID: l.docs}, nil
}

// matchAny reports whether id matches one of the globs.
func matchAny(globs []string, id string) bool {
	for _, g := range globs {
		if ok, _ := path.Match(g, id); ok {
			return true
		}
	}
	return false
}

type loader struct {
	fsys   fs.FS
	name   string
	docs   map[string]*Schema
	listed map[string]bool // the ids of the directory's schema files
}

func (l *loader) display(file string) string {
	switch {
	case l.name == "":
		return file
	case file == "":
		return l.name
	default:
		return path.Join(l.name, file)
	}
}

func (l *loader) listIDs() ([]string, error) {
	entries, err := fs.ReadDir(l.fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("reading schema directory %s: %w", l.display(""), err)
	}
	var ids []string
	l.listed = map[string]bool{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		if err := l.checkRegular(e); err != nil {
			return nil, err
		}
		id := strings.TrimSuffix(e.Name(), ".json")
		ids = append(ids, id)
		l.listed[id] = true
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("%s: no *.json schema files", l.display(""))
	}
	sort.Strings(ids)
	return ids, nil
}

// checkRegular refuses a directory entry that is not a regular file nor a
// symbolic link to one: opening a named pipe blocks until something writes
// to it, and a device may never end.
func (l *loader) checkRegular(e fs.DirEntry) error {
	mode := e.Type()
	if mode&fs.ModeSymlink != 0 {
		info, err := fs.Stat(l.fsys, e.Name())
		if err != nil {
			return &Error{File: l.display(e.Name()), Err: err}
		}
		mode = info.Mode().Type()
	}
	if mode.IsRegular() {
		return nil
	}
	return &Error{File: l.display(e.Name()), Err: fmt.Errorf("not a regular file (%s)", describeMode(mode))}
}

// describeMode names a file type for messages.
func describeMode(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	default:
		return "type " + m.String()
	}
}

// read decodes one schema file, checking that it is a JSON object whose
// "_id" (when present) agrees with its file name.
func (l *loader) read(id string) (*Schema, error) {
	if s, ok := l.docs[id]; ok {
		return s, nil
	}
	file := id + ".json"
	data, err := fs.ReadFile(l.fsys, file)
	if err != nil {
		return nil, &Error{File: l.display(file), Err: err}
	}
	raw, err := decode(data)
	if err != nil {
		return nil, &Error{File: l.display(file), Err: err}
	}
	if got, ok := raw["_id"]; ok {
		if got != id {
			return nil, &Error{File: l.display(file), Pointer: "/_id", Err: fmt.Errorf("_id %v does not match the file name", got)}
		}
	}
	s := &Schema{ID: id, File: file, Raw: raw, source: data}
	l.docs[id] = s
	return s, nil
}

// closure reads the given schemas and, transitively, every schema they
// reference. A $ref to a missing schema is an error naming its pointer.
func (l *loader) closure(roots []string) ([]string, error) {
	seen := map[string]bool{}
	queue := append([]string(nil), roots...)
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		if seen[id] {
			continue
		}
		seen[id] = true
		s, err := l.read(id)
		if err != nil {
			return nil, err
		}
		refs, err := findRefs(s.Raw)
		if err != nil {
			return nil, &Error{File: l.display(s.File), Err: err}
		}
		s.refs = refs
		for _, ref := range refs {
			if ref.ID == "" {
				continue // same document
			}
			if !l.listed[ref.ID] {
				return nil, &Error{File: l.display(s.File), Pointer: ref.Pointer,
					Err: fmt.Errorf("$ref %q: no schema file %s.json", ref.ID, ref.ID)}
			}
			queue = append(queue, ref.ID)
		}
	}
	ids := make([]string, 0, len(seen))
	for id := range seen {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids, nil
}

// Fingerprint returns a digest of the schema files of fsys (the top-level
// "*.json" files Read may read, with the same checks of what they are): it
// changes whenever a file is added, removed, renamed or edited. It reads
// the files but decodes nothing, so it is cheap next to Read. name labels
// fsys in errors, as Options.Name does.
func Fingerprint(fsys fs.FS, name string) (string, error) {
	l := &loader{fsys: fsys, name: name}
	ids, err := l.listIDs()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, id := range ids {
		data, err := fs.ReadFile(fsys, id+".json")
		if err != nil {
			return "", &Error{File: l.display(id + ".json"), Err: err}
		}
		fmt.Fprintf(h, "%q %d\n", id, len(data))
		h.Write(data)
	}
	return fmt.Sprintf("sha256:%x (%d files)", h.Sum(nil), len(ids)), nil
}
