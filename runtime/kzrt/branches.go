package kzrt

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// BranchRules says which child keys each of Kazoo's callflow modules can
// take: its fixed keys ("match", "timeout"), its key families (menu digits,
// "sip:486"), under which conditions on the node's data, and whether it
// ever runs "_". Kazoo accepts a child under any key, but a child no module
// path reaches is dead code, usually a typo: Lint finds them.
//
// kzgen's table of Kazoo's modules (generator/kazoo) is the source: a
// generated callflow package declares its rules from it, and kzgen validate
// builds the same rules from the same table, so the two never disagree.
// Treat a BranchRules, and everything it points to, as read-only.
type BranchRules struct {
	modules map[string]*ModuleBranches
}

// NewBranchRules collects the rules of some modules. A module listed twice
// keeps its last entry.
func NewBranchRules(modules ...*ModuleBranches) *BranchRules {
	r := &BranchRules{modules: make(map[string]*ModuleBranches, len(modules))}
	for _, m := range modules {
		r.modules[m.Module] = m
	}
	return r
}

// Module returns the rules of the module called name, and false when they
// are unknown (a module of a user's own Kazoo may take anything).
func (r *BranchRules) Module(name string) (*ModuleBranches, bool) {
	m, ok := r.modules[name]
	return m, ok
}

// Modules returns the names of the modules with rules, sorted.
func (r *BranchRules) Modules() []string { return slices.Sorted(maps.Keys(r.modules)) }

// ModuleBranches is what one callflow module does with a node's children.
type ModuleBranches struct {
	// Module is the module's name, e.g. "check_cid".
	Module string
	// Keys are the keys the module itself can take, in the order it tries
	// them; empty for a module that only uses "_".
	Keys []BranchKey
	// UsesDefault is false for a module that never runs "_" itself (only
	// skip_module, which skips the node, leads there).
	UsesDefault bool
	// DefaultAbout says when "_" runs, for messages.
	DefaultAbout string
}

// BranchKey is one fixed key or key family a module reads.
type BranchKey struct {
	// Key is the exact key, e.g. "match"; empty for a family.
	Key string
	// Family is the family of keys; nil for a fixed key.
	Family *KeyFamily
	// OnlyIf are conditions on the node's data, all of which must hold for
	// the module to take this key.
	OnlyIf []BranchCondition
}

// Matches reports whether key is this fixed key or one of this family's.
func (k BranchKey) Matches(key string) bool {
	if k.Family == nil {
		return key == k.Key
	}
	return k.Family.Matches(key)
}

// String names the key for messages: the fixed key quoted, or the
// family's noun.
func (k BranchKey) String() string {
	if k.Family == nil {
		return strconv.Quote(k.Key)
	}
	return k.Family.Noun
}

// KeyFamily is a set of keys of one form, such as menu digits or SIP codes.
type KeyFamily struct {
	// Name is the family's name in kzgen's table, e.g. "sip_code".
	Name string
	// Pattern matches every key of the family (anchored).
	Pattern *regexp.Regexp
	// Numeric is set for a family of numbers written into the key with
	// Format, between Min and Max.
	Numeric bool
	// Format turns a number into a key (fmt syntax with one %d), e.g.
	// "sip:%d".
	Format string
	// Min and Max bound the number; nil when unbounded.
	Min, Max *int64
	// Noun names the family in a list, e.g. "SIP codes such as sip:486".
	Noun string
}

// Matches reports whether key belongs to the family: it matches the
// pattern and, for a numeric family, its number lies within the limits.
// "_" is never one: it is the default child.
func (f *KeyFamily) Matches(key string) bool {
	if key == DefaultChild || !f.Pattern.MatchString(key) {
		return false
	}
	if !f.Numeric {
		return true
	}
	n, ok := f.Number(key)
	return ok && f.InRange(n)
}

// Key returns the key of a numeric family for the number n.
func (f *KeyFamily) Key(n int64) string { return fmt.Sprintf(f.Format, n) }

// Number reads the number out of a key of Format's shape ("sip:486" gives
// 486). Leading zeros are accepted, as Kazoo's integer conversion accepts
// them; a family's pattern rejects them where Kazoo does not.
func (f *KeyFamily) Number(key string) (int64, bool) {
	prefix, suffix, _ := strings.Cut(f.Format, "%d")
	digits, ok := strings.CutPrefix(key, prefix)
	if !ok {
		return 0, false
	}
	if digits, ok = strings.CutSuffix(digits, suffix); !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	return n, err == nil
}

// InRange reports whether n lies within Min and Max.
func (f *KeyFamily) InRange(n int64) bool {
	return (f.Min == nil || n >= *f.Min) && (f.Max == nil || n <= *f.Max)
}

// BranchCondition is a test on a node's data.
type BranchCondition struct {
	// Field is the data field tested.
	Field string
	// Present, when set, requires the field to be present (true) or
	// absent (false); In is then empty.
	Present *bool
	// In lists the values the field must have: booleans or strings.
	In []any
	// Default is the value Kazoo assumes when the field is absent, if
	// HasDefault.
	Default    any
	HasDefault bool
}

// Holds reports whether the data fields, a decoded JSON object, satisfy
// the condition.
func (c BranchCondition) Holds(fields map[string]any) bool {
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

// String states the condition: "use_absolute_mode is false (the
// default)", "rule_set is set", `action is "bridge"`.
func (c BranchCondition) String() string {
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
func (c BranchCondition) actual(fields map[string]any) string {
	v, ok := fields[c.Field]
	switch {
	case !ok && c.HasDefault:
		return fmt.Sprintf("this node leaves it at its default, %s", jsonText(c.Default))
	case !ok:
		return "this node does not set it"
	}
	return fmt.Sprintf("this node sets it to %s", jsonText(v))
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

// jsonText renders a decoded JSON value as JSON.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// BranchWarning is a child that Kazoo never takes, or takes only under
// conditions its node does not meet. Kazoo accepts any child key, so it is
// a warning, not a validation problem.
type BranchWarning struct {
	// Pointer is the JSON pointer of the child ("/children/matched" for a
	// child of the root).
	Pointer string
	// Module is the module of the child's parent; Key the child's key.
	Module, Key string
	// Message says why, and suggests a key when one is close.
	Message string
}

// String renders the warning as one line: the pointer, then the message.
func (w BranchWarning) String() string { return w.Pointer + ": " + w.Message }

// Reachable reports whether the module itself can take the child key, for
// some node data: the key is "_" and the module uses it, or the key is one
// of its fixed keys or belongs to one of its families. skip_module makes
// any module take "_"; that is not counted. A module without rules may
// take anything, so the answer for it is true.
func (r *BranchRules) Reachable(module, key string) bool {
	m, ok := r.modules[module]
	if !ok {
		return true
	}
	if key == DefaultChild {
		return m.UsesDefault
	}
	return m.match(key) != nil
}

// CheckNode checks the child keys of one node of module, whose data is
// the node's "data" object (nil when unknown: conditions on the data are
// then not checked). It returns a warning, sorted by key, for every child
// the module never takes or would not take with this data, with pointers
// relative to the node. It says nothing about modules without rules.
func (r *BranchRules) CheckNode(module string, data json.RawMessage, keys []string) []BranchWarning {
	m, ok := r.modules[module]
	if !ok {
		return nil
	}
	fields, known := decodeFields(data)
	var out []BranchWarning
	for _, key := range slices.Sorted(slices.Values(keys)) {
		if msg := m.lint(key, fields, known); msg != "" {
			out = append(out, BranchWarning{Pointer: "/children/" + EscapeToken(key), Module: module, Key: key, Message: msg})
		}
	}
	return out
}

// Lint checks every node of the tree under n (CheckNode) and returns the
// warnings in Walk's order, with pointers relative to n. A node whose data
// does not encode is judged without its data. Lint does not validate: a
// loop or an over-deep tree is Validate's to report, and Lint stops there.
func (r *BranchRules) Lint(n *Node) []BranchWarning {
	var out []BranchWarning
	_ = n.Walk(func(pointer string, node *Node) {
		if _, ok := r.modules[node.Module]; !ok || len(node.Children)+len(node.RawChildren) == 0 {
			return
		}
		var data json.RawMessage
		if node.Data != nil {
			data, _ = node.Data.MarshalJSON() // nil on error: judged without data
		}
		keys := slices.Collect(maps.Keys(node.Children))
		for k := range node.RawChildren {
			if _, typed := node.Children[k]; !typed {
				keys = append(keys, k)
			}
		}
		for _, w := range r.CheckNode(node.Module, data, keys) {
			w.Pointer = pointer + w.Pointer
			out = append(out, w)
		}
	})
	return out
}

// match returns the entry of m.Keys that covers key, ignoring conditions
// on the node's data, or nil.
func (m *ModuleBranches) match(key string) *BranchKey {
	for i := range m.Keys {
		if m.Keys[i].Matches(key) {
			return &m.Keys[i]
		}
	}
	return nil
}

// lint returns what is wrong with the child key, or "".
func (m *ModuleBranches) lint(key string, fields map[string]any, known bool) string {
	if key == DefaultChild {
		if m.UsesDefault || known && fields["skip_module"] == true {
			return ""
		}
		return strings.TrimSpace(fmt.Sprintf("%s never takes \"_\" unless skip_module is set. %s", m.Module, m.DefaultAbout))
	}
	k := m.match(key)
	if k == nil {
		msg := fmt.Sprintf("%s never takes this child; it reads %s", m.Module, m.describeKeys())
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
			return fmt.Sprintf("%s takes this child only when %s, and %s", m.Module, c, c.actual(fields))
		}
	}
	return ""
}

// describeKeys lists the keys the module reads, for messages.
func (m *ModuleBranches) describeKeys() string {
	var names []string
	for _, k := range m.Keys {
		names = append(names, k.String())
	}
	if m.UsesDefault {
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

// suggest returns a key the module reads that key was probably meant to
// be: the same in another case, a number written in a family's form
// ("486" for "sip:486", "05" for "5"), or a fixed key at most two edits
// away.
func (m *ModuleBranches) suggest(key string) string {
	candidates := []string{strings.ToLower(key), strings.ToUpper(key)}
	for _, k := range m.Keys {
		if f := k.Family; f != nil && f.Numeric {
			if n, err := strconv.ParseInt(key, 10, 64); err == nil {
				candidates = append(candidates, f.Key(n))
			}
		}
	}
	for _, c := range candidates {
		if c != key && m.match(c) != nil {
			return c
		}
	}
	best, bestDist := "", 3
	for _, k := range m.Keys {
		if k.Family == nil {
			if d := editDistance(strings.ToLower(key), strings.ToLower(k.Key)); d < bestDist {
				best, bestDist = k.Key, d
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

// decodeFields reads a node's data object; false when it is absent or not
// an object.
func decodeFields(data json.RawMessage) (map[string]any, bool) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, false
	}
	var fields map[string]any
	if err := json.Unmarshal(data, &fields); err != nil || fields == nil {
		return nil, false
	}
	return fields, true
}
