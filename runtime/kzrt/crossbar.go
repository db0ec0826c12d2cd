package kzrt

import (
	"bytes"
	"encoding/json"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
)

// This file is what Crossbar adds when it stores a callflow document, as
// opposed to a Pivot answer, which Kazoo checks as it is: a callflow must
// answer for a number or a pattern, and when the schema check fails and
// strict validation is off (the default), Crossbar converts values of the
// wrong JSON type to the type the schema wants and checks once more
// (kz_json_schema:fix_js_types), so stored callflows are more lenient.

// NumbersOrPatterns is Crossbar's first check of a stored callflow: it must
// answer for at least one number or pattern. numbers and patterns are how
// many the document lists; a missing one is reported at "numbers", with
// code CodeRequired, under the current location.
func (v *Validator) NumbersOrPatterns(numbers, patterns int) {
	if numbers == 0 && patterns == 0 {
		v.Push("numbers")
		v.Report(CodeRequired, "a callflow needs at least one number or pattern")
		v.Pop()
	}
}

// Conversion is a value Crossbar converts to the type its schema wants
// before it stores a callflow: "2000" to 2000 where the schema wants an
// integer, 2000.0 to 2000, "true" to true.
type Conversion struct {
	// Pointer locates the value, relative to the node (/data/timeout) or,
	// from a generated Document's Conversions, to the document.
	Pointer string
	// From is the value as written, To the value Crossbar stores.
	From, To json.RawMessage
}

// Erlang's number syntax, which Kazoo's conversions read: an integer, or a
// float with digits on both sides of the point (list_to_float refuses
// "1e3" and "2.").
var (
	erlangInteger = regexp.MustCompile(`^[+-]?[0-9]+$`)
	erlangFloat   = regexp.MustCompile(`^[+-]?[0-9]+\.[0-9]+([eE][+-]?[0-9]+)?$`)
)

// CrossbarConvert converts value, a JSON value of the wrong type, to want
// ("integer", "number" or "boolean") as Crossbar's second pass does: a
// string holding an integer or a float becomes that number (rounded, for
// an integer, halves away from zero, as Erlang's round/1), a float becomes
// an integer by rounding, "true" and "false" become booleans. ok is false
// when Kazoo's conversion fails and the value stays as it is.
func CrossbarConvert(value json.RawMessage, want string) (converted json.RawMessage, ok bool) {
	value = bytes.TrimSpace(value)
	var s string
	isString := Kind(value) == '"'
	if isString {
		if json.Unmarshal(value, &s) != nil {
			return nil, false
		}
	} else {
		s = string(value)
	}
	isNumber := Kind(value) == '0'
	switch want {
	case "boolean":
		if isString && (s == "true" || s == "false") {
			return json.RawMessage(s), true
		}
	case "integer":
		switch {
		case isString && erlangInteger.MatchString(s):
			return integerLiteral(s)
		case isString && erlangFloat.MatchString(s), isNumber && strings.ContainsAny(s, ".eE"):
			return roundLiteral(s)
		}
	case "number":
		switch {
		case isString && erlangInteger.MatchString(s):
			return integerLiteral(s)
		case isString && erlangFloat.MatchString(s):
			f, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsInf(f, 0) {
				return nil, false
			}
			return json.RawMessage(strings.TrimPrefix(s, "+")), true
		}
	}
	return nil, false
}

func integerLiteral(s string) (json.RawMessage, bool) {
	n, ok := new(big.Int).SetString(s, 10)
	if !ok {
		return nil, false
	}
	return json.RawMessage(n.String()), true
}

// roundLiteral rounds a float literal to the nearest integer, halves away
// from zero.
func roundLiteral(s string) (json.RawMessage, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) {
		return nil, false
	}
	n, _ := big.NewFloat(math.Round(f)).Int(nil)
	return json.RawMessage(n.String()), true
}
