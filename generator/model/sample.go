package model

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"regexp"
	"regexp/syntax"
	"strings"
	"time"
	"unicode/utf8"
)

// This file chooses sample values: a JSON value of a Type that Kazoo's
// validator accepts, for the examples of the reference pages and of the
// generated Example function.

// maxSampleDepth bounds how deeply Sample nests values, so a type that
// requires itself (through a $ref) is an error rather than a loop.
const maxSampleDepth = 64

// Sample returns a JSON value of type t that Kazoo's validator accepts, or
// an error naming the position (t.Path and the property below it) whose
// constraints it cannot meet. The value is small and realistic:
//
//   - a scalar or a union is its default when that surely meets the type's
//     constraints (an empty string shows nothing, so it is not taken), else
//     an enum's first fitting value, a number within the bounds (nearest
//     to 1), a string of the allowed length, pattern (the RE2 translation
//     Kazoo's verdicts are checked with) and format, chosen by the
//     property's name where it can ("https://example.com/pivot" for a
//     voice_url, 32 hex digits for an id);
//   - a list has as many items as minItems asks for, and at least one, so
//     it shows what an item is;
//   - an object has its required properties, and the properties whose
//     default Kazoo would refuse: Kazoo fills in a missing property's
//     default before it checks the object and then checks the default like
//     any value, so audio_macro's "macros", which defaults to [] but needs
//     an item, must be given. Required properties are given even when they
//     have a default Kazoo would fill in, so that validators that require
//     them (draft-04, generated code) accept the value too. Other optional
//     properties are left out. An enum property naming a format ("type":
//     "email") takes the value that agrees with a required sibling of that
//     format;
//   - a union is its first alternative that can be sampled, with the
//     properties shared by all of them; a discriminated union
//     (Type.Discriminator) sets its discriminating property to the chosen
//     case's value; a oneOf's sample is never one another alternative
//     surely accepts too (Kazoo would refuse it as matching several).
//
// The result is deterministic: ids are derived from the value's place
// (t.Path, then the property names below it), so two properties get
// different ids and every run the same ones. Object keys are sorted. A
// callflow node (a property Kazoo checks as a module name or module data)
// cannot be sampled: which module to run is not the schema's to say.
func Sample(t *Type) (json.RawMessage, error) {
	if t == nil {
		return nil, errors.New("sample: no type")
	}
	prop := ""
	if len(t.Path) > 1 {
		prop = t.Path[len(t.Path)-1]
	}
	place := strings.Join(t.Path, "/")
	v, err := sampleValue(t, prop, place, 0)
	if err != nil {
		return nil, fmt.Errorf("sample %s: %w", place, err)
	}
	return EncodeSample(v)
}

// EncodeSample writes a sampled value (see DecodeSample) as compact JSON,
// keys sorted, with "<", ">" and "&" as they are.
func EncodeSample(v any) (json.RawMessage, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// A sampled value is what encoding/json decodes JSON into with UseNumber:
// nil, bool, json.Number, string, []any or map[string]any.

// sampleValue chooses a value of t for the property prop; seed is the
// value's place, from which ids are derived.
func sampleValue(t *Type, prop, seed string, depth int) (any, error) {
	if depth > maxSampleDepth {
		return nil, errors.New("the type nests itself too deeply")
	}
	if t.Check != NoCheck && t.Check != CheckClientURL {
		return nil, errors.New("cannot sample a callflow node: its module is not the schema's to choose")
	}
	def, hasDefault := fittingDefault(t)
	switch t.Resolve().Kind {
	case Bool, Integer, Number, String, Any, Union:
		// Lists and objects are built, to show an item; "" shows nothing.
		if hasDefault && def != "" {
			return def, nil
		}
	}
	v, err := construct(t, prop, seed, depth)
	if err != nil && hasDefault {
		return def, nil
	}
	return v, err
}

// fittingDefault is t's default, decoded, when Kazoo accepts it for t.
func fittingDefault(t *Type) (any, bool) {
	if t.Default == nil {
		return nil, false
	}
	def, err := DecodeSample(t.Default)
	if err != nil || !fits(t, def, 0) {
		return nil, false
	}
	return def, true
}

// construct builds a value of t from its constraints, ignoring its
// default.
func construct(t *Type, prop, seed string, depth int) (any, error) {
	if len(t.Enum) > 0 {
		return enumSample(t)
	}
	switch t.Kind {
	case Ref:
		return refSample(t, prop, seed, depth)
	case Bool:
		return false, nil
	case Integer, Number:
		return numberSample(t)
	case String:
		return stringSample(t, prop, seed)
	case Array:
		return arraySample(t, prop, seed, depth)
	case Object:
		return objectSample(t, seed, depth)
	case Map:
		return mapSample(t, prop, seed, depth)
	case Union:
		return unionSample(t, prop, seed, depth)
	}
	return map[string]any{}, nil // Any: every JSON value passes
}

// enumSample is the first enum value t's other constraints accept.
func enumSample(t *Type) (any, error) {
	for _, e := range t.Enum {
		if fits(t, e, 0) {
			return e, nil
		}
	}
	return nil, errors.New("no enum value meets the other constraints")
}

// refSample samples the referenced schema's root; keywords beside the
// $ref (Also) add their own required properties. Keywords that only
// describe properties (no "type" of their own) apply to objects alone.
func refSample(t *Type, prop, seed string, depth int) (any, error) {
	v, err := sampleValue(t.Target.Root, prop, seed, depth+1)
	if err != nil || t.Also == nil {
		return v, err
	}
	also, err := sampleValue(t.Also, prop, seed, depth+1)
	if err != nil {
		return nil, err
	}
	if obj, ok := also.(map[string]any); ok && len(obj) == 0 && t.Also.Declared == nil {
		return v, nil
	}
	return merge(v, also)
}

// merge combines two samples of one JSON object, b's members winning.
func merge(a, b any) (any, error) {
	ao, aObj := a.(map[string]any)
	bo, bObj := b.(map[string]any)
	if !aObj || !bObj {
		return nil, errors.New("the keywords beside $ref ask for another JSON type than its target")
	}
	out := make(map[string]any, len(ao)+len(bo))
	for k, v := range ao {
		out[k] = v
	}
	for k, v := range bo {
		out[k] = v
	}
	return out, nil
}

// arraySample has as many items as minItems asks for, at least one.
func arraySample(t *Type, prop, seed string, depth int) (any, error) {
	n := max(t.MinItems, 1)
	if t.MaxItems >= 0 && n > t.MaxItems {
		n = t.MaxItems
	}
	items := make([]any, n)
	for i := range items {
		itemSeed := seed
		if i > 0 {
			itemSeed = fmt.Sprintf("%s/%d", seed, i)
		}
		v, err := sampleValue(t.Items, prop, itemSeed, depth+1)
		if err != nil {
			return nil, fmt.Errorf("item: %w", err)
		}
		items[i] = v
	}
	if t.UniqueItems && !unique(items) {
		return nil, fmt.Errorf("cannot sample %d unique items", n)
	}
	return items, nil
}

// objectSample has the properties a value must carry (see Sample), then
// optional ones in name order while minProperties asks for more.
func objectSample(t *Type, seed string, depth int) (any, error) {
	obj := map[string]any{}
	formats := map[string]bool{}
	var selectors []*Field // enum properties sampled after the others
	for _, f := range t.Fields {
		if !mustGive(f) {
			continue
		}
		if r := f.Type.Resolve(); r.Kind == String && len(r.Enum) > 0 {
			selectors = append(selectors, f)
			continue
		}
		v, err := sampleValue(f.Type, f.Name, seed+"/"+f.Name, depth+1)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", f.Name, err)
		}
		obj[f.Name] = v
		if format := firstFormat(f.Type); format != "" {
			formats[format] = true
		}
	}
	for _, f := range selectors {
		if v, ok := formatValue(f.Type.Resolve(), formats); ok {
			obj[f.Name] = v
			continue
		}
		v, err := sampleValue(f.Type, f.Name, seed+"/"+f.Name, depth+1)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", f.Name, err)
		}
		obj[f.Name] = v
	}
	for _, f := range t.Fields {
		if t.MinProperties < 0 || len(obj) >= t.MinProperties {
			break
		}
		if _, given := obj[f.Name]; given {
			continue
		}
		v, err := sampleValue(f.Type, f.Name, seed+"/"+f.Name, depth+1)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", f.Name, err)
		}
		obj[f.Name] = v
	}
	if t.MinProperties >= 0 && len(obj) < t.MinProperties {
		return nil, fmt.Errorf("cannot sample %d properties", t.MinProperties)
	}
	if t.MaxProperties >= 0 && len(obj) > t.MaxProperties {
		return nil, fmt.Errorf("%d properties are required, at most %d allowed", len(obj), t.MaxProperties)
	}
	return obj, nil
}

// mustGive reports whether a sample must carry the property: it is
// required, or Kazoo would fill in a default its own check refuses.
func mustGive(f *Field) bool {
	if f.Required {
		return true
	}
	if f.Type.Default == nil {
		return false
	}
	_, ok := fittingDefault(f.Type)
	return !ok
}

// firstFormat is the format ("email") the sample of t has: the first
// found in t, its first alternative or its items, as sampling goes.
func firstFormat(t *Type) string {
	for t = t.Resolve(); t != nil; {
		if t.Format != "" {
			return t.Format
		}
		switch {
		case t.Kind == Union && len(t.Variants) > 0:
			t = t.Variants[0].Resolve()
		case t.Kind == Array:
			t = t.Items.Resolve()
		default:
			t = nil
		}
	}
	return ""
}

// formatValue is the value of enum t that names one of formats: a kind
// selector ("type": "email") agreeing with a sibling holding an email
// address.
func formatValue(t *Type, formats map[string]bool) (string, bool) {
	for _, e := range t.Enum {
		if s, ok := e.(string); ok && formats[s] && fits(t, s, 0) {
			return s, true
		}
	}
	return "", false
}

// mapSample is an empty object, or one entry when minProperties asks for
// it: a key the first key pattern matches (or "example"), its value
// sampled.
func mapSample(t *Type, prop, seed string, depth int) (any, error) {
	switch {
	case t.MinProperties <= 0:
		return map[string]any{}, nil
	case t.MinProperties > 1:
		return nil, fmt.Errorf("cannot sample %d properties", t.MinProperties)
	}
	key, valueType := "example", t.Additional
	if len(t.PatternProps) > 0 {
		p := t.PatternProps[0]
		k, ok := patternSample(p.Pattern)
		if !ok {
			return nil, fmt.Errorf("no key matches %q", p.Pattern)
		}
		key, valueType = k, p.Type
	}
	if valueType == nil {
		return map[string]any{key: map[string]any{}}, nil
	}
	v, err := sampleValue(valueType, prop, seed+"/"+key, depth+1)
	if err != nil {
		return nil, fmt.Errorf("%q: %w", key, err)
	}
	return map[string]any{key: v}, nil
}

// unionSample samples the first alternative that can be, merged with the
// shared properties; a discriminated union's case carries its value. A
// oneOf's sample must not be one another alternative surely accepts too.
func unionSample(t *Type, prop, seed string, depth int) (any, error) {
	var shared any = map[string]any{}
	if t.Shared != nil {
		v, err := sampleValue(t.Shared, prop, seed, depth+1)
		if err != nil {
			return nil, err
		}
		shared = v
	}
	disc := t.Discriminator()
	var errs []string
	for i, variant := range t.Variants {
		v, err := sampleValue(variant, prop, seed, depth+1)
		if err == nil && disc != nil {
			v, err = merge(v, map[string]any{disc.Property: disc.Cases[i].Value})
		}
		if _, isObject := v.(map[string]any); err == nil && isObject && t.Shared != nil {
			v, err = merge(shared, v) // shared properties apply to objects only
		}
		if err == nil && t.OneOf {
			err = exclusive(t, i, v)
		}
		if err != nil {
			errs = append(errs, fmt.Sprintf("alternative %d: %v", i, err))
			continue
		}
		return v, nil
	}
	return nil, fmt.Errorf("no alternative can be sampled (%s)", strings.Join(errs, "; "))
}

// exclusive reports an error when v, sampled from alternative i of oneOf
// t, surely matches another alternative as well.
func exclusive(t *Type, i int, v any) error {
	for j, other := range t.Variants {
		if j != i && fits(other, v, 0) {
			return fmt.Errorf("its sample also matches alternative %d", j)
		}
	}
	return nil
}

// numberSample is the number nearest to 1 within the bounds, trying the
// bounds themselves and one inside each.
func numberSample(t *Type) (any, error) {
	one := big.NewRat(1, 1)
	candidates := []*big.Rat{one}
	if t.Minimum != nil {
		candidates = append(candidates, t.Minimum, new(big.Rat).Add(t.Minimum, one))
	}
	if t.Maximum != nil {
		candidates = append(candidates, t.Maximum, new(big.Rat).Sub(t.Maximum, one))
	}
	for _, n := range candidates {
		if v := ratNumber(n, t.Kind == Integer); v != "" && fits(t, v, 0) {
			return v, nil
		}
	}
	return nil, errors.New("no number within the bounds")
}

// ratNumber writes n as a JSON number: an integer's digits, or the
// shortest exact decimal; "" when n is no integer and integer is set, or
// has no short exact decimal.
func ratNumber(n *big.Rat, integer bool) json.Number {
	if n.IsInt() {
		return json.Number(n.Num().String())
	}
	if integer {
		return ""
	}
	for prec := 1; prec <= 20; prec++ {
		s := n.FloatString(prec)
		if r, ok := new(big.Rat).SetString(s); ok && r.Cmp(n) == 0 {
			return json.Number(s)
		}
	}
	return ""
}

// stringSample picks a string meeting t's length, pattern and format: the
// first realistic value for prop that does, else one built from the
// pattern itself, padded or cut to length when there is no pattern.
func stringSample(t *Type, prop, seed string) (any, error) {
	candidates := stringHints(t, prop, seed)
	if t.Pattern != "" {
		if s, ok := patternSample(t.Pattern); ok {
			candidates = append(candidates, s)
		}
	}
	for _, c := range candidates {
		if c = fitLength(t, c); fits(t, c, 0) {
			return c, nil
		}
	}
	return nil, fmt.Errorf("no sample string meets %s", strings.TrimSuffix(Constraints(t), "."))
}

// stringHints are realistic values for a property, by its format and
// name.
func stringHints(t *Type, prop, seed string) []string {
	slug := strings.ReplaceAll(prop, "_", "-")
	switch t.Format {
	case "email":
		return []string{"user@example.com"}
	case "uri":
		return []string{"https://example.com/" + slug}
	case "date-time":
		return []string{"2024-01-01T09:00:00Z"}
	case "ipv4":
		return []string{"192.0.2.10"}
	case "ipv6":
		return []string{"2001:db8::10"}
	case "regex":
		return []string{`^\+?1?[0-9]{10}$`}
	}
	switch {
	case prop == "presence_id":
		return []string{"1000"}
	case prop == "id" || strings.HasSuffix(prop, "_id") || strings.HasSuffix(prop, "_ids") ||
		prop == "lists" || prop == "rules" || prop == "rule_set":
		// Kazoo document ids are 32 hex digits; these differ by place.
		sum := md5.Sum([]byte(seed))
		return []string{hex.EncodeToString(sum[:])}
	case prop == "voice_url":
		return []string{"https://example.com/pivot"}
	case strings.Contains(prop, "url") || strings.Contains(prop, "uri"):
		return []string{"https://example.com/" + slug}
	case prop == "text":
		return []string{"Thank you for calling."}
	case prop == "digits":
		return []string{"1234"}
	case prop == "language":
		return []string{"en-US"}
	case prop == "username":
		return []string{"kzgen"}
	case prop == "password":
		return []string{"secret"}
	case prop == "alert_info":
		return []string{"internal"}
	case prop == "variable":
		return []string{"department"}
	case strings.HasSuffix(prop, "number") || prop == "to_did":
		return []string{"+15555550123"}
	case prop == "name":
		return []string{"Example"}
	}
	return []string{"example"}
}

// fitLength pads or cuts s to t's length limits when t has no pattern
// (which a changed string might no longer match).
func fitLength(t *Type, s string) string {
	if t.Pattern != "" {
		return s
	}
	n := utf8.RuneCountInString(s)
	if t.MinLength >= 0 && n < t.MinLength {
		s += strings.Repeat("x", t.MinLength-n)
	}
	if t.MaxLength >= 0 && utf8.RuneCountInString(s) > t.MaxLength {
		s = string([]rune(s)[:t.MaxLength])
	}
	return s
}

// patternSample builds a short string the regular expression matches:
// the first branch of every alternation, the fewest repetitions, a
// letter or digit from every class where it can.
func patternSample(pattern string) (string, bool) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return "", false
	}
	var b strings.Builder
	var walk func(re *syntax.Regexp) bool
	walk = func(re *syntax.Regexp) bool {
		switch re.Op {
		case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
			syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpStar, syntax.OpQuest:
			return true
		case syntax.OpLiteral:
			b.WriteString(string(re.Rune))
			return true
		case syntax.OpCharClass:
			b.WriteRune(classSample(re.Rune))
			return len(re.Rune) > 0
		case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
			b.WriteByte('a')
			return true
		case syntax.OpCapture, syntax.OpPlus:
			return walk(re.Sub[0])
		case syntax.OpRepeat:
			for range re.Min {
				if !walk(re.Sub[0]) {
					return false
				}
			}
			return true
		case syntax.OpConcat:
			for _, sub := range re.Sub {
				if !walk(sub) {
					return false
				}
			}
			return true
		case syntax.OpAlternate:
			return walk(re.Sub[0])
		}
		return false
	}
	if !walk(re) {
		return "", false
	}
	return b.String(), true
}

// classSample picks a rune of a character class (pairs of lo, hi),
// preferring a lower-case letter, then a digit, then the class's first.
func classSample(ranges []rune) rune {
	for _, want := range []rune{'a', 'e', '1', '0', 'A'} {
		for i := 0; i+1 < len(ranges); i += 2 {
			if ranges[i] <= want && want <= ranges[i+1] {
				return want
			}
		}
	}
	if len(ranges) == 0 {
		return 'a'
	}
	return ranges[0]
}

// fits reports whether Kazoo accepts v for t. It is the sampler's own
// test, for its candidates and for defaults, and it is cautious: where it
// is unsure (keywords beside a $ref, a oneOf whose alternatives may
// overlap, an extra Kazoo check, a key pattern) it says no, and the sampler then builds a value itself, which
// is valid by construction. The tests check every sample with
// generator/validate.
func fits(t *Type, v any, depth int) bool {
	if depth > maxSampleDepth {
		return false
	}
	switch t.Check {
	case NoCheck:
	case CheckClientURL:
		if s, ok := v.(string); !ok || !exampleURL(s) {
			return false
		}
	default:
		return false
	}
	if len(t.Enum) > 0 && !enumHas(t.Enum, v) {
		return false
	}
	switch t.Kind {
	case Any:
		return true
	case Ref:
		return t.Also == nil && fits(t.Target.Root, v, depth+1)
	case Bool:
		_, ok := v.(bool)
		return ok
	case Integer, Number:
		return numberFits(t, v)
	case String:
		s, ok := v.(string)
		return ok && stringFits(t, s)
	case Array:
		items, ok := v.([]any)
		return ok && arrayFits(t, items, depth)
	case Object, Map:
		obj, ok := v.(map[string]any)
		return ok && objectFits(t, obj, depth)
	case Union:
		return unionFits(t, v, depth)
	}
	return false
}

// unionFits judges a union without shared properties: anyOf needs one
// alternative that fits, oneOf one that fits while every other one
// declares another JSON type.
func unionFits(t *Type, v any, depth int) bool {
	if t.Shared != nil {
		return false
	}
	matched, unsure := 0, false
	for _, variant := range t.Variants {
		switch {
		case fits(variant, v, depth+1):
			matched++
		case !declaresOtherType(variant, v):
			unsure = true
		}
	}
	if !t.OneOf {
		return matched > 0
	}
	return matched == 1 && !unsure
}

// declaresOtherType reports whether t's "type" keyword surely refuses v's
// JSON type.
func declaresOtherType(t *Type, v any) bool {
	t = t.Resolve()
	if len(t.Declared) == 0 {
		return false
	}
	for _, d := range t.Declared {
		switch x := v.(type) {
		case nil:
			if d == "null" {
				return false
			}
		case bool:
			if d == "boolean" {
				return false
			}
		case string:
			if d == "string" {
				return false
			}
		case json.Number:
			if d == "number" || d == "integer" && !strings.ContainsAny(string(x), ".eE") {
				return false
			}
		case []any:
			if d == "array" {
				return false
			}
		case map[string]any:
			if d == "object" {
				return false
			}
		}
	}
	return true
}

func numberFits(t *Type, v any) bool {
	num, ok := v.(json.Number)
	if !ok || t.Kind == Integer && strings.ContainsAny(string(num), ".eE") {
		return false
	}
	n, ok := new(big.Rat).SetString(string(num))
	if !ok {
		return false
	}
	if t.Minimum != nil {
		if c := n.Cmp(t.Minimum); c < 0 || c == 0 && t.ExclusiveMinimum {
			return false
		}
	}
	if t.Maximum != nil {
		if c := n.Cmp(t.Maximum); c > 0 || c == 0 && t.ExclusiveMaximum {
			return false
		}
	}
	return true
}

// exampleURL reports whether s is an http or https URL of the reserved
// domain example.com, which passes Kazoo's client URL check: its default
// blacklist holds only localhost and two loopback and wildcard addresses,
// and no operator has a reason to add example.com.
func exampleURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" {
		return false
	}
	host := strings.ToLower(u.Hostname())
	return host == "example.com" || strings.HasSuffix(host, ".example.com")
}

// kazooEmail is the only check Kazoo makes of the "email" format.
var kazooEmail = regexp.MustCompile(`^[^@]+@[^@]+$`)

func stringFits(t *Type, s string) bool {
	n := utf8.RuneCountInString(s)
	if t.MinLength >= 0 && n < t.MinLength || t.MaxLength >= 0 && n > t.MaxLength {
		return false
	}
	if t.Pattern != "" {
		re, err := regexp.Compile(t.Pattern)
		if err != nil || !re.MatchString(s) {
			return false
		}
	}
	switch t.Format {
	case "email":
		return kazooEmail.MatchString(s)
	case "date-time":
		_, err := time.Parse(time.RFC3339, s)
		return err == nil
	}
	return true
}

func arrayFits(t *Type, items []any, depth int) bool {
	if t.MinItems >= 0 && len(items) < t.MinItems || t.MaxItems >= 0 && len(items) > t.MaxItems {
		return false
	}
	if t.UniqueItems && !unique(items) {
		return false
	}
	for _, item := range items {
		if !fits(t.Items, item, depth+1) {
			return false
		}
	}
	return true
}

// objectFits checks an object's members, and the defaults Kazoo fills in
// for the properties it lacks.
func objectFits(t *Type, obj map[string]any, depth int) bool {
	if t.MinProperties >= 0 && len(obj) < t.MinProperties || t.MaxProperties >= 0 && len(obj) > t.MaxProperties {
		return false
	}
	fields := map[string]*Field{}
	for _, f := range t.Fields {
		fields[f.Name] = f
		if _, present := obj[f.Name]; present {
			continue
		}
		if f.Required && f.Type.Default == nil {
			return false
		}
		if f.Type.Default != nil {
			if _, ok := fittingDefault(f.Type); !ok {
				return false
			}
		}
	}
	for k, v := range obj {
		f, named := fields[k]
		switch {
		case named && len(t.PatternProps) == 0:
			if !fits(f.Type, v, depth+1) {
				return false
			}
		case len(t.PatternProps) > 0:
			return false // which patterns apply to which key: not judged here
		case t.NoAdditional:
			return false
		case t.Additional != nil && !fits(t.Additional, v, depth+1):
			return false
		}
	}
	return true
}

// enumHas reports whether v is one of enum's values, compared exactly as
// Kazoo compares them (1 and 1.0 differ).
func enumHas(enum []any, v any) bool {
	for _, e := range enum {
		if sameJSON(e, v) {
			return true
		}
	}
	return false
}

// unique reports whether no two items are the same JSON value.
func unique(items []any) bool {
	for i := range items {
		for j := range i {
			if sameJSON(items[i], items[j]) {
				return false
			}
		}
	}
	return true
}

// sameJSON compares two decoded values exactly: numbers by their text,
// objects whatever their key order.
func sameJSON(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}

// DecodeSample decodes a JSON value as samples are held: as
// encoding/json decodes it into an any, numbers as json.Number.
func DecodeSample(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}
