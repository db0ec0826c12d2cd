package simulate

import (
	"fmt"
	"strings"
)

// FormatText renders ev as transcript lines, each ending in a newline:
//
//	[3] tts: says "Welcome" (voice female)
//	      note: …
//
// The label is the module for node events and the kind otherwise. Schema
// problems follow as "pointer: message" lines, then the notes.
func FormatText(ev Event) string {
	var b strings.Builder
	label := string(ev.Kind)
	if ev.Kind == KindNode {
		label = ev.Module
	}
	fmt.Fprintf(&b, "[%d] %s: %s\n", ev.Step, label, ev.Text)
	for _, p := range ev.Problems {
		ptr := p.Pointer
		if ptr == "" {
			ptr = "(root)"
		}
		fmt.Fprintf(&b, "      %s: %s\n", ptr, p.Message)
	}
	for _, n := range ev.Notes {
		fmt.Fprintf(&b, "      note: %s\n", n)
	}
	return b.String()
}

// Text renders the whole transcript with FormatText.
func (r *Result) Text() string {
	var b strings.Builder
	for _, ev := range r.Events {
		b.WriteString(FormatText(ev))
	}
	return b.String()
}
