package golang

import (
	"fmt"
	"strconv"

	"github.com/dave/jennifer/jen"

	"github.com/kzgen/kzgen/generator/model"
)

// decl returns the declared type a value of t is written with: t itself
// when it has a name, the referenced schema's root for a $ref, nil for an
// unnamed type (slices, maps, scalars).
func (g *generator) decl(t *model.Type) *model.Type {
	for {
		if _, ok := g.typeName[t]; ok && t.Kind != model.Ref {
			return t
		}
		if t.Kind != model.Ref {
			return nil
		}
		t = t.Target.Root
	}
}

// goType is the Go type of a value of t (not a pointer). The node schema
// of a package whose trees come from another callflow package is
// kzrt.Node itself.
func (g *generator) goType(t *model.Type) *jen.Statement {
	if d := g.decl(t); d != nil {
		if g.action != nil && d == g.action.Root && !g.ownsTree() {
			return jen.Qual(kzrt, "Node")
		}
		return jen.Id(g.typeName[d])
	}
	return g.underlying(t)
}

// underlying is the Go type t would have without a name of its own.
func (g *generator) underlying(t *model.Type) *jen.Statement {
	switch t.Kind {
	case model.Ref:
		return g.goType(t.Target.Root)
	case model.Bool:
		return jen.Bool()
	case model.Integer:
		return jen.Int64()
	case model.Number:
		return jen.Float64()
	case model.String:
		return jen.String()
	case model.Array:
		return jen.Index().Add(g.goType(t.Items))
	case model.Map:
		return jen.Map(jen.String()).Add(g.goType(mapValue(t)))
	}
	return jen.Qual(jsonPkg, "RawMessage")
}

// anyType stands for a JSON value with no constraints.
var anyType = &model.Type{Kind: model.Any, MinLength: -1, MaxLength: -1, MinItems: -1, MaxItems: -1, MinProperties: -1, MaxProperties: -1}

// mapValue is the type of a Map's values: its single patternProperties or
// additionalProperties schema, or raw JSON when several could apply.
func mapValue(t *model.Type) *model.Type {
	switch {
	case len(t.PatternProps) == 1 && t.Additional == nil:
		return t.PatternProps[0].Type
	case len(t.PatternProps) == 0 && t.Additional != nil:
		return t.Additional
	}
	return anyType
}

// shape is how a value of some type is represented in Go.
type shape int

const (
	shapeStruct shape = iota // a generated struct or union: has encode/validate methods
	shapeEnum                // a generated string type with constants
	shapeNamed               // another generated named type (map, slice, scalar)
	shapeBool
	shapeInt
	shapeFloat
	shapeString
	shapeRaw
	shapeSlice
	shapeMap
)

func (g *generator) shapeOf(t *model.Type) shape {
	if d := g.decl(t); d != nil {
		switch {
		case d.Kind == model.Object || d.Kind == model.Union:
			return shapeStruct
		case d.Kind == model.String && len(d.Enum) > 0:
			return shapeEnum
		}
		return shapeNamed
	}
	switch t.Kind {
	case model.Bool:
		return shapeBool
	case model.Integer:
		return shapeInt
	case model.Number:
		return shapeFloat
	case model.String:
		return shapeString
	case model.Array:
		return shapeSlice
	case model.Map:
		return shapeMap
	}
	return shapeRaw
}

// nilable reports whether a value of t can itself be nil (slices, maps,
// raw JSON), so a struct field holds it directly rather than by pointer.
func (g *generator) nilable(t *model.Type) bool {
	if d := g.decl(t); d != nil {
		if d.Kind == model.Object || d.Kind == model.Union || d.Kind == model.String && len(d.Enum) > 0 {
			return false
		}
		switch d.Kind {
		case model.Array, model.Map, model.Any:
			return true
		case model.Ref:
			return g.nilable(d.Target.Root)
		}
		return false
	}
	switch t.Kind {
	case model.Array, model.Map, model.Any:
		return true
	}
	return false
}

// fieldType is the Go type of a struct field or union alternative holding
// t: a pointer unless the value is nilable, so "absent" is nil.
func (g *generator) fieldType(t *model.Type) *jen.Statement {
	if g.nilable(t) {
		return g.goType(t)
	}
	return jen.Op("*").Add(g.goType(t))
}

// isHook reports whether d, a declared type, is one kzrt or another
// generated package calls across packages: a module's data (kzrt.Data),
// the node (kzrt.Node), the stored callflow document (a kzrt.Tree), or, in
// a callflow package, any type of a schema that is no module, which a
// package taking its trees from this one (Options.NodesFrom) may share; in
// that package, the types it shares (see shared.go). Its encode, decode
// and validate methods are then exported hooks.
func (g *generator) isHook(d *model.Type) bool {
	if g.action == nil || d == nil {
		return false
	}
	if d == g.action.Root {
		return true
	}
	if !g.ownsTree() {
		return g.shared[d]
	}
	if _, module := g.moduleOf[d.Schema]; module {
		return d == d.Schema.Root
	}
	return true
}

// hookDoc is the doc comment of the hook method of the declared type d;
// use is the method applications call instead.
func (g *generator) hookDoc(method string, d *model.Type, use string) string {
	_, module := g.moduleOf[d.Schema]
	if d == g.action.Root || g.document != nil && d == g.document.Root || module {
		return fmt.Sprintf("%s is a hook for kzrt, not for applications (use %s).", method, use)
	}
	return fmt.Sprintf("%s is a hook for kzrt and for the generated packages that share this type, not for applications (use %s).", method, use)
}

// encodeMethod names the method that appends a value of the declared type
// d to an encoder.
func (g *generator) encodeMethod(d *model.Type) string {
	if g.isHook(d) {
		return "KzrtEncode"
	}
	return "encode"
}

// validateMethod names the method that records the problems of a value of
// the declared type d in a validator.
func (g *generator) validateMethod(d *model.Type) string {
	if g.isHook(d) {
		return "KzrtValidate"
	}
	return "validate"
}

// holdsNode reports whether a value of t is or holds callflow nodes, other
// than through a struct or union, which decodes its own.
func (g *generator) holdsNode(t *model.Type) bool {
	if g.action == nil {
		return false
	}
	return g.holdsNodeSeen(t, map[*model.Schema]bool{})
}

func (g *generator) holdsNodeSeen(t *model.Type, seen map[*model.Schema]bool) bool {
	switch t.Kind {
	case model.Ref:
		root := t.Target.Root
		if t.Target == g.action {
			return true
		}
		if seen[t.Target] || root.Kind == model.Object || root.Kind == model.Union {
			return false
		}
		seen[t.Target] = true
		return g.holdsNodeSeen(root, seen)
	case model.Array:
		return g.holdsNodeSeen(t.Items, seen)
	case model.Map:
		return g.holdsNodeSeen(mapValue(t), seen)
	}
	return false
}

// sortedKeys is the expression listing the keys of map m in order, for
// deterministic output: slices.Sorted(maps.Keys(m)).
func sortedKeys(m *jen.Statement) *jen.Statement {
	return jen.Qual("slices", "Sorted").Call(jen.Qual("maps", "Keys").Call(m))
}

// intLit renders an integer as an untyped constant (5, not int64(5)), which
// converts to the field's type where it is used.
func intLit(i int64) *jen.Statement { return jen.Id(strconv.FormatInt(i, 10)) }
