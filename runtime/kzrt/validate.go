package kzrt

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Validator collects problems while generated validate methods walk a
// value. It tracks the current JSON pointer as a stack of tokens and only
// renders it when a problem is reported, so a valid value costs no
// allocations. Every problem carries the error code Kazoo reports for it
// (the Code… constants).
//
// The zero Validator checks as a Kazoo installation with default settings
// does; Validate with options checks as a site with its own settings
// (WithURLBlacklist).
type Validator struct {
	path []string
	buf  [16]string // backing store for path, so shallow walks do not allocate
	errs Errors
	// blacklist is the client blacklist URL checks use; nil is Kazoo's
	// default.
	blacklist *Blacklist
	// sub is the validator Try lends, reused.
	sub *Validator
}

// Option adjusts a validation to a Kazoo installation's own settings; see
// Validate.
type Option func(*Validator)

// WithURLBlacklist checks client URLs (pivot voice_url, record_call url,
// webhook uri…) against b instead of Kazoo's default blacklist, so that a
// site that extends its blacklist (with its private ranges, say) refuses
// what its Kazoo refuses. A nil b keeps the default.
func WithURLBlacklist(b *Blacklist) Option {
	return func(v *Validator) { v.blacklist = b }
}

// Validate checks t as t.Validate() does, adjusted by opts to a site's
// settings: kzrt.Validate(tree, kzrt.WithURLBlacklist(b)). It returns nil
// or Errors.
func Validate(t Tree, opts ...Option) error {
	v := getValidator(opts)
	defer putValidator(v)
	if t == nil {
		v.Report("", "no callflow (nil Tree)")
	} else {
		t.KzrtValidate(v)
	}
	return v.take()
}

// apply adjusts v by opts.
func (v *Validator) apply(opts []Option) {
	for _, o := range opts {
		if o != nil {
			o(v)
		}
	}
}

// Push enters a property or map key.
func (v *Validator) Push(token string) {
	if v.path == nil {
		v.path = v.buf[:0]
	}
	v.path = append(v.path, token)
}

// PushIndex enters an array element.
func (v *Validator) PushIndex(i int) { v.Push(strconv.Itoa(i)) }

// Pop leaves the innermost property, key or element.
func (v *Validator) Pop() { v.path = v.path[:len(v.path)-1] }

// Pointer renders the current location as a JSON pointer.
func (v *Validator) Pointer() string { return v.pointerTo(len(v.path)) }

// pointerTo renders the JSON pointer of the first n tokens of the path:
// where the walk was when the path was n tokens long.
func (v *Validator) pointerTo(n int) string {
	var b strings.Builder
	for _, t := range v.path[:n] {
		b.WriteByte('/')
		b.WriteString(EscapeToken(t))
	}
	return b.String()
}

// Report records a problem at the current location, with Kazoo's error
// code for it ("" for a problem Kazoo has no counterpart of, such as a
// loop in a tree built in Go).
func (v *Validator) Report(code, msg string) {
	v.errs = append(v.errs, Error{Pointer: v.Pointer(), Code: code, Message: msg})
}

// Reportf records a formatted problem at the current location.
func (v *Validator) Reportf(code, format string, args ...any) {
	v.Report(code, fmt.Sprintf(format, args...))
}

// Missing records a required property that is absent.
func (v *Validator) Missing(name string) {
	v.Push(name)
	v.Report(CodeRequired, "required property is missing")
	v.Pop()
}

// OK reports whether no problem has been recorded.
func (v *Validator) OK() bool { return len(v.errs) == 0 }

// Problems returns the problems recorded so far.
func (v *Validator) Problems() Errors { return v.errs }

// Merge records problems found by another validator, under the current
// location.
func (v *Validator) Merge(es Errors) {
	prefix := v.Pointer()
	for _, e := range es {
		v.errs = append(v.errs, Error{Pointer: prefix + e.Pointer, Code: e.Code, Message: e.Message})
	}
}

// Err returns the problems as an Errors value, or nil when there are none.
func (v *Validator) Err() error {
	if len(v.errs) == 0 {
		return nil
	}
	return v.errs
}

// Try runs fn, the checks of one alternative of a union, on the side: with
// v's settings, but recording nothing in v. It returns what fn found, with
// pointers relative to the current location; none when the value passes.
func (v *Validator) Try(fn func(*Validator)) Errors {
	if v.sub == nil {
		v.sub = new(Validator) // kept for the next Try: unions try often
	}
	sub := v.sub
	sub.path, sub.blacklist = nil, v.blacklist
	fn(sub)
	errs := sub.errs
	sub.errs = nil
	return errs
}

// Length checks a string's length in code points against min and max
// (-1 for no limit), as Kazoo counts it.
func (v *Validator) Length(s string, min, max int) {
	n := utf8.RuneCountInString(s)
	if min >= 0 && n < min {
		v.Reportf(CodeMinLength, "length %d, minimum %d", n, min)
	}
	if max >= 0 && n > max {
		v.Reportf(CodeMaxLength, "length %d, maximum %d", n, max)
	}
}

// Pattern checks that s contains a match of re (JSON Schema patterns are
// not anchored). re is the schema's pattern translated to Go's syntax with
// PCRE's verdicts; source is the pattern as the schema writes it, which the
// message quotes.
func (v *Validator) Pattern(s string, re *regexp.Regexp, source string) {
	if !re.MatchString(s) {
		v.Reportf(CodePattern, "%q does not match pattern %q", s, source)
	}
}

// Items checks an array's number of items against min and max (-1 for no
// limit).
func (v *Validator) Items(n, min, max int) {
	v.count(n, min, max, "items", CodeMinItems, CodeMaxItems)
}

// Properties checks an object's number of properties against min and max
// (-1 for no limit).
func (v *Validator) Properties(n, min, max int) {
	v.count(n, min, max, "properties", CodeMinProperties, CodeMaxProperties)
}

func (v *Validator) count(n, min, max int, what, minCode, maxCode string) {
	if min >= 0 && n < min {
		v.Reportf(minCode, "%d %s, minimum %d", n, what, min)
	}
	if max >= 0 && n > max {
		v.Reportf(maxCode, "%d %s, maximum %d", n, what, max)
	}
}

// Unique checks that no two items are equal as Kazoo compares them: as
// JSON values, exactly (an integer never equals a float: 1 and 1.0
// differ), objects whatever the order of their keys. Items are compared
// by their encoding, so a float written 1.0 in a list of Go float64s
// (which keeps no literal) compares as the integer 1 does.
func Unique[T any](v *Validator, items []T, encode func(*Encoder, T)) {
	if len(items) < 2 {
		return
	}
	seen := make(map[string]int, len(items))
	for i, item := range items {
		var e Encoder
		encode(&e, item)
		key := canonicalJSON(e.buf)
		if j, dup := seen[key]; dup {
			v.Reportf(CodeUniqueItems, "items %d and %d are equal; items must be unique", j, i)
			return
		}
		seen[key] = i
	}
}

// canonicalJSON renders a JSON value so that two values have the same
// text exactly when Kazoo's enum and uniqueItems find them equal:
// integers in lowest terms, floats by their float64 value, object members
// sorted by key. Text that is not JSON is returned as it is.
func canonicalJSON(data []byte) string {
	if !bytes.ContainsAny(data, "{0123456789") {
		return string(data) // strings, booleans, null: already canonical
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var x any
	if err := dec.Decode(&x); err != nil {
		return string(data)
	}
	var b strings.Builder
	writeCanonical(&b, x)
	return b.String()
}

func writeCanonical(b *strings.Builder, x any) {
	switch x := x.(type) {
	case json.Number:
		if !strings.ContainsAny(string(x), ".eE") {
			if n, ok := new(big.Int).SetString(string(x), 10); ok {
				b.WriteString("i" + n.String())
				return
			}
		}
		f, _ := strconv.ParseFloat(string(x), 64) // ±Inf beyond float64, the same for the same literal
		b.WriteString("f" + strconv.FormatFloat(f, 'g', -1, 64))
	case []any:
		b.WriteByte('[')
		for i, item := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			writeCanonical(b, item)
		}
		b.WriteByte(']')
	case map[string]any:
		b.WriteByte('{')
		for i, k := range slices.Sorted(maps.Keys(x)) {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Quote(k) + ":")
			writeCanonical(b, x[k])
		}
		b.WriteByte('}')
	default:
		s, _ := json.Marshal(x)
		b.Write(s)
	}
}

// Enum records a value outside its enumeration.
func (v *Validator) Enum(value any, allowed string) {
	v.Reportf(CodeEnum, "%v is not one of %s", quoteIfString(value), allowed)
}

// CheckEnum is the Validate of a generated enum type: nil when valid,
// else one problem naming the value and the allowed ones.
func CheckEnum(valid bool, value, allowed string) error {
	if valid {
		return nil
	}
	var v Validator
	v.Enum(value, allowed)
	return v.Err()
}

func quoteIfString(value any) any {
	if s, ok := value.(string); ok {
		return strconv.Quote(s)
	}
	return value
}

// ClientURL applies Kazoo's client URL check to s (a property whose schema
// asks for it: pivot voice_url, record_call url, webhook uri…): an http or
// https URL whose host is not on the client blacklist, Kazoo's default or
// the one given to Validate.
func (v *Validator) ClientURL(s string) {
	if err := v.blacklist.CheckURL(s); err != nil {
		v.Report(CodeError, err.Error())
	}
}

// NoneOf records that no alternative of a union accepts the value at the
// current location: of a oneOf (Kazoo's code CodeNoneOf) or, with anyOf
// set, of an anyOf (CodeNoneOfAny). what names the alternative the value
// was read as ("a string", `a "tts" macro`) and found is what that
// alternative's checks found, with pointers relative to the value; the
// message quotes them, as Kazoo reports only the union.
func (v *Validator) NoneOf(anyOf bool, what string, found Errors) {
	code := CodeNoneOf
	if anyOf {
		code = CodeNoneOfAny
	}
	v.Reportf(code, "no alternative matches; as %s: %s", what, brief(found.Error()))
}

// SeveralOf records that more than one alternative of a oneOf accepts the
// value at the current location (Kazoo's code CodeSeveralOf).
func (v *Validator) SeveralOf(matches int) {
	v.Reportf(CodeSeveralOf, "%d alternatives match; oneOf allows exactly one", matches)
}

// brief cuts a nested problem's text for a union's message, so that
// messages of nested unions cannot grow without bound.
func brief(s string) string {
	const limit = 200
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	return string([]rune(s)[:limit]) + "…"
}

// Check runs fn on a fresh validator and reports whether it found nothing;
// a union's decoding uses it to pick the alternative that is valid.
func Check(fn func(*Validator)) bool {
	var sub Validator
	fn(&sub)
	return sub.OK()
}
