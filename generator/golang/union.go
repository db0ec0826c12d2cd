package golang

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kzgen/kzgen/generator/model"
)

// alternative is one variant of a union as generated.
type alternative struct {
	goName string
	t      *model.Type
}

func (g *generator) unionParts(t *model.Type) ([]field, []alternative) {
	used := nameSet{}
	for _, r := range reservedNames {
		used[r] = true
	}
	var shared []field
	if t.Shared != nil {
		for _, f := range t.Shared.Fields {
			shared = append(shared, field{goName: used.claim(identifier(f.Name)), Field: f})
		}
	}
	labels := variantLabels(t)
	alts := make([]alternative, len(t.Variants))
	for i, v := range t.Variants {
		alts[i] = alternative{goName: used.claim(labels[i]), t: v}
	}
	return shared, alts
}

// emitUnion declares a struct with one field per alternative; exactly one
// is set. Properties declared beside the alternatives (Shared) are fields
// too, merged into the same JSON object.
func (g *generator) emitUnion(name string, t *model.Type) {
	if g.disc[t] != nil {
		g.emitDiscriminated(name, t)
		return
	}
	shared, alts := g.unionParts(t)
	rule := "at least one of"
	if t.OneOf {
		rule = "exactly one of"
	}
	var labels []string
	for _, a := range alts {
		labels = append(labels, a.goName)
	}
	g.comment(fmt.Sprintf("%s is a value matching %s several alternatives, at %s. Set exactly one of its fields %s.",
		name, rule, location(t), strings.Join(labels, ", ")), sentence(t.Doc), facts(t))
	g.file.Type().Id(name).StructFunc(func(grp *jen.Group) {
		for _, f := range shared {
			g.fieldDecl(grp, f)
		}
		for _, a := range alts {
			doc := sentence(a.t.Doc)
			if doc == "" {
				doc = fmt.Sprintf("%s holds the value when it is %s.", a.goName, withArticle(describeKind(a.t)))
			}
			groupComment(grp, doc, facts(a.t))
			grp.Id(a.goName).Add(g.fieldType(a.t))
		}
	})
	// encodeAlternative writes the alternative that is set; with shared
	// properties, encode adds them to the object it wrote.
	alternative := jen.Switch().BlockFunc(func(grp *jen.Group) {
		for _, a := range alts {
			ref := jen.Id("x").Dot(a.goName)
			grp.Case(ref.Clone().Op("!=").Nil()).BlockFunc(func(body *jen.Group) {
				g.encodeValueP(body, a.t, ref, !g.nilable(a.t), 0)
			})
		}
		grp.Default().Block(
			enc.Clone().Dot("Fail").Call(jen.Qual("errors", "New").Call(jen.Lit(name+": no alternative is set"))),
			enc.Clone().Dot("Null").Call(),
		)
	})
	if len(shared) == 0 {
		g.emitMarshalJSON(name, t, true, ": the alternative that is set")
		g.file.Func().Params(jen.Id("x").Op("*").Id(name)).Id(g.encodeMethod(t)).Params(jen.Id("e").Op("*").Qual(kzrt, "Encoder")).Block(alternative)
	} else {
		g.emitMarshalJSON(name, t, true, ": the alternative that is set, with the shared properties")
		g.file.Func().Params(jen.Id("x").Op("*").Id(name)).Id(g.encodeMethod(t)).Params(jen.Id("e").Op("*").Qual(kzrt, "Encoder")).BlockFunc(func(grp *jen.Group) {
			grp.Id("x").Dot("encodeAlternative").Call(enc)
			grp.If(enc.Clone().Dot("ReopenObject").Call()).BlockFunc(func(body *jen.Group) {
				g.encodeFields(body, jen.Id("x"), shared)
				body.Add(enc).Dot("CloseObject").Call()
			})
		})
		g.comment("encodeAlternative appends the alternative that is set to e.")
		g.file.Func().Params(jen.Id("x").Op("*").Id(name)).Id("encodeAlternative").Params(jen.Id("e").Op("*").Qual(kzrt, "Encoder")).Block(alternative)
	}
	g.emitUnionUnmarshal(name, t, shared, alts)
	g.emitValidate(name, t, true, func(grp *jen.Group) {
		g.unionChecks(grp, name, t, shared, alts)
	})
}

func describeKind(t *model.Type) string {
	t = t.Resolve()
	switch t.Kind {
	case model.Bool:
		return "boolean"
	case model.Integer:
		return "integer"
	case model.Number:
		return "number"
	case model.String:
		return "string"
	case model.Array:
		return "list"
	case model.Object, model.Map:
		return "JSON object"
	}
	return "JSON value"
}

func withArticle(noun string) string {
	if strings.IndexByte("aeiou", noun[0]) >= 0 {
		return "an " + noun
	}
	return "a " + noun
}

// kindCase maps a JSON kind to the bytes kzrt.Kind returns for it.
func kindCase(k byte) []jen.Code {
	if k == 't' {
		return []jen.Code{jen.LitRune('t'), jen.LitRune('f')}
	}
	return []jen.Code{jen.LitRune(rune(k))}
}

// candidates groups alternatives by the JSON kinds they accept, in a fixed
// kind order.
func (g *generator) candidates(alts []alternative) (kinds []byte, byKind map[byte][]alternative) {
	byKind = map[byte][]alternative{}
	for _, k := range []byte{'{', '[', '"', 't', '0', 'n'} {
		for _, a := range alts {
			for _, ak := range g.jsonKinds(a.t) {
				if ak == k {
					byKind[k] = append(byKind[k], a)
				}
			}
		}
		if len(byKind[k]) > 0 {
			kinds = append(kinds, k)
		}
	}
	return kinds, byKind
}

// ambiguous reports whether two alternatives accept the same JSON kind, in
// which case only validation can tell them apart.
func (g *generator) ambiguous(alts []alternative) bool {
	_, byKind := g.candidates(alts)
	for _, as := range byKind {
		if len(as) > 1 {
			return true
		}
	}
	return false
}

// unionCode is Kazoo's error code for a value no alternative of t
// accepts: the oneOf or anyOf fails as a whole; for a list of types, the
// declared type does.
func unionCode(t *model.Type) *jen.Statement {
	switch {
	case t.TypeList:
		return code("CodeType")
	case t.OneOf:
		return code("CodeNoneOf")
	}
	return code("CodeNoneOfAny")
}

// describeAlternative names an alternative for messages: "a string", "a
// JSON object (callflows.play)".
func describeAlternative(a alternative) string {
	what := withArticle(describeKind(a.t))
	if a.t.Kind == model.Ref {
		what += " (" + a.t.Target.ID + ")"
	}
	return what
}

// unionChecks validates the shared properties and the chosen alternative
// as Kazoo does. A list of types checks the keywords of the type the value
// has, so its problems are the alternative's own. A oneOf or anyOf is
// judged as a whole: when alternatives overlap, the value is tested
// against every one of them, so that oneOf ("exactly one") and anyOf ("at
// least one") hold as Kazoo's validator sees them; when no alternative
// accepts it, one problem is reported at the union (Kazoo's
// not_one_schema_valid or any_schemas_not_valid), quoting what the
// alternative the value was read as found.
func (g *generator) unionChecks(grp *jen.Group, name string, t *model.Type, shared []field, alts []alternative) {
	if len(shared) > 0 {
		g.structChecks(grp, jen.Id("x"), nil, shared)
	}
	grp.Id("set").Op(":=").Lit(0)
	for _, a := range alts {
		grp.If(jen.Id("x").Dot(a.goName).Op("!=").Nil()).Block(jen.Id("set").Op("++"))
	}
	grp.Switch().Block(
		jen.Case(jen.Id("set").Op("==").Lit(0)).Block(val.Clone().Dot("Report").Call(jen.Lit(""), jen.Lit("no alternative is set")), jen.Return()),
		jen.Case(jen.Id("set").Op(">").Lit(1)).Block(val.Clone().Dot("Report").Call(jen.Lit(""), jen.Lit("more than one alternative is set")), jen.Return()),
	)
	if t.TypeList {
		var cases []jen.Code
		for _, a := range alts {
			ref := jen.Id("x").Dot(a.goName)
			if checks := g.checks(a.t, ref, !g.nilable(a.t), 0); len(checks) > 0 {
				cases = append(cases, jen.Case(ref.Clone().Op("!=").Nil()).Block(checks...))
			}
		}
		if len(cases) > 0 {
			grp.Switch().Block(cases...)
		}
		return
	}
	if g.ambiguous(alts) {
		grp.Var().Id("e").Qual(kzrt, "Encoder")
		encodeAlternative := "encodeAlternative"
		if len(shared) == 0 {
			encodeAlternative = g.encodeMethod(t)
		}
		grp.Id("x").Dot(encodeAlternative).Call(jen.Op("&").Id("e"))
		grp.List(jen.Id("data"), jen.Id("_")).Op(":=").Id("e").Dot("Bytes").Call()
		grp.Id("matches").Op(":=").Lit(0)
		for _, a := range alts {
			if g.shapeOf(a.t) == shapeRaw {
				grp.Id("matches").Op("++")
				continue
			}
			cond := g.unmarshalCall(a.t, jen.Id("data"), jen.Id("c")).Op("==").Nil()
			if a.t.Resolve().Kind == model.Integer {
				cond = jen.Qual(kzrt, "IsInteger").Call(jen.Id("data")).Op("&&").Add(cond)
			}
			grp.Block(
				jen.Var().Id("c").Add(g.goType(a.t)),
				jen.If(cond.Op("&&").Len(val.Clone().Dot("Try").Call(jen.Func().Params(jen.Id("v").Op("*").Qual(kzrt, "Validator")).Block(
					g.checks(a.t, jen.Id("c"), false, 0)...,
				))).Op("==").Lit(0)).Block(jen.Id("matches").Op("++")),
			)
		}
		if t.OneOf {
			grp.If(jen.Id("matches").Op(">").Lit(1)).Block(
				val.Clone().Dot("SeveralOf").Call(jen.Id("matches")),
				jen.Return(),
			)
		}
		grp.If(jen.Id("matches").Op(">").Lit(0)).Block(jen.Return())
	}
	var cases []jen.Code
	for _, a := range alts {
		ref := jen.Id("x").Dot(a.goName)
		checks := g.checks(a.t, ref, !g.nilable(a.t), 0)
		if len(checks) == 0 {
			continue
		}
		cases = append(cases, jen.Case(ref.Clone().Op("!=").Nil()).Block(
			jen.If(
				jen.Id("found").Op(":=").Add(val.Clone().Dot("Try").Call(jen.Func().Params(jen.Id("v").Op("*").Qual(kzrt, "Validator")).Block(checks...))),
				jen.Len(jen.Id("found")).Op(">").Lit(0),
			).Block(val.Clone().Dot("NoneOf").Call(jen.Lit(!t.OneOf), jen.Lit(describeAlternative(a)), jen.Id("found"))),
		))
	}
	if len(cases) > 0 {
		grp.Switch().Block(cases...)
	}
}
