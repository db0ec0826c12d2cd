package kazoo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Warning is a child of a node that Kazoo never takes, or takes only under
// conditions the node does not meet. Kazoo accepts any child key, so these
// are warnings, not errors.
type Warning struct {
	// Module is the node's module; Key the child key.
	Module, Key string
	// Message says why, and suggests a key when one is close.
	Message string
}

// String renders the warning as one line.
func (w Warning) String() string {
	return fmt.Sprintf("child %q of %s: %s", w.Key, w.Module, w.Message)
}

// Reachable reports whether the module itself can take the child key, for
// some node data: key is "_" and the module uses it, or key is one of the
// module's fixed keys or belongs to one of its families (within the
// family's limits). Setting skip_module makes any module take "_"; that is
// not counted. A module the table does not know may take anything, so the
// answer for it is true.
func (t *Table) Reachable(module, key string) bool {
	m, ok := t.modules[module]
	if !ok {
		return true
	}
	if key == "_" {
		return m.Default.Used
	}
	return m.Match(key) != nil
}

// Lint checks the child keys of one node of module, whose data is the
// node's "data" object (nil when unknown: conditions on the data are then
// not checked). It returns a warning, sorted by key, for every child the
// module never takes or would not take with this data. It says nothing
// about modules the table does not know.
func (t *Table) Lint(module string, data json.RawMessage, keys []string) []Warning {
	m, ok := t.modules[module]
	if !ok {
		return nil
	}
	fields, known := decodeData(data)
	var out []Warning
	for _, key := range slices.Sorted(slices.Values(keys)) {
		if msg := m.lint(key, fields, known); msg != "" {
			out = append(out, Warning{Module: module, Key: key, Message: msg})
		}
	}
	return out
}

// lint returns what is wrong with the child key, or "".
func (m *Module) lint(key string, fields map[string]any, known bool) string {
	if key == "_" {
		if m.Default.Used || known && fields["skip_module"] == true {
			return ""
		}
		return fmt.Sprintf("%s never takes \"_\" unless skip_module is set. %s", m.Name, m.Default.About)
	}
	k := m.Match(key)
	if k == nil {
		msg := fmt.Sprintf("%s never takes this child; it reads %s", m.Name, m.describeKeys())
		if s := m.suggest(key); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		return msg
	}
	if !known {
		return ""
	}
	for _, c := range k.OnlyIf {
		if !c.Holds(fields) {
			return fmt.Sprintf("%s takes this child only when %s, and %s", m.Name, c, c.actual(fields))
		}
	}
	return ""
}

// describeKeys lists the keys the module reads, for messages.
func (m *Module) describeKeys() string {
	var names []string
	for _, k := range m.Keys {
		names = append(names, k.String())
	}
	if m.Default.Used {
		names = append(names, `"_"`)
	}
	switch len(names) {
	case 0:
		return "no child at all"
	case 1:
		return "only " + names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// suggest returns a key the module reads that key was probably meant to be:
// the same in another case, a number written in the family's form ("486"
// for "sip:486", "05" for "5"), or a fixed key at most two edits away.
func (m *Module) suggest(key string) string {
	candidates := []string{strings.ToLower(key), strings.ToUpper(key)}
	for _, k := range m.Keys {
		if f := k.Family; f != nil && (f.Arg.Type == ArgInteger || f.Arg.Type == ArgDuration) {
			if n, err := strconv.ParseInt(key, 10, 64); err == nil {
				candidates = append(candidates, f.Arg.Key(n))
			}
		}
	}
	for _, c := range candidates {
		if c != key && m.Match(c) != nil {
			return c
		}
	}
	best, bestDist := "", 3
	for _, k := range m.Keys {
		if k.Family == nil {
			if d := editDistance(strings.ToLower(key), strings.ToLower(k.Fixed)); d < bestDist {
				best, bestDist = k.Fixed, d
			}
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// decodeData reads a node's data object; false when it is absent or not an
// object.
func decodeData(data json.RawMessage) (map[string]any, bool) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, false
	}
	var fields map[string]any
	if err := json.Unmarshal(data, &fields); err != nil || fields == nil {
		return nil, false
	}
	return fields, true
}

// Holds reports whether the data fields satisfy the condition.
func (c Condition) Holds(fields map[string]any) bool {
	v, ok := fields[c.Field]
	if c.Present != nil {
		return ok == *c.Present
	}
	if !ok {
		if !c.HasDefault {
			return false
		}
		v = c.Default
	}
	return slices.ContainsFunc(c.In, func(want any) bool { return sameScalar(v, want) })
}

// sameScalar compares a decoded JSON value with a condition's boolean or
// string.
func sameScalar(v, want any) bool {
	switch w := want.(type) {
	case bool:
		b, ok := v.(bool)
		return ok && b == w
	case string:
		s, ok := v.(string)
		return ok && s == w
	}
	return false
}

// String states the condition: "use_absolute_mode is false (the default)",
// "rule_set is set", `action is "bridge"`.
func (c Condition) String() string {
	if c.Present != nil {
		if *c.Present {
			return c.Field + " is set"
		}
		return c.Field + " is not set"
	}
	values := make([]string, len(c.In))
	for i, v := range c.In {
		values[i] = jsonText(v)
	}
	s := c.Field + " is " + strings.Join(values, " or ")
	if c.HasDefault && slices.ContainsFunc(c.In, func(want any) bool { return sameScalar(c.Default, want) }) {
		s += " (the default)"
	}
	return s
}

// actual says what the node's data has instead, for messages.
func (c Condition) actual(fields map[string]any) string {
	v, ok := fields[c.Field]
	switch {
	case !ok && c.HasDefault:
		return fmt.Sprintf("this node leaves it at its default, %s", jsonText(c.Default))
	case !ok:
		return "this node does not set it"
	}
	return fmt.Sprintf("this node sets it to %s", jsonText(v))
}

// jsonText renders a decoded JSON value as JSON.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
