package kzrt

import (
	"bytes"
	"encoding/json"
	"math"
	"math/big"
	"reflect"
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

// convertData types the data of a stored callflow's node, which did not
// fit its module's type (decodeErr says why), after Crossbar's
// conversions: each value of the wrong type where the data type wants an
// integer, a number or a boolean is converted when Kazoo can, until the
// data decodes. It reports false when a value cannot be converted; the
// data then stays as it was, and lastErr is the problem Crossbar's second
// pass would report.
func (m *Modules) convertData(module string, raw json.RawMessage, decodeErr error) (d Data, conv []Conversion, lastErr error) {
	t, ok := m.types[module]
	if !ok {
		return nil, nil, decodeErr
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc any
	if dec.Decode(&doc) != nil {
		return nil, nil, decodeErr
	}
	err := decodeErr
	// Each round converts at least one value, and there are no more
	// values than bytes.
	for range len(raw) {
		converted := false
		for _, problem := range AsErrors(err) {
			if problem.Code != CodeType {
				continue
			}
			tokens := pointerTokens(problem.Pointer)
			want := wantAt(t, tokens)
			if want == "" {
				continue
			}
			from, ok := valueAt(doc, tokens)
			if !ok {
				continue
			}
			fromJSON, _ := json.Marshal(from)
			to, ok := CrossbarConvert(fromJSON, want)
			if !ok {
				continue
			}
			var value any = json.Number(to)
			if want == "boolean" {
				value = string(to) == "true"
			}
			doc = setAt(doc, tokens, value)
			conv = append(conv, Conversion{Pointer: problem.Pointer, From: fromJSON, To: to})
			converted = true
		}
		if !converted {
			return nil, nil, err
		}
		fixed, mErr := json.Marshal(doc)
		if mErr != nil {
			return nil, nil, err
		}
		d, _ = m.NewData(module)
		if err = unmarshalData(d, fixed); err == nil {
			return d, conv, nil
		}
	}
	return nil, nil, err
}

// unmarshalData decodes raw into d, a module's empty data.
func unmarshalData(d Data, raw json.RawMessage) error {
	if u, ok := d.(json.Unmarshaler); ok {
		return u.UnmarshalJSON(raw)
	}
	return Decode(raw, d)
}

// pointerTokens splits a JSON pointer into its unescaped tokens.
func pointerTokens(pointer string) []string {
	if pointer == "" {
		return nil
	}
	tokens := strings.Split(pointer[1:], "/")
	for i, t := range tokens {
		tokens[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
	}
	return tokens
}

// wantAt is the JSON type the Go type t holds at the path tokens, when it
// is one Crossbar converts to: "integer", "number" or "boolean"; "" for
// any other, or a path t does not name (a union's alternative, whose
// problems Crossbar does not convert).
func wantAt(t reflect.Type, tokens []string) string {
	for _, tok := range tokens {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch t.Kind() {
		case reflect.Struct:
			i, ok := fieldIndex(t)[tok]
			if !ok {
				return ""
			}
			t = t.Field(i).Type
		case reflect.Slice:
			if _, err := strconv.Atoi(tok); err != nil || t == rawMessageType {
				return ""
			}
			t = t.Elem()
		case reflect.Map:
			t = t.Elem()
		default:
			return ""
		}
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "integer"
	case reflect.Float64, reflect.Float32:
		return "number"
	case reflect.Bool:
		return "boolean"
	}
	return ""
}

// valueAt finds the value at the path tokens in decoded JSON.
func valueAt(doc any, tokens []string) (any, bool) {
	for _, tok := range tokens {
		switch c := doc.(type) {
		case map[string]any:
			v, ok := c[tok]
			if !ok {
				return nil, false
			}
			doc = v
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			doc = c[i]
		default:
			return nil, false
		}
	}
	return doc, true
}

// setAt replaces the value at the path tokens in decoded JSON, which
// valueAt found, and returns the document.
func setAt(doc any, tokens []string, v any) any {
	if len(tokens) == 0 {
		return v
	}
	switch c := doc.(type) {
	case map[string]any:
		c[tokens[0]] = setAt(c[tokens[0]], tokens[1:], v)
	case []any:
		i, _ := strconv.Atoi(tokens[0])
		c[i] = setAt(c[i], tokens[1:], v)
	}
	return doc
}
