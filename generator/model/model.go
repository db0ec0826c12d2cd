// Package model is the language-neutral description of a schema set that
// the emitters (Go code, reference docs) work from.
//
// Build turns the decoded JSON of every loaded schema into a tree of Types:
// one Schema per file, each with a root Type. A Type is one of a small set of
// Kinds (object, map, array, union, reference, scalar, any), carries the
// constraints Kazoo's validator applies to it, its default and its docs.
// Emitters never look at raw JSON; they only read this model.
package model

import (
	"encoding/json"
	"math/big"
)

// Kind says which shape a Type has.
type Kind int

// The kinds of Type.
const (
	// Any is a value with no type constraint; it is kept as raw JSON.
	Any Kind = iota
	// Bool is a JSON boolean.
	Bool
	// Integer is a JSON number without a fractional part.
	Integer
	// Number is any JSON number.
	Number
	// String is a JSON string, possibly restricted to an enumeration.
	String
	// Object is a JSON object with named properties (a struct).
	Object
	// Map is a JSON object whose keys are data (patternProperties,
	// additionalProperties, or a bare "type": "object").
	Map
	// Array is a JSON array.
	Array
	// Union is a value that matches one of several Variants (oneOf, anyOf,
	// or a list of types).
	Union
	// Ref is a use of another schema's root type ($ref).
	Ref
)

var kindNames = [...]string{"any", "boolean", "integer", "number", "string", "object", "map", "array", "union", "ref"}

// String renders the value for messages.
func (k Kind) String() string { return kindNames[k] }

// Set is the model of a whole schema set.
type Set struct {
	// Schemas lists every schema, sorted by ID.
	Schemas []*Schema
	byID    map[string]*Schema
}

// Schema lookup by id; nil when absent.
func (s *Set) Schema(id string) *Schema { return s.byID[id] }

// Schema is one schema file.
type Schema struct {
	// ID is the schema id ("callflows.tts").
	ID string
	// File is the file name the schema came from.
	File string
	// Root is the type the whole document describes.
	Root *Type
	// Selected is true for schemas chosen by the user's -match (or all of
	// them without one); the rest are only here because they are referenced.
	Selected bool
}

// Type is one schema position.
type Type struct {
	Kind Kind
	// Schema is the file this type was declared in.
	Schema *Schema
	// Pointer is the JSON pointer of the declaration inside Schema's file.
	Pointer string
	// Path names the type by where it sits: the schema id followed by
	// property names, "item" for array items, "value" for map values and
	// the variant's position for union variants. Emitters derive names
	// from it.
	Path []string

	// Doc is the description, if any.
	Doc string
	// SupportLevel is Kazoo's "support_level" annotation, if any.
	SupportLevel string
	// Default is the JSON of the "default" keyword, nil when absent.
	Default json.RawMessage

	// Enum lists the allowed values (strings, json.Number, bools or nil),
	// in schema order; empty when unrestricted.
	Enum []any

	// String constraints; -1 means no limit.
	MinLength, MaxLength int
	// Pattern is a regular expression Go's regexp can run.
	Pattern string
	// PatternSource is the pattern as written in the schema, when it had to
	// be relaxed into Pattern.
	PatternSource string
	// Format is the "format" keyword ("email", "uri", "ipv4", …).
	Format string

	// Numeric bounds, nil when absent.
	Minimum, Maximum *big.Rat
	// Draft-04 exclusive flags modify Minimum and Maximum.
	ExclusiveMinimum, ExclusiveMaximum bool

	// Object: the named properties, sorted by JSON name.
	Fields []*Field
	// Object and Map: properties whose names match a pattern.
	PatternProps []*PatternProp
	// Object and Map: the schema of other properties; nil when any value
	// is allowed.
	Additional *Type
	// NoAdditional is true when properties not named nor matched are
	// forbidden ("additionalProperties": false).
	NoAdditional bool
	// MinProperties and MaxProperties bound the number of keys; -1 for none.
	MinProperties, MaxProperties int

	// Array: the item type (Any when unconstrained) and the limits.
	Items              *Type
	MinItems, MaxItems int
	UniqueItems        bool

	// Union: the alternatives. OneOf asks for exactly one match; otherwise
	// at least one must match (anyOf, type lists).
	Variants []*Type
	OneOf    bool
	// Shared holds properties declared beside a oneOf/anyOf; they apply to
	// the same JSON object as the chosen variant. Nil for most unions.
	Shared *Type

	// Ref: the schema whose root this type reuses.
	Target *Schema
}

// Field is one named property of an Object.
type Field struct {
	// Name is the JSON property name exactly as in the schema.
	Name     string
	Type     *Type
	Required bool
}

// PatternProp is one entry of "patternProperties".
type PatternProp struct {
	// Pattern is a regular expression Go's regexp can run; Source is the
	// schema's own text when it had to be relaxed.
	Pattern, Source string
	Type            *Type
}

// Resolve follows Ref types to the type they stand for.
func (t *Type) Resolve() *Type {
	for t != nil && t.Kind == Ref {
		t = t.Target.Root
	}
	return t
}

// HasConstraints reports whether values of t can be invalid beyond their
// JSON shape, i.e. whether validating t does anything.
func (t *Type) HasConstraints() bool {
	return len(t.Enum) > 0 || t.MinLength >= 0 || t.MaxLength >= 0 || t.Pattern != "" ||
		t.Format != "" || t.Minimum != nil || t.Maximum != nil
}
