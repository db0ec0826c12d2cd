package docs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/kzgen/kzgen/generator/kazoo"
	"github.com/kzgen/kzgen/generator/model"
)

// row is one line of a schema table.
type row struct {
	key      string
	t        *model.Type
	required bool
	// of is the object that declares the row's property, and name the
	// property's name in it; nil for a list's items and pattern
	// properties.
	of   *model.Type
	name string
}

// rows lists the table rows of the properties of t, in Kazoo's order:
// properties by name, each preceded by the rows of what it contains
// ("ringtones.external" and "ringtones.internal" before "ringtones"),
// pattern properties after the named ones.
func rows(t *model.Type) []row {
	return children(t, "")
}

// children lists the rows of the properties of an object, a map or a
// union (its shared properties and those of its object alternatives),
// their keys starting with prefix.
func children(t *model.Type, prefix string) []row {
	var out []row
	seen := map[string]bool{}
	add := func(rs []row) {
		for _, r := range rs {
			if !seen[r.key] {
				seen[r.key] = true
				out = append(out, r)
			}
		}
	}
	switch t.Kind {
	case model.Object, model.Map:
		for _, f := range t.Fields {
			rs := property(prefix+f.Name, f.Type, f.Required)
			rs[len(rs)-1].of, rs[len(rs)-1].name = t, f.Name
			add(rs)
		}
		for _, p := range t.PatternProps {
			src := p.Source
			if src == "" {
				src = p.Pattern
			}
			add(property(prefix+"/"+src+"/", p.Type, false))
		}
	case model.Union:
		if t.Shared != nil {
			add(children(t.Shared, prefix))
		}
		for _, v := range t.Variants {
			if v.Kind == model.Object || v.Kind == model.Map {
				add(children(v, prefix))
			}
		}
	}
	return out
}

// property is the rows of one property: those of what it contains, then
// its own.
func property(key string, t *model.Type, required bool) []row {
	var out []row
	switch t.Kind {
	case model.Object, model.Map, model.Union:
		out = children(t, key+".")
	case model.Array:
		if items := t.Items; items.Kind == model.Object || items.Kind == model.Map {
			out = children(items, key+".[].")
		} else {
			out = property(key+".[]", items, false)
		}
	}
	return append(out, row{key: key, t: t, required: required})
}

// description is the Description cell: our description, the same
// constraint sentence the Go doc comments carry, and the unit of a
// duration field Kazoo's table knows ("Unit: milliseconds."), or why it
// has no one unit.
func description(t *model.Type, table *kazoo.Table) string {
	var parts []string
	for _, p := range []string{model.Sentence(t.Doc), model.Constraints(t), unitNote(t, table)} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " ")
}

// unitNote is the sentence giving the unit of the field declared as t.
func unitNote(t *model.Type, table *kazoo.Table) string {
	if t.Schema == nil {
		return ""
	}
	if u, ok := table.Unit(t.Schema.ID, t.Pointer); ok {
		return fmt.Sprintf("Unit: %s.", u.Unit.Word())
	}
	if reason, ok := table.UnitUnknown(t.Schema.ID, t.Pointer); ok {
		return model.Sentence(reason)
	}
	return ""
}

// defaultCell is the Default column: a string as it is, other values as
// JSON with Kazoo's spacing ("[\"a\", \"b\"]"), in backticks.
func defaultCell(t *model.Type) string {
	if t.Default == nil {
		return ""
	}
	dec := json.NewDecoder(bytes.NewReader(t.Default))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return code(string(t.Default))
	}
	if s, ok := v.(string); ok && s != "" {
		return code(s)
	}
	return code(kazooJSON(v))
}

// kazooJSON writes a JSON value with ", " and ": " separators and sorted
// keys, the way Kazoo's docs print defaults.
func kazooJSON(v any) string {
	switch v := v.(type) {
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = kazooJSON(x)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = kazooJSON(k) + ": " + kazooJSON(v[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

func supportCell(t *model.Type) string {
	if t.SupportLevel == "" {
		return ""
	}
	return code(t.SupportLevel)
}

// code puts text in a Markdown code span, with a longer fence when the
// text has a backtick of its own.
func code(s string) string {
	if strings.Contains(s, "`") {
		return "`` " + s + " ``"
	}
	return "`" + s + "`"
}

// cell makes text fit in one table cell: whitespace collapsed, pipes
// escaped (inside code spans too, as GitHub's tables require), and a
// single space for an empty cell, as Kazoo writes it.
func cell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return " "
	}
	return strings.ReplaceAll(s, "|", `\|`)
}

// anchor is the fragment GitHub gives a heading: lower case, spaces as
// hyphens, other punctuation than "-" and "_" dropped. Kazoo's links to
// schema sections ("#custom_sip_headers") are the same.
func anchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}
