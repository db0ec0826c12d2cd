package simulate

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strconv"

	"github.com/kzgen/kzgen/generator/model"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// data is a node's data as the walk reads it, whatever package typed it:
// its JSON members and, for a member left out, the default its module's
// schema gives, which Kazoo's validator fills in before the module runs.
// Reading a member of another JSON type than asked gives the zero value: an
// answer that passed Kazoo's schema has the right types.
type data struct {
	members map[string]json.RawMessage
	// schema is the object type of the data, nil for a module the schema
	// set does not know (a custom module) or a member without one.
	schema *model.Type
}

// dataOf reads n's data, with the defaults of n's module schema in set.
func dataOf(set *model.Set, n *kzrt.Node) data {
	d := data{}
	if n.Data != nil {
		if raw, err := n.Data.MarshalJSON(); err == nil {
			d.members, _ = kzrt.Members(raw)
		}
	}
	if set != nil {
		if s, isModule := set.Module("callflows.", n.Module); isModule {
			d.schema = objectType(s.Root)
		}
	}
	return d
}

// objectType follows $refs to an object type; nil for any other.
func objectType(t *model.Type) *model.Type {
	t = t.Resolve()
	if t == nil || t.Kind != model.Object {
		return nil
	}
	return t
}

// field returns the schema type of the member name, nil when unknown.
func (d data) field(name string) *model.Type {
	if d.schema == nil {
		return nil
	}
	for _, f := range d.schema.Fields {
		if f.Name == name {
			return f.Type
		}
	}
	return nil
}

// raw returns the member name as written, else its schema default.
func (d data) raw(name string) (json.RawMessage, bool) {
	if v, ok := d.members[name]; ok && !isNull(v) {
		return v, true
	}
	if t := d.field(name); t != nil && t.Default != nil {
		return t.Default, true
	}
	return nil, false
}

// has reports whether the node's data writes the member name (not null).
func (d data) has(name string) bool {
	v, ok := d.members[name]
	return ok && !isNull(v)
}

func isNull(v json.RawMessage) bool { return string(bytes.TrimSpace(v)) == "null" }

// str returns a string member, "" when absent or not a string.
func (d data) str(name string) string {
	raw, _ := d.raw(name)
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// integer returns an integer member; false when absent or not an integer.
func (d data) integer(name string) (int64, bool) {
	raw, ok := d.raw(name)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(string(bytes.TrimSpace(raw)), 10, 64)
	return n, err == nil
}

// boolean returns a boolean member, false when absent or not a boolean.
func (d data) boolean(name string) bool {
	raw, _ := d.raw(name)
	return string(bytes.TrimSpace(raw)) == "true"
}

// strs returns the strings of a list member.
func (d data) strs(name string) []string {
	raw, _ := d.raw(name)
	var list []string
	if json.Unmarshal(raw, &list) != nil {
		return nil
	}
	return list
}

// objects returns the items of a list of objects, each with the item
// type's defaults.
func (d data) objects(name string) []data {
	raw, _ := d.raw(name)
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		return nil
	}
	var item *model.Type
	if t := d.field(name); t != nil && t.Kind == model.Array {
		item = objectType(t.Items)
	}
	out := make([]data, 0, len(items))
	for _, it := range items {
		members, _ := kzrt.Members(it)
		out = append(out, data{members: members, schema: item})
	}
	return out
}

// object returns an object member, with its type's defaults.
func (d data) object(name string) data {
	raw, _ := d.raw(name)
	members, _ := kzrt.Members(raw)
	return data{members: members, schema: objectType(d.field(name))}
}

// texts returns the members of an object member as text: a string's own
// value, anything else its JSON, by key.
func (d data) texts(name string) map[string]string {
	raw, _ := d.raw(name)
	members, _ := kzrt.Members(raw)
	out := make(map[string]string, len(members))
	for k, v := range members {
		out[k] = jsonText(v)
	}
	return out
}

// keys returns the names of the members the node's data writes, sorted.
func (d data) keys() []string { return slices.Sorted(maps.Keys(d.members)) }

// jsonText returns a JSON value as Kazoo's form encoding writes a scalar:
// a string's own text, anything else its JSON.
func jsonText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(bytes.TrimSpace(raw))
}
