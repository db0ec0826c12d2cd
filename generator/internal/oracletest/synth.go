package oracletest

import (
	"encoding/json"
	"iter"
	"maps"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Synth builds valid instances of schemas from their JSON: required
// properties filled, enums set to their first value that validates, strings
// satisfying length, pattern and format, numbers within bounds, arrays with
// enough (and, where asked, distinct) items, $ref followed, and for oneOf and
// anyOf the first alternative that validates. Every value it returns has
// been checked against its sub-schema by the oracle.
type Synth struct {
	S *Schemas
	// MaxDepth bounds recursion through $ref (callflows.action nests
	// itself); below it only required properties are filled.
	MaxDepth int
}

// Instance returns a valid instance of the schema id: with full set, every
// optional property that can be synthesized is present too (one item per
// array, one entry per map); otherwise only what is required.
func (y *Synth) Instance(id string, full bool) (any, bool) {
	return y.Value(Loc{ID: id}, 0, full)
}

// Value returns a value valid against the schema at l.
func (y *Synth) Value(l Loc, depth int, full bool) (any, bool) {
	for c := range y.candidates(l, depth, full) {
		if y.S.Valid(l, c) {
			return c, true
		}
	}
	return nil, false
}

// Values returns up to n distinct values valid against the schema at l.
func (y *Synth) Values(l Loc, depth int, full bool, n int) []any {
	var out []any
	seen := map[string]bool{}
	for c := range y.candidates(l, depth, full) {
		if len(out) == n {
			break
		}
		key := string(mustJSON(c))
		if seen[key] || !y.S.Valid(l, c) {
			continue
		}
		seen[key] = true
		out = append(out, c)
	}
	return out
}

// candidates yields values that may be valid at l, most likely first. The
// caller checks each with the oracle.
func (y *Synth) candidates(l Loc, depth int, full bool) iter.Seq[any] {
	return func(yield func(any) bool) {
		node := y.S.Node(l)
		if node == nil {
			yield("abc")
			return
		}
		if depth > 4*y.MaxDepth+8 {
			return // a recursion only required properties keep going
		}
		if ref, ok := node["$ref"].(string); ok {
			for c := range y.candidates(Loc{ID: ref}, depth+1, full) {
				if !yield(c) {
					return
				}
			}
			return
		}
		if depth > y.MaxDepth {
			full = false
		}
		if enum, ok := node["enum"].([]any); ok {
			for _, e := range enum {
				if !yield(e) {
					return
				}
			}
			return
		}
		for _, key := range []string{"oneOf", "anyOf"} {
			list, ok := node[key].([]any)
			if !ok {
				continue
			}
			for i := range list {
				for c := range y.Alternative(l, key, i, depth, full) {
					if !yield(c) {
						return
					}
				}
			}
			return
		}
		for _, t := range Types(node) {
			switch t {
			case "object":
				if obj, ok := y.object(l, node, depth, full); ok && !yield(obj) {
					return
				}
				if !full && depth <= y.MaxDepth {
					// When no minimal object will do (a oneOf of
					// objects without required properties), a fuller one
					// may.
					if obj, ok := y.object(l, node, depth, true); ok && !yield(obj) {
						return
					}
				}
			case "array":
				if arr, ok := y.array(l, node, depth, full); ok && !yield(arr) {
					return
				}
			case "string":
				for _, s := range stringCandidates(node) {
					if !yield(s) {
						return
					}
				}
			case "integer", "number":
				for _, n := range numberCandidates(node, t == "integer") {
					if !yield(n) {
						return
					}
				}
			case "boolean":
				if !yield(true) || !yield(false) {
					return
				}
			case "null":
				if !yield(nil) {
					return
				}
			case "":
				// Any value: an object exercises raw pass-through best.
				if !yield(map[string]any{"any": "value"}) || !yield("abc") {
					return
				}
			}
		}
	}
}

// Alternative yields candidates for the oneOf or anyOf (key) at l taken
// from its alternative i. Keywords beside the combinator (shared
// properties) apply to the same value, so their object is merged into the
// alternative's; for oneOf, each object is also offered poisoned so that it
// fails the other alternatives.
func (y *Synth) Alternative(l Loc, key string, i, depth int, full bool) iter.Seq[any] {
	return func(yield func(any) bool) {
		node := y.S.Node(l)
		list, _ := node[key].([]any)
		var base map[string]any
		if hasObjectKeywords(node) {
			base, _ = y.object(l, node, depth, full)
		}
		for c := range y.candidates(l.Child(key, strconv.Itoa(i)), depth, full) {
			m, isObj := c.(map[string]any)
			if isObj && base != nil {
				m = merge(base, m)
				c = m
			}
			if !yield(c) {
				return
			}
			if isObj && key == "oneOf" {
				if p, ok := y.poison(l, list, i, m); ok && !yield(p) {
					return
				}
			}
		}
	}
}

// poison makes obj, a value of alternative i of the oneOf at l, fail the
// other alternatives it also matches, so that it matches exactly one: for
// each such alternative it adds a property that alternative declares (and
// alternative i does not) with a value that property's schema rejects.
// Kazoo's oneOf lists of $refs to objects without required properties
// (audio_macro's macros) accept no object at all without this.
func (y *Synth) poison(l Loc, list []any, i int, obj map[string]any) (map[string]any, bool) {
	own := y.S.Resolve(l.Child("oneOf", strconv.Itoa(i)))
	ownProps, _ := y.S.Node(own)["properties"].(map[string]any)
	out := merge(obj, nil)
	changed := false
	for j := range list {
		bl := l.Child("oneOf", strconv.Itoa(j))
		if j == i || !y.S.Valid(bl, out) {
			continue
		}
		other := y.S.Resolve(bl)
		props, _ := y.S.Node(other)["properties"].(map[string]any)
		for _, p := range slices.Sorted(maps.Keys(props)) {
			if _, mine := ownProps[p]; mine {
				continue
			}
			if _, taken := out[p]; taken {
				continue
			}
			pl := other.Child("properties", p)
			for _, bad := range []any{"zz", json.Number("7"), true, map[string]any{}, []any{}} {
				if !y.S.Valid(pl, bad) {
					out[p] = bad
					changed = true
					break
				}
			}
			if !y.S.Valid(bl, out) {
				break
			}
		}
	}
	return out, changed
}

// Types lists the JSON types a schema node allows by its "type" keyword,
// or the one its keywords imply, or "" for any.
func Types(node map[string]any) []string {
	switch t := node["type"].(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, x := range t {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	for _, k := range []string{"properties", "patternProperties", "additionalProperties", "required", "minProperties"} {
		if _, ok := node[k]; ok {
			return []string{"object"}
		}
	}
	if _, ok := node["items"]; ok {
		return []string{"array"}
	}
	for _, k := range []string{"minLength", "maxLength", "pattern", "format"} {
		if _, ok := node[k]; ok {
			return []string{"string"}
		}
	}
	return []string{""}
}

func hasObjectKeywords(node map[string]any) bool {
	for _, k := range []string{"properties", "required", "patternProperties", "additionalProperties"} {
		if _, ok := node[k]; ok {
			return true
		}
	}
	return false
}

func merge(a, b map[string]any) map[string]any {
	out := make(map[string]any, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// Required lists a node's required property names.
func Required(node map[string]any) []string {
	var out []string
	if list, ok := node["required"].([]any); ok {
		for _, r := range list {
			if s, ok := r.(string); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

// PropLoc returns the schema location governing property name of the
// object schema at l (node), and whether any does. Named properties win
// over patternProperties, which win over additionalProperties.
func (s *Schemas) PropLoc(l Loc, node map[string]any, name string) (Loc, bool) {
	if props, ok := node["properties"].(map[string]any); ok {
		if _, ok := props[name]; ok {
			return l.Child("properties", name), true
		}
	}
	if pp, ok := node["patternProperties"].(map[string]any); ok {
		for _, p := range slices.Sorted(maps.Keys(pp)) {
			if re, err := regexp.Compile(p); err == nil && re.MatchString(name) {
				return l.Child("patternProperties", p), true
			}
		}
	}
	if _, ok := node["additionalProperties"].(map[string]any); ok {
		return l.Child("additionalProperties"), true
	}
	return Loc{}, false
}

// keySamples are tried, in order, as property names for patternProperties.
var keySamples = []string{"key", "abc", "a", "1", "1234", "+15555550123", "user@example.com", "en-US", "x_y", "A1", "ab.cd"}

func (y *Synth) object(l Loc, node map[string]any, depth int, full bool) (map[string]any, bool) {
	if depth > y.MaxDepth {
		full = false
	}
	obj := map[string]any{}
	props, _ := node["properties"].(map[string]any)
	for _, name := range Required(node) {
		pl, ok := y.S.PropLoc(l, node, name)
		if !ok {
			obj[name] = "abc"
			continue
		}
		v, ok := y.Value(pl, depth+1, full)
		if !ok {
			return nil, false
		}
		obj[name] = v
	}
	// Entries of patternProperties (one per pattern) when wanted, or
	// needed to reach minProperties.
	patternEntries := func() {
		pp, _ := node["patternProperties"].(map[string]any)
		for _, p := range slices.Sorted(maps.Keys(pp)) {
			re, err := regexp.Compile(p)
			if err != nil {
				continue
			}
			for _, k := range keySamples {
				if _, taken := obj[k]; taken || !re.MatchString(k) {
					continue
				}
				if v, ok := y.Value(l.Child("patternProperties", p), depth+1, full); ok {
					obj[k] = v
				}
				break
			}
		}
	}
	if full {
		for _, name := range slices.Sorted(maps.Keys(props)) {
			if _, done := obj[name]; done {
				continue
			}
			if v, ok := y.Value(l.Child("properties", name), depth+1, full); ok {
				obj[name] = v
			}
		}
		patternEntries()
		if _, ok := node["additionalProperties"].(map[string]any); ok {
			if _, ok := y.S.PropLoc(l, node, "zz_additional"); ok {
				if v, ok := y.Value(l.Child("additionalProperties"), depth+1, full); ok {
					obj["zz_additional"] = v
				}
			}
		}
	}
	if min := intKeyword(node, "minProperties", 0); len(obj) < min {
		patternEntries()
		for i := 0; len(obj) < min; i++ {
			k := "zz_extra" + strconv.Itoa(i)
			pl, ok := y.S.PropLoc(l, node, k)
			if !ok {
				if ap, isBool := node["additionalProperties"].(bool); isBool && !ap {
					break
				}
				obj[k] = "abc"
				continue
			}
			v, ok := y.Value(pl, depth+1, full)
			if !ok {
				break
			}
			obj[k] = v
		}
	}
	return obj, true
}

func (y *Synth) array(l Loc, node map[string]any, depth int, full bool) ([]any, bool) {
	n := intKeyword(node, "minItems", 0)
	if full && n < 1 {
		n = 1
	}
	if max := intKeyword(node, "maxItems", -1); max >= 0 && n > max {
		n = max
	}
	if n == 0 {
		return []any{}, true
	}
	items, ok := node["items"].(map[string]any)
	if !ok || items == nil {
		// No (or a tuple) item schema: any items will do.
		out := make([]any, n)
		for i := range out {
			out[i] = "item" + strconv.Itoa(i+1)
		}
		return out, true
	}
	il := l.Child("items")
	if unique, _ := node["uniqueItems"].(bool); unique && n > 1 {
		vs := y.Values(il, depth+1, full, n)
		return vs, len(vs) == n
	}
	v, ok := y.Value(il, depth+1, full)
	if !ok {
		return nil, false
	}
	out := make([]any, n)
	for i := range out {
		out[i] = v
	}
	return out, true
}

// formatSamples are valid strings of each format the oracle asserts.
var formatSamples = map[string]string{
	"email":     "user@example.com",
	"uri":       "http://example.com/path",
	"ipv4":      "192.0.2.1",
	"ipv6":      "2001:db8::1",
	"hostname":  "example.com",
	"date-time": "2020-01-02T03:04:05Z",
	"date":      "2020-01-02",
	"time":      "03:04:05Z",
	"uuid":      "123e4567-e89b-12d3-a456-426614174000",
	"regex":     "^a+$",
}

// patternSamples are strings matching patterns of Kazoo's schemas that the
// generic samples below do not.
var patternSamples = map[string][]string{
	"^https?://":                     {"https://example.com/hook"},
	"^[0-9]+$":                       {"1234"},
	"^[A-Za-z]{2}(-[A-Za-z]{2})?$":   {"en-US", "fr"},
	"^[a-z0-9]{32}$":                 {"0123456789abcdef0123456789abcdef"},
	"^\\+?[0-9]+$":                   {"+15555550123"},
	"^[a-zA-Z0-9\\-_]+$":             {"abc-1_2"},
	"^(\\+?[0-9]+)|(\\*[0-9]{1,2})$": {"+15555550123"},
	"^[a-fA-F0-9]{40,250}$":          {strings.Repeat("0123456789abcdef", 3)},
}

// genericStrings are tried for every string schema after the specific
// samples; the first one the schema accepts (after fitting the length
// limits) is used.
var genericStrings = []string{"abc", "http://example.com", "1234", "+15555550123", "en-US", "user@example.com",
	"example.com", "192.0.2.1", "a", "x1", "abd", "abe", "abf"}

func stringCandidates(node map[string]any) []any {
	var pool []string
	if f, ok := node["format"].(string); ok {
		if s, ok := formatSamples[f]; ok {
			pool = append(pool, s)
		}
	}
	if p, ok := node["pattern"].(string); ok {
		pool = append(pool, patternSamples[p]...)
	}
	if d, ok := node["default"].(string); ok {
		pool = append(pool, d)
	}
	pool = append(pool, genericStrings...)
	min := intKeyword(node, "minLength", 0)
	max := intKeyword(node, "maxLength", -1)
	var out []any
	for _, s := range pool {
		out = append(out, FitLength(s, min, max))
	}
	return out
}

// FitLength pads s (repeating its last character, or "a") to at least min
// code points and cuts it to at most max (-1: no limit).
func FitLength(s string, min, max int) string {
	n := utf8.RuneCountInString(s)
	if n < min {
		last := "a"
		if n > 0 {
			r := []rune(s)
			last = string(r[len(r)-1])
		}
		s += strings.Repeat(last, min-n)
	}
	if max >= 0 && utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max])
	}
	return s
}

// Bounds reads a numeric schema's limits; nil when absent.
func Bounds(node map[string]any) (min, max *big.Rat, exclMin, exclMax bool) {
	min, max = ratKeyword(node, "minimum"), ratKeyword(node, "maximum")
	exclMin, _ = node["exclusiveMinimum"].(bool)
	exclMax, _ = node["exclusiveMaximum"].(bool)
	return
}

func numberCandidates(node map[string]any, integer bool) []any {
	min, max, exclMin, exclMax := Bounds(node)
	var rs []*big.Rat
	if d, ok := node["default"].(json.Number); ok {
		if r, ok := new(big.Rat).SetString(d.String()); ok {
			rs = append(rs, r)
		}
	}
	if !integer {
		rs = append(rs, big.NewRat(3, 2))
	}
	if min != nil {
		r := new(big.Rat).Set(min)
		if integer {
			r = ceil(r)
		}
		if exclMin && r.Cmp(min) == 0 {
			r.Add(r, big.NewRat(1, 1))
		}
		rs = append(rs, r)
	}
	if max != nil {
		r := new(big.Rat).Set(max)
		if integer {
			r = floor(r)
		}
		if exclMax && r.Cmp(max) == 0 {
			r.Sub(r, big.NewRat(1, 1))
		}
		rs = append(rs, r)
	}
	for _, i := range []int64{1, 2, 3, 0, 42, 100} {
		rs = append(rs, big.NewRat(i, 1))
	}
	var out []any
	for _, r := range rs {
		if integer && !r.IsInt() {
			continue
		}
		out = append(out, Number(r))
	}
	return out
}

// Number renders a rational as a JSON number: an integer without a
// fraction, otherwise a decimal.
func Number(r *big.Rat) json.Number {
	if r.IsInt() {
		return json.Number(r.Num().String())
	}
	s := strings.TrimRight(r.FloatString(12), "0")
	return json.Number(s)
}

func ceil(r *big.Rat) *big.Rat {
	f := floor(r)
	if f.Cmp(r) < 0 {
		f.Add(f, big.NewRat(1, 1))
	}
	return f
}

func floor(r *big.Rat) *big.Rat {
	q := new(big.Int).Div(r.Num(), r.Denom()) // Euclidean: rounds toward -inf for positive denominators
	return new(big.Rat).SetInt(q)
}

func intKeyword(node map[string]any, key string, def int) int {
	if n, ok := node[key].(json.Number); ok {
		if i, err := n.Int64(); err == nil {
			return int(i)
		}
	}
	return def
}

func ratKeyword(node map[string]any, key string) *big.Rat {
	if n, ok := node[key].(json.Number); ok {
		if r, ok := new(big.Rat).SetString(n.String()); ok {
			return r
		}
	}
	return nil
}

func mustJSON(v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return data
}
