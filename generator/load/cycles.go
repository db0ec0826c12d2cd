package load

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/kzgen/kzgen/runtime/kzrt"
)

// A $ref cycle is legal in JSON Schema when a value nests between its
// steps: callflows.action's "children" holds more callflows.action, so each
// step goes one level deeper into the value and validation ends with the
// value. A cycle with nothing in between ("a" is "$ref": "b", "b" is
// "$ref": "a", or "a" is "oneOf": [{"$ref": "a"}, …]) asks a value to be
// itself before it can be anything: validators loop on it and no type can
// describe it, so Read refuses it.

// position is one schema position: a schema id and a JSON pointer in it.
type position struct{ id, ptr string }

// edge is a step from one schema position to another that applies to the
// same value: a "$ref", or a subschema of allOf, anyOf, oneOf, not or a
// schema-valued dependency.
type edge struct {
	to     position
	schema map[string]any // the schema object at to; nil for a "$ref"
	ref    string         // the JSON pointer of the "$ref" keyword; "" for other steps
}

// checkRefCycles reports the first $ref cycle (in id and document order)
// along which no value nests: an *Error naming the file where the cycle was
// entered, the pointer of its first "$ref", and every file of the cycle in
// order. Every "$ref" is a starting point, so a cycle inside "definitions"
// is found too.
func (l *loader) checkRefCycles(ids []string) error {
	const (
		unseen = iota
		active // on the current path
		done   // fully explored, no cycle through it
	)
	state := map[position]int{}
	var path []edge // path[i].to is the i-th position of the current path
	var visit func(p position, schema map[string]any) error
	visit = func(p position, schema map[string]any) error {
		state[p] = active
		for _, e := range l.sameValueSteps(p, schema) {
			switch state[e.to] {
			case active:
				start := 0
				for path[start].to != e.to {
					start++
				}
				return l.cycleError(append(append([]edge(nil), path[start:]...), e))
			case unseen:
				next := e.schema
				if next == nil {
					var ok bool
					if next, ok = l.lookup(e.to); !ok {
						state[e.to] = done // a missing target; other checks report it
						continue
					}
				}
				path = append(path, e)
				if err := visit(e.to, next); err != nil {
					return err
				}
				path = path[:len(path)-1]
			}
		}
		state[p] = done
		return nil
	}
	// Every cycle goes through a "$ref", so starting from each is enough.
	for _, id := range ids {
		for _, r := range l.docs[id].refs {
			p := position{id: id, ptr: strings.TrimSuffix(r.Pointer, "/$ref")}
			if state[p] != unseen {
				continue
			}
			path = append(path[:0], edge{to: p})
			if err := visit(p, r.holder); err != nil {
				return err
			}
		}
	}
	return nil
}

// sameValueSteps lists the positions that apply to the same value as p,
// whose schema object is schema. In draft 4 a "$ref" replaces its sibling
// keywords, so it is then the only step.
func (l *loader) sameValueSteps(p position, schema map[string]any) []edge {
	if ref, ok := schema["$ref"].(string); ok {
		id, frag, _ := strings.Cut(ref, "#")
		if id == "" {
			id = p.id
		}
		return []edge{{to: position{id: id, ptr: frag}, ref: p.ptr + "/$ref"}}
	}
	var steps []edge
	for _, kw := range []string{"allOf", "anyOf", "oneOf"} {
		list, _ := schema[kw].([]any)
		for i, v := range list {
			if sub, ok := v.(map[string]any); ok {
				steps = append(steps, edge{to: position{id: p.id, ptr: p.ptr + "/" + kw + "/" + strconv.Itoa(i)}, schema: sub})
			}
		}
	}
	if sub, ok := schema["not"].(map[string]any); ok {
		steps = append(steps, edge{to: position{id: p.id, ptr: p.ptr + "/not"}, schema: sub})
	}
	if deps, ok := schema["dependencies"].(map[string]any); ok {
		for _, k := range slices.Sorted(maps.Keys(deps)) {
			if sub, ok := deps[k].(map[string]any); ok {
				steps = append(steps, edge{to: position{id: p.id, ptr: p.ptr + "/dependencies/" + kzrt.EscapeToken(k)}, schema: sub})
			}
		}
	}
	return steps
}

// lookup returns the schema object at a position, if there is one.
func (l *loader) lookup(p position) (map[string]any, bool) {
	doc := l.docs[p.id]
	if doc == nil {
		return nil, false
	}
	return lookupPointer(doc.Raw, p.ptr)
}

// cycleError describes a cycle given as the steps from its first position
// back to it (cycle[0] leads to the first position). Only "$ref" steps go
// from file to file, so they are the ones listed.
func (l *loader) cycleError(cycle []edge) error {
	start := cycle[0].to
	var chain []string
	firstRef := ""
	from := start
	for _, e := range cycle[1:] {
		if e.ref != "" {
			if firstRef == "" {
				firstRef = e.ref
			}
			chain = append(chain, l.docs[from.id].File+"#"+e.ref)
		}
		from = e.to
	}
	chain = append(chain, l.docs[start.id].File)
	return &Error{
		File:    l.display(l.docs[start.id].File),
		Pointer: firstRef,
		Err:     fmt.Errorf("$ref cycle with no object or array in between, so checking a value never ends: %s", strings.Join(chain, " → ")),
	}
}

// lookupPointer returns the schema object at ptr in doc ("" is doc itself).
func lookupPointer(doc map[string]any, ptr string) (map[string]any, bool) {
	if ptr == "" {
		return doc, true
	}
	if !strings.HasPrefix(ptr, "/") {
		return nil, false
	}
	var cur any = doc
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch v := cur.(type) {
		case map[string]any:
			cur = v[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(v) {
				return nil, false
			}
			cur = v[i]
		default:
			return nil, false
		}
	}
	m, ok := cur.(map[string]any)
	return m, ok
}
