package load

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// decode parses a schema document, keeping numbers exact (json.Number) and
// reporting syntax errors by line and column.
func decode(data []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		// Unmarshal says where the syntax breaks, even at end of input.
		var scratch any
		if uerr := json.Unmarshal(data, &scratch); uerr != nil {
			err = uerr
		}
		return nil, syntaxError(data, err)
	}
	if dec.More() {
		var scratch any
		return nil, syntaxError(data, json.Unmarshal(data, &scratch))
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("a schema must be a JSON object, found %s", jsonKind(v))
	}
	return obj, nil
}

func syntaxError(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		offset := se.Offset
		if strings.HasPrefix(se.Error(), "invalid character") && offset > 0 {
			offset-- // point at the offending character, not past it
		}
		return fmt.Errorf("%s: invalid JSON: %v", position(data, offset), se)
	}
	return fmt.Errorf("invalid JSON: %w", err)
}

// position renders a byte offset as "line L, column C" (1-based).
func position(data []byte, offset int64) string {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(offset) - bytes.LastIndexByte(before, '\n')
	return fmt.Sprintf("line %d, column %d", line, col)
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	default:
		return "an object"
	}
}

// Ref is one "$ref" inside a schema document.
type Ref struct {
	ID      string // the referenced schema id
	Pointer string // JSON pointer of the "$ref" keyword
}

// Refs lists every "$ref" of a decoded schema in pointer order. Values of
// "enum", "default" and "examples" are data, not schemas, and are skipped.
func Refs(doc map[string]any) []Ref {
	var refs []Ref
	var walk func(v any, ptr string)
	walk = func(v any, ptr string) {
		switch v := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(v))
			for k := range v {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				child := ptr + "/" + EscapePointer(k)
				switch k {
				case "$ref":
					if id, ok := v[k].(string); ok {
						refs = append(refs, Ref{ID: id, Pointer: child})
					}
				case "enum", "default", "examples":
				default:
					walk(v[k], child)
				}
			}
		case []any:
			for i, item := range v {
				walk(item, ptr+"/"+strconv.Itoa(i))
			}
		}
	}
	walk(doc, "")
	return refs
}

// EscapePointer escapes one JSON pointer token (RFC 6901).
func EscapePointer(token string) string {
	if !strings.ContainsAny(token, "~/") {
		return token
	}
	return strings.ReplaceAll(strings.ReplaceAll(token, "~", "~0"), "/", "~1")
}
