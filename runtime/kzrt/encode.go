package kzrt

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// Encoder appends JSON to a byte slice. Generated MarshalJSON methods drive
// it directly instead of going through reflection. Commas are placed
// automatically: Key and Elem add one unless the enclosing object or array
// is still empty.
type Encoder struct {
	buf []byte
	err error
}

// Bytes returns the encoded JSON, or the first error met.
func (e *Encoder) Bytes() ([]byte, error) {
	if e.err != nil {
		return nil, e.err
	}
	return e.buf, nil
}

// Grow makes room for n more bytes, saving reallocations when the caller
// knows roughly how large the output will be.
func (e *Encoder) Grow(n int) {
	if cap(e.buf)-len(e.buf) < n {
		buf := make([]byte, len(e.buf), len(e.buf)+n)
		copy(buf, e.buf)
		e.buf = buf
	}
}

// Fail records an error; the first one wins.
func (e *Encoder) Fail(err error) {
	if e.err == nil {
		e.err = err
	}
}

func (e *Encoder) comma() {
	if n := len(e.buf); n > 0 {
		if c := e.buf[n-1]; c != '{' && c != '[' {
			e.buf = append(e.buf, ',')
		}
	}
}

// OpenObject starts a JSON object.
func (e *Encoder) OpenObject() { e.buf = append(e.buf, '{') }

// CloseObject ends a JSON object.
func (e *Encoder) CloseObject() { e.buf = append(e.buf, '}') }

// ReopenObject removes the closing brace of the object just written, so
// more members can be added to it; it reports false, changing nothing,
// when the last value written was not an object.
func (e *Encoder) ReopenObject() bool {
	if n := len(e.buf); n > 0 && e.buf[n-1] == '}' {
		e.buf = e.buf[:n-1]
		return true
	}
	return false
}

// OpenArray starts a JSON array.
func (e *Encoder) OpenArray() { e.buf = append(e.buf, '[') }

// CloseArray ends a JSON array.
func (e *Encoder) CloseArray() { e.buf = append(e.buf, ']') }

// Key writes an object member name and its colon.
func (e *Encoder) Key(k string) {
	e.comma()
	e.String(k)
	e.buf = append(e.buf, ':')
}

// Elem prepares for the next array element.
func (e *Encoder) Elem() { e.comma() }

// Null writes null.
func (e *Encoder) Null() { e.buf = append(e.buf, "null"...) }

// Bool writes true or false.
func (e *Encoder) Bool(v bool) { e.buf = strconv.AppendBool(e.buf, v) }

// Int writes an integer.
func (e *Encoder) Int(v int64) { e.buf = strconv.AppendInt(e.buf, v, 10) }

// Float writes a number exactly as encoding/json writes a float64; NaN
// and infinities, which JSON cannot hold, are an error.
func (e *Encoder) Float(v float64) {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		e.Fail(fmt.Errorf("kzrt: unsupported number %v", v))
		e.buf = append(e.buf, '0')
		return
	}
	abs := math.Abs(v)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	e.buf = strconv.AppendFloat(e.buf, v, format, -1, 64)
	if format == 'e' {
		// "1e-07" → "1e-7", as encoding/json writes it.
		if n := len(e.buf); n >= 4 && e.buf[n-4] == 'e' && e.buf[n-3] == '-' && e.buf[n-2] == '0' {
			e.buf[n-2] = e.buf[n-1]
			e.buf = e.buf[:n-1]
		}
	}
}

// Raw writes already-encoded JSON, compacted as encoding/json does with
// HTML escaping off; empty input is null, invalid JSON an error.
func (e *Encoder) Raw(v json.RawMessage) {
	if len(v) == 0 {
		e.Null()
		return
	}
	var scratch [32]byte
	start := skipSpace(v, 0)
	end, _, err := skipValue(v, start, scratch[:0], maxNesting)
	if err == nil && skipSpace(v, end) < len(v) {
		err = &SyntaxError{Offset: skipSpace(v, end), Msg: describeByte(v, skipSpace(v, end)) + " after the value"}
	}
	if err != nil {
		e.Fail(fmt.Errorf("kzrt: invalid raw JSON: %w", err))
		e.Null()
		return
	}
	e.buf = appendCompact(e.buf, v[start:end])
}

// Extra writes the members of an unknown-properties map, sorted by name.
func (e *Encoder) Extra(m map[string]json.RawMessage) {
	if len(m) == 0 {
		return
	}
	var buf [8]string
	for _, k := range sortedKeys(buf[:0], m) {
		e.Key(k)
		e.Raw(m[k])
	}
}

const hexDigits = "0123456789abcdef"

// String writes a JSON string exactly as encoding/json does with HTML
// escaping off: <, > and & are written as they are (no Kazoo reader needs
// them escaped), invalid UTF-8 becomes U+FFFD, and U+2028 and U+2029 are
// escaped.
func (e *Encoder) String(s string) {
	b := append(e.buf, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	e.buf = append(b, '"')
}
