package oracletest

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kzgen/kzgen/runtime/kzrt"
)

// Mutation is a changed copy of a valid instance. Whether it is still
// valid is for the oracle to say; most are not.
type Mutation struct {
	// Label says what changed where: "/data/text: length 0 (minLength 1)".
	Label string
	Doc   any
}

// Mutator derives mutations from a valid instance by walking it together
// with its schema: at every position it removes required properties, puts
// values of every other JSON type and values outside enumerations, breaks string
// length, pattern and format, numeric bounds, item counts and uniqueness,
// adds unknown properties and switches union alternatives. It descends
// into properties, map entries, array items, $ref targets and the chosen
// oneOf/anyOf alternative, so nested constraints are covered too.
type Mutator struct {
	Synth *Synth
	out   []Mutation
	seen  map[string]bool
	root  any
}

// Mutations lists the mutations of doc, a valid instance of schema id.
func (m *Mutator) Mutations(id string, doc any) []Mutation {
	m.out, m.seen, m.root = nil, map[string]bool{}, doc
	m.walk(Loc{ID: id}, doc, nil, 0)
	return m.out
}

func (m *Mutator) s() *Schemas { return m.Synth.S }

func pointer(path []string) string {
	var b strings.Builder
	for _, t := range path {
		b.WriteString("/" + kzrt.EscapeToken(t))
	}
	return b.String()
}

func (m *Mutator) replace(path []string, what string, v any) {
	m.emit(path, what, replaceAt(m.root, path, v))
}

func (m *Mutator) emit(path []string, what string, doc any) {
	label := pointer(path) + ": " + what
	if m.seen[label] {
		return
	}
	m.seen[label] = true
	m.out = append(m.out, Mutation{Label: label, Doc: doc})
}

// kindOf names the JSON type of a decoded value; numbers are "integer"
// when they have no fractional part.
func kindOf(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case json.Number:
		if r, ok := new(big.Rat).SetString(v.String()); ok && r.IsInt() {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "?"
}

// typeSamples are the values put where a value of another type belongs.
// "number" is deliberately fractional: integer-valued numbers written with
// a fraction ("1.0") are left out, see the oracle test.
var typeSamples = []struct {
	kind  string
	value func() any
}{
	{"string", func() any { return "zz" }},
	{"integer", func() any { return json.Number("7") }},
	{"number", func() any { return json.Number("2.5") }},
	{"boolean", func() any { return true }},
	{"object", func() any { return map[string]any{} }},
	{"array", func() any { return []any{} }},
	{"null", func() any { return nil }},
}

func (m *Mutator) walk(l Loc, v any, path []string, depth int) {
	node := m.s().Node(l)
	if node == nil || depth > 40 {
		return
	}
	if ref, ok := node["$ref"].(string); ok {
		m.walk(Loc{ID: ref}, v, path, depth+1)
		return
	}
	kind := kindOf(v)
	for _, ts := range typeSamples {
		if ts.kind != kind && !inferredType(node) {
			m.replace(path, "type "+ts.kind, ts.value())
		}
	}
	if enum, ok := node["enum"].([]any); ok {
		m.enumMutations(path, enum)
	}
	for _, key := range []string{"oneOf", "anyOf"} {
		list, ok := node[key].([]any)
		if !ok {
			continue
		}
		chosen := -1
		for i := range list {
			bl := l.Child(key, strconv.Itoa(i))
			if chosen < 0 && m.s().Valid(bl, v) {
				chosen = i
			}
			// The value of every alternative, as it would be written on
			// its own, and as fitted to the union (shared properties,
			// other alternatives excluded).
			if alt, ok := m.Synth.Value(bl, depth+1, false); ok {
				m.replace(path, fmt.Sprintf("%s alternative %d on its own", key, i), alt)
			}
			for c := range m.Synth.Alternative(l, key, i, depth+1, true) {
				if m.s().Valid(l, c) {
					m.replace(path, fmt.Sprintf("%s alternative %d", key, i), c)
					break
				}
			}
		}
		if chosen >= 0 {
			m.walk(l.Child(key, strconv.Itoa(chosen)), v, path, depth+1)
		}
	}
	switch v := v.(type) {
	case string:
		m.stringMutations(node, path, v)
	case json.Number:
		m.numberMutations(node, path, v)
	case map[string]any:
		m.objectMutations(l, node, path, v, depth)
	case []any:
		m.arrayMutations(l, node, path, v, depth)
	}
}

// inferredType reports whether a schema without "type" is one kzgen gives a
// type from its keywords: "properties" and the like make it a struct,
// "items" a slice. JSON Schema applies those keywords only to values of
// that type and accepts any other, which a Go struct or slice cannot hold;
// the generated code rejects them by design, so values of other types are
// not generated there. (Kazoo's callflow schemas all say "type"; a few
// others, such as system_config.* and account_config.*, do not.)
func inferredType(node map[string]any) bool {
	if _, ok := node["type"]; ok {
		return false
	}
	if _, ok := node["oneOf"]; ok {
		return false
	}
	if _, ok := node["anyOf"]; ok {
		return false
	}
	t := Types(node)
	return len(t) == 1 && (t[0] == "object" || t[0] == "array")
}

func (m *Mutator) enumMutations(path []string, enum []any) {
	var strs, nums bool
	for _, e := range enum {
		switch e.(type) {
		case string:
			strs = true
		case json.Number:
			nums = true
		}
	}
	if strs {
		m.replace(path, "string not in enum", "zz-not-in-enum")
		if s, ok := enum[0].(string); ok && s != strings.ToUpper(s) {
			m.replace(path, "enum value in upper case", strings.ToUpper(s))
		}
	}
	if nums {
		m.replace(path, "number not in enum", json.Number("987654"))
	}
}

// formatProbes are strings put where a format applies: plain violations
// and corner cases on which validators tend to differ (the oracle decides
// which are valid).
var formatProbes = map[string][]string{
	"email": {"not-an-email", "user@", "@example.com", "a@b", "user@[192.0.2.1]", "user@[IPv6:2001:db8::1]",
		"user@-bad.example", "user@example..com", `"quoted local"@example.com`, "first.last@example.com",
		"a b@example.com", "user@example.com.", strings.Repeat("x", 65) + "@example.com", "user@exa_mple.com"},
	"uri": {"not a uri", "example.com/no-scheme", "mailto:user@example.com", "urn:isbn:0451450523",
		"http://[::1]:80/", "http://example.com/%zz", "http://exa mple.com", "//example.com/relative",
		"1http://example.com", "http:", "HTTP://EXAMPLE.COM"},
	"ipv4":     {"256.1.1.1", "1.2.3", "01.2.3.4", "1.2.3.4"},
	"ipv6":     {"2001:db8:::1", "1.2.3.4", "::1", "::ffff:1.2.3.4"},
	"hostname": {"-bad-.example", "a..b", "example.com", "ex_ample.com"},
}

// patternBreakers are tried as strings that do not match a pattern.
var patternBreakers = []string{"", "zz", "!!", " ", "ZZ-not-matching", "0", "http//x"}

func (m *Mutator) stringMutations(node map[string]any, path []string, s string) {
	n := utf8.RuneCountInString(s)
	if min := intKeyword(node, "minLength", -1); min > 0 {
		m.replace(path, fmt.Sprintf("length %d (minLength %d)", min-1, min), string([]rune(s)[:min-1]))
	}
	if max := intKeyword(node, "maxLength", -1); max >= 0 {
		m.replace(path, fmt.Sprintf("length %d (maxLength %d)", max+1, max), FitLength(s, max+1, -1))
		if max < n+5 {
			m.replace(path, fmt.Sprintf("length %d (maxLength %d)", max, max), FitLength(s, max, -1))
		}
		if max > 0 && max < 5000 {
			// Lengths count code points, not bytes or UTF-16 units.
			m.replace(path, fmt.Sprintf("%d emoji (maxLength %d)", max, max), strings.Repeat("😀", max))
			m.replace(path, fmt.Sprintf("%d emoji (maxLength %d)", max+1, max), strings.Repeat("😀", max+1))
		}
	}
	if n > 0 {
		m.replace(path, "empty string", "")
		// A multi-byte character counts once: lengths are in code points.
		m.replace(path, "last character replaced by é", string([]rune(s)[:n-1])+"é")
	}
	if p, ok := node["pattern"].(string); ok {
		if re, err := regexp.Compile(p); err == nil {
			for _, b := range patternBreakers {
				if !re.MatchString(b) {
					m.replace(path, fmt.Sprintf("%q does not match %q", b, p), b)
					break
				}
			}
			// Patterns are not anchored unless they say so.
			m.replace(path, "prefixed with x", "x"+s)
			m.replace(path, "suffixed with x", s+"x")
		}
	}
	if f, ok := node["format"].(string); ok {
		for _, b := range formatProbes[f] {
			m.replace(path, fmt.Sprintf("%s probe %q", f, b), b)
		}
	}
}

func (m *Mutator) numberMutations(node map[string]any, path []string, n json.Number) {
	min, max, _, _ := Bounds(node)
	one := big.NewRat(1, 1)
	half := big.NewRat(1, 2)
	integer := false
	for _, t := range Types(node) {
		integer = integer || t == "integer"
	}
	at := func(what string, r *big.Rat) {
		if integer && !r.IsInt() {
			return
		}
		m.replace(path, fmt.Sprintf("%s (%s)", what, Number(r)), Number(r))
	}
	if min != nil {
		at("minimum", min)
		at("below minimum", new(big.Rat).Sub(min, one))
		at("just below minimum", new(big.Rat).Sub(min, half))
	}
	if max != nil {
		at("maximum", max)
		at("above maximum", new(big.Rat).Add(max, one))
		at("just above maximum", new(big.Rat).Add(max, half))
	}
	if r, ok := new(big.Rat).SetString(n.String()); ok {
		at("negated", new(big.Rat).Neg(r))
		// For an integer this is the fractional value the type forbids.
		if integer {
			m.replace(path, "fraction", Number(new(big.Rat).Add(r, half)))
		}
	}
}

func (m *Mutator) objectMutations(l Loc, node map[string]any, path []string, obj map[string]any, depth int) {
	required := map[string]bool{}
	for _, name := range Required(node) {
		required[name] = true
		if _, ok := obj[name]; ok {
			m.emit(path, fmt.Sprintf("required %q removed", name), deleteAt(m.root, childPath(path, name)))
		}
	}
	// Every optional property left out.
	for _, name := range slices.Sorted(maps.Keys(obj)) {
		if !required[name] {
			m.emit(path, fmt.Sprintf("property %q removed", name), deleteAt(m.root, childPath(path, name)))
		}
	}
	m.replace(path, "empty object", map[string]any{})
	for _, extra := range []struct {
		key string
		v   any
	}{{"zz_unknown", "x"}, {"zz-unknown/with~chars", json.Number("1")}, {"", nil}} {
		if _, taken := obj[extra.key]; !taken && !untypedMapKey(node, extra.key) {
			m.replace(childPath(path, extra.key), "unknown property added", extra.v)
		}
	}
	if min := intKeyword(node, "minProperties", -1); min > 0 && len(obj) >= min {
		m.replace(path, "fewer properties than minProperties", trimObject(obj, min-1))
	}
	if max := intKeyword(node, "maxProperties", -1); max >= 0 {
		padded := merge(obj, nil)
		for i := 0; len(padded) <= max; i++ {
			padded["zz_pad"+strconv.Itoa(i)] = "x"
		}
		m.replace(path, "more properties than maxProperties", padded)
	}
	for _, name := range slices.Sorted(maps.Keys(obj)) {
		child := childPath(path, name)
		if pl, ok := m.s().PropLoc(l, node, name); ok {
			m.walk(pl, obj[name], child, depth+1)
		}
	}
}

// untypedMapKey reports whether key is one the generated code cannot hold
// faithfully: in an object with patternProperties that allows other
// properties, a key that matches no pattern may hold any value, but the
// generated map (map[string]T for a single pattern) gives every key the
// pattern's type. This is a deliberate limitation of the Go types (it keeps
// callflow children typed), so such keys are not generated; in Kazoo's
// callflow schemas only the empty key escapes the pattern ".+".
func untypedMapKey(node map[string]any, key string) bool {
	pp, ok := node["patternProperties"].(map[string]any)
	if !ok || len(pp) == 0 {
		return false
	}
	if ap, ok := node["additionalProperties"].(bool); ok && !ap {
		return false
	}
	for p := range pp {
		if re, err := regexp.Compile(p); err == nil && re.MatchString(key) {
			return false
		}
	}
	return true
}

func trimObject(obj map[string]any, n int) map[string]any {
	out := map[string]any{}
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		if len(out) == n {
			break
		}
		out[k] = obj[k]
	}
	return out
}

func (m *Mutator) arrayMutations(l Loc, node map[string]any, path []string, arr []any, depth int) {
	m.replace(path, "empty array", []any{})
	if min := intKeyword(node, "minItems", -1); min > 0 && len(arr) >= min {
		m.replace(path, fmt.Sprintf("%d items (minItems %d)", min-1, min), arr[:min-1])
	}
	if max := intKeyword(node, "maxItems", -1); max >= 0 && len(arr) > 0 {
		longer := append([]any(nil), arr...)
		for len(longer) <= max {
			longer = append(longer, arr[0])
		}
		m.replace(path, fmt.Sprintf("%d items (maxItems %d)", len(longer), max), longer)
	}
	if len(arr) > 0 {
		// A duplicate is only a problem with uniqueItems.
		m.replace(path, "first item duplicated", append(append([]any(nil), arr...), arr[0]))
	}
	if items, ok := node["items"].(map[string]any); ok && items != nil {
		for i, item := range arr {
			child := childPath(path, strconv.Itoa(i))
			m.walk(l.Child("items"), item, child, depth+1)
		}
	}
}

// childPath returns a new path one token below path.
func childPath(path []string, token string) []string {
	return append(append(make([]string, 0, len(path)+1), path...), token)
}

// replaceAt returns doc with the value at path replaced by v; the parts of
// doc off the path are shared, not copied.
func replaceAt(doc any, path []string, v any) any {
	if len(path) == 0 {
		return v
	}
	switch d := doc.(type) {
	case map[string]any:
		out := merge(d, nil)
		out[path[0]] = replaceAt(d[path[0]], path[1:], v)
		return out
	case []any:
		i, _ := strconv.Atoi(path[0])
		out := append([]any(nil), d...)
		out[i] = replaceAt(d[i], path[1:], v)
		return out
	}
	panic(fmt.Sprintf("replaceAt: no %q in %T", path[0], doc))
}

// deleteAt returns doc without the member or item at path.
func deleteAt(doc any, path []string) any {
	if len(path) == 1 {
		switch d := doc.(type) {
		case map[string]any:
			out := merge(d, nil)
			delete(out, path[0])
			return out
		case []any:
			i, _ := strconv.Atoi(path[0])
			return append(append([]any(nil), d[:i]...), d[i+1:]...)
		}
		panic(fmt.Sprintf("deleteAt: no %q in %T", path[0], doc))
	}
	switch d := doc.(type) {
	case map[string]any:
		out := merge(d, nil)
		out[path[0]] = deleteAt(d[path[0]], path[1:])
		return out
	case []any:
		i, _ := strconv.Atoi(path[0])
		out := append([]any(nil), d...)
		out[i] = deleteAt(d[i], path[1:])
		return out
	}
	panic(fmt.Sprintf("deleteAt: no %q in %T", path[0], doc))
}
