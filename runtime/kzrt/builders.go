package kzrt

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// SetProblems replaces the builder problems (Node.Problems) at pointer and
// below it with errs, whose pointers are relative to pointer. Generated
// builders call it, so that the last call of a setter decides: a Duration
// setter given 1.5 s for a field counted in seconds records a problem, and
// a later valid value removes it.
func (n *Node) SetProblems(pointer string, errs Errors) { n.Problems.ReplaceAt(pointer, errs) }

// SetProblem is SetProblems with one problem, err's message, at pointer;
// a nil err only removes the problems at pointer and below.
func (n *Node) SetProblem(pointer string, err error) { n.Problems.Replace(pointer, err) }

// ReplaceAt removes the problems at pointer and below it and adds errs,
// whose pointers are relative to pointer. Builders keep what they were
// given that cannot be encoded this way, so that a later call of the same
// setter replaces the earlier one's problems.
func (es *Errors) ReplaceAt(pointer string, errs Errors) {
	*es = slices.DeleteFunc(*es, func(e Error) bool {
		return e.Pointer == pointer || strings.HasPrefix(e.Pointer, pointer+"/")
	})
	for _, e := range errs {
		e.Pointer = pointer + e.Pointer
		*es = append(*es, e)
	}
	if len(*es) == 0 {
		*es = nil
	}
}

// Replace is ReplaceAt with one problem, err's message, at pointer; a nil
// err only removes the problems at pointer and below.
func (es *Errors) Replace(pointer string, err error) {
	if err == nil {
		es.ReplaceAt(pointer, nil)
		return
	}
	es.ReplaceAt(pointer, Errors{{Message: err.Error()}})
}

// DurationCount returns d counted in unit (time.Millisecond or
// time.Second, the unit of a Kazoo field), or an error when d is negative
// or not a whole number of units: Kazoo's fields hold whole numbers, and
// rounding would change what was asked for without a word.
func DurationCount(d, unit time.Duration) (int64, error) {
	if d < 0 {
		return 0, fmt.Errorf("%v is negative; Kazoo counts this in whole %s", d, unitWord(unit))
	}
	if d%unit != 0 {
		return 0, fmt.Errorf("%v is not a whole number of %s, the unit Kazoo counts this in", d, unitWord(unit))
	}
	return int64(d / unit), nil
}

// unitWord names a unit in prose.
func unitWord(unit time.Duration) string {
	switch unit {
	case time.Millisecond:
		return "milliseconds"
	case time.Second:
		return "seconds"
	}
	return "units of " + unit.String()
}

// JSONStrings encodes each value of m as a JSON string, as Encoder writes
// it (HTML characters unescaped), for a property whose schema takes values
// of any JSON type: builders take such a property as strings when that is
// what Kazoo expects (custom SIP headers). A nil map gives nil.
func JSONStrings[M ~map[string]string](m M) map[string]json.RawMessage {
	if m == nil {
		return nil
	}
	out := make(map[string]json.RawMessage, len(m))
	for k, v := range m {
		var e Encoder
		e.String(v)
		out[k], _ = e.Bytes() // a string always encodes
	}
	return out
}
