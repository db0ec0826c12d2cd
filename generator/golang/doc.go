package golang

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/kzgen/kzgen/generator/model"
)

// wrap formats paragraphs as comment text of at most width columns.
func wrap(paragraphs []string, width int) string {
	var b strings.Builder
	size := 0
	for _, p := range paragraphs {
		size += len(p) + 2
	}
	b.Grow(size)
	for _, p := range paragraphs {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n\n") // a blank line between paragraphs
		}
		lineLen, lineWords := 0, 0
		for w := range strings.FieldsSeq(p) {
			switch {
			case lineWords == 0:
			case lineLen+1+len(w) > width && lineWords > 1:
				// A line keeps at least two words, so a doc comment
				// starting with a long name reads "Name is …".
				b.WriteByte('\n')
				lineLen, lineWords = 0, 0
			default:
				b.WriteByte(' ')
				lineLen++
			}
			b.WriteString(w)
			lineLen += len(w)
			lineWords++
		}
	}
	return b.String()
}

// sentence makes sure text ends like a sentence (model.Sentence).
func sentence(text string) string { return model.Sentence(text) }

// facts summarises t's constraints, default and support level in one
// paragraph, in the words the reference docs use too (model.Facts).
func facts(t *model.Type) string { return model.Facts(t) }

// compactJSON renders a default for a doc comment.
func compactJSON(raw json.RawMessage) string { return model.CompactJSON(raw) }

// location names where a type is declared, for doc comments:
// `"voice" in callflows.tts`.
func location(t *model.Type) string {
	if len(t.Path) <= 1 {
		return t.Schema.ID
	}
	return fmt.Sprintf("%q in %s", strings.Join(t.Path[1:], "."), t.Schema.ID)
}
