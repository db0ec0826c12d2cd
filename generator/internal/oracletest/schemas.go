// Package oracletest supports the tests that compare the Validate methods
// kzgen generates with an independent JSON Schema validator (the oracle,
// github.com/santhosh-tekuri/jsonschema/v5): it synthesizes valid instances
// from the schemas, derives systematic mutations of them, writes the Go
// harness that runs the generated code, and builds scratch modules.
package oracletest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

const urlPrefix = "kazoo:///"

// Loc is a schema position: a schema id and a JSON pointer into its
// document (as compiled, i.e. with patterns relaxed to Go syntax).
type Loc struct {
	ID, Ptr string
}

// Child is the location of a keyword below l; tokens are unescaped.
func (l Loc) Child(tokens ...string) Loc {
	ptr := l.Ptr
	for _, t := range tokens {
		ptr += "/" + kzrt.EscapeToken(t)
	}
	return Loc{ID: l.ID, Ptr: ptr}
}

// String renders the value for messages.
func (l Loc) String() string { return l.ID + "#" + l.Ptr }

// Schemas gives access to the documents of a loaded set by location and
// validates values against any sub-schema of them. It compiles the same
// documents with the same settings as package load, so that a sub-schema
// verdict is the one the oracle would give in place.
type Schemas struct {
	Set   *load.Set
	docs  map[string]map[string]any
	c     *jsonschema.Compiler
	cache map[Loc]*jsonschema.Schema
}

// NewSchemas prepares set for synthesis and sub-schema validation.
func NewSchemas(set *load.Set) (*Schemas, error) {
	s := &Schemas{Set: set, docs: map[string]map[string]any{}, cache: map[Loc]*jsonschema.Schema{}}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft4
	c.ExtractAnnotations = true
	c.AssertFormat = true
	c.LoadURL = func(u string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("schema %s is not in the set", strings.TrimPrefix(u, urlPrefix))
	}
	for _, id := range set.IDs {
		doc, err := load.RelaxedDocument(set.Get(id).Raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", id, err)
		}
		s.docs[id] = doc
		data, err := json.Marshal(doc)
		if err != nil {
			return nil, err
		}
		if err := c.AddResource(urlPrefix+id, bytes.NewReader(data)); err != nil {
			return nil, err
		}
	}
	s.c = c
	return s, nil
}

// Node returns the schema object at l, or nil when there is none (or the
// value there is not an object).
func (s *Schemas) Node(l Loc) map[string]any {
	var v any = s.docs[l.ID]
	if l.Ptr != "" {
		for _, tok := range strings.Split(l.Ptr[1:], "/") {
			tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
			switch x := v.(type) {
			case map[string]any:
				v = x[tok]
			case []any:
				i, err := strconv.Atoi(tok)
				if err != nil || i < 0 || i >= len(x) {
					return nil
				}
				v = x[i]
			default:
				return nil
			}
		}
	}
	m, _ := v.(map[string]any)
	return m
}

// Resolve follows $ref from l to the location of a schema that is not a
// reference.
func (s *Schemas) Resolve(l Loc) Loc {
	for i := 0; i < 100; i++ {
		ref, ok := s.Node(l)["$ref"].(string)
		if !ok {
			return l
		}
		l = Loc{ID: ref}
	}
	return l
}

// Compiled returns the compiled sub-schema at l.
func (s *Schemas) Compiled(l Loc) (*jsonschema.Schema, error) {
	if sch, ok := s.cache[l]; ok {
		return sch, nil
	}
	u := urlPrefix + l.ID
	if l.Ptr != "" {
		var b strings.Builder
		b.WriteString("#")
		for _, tok := range strings.Split(l.Ptr[1:], "/") {
			b.WriteString("/" + url.PathEscape(tok))
		}
		u += b.String()
	}
	sch, err := s.c.Compile(u)
	if err != nil {
		return nil, err
	}
	s.cache[l] = sch
	return sch, nil
}

// Valid reports whether v (a decoded JSON value with json.Number numbers)
// is valid against the sub-schema at l. It panics when l does not compile,
// which would be a bug in the caller.
func (s *Schemas) Valid(l Loc, v any) bool {
	sch, err := s.Compiled(l)
	if err != nil {
		panic(fmt.Sprintf("compiling %s: %v", l, err))
	}
	return sch.Validate(v) == nil
}

// Problems flattens a validation error of the oracle into one line per
// leaf cause: "instance-pointer: message".
func Problems(err error) []string {
	if err == nil {
		return nil
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return []string{err.Error()}
	}
	var out []string
	var walk func(*jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			out = append(out, e.InstanceLocation+": "+e.Message)
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	sort.Strings(out)
	return out
}

// Decode parses JSON the way the oracle wants it: numbers as json.Number.
func Decode(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("trailing data")
	}
	return v, nil
}
