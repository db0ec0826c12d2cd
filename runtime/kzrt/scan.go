package kzrt

import (
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// This file holds the JSON scanner under Decoder: functions that read one
// token of a JSON text at a byte offset and return where it ends. They do
// not allocate, except to describe a syntax error, and they accept exactly
// the JSON that encoding/json accepts (RFC 8259; invalid UTF-8 inside
// strings is read as U+FFFD, as encoding/json reads it).

// maxNesting bounds how deeply arrays and objects may nest in what a
// Decoder reads: deeper input is an error, never a stack overflow. A tree
// of MaxDepth nodes nests about 2×MaxDepth deep, plus its data.
const maxNesting = 4 * MaxDepth

// SyntaxError is malformed JSON, or JSON nested deeper than a Decoder
// reads, at a byte offset of the input: the Err of the *DecodeError a
// reading function returns for it (errors.As finds it), so that a tool
// can give the line and column.
type SyntaxError struct {
	// Offset is the byte offset of the offending byte, or the input's
	// length when the input ends too early.
	Offset int
	// Msg says what is wrong: "unexpected character '}' looking for the
	// beginning of a value".
	Msg string
}

// Error describes the problem, with its offset.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at offset %d: %s", e.Offset, e.Msg)
}

// describeByte names the byte at i for a syntax error, or says that the
// input ended.
func describeByte(data []byte, i int) string {
	if i >= len(data) {
		return "unexpected end of JSON input"
	}
	c := data[i]
	if c < 0x20 || c >= utf8.RuneSelf {
		return fmt.Sprintf("unexpected byte 0x%02x", c)
	}
	return fmt.Sprintf("unexpected character %q", rune(c))
}

// skipSpace returns the offset of the first byte at or after i that is not
// JSON whitespace.
func skipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// String flags, from scanString.
const (
	strEscaped = 1 << iota // holds a backslash escape
	strHigh                // holds bytes of 0x80 and above (maybe invalid UTF-8)
)

// scanString reads the string starting with the quote at data[i] and
// returns the offset just past its closing quote and what it holds
// (strEscaped, strHigh). end is -1 when the string is malformed; msg then
// says why and at is the offending offset.
func scanString(data []byte, i int) (end int, flags int, at int, msg string) {
	i++ // the opening quote
	for i < len(data) {
		c := data[i]
		switch {
		case c == '"':
			return i + 1, flags, 0, ""
		case c == '\\':
			flags |= strEscaped
			if i+1 >= len(data) {
				return -1, 0, len(data), "unexpected end of JSON input in a string"
			}
			switch data[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				for k := i + 2; k < i+6; k++ {
					if k >= len(data) {
						return -1, 0, len(data), "unexpected end of JSON input in a string"
					}
					if !isHex(data[k]) {
						return -1, 0, k, "invalid \\u escape in a string"
					}
				}
				i += 6
			default:
				return -1, 0, i + 1, "invalid escape in a string"
			}
		case c < 0x20:
			return -1, 0, i, "control character in a string"
		default:
			if c >= utf8.RuneSelf {
				flags |= strHigh
			}
			i++
		}
	}
	return -1, 0, len(data), "unexpected end of JSON input in a string"
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func hexValue(b []byte) rune {
	var r rune
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		default:
			c -= 'A' - 10
		}
		r = r<<4 | rune(c)
	}
	return r
}

// appendUnquoted appends the text of body, the inside of a well-formed
// JSON string (scanString accepted it), to dst: escapes resolved, invalid
// UTF-8 and lone surrogates replaced by U+FFFD, as encoding/json does.
func appendUnquoted(dst, body []byte) []byte {
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c == '\\':
			switch e := body[i+1]; e {
			case 'b':
				dst = append(dst, '\b')
			case 'f':
				dst = append(dst, '\f')
			case 'n':
				dst = append(dst, '\n')
			case 'r':
				dst = append(dst, '\r')
			case 't':
				dst = append(dst, '\t')
			case 'u':
				r := hexValue(body[i+2 : i+6])
				i += 6
				if utf16.IsSurrogate(r) {
					// A high surrogate followed by an escaped low one is a
					// pair; anything else is a lone surrogate.
					if i+6 <= len(body) && body[i] == '\\' && body[i+1] == 'u' {
						if pair := utf16.DecodeRune(r, hexValue(body[i+2:i+6])); pair != utf8.RuneError {
							dst = utf8.AppendRune(dst, pair)
							i += 6
							continue
						}
					}
					r = utf8.RuneError
				}
				dst = utf8.AppendRune(dst, r)
				continue
			default: // '"', '\\', '/'
				dst = append(dst, e)
			}
			i += 2
		case c < utf8.RuneSelf:
			dst = append(dst, c)
			i++
		default:
			r, size := utf8.DecodeRune(body[i:])
			if r == utf8.RuneError && size == 1 {
				dst = append(dst, "\uFFFD"...)
			} else {
				dst = append(dst, body[i:i+size]...)
			}
			i += size
		}
	}
	return dst
}

// plainString reports whether a string scanned with flags can be used as
// its own text: no escapes, and valid UTF-8 when it has high bytes.
func plainString(body []byte, flags int) bool {
	return flags&strEscaped == 0 && (flags&strHigh == 0 || utf8.Valid(body))
}

// scanNumber reads the number starting at data[i] ('-' or a digit) and
// returns the offset just past it and whether it is an integer (written
// without fraction or exponent, as Kazoo's decoder reads integers). end is
// -1 when the number is malformed; at is then the offending offset.
func scanNumber(data []byte, i int) (end int, integer bool, at int) {
	if data[i] == '-' {
		i++
	}
	switch {
	case i < len(data) && data[i] == '0':
		i++
	case i < len(data) && data[i] >= '1' && data[i] <= '9':
		i = skipDigits(data, i+1)
	default:
		return -1, false, i
	}
	integer = true
	if i < len(data) && data[i] == '.' {
		integer = false
		if j := skipDigits(data, i+1); j > i+1 {
			i = j
		} else {
			return -1, false, i + 1
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		integer = false
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if j := skipDigits(data, i); j > i {
			i = j
		} else {
			return -1, false, i
		}
	}
	return i, integer, 0
}

func skipDigits(data []byte, i int) int {
	for i < len(data) && data[i] >= '0' && data[i] <= '9' {
		i++
	}
	return i
}

// parseInt reads an integer literal (scanNumber accepted it and found it
// an integer); ok is false when int64 cannot hold it.
func parseInt(lit []byte) (n int64, ok bool) {
	neg := lit[0] == '-'
	digits := lit
	if neg {
		digits = lit[1:]
	}
	if len(digits) > 19 {
		return 0, false
	}
	var u uint64
	for _, c := range digits {
		u = u*10 + uint64(c-'0') // 19 digits cannot overflow a uint64
	}
	switch {
	case neg && u <= 1<<63:
		return -int64(u), true
	case !neg && u < 1<<63:
		return int64(u), true
	}
	return 0, false
}

// parseFloat reads a number literal as the nearest float64; ok is false
// when the number is beyond float64's range (it would be an infinity).
func parseFloat(lit []byte) (f float64, ok bool) {
	f, err := strconv.ParseFloat(string(lit), 64)
	return f, err == nil
}

// scanLiteral reports whether word (true, false, null) starts at data[i].
func scanLiteral(data []byte, i int, word string) bool {
	return len(data)-i >= len(word) && string(data[i:i+len(word)]) == word
}

// kindOf classifies the JSON value starting at data[i] by its first byte:
// '{', '[', '"', 't' or 'f' (booleans), 'n' (null), '0' (numbers), or 0
// when none can start there.
func kindOf(data []byte, i int) byte {
	if i >= len(data) {
		return 0
	}
	switch c := data[i]; c {
	case '{', '[', '"', 't', 'f', 'n':
		return c
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return '0'
	}
	return 0
}

// kindName names a kind from kindOf, for messages.
func kindName(k byte) string {
	switch k {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	case '0':
		return "number"
	}
	return "invalid JSON"
}

// skipValue reads the JSON value starting at data[i] (after whitespace)
// without keeping anything, and returns the offset just past it, or a
// syntax error. stack is scratch space for the open arrays and objects,
// returned for reuse; the value may nest at most limit levels.
func skipValue(data []byte, i int, stack []byte, limit int) (int, []byte, *SyntaxError) {
	base := len(stack)
	fail := func(at int, msg string) (int, []byte, *SyntaxError) {
		return 0, stack[:base], &SyntaxError{Offset: at, Msg: msg}
	}
	// A value is expected at i; then, until the outermost value is
	// complete, a comma and the next member or element, or a closing
	// bracket.
	for {
		i = skipSpace(data, i)
		if i >= len(data) {
			return fail(i, "unexpected end of JSON input")
		}
		switch c := data[i]; {
		case c == '{' || c == '[':
			if len(stack)-base >= limit {
				return fail(i, fmt.Sprintf("nested more than %d levels deep", limit))
			}
			j := skipSpace(data, i+1)
			if j < len(data) && (c == '{' && data[j] == '}' || c == '[' && data[j] == ']') {
				i = j + 1
				break // an empty object or array is a complete value
			}
			stack = append(stack, c)
			i = j
			if c == '{' {
				var msg string
				if i, msg = scanKey(data, i); msg != "" {
					return fail(i, msg)
				}
			}
			continue // the first member's value or the first element
		case c == '"':
			end, _, at, msg := scanString(data, i)
			if end < 0 {
				return fail(at, msg)
			}
			i = end
		case c == '-' || c >= '0' && c <= '9':
			end, _, at := scanNumber(data, i)
			if end < 0 {
				return fail(at, "invalid number")
			}
			i = end
		case scanLiteral(data, i, "true"):
			i += 4
		case scanLiteral(data, i, "false"):
			i += 5
		case scanLiteral(data, i, "null"):
			i += 4
		default:
			return fail(i, describeByte(data, i)+" looking for the beginning of a value")
		}
		// A value is complete: close what it completes.
		for {
			if len(stack) == base {
				return i, stack, nil
			}
			i = skipSpace(data, i)
			open := stack[len(stack)-1]
			if i < len(data) && data[i] == ',' {
				i = skipSpace(data, i+1)
				if open == '{' {
					var msg string
					if i, msg = scanKey(data, i); msg != "" {
						return fail(i, msg)
					}
				}
				break
			}
			if i < len(data) && (open == '{' && data[i] == '}' || open == '[' && data[i] == ']') {
				stack = stack[:len(stack)-1]
				i++
				continue
			}
			if open == '{' {
				return fail(i, describeByte(data, i)+" after an object member; want ',' or '}'")
			}
			return fail(i, describeByte(data, i)+" after an array element; want ',' or ']'")
		}
	}
}

// scanKey reads an object member's key and its colon at data[i] and
// returns the offset after the colon (and whitespace), or the offending
// offset and a message.
func scanKey(data []byte, i int) (int, string) {
	if i >= len(data) || data[i] != '"' {
		return i, describeByte(data, i) + " looking for an object key"
	}
	end, _, at, msg := scanString(data, i)
	if end < 0 {
		return at, msg
	}
	i = skipSpace(data, end)
	if i >= len(data) || data[i] != ':' {
		return i, describeByte(data, i) + " after an object key; want ':'"
	}
	return skipSpace(data, i+1), ""
}

// appendCompact appends value, one well-formed JSON value (skipValue
// accepted it), to dst without the whitespace between its tokens, as
// json.Compact does.
func appendCompact(dst, value []byte) []byte {
	start := 0
	for i := 0; i < len(value); i++ {
		switch c := value[i]; c {
		case ' ', '\t', '\n', '\r':
			dst = append(dst, value[start:i]...)
			start = i + 1
		case '"':
			end, _, _, _ := scanString(value, i)
			i = end - 1
		}
	}
	return append(dst, value[start:]...)
}
