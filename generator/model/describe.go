package model

import (
	"encoding/json"
	"fmt"
	"strings"
)

// This file holds the wording both emitters use for a Type's facts, so a
// Go doc comment and a reference page say the same thing about the same
// schema position.

// Sentence trims text and makes it end like a sentence, with a period
// unless it ends in one, a question mark or an exclamation mark.
func Sentence(text string) string {
	text = strings.TrimSpace(text)
	if text == "" || strings.HasSuffix(text, ".") || strings.HasSuffix(text, "?") || strings.HasSuffix(text, "!") {
		return text
	}
	return text + "."
}

// Facts summarises t's constraints, default and support level in one
// paragraph: "Length 1 to 1000 characters. Default: "female"." It is the
// last paragraph of the Go doc comments and, without default and support
// level (Constraints), part of the reference pages' Description cell.
func Facts(t *Type) string {
	parts := constraintParts(t)
	if t.Default != nil {
		parts = append(parts, fmt.Sprintf("Default: %s.", CompactJSON(t.Default)))
	}
	if t.SupportLevel != "" {
		parts = append(parts, fmt.Sprintf("Support level: %s.", t.SupportLevel))
	}
	return strings.Join(parts, " ")
}

// Constraints is Facts without the default and the support level: only
// what limits a value (lengths, pattern, format, bounds, item counts).
func Constraints(t *Type) string {
	return strings.Join(constraintParts(t), " ")
}

func constraintParts(t *Type) []string {
	var parts []string
	switch {
	case t.MinLength >= 0 && t.MaxLength >= 0:
		parts = append(parts, fmt.Sprintf("Length %d to %d characters.", t.MinLength, t.MaxLength))
	case t.MinLength >= 0:
		parts = append(parts, fmt.Sprintf("At least %d %s.", t.MinLength, plural(t.MinLength, "character", "characters")))
	case t.MaxLength >= 0:
		parts = append(parts, fmt.Sprintf("At most %d %s.", t.MaxLength, plural(t.MaxLength, "character", "characters")))
	}
	if t.Pattern != "" {
		parts = append(parts, fmt.Sprintf("Must match %s.", QuotePattern(t)))
	}
	if t.Format != "" {
		parts = append(parts, fmt.Sprintf("Format: %s.", t.Format))
	}
	if t.Minimum != nil {
		op := "At least"
		if t.ExclusiveMinimum {
			op = "Greater than"
		}
		parts = append(parts, fmt.Sprintf("%s %s.", op, t.Minimum.RatString()))
	}
	if t.Maximum != nil {
		op := "At most"
		if t.ExclusiveMaximum {
			op = "Less than"
		}
		parts = append(parts, fmt.Sprintf("%s %s.", op, t.Maximum.RatString()))
	}
	switch {
	case t.MinItems >= 0 && t.MaxItems >= 0:
		parts = append(parts, fmt.Sprintf("%d to %d items.", t.MinItems, t.MaxItems))
	case t.MinItems >= 0:
		parts = append(parts, fmt.Sprintf("At least %d %s.", t.MinItems, plural(t.MinItems, "item", "items")))
	case t.MaxItems >= 0:
		parts = append(parts, fmt.Sprintf("At most %d %s.", t.MaxItems, plural(t.MaxItems, "item", "items")))
	}
	if t.UniqueItems {
		parts = append(parts, "Items must be unique.")
	}
	return parts
}

// QuotePattern quotes t's pattern for prose, as the schema writes it; a
// pattern Go's regexp can only run relaxed shows both forms.
func QuotePattern(t *Type) string {
	source := t.Pattern
	if t.PatternSource != "" {
		source = t.PatternSource
	}
	if t.PatternRelaxed {
		return fmt.Sprintf("%q (checked as %q: Go's regexp lacks lookaround)", source, t.Pattern)
	}
	return fmt.Sprintf("%q", source)
}

// CompactJSON renders a JSON value (a default) on one line without
// spaces; text that is not JSON is returned as it is.
func CompactJSON(raw json.RawMessage) string {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return string(raw)
	}
	out, err := json.Marshal(v)
	if err != nil {
		return string(raw)
	}
	return string(out)
}

// KazooType renders t in the notation of the Type column of Kazoo's
// generated reference docs: "string()", "boolean()", "string('a' | 'b')",
// "string(1..128)", "string(5..)", "array(string())", "object()",
// "integer() | string()" for oneOf and "integer() || string()" for anyOf.
//
// The notation has two kinds of pieces. Runs of plain notation are passed
// through code (Kazoo's pages put them in backticks); a use of another
// schema ($ref) is rendered by ref (Kazoo's pages write a link to the
// schema's section, outside the backticks). So an array of references
// comes out as code("array(") + ref(s) + code(")").
func KazooType(t *Type, code func(string) string, ref func(*Schema) string) string {
	var out strings.Builder
	var plain strings.Builder
	flush := func() {
		if plain.Len() > 0 {
			out.WriteString(code(plain.String()))
			plain.Reset()
		}
	}
	var walk func(t *Type)
	walk = func(t *Type) {
		switch t.Kind {
		case Ref:
			flush()
			out.WriteString(ref(t.Target))
		case Array:
			plain.WriteString("array(")
			walk(t.Items)
			plain.WriteString(")")
		case Union:
			sep := " || "
			if t.OneOf {
				sep = " | "
			}
			for i, v := range t.Variants {
				if i > 0 {
					plain.WriteString(sep)
				}
				walk(v)
			}
		default:
			plain.WriteString(scalarNotation(t))
		}
	}
	walk(t)
	flush()
	return out.String()
}

// scalarNotation renders a type that has no other types inside.
func scalarNotation(t *Type) string {
	name := map[Kind]string{
		Any: "any", Bool: "boolean", Integer: "integer", Number: "number",
		String: "string", Object: "object", Map: "object",
	}[t.Kind]
	if t.Kind == Any {
		return name + "()"
	}
	if len(t.Enum) > 0 {
		values := make([]string, len(t.Enum))
		for i, v := range t.Enum {
			if s, ok := v.(string); ok {
				values[i] = "'" + s + "'"
			} else {
				values[i] = fmt.Sprint(v)
				if v == nil {
					values[i] = "null"
				}
			}
		}
		return name + "(" + strings.Join(values, " | ") + ")"
	}
	if t.Kind == String {
		switch {
		case t.MinLength >= 0 && t.MinLength == t.MaxLength:
			return fmt.Sprintf("string(%d)", t.MinLength)
		case t.MinLength >= 0 && t.MaxLength >= 0:
			return fmt.Sprintf("string(%d..%d)", t.MinLength, t.MaxLength)
		case t.MinLength >= 0:
			return fmt.Sprintf("string(%d..)", t.MinLength)
		case t.MaxLength >= 0:
			return fmt.Sprintf("string(0..%d)", t.MaxLength)
		}
	}
	return name + "()"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// OrList joins items as "a, b or c", as both emitters word a choice.
func OrList(items []string) string {
	if n := len(items); n > 1 {
		return strings.Join(items[:n-1], ", ") + " or " + items[n-1]
	}
	return strings.Join(items, "")
}
