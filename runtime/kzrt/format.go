package kzrt

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// FormatChecked reports whether Kazoo checks values of a "format" at all.
// It checks "email" (only that the string is "something@something") and
// "date-time" (RFC 3339); it does not check "uri" or "hostname". Whether
// it checks "ipv4", "ipv6" and "regex" is unverified, so kzgen does not,
// the lenient choice.
func FormatChecked(format string) bool { return format == "email" || format == "date-time" }

// Format checks a string against a JSON Schema "format" as Kazoo does
// (see FormatChecked); other formats pass.
func (v *Validator) Format(s, format string) {
	if !FormatOK(format, s) {
		v.Reportf(CodeFormat, "%q is not a valid %s", s, format)
	}
}

// FormatOK reports whether s passes Kazoo's check of format: "email" is
// Kazoo's pattern ^[^@]+@[^@]+$ (one "@" with text on both sides), run with
// PCRE's meaning of "$"; "date-time" is RFC 3339. Formats Kazoo does not
// check pass.
func FormatOK(format, s string) bool {
	switch format {
	case "email":
		return EmailPattern.MatchString(s)
	case "date-time":
		return isDateTime(s)
	}
	return true
}

// EmailPattern is Kazoo's test of "format": "email", ^[^@]+@[^@]+$,
// translated to Go's syntax with PCRE's verdicts: "$" also matches before a
// final newline.
var EmailPattern = regexp.MustCompile(`^[^@]+@[^@]+(?:\n?\z)`)

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
