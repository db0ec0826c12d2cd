// Package clip shortens values a sender controls before they are logged,
// for the runtime packages that log requests (pivot, webhook).
package clip

import (
	"strconv"
	"unicode/utf8"
)

// String returns s, or its first max bytes (fewer, to end on a whole
// UTF-8 character) marked as cut with s's length: "abc…(4096 bytes)".
func String(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…(" + strconv.Itoa(len(s)) + " bytes)"
}
