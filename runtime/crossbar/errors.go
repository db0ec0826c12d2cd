package crossbar

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/kzgen/kzgen/runtime/kzrt"
)

// Errors matched by errors.Is against an *Error, by HTTP status (§1.5).
var (
	// ErrValidation: 400 with validation problems (Error.Problems).
	ErrValidation = errors.New("validation error")
	// ErrUnauthorized: 401, a missing, expired or invalid token, or wrong
	// credentials.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrForbidden: 403, such as a number that belongs to another account.
	ErrForbidden = errors.New("forbidden")
	// ErrNotFound: 404, an unknown ID or resource.
	ErrNotFound = errors.New("not found")
	// ErrConflict: 409, a document revision conflict.
	ErrConflict = errors.New("conflict")
	// ErrRateLimited: 429, the rate-limit bucket stayed empty through every
	// retry.
	ErrRateLimited = errors.New("rate limited")
)

// Error is a request Crossbar refused: its status, message and details.
type Error struct {
	// Method and Path are the request's, Path relative to /v2/.
	Method, Path string
	// StatusCode is the HTTP status.
	StatusCode int
	// Message is Crossbar's short message: "validation error",
	// "invalid_credentials", "forbidden", "bad_identifier", …
	Message string
	// RequestID is the request's X-Request-ID, for Crossbar's logs.
	RequestID string
	// Data is the envelope's "data", the details as Crossbar sent them.
	// Validation details echo the values sent.
	Data json.RawMessage
	// Problems are the validation problems of a 400, sorted by pointer.
	Problems []Problem
}

// Error describes the refusal: method, path, status, message, request ID,
// and each problem, without the values Crossbar echoes.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "crossbar: %s %s: %d %s", e.Method, e.Path, e.StatusCode, e.Message)
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request %s)", e.RequestID)
	}
	if msg := dataMessage(e.Data); msg != "" && msg != e.Message {
		b.WriteString(": " + msg)
	}
	for i, p := range e.Problems {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// Is matches the sentinel of the error's status.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrValidation:
		return e.StatusCode == http.StatusBadRequest && len(e.Problems) > 0
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	}
	return false
}

// Unwrap returns the typed errors the refusal contains, for errors.As: a
// *NumberTakenError per number or pattern already in use, and a
// *NumbersNotOwnedError for a 403 on numbers of another account.
func (e *Error) Unwrap() []error {
	var errs []error
	for _, p := range e.Problems {
		if taken := p.numberTaken(); taken != nil {
			errs = append(errs, taken)
		}
	}
	if e.StatusCode == http.StatusForbidden {
		if owned := numbersNotOwned(dataMessage(e.Data)); owned != nil {
			errs = append(errs, owned)
		}
	}
	return errs
}

// Problem is one validation problem of a document Crossbar refused.
type Problem struct {
	// Pointer is the RFC 6901 JSON pointer of the offending value in the
	// document sent ("/numbers", "/flow/data/voice_url").
	Pointer string
	// Code is Kazoo's problem code: "required", "type", "minLength",
	// "maxLength", "minimum", "maximum", "enum", "pattern", "format",
	// "unique", "forbidden", "not_found", "additionalProperties",
	// "not_one_schema_valid", "invalid", "error" (such as a refused URL), …
	Code string
	// Message is Crossbar's text.
	Message string
	// Cause, Value and Target are the details Crossbar adds, when it does:
	// the cause (such as the number already taken), the value sent, and
	// the limit it broke. Value echoes what was sent: mind secrets.
	Cause, Value, Target json.RawMessage
}

// String returns "pointer: message (code)", without the value.
func (p Problem) String() string {
	ptr := p.Pointer
	if ptr == "" {
		ptr = "(document)"
	}
	msg := p.Message
	if msg == "" {
		msg = "invalid"
	}
	return fmt.Sprintf("%s: %s (%s)", ptr, msg, p.Code)
}

// newError builds the *Error of a refused request from its envelope.
func newError(method, path string, status int, requestID string, env *envelope, raw []byte, decodeErr error) *Error {
	e := &Error{Method: method, Path: path, StatusCode: status, RequestID: requestID}
	if decodeErr != nil {
		e.Message = http.StatusText(status)
		if snippet := strings.Join(strings.Fields(string(raw)), " "); snippet != "" {
			if len(snippet) > 120 {
				snippet = snippet[:120] + "…"
			}
			e.Message += ", not Crossbar's JSON: " + snippet
		}
		return e
	}
	e.Message = env.Message
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	if len(env.Data) > 0 && string(env.Data) != "null" {
		e.Data = env.Data
	}
	if status == http.StatusBadRequest {
		e.Problems = parseProblems(env.Data)
	}
	return e
}

// dataMessage returns data.message when data is an object that has one.
func dataMessage(data json.RawMessage) string {
	var d struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(data, &d) != nil {
		return ""
	}
	return d.Message
}

// parseProblems reads Kazoo's validation map (§1.5): dotted key path →
// code → {message, cause?, value?, target?}. It returns nil when data does
// not have that shape.
func parseProblems(data json.RawMessage) []Problem {
	var byPath map[string]map[string]struct {
		Message json.RawMessage `json:"message"`
		Cause   json.RawMessage `json:"cause"`
		Value   json.RawMessage `json:"value"`
		Target  json.RawMessage `json:"target"`
	}
	if json.Unmarshal(data, &byPath) != nil {
		return nil
	}
	var problems []Problem
	for path, codes := range byPath {
		for code, d := range codes {
			problems = append(problems, Problem{
				Pointer: PointerFromKeyPath(path),
				Code:    code,
				Message: messageText(d.Message),
				Cause:   d.Cause,
				Value:   d.Value,
				Target:  d.Target,
			})
		}
	}
	slices.SortFunc(problems, func(a, b Problem) int {
		if c := strings.Compare(a.Pointer, b.Pointer); c != 0 {
			return c
		}
		return strings.Compare(a.Code, b.Code)
	})
	return problems
}

// messageText returns a message that is a string as it is, and any other
// JSON as its text.
func messageText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// PointerFromKeyPath turns the key path of a Kazoo validation error into a
// JSON pointer: "flow.children._.data.voice_url" gives
// "/flow/children/_/data/voice_url". Array indexes are already 0-based;
// "%2E" stands for a dot inside a key (§1.5).
func PointerFromKeyPath(path string) string {
	if path == "" {
		return ""
	}
	var b strings.Builder
	for token := range strings.SplitSeq(path, ".") {
		b.WriteString("/" + kzrt.EscapeToken(strings.ReplaceAll(token, "%2E", ".")))
	}
	return b.String()
}

// NumberTakenError is a number (or pattern) already routed by another
// callflow of the account: Crossbar's "unique" problem at /numbers or
// /patterns (§1.7). Crossbar names the other callflow only inside its
// message; both wordings (Kazoo master and 4.3) are read.
type NumberTakenError struct {
	// Pointer is "/numbers" or "/patterns".
	Pointer string
	// Number is the number or pattern in use.
	Number string
	// CallflowID and CallflowName identify the callflow that has it (empty
	// when the message could not be read).
	CallflowID, CallflowName string
	// Message is Crossbar's text.
	Message string
}

// Error names the number and the callflow that has it.
func (e *NumberTakenError) Error() string {
	what := "number"
	if e.Pointer == "/patterns" {
		what = "pattern"
	}
	switch {
	case e.CallflowID == "":
		return fmt.Sprintf("%s %s is already in use: %s", what, e.Number, e.Message)
	case e.CallflowName == "":
		return fmt.Sprintf("%s %s is already used by callflow %s", what, e.Number, e.CallflowID)
	}
	return fmt.Sprintf("%s %s is already used by callflow %s (%q)", what, e.Number, e.CallflowID, e.CallflowName)
}

// takenMessage reads both wordings of Crossbar's uniqueness message:
// master "Number X exists in callflow ID NAME" and 4.3 "X exists in
// callflow ID (NAME)".
var takenMessage = regexp.MustCompile(`^(?:(?:Number|Pattern) )?(.*?) exists in callflow ([^ ()]+)(?: \((.*)\)| (.*))?$`)

// numberTaken returns the NumberTakenError of a "unique" problem at
// /numbers or /patterns, or nil.
func (p Problem) numberTaken() *NumberTakenError {
	if p.Code != "unique" || p.Pointer != "/numbers" && p.Pointer != "/patterns" {
		return nil
	}
	e := &NumberTakenError{Pointer: p.Pointer, Message: p.Message}
	var cause string
	if json.Unmarshal(p.Cause, &cause) == nil {
		e.Number = cause
	}
	if m := takenMessage.FindStringSubmatch(strings.TrimSpace(p.Message)); m != nil {
		if e.Number == "" {
			e.Number = m[1]
		}
		e.CallflowID = m[2]
		e.CallflowName = m[3] + m[4]
		if e.CallflowName == "undefined" {
			e.CallflowName = ""
		}
	}
	return e
}

// NumbersNotOwnedError is Crossbar's 403 for numbers that belong to another
// account (§1.7, "unauthorized to use …").
type NumbersNotOwnedError struct {
	// Numbers lists the numbers refused.
	Numbers []string
	// Message is Crossbar's text.
	Message string
}

// Error names the numbers.
func (e *NumbersNotOwnedError) Error() string {
	return fmt.Sprintf("numbers owned by another account: %s", strings.Join(e.Numbers, ", "))
}

// numbersNotOwned reads "unauthorized to use N1, N2", or returns nil.
func numbersNotOwned(msg string) *NumbersNotOwnedError {
	rest, ok := strings.CutPrefix(msg, "unauthorized to use")
	if !ok {
		return nil
	}
	numbers := strings.FieldsFunc(rest, func(r rune) bool { return r == ',' || r == ' ' })
	return &NumbersNotOwnedError{Numbers: numbers, Message: msg}
}
