package kzrt

import (
	"errors"
	"strings"
)

// Error is one validation problem: where it is and what is wrong.
type Error struct {
	// Pointer is the RFC 6901 JSON pointer of the offending value ("" for
	// the whole document).
	Pointer string
	// Code is the error code Kazoo's validator reports for the same
	// problem ("required", "minLength", "enum", "type", "error" for its
	// extra checks…), as its Pivot debug log shows it in "schema_errors";
	// empty when the problem has no Kazoo counterpart.
	Code string
	// Message says what is wrong, e.g. "length 0, minimum 1".
	Message string
}

// Error describes the problem, with its location and, when known, Kazoo's
// code in brackets: "/data/text: length 0, minimum 1 [minLength]".
func (e Error) Error() string {
	where := e.Pointer
	if where == "" {
		where = "(root)"
	}
	if e.Code == "" {
		return where + ": " + e.Message
	}
	return where + ": " + e.Message + " [" + e.Code + "]"
}

// Errors is every problem one validation found, in document order.
type Errors []Error

// Error describes the problem, with its location.
func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// AsErrors extracts the problem list from an error returned by a generated
// Validate or UnmarshalJSON method, or by Parse; a plain error becomes one
// problem at the document root. A *DecodeError becomes one problem with
// its code (DecodeError.Code).
func AsErrors(err error) Errors {
	if err == nil {
		return nil
	}
	var es Errors
	if errors.As(err, &es) {
		return es
	}
	var de *DecodeError
	if errors.As(err, &de) {
		return Errors{{Pointer: de.Pointer, Code: de.Code, Message: de.Err.Error()}}
	}
	return Errors{{Message: err.Error()}}
}

// EscapeToken escapes one token of a JSON pointer (RFC 6901): "~" becomes
// "~0" and "/" becomes "~1", so "sip:486" stays as it is and "a/b" becomes
// "a~1b".
func EscapeToken(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}
