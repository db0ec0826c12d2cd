// Package model is the language-neutral description of a schema set that
// the emitters (Go code, reference docs) work from.
//
// Build turns the decoded JSON of every loaded schema into a tree of Types:
// one Schema per file, each with a root Type. A Type is one of a small set of
// Kinds (object, map, array, union, reference, scalar, any), carries the
// constraints Kazoo's validator applies to it, its default and its docs.
// Emitters never look at raw JSON; they only read this model.
//
// The model states Kazoo's semantics, not draft-04's, wherever the two
// differ (Kazoo validates with its fork of the Erlang library jesse plus
// extensions of its own); every validator kzgen has reads them from here:
//
//   - A required property with a default may be left out: the default is
//     filled in first, then checked like any value (Field.MayOmit).
//   - Keywords written beside "$ref" apply (Type.Also), which makes
//     callflows.audio_macro's items a real discriminated union
//     (Type.Discriminator).
//   - "integer" is a number written without fraction or exponent, of any
//     size (Integer).
//   - Patterns are PCRE: Type.Pattern is translated to an RE2 pattern
//     with the same verdicts (load.TranslatePattern).
//   - Keywords apply only where the schema writes them: a schema without
//     "type" accepts any JSON type (Type.Declared).
//   - Formats, lengths, enum and uniqueItems comparisons, duplicate keys,
//     Kazoo's extra checks (client URLs, module names, module data) and
//     the error code of every problem: see Format, Check and the Code
//     constants.
package model

import (
	"encoding/json"
	"math/big"

	"github.com/kzgen/kzgen/generator/load"
)

// Kind says which shape a Type has.
type Kind int

// The kinds of Type.
const (
	// Any is a value with no type constraint; it is kept as raw JSON.
	Any Kind = iota
	// Bool is a JSON boolean.
	Bool
	// Integer is a JSON number written without a fraction or an exponent,
	// of any size: Kazoo's JSON decoder reads 20.0 and 2e1 as floats, which
	// "integer" rejects, and keeps big integers exact.
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
	// Warnings lists what Build could only express loosely: patterns with
	// lookaround, which Go's regexp runs without it.
	Warnings []load.Warning
	byID     map[string]*Schema
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

	// Declared is the "type" keyword as the schema writes it; nil when it
	// has none, in which case Kind was inferred (from the keywords, or from
	// the type of the union around it) and a value of any JSON type passes
	// the keywords that do not apply to it, as JSON Schema says. Emitters
	// read Kind; validators read Declared.
	Declared []string
	// TypeList is true for a Union made from a list of types
	// ("type": ["string", "integer"]): one variant per type, each holding
	// the keywords that apply to it.
	TypeList bool

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
	// Pattern is the RE2 translation of the schema's PCRE pattern, with
	// PCRE's verdicts (load.TranslatePattern): Kazoo's "$" also matches
	// before a final newline, so "^[a-z]{2}$" is run as
	// "^[a-z]{2}(?:\n?\z)".
	Pattern string
	// PatternSource is the pattern as written in the schema, when Pattern
	// differs from it.
	PatternSource string
	// PatternRelaxed is true when the pattern's lookaround had to be
	// dropped (Go's regexp lacks it): Pattern then accepts a little more
	// than Kazoo.
	PatternRelaxed bool
	// Format is the "format" keyword ("email", "uri", "ipv4", …). Kazoo
	// checks only some formats, and its own way (see FormatChecked).
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
	// Also holds the keywords written beside "$ref" (Ref types only; nil
	// when there are none besides annotations). Kazoo applies them as well
	// as the target, where draft-04 ignores them: each branch of
	// callflows.audio_macro's items is a $ref plus a "macro" enum.
	Also *Type

	// KazooValidation is Kazoo's "kazoo-validation" keyword. Where it sits
	// on a property Kazoo knows (see Check), Kazoo runs an extra check.
	KazooValidation bool
	// Check is the extra check Kazoo runs on this property's value (client
	// URL, module name, module data); NoCheck for most.
	Check Check
	// StabilityLevel is the "stability_level" keyword ("stable", "beta",
	// "alpha"): Crossbar refuses the property when the system's stability
	// level is higher. Empty for most.
	StabilityLevel string
}

// Field is one named property of an Object.
type Field struct {
	// Name is the JSON property name exactly as in the schema.
	Name string
	Type *Type
	// Required is the "required" keyword's word for this property. A
	// required property that has a default may still be left out (see
	// MayOmit).
	Required bool
}

// MayOmit reports whether a value may leave the property out. Kazoo fills
// in a missing property's default before it checks "required", so a
// required property with a default may be omitted (callflows.action
// "data", record_call "action", response "code", …); only a required
// property without a default must be present. Draft-04 would require it.
func (f *Field) MayOmit() bool { return !f.Required || f.Type.Default != nil }

// PatternProp is one entry of "patternProperties".
type PatternProp struct {
	// Pattern is the RE2 translation of the schema's PCRE key pattern (see
	// Type.Pattern); Source is the schema's own text when Pattern differs
	// from it. A key the pattern does not match is not validated by Type:
	// a "children" key "" or "\n" escapes ".+", so Kazoo never checks that
	// child.
	Pattern, Source string
	// Relaxed is true when lookaround had to be dropped from Pattern.
	Relaxed bool
	Type    *Type
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
