package golang

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/format"
	"maps"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kzgen/kzgen/generator/model"
)

// This file adds Example to the nodes file: a function that builds a
// small node of each module with the module's own builder. The values are
// model.Sample's, chosen from the schema; this file only writes the sample
// as builder calls, so the node encodes to exactly the sample's JSON. The
// reference docs print the same samples, and their tests check that the
// two agree.

// emitExamples declares
//
//	func Example(module string) (*Node, bool)
//
// A module the model cannot sample (a constraint no value meets, for
// Kazoo) gets no case; Example then reports false for it, and a comment in
// the generated file says why.
func (g *generator) emitExamples() {
	type exampleCase struct {
		module string
		call   *jen.Statement
		err    error
	}
	cases := make([]exampleCase, len(g.mods))
	for i, m := range g.mods {
		call, err := g.exampleCall(m)
		cases[i] = exampleCase{module: m.name, call: call, err: err}
	}
	g.comment("Example returns a small node of module built with the module's builder, "+
		"and false when module is not a callflow module this package has a schema for.",
		"The values are samples kzgen chose from the schema when it generated this file, so that Kazoo accepts them: "+
			"the required properties, and those whose default Kazoo would fill in and then refuse; "+
			"an enum's default or first value, a string of the allowed length, pattern and format, "+
			"a number within bounds, lists with at least one item. The node has no children.",
		"kzgen docs shows the same samples as JSON in its module reference pages.")
	g.file.Func().Id("Example").Params(jen.Id("module").String()).Params(jen.Op("*").Id("Node"), jen.Bool()).Block(
		jen.Switch(jen.Id("module")).BlockFunc(func(sw *jen.Group) {
			for _, c := range cases {
				if c.err != nil {
					sw.Comment(fmt.Sprintf("No example for %q: %v.", c.module, c.err))
					continue
				}
				sw.Case(jen.Lit(c.module)).Block(jen.Return(c.call.Dot("Node").Call(), jen.True()))
			}
		}),
		jen.Return(jen.Nil(), jen.False()),
	)
}

// ExampleCode returns, by module, the Go source of the builder chain the
// generated Example function builds each module's node with (without the
// final .Node()), gofmt-formatted, as code inside the generated package
// writes it. Modules the model cannot sample are left out. opts are as for
// API.
func ExampleCode(set *model.Set, opts Options) (map[string]string, error) {
	if !opts.Nodes || opts.TrimPrefix == "" {
		return nil, errors.New("golang: ExampleCode needs Options.Nodes and a TrimPrefix")
	}
	g, err := newGenerator(set, opts)
	if err != nil {
		return nil, fmt.Errorf("golang: %w", err)
	}
	out := map[string]string{}
	for _, m := range g.mods {
		call, err := g.exampleCall(m)
		if err != nil {
			continue // Example has no case for it either
		}
		const prefix = "package p\n\nvar _ = "
		src, err := format.Source(fmt.Appendf(nil, "%s%#v\n", prefix, call))
		if err != nil {
			return nil, fmt.Errorf("golang: formatting the example of %s: %w", m.name, err)
		}
		out[m.name] = strings.TrimSpace(strings.TrimPrefix(string(src), prefix))
	}
	return out, nil
}

// exampleCall is the builder chain that makes m's sample.
func (g *generator) exampleCall(m module) (*jen.Statement, error) {
	raw, err := model.Sample(m.schema.Root)
	if err != nil {
		return nil, err
	}
	sample, err := model.DecodeSample(raw)
	if err != nil {
		return nil, fmt.Errorf("decoding the sample: %w", err)
	}
	members, ok := sample.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("the sample %s is no JSON object", raw)
	}
	args, setters := g.builderParams(m)
	return g.builderChain(m.ctor, args, setters, members)
}

// builderChain is a call of the constructor ctor with the required
// properties of the sampled object members, then a setter per other
// property; args and setters are the builder's API (see params).
func (g *generator) builderChain(ctor string, args, setters []builderParam, members map[string]any) (*jen.Statement, error) {
	members = maps.Clone(members)
	values := make([]jen.Code, 0, len(args))
	for _, a := range args {
		v, ok := members[a.Name]
		if !ok {
			return nil, fmt.Errorf("the sample lacks the required %q", a.Name)
		}
		delete(members, a.Name)
		code, err := g.paramValues(a, v)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", a.Name, err)
		}
		values = append(values, code...)
	}
	call := jen.Id(ctor).Call(values...)
	for _, s := range setters {
		v, ok := members[s.Name]
		if !ok {
			continue
		}
		delete(members, s.Name)
		code, err := g.paramValues(s, v)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", s.Name, err)
		}
		call = call.Dot(s.name).Call(code...)
	}
	if len(members) > 0 {
		return nil, fmt.Errorf("the builder has no way to set %q", slices.Sorted(maps.Keys(members)))
	}
	return call, nil
}

// paramValues is the argument list for one builder parameter: the items
// of a variadic list, or the value. A discriminated union's values are
// given as calls of its item builders, as paramType takes them.
func (g *generator) paramValues(p builderParam, v any) ([]jen.Code, error) {
	item := p.Type
	list := g.shapeOf(p.Type) == shapeSlice
	if list {
		item = p.Type.Resolve().Items
	}
	value := func(t *model.Type, v any) (*jen.Statement, error) { return g.goValue(t, v, false) }
	var u *discUnion
	if d := g.decl(item); d != nil && g.disc[d] != nil {
		u = g.disc[d]
		value = func(_ *model.Type, v any) (*jen.Statement, error) { return g.itemBuilderCall(u, v) }
	} else if g.isMember(d) {
		value = func(_ *model.Type, v any) (*jen.Statement, error) { return g.memberCall(v) }
	}
	if !list || (!p.variadic && u == nil) {
		code, err := value(p.Type, v)
		return []jen.Code{code}, err
	}
	items, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("the sample is no list")
	}
	out := make([]jen.Code, len(items))
	for i, x := range items {
		code, err := value(item, x)
		if err != nil {
			return nil, fmt.Errorf("item %d: %w", i, err)
		}
		out[i] = code
	}
	if !p.variadic {
		return []jen.Code{jen.Index().Id(u.builder).Values(out...)}, nil
	}
	return out, nil
}

// itemBuilderCall is the item builder chain of discriminated union u that
// makes the sampled value v: the kind its property names.
func (g *generator) itemBuilderCall(u *discUnion, v any) (*jen.Statement, error) {
	members, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("sample %v for an object", v)
	}
	for _, c := range u.cases {
		if members[u.Property] != c.Value {
			continue
		}
		members = maps.Clone(members)
		delete(members, u.Property)
		args, setters := g.params(structFields(c.root.Fields), u.name)
		return g.builderChain(c.ctor, args, setters, members)
	}
	return nil, fmt.Errorf("the sample's %q names no kind", u.Property)
}

// goValue is a Go expression of t's Go type for the sampled JSON value v.
// With typed set, a numeric literal carries its Go type (int64(5)), as
// new() needs.
func (g *generator) goValue(t *model.Type, v any, typed bool) (*jen.Statement, error) {
	if g.holdsNode(t) {
		return nil, fmt.Errorf("cannot write a callflow node as a sample")
	}
	r := t.Resolve()
	switch g.shapeOf(t) {
	case shapeEnum:
		d := g.decl(t)
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("sample %v for a string enum", v)
		}
		if c, ok := g.enumConst[d][s]; ok {
			return jen.Id(c), nil
		}
		return jen.Id(g.typeName[d]).Call(jen.Lit(s)), nil
	case shapeStruct:
		return g.structValue(g.decl(t), v)
	case shapeNamed:
		d := g.decl(t)
		name := jen.Id(g.typeName[d])
		switch d.Kind {
		case model.Map:
			entries, err := g.mapEntries(d, v)
			return name.Values(entries), err
		case model.Array:
			items, err := g.listItems(d, v)
			return name.Values(items...), err
		}
		unnamed := *d
		unnamed.Enum = nil
		lit, err := g.scalarValue(&unnamed, v, false)
		if err != nil {
			return nil, err
		}
		return name.Call(lit), nil
	case shapeSlice:
		items, err := g.listItems(r, v)
		return jen.Index().Add(g.goType(r.Items)).Values(items...), err
	case shapeMap:
		entries, err := g.mapEntries(r, v)
		return jen.Map(jen.String()).Add(g.goType(mapValue(r))).Values(entries), err
	}
	return g.scalarValue(r, v, typed)
}

// scalarValue is a literal for a boolean, number or string, or raw JSON.
func (g *generator) scalarValue(t *model.Type, v any, typed bool) (*jen.Statement, error) {
	switch t.Kind {
	case model.Bool:
		if b, ok := v.(bool); ok {
			return jen.Lit(b), nil
		}
	case model.Integer:
		if n, ok := v.(json.Number); ok {
			i, err := n.Int64()
			if err != nil {
				return nil, fmt.Errorf("sample %s does not fit int64", n)
			}
			if typed {
				return jen.Lit(i), nil
			}
			return intLit(i), nil
		}
	case model.Number:
		if n, ok := v.(json.Number); ok {
			f, err := n.Float64()
			if err != nil {
				return nil, fmt.Errorf("sample %s does not fit float64", n)
			}
			if typed {
				return jen.Lit(f), nil
			}
			return jen.Id(n.String()), nil
		}
	case model.String:
		if s, ok := v.(string); ok {
			return jen.Lit(s), nil
		}
	default:
		raw, err := model.EncodeSample(v)
		if err != nil {
			return nil, err
		}
		return jen.Qual(jsonPkg, "RawMessage").Call(jen.Lit(string(raw))), nil
	}
	return nil, fmt.Errorf("sample %v is not a %s", v, t.Kind)
}

// structValue is a composite literal of a generated struct (an object) or
// union (its shared properties and the alternative the sample is).
func (g *generator) structValue(d *model.Type, v any) (*jen.Statement, error) {
	values := jen.Dict{}
	members, isObject := v.(map[string]any)
	var fields []field
	if d.Kind == model.Object {
		fields = structFields(d.Fields)
	} else {
		fields, _ = g.unionParts(d)
	}
	rest := map[string]any{}
	for k, x := range members {
		rest[k] = x
	}
	for _, f := range fields {
		x, ok := rest[f.Name]
		if !ok {
			continue
		}
		delete(rest, f.Name)
		code, err := g.fieldValue(f.Type, x)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", f.Name, err)
		}
		values[jen.Id(f.goName)] = code
	}
	if d.Kind == model.Object {
		if !isObject {
			return nil, fmt.Errorf("sample %v for an object", v)
		}
		if len(rest) > 0 {
			return nil, fmt.Errorf("no field for %q", slices.Sorted(maps.Keys(rest)))
		}
		return jen.Id(g.typeName[d]).Values(values), nil
	}
	alt, err := g.sampledAlternative(d, v)
	if err != nil {
		return nil, err
	}
	value := v
	if isObject {
		value = rest // the alternative's own properties
	}
	code, err := g.fieldValue(alt.t, value)
	if err != nil {
		return nil, err
	}
	values[jen.Id(alt.goName)] = code
	return jen.Id(g.typeName[d]).Values(values), nil
}

// sampledAlternative is the alternative of union d a sample belongs to:
// the case its discriminating property names, else the first alternative
// of the sample's JSON kind, as model.Sample tries them.
func (g *generator) sampledAlternative(d *model.Type, v any) (alternative, error) {
	_, alts := g.unionParts(d)
	if disc := d.Discriminator(); disc != nil {
		members, _ := v.(map[string]any)
		for i, c := range disc.Cases {
			if members[disc.Property] == c.Value {
				return alts[i], nil
			}
		}
		return alternative{}, fmt.Errorf("the sample's %q names no alternative", disc.Property)
	}
	raw, err := model.EncodeSample(v)
	if err != nil {
		return alternative{}, err
	}
	kind := jsonKindOf(raw)
	for _, a := range alts {
		if bytes.IndexByte(g.jsonKinds(a.t), kind) >= 0 {
			return a, nil
		}
	}
	return alternative{}, fmt.Errorf("no alternative holds the sample %s", raw)
}

// fieldValue is the value of a struct field or union alternative, which
// holds a pointer unless the value is nilable.
func (g *generator) fieldValue(t *model.Type, v any) (*jen.Statement, error) {
	code, err := g.goValue(t, v, true)
	switch {
	case err != nil:
		return nil, err
	case g.nilable(t):
		return code, nil
	case g.shapeOf(t) == shapeStruct:
		return jen.Op("&").Add(code), nil
	}
	return jen.New(code), nil
}

// listItems are the items of a sampled list of array type t.
func (g *generator) listItems(t *model.Type, v any) ([]jen.Code, error) {
	items, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("sample %v for a list", v)
	}
	out := make([]jen.Code, len(items))
	for i, item := range items {
		code, err := g.goValue(t.Items, item, false)
		if err != nil {
			return nil, fmt.Errorf("item %d: %w", i, err)
		}
		out[i] = code
	}
	return out, nil
}

// mapEntries are the entries of a sampled object of map type t.
func (g *generator) mapEntries(t *model.Type, v any) (jen.Dict, error) {
	members, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("sample %v for an object", v)
	}
	out := jen.Dict{}
	for k, x := range members {
		code, err := g.goValue(mapValue(t), x, false)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", k, err)
		}
		out[jen.Lit(k)] = code
	}
	return out, nil
}
