package validate

import (
	"math/big"
	"slices"
	"strconv"
	"strings"
)

// equal compares two values as Kazoo does for "enum" and "uniqueItems":
// exactly, so an integer never equals a float (1 and 1.0 differ, as they
// do in Erlang), floats compare by their float64 value, and objects are
// equal whatever the order of their keys.
func equal(a, b *value) bool {
	if a.kind != b.kind {
		return false
	}
	switch a.kind {
	case kindNull:
		return true
	case kindBool:
		return a.b == b.b
	case kindString:
		return a.s == b.s
	case kindNumber:
		if a.isInt != b.isInt {
			return false
		}
		if a.isInt {
			x, ok1 := new(big.Int).SetString(a.s, 10)
			y, ok2 := new(big.Int).SetString(b.s, 10)
			return ok1 && ok2 && x.Cmp(y) == 0
		}
		// Out of float64's range, ParseFloat gives an infinity (and an
		// error), the same for the same literal.
		x, _ := strconv.ParseFloat(a.s, 64)
		y, _ := strconv.ParseFloat(b.s, 64)
		return x == y
	case kindArray:
		if len(a.items) != len(b.items) {
			return false
		}
		for i := range a.items {
			if !equal(a.items[i], b.items[i]) {
				return false
			}
		}
		return true
	default:
		if len(a.members) != len(b.members) {
			return false
		}
		for _, m := range a.members {
			other := b.get(m.key)
			if other == nil || !equal(m.val, other) {
				return false
			}
		}
		return true
	}
}

// canonical renders v so that two values have the same text exactly when
// equal says they are equal: integers in lowest terms, floats by their
// float64 value, object members sorted by key.
func canonical(v *value) string {
	var b strings.Builder
	writeCanonical(&b, v)
	return b.String()
}

func writeCanonical(b *strings.Builder, v *value) {
	switch v.kind {
	case kindNull:
		b.WriteString("null")
	case kindBool:
		b.WriteString(strconv.FormatBool(v.b))
	case kindString:
		b.WriteString(strconv.Quote(v.s))
	case kindNumber:
		if v.isInt {
			if n, ok := new(big.Int).SetString(v.s, 10); ok {
				b.WriteString("i" + n.String())
				return
			}
			b.WriteString("?" + v.s)
			return
		}
		f, _ := strconv.ParseFloat(v.s, 64) // ±Inf beyond float64, as in equal
		b.WriteString("f" + strconv.FormatFloat(f, 'g', -1, 64))
	case kindArray:
		b.WriteByte('[')
		for i, it := range v.items {
			if i > 0 {
				b.WriteByte(',')
			}
			writeCanonical(b, it)
		}
		b.WriteByte(']')
	case kindObject:
		members := slices.Clone(v.members)
		slices.SortFunc(members, func(x, y member) int { return strings.Compare(x.key, y.key) })
		b.WriteByte('{')
		for i, m := range members {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Quote(m.key) + ":")
			writeCanonical(b, m.val)
		}
		b.WriteByte('}')
	}
}
