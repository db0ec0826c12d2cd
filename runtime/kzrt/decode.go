package kzrt

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// DecodeError is a JSON value that does not fit its Go type, located by
// JSON pointer.
type DecodeError struct {
	Pointer string
	Err     error
}

// Error describes the problem, with its location.
func (e *DecodeError) Error() string {
	if e.Pointer == "" {
		return e.Err.Error()
	}
	return e.Pointer + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *DecodeError) Unwrap() error { return e.Err }

// At prefixes the pointer of err (a DecodeError or any error) with one
// token, so an error from deep inside a document names its full location.
func At(token string, err error) error {
	if err == nil {
		return nil
	}
	var de *DecodeError
	if errors.As(err, &de) {
		return &DecodeError{Pointer: "/" + EscapeToken(token) + de.Pointer, Err: de.Err}
	}
	return &DecodeError{Pointer: "/" + EscapeToken(token), Err: simplify(err)}
}

// simplify shortens encoding/json's type errors to what a user needs.
func simplify(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("got %s, want %s", te.Value, goTypeToJSON(te.Type.Kind().String()))
	}
	return err
}

func goTypeToJSON(kind string) string {
	switch kind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "int64", "int", "int32":
		return "integer"
	case "float64", "float32":
		return "number"
	case "slice":
		return "array"
	case "map", "struct":
		return "object"
	}
	return kind
}

// Members splits a JSON object into its members. A value that is not an
// object is a DecodeError naming its JSON type.
func Members(data []byte) (map[string]json.RawMessage, error) {
	if k := Kind(data); k != '{' {
		return nil, &DecodeError{Err: fmt.Errorf("got %s, want object", kindName(k))}
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, &DecodeError{Err: err}
	}
	return m, nil
}

// Decode unmarshals a member value into dst, a pointer. JSON null is
// refused: a property that is present must hold a value of its type. Lists
// and maps are decoded item by item, so a null item is refused too (it
// would otherwise become a zero value), and an error is a *DecodeError
// whose pointer names the offending item. Items of raw JSON
// (json.RawMessage) may be anything, null included.
func Decode(data json.RawMessage, dst any) error {
	return decodeValue(data, reflect.ValueOf(dst).Elem(), nil)
}

var (
	rawMessageType  = reflect.TypeFor[json.RawMessage]()
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	nodeType        = reflect.TypeFor[Node]()
)

// decodeValue decodes data into v. Callflow nodes found on the way are
// typed by modules; without modules they cannot be decoded.
func decodeValue(data []byte, v reflect.Value, modules *Modules) error {
	t := v.Type()
	if t == rawMessageType {
		v.SetBytes(append(json.RawMessage(nil), data...))
		return nil
	}
	if Kind(data) == 'n' {
		return &DecodeError{Err: errors.New("got null, want a value")}
	}
	if t == nodeType && modules != nil {
		n, err := modules.ParseNode(data)
		if err != nil {
			return err
		}
		v.Set(reflect.ValueOf(n).Elem())
		return nil
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		if err := v.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(data); err != nil {
			var de *DecodeError
			if errors.As(err, &de) {
				return err
			}
			return &DecodeError{Err: err}
		}
		return nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		p := reflect.New(t.Elem())
		if err := decodeValue(data, p.Elem(), modules); err != nil {
			return err
		}
		v.Set(p)
		return nil
	case reflect.Slice:
		if k := Kind(data); k != '[' {
			return &DecodeError{Err: fmt.Errorf("got %s, want array", kindName(k))}
		}
		var items []json.RawMessage
		if err := json.Unmarshal(data, &items); err != nil {
			return &DecodeError{Err: err}
		}
		s := reflect.MakeSlice(t, len(items), len(items))
		for i, item := range items {
			if err := decodeValue(item, s.Index(i), modules); err != nil {
				return At(strconv.Itoa(i), err)
			}
		}
		v.Set(s)
		return nil
	case reflect.Map:
		members, err := Members(data)
		if err != nil {
			return err
		}
		m := reflect.MakeMapWithSize(t, len(members))
		for _, k := range sortedKeys(make([]string, 0, len(members)), members) {
			item := reflect.New(t.Elem()).Elem()
			if err := decodeValue(members[k], item, modules); err != nil {
				return At(k, err)
			}
			m.SetMapIndex(reflect.ValueOf(k).Convert(t.Key()), item)
		}
		v.Set(m)
		return nil
	}
	if decodeScalar(data, v) {
		return nil
	}
	if err := json.Unmarshal(data, v.Addr().Interface()); err != nil {
		return &DecodeError{Err: simplify(err)}
	}
	return nil
}

// decodeScalar is the fast path for the common leaves: strings without
// escapes, integers, booleans. It reports false, changing nothing, for
// anything else, which encoding/json then decodes (and reports on).
func decodeScalar(data []byte, v reflect.Value) bool {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return false
	}
	switch v.Kind() {
	case reflect.String:
		if len(data) < 2 || data[0] != '"' || data[len(data)-1] != '"' {
			return false
		}
		body := data[1 : len(data)-1]
		for _, c := range body {
			if c == '\\' || c == '"' || c < 0x20 || c >= utf8.RuneSelf {
				return false // escapes and non-ASCII go the careful way
			}
		}
		v.SetString(string(body))
		return true
	case reflect.Bool:
		switch string(data) {
		case "true":
			v.SetBool(true)
			return true
		case "false":
			v.SetBool(false)
			return true
		}
	case reflect.Int64, reflect.Int:
		if data[0] == '-' || data[0] >= '0' && data[0] <= '9' {
			n, err := strconv.ParseInt(string(data), 10, 64)
			if err == nil {
				v.SetInt(n)
				return true
			}
		}
	}
	return false
}

// Kind classifies a JSON value by its first byte: '{', '[', '"', 't' or
// 'f' (booleans), 'n' (null), '0' (numbers), or 0 for empty input.
func Kind(data []byte) byte {
	data = bytes.TrimLeft(data, " \t\r\n")
	if len(data) == 0 {
		return 0
	}
	switch c := data[0]; c {
	case '{', '[', '"', 't', 'f', 'n':
		return c
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return '0'
	}
	return 0
}

// IsInteger reports whether a JSON number has no fractional part.
func IsInteger(data []byte) bool {
	data = bytes.TrimSpace(data)
	if bytes.ContainsAny(data, ".eE") {
		var f float64
		if err := json.Unmarshal(data, &f); err != nil {
			return false
		}
		return f == float64(int64(f))
	}
	return true
}

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

// NoVariant is the error for a JSON value that fits none of a union's types.
func NoVariant(data []byte, want string) error {
	return &DecodeError{Err: fmt.Errorf("got %s, want %s", kindName(Kind(data)), want)}
}

// DefaultValue decodes a schema default into a T. The generator only emits
// defaults that decode; should one not, the zero T is returned.
func DefaultValue[T any](jsonText string) T {
	var v T
	if err := json.Unmarshal([]byte(jsonText), &v); err != nil {
		var zero T
		return zero
	}
	return v
}

// Deeper returns whichever of two decoding errors points deeper into the
// value (nil counts as shallowest), so a union reports the problem of the
// alternative that matched the most.
func Deeper(a, b error) error {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	if depth(b) > depth(a) {
		return b
	}
	return a
}

func depth(err error) int {
	var de *DecodeError
	if errors.As(err, &de) {
		return strings.Count(de.Pointer, "/")
	}
	return 0
}

// DecodeObject decodes a JSON object into the struct dst points to, one
// member at a time: a member goes to the field whose json tag names it,
// decoded as Decode does (null refused, errors located by pointer); members
// no field names are kept in *extra. Generated UnmarshalJSON methods call it.
func DecodeObject(data []byte, dst any, extra *map[string]json.RawMessage) error {
	return decodeObject(data, dst, extra, nil)
}

// decodeObject is DecodeObject, with the modules that type the callflow
// nodes among the fields, if any.
func decodeObject(data []byte, dst any, extra *map[string]json.RawMessage, modules *Modules) error {
	members, err := Members(data)
	if err != nil {
		return err
	}
	v := reflect.ValueOf(dst).Elem()
	fields := fieldIndex(v.Type())
	for _, key := range sortedKeys(make([]string, 0, len(members)), members) {
		raw := members[key]
		if i, ok := fields[key]; ok {
			if err := decodeValue(raw, v.Field(i), modules); err != nil {
				return At(key, err)
			}
			continue
		}
		if *extra == nil {
			*extra = map[string]json.RawMessage{}
		}
		(*extra)[key] = raw
	}
	return nil
}

// fieldIndexes caches, per struct type, the field index of each JSON name.
var fieldIndexes sync.Map

func fieldIndex(t reflect.Type) map[string]int {
	if m, ok := fieldIndexes.Load(t); ok {
		return m.(map[string]int)
	}
	m := map[string]int{}
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			m[name] = i
		}
	}
	fieldIndexes.Store(t, m)
	return m
}
