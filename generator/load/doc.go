package load

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"slices"
	"strings"

	"github.com/kzgen/kzgen/runtime/kzrt"
)

// This file holds the tools for reading schema documents as JSON: decoding
// with positions, walking the schema positions of a document, and finding
// its "$ref"s.

// ReadFile reads and decodes one JSON file from fsys (see Decode). Errors
// name the file and, for malformed JSON, the line and column.
func ReadFile(fsys fs.FS, name string) (any, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	doc, err := Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return doc, nil
}

// Decode decodes exactly one JSON value, with numbers as json.Number so
// their literal text survives. Malformed input yields a *DecodeError.
func Decode(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, newDecodeError(data, dec.InputOffset(), err)
	}
	end := dec.InputOffset()
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			err = errors.New("unexpected data after the top-level value")
		}
		// Point at the first byte after the value that is not space.
		rest := bytes.TrimLeft(data[end:], " \t\r\n")
		return nil, newDecodeError(data, int64(len(data)-len(rest)), err)
	}
	return doc, nil
}

// DecodeError reports malformed JSON and where it was found.
type DecodeError struct {
	// Line and Column are 1-based; Column counts bytes.
	Line, Column int
	// Err is the underlying encoding/json error.
	Err error
}

// Error implements error.
func (e *DecodeError) Error() string {
	return fmt.Sprintf("line %d, column %d: invalid JSON: %v", e.Line, e.Column, e.Err)
}

// Unwrap returns the underlying encoding/json error.
func (e *DecodeError) Unwrap() error { return e.Err }

// newDecodeError locates err in data; offset is the decoder's input offset,
// used when err carries no offset of its own.
func newDecodeError(data []byte, offset int64, err error) *DecodeError {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		offset = syn.Offset - 1 // Offset counts the bytes read, the bad one included
	case errors.As(err, &typ):
		offset = typ.Offset
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		offset = int64(len(data))
		err = io.ErrUnexpectedEOF
	}
	offset = max(0, min(offset, int64(len(data))))
	before := data[:offset]
	return &DecodeError{
		Line:   bytes.Count(before, []byte("\n")) + 1,
		Column: len(before) - bytes.LastIndexByte(before, '\n'),
		Err:    err,
	}
}

// Ref is one "$ref" keyword found in a schema document.
type Ref struct {
	// Pointer is the JSON pointer of the "$ref" keyword itself.
	Pointer string
	// Ref is the keyword's value as written, e.g. "custom_sip_headers".
	Ref string
	// ID is the schema id the ref names (Ref without its "#fragment").
	ID string
}

// Refs returns the "$ref" keywords in schema positions of doc that name
// another schema file, in document order (object keys sorted). Refs that
// are only a "#fragment" are left out. A "$ref" that is not a non-empty
// string, or names an id that cannot be a file name, is an error naming its
// JSON pointer.
func Refs(doc any) ([]Ref, error) {
	all, err := findRefs(doc)
	var refs []Ref
	for _, r := range all {
		if r.ID != "" {
			refs = append(refs, r.Ref)
		}
	}
	return refs, err
}

// schemaRef is a "$ref" keyword with the schema object that holds it.
type schemaRef struct {
	Ref
	holder map[string]any
}

// findRefs returns every "$ref" in schema positions of doc, same-document
// ones ("#/definitions/x", ID "") included, checked as Refs describes.
func findRefs(doc any) ([]schemaRef, error) {
	var refs []schemaRef
	err := WalkSchemas(doc, func(ptr string, schema map[string]any) error {
		v, ok := schema["$ref"]
		if !ok {
			return nil
		}
		at := ptr + "/$ref"
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("%s: bad ref: want a string, got %s", at, jsonKind(v))
		}
		if s == "" {
			return fmt.Errorf("%s: bad ref: empty", at)
		}
		id, _, _ := strings.Cut(s, "#")
		if id != "" {
			if err := checkID(id); err != nil {
				return fmt.Errorf("%s: bad ref %q: %w", at, s, err)
			}
		}
		refs = append(refs, schemaRef{Ref: Ref{Pointer: at, Ref: s, ID: id}, holder: schema})
		return nil
	})
	return refs, err
}

// checkID reports whether id can name a file at the root of an fs.FS.
func checkID(id string) error {
	if id == "" {
		return errors.New("empty schema id")
	}
	if strings.Contains(id, "/") || !fs.ValidPath(id+".json") {
		return fmt.Errorf("schema id %q is not a plain file name", id)
	}
	return nil
}

// Keywords whose value is a single schema, an object of schemas, or an array
// of schemas (JSON Schema draft 4 plus the draft 3 "extends" Kazoo still
// uses). Everything else ("default", "enum", "required", ...) is data.
var (
	schemaValued = []string{"additionalItems", "additionalProperties", "extends", "items", "not"}
	schemaMaps   = []string{"definitions", "dependencies", "patternProperties", "properties"}
	schemaLists  = []string{"allOf", "anyOf", "extends", "items", "oneOf"}
)

// WalkSchemas calls visit for doc and for every subschema of doc, parents
// before children, with each schema's JSON pointer ("" for the root).
// Subschemas are the values of the schema keywords (properties,
// patternProperties, definitions, dependencies, items, additionalItems,
// additionalProperties, not, allOf, anyOf, oneOf, extends); values of data
// keywords such as "default" or "enum" are never visited, so a property
// literally named "description" is a schema, not a description keyword.
// Object keys are visited in sorted order. Walking stops at the first error
// visit returns.
func WalkSchemas(doc any, visit func(pointer string, schema map[string]any) error) error {
	schema, ok := doc.(map[string]any)
	if !ok {
		return nil
	}
	return walk("", schema, visit)
}

func walk(ptr string, schema map[string]any, visit func(string, map[string]any) error) error {
	if err := visit(ptr, schema); err != nil {
		return err
	}
	for _, kw := range schemaValued {
		if sub, ok := schema[kw].(map[string]any); ok {
			if err := walk(ptr+"/"+kzrt.EscapeToken(kw), sub, visit); err != nil {
				return err
			}
		}
	}
	for _, kw := range schemaMaps {
		m, ok := schema[kw].(map[string]any)
		if !ok {
			continue
		}
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if sub, ok := m[k].(map[string]any); ok {
				if err := walk(ptr+"/"+kzrt.EscapeToken(kw)+"/"+kzrt.EscapeToken(k), sub, visit); err != nil {
					return err
				}
			}
		}
	}
	for _, kw := range schemaLists {
		list, ok := schema[kw].([]any)
		if !ok {
			continue
		}
		for i, v := range list {
			if sub, ok := v.(map[string]any); ok {
				if err := walk(fmt.Sprintf("%s/%s/%d", ptr, kzrt.EscapeToken(kw), i), sub, visit); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
