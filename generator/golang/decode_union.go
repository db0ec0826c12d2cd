package golang

import (
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kzgen/kzgen/generator/model"
)

// emitUnionUnmarshal declares a union's UnmarshalJSON and decode method.
// The decoder looks at the JSON type of the value: an alternative alone
// in accepting that type is decoded straight away; several are tried in
// turn on the same value (kzrt.Alternatives), the first that decodes and
// validates winning, else the first that decodes. Shared properties are
// read first, in a pass of their own. A value no alternative can hold is
// reported at the union, with Kazoo's code for it (unionCode).
func (g *generator) emitUnionUnmarshal(name string, t *model.Type, shared []field, alts []alternative) {
	kinds, byKind := g.candidates(alts)
	var want []string
	for _, a := range alts {
		want = append(want, describeKind(a.t))
	}
	ambiguous := g.ambiguous(alts) || len(shared) > 0
	g.emitUnmarshalJSON(name, t, "UnmarshalJSON decodes the alternative that fits the JSON value. "+
		"When several could, the first one that is also valid is chosen.")
	g.emitDecodeMethod(name, t, func(grp *jen.Group) {
		grp.Op("*").Id("x").Op("=").Id(name).Values()
		if ambiguous {
			grp.Var().Id("fallback").Func().Params()
		}
		grp.Id("try").Op(":=").Add(dec).Dot("Alternatives").Call()
		grp.Defer().Id("try").Dot("End").Call()
		if len(shared) > 0 {
			g.decodeShared(grp, shared)
		}
		grp.Switch(dec.Clone().Dot("Kind").Call()).BlockFunc(func(sw *jen.Group) {
			for _, k := range kinds {
				sw.Case(kindCase(k)...).BlockFunc(func(body *jen.Group) {
					several := len(byKind[k]) > 1 || len(shared) > 0
					for _, a := range byKind[k] {
						g.decodeAlternative(body, a, several, shared)
					}
				})
			}
		})
		if ambiguous {
			grp.If(jen.Id("fallback").Op("!=").Nil()).Block(
				jen.Id("fallback").Call(),
				jen.Id("try").Dot("Fallback").Call(),
				jen.Return(),
			)
		}
		grp.Id("try").Dot("Fail").Call(jen.Lit(strings.Join(dedupe(want), " or ")), unionCode(t))
	})
}

// decodeAlternative reads the value as alternative a. Alone for its JSON
// type, a is decoded into x and the method returns when it decoded; with
// several
// candidates, the value is decoded into c, kept when valid, remembered as
// the fallback when it is the first that decodes, and the decoder rewound
// for the next candidate.
func (g *generator) decodeAlternative(grp *jen.Group, a alternative, several bool, shared []field) {
	ref := jen.Id("x").Dot(a.goName)
	integer := a.t.Resolve().Kind == model.Integer
	if g.shapeOf(a.t) == shapeRaw {
		grp.Add(ref).Op("=").Add(dec).Dot("Raw").Call()
		grp.Return()
		return
	}
	if !several {
		body := func(b *jen.Group) {
			g.decodeField(b, a.t, ref, nil)
			b.If(jen.Id("try").Dot("Decoded").Call()).Block(jen.Return())
		}
		if integer {
			grp.If(dec.Clone().Dot("IsInteger").Call()).BlockFunc(body)
		} else {
			body(grp)
		}
		return
	}
	assign := jen.Add(ref).Op("=").Op("&").Id("c")
	if g.nilable(a.t) {
		assign = jen.Add(ref).Op("=").Id("c")
	}
	body := func(b *jen.Group) {
		if e, ok := g.decodeExpr(a.t); ok {
			b.Id("c").Op(":=").Add(e)
		} else {
			b.Var().Id("c").Add(g.goType(a.t))
			g.decodeInto(b, a.t, jen.Id("c"), 0)
		}
		b.If(jen.Id("try").Dot("Decoded").Call()).BlockFunc(func(ok *jen.Group) {
			// Shared properties were read from the object already: an
			// alternative that keeps unknown properties drops them.
			for _, f := range shared {
				switch s := g.shapeOf(a.t); {
				case s == shapeStruct && a.t.Resolve().Kind == model.Object:
					ok.Delete(jen.Id("c").Dot("Extra"), jen.Lit(f.Name))
				case s == shapeMap || s == shapeNamed && a.t.Resolve().Kind == model.Map:
					ok.Delete(jen.Id("c"), jen.Lit(f.Name))
				}
			}
			ok.If(jen.Qual(kzrt, "Check").Call(jen.Func().Params(jen.Id("v").Op("*").Qual(kzrt, "Validator")).Block(
				g.checks(a.t, jen.Id("c"), false, 0)...,
			))).Block(assign.Clone(), jen.Return())
			ok.If(jen.Id("fallback").Op("==").Nil()).Block(
				jen.Id("fallback").Op("=").Func().Params().Block(assign.Clone()),
			)
			ok.Id("try").Dot("Rewind").Call()
		})
	}
	if integer {
		grp.If(dec.Clone().Dot("IsInteger").Call()).BlockFunc(body)
	} else {
		grp.BlockFunc(body) // each alternative declares its own c
	}
}

// decodeShared reads the shared properties of a union in a first pass
// over its object, skipping the rest, then rewinds the decoder for the
// alternatives.
func (g *generator) decodeShared(grp *jen.Group, shared []field) {
	grp.If(dec.Clone().Dot("OpenObject").Call()).Block(
		jen.For(dec.Clone().Dot("NextMember").Call()).Block(
			jen.Switch(jen.String().Call(dec.Clone().Dot("Key").Call())).BlockFunc(func(sw *jen.Group) {
				for _, f := range shared {
					sw.Case(jen.Lit(f.Name)).BlockFunc(func(c *jen.Group) {
						g.decodeField(c, f.Type, jen.Id("x").Dot(f.goName), nil)
					})
				}
				sw.Default().Block(dec.Clone().Dot("Skip").Call())
			}),
		),
	)
	grp.If(dec.Clone().Dot("Failed").Call()).Block(jen.Return())
	grp.Id("try").Dot("Restart").Call()
}
