package kzrt

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Validator collects problems while generated validate methods walk a
// value. It tracks the current JSON pointer as a stack of tokens and only
// renders it when a problem is reported, so a valid value costs no
// allocations.
type Validator struct {
	path []string
	buf  [16]string // backing store for path, so shallow walks do not allocate
	errs Errors
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

// Report records a problem at the current location.
func (v *Validator) Report(msg string) {
	v.errs = append(v.errs, Error{Pointer: v.Pointer(), Message: msg})
}

// Reportf records a formatted problem at the current location.
func (v *Validator) Reportf(format string, args ...any) { v.Report(fmt.Sprintf(format, args...)) }

// Missing records a required property that is absent.
func (v *Validator) Missing(name string) {
	v.Push(name)
	v.Report("required property is missing")
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

// Length checks a string's length in code points against min and max
// (-1 for no limit), as JSON Schema counts it.
func (v *Validator) Length(s string, min, max int) {
	n := utf8.RuneCountInString(s)
	if min >= 0 && n < min {
		v.Reportf("length %d, minimum %d", n, min)
	}
	if max >= 0 && n > max {
		v.Reportf("length %d, maximum %d", n, max)
	}
}

// Pattern checks that s contains a match of re (JSON Schema patterns are
// not anchored). re is the schema's pattern translated to Go's syntax with
// PCRE's verdicts; source is the pattern as the schema writes it, which the
// message quotes.
func (v *Validator) Pattern(s string, re *regexp.Regexp, source string) {
	if !re.MatchString(s) {
		v.Reportf("%q does not match pattern %q", s, source)
	}
}

// Count checks the number of items or properties against min and max
// (-1 for no limit).
func (v *Validator) Count(n, min, max int, what string) {
	if min >= 0 && n < min {
		v.Reportf("%d %s, minimum %d", n, what, min)
	}
	if max >= 0 && n > max {
		v.Reportf("%d %s, maximum %d", n, what, max)
	}
}

// Unique checks that no two items encode to the same JSON.
func Unique[T any](v *Validator, items []T, encode func(*Encoder, T)) {
	if len(items) < 2 {
		return
	}
	seen := make(map[string]int, len(items))
	for i, item := range items {
		var e Encoder
		encode(&e, item)
		key := string(e.buf)
		if j, dup := seen[key]; dup {
			v.Reportf("items %d and %d are equal; items must be unique", j, i)
			return
		}
		seen[key] = i
	}
}

// Enum records a value outside its enumeration.
func (v *Validator) Enum(value any, allowed string) {
	v.Reportf("%v is not one of %s", quoteIfString(value), allowed)
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

// Check runs fn on a fresh validator and reports whether it found nothing;
// unions use it to test a variant without recording its problems.
func Check(fn func(*Validator)) bool {
	var sub Validator
	fn(&sub)
	return sub.OK()
}
