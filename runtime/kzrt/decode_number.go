package kzrt

import (
	"bytes"
	"encoding/json"
	"math/big"
)

// This file checks, for generated Validate methods, what decoding kept as
// JSON: values decoded on their own (Decoded) and numbers too large for
// their Go field (KeptNumber).

// Decoded records the problem of decoding a value kept as raw JSON (an
// unnamed property of a struct, a map value several schemas may govern),
// so that it can be checked: err, from Unmarshal or an UnmarshalJSON
// method, is recorded as problems at the current location or below it.
// It reports whether err is nil, that is, whether the value can be
// checked further.
func (v *Validator) Decoded(err error) bool {
	if err != nil {
		v.Merge(AsErrors(err))
		return false
	}
	return true
}

// Bounds is the numeric range of a schema, for KeptNumber: exact decimal
// numbers ("" for no bound) and draft-04's exclusive flags.
type Bounds struct {
	Min, Max                   string
	ExclusiveMin, ExclusiveMax bool
}

// KeptNumber checks a number that decoding kept verbatim in a struct's
// Extra because its Go field cannot hold it (an integer beyond int64, a
// number beyond float64; see Decoder.IntOrKeep) against the bounds of its
// schema, exactly, as Kazoo's validator compares numbers of any size:
// without bounds every number is valid. A value that is not a JSON number
// (Extra set by hand) is a problem too.
func (v *Validator) KeptNumber(raw json.RawMessage, b Bounds) {
	lit := bytes.TrimSpace(raw)
	if kindOf(lit, 0) != '0' {
		v.report("type", "got "+kindName(kindOf(lit, 0))+", want number")
		return
	}
	n, ok := new(big.Rat).SetString(string(lit))
	if end, _, _ := scanNumber(lit, 0); end != len(lit) || !ok {
		v.report("type", "got "+clip(lit)+", want a JSON number")
		return
	}
	text := clip(lit)
	if b.Min != "" {
		min, _ := new(big.Rat).SetString(b.Min)
		switch c := n.Cmp(min); {
		case b.ExclusiveMin && c <= 0:
			v.report("minimum", text+" must be greater than "+b.Min)
		case c < 0:
			v.report("minimum", text+" is less than the minimum "+b.Min)
		}
	}
	if b.Max != "" {
		max, _ := new(big.Rat).SetString(b.Max)
		switch c := n.Cmp(max); {
		case b.ExclusiveMax && c >= 0:
			v.report("maximum", text+" must be less than "+b.Max)
		case c > 0:
			v.report("maximum", text+" is greater than the maximum "+b.Max)
		}
	}
}

// report records a problem with Kazoo's error code at the current
// location.
func (v *Validator) report(code, msg string) {
	v.errs = append(v.errs, Error{Pointer: v.Pointer(), Code: code, Message: msg})
}
