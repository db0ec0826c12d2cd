package kzrt

// The error codes Kazoo's validator reports, one per failed keyword, as its
// Pivot debug log ("schema_errors") and Crossbar's error bodies show them:
// {"<dotted.path>": {"<code>": {"message": …}}}. Every problem a generated
// Validate reports carries the same code (Error.Code), so a developer can
// match the two; kzgen's schema-driven validator (generator/model's Code…
// constants are these) reports them too.
const (
	CodeType          = "type"         // a value of another JSON type
	CodeRequired      = "required"     // a required property without default is missing
	CodeEnum          = "enum"         // a value outside "enum"
	CodeMinLength     = "minLength"    // a string too short (in code points)
	CodeMaxLength     = "maxLength"    // a string too long (in code points)
	CodePattern       = "pattern"      // a string the pattern does not match
	CodeFormat        = "wrong_format" // a string not in its "format" (only "email" and "date-time" are checked)
	CodeMinimum       = "minimum"      // a number below "minimum" (exclusive or not)
	CodeMaximum       = "maximum"      // a number above "maximum" (exclusive or not)
	CodeMinItems      = "minItems"     // an array with too few items
	CodeMaxItems      = "maxItems"     // an array with too many items
	CodeUniqueItems   = "uniqueItems"  // an array with two equal items
	CodeMinProperties = "minProperties"
	CodeMaxProperties = "maxProperties"
	// CodeAdditional is a property "additionalProperties": false forbids.
	CodeAdditional = "additionalProperties"
	// CodeNoneOf is a value no "oneOf" alternative accepts; CodeSeveralOf
	// one that more than one accepts; CodeNoneOfAny one no "anyOf"
	// alternative accepts. Kazoo reports jesse's own names for them.
	CodeNoneOf    = "not_one_schema_valid"
	CodeSeveralOf = "more_than_one_schema_valid"
	CodeNoneOfAny = "any_schemas_not_valid"
	// CodeError is what Kazoo's extension module reports: an invalid client
	// URL, an unknown module, a parameter below the stability level.
	CodeError = "error"
	// CodeJSON is a problem with the JSON text itself (malformed); Kazoo
	// records those as "json_errors" and never reaches its schemas.
	CodeJSON = "json"
)
