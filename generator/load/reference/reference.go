// Package reference compiles a loaded schema set with
// github.com/santhosh-tekuri/jsonschema/v5, the reference validator: tests
// compare kzgen's own checks and its generated validation with its
// verdicts. kzgen's commands never import this package, since the library
// compiles the meta-schema of every draft it supports when a program
// starts (see BENCHMARKS.md).
package reference

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/kzgen/kzgen/generator/load"
)

// urlPrefix is the base under which every schema is registered with the
// compiler. A bare "$ref": "custom_sip_headers" inside "kazoo:///devices"
// resolves to "kazoo:///custom_sip_headers", which is exactly the schema id.
const urlPrefix = "kazoo:///"

// Load reads the schemas of fsys with load.Read, then compiles them (see
// Compile).
func Load(fsys fs.FS, opts load.Options) (*load.Set, error) {
	set, err := load.Read(fsys, opts)
	if err != nil {
		return nil, err
	}
	if err := Compile(set); err != nil {
		return nil, err
	}
	return set, nil
}

// Compile compiles every schema of set as draft 04 (meta-schema check,
// $ref resolution, regular expressions, formats asserted) and sets each
// schema's Compiled. Patterns Go's regexp cannot run are handed over
// relaxed, as kzgen enforces them. Errors name the file and JSON pointer.
func Compile(set *load.Set) error {
	docs := make(map[string][]byte, len(set.IDs))
	for _, id := range set.IDs {
		data, err := set.Get(id).ValidatorSource()
		if err != nil {
			return &load.Error{File: display(set.Name, set.Get(id).File), Err: err}
		}
		docs[id] = data
	}
	compiled, err := compile(set.Name, docs)
	if err != nil {
		return err
	}
	for id, c := range compiled {
		set.Get(id).Compiled = c
	}
	return nil
}

// compile compiles documents by schema id; name labels them in errors.
func compile(name string, docs map[string][]byte) (map[string]*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft4
	c.ExtractAnnotations = true
	c.AssertFormat = true
	// Every file is added up front, so the compiler never loads anything
	// itself; an unexpected URL is reported rather than fetched.
	c.LoadURL = func(u string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("schema %s is not in the set", strings.TrimPrefix(u, urlPrefix))
	}
	ids := slices.Sorted(maps.Keys(docs))
	for _, id := range ids {
		if err := c.AddResource(urlPrefix+id, bytes.NewReader(docs[id])); err != nil {
			return nil, &load.Error{File: display(name, id+".json"), Err: err}
		}
	}
	compiled := make(map[string]*jsonschema.Schema, len(ids))
	for _, id := range ids {
		s, err := c.Compile(urlPrefix + id)
		if err != nil {
			return nil, compileError(name, id, err)
		}
		compiled[id] = s
	}
	return compiled, nil
}

// compileError turns a compiler error into a *load.Error naming the file
// and the JSON pointer of the offending keyword.
func compileError(name, id string, err error) error {
	var se *jsonschema.SchemaError
	if errors.As(err, &se) {
		var ve *jsonschema.ValidationError
		if errors.As(se.Err, &ve) {
			// The schema does not conform to the draft-04 meta-schema.
			leaf := deepestCause(ve)
			return &load.Error{File: display(name, id+".json"), Pointer: leaf.InstanceLocation, Err: errors.New(leaf.Message)}
		}
		at, ptr, _ := strings.Cut(strings.TrimPrefix(se.SchemaURL, urlPrefix), "#")
		return &load.Error{File: display(name, at+".json"), Pointer: ptr, Err: se.Err}
	}
	return &load.Error{File: display(name, id+".json"), Err: err}
}

func deepestCause(ve *jsonschema.ValidationError) *jsonschema.ValidationError {
	for len(ve.Causes) > 0 {
		ve = ve.Causes[0]
	}
	return ve
}

// display prefixes a file name with the set's name, as load's errors do.
func display(name, file string) string {
	if name == "" {
		return file
	}
	return name + "/" + file
}
