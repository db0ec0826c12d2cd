package simulate

import (
	"fmt"
	"slices"
	"strconv"
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
		fmt.Fprintf(&b, "      %s: %s\n", pointerName(p.Pointer), p.Message)
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

// withData describes the data a node writes: " with key=value, …", or
// " with its defaults" when it writes none.
func withData(d data) string {
	var parts []string
	for _, k := range d.keys() {
		if k == "skip_module" {
			continue
		}
		v := string(d.members[k])
		if s := jsonText(d.members[k]); s != v {
			v = strconv.Quote(s)
		}
		parts = append(parts, k+"="+truncate(v, 60))
	}
	if len(parts) == 0 {
		return " with its defaults"
	}
	return " with " + truncate(strings.Join(parts, ", "), 200)
}

// truncate shortens s to at most n runes, marking the cut with "…".
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// media names a play target: a URL as it is, else a media ID.
func media(id string) string {
	if strings.Contains(id, "://") {
		return id
	}
	return fmt.Sprintf("media %q", id)
}

// list writes up to five items, "a, b, c".
func list(items []string) string {
	if len(items) == 0 {
		return "(none)"
	}
	if len(items) > 5 {
		return strings.Join(items[:5], ", ") + fmt.Sprintf(" and %d more", len(items)-5)
	}
	return strings.Join(items, ", ")
}

// listChars writes the terminator keys, "# or *".
func listChars(s string) string {
	if s == "" {
		return "no terminator"
	}
	return strings.Join(strings.Split(s, ""), " or ")
}

// joinNonEmpty joins the non-empty parts with ", ".
func joinNonEmpty(parts ...string) string {
	return strings.Join(slices.DeleteFunc(parts, func(p string) bool { return p == "" }), ", ")
}

// prefixed returns prefix+s, or "" when s is empty.
func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

// when returns s if cond holds, else "".
func when(cond bool, s string) string {
	if cond {
		return s
	}
	return ""
}

// plural picks the singular or plural word for n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// pointerName names a JSON pointer for messages: "(root)" for "".
func pointerName(p string) string {
	if p == "" {
		return "(root)"
	}
	return p
}
