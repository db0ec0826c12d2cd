package kzrt

import (
	"bytes"
	"encoding/json"
	"math/big"
	"strconv"
)

// This file checks, for generated Validate methods, what decoding kept as
// JSON: values decoded on their own (Decoded) and numbers their Go field
// cannot hold (KeptNumber).

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

// NumberRule is what a schema asks of a number, for KeptNumber: an
// integer (Integer), within bounds written as exact decimal numbers (""
// for no bound, draft-04's exclusive flags), one of the values Enum lists
// ("" for no enum).
type NumberRule struct {
	Integer                    bool
	Min, Max                   string
	ExclusiveMin, ExclusiveMax bool
	Enum                       string
}

// KeptNumber checks a number that decoding kept verbatim in a struct's
// Extra because its Go field cannot hold it (an integer beyond int64, a
// number beyond float64, a number written with a fraction or an exponent
// where an integer is wanted; see Decoder.IntOrKeep) against its schema's
// rule, as Kazoo's validator does: a number written as 20.0 or 2e1 is of
// the wrong type where an integer is wanted (CodeType), bounds are
// compared exactly, whatever the size of the number, and a kept number is
// none of an enum's values, which all fit the field (Kazoo compares them
// exactly: 8000.0 is not 8000). A value that is not a JSON number (Extra
// set by hand) is a problem too.
func (v *Validator) KeptNumber(raw json.RawMessage, rule NumberRule) {
	lit := bytes.TrimSpace(raw)
	if k := kindOf(lit, 0); k != '0' {
		v.Report(CodeType, "got "+kindName(k)+", want number")
		return
	}
	if end, _, _ := scanNumber(lit, 0); end != len(lit) {
		v.Report(CodeType, "got "+clip(lit)+", want a JSON number")
		return
	}
	text := clip(lit)
	if rule.Integer && !IsInteger(lit) {
		v.Report(CodeType, "got number "+text+", want integer")
	}
	if rule.Min != "" {
		min, _ := new(big.Rat).SetString(rule.Min)
		switch c := compareNumber(lit, min); {
		case rule.ExclusiveMin && c <= 0:
			v.Report(CodeMinimum, text+" must be greater than "+rule.Min)
		case c < 0:
			v.Report(CodeMinimum, text+" is less than the minimum "+rule.Min)
		}
	}
	if rule.Max != "" {
		max, _ := new(big.Rat).SetString(rule.Max)
		switch c := compareNumber(lit, max); {
		case rule.ExclusiveMax && c >= 0:
			v.Report(CodeMaximum, text+" must be less than "+rule.Max)
		case c > 0:
			v.Report(CodeMaximum, text+" is greater than the maximum "+rule.Max)
		}
	}
	if rule.Enum != "" {
		v.Report(CodeEnum, text+" is not one of "+rule.Enum)
	}
}

// maxDigits is how many significant digits of a number compareNumber
// reads exactly; a bound from a schema has far fewer.
const maxDigits = 1000

// compareNumber compares lit, a well-formed JSON number literal, with b,
// exactly (-1, 0 or 1, as big.Rat.Cmp), at a cost that does not grow with
// lit's exponent: 1e999999999 is compared as quickly as 1e9.
func compareNumber(lit []byte, b *big.Rat) int {
	neg, digits, exp := decimalParts(lit)
	if len(digits) == 0 {
		return -b.Sign() // lit is zero
	}
	sign := 1
	if neg {
		sign = -1
	}
	if b.Sign() != sign {
		return sign
	}
	// |lit| is in [10^(exp-1), 10^exp) and log2|b| in (bbits-1, bbits+1):
	// magnitudes far apart decide without arithmetic.
	const log2of10 = 3.321928094887362
	bbits := float64(b.Num().BitLen() - b.Denom().BitLen())
	switch {
	case float64(exp-1)*log2of10 >= bbits+1:
		return sign
	case float64(exp)*log2of10 <= bbits-1:
		return -sign
	}
	// exp is now about b's size: exact arithmetic is cheap.
	truncated := len(digits) > maxDigits
	if truncated {
		digits = digits[:maxDigits]
	}
	n, _ := new(big.Rat).SetString("0." + string(digits) + "e" + strconv.FormatInt(exp, 10))
	c := n.Cmp(new(big.Rat).Abs(b))
	if c == 0 && truncated {
		c = 1 // the digits left out are not all zeros
	}
	return sign * c
}

// decimalParts splits a well-formed JSON number literal into its sign,
// its significant digits (no leading or trailing zeros; none for zero)
// and its decimal exponent: the value is ±0.digits × 10^exp. The exponent
// saturates far beyond any float64.
func decimalParts(lit []byte) (neg bool, digits []byte, exp int64) {
	i := 0
	if lit[0] == '-' {
		neg = true
		i++
	}
	start := i
	i = skipDigits(lit, i)
	intDigits := i - start
	digits = append(digits, lit[start:i]...)
	if i < len(lit) && lit[i] == '.' {
		j := skipDigits(lit, i+1)
		digits = append(digits, lit[i+1:j]...)
		i = j
	}
	var e int64
	if i < len(lit) && (lit[i] == 'e' || lit[i] == 'E') {
		i++
		eneg := false
		if lit[i] == '+' || lit[i] == '-' {
			eneg = lit[i] == '-'
			i++
		}
		for ; i < len(lit); i++ {
			if e < 1<<40 {
				e = e*10 + int64(lit[i]-'0')
			}
		}
		if eneg {
			e = -e
		}
	}
	lead := 0
	for lead < len(digits) && digits[lead] == '0' {
		lead++
	}
	digits = bytes.TrimRight(digits[lead:], "0")
	return neg, digits, int64(intDigits-lead) + e
}
