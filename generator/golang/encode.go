package golang

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/kzgen/kzgen/generator/model"
)

// e and v are the encoder and validator every generated method receives.
var (
	enc = jen.Id("e")
	val = jen.Id("v")
)

func loopVar(name string, depth int) string {
	if depth == 0 {
		return name
	}
	return fmt.Sprintf("%s%d", name, depth+1)
}

// deref reads a value through a pointer field when ptr is set.
func deref(x *jen.Statement, ptr bool) *jen.Statement {
	if ptr {
		return jen.Op("*").Add(x.Clone())
	}
	return x.Clone()
}

// encodeValue writes the statements that encode x, a value of t (or a
// pointer to one when ptr is set).
func (g *generator) encodeValueP(grp *jen.Group, t *model.Type, x *jen.Statement, ptr bool, depth int) {
	switch g.shapeOf(t) {
	case shapeStruct, shapeNamed:
		grp.Add(x.Clone()).Dot(g.encodeMethod(g.decl(t))).Call(enc)
	case shapeEnum:
		grp.Add(enc).Dot("String").Call(jen.String().Call(deref(x, ptr)))
	case shapeBool:
		grp.Add(enc).Dot("Bool").Call(deref(x, ptr))
	case shapeInt:
		grp.Add(enc).Dot("Int").Call(deref(x, ptr))
	case shapeFloat:
		grp.Add(enc).Dot("Float").Call(deref(x, ptr))
	case shapeString:
		grp.Add(enc).Dot("String").Call(deref(x, ptr))
	case shapeRaw:
		grp.Add(enc).Dot("Raw").Call(x.Clone())
	case shapeSlice:
		item := loopVar("item", depth)
		grp.Add(enc).Dot("OpenArray").Call()
		grp.For(jen.List(jen.Id("_"), jen.Id(item)).Op(":=").Range().Add(x.Clone())).BlockFunc(func(body *jen.Group) {
			body.Add(enc).Dot("Elem").Call()
			g.encodeValueP(body, t.Items, jen.Id(item), false, depth+1)
		})
		grp.Add(enc).Dot("CloseArray").Call()
	case shapeMap:
		k, item := loopVar("k", depth), loopVar("item", depth)
		grp.Add(enc).Dot("OpenObject").Call()
		grp.For(jen.List(jen.Id("_"), jen.Id(k)).Op(":=").Range().Add(sortedKeys(x.Clone()))).BlockFunc(func(body *jen.Group) {
			body.Add(enc).Dot("Key").Call(jen.Id(k))
			body.Id(item).Op(":=").Add(x.Clone()).Index(jen.Id(k))
			g.encodeValueP(body, mapValue(t), jen.Id(item), false, depth+1)
		})
		grp.Add(enc).Dot("CloseObject").Call()
	}
}

func (g *generator) encodeValue(grp *jen.Group, t *model.Type, x *jen.Statement, depth int) {
	g.encodeValueP(grp, t, x, false, depth)
}

// encodeFields writes one member per set field, in field order.
func (g *generator) encodeFields(grp *jen.Group, x *jen.Statement, fields []field) {
	for _, f := range fields {
		ref := x.Clone().Dot(f.goName)
		ptr := !g.nilable(f.Type)
		grp.If(ref.Clone().Op("!=").Nil()).BlockFunc(func(body *jen.Group) {
			body.Add(enc).Dot("Key").Call(jen.Lit(f.Name))
			g.encodeValueP(body, f.Type, ref, ptr, 0)
		})
	}
}

// emitMarshalJSON declares MarshalJSON for the type t, named name, with a
// pointer or value receiver, and the doc comment of its encode method,
// which the caller declares next.
func (g *generator) emitMarshalJSON(name string, t *model.Type, ptrReceiver bool, what string) {
	method := g.encodeMethod(t)
	recv := jen.Id("x").Id(name)
	if ptrReceiver {
		recv = jen.Id("x").Op("*").Id(name)
	}
	g.comment(fmt.Sprintf("MarshalJSON encodes x as JSON%s.", what))
	g.file.Func().Params(recv).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Var().Id("e").Qual(kzrt, "Encoder"),
		jen.Id("x").Dot(method).Call(jen.Op("&").Id("e")),
		jen.Return(jen.Id("e").Dot("Bytes").Call()),
	)
	if g.isHook(t) {
		g.comment(g.hookDoc(method, t, "MarshalJSON"))
	} else {
		g.comment(method + " appends x to e as JSON.")
	}
}

func (g *generator) emitStructMarshal(name string, t *model.Type, fields []field) {
	g.emitMarshalJSON(name, t, true, ", with properties in name order")
	g.file.Func().Params(jen.Id("x").Op("*").Id(name)).Id(g.encodeMethod(t)).Params(jen.Id("e").Op("*").Qual(kzrt, "Encoder")).BlockFunc(func(grp *jen.Group) {
		grp.Add(enc).Dot("OpenObject").Call()
		g.encodeFields(grp, jen.Id("x"), fields)
		grp.Add(enc).Dot("Extra").Call(jen.Id("x").Dot("Extra"))
		grp.Add(enc).Dot("CloseObject").Call()
	})
}

// ---------------------------------------------------------------- defaults

// defaultLiteral renders a scalar default as a Go constant expression.
func (g *generator) defaultLiteral(t *model.Type) (*jen.Statement, bool) {
	if t.Default == nil {
		return nil, false
	}
	v, ok := decodeDefault(t.Default)
	if !ok {
		return nil, false
	}
	return g.scalarLiteral(t, v)
}

func decodeDefault(raw []byte) (any, bool) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	return v, true
}

// scalarLiteral renders a decoded JSON value as a Go constant of t's type.
func (g *generator) scalarLiteral(t *model.Type, v any) (*jen.Statement, bool) {
	switch g.shapeOf(t) {
	case shapeBool:
		if b, ok := v.(bool); ok {
			return jen.Lit(b), true
		}
	case shapeInt:
		if n, ok := v.(json.Number); ok {
			if i, err := n.Int64(); err == nil {
				return intLit(i), true
			}
		}
	case shapeFloat:
		if n, ok := v.(json.Number); ok {
			if f, err := n.Float64(); err == nil {
				return jen.Lit(f), true
			}
		}
	case shapeString:
		if s, ok := v.(string); ok {
			return jen.Lit(s), true
		}
	case shapeEnum:
		if s, ok := v.(string); ok {
			d := g.decl(t)
			if c, ok := g.enumConst[d][s]; ok {
				return jen.Id(c), true
			}
			return jen.Id(g.typeName[d]).Call(jen.Lit(s)), true
		}
	}
	return nil, false
}

// listLiteral renders a list default whose items are scalars as a slice
// literal ([]string{"1", "2"}).
func (g *generator) listLiteral(t *model.Type) (*jen.Statement, bool) {
	if t.Default == nil || g.shapeOf(t) != shapeSlice {
		return nil, false
	}
	v, ok := decodeDefault(t.Default)
	items, isList := v.([]any)
	if !ok || !isList {
		return nil, false
	}
	itemType := t.Resolve().Items
	lits := make([]jen.Code, len(items))
	for i, item := range items {
		lit, ok := g.scalarLiteral(itemType, item)
		if !ok {
			return nil, false
		}
		lits[i] = lit
	}
	return g.goType(t).Values(lits...), true
}

// defaultFits reports whether a non-scalar default has the JSON shape of
// its type, so decoding it at run time succeeds.
func (g *generator) defaultFits(t *model.Type) bool {
	kinds := g.jsonKinds(t)
	k := jsonKindOf(t.Default)
	for _, c := range kinds {
		if c == k {
			return true
		}
	}
	return false
}

func jsonKindOf(raw []byte) byte {
	for _, c := range raw {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '{', '[', '"', 'n':
			return c
		case 't', 'f':
			return 't'
		default:
			return '0'
		}
	}
	return 0
}

// jsonKinds lists the JSON kinds (first bytes, booleans as 't', numbers as
// '0') a value of t may have.
func (g *generator) jsonKinds(t *model.Type) []byte {
	t = t.Resolve()
	switch t.Kind {
	case model.Bool:
		return []byte{'t'}
	case model.Integer, model.Number:
		return []byte{'0'}
	case model.String:
		return []byte{'"'}
	case model.Array:
		return []byte{'['}
	case model.Object, model.Map:
		return []byte{'{'}
	case model.Union:
		var out []byte
		seen := map[byte]bool{}
		for _, v := range t.Variants {
			for _, k := range g.jsonKinds(v) {
				if !seen[k] {
					seen[k] = true
					out = append(out, k)
				}
			}
		}
		return out
	}
	return []byte{'{', '[', '"', 't', '0', 'n'}
}
