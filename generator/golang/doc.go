package golang

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/kzgen/kzgen/generator/model"
)

// wrap formats paragraphs as comment text of at most width columns.
func wrap(paragraphs []string, width int) string {
	var lines []string
	for i, p := range paragraphs {
		if p == "" {
			continue
		}
		if i > 0 && len(lines) > 0 {
			lines = append(lines, "")
		}
		line := ""
		for _, w := range strings.Fields(p) {
			if line != "" && len(line)+1+len(w) > width {
				lines = append(lines, line)
				line = w
				continue
			}
			if line != "" {
				line += " "
			}
			line += w
		}
		if line != "" {
			lines = append(lines, line)
		}
	}
	return strings.Join(lines, "\n")
}

// sentence makes sure text ends like a sentence.
func sentence(text string) string {
	text = strings.TrimSpace(text)
	if text == "" || strings.HasSuffix(text, ".") || strings.HasSuffix(text, "?") || strings.HasSuffix(text, "!") {
		return text
	}
	return text + "."
}

// facts summarises t's constraints, default and support level in one
// paragraph, in the words the reference docs use too.
func facts(t *model.Type) string {
	var parts []string
	switch {
	case t.MinLength >= 0 && t.MaxLength >= 0:
		parts = append(parts, fmt.Sprintf("Length %d to %d characters.", t.MinLength, t.MaxLength))
	case t.MinLength >= 0:
		parts = append(parts, fmt.Sprintf("At least %d characters.", t.MinLength))
	case t.MaxLength >= 0:
		parts = append(parts, fmt.Sprintf("At most %d characters.", t.MaxLength))
	}
	if t.Pattern != "" {
		parts = append(parts, fmt.Sprintf("Must match %s.", quotePattern(t)))
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
		parts = append(parts, fmt.Sprintf("At least %d items.", t.MinItems))
	case t.MaxItems >= 0:
		parts = append(parts, fmt.Sprintf("At most %d items.", t.MaxItems))
	}
	if t.UniqueItems {
		parts = append(parts, "Items must be unique.")
	}
	if t.Default != nil {
		parts = append(parts, fmt.Sprintf("Default: %s.", compactJSON(t.Default)))
	}
	if t.SupportLevel != "" {
		parts = append(parts, fmt.Sprintf("Support level: %s.", t.SupportLevel))
	}
	return strings.Join(parts, " ")
}

func quotePattern(t *model.Type) string {
	if t.PatternSource != "" {
		return fmt.Sprintf("%q (checked as %q: Go's regexp lacks lookaround)", t.PatternSource, t.Pattern)
	}
	return fmt.Sprintf("%q", t.Pattern)
}

// compactJSON renders a default for a doc comment.
func compactJSON(raw json.RawMessage) string {
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

// location names where a type is declared, for doc comments:
// `"voice" in callflows.tts`.
func location(t *model.Type) string {
	if len(t.Path) <= 1 {
		return t.Schema.ID
	}
	return fmt.Sprintf("%q in %s", strings.Join(t.Path[1:], "."), t.Schema.ID)
}
