// Package load reads a directory of Kazoo JSON schemas and compiles them.
//
// Kazoo's schemas are draft-04 documents whose identity is the "_id" key and
// whose "$ref" values are bare schema ids ("callflows.action"). The loader
// maps every id to "<id>.json" in the directory; the files are never
// rewritten. Compilation (meta-schema check, $ref resolution, regular
// expressions) is done by github.com/santhosh-tekuri/jsonschema/v5, which
// later also serves as the reference validator in tests.
package load

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// urlPrefix is the base under which every schema is registered with the
// compiler. A bare "$ref": "custom_sip_headers" inside "kazoo:///devices"
// resolves to "kazoo:///custom_sip_headers", which is exactly the schema id.
const urlPrefix = "kazoo:///"

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

// Set is a compiled, $ref-closed collection of schemas.
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
	loader   *loader
}

// Schema is one schema file, both as decoded JSON and compiled.
type Schema struct {
	// ID is the schema's identity, the file name without ".json".
	ID string
	// File is the file name inside the directory.
	File string
	// Raw is the decoded document; numbers are json.Number.
	Raw map[string]any
	// Compiled is the compiled schema, ready to validate instances (nil
	// until Set.Compile has run).
	Compiled *jsonschema.Schema
	source   []byte      // the file as read
	refs     []schemaRef // its "$ref"s, same-document ones included
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

// Load reads, checks and compiles the schemas of fsys (its top-level
// "*.json" files) selected by opts: Read followed by Compile.
func Load(fsys fs.FS, opts Options) (*Set, error) {
	set, err := Read(fsys, opts)
	if err != nil {
		return nil, err
	}
	if err := set.Compile(); err != nil {
		return nil, err
	}
	return set, nil
}

// Read reads and checks the schemas selected by opts and every schema they
// reference: JSON syntax, "_id", "$ref" targets, and $ref cycles that no
// value could match (a schema that is only a "$ref" back to itself, or
// only a union of itself; see checkRefCycles). Only regular files are
// read, directly or through a symbolic link: any other "*.json" entry (a
// named pipe, socket, device or directory) is an error naming it, since
// reading it could block forever. The Compiled field of
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
	if err := l.checkRefCycles(ids); err != nil {
		return nil, err
	}
	return &Set{Name: opts.Name, IDs: ids, Matched: matched, byID: l.docs, loader: l}, nil
}

// Compile compiles every schema of the set with the reference validator:
// the draft-04 meta-schema check, $ref resolution and regular expressions.
// It fills each schema's Compiled field and the set's Warnings. It only
// reads Raw, so it may run while other goroutines read the set too.
func (s *Set) Compile() error {
	warnings, err := s.loader.compile(s.IDs)
	if err != nil {
		return err
	}
	s.Warnings = warnings
	return nil
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

func (l *loader) compile(ids []string) ([]Warning, error) {
	var all []Warning
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft4
	c.ExtractAnnotations = true
	c.AssertFormat = true
	// Every file is added up front, so the compiler never loads anything
	// itself; an unexpected URL is reported rather than fetched.
	c.LoadURL = func(u string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("schema %s is not in the set", strings.TrimPrefix(u, urlPrefix))
	}
	for _, id := range ids {
		s := l.docs[id]
		data := s.source
		if needsRelaxing(s.Raw) {
			doc, warnings, err := relaxPatterns(l.display(s.File), s.Raw)
			if err != nil {
				return nil, err
			}
			all = append(all, warnings...)
			if data, err = json.Marshal(doc); err != nil {
				return nil, &Error{File: l.display(s.File), Err: err}
			}
		}
		if err := c.AddResource(urlPrefix+id, bytes.NewReader(data)); err != nil {
			return nil, &Error{File: l.display(s.File), Err: err}
		}
	}
	for _, id := range ids {
		s := l.docs[id]
		compiled, err := c.Compile(urlPrefix + id)
		if err != nil {
			return nil, l.compileError(s, err)
		}
		s.Compiled = compiled
	}
	return all, nil
}

// compileError turns a compiler error into an Error naming the file and the
// JSON pointer of the offending keyword.
func (l *loader) compileError(s *Schema, err error) error {
	var se *jsonschema.SchemaError
	if errors.As(err, &se) {
		var ve *jsonschema.ValidationError
		if errors.As(se.Err, &ve) {
			// The schema does not conform to the draft-04 meta-schema.
			leaf := deepestCause(ve)
			return &Error{File: l.display(s.File), Pointer: leaf.InstanceLocation, Err: errors.New(leaf.Message)}
		}
		file, ptr := l.locate(se.SchemaURL)
		return &Error{File: file, Pointer: ptr, Err: se.Err}
	}
	return &Error{File: l.display(s.File), Err: err}
}

// locate maps a compiler URL ("kazoo:///id#/ptr") to a display file and pointer.
func (l *loader) locate(u string) (file, pointer string) {
	rest := strings.TrimPrefix(u, urlPrefix)
	id, ptr, _ := strings.Cut(rest, "#")
	return l.display(id + ".json"), ptr
}

func deepestCause(ve *jsonschema.ValidationError) *jsonschema.ValidationError {
	for len(ve.Causes) > 0 {
		ve = ve.Causes[0]
	}
	return ve
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
