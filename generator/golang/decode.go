package golang

import (
	"github.com/dave/jennifer/jen"

	"github.com/kzgen/kzgen/generator/model"
)

// This file emits decoding: for every declared type, a method that reads
// its JSON from a kzrt.Decoder in one pass, token by token, without
// reflection (decode, or the KzrtDecode hook of module data), and
// UnmarshalJSON on top of it. Unions have their own part in
// decode_union.go.

// dec is the decoder every generated decode method receives.
var dec = jen.Id("d")

// decodeMethod names the method that reads a value of the declared type d
// from a decoder.
func (g *generator) decodeMethod(d *model.Type) string {
	if g.isHook(d) {
		return "KzrtDecode"
	}
	return "decode"
}

// decoderParam is the parameter list of a decode method.
func decoderParam() *jen.Statement {
	return jen.Id("d").Op("*").Qual(kzrt, "Decoder")
}

// unmarshaler is what runs a decode method on bytes: the package's module
// registry in a callflow package, whose trees it types, else kzrt.
func (g *generator) unmarshaler() *jen.Statement {
	if g.action != nil {
		return jen.Id("modules").Dot("Unmarshal")
	}
	return jen.Qual(kzrt, "Unmarshal")
}

// emitUnmarshalJSON declares UnmarshalJSON for the type name, on top of
// its decode method, with the given doc comment.
func (g *generator) emitUnmarshalJSON(name string, t *model.Type, doc string) {
	g.comment(doc)
	g.file.Func().Params(jen.Id("x").Op("*").Id(name)).Id("UnmarshalJSON").Params(jen.Id("data").Index().Byte()).Error().Block(
		jen.Return(g.unmarshaler().Call(jen.Id("data"), jen.Id("x").Dot(g.decodeMethod(t)))),
	)
}

// emitDecodeMethod declares the decode method of the type name, with the
// doc comment of a hook or of an internal method.
func (g *generator) emitDecodeMethod(name string, t *model.Type, body func(*jen.Group)) {
	method := g.decodeMethod(t)
	if g.isHook(t) {
		g.comment(g.hookDoc(method, t, "UnmarshalJSON"))
	} else {
		g.comment(method + " reads x from d, replacing what it held.")
	}
	g.file.Func().Params(jen.Id("x").Op("*").Id(name)).Id(method).Params(decoderParam()).BlockFunc(body)
}

// emitStructUnmarshal declares a struct's UnmarshalJSON and decode method:
// one case per property, unknown properties kept in Extra.
func (g *generator) emitStructUnmarshal(name string, t *model.Type, fields []field) {
	g.emitUnmarshalJSON(name, t, "UnmarshalJSON decodes a JSON object as Kazoo reads it: the first copy of a "+
		"repeated property counts, and a number its field cannot hold (beyond int64 or float64, or 20.0 or 2e1 "+
		"for an integer) "+
		"goes to Extra, with the field left nil. Validate checks the constraints.")
	g.emitDecodeMethod(name, t, func(grp *jen.Group) {
		grp.Op("*").Id("x").Op("=").Id(name).Values()
		grp.If(jen.Op("!").Add(dec).Dot("OpenObject").Call()).Block(jen.Return())
		grp.For(dec.Clone().Dot("NextMember").Call()).Block(
			jen.Switch(jen.String().Call(dec.Clone().Dot("Key").Call())).BlockFunc(func(sw *jen.Group) {
				for _, f := range fields {
					sw.Case(jen.Lit(f.Name)).BlockFunc(func(c *jen.Group) {
						g.decodeField(c, f.Type, jen.Id("x").Dot(f.goName), jen.Id("x").Dot("Extra"))
					})
				}
				sw.Default().Block(dec.Clone().Dot("Extra").Call(jen.Op("&").Id("x").Dot("Extra")))
			}),
		)
	})
}

// emitNamedDecode declares UnmarshalJSON and the decode method of a named
// map, list, scalar or enum type: they read the underlying value.
func (g *generator) emitNamedDecode(name string, t *model.Type) {
	g.emitUnmarshalJSON(name, t, "UnmarshalJSON decodes JSON into x. A value of the wrong JSON type "+
		"(null items included) is an error naming its JSON pointer; constraints are checked by Validate.")
	g.emitDecodeMethod(name, t, func(grp *jen.Group) {
		if t.Kind == model.String && len(t.Enum) > 0 {
			grp.Op("*").Id("x").Op("=").Id(name).Call(dec.Clone().Dot("String").Call())
			return
		}
		underlying := *t
		if e, ok := g.decodeExpr(&underlying); ok {
			grp.Op("*").Id("x").Op("=").Id(name).Call(e)
			return
		}
		grp.Var().Id("c").Add(g.underlying(t))
		g.decodeInto(grp, &underlying, jen.Id("c"), 0)
		grp.Op("*").Id("x").Op("=").Id(name).Call(jen.Id("c"))
	})
}

// isNode reports whether t is a callflow node (kzrt's Node).
func (g *generator) isNode(t *model.Type) bool {
	return g.action != nil && g.decl(t) == g.action.Root
}

// decodeExpr is an expression reading the next value of t, for the types
// that have one: scalars, enums and raw JSON.
func (g *generator) decodeExpr(t *model.Type) (*jen.Statement, bool) {
	switch g.shapeOf(t) {
	case shapeEnum:
		return jen.Id(g.typeName[g.decl(t)]).Call(dec.Clone().Dot("String").Call()), true
	case shapeBool:
		return dec.Clone().Dot("Bool").Call(), true
	case shapeInt:
		return dec.Clone().Dot("Int").Call(), true
	case shapeFloat:
		return dec.Clone().Dot("Float").Call(), true
	case shapeString:
		return dec.Clone().Dot("String").Call(), true
	case shapeRaw:
		return dec.Clone().Dot("Raw").Call(), true
	}
	return nil, false
}

// decodeField writes the statements reading the next value into dst, a
// struct field or union alternative holding t (a pointer unless t is
// nilable, see fieldType). With extra (the struct's Extra), a number its
// field cannot hold is kept there instead.
func (g *generator) decodeField(grp *jen.Group, t *model.Type, dst, extra *jen.Statement) {
	switch s := g.shapeOf(t); {
	case extra != nil && s == shapeInt:
		grp.Add(dst).Op("=").Add(dec).Dot("IntOrKeep").Call(jen.Op("&").Add(extra))
	case extra != nil && s == shapeFloat:
		grp.Add(dst).Op("=").Add(dec).Dot("FloatOrKeep").Call(jen.Op("&").Add(extra))
	case g.isNode(t):
		grp.Add(dst).Op("=").Add(dec).Dot("Node").Call()
	case s == shapeSlice || s == shapeMap:
		g.decodeInto(grp, t, dst, 0)
	default:
		if e, ok := g.decodeExpr(t); ok {
			if g.nilable(t) {
				grp.Add(dst).Op("=").Add(e)
			} else {
				grp.Add(dst).Op("=").New(e)
			}
			return
		}
		// A generated struct, union or named type: its own method.
		if !g.nilable(t) {
			grp.Add(dst).Op("=").New(g.goType(t))
		}
		grp.Add(dst).Dot(g.decodeMethod(g.decl(t))).Call(dec)
	}
}

// decodeInto writes the statements reading the next value into dst, a
// variable of t's Go type (not a pointer).
func (g *generator) decodeInto(grp *jen.Group, t *model.Type, dst *jen.Statement, depth int) {
	if e, ok := g.decodeExpr(t); ok {
		grp.Add(dst).Op("=").Add(e)
		return
	}
	switch g.shapeOf(t) {
	case shapeSlice:
		grp.If(dec.Clone().Dot("OpenArray").Call()).BlockFunc(func(body *jen.Group) {
			// An empty list decodes to an empty slice, not nil (absent).
			body.Add(dst).Op("=").Add(g.goType(t)).Values()
			body.For(dec.Clone().Dot("NextElem").Call()).BlockFunc(func(elem *jen.Group) {
				g.decodeItem(elem, t.Resolve().Items, depth, func(item jen.Code) jen.Code {
					return jen.Add(dst).Op("=").Append(dst, item)
				})
			})
		})
	case shapeMap:
		k := loopVar("k", depth)
		grp.If(dec.Clone().Dot("OpenObject").Call()).BlockFunc(func(body *jen.Group) {
			body.Add(dst).Op("=").Add(g.goType(t)).Values()
			body.For(dec.Clone().Dot("NextMember").Call()).BlockFunc(func(member *jen.Group) {
				member.Id(k).Op(":=").String().Call(dec.Clone().Dot("Key").Call())
				g.decodeItem(member, mapValue(t.Resolve()), depth, func(item jen.Code) jen.Code {
					return jen.Add(dst).Index(jen.Id(k)).Op("=").Add(item)
				})
			})
		})
	default:
		if g.isNode(t) {
			// Nodes are held by pointer; a list or map of values is rare.
			grp.If(jen.Id("n").Op(":=").Add(dec).Dot("Node").Call(), jen.Id("n").Op("!=").Nil()).Block(
				jen.Add(dst).Op("=").Op("*").Id("n"))
			return
		}
		grp.Add(dst).Dot(g.decodeMethod(g.decl(t))).Call(dec)
	}
}

// decodeItem reads one list item or map value of t and stores it with
// store, which gets the value's expression.
func (g *generator) decodeItem(grp *jen.Group, t *model.Type, depth int, store func(jen.Code) jen.Code) {
	if e, ok := g.decodeExpr(t); ok {
		grp.Add(store(e))
		return
	}
	if g.isNode(t) {
		grp.If(jen.Id("n").Op(":=").Add(dec).Dot("Node").Call(), jen.Id("n").Op("!=").Nil()).Block(
			store(jen.Op("*").Id("n")))
		return
	}
	item := loopVar("item", depth)
	grp.Var().Id(item).Add(g.goType(t))
	g.decodeInto(grp, t, jen.Id(item), depth+1)
	grp.Add(store(jen.Id(item)))
}

// unmarshalCall is an expression decoding data, raw JSON, into c, a
// variable of t's Go type, whose value is the error (nil or a
// *kzrt.DecodeError): for values held as raw JSON that validation decodes
// to check them, and for union alternatives checked again. With c nil,
// the value is decoded only to check its JSON shape.
func (g *generator) unmarshalCall(t *model.Type, data, c *jen.Statement) *jen.Statement {
	target := c
	if c == nil {
		target = jen.New(g.goType(t))
	}
	if d := g.decl(t); d != nil && !g.isNode(t) && (g.shapeOf(t) == shapeStruct || g.shapeOf(t) == shapeNamed) {
		return g.unmarshaler().Call(data, target.Dot(g.decodeMethod(d)))
	}
	if e, ok := g.decodeExpr(t); ok && c != nil {
		read := jen.Parens(jen.Op("*").Qual(kzrt, "Decoder")).Dot(map[shape]string{shapeBool: "Bool", shapeInt: "Int",
			shapeFloat: "Float", shapeString: "String", shapeRaw: "Raw"}[g.shapeOf(t)])
		if g.shapeOf(t) == shapeEnum {
			read = jen.Func().Params(decoderParam()).Add(g.goType(t)).Block(jen.Return(e))
		}
		return jen.Qual(kzrt, "UnmarshalValue").Call(data, jen.Op("&").Add(c), read)
	}
	return g.unmarshaler().Call(data, jen.Func().Params(decoderParam()).BlockFunc(func(grp *jen.Group) {
		if c != nil {
			g.decodeInto(grp, t, c, 0)
			return
		}
		if e, ok := g.decodeExpr(t); ok {
			if g.shapeOf(t) == shapeEnum {
				e = dec.Clone().Dot("String").Call()
			}
			grp.Add(e) // a scalar, read and dropped
			return
		}
		grp.Var().Id("c").Add(g.goType(t))
		g.decodeInto(grp, t, jen.Id("c"), 0)
	}))
}

// ---------------------------------------------------------------- numbers kept in Extra

// keptNumberCheck returns the statements run for field f when it is nil,
// in the validate method of x's struct: the checks of a number kept in
// Extra under f's name because the field cannot hold it (an integer
// beyond int64, a number beyond float64, a number written with a fraction
// or an exponent where an integer is wanted; see Decoder.IntOrKeep), or
// missing when nothing is kept. Fields that are not numbers get missing
// unchanged; none is returned when there is nothing to do.
func (g *generator) keptNumberCheck(x *jen.Statement, f field, missing []jen.Code) []jen.Code {
	s := g.shapeOf(f.Type)
	if s != shapeInt && s != shapeFloat {
		return missing
	}
	t := f.Type.Resolve()
	rule := jen.Dict{}
	if s == shapeInt {
		rule[jen.Id("Integer")] = jen.True()
	}
	if t.Minimum != nil {
		rule[jen.Id("Min")] = jen.Lit(t.Minimum.RatString())
		if t.ExclusiveMinimum {
			rule[jen.Id("ExclusiveMin")] = jen.True()
		}
	}
	if t.Maximum != nil {
		rule[jen.Id("Max")] = jen.Lit(t.Maximum.RatString())
		if t.ExclusiveMaximum {
			rule[jen.Id("ExclusiveMax")] = jen.True()
		}
	}
	if enum := g.enumOf(f.Type); len(enum) > 0 {
		rule[jen.Id("Enum")] = jen.Lit(enumList(enum))
	}
	var checks []jen.Code
	if len(rule) > 0 {
		checks = append(checks, val.Clone().Dot("KeptNumber").Call(jen.Id("raw"), jen.Qual(kzrt, "NumberRule").Values(rule)))
	}
	entry := x.Clone().Dot("Extra").Index(jen.Lit(f.Name))
	switch {
	case len(checks) == 0 && len(missing) == 0:
		return nil // any number is valid, and so is none
	case len(checks) == 0:
		return []jen.Code{jen.If(jen.List(jen.Id("_"), jen.Id("kept")).Op(":=").Add(entry), jen.Op("!").Id("kept")).Block(missing...)}
	}
	body := append([]jen.Code{val.Clone().Dot("Push").Call(jen.Lit(f.Name))}, checks...)
	body = append(body, val.Clone().Dot("Pop").Call())
	stmt := jen.If(jen.List(jen.Id("raw"), jen.Id("kept")).Op(":=").Add(entry), jen.Id("kept")).Block(body...)
	if len(missing) > 0 {
		stmt = stmt.Else().Block(missing...)
	}
	return []jen.Code{stmt}
}
