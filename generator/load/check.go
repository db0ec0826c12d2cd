package load

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/kzgen/kzgen/runtime/kzrt"
)

// The keyword check below is kzgen's own reading of the JSON Schema
// draft-04 meta-schema: every keyword a draft-04 validator understands must
// have a value of the right kind ("minimum" a number, "required" a
// non-empty list of distinct strings, "type" a JSON type name…), every
// "pattern" and "patternProperties" key a regular expression, and "$schema"
// must name draft 04. Unknown keywords ("kazoo-validation", "extends",
// typos) are not checked, as a validator ignores them too.
//
// The reference validator (github.com/santhosh-tekuri/jsonschema/v5, in
// package load/reference) checks the same by validating each document
// against the meta-schema; tests hold the two to the same verdict on all of
// Kazoo's schemas and on mutations of them. kzgen does not run it: the
// library compiles the meta-schema of every draft it supports when a
// program starts, which costs more than all of this check.

// simpleTypes are draft-04's JSON type names.
var simpleTypes = []string{"array", "boolean", "integer", "null", "number", "object", "string"}

// keywordCheck checks one schema document, collecting the warnings of
// patterns Go can only enforce loosely.
type keywordCheck struct {
	file     string // as shown in messages
	warnings []Warning
}

// checkKeywords checks a whole schema document (see the comment above).
// Keys are visited in sorted order, so the first problem reported is the
// same on every run.
func checkKeywords(file string, doc map[string]any) ([]Warning, error) {
	c := &keywordCheck{file: file}
	if v, ok := doc["$schema"]; ok {
		if s, ok := v.(string); ok && isURI(s) && !isDraft4(s) {
			return nil, &Error{File: c.file, Pointer: "/$schema", Err: fmt.Errorf("$schema %q: kzgen reads draft-04 schemas (%s)", s, draft4URL)}
		}
	}
	if err := c.schema("", doc); err != nil {
		return nil, err
	}
	return c.warnings, nil
}

const draft4URL = "http://json-schema.org/draft-04/schema#"

// isDraft4 reports whether a "$schema" value names draft 04, with or
// without "#", over http or https.
func isDraft4(s string) bool {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "http://"), "https://")
	s = strings.TrimSuffix(strings.TrimSuffix(s, "/"), "#")
	return s == "json-schema.org/draft-04/schema"
}

func (c *keywordCheck) errorf(ptr, format string, args ...any) error {
	return &Error{File: c.file, Pointer: ptr, Err: fmt.Errorf(format, args...)}
}

// schema checks the schema v at ptr and every subschema in it.
func (c *keywordCheck) schema(ptr string, v any) error {
	s, ok := v.(map[string]any)
	if !ok {
		return c.errorf(ptr, "want a schema (a JSON object), found %s", jsonKind(v))
	}
	for _, k := range slices.Sorted(maps.Keys(s)) {
		if err := c.keyword(ptr+"/"+kzrt.EscapeToken(k), k, s[k]); err != nil {
			return err
		}
	}
	for _, pair := range [][2]string{{"exclusiveMaximum", "maximum"}, {"exclusiveMinimum", "minimum"}} {
		if _, ok := s[pair[0]]; ok {
			if _, ok := s[pair[1]]; !ok {
				return c.errorf(ptr+"/"+pair[0], "%s needs %s beside it", pair[0], pair[1])
			}
		}
	}
	return nil
}

// keyword checks the value v of keyword k, at ptr.
func (c *keywordCheck) keyword(ptr, k string, v any) error {
	switch k {
	case "id":
		s, ok := v.(string)
		if !ok {
			return c.want(ptr, "a string", v)
		}
		if u, err := url.Parse(s); err != nil || strings.Contains(s, `\`) || !validIPv6Host(u) {
			return c.errorf(ptr, "%q is not a URI reference", s)
		}
	case "$schema":
		s, ok := v.(string)
		if !ok {
			return c.want(ptr, "a string", v)
		}
		if !isURI(s) {
			return c.errorf(ptr, "%q is not an absolute URI", s)
		}
	case "title", "description", "format", "$ref":
		if _, ok := v.(string); !ok {
			return c.want(ptr, "a string", v)
		}
	case "multipleOf":
		n, ok := number(v)
		if !ok {
			return c.want(ptr, "a number", v)
		}
		if n.Sign() <= 0 {
			return c.errorf(ptr, "want a number above 0, found %v", v)
		}
	case "maximum", "minimum":
		if _, ok := number(v); !ok {
			return c.want(ptr, "a number", v)
		}
	case "exclusiveMaximum", "exclusiveMinimum", "uniqueItems":
		if _, ok := v.(bool); !ok {
			return c.want(ptr, "a boolean", v)
		}
	case "maxLength", "minLength", "maxItems", "minItems", "maxProperties", "minProperties":
		if n, ok := number(v); !ok || !n.IsInt() || n.Sign() < 0 {
			return c.want(ptr, "a whole number, 0 or more", v)
		}
	case "pattern":
		s, ok := v.(string)
		if !ok {
			return c.want(ptr, "a string", v)
		}
		return c.pattern(ptr, s)
	case "additionalItems", "additionalProperties":
		if _, ok := v.(bool); ok {
			return nil
		}
		if _, ok := v.(map[string]any); !ok {
			return c.want(ptr, "a boolean or a schema", v)
		}
		return c.schema(ptr, v)
	case "items":
		if list, ok := v.([]any); ok {
			return c.schemaList(ptr, list)
		}
		if _, ok := v.(map[string]any); !ok {
			return c.want(ptr, "a schema or a list of schemas", v)
		}
		return c.schema(ptr, v)
	case "required":
		return c.stringList(ptr, v)
	case "definitions", "properties", "patternProperties":
		m, ok := v.(map[string]any)
		if !ok {
			return c.want(ptr, "an object of schemas", v)
		}
		for _, name := range slices.Sorted(maps.Keys(m)) {
			at := ptr + "/" + kzrt.EscapeToken(name)
			if k == "patternProperties" {
				if err := c.pattern(at, name); err != nil {
					return err
				}
			}
			if err := c.schema(at, m[name]); err != nil {
				return err
			}
		}
	case "dependencies":
		m, ok := v.(map[string]any)
		if !ok {
			return c.want(ptr, "an object", v)
		}
		for _, name := range slices.Sorted(maps.Keys(m)) {
			at := ptr + "/" + kzrt.EscapeToken(name)
			switch dep := m[name].(type) {
			case map[string]any:
				if err := c.schema(at, dep); err != nil {
					return err
				}
			case []any:
				if err := c.stringList(at, dep); err != nil {
					return err
				}
			default:
				return c.want(at, "a schema or a list of property names", dep)
			}
		}
	case "enum":
		list, ok := v.([]any)
		if !ok {
			return c.want(ptr, "a list", v)
		}
		if len(list) == 0 {
			return c.errorf(ptr, "want at least one value")
		}
		if i, j := firstDuplicate(list); j >= 0 {
			return c.errorf(ptr, "values %d and %d are equal", i, j)
		}
	case "type":
		switch t := v.(type) {
		case string:
			if !slices.Contains(simpleTypes, t) {
				return c.errorf(ptr, "%q is not a JSON type (%s)", t, strings.Join(simpleTypes, ", "))
			}
		case []any:
			if len(t) == 0 {
				return c.errorf(ptr, "want at least one type")
			}
			for i, e := range t {
				if s, ok := e.(string); !ok || !slices.Contains(simpleTypes, s) {
					return c.errorf(ptr+"/"+strconv.Itoa(i), "%s is not a JSON type (%s)", jsonText(e), strings.Join(simpleTypes, ", "))
				}
			}
			if i, j := firstDuplicate(t); j >= 0 {
				return c.errorf(ptr, "types %d and %d are the same", i, j)
			}
		default:
			return c.want(ptr, "a type name or a list of them", v)
		}
	case "allOf", "anyOf", "oneOf":
		list, ok := v.([]any)
		if !ok {
			return c.want(ptr, "a list of schemas", v)
		}
		return c.schemaList(ptr, list)
	case "not":
		return c.schema(ptr, v)
	}
	return nil
}

func (c *keywordCheck) want(ptr, what string, v any) error {
	return c.errorf(ptr, "want %s, found %s", what, jsonKind(v))
}

// schemaList checks a non-empty list of schemas.
func (c *keywordCheck) schemaList(ptr string, list []any) error {
	if len(list) == 0 {
		return c.errorf(ptr, "want at least one schema")
	}
	for i, sub := range list {
		if err := c.schema(ptr+"/"+strconv.Itoa(i), sub); err != nil {
			return err
		}
	}
	return nil
}

// stringList checks a non-empty list of distinct strings.
func (c *keywordCheck) stringList(ptr string, v any) error {
	list, ok := v.([]any)
	if !ok {
		return c.want(ptr, "a list of strings", v)
	}
	if len(list) == 0 {
		return c.errorf(ptr, "want at least one name")
	}
	for i, e := range list {
		if _, ok := e.(string); !ok {
			return c.want(ptr+"/"+strconv.Itoa(i), "a string", e)
		}
	}
	if i, j := firstDuplicate(list); j >= 0 {
		return c.errorf(ptr, "names %d and %d are the same", i, j)
	}
	return nil
}

// pattern checks a regular expression: Go's regexp must run it, as is or
// without lookaround (with a warning; see RelaxPattern).
func (c *keywordCheck) pattern(ptr, p string) error {
	relaxed, changed, err := RelaxPattern(p)
	if err != nil {
		return &Error{File: c.file, Pointer: ptr, Err: err}
	}
	if changed {
		c.warnings = append(c.warnings, relaxWarning(c.file, ptr, p, relaxed))
	}
	return nil
}

// number reads a JSON number.
func number(v any) (*big.Rat, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return nil, false
	}
	r, ok := new(big.Rat).SetString(string(n))
	return r, ok
}

// firstDuplicate returns the positions of the first two equal values of
// list (numbers equal by value), or -1, -1.
func firstDuplicate(list []any) (int, int) {
	seen := make(map[string]int, len(list))
	for j, v := range list {
		key := canonical(v)
		if i, ok := seen[key]; ok {
			return i, j
		}
		seen[key] = j
	}
	return -1, -1
}

// canonical renders a JSON value so that equal values render alike:
// object keys sorted, numbers by value.
func canonical(v any) string {
	var b strings.Builder
	var write func(v any)
	write = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			b.WriteByte('{')
			for i, k := range slices.Sorted(maps.Keys(v)) {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(strconv.Quote(k))
				b.WriteByte(':')
				write(v[k])
			}
			b.WriteByte('}')
		case []any:
			b.WriteByte('[')
			for i, e := range v {
				if i > 0 {
					b.WriteByte(',')
				}
				write(e)
			}
			b.WriteByte(']')
		case json.Number:
			if r, ok := number(v); ok {
				b.WriteString(r.RatString())
			} else {
				b.WriteString(string(v))
			}
		default:
			b.WriteString(jsonText(v))
		}
	}
	write(v)
	return b.String()
}

// jsonText renders a decoded JSON value as JSON.
func jsonText(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(data)
}

// isURI reports whether s is an absolute URI.
func isURI(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.IsAbs() && validIPv6Host(u)
}

// validIPv6Host refuses a host holding colons outside brackets, which
// net/url lets through.
func validIPv6Host(u *url.URL) bool {
	host := u.Hostname()
	return !strings.Contains(host, ":") || (strings.Contains(u.Host, "[") && strings.Contains(u.Host, "]"))
}
