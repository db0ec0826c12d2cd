package validate

import (
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kzgen/kzgen/generator/load"
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

// emailPattern is the only test Kazoo's validator makes of "format":
// "email", run with PCRE's meaning of "$".
var emailPattern = func() *regexp.Regexp {
	p, err := load.TranslatePattern(`^[^@]+@[^@]+$`)
	if err != nil {
		panic(err) // a constant pattern
	}
	return regexp.MustCompile(p.Go)
}()

// formatOK checks s against one of the formats Kazoo checks
// (model.FormatChecked).
func formatOK(format, s string) bool {
	switch format {
	case "email":
		return emailPattern.MatchString(s)
	case "date-time":
		return isDateTime(s)
	}
	return true
}

// isDateTime accepts an RFC 3339 date-time: a valid calendar date, "T",
// a time (a leap second allowed), optional fractional seconds and "Z" or
// an offset; "t" and "z" may be lower case, as the RFC allows.
func isDateTime(s string) bool {
	up := strings.ToUpper(s)
	date, clock, ok := strings.Cut(up, "T")
	if !ok || len(date) != 10 {
		return false
	}
	if _, err := time.Parse("2006-01-02", date); err != nil {
		return false
	}
	// Offset: Z or ±hh:mm.
	var offset string
	switch {
	case strings.HasSuffix(clock, "Z"):
		clock = strings.TrimSuffix(clock, "Z")
	case len(clock) > 6 && (clock[len(clock)-6] == '+' || clock[len(clock)-6] == '-'):
		clock, offset = clock[:len(clock)-6], clock[len(clock)-5:]
		if !clockOK(offset+":00", 23, 59) {
			return false
		}
	default:
		return false
	}
	if whole, frac, ok := strings.Cut(clock, "."); ok {
		if frac == "" || strings.Trim(frac, "0123456789") != "" {
			return false
		}
		clock = whole
	}
	return clockOK(clock, 23, 59)
}

// clockOK checks "hh:mm:ss" with hours up to maxHour, minutes up to
// maxMinute and seconds up to 60 (a leap second).
func clockOK(s string, maxHour, maxMinute int) bool {
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return false
	}
	limits := []int{maxHour, maxMinute, 60}
	for i, p := range parts {
		if len(p) != 2 || strings.Trim(p, "0123456789") != "" {
			return false
		}
		n, _ := strconv.Atoi(p)
		if n > limits[i] {
			return false
		}
	}
	return true
}
