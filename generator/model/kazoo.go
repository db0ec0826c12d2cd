package model

import (
	"strings"

	"github.com/kzgen/kzgen/runtime/kzrt"
)

// This file states the parts of Kazoo's validation that are not plain
// JSON Schema keywords: the error codes it reports, the extra checks its
// extension module runs, how it resolves module names, which formats it
// checks, and the discriminated unions the "$ref" siblings make.

// The error codes Kazoo's validator reports, one per failed keyword, as its
// Pivot debug log ("schema_errors") and Crossbar's error bodies show them:
// {"<dotted.path>": {"<code>": {"message": …}}}. A problem found by a kzgen
// validator carries the same code, so a developer can match the two. They
// are runtime/kzrt's, which the generated code reports.
const (
	CodeType          = kzrt.CodeType          // a value of another JSON type
	CodeRequired      = kzrt.CodeRequired      // a required property without default is missing
	CodeEnum          = kzrt.CodeEnum          // a value outside "enum"
	CodeMinLength     = kzrt.CodeMinLength     // a string too short (in code points)
	CodeMaxLength     = kzrt.CodeMaxLength     // a string too long (in code points)
	CodePattern       = kzrt.CodePattern       // a string the pattern does not match
	CodeFormat        = kzrt.CodeFormat        // a string not in its "format" (only "email" and "date-time" are checked)
	CodeMinimum       = kzrt.CodeMinimum       // a number below "minimum" (exclusive or not)
	CodeMaximum       = kzrt.CodeMaximum       // a number above "maximum" (exclusive or not)
	CodeMinItems      = kzrt.CodeMinItems      // an array with too few items
	CodeMaxItems      = kzrt.CodeMaxItems      // an array with too many items
	CodeUniqueItems   = kzrt.CodeUniqueItems   // an array with two equal items
	CodeMinProperties = kzrt.CodeMinProperties // an object with too few properties
	CodeMaxProperties = kzrt.CodeMaxProperties // an object with too many properties
	CodeAdditional    = kzrt.CodeAdditional    // a property "additionalProperties": false forbids
	CodeNoneOf        = kzrt.CodeNoneOf        // a value no "oneOf" alternative accepts
	CodeSeveralOf     = kzrt.CodeSeveralOf     // a value more than one "oneOf" alternative accepts
	CodeNoneOfAny     = kzrt.CodeNoneOfAny     // a value no "anyOf" alternative accepts
	// CodeError is what Kazoo's extension module reports: an invalid client
	// URL, an unknown module, a parameter below the stability level.
	CodeError = kzrt.CodeError
)

// Check is an extra check Kazoo runs on a property's value beside its
// schema (core/kazoo_schemas kz_json_schema_extensions). Kazoo picks it by
// the property's "kazoo-validation": true together with "<schema id>.<key>"
// from a fixed list; Build sets Type.Check from the same two facts.
type Check int

// The checks Kazoo's extension module runs.
const (
	NoCheck Check = iota
	// CheckCallflowModule: a node's "module" must name a callflow module,
	// i.e. a schema "callflows.<module>" must exist.
	CheckCallflowModule
	// CheckCallflowData: a node's "data" is validated against
	// "callflows.<module>", at every depth of the tree.
	CheckCallflowData
	// CheckMetaflowModule and CheckMetaflowData do the same for metaflow
	// nodes, with "metaflows.<module>".
	CheckMetaflowModule
	CheckMetaflowData
	// CheckClientURL: the value must be an http or https URL whose host is
	// not on the client blacklist; else Kazoo reports "invalid client URL".
	CheckClientURL
)

// Family is the schema id prefix a module check resolves module names
// under ("callflows." or "metaflows."), "" for other checks.
func (c Check) Family() string {
	switch c {
	case CheckCallflowModule, CheckCallflowData:
		return CallflowFamily
	case CheckMetaflowModule, CheckMetaflowData:
		return MetaflowFamily
	}
	return ""
}

// The schema id prefixes of module data schemas.
const (
	CallflowFamily = "callflows."
	MetaflowFamily = "metaflows."
)

// kazooChecks is Kazoo's fixed list of "<schema id>.<key>" its extension
// module handles. Keys whose check needs Kazoo's database (storage oauth
// documents, storage plan references) are left out: kzgen cannot run them.
var kazooChecks = map[string]Check{
	"callflows.action.module":                    CheckCallflowModule,
	"callflows.action.data":                      CheckCallflowData,
	"metaflow.module":                            CheckMetaflowModule,
	"metaflow.data":                              CheckMetaflowData,
	"callflows.pivot.voice_url":                  CheckClientURL,
	"callflows.record_call.url":                  CheckClientURL,
	"callflows.record_caller.url":                CheckClientURL,
	"callflows.webhook.uri":                      CheckClientURL,
	"metaflows.pivot.voice_url":                  CheckClientURL,
	"metaflows.record_call.url":                  CheckClientURL,
	"webhooks.uri":                               CheckClientURL,
	"call_recording.parameters.url":              CheckClientURL,
	"faxbox.notifications.inbound.callback.url":  CheckClientURL,
	"faxbox.notifications.outbound.callback.url": CheckClientURL,
	"storage.attachment.http.url":                CheckClientURL,
}

// kazooCheck is the check Kazoo runs on property key of schema id, given
// the property schema's "kazoo-validation".
func kazooCheck(id, key string, kazooValidation bool) Check {
	if !kazooValidation {
		return NoCheck
	}
	return kazooChecks[id+"."+key]
}

// Module resolves a module name the way Kazoo does for a node of family
// (CallflowFamily or MetaflowFamily): the schema "<family><name>", nil when
// there is none (Kazoo: "unable to find callflow schema for module X").
// isModule is false for a schema that exists but is not a module's data
// schema: "callflows.action" (the node schema) and sub-schemas such as
// "callflows.audio_macro.prompt". Kazoo's schema check accepts those names,
// but the call fails when it runs, so kzgen treats them as errors.
func (s *Set) Module(family, name string) (schema *Schema, isModule bool) {
	schema = s.byID[family+name]
	if schema == nil {
		return nil, false
	}
	return schema, name != "action" && !strings.Contains(name, ".")
}

// HasFamily reports whether the set holds any module data schema of family
// ("metaflows.pivot" for MetaflowFamily). The callflow closure kzgen embeds
// has no metaflows.* schemas; validators then skip metaflow module checks
// rather than reject every metaflow.
func (s *Set) HasFamily(family string) bool {
	for _, sc := range s.Schemas {
		if name, ok := strings.CutPrefix(sc.ID, family); ok && name != "" && !strings.Contains(name, ".") {
			return true
		}
	}
	return false
}

// FormatChecked reports whether Kazoo checks the "format" keyword's value
// format at all: "email" (only that the string is "something@something")
// and "date-time" (RFC 3339), not "uri" or "hostname"; see
// kzrt.FormatChecked, which holds the rule for every validator.
func FormatChecked(format string) bool { return kzrt.FormatChecked(format) }

// Discriminated is a oneOf whose alternatives are told apart by one
// property: every variant is a "$ref" whose sibling keywords (Also) fix the
// property to a single string. callflows.audio_macro's items are one, on
// "macro": "play" picks callflows.play, "tone" callflows.audio_macro.tone…
type Discriminated struct {
	// Property is the JSON name of the property that picks the variant.
	Property string
	// Cases lists the variants in schema order, each with its value.
	Cases []DiscriminatedCase
}

// DiscriminatedCase is one variant of a Discriminated union.
type DiscriminatedCase struct {
	// Value is the property's value that selects Variant.
	Value string
	// Variant is the union's variant (a Ref, with Also).
	Variant *Type
}

// Discriminator returns the discriminated view of a oneOf union, or nil
// when t is not one (a scalar union, an anyOf, variants without a common
// single-value property, or two variants with the same value).
func (t *Type) Discriminator() *Discriminated {
	if t.Kind != Union || !t.OneOf || len(t.Variants) < 2 {
		return nil
	}
	var d *Discriminated
	seen := map[string]bool{}
	for _, v := range t.Variants {
		if v.Kind != Ref || v.Also == nil {
			return nil
		}
		prop, value, ok := singleValue(v.Also)
		if !ok || seen[value] || (d != nil && prop != d.Property) {
			return nil
		}
		seen[value] = true
		if d == nil {
			d = &Discriminated{Property: prop}
		}
		d.Cases = append(d.Cases, DiscriminatedCase{Value: value, Variant: v})
	}
	return d
}

// singleValue finds the one property of t fixed to a single string by a
// one-value enum.
func singleValue(t *Type) (prop, value string, ok bool) {
	if t.Kind != Object {
		return "", "", false
	}
	for _, f := range t.Fields {
		if len(f.Type.Enum) != 1 {
			continue
		}
		s, isString := f.Type.Enum[0].(string)
		if !isString || ok {
			return "", "", false
		}
		prop, value, ok = f.Name, s, true
	}
	return prop, value, ok
}
