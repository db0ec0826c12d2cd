package model

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"sort"
	"strconv"

	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// Error is a schema construct the model cannot express, located by file and
// JSON pointer.
type Error struct {
	File, Pointer string
	Msg           string
}

// Error describes the problem, with its location.
func (e *Error) Error() string { return fmt.Sprintf("%s#%s: %s", e.File, e.Pointer, e.Msg) }

// Build turns a loaded schema set into the model.
func Build(set *load.Set) (*Set, error) {
	m := &Set{byID: map[string]*Schema{}}
	selected := map[string]bool{}
	for _, id := range set.Matched {
		selected[id] = true
	}
	// Create every Schema first so $ref can point at one before it is built.
	for _, id := range set.IDs {
		s := &Schema{ID: id, File: set.Get(id).File, Selected: selected[id]}
		m.Schemas = append(m.Schemas, s)
		m.byID[id] = s
	}
	for _, s := range m.Schemas {
		b := &builder{set: m, schema: s, file: displayFile(set, s.File)}
		root, err := b.build(set.Get(s.ID).Raw, "", []string{s.ID}, "")
		if err != nil {
			return nil, err
		}
		s.Root = root
	}
	return m, nil
}

func displayFile(set *load.Set, file string) string {
	if set.Name == "" {
		return file
	}
	return set.Name + "/" + file
}

type builder struct {
	set    *Set
	schema *Schema
	file   string
}

// newType returns a Type of s at ptr with no limits set.
func newType(s *Schema, ptr string, path []string) *Type {
	return &Type{
		Schema: s, Pointer: ptr, Path: path,
		MinLength: -1, MaxLength: -1, MinItems: -1, MaxItems: -1,
		MinProperties: -1, MaxProperties: -1,
	}
}

// pattern translates a schema pattern at ptr (see load.TranslatePattern),
// recording a warning when it had to be relaxed.
func (b *builder) pattern(p, ptr string) (load.Pattern, error) {
	tp, err := load.TranslatePattern(p)
	if err != nil {
		return load.Pattern{}, b.errorf(ptr, "%v", err)
	}
	if tp.Relaxed {
		b.set.Warnings = append(b.set.Warnings, tp.Warning(b.file, ptr))
	}
	return tp, nil
}

// annotations are keywords that never constrain a value; a "$ref" with
// nothing else beside it has no Also.
var annotations = map[string]bool{
	"$ref": true, "$schema": true, "_id": true, "id": true, "description": true, "default": true,
	"support_level": true, "name": true, "title": true, "examples": true,
}

func (b *builder) errorf(ptr, format string, args ...any) error {
	return &Error{File: b.file, Pointer: ptr, Msg: fmt.Sprintf(format, args...)}
}

// build models one schema position. inherited is the JSON type a union
// variant without its own "type" takes from the union ("" for none).
func (b *builder) build(node map[string]any, ptr string, path []string, inherited string) (*Type, error) {
	t := newType(b.schema, ptr, path)
	t.Doc, _ = node["description"].(string)
	t.SupportLevel, _ = node["support_level"].(string)
	if d, ok := node["default"]; ok {
		raw, err := json.Marshal(d)
		if err != nil {
			return nil, b.errorf(ptr+"/default", "default: %v", err)
		}
		t.Default = raw
	}

	t.KazooValidation, _ = node["kazoo-validation"].(bool)
	t.StabilityLevel, _ = node["stability_level"].(string)

	// Draft-04 says a "$ref" replaces every sibling keyword; Kazoo applies
	// the siblings too. The Ref keeps them in Also, which emitters that
	// follow draft-04 ignore.
	if ref, ok := node["$ref"]; ok {
		id, _ := ref.(string)
		target := b.set.byID[id]
		if target == nil {
			return nil, b.errorf(ptr+"/$ref", "$ref %q: no such schema", ref)
		}
		t.Kind, t.Target = Ref, target
		rest := map[string]any{}
		for k, v := range node {
			if !annotations[k] {
				rest[k] = v
			}
		}
		if len(rest) > 0 {
			also, err := b.build(rest, ptr, path, "")
			if err != nil {
				return nil, err
			}
			t.Also = also
		}
		return t, nil
	}

	types, err := b.types(node, ptr)
	if err != nil {
		return nil, err
	}
	t.Declared = types
	if len(types) == 0 && inherited != "" {
		types = []string{inherited}
	}

	_, hasOne := node["oneOf"]
	_, hasAny := node["anyOf"]
	switch {
	case hasOne && hasAny:
		return nil, b.errorf(ptr, "both oneOf and anyOf on one schema is not supported")
	case hasOne || hasAny:
		return b.union(t, node, ptr, path, types, hasOne)
	case len(types) > 1:
		return b.typeList(t, node, ptr, path, types)
	}

	kind := ""
	if len(types) == 1 {
		kind = types[0]
	} else {
		kind = inferType(node)
	}
	if err := b.fill(t, kind, node, ptr, path); err != nil {
		return nil, err
	}
	return t, nil
}

// types reads the "type" keyword as a list.
func (b *builder) types(node map[string]any, ptr string) ([]string, error) {
	switch v := node["type"].(type) {
	case nil:
		return nil, nil
	case string:
		return []string{v}, nil
	case []any:
		out := make([]string, 0, len(v))
		for i, x := range v {
			s, ok := x.(string)
			if !ok {
				return nil, b.errorf(ptr+"/type/"+strconv.Itoa(i), "type must be a string")
			}
			out = append(out, s)
		}
		return out, nil
	default:
		return nil, b.errorf(ptr+"/type", "type must be a string or a list of strings")
	}
}

// inferType guesses the JSON type of a schema without "type" from the
// keywords it uses; "" means any value.
func inferType(node map[string]any) string {
	for _, k := range []string{"properties", "patternProperties", "additionalProperties", "required", "minProperties"} {
		if _, ok := node[k]; ok {
			return "object"
		}
	}
	if _, ok := node["items"]; ok {
		return "array"
	}
	if enum, ok := node["enum"].([]any); ok && len(enum) > 0 {
		for _, v := range enum {
			if _, ok := v.(string); !ok {
				return ""
			}
		}
		return "string"
	}
	return ""
}

// fill sets the kind-specific parts of t for a single JSON type.
func (b *builder) fill(t *Type, kind string, node map[string]any, ptr string, path []string) error {
	if enum, ok := node["enum"].([]any); ok {
		t.Enum = enum
	}
	switch kind {
	case "":
		t.Kind = Any
	case "null":
		// A lone "null" type has no Go shape of its own; keep the raw JSON.
		t.Kind = Any
	case "boolean":
		t.Kind = Bool
	case "string":
		t.Kind = String
		t.MinLength = intKeyword(node, "minLength")
		t.MaxLength = intKeyword(node, "maxLength")
		t.Format, _ = node["format"].(string)
		if p, ok := node["pattern"].(string); ok {
			tp, err := b.pattern(p, ptr+"/pattern")
			if err != nil {
				return err
			}
			t.Pattern, t.PatternRelaxed = tp.Go, tp.Relaxed
			if tp.Go != p {
				t.PatternSource = p
			}
		}
	case "integer", "number":
		t.Kind = Integer
		if kind == "number" {
			t.Kind = Number
		}
		var err error
		if t.Minimum, err = ratKeyword(node, "minimum"); err != nil {
			return b.errorf(ptr+"/minimum", "%v", err)
		}
		if t.Maximum, err = ratKeyword(node, "maximum"); err != nil {
			return b.errorf(ptr+"/maximum", "%v", err)
		}
		t.ExclusiveMinimum, _ = node["exclusiveMinimum"].(bool)
		t.ExclusiveMaximum, _ = node["exclusiveMaximum"].(bool)
	case "array":
		t.Kind = Array
		t.MinItems = intKeyword(node, "minItems")
		t.MaxItems = intKeyword(node, "maxItems")
		t.UniqueItems, _ = node["uniqueItems"].(bool)
		items, _ := node["items"].(map[string]any) // a tuple form is left unconstrained
		if items == nil {
			items = map[string]any{}
		}
		it, err := b.build(items, ptr+"/items", appendPath(path, "item"), "")
		if err != nil {
			return err
		}
		t.Items = it
	case "object":
		return b.object(t, node, ptr, path)
	default:
		return b.errorf(ptr+"/type", "unknown type %q", kind)
	}
	return nil
}

// object fills an Object (named properties) or a Map (keys are data).
func (b *builder) object(t *Type, node map[string]any, ptr string, path []string) error {
	t.MinProperties = intKeyword(node, "minProperties")
	t.MaxProperties = intKeyword(node, "maxProperties")
	props, _ := node["properties"].(map[string]any)
	required := map[string]bool{}
	if list, ok := node["required"].([]any); ok {
		for _, r := range list {
			if name, ok := r.(string); ok {
				required[name] = true
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(props)) {
		sub, ok := props[name].(map[string]any)
		if !ok {
			return b.errorf(ptr+"/properties/"+kzrt.EscapeToken(name), "a property schema must be an object")
		}
		ft, err := b.build(sub, ptr+"/properties/"+kzrt.EscapeToken(name), appendPath(path, name), "")
		if err != nil {
			return err
		}
		ft.Check = kazooCheck(b.schema.ID, name, ft.KazooValidation)
		t.Fields = append(t.Fields, &Field{Name: name, Type: ft, Required: required[name]})
	}
	// A required name with no property schema still has to be present.
	for _, name := range slices.Sorted(maps.Keys(required)) {
		if _, ok := props[name]; !ok {
			ft := newType(b.schema, ptr+"/required", appendPath(path, name))
			t.Fields = append(t.Fields, &Field{Name: name, Type: ft, Required: true})
		}
	}
	sort.Slice(t.Fields, func(i, j int) bool { return t.Fields[i].Name < t.Fields[j].Name })

	if pp, ok := node["patternProperties"].(map[string]any); ok {
		for i, pattern := range slices.Sorted(maps.Keys(pp)) {
			sub, _ := pp[pattern].(map[string]any)
			pptr := ptr + "/patternProperties/" + kzrt.EscapeToken(pattern)
			tp, err := b.pattern(pattern, pptr)
			if err != nil {
				return err
			}
			name := "value"
			if len(pp) > 1 {
				name = "value" + strconv.Itoa(i+1)
			}
			vt, err := b.build(sub, pptr, appendPath(path, name), "")
			if err != nil {
				return err
			}
			p := &PatternProp{Pattern: tp.Go, Relaxed: tp.Relaxed, Type: vt}
			if tp.Go != pattern {
				p.Source = pattern
			}
			t.PatternProps = append(t.PatternProps, p)
		}
	}
	switch ap := node["additionalProperties"].(type) {
	case bool:
		t.NoAdditional = !ap
	case map[string]any:
		at, err := b.build(ap, ptr+"/additionalProperties", appendPath(path, "value"), "")
		if err != nil {
			return err
		}
		t.Additional = at
	}
	if len(t.Fields) > 0 {
		t.Kind = Object
	} else {
		t.Kind = Map
	}
	return nil
}

// union models oneOf/anyOf. Variants without a "type" of their own take the
// union's single type; properties beside the combinator become Shared.
func (b *builder) union(t *Type, node map[string]any, ptr string, path []string, types []string, oneOf bool) (*Type, error) {
	key := "anyOf"
	if oneOf {
		key = "oneOf"
	}
	list, ok := node[key].([]any)
	if !ok || len(list) == 0 {
		return nil, b.errorf(ptr+"/"+key, "%s must be a non-empty list", key)
	}
	inherited := ""
	if len(types) == 1 {
		inherited = types[0]
	}
	t.Kind, t.OneOf = Union, oneOf
	for i, v := range list {
		sub, ok := v.(map[string]any)
		if !ok {
			return nil, b.errorf(ptr+"/"+key+"/"+strconv.Itoa(i), "a %s entry must be a schema object", key)
		}
		vt, err := b.build(sub, ptr+"/"+key+"/"+strconv.Itoa(i), appendPath(path, strconv.Itoa(i)), inherited)
		if err != nil {
			return nil, err
		}
		t.Variants = append(t.Variants, vt)
	}
	if hasObjectKeywords(node) {
		// The union checks the declared type itself; Shared takes the
		// union's object type like an inherited one.
		rest := map[string]any{}
		for k, v := range node {
			if k != key && k != "description" && k != "default" && k != "type" {
				rest[k] = v
			}
		}
		shared, err := b.build(rest, ptr, path, "object")
		if err != nil {
			return nil, err
		}
		t.Shared = shared
	}
	return t, nil
}

func hasObjectKeywords(node map[string]any) bool {
	for _, k := range []string{"properties", "required", "patternProperties"} {
		if _, ok := node[k]; ok {
			return true
		}
	}
	return false
}

// typeList models "type": ["string", "integer"] as a union with one
// variant per type, each keeping the keywords that apply to it.
func (b *builder) typeList(t *Type, node map[string]any, ptr string, path []string, types []string) (*Type, error) {
	t.Kind, t.TypeList = Union, true
	for _, name := range types {
		vt := newType(b.schema, ptr, appendPath(path, name))
		if err := b.fill(vt, name, node, ptr, vt.Path); err != nil {
			return nil, err
		}
		t.Variants = append(t.Variants, vt)
	}
	return t, nil
}

func intKeyword(node map[string]any, key string) int {
	n, ok := node[key].(json.Number)
	if !ok {
		return -1
	}
	i, err := n.Int64()
	if err != nil {
		return -1
	}
	return int(i)
}

func ratKeyword(node map[string]any, key string) (*big.Rat, error) {
	v, ok := node[key]
	if !ok {
		return nil, nil
	}
	n, ok := v.(json.Number)
	if !ok {
		return nil, fmt.Errorf("%s must be a number", key)
	}
	r, ok := new(big.Rat).SetString(n.String())
	if !ok {
		return nil, fmt.Errorf("%s: bad number %s", key, n)
	}
	return r, nil
}

func appendPath(path []string, elem string) []string {
	out := make([]string, len(path)+1)
	copy(out, path)
	out[len(path)] = elem
	return out
}
