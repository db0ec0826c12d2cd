package golang

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kzgen/kzgen/generator/model"
)

// A discriminated union is a oneOf whose alternatives are told apart by one
// property: each is a "$ref" whose sibling keywords, which Kazoo applies
// and draft-04 ignores, fix the property to one value
// (model.Type.Discriminator). callflows.audio_macro's items are one, on
// "macro": "play" picks callflows.play, "tts" callflows.tts… Its Go form is
// a struct with one pointer per alternative, as for other unions, but the
// alternative is chosen by the property when decoding, the property is
// implied by the alternative when encoding, and an item whose property
// selects no alternative is kept verbatim (Unknown) and reported. Each
// alternative that is an object gets an item builder (PlayMacro(…),
// TTSMacro(…).Voice(…)), and builders of the struct holding such items take
// anything that yields one (the union's Builder interface).

// discUnion is a discriminated union as generated.
type discUnion struct {
	*model.Discriminated
	// cases lists the alternatives, in schema order.
	cases []discCase
	// unknown names the field holding an item no alternative is selected
	// by; method the accessor of the property ("Macro").
	unknown, method string
	// name is the union's Go type, "AudioMacroMacrosItem".
	name string
	// builder names the interface of everything that yields an item,
	// "AudioMacroMacrosItemBuilder"; its one method is named after the
	// union's type.
	builder string
}

// discCase is one alternative of a discriminated union.
type discCase struct {
	model.DiscriminatedCase
	// field is the union's field holding the alternative ("Play").
	field string
	// root is the object the alternative's $ref names; nil when it is no
	// object, in which case there is no item builder.
	root *model.Type
	// ctor and build name the item builder: "PlayMacro", "PlayMacroBuilder".
	ctor, build string
}

// discriminated returns the discriminated view of union t when the
// generated code can give it its own form: every alternative a reference
// to an object that does not name the property itself, and nothing else
// beside the oneOf than the property. Otherwise t is generated as any
// other union.
func discriminated(t *model.Type) *model.Discriminated {
	d := t.Discriminator()
	if d == nil {
		return nil
	}
	if t.Shared != nil {
		if len(t.Shared.Fields) != 1 || t.Shared.Fields[0].Name != d.Property || len(t.Shared.PatternProps) > 0 || t.Shared.Additional != nil {
			return nil
		}
	}
	for _, c := range d.Cases {
		root := c.Variant.Resolve()
		if root.Kind != model.Object || len(c.Variant.Also.Fields) != 1 {
			return nil
		}
		for _, f := range root.Fields {
			if f.Name == d.Property {
				return nil
			}
		}
	}
	return d
}

// nameDiscriminated claims the item builders' names of every
// discriminated union below t; they are constructors, so they are named
// before nested types are.
func (g *generator) nameDiscriminated(t *model.Type, seen map[*model.Type]bool) {
	if seen[t] {
		return
	}
	seen[t] = true
	if t.Kind == model.Union {
		if d := discriminated(t); d != nil {
			u := &discUnion{Discriminated: d}
			_, alts := g.unionParts(t)
			for i, c := range d.Cases {
				dc := discCase{DiscriminatedCase: c, field: alts[i].goName, root: c.Variant.Resolve()}
				dc.ctor = g.names.claim(identifier(c.Value) + goName(d.Property))
				dc.build = g.names.claim(dc.ctor + "Builder")
				u.cases = append(u.cases, dc)
			}
			used := nameSet{}
			for _, a := range alts {
				used[a.goName] = true
			}
			for _, r := range reservedNames {
				used[r] = true
			}
			u.unknown = used.claim("Unknown")
			u.method = used.claim(identifier(d.Property))
			g.disc[t] = u
		}
	}
	for _, c := range children(t) {
		g.nameDiscriminated(c, seen)
	}
}

// nameDiscBuilders names the Builder interfaces, once the unions' own
// names are known.
func (g *generator) nameDiscBuilders() {
	for _, s := range g.schemas() {
		g.forEachType(s.Root, func(t *model.Type) {
			if u := g.disc[t]; u != nil && u.builder == "" {
				u.name = g.typeName[t]
				u.builder = g.names.claim(u.name + "Builder")
			}
		})
	}
}

// forEachType calls fn for t and every type below it, once each.
func (g *generator) forEachType(t *model.Type, fn func(*model.Type)) {
	seen := map[*model.Type]bool{}
	var walk func(*model.Type)
	walk = func(t *model.Type) {
		if seen[t] {
			return
		}
		seen[t] = true
		fn(t)
		for _, c := range children(t) {
			walk(c)
		}
	}
	walk(t)
}

// discBuilder is the Builder interface of the discriminated union a value
// of t is, "" when it is none.
func (g *generator) discBuilder(t *model.Type) string {
	if d := g.decl(t); d != nil && g.disc[d] != nil {
		return g.disc[d].builder
	}
	return ""
}

// propertyType is the Go type of the union's property accessor: the
// shared property's enum type when it has one, else string.
func (g *generator) propertyType(t *model.Type, u *discUnion) *jen.Statement {
	if t.Shared != nil {
		if f := t.Shared.Fields[0]; g.shapeOf(f.Type) == shapeEnum {
			return g.goType(f.Type)
		}
	}
	return jen.String()
}

// emitDiscriminated declares the discriminated union t, named name, with
// its methods and its item builders.
func (g *generator) emitDiscriminated(name string, t *model.Type) {
	u := g.disc[t]
	prop := strconv.Quote(u.Property)
	var values []string
	for _, c := range u.cases {
		values = append(values, fmt.Sprintf("%s (%q)", c.field, c.Value))
	}
	g.comment(fmt.Sprintf("%s is a value at %s that is one of several kinds, told apart by its %s property: "+
		"set exactly one of its fields %s.", name, location(t), prop, strings.Join(values, ", ")),
		sentence(t.Doc),
		fmt.Sprintf("Decoding picks the field by %s and encoding writes it from the field, so the property has no "+
			"field of its own. A value whose %s selects no kind (missing, or another value) is kept in %s, "+
			"and Validate reports it, as Kazoo does. The builders %s make one.",
			prop, prop, u.unknown, g.itemCtorList(u)))
	g.file.Type().Id(name).StructFunc(func(grp *jen.Group) {
		for _, c := range u.cases {
			doc := sentence(c.Variant.Doc)
			if doc == "" {
				doc = fmt.Sprintf("%s holds the value when %s is %q.", c.field, prop, c.Value)
			} else {
				doc = fmt.Sprintf("%s holds the value when %s is %q: %s", c.field, prop, c.Value, lowerSentence(doc))
			}
			groupComment(grp, doc)
			grp.Id(c.field).Add(g.fieldType(c.Variant))
		}
		groupComment(grp, fmt.Sprintf("%s holds a value whose %s selects none of the kinds, verbatim.", u.unknown, prop))
		grp.Id(u.unknown).Qual(jsonPkg, "RawMessage")
	})

	g.emitDiscProperty(name, t, u)
	g.comment(fmt.Sprintf("%s returns *x, so a *%s can be given wherever %s is expected.", name, name, article(u.builder)))
	g.file.Func().Params(jen.Id("x").Op("*").Id(name)).Id(name).Params().Id(name).Block(jen.Return(jen.Op("*").Id("x")))

	g.emitMarshalJSON(name, t, true, fmt.Sprintf(": the kind that is set, with its %s", prop))
	g.file.Func().Params(jen.Id("x").Op("*").Id(name)).Id(g.encodeMethod(t)).Params(jen.Id("e").Op("*").Qual(kzrt, "Encoder")).Block(
		jen.Switch().BlockFunc(func(sw *jen.Group) {
			for _, c := range u.cases {
				ref := jen.Id("x").Dot(c.field)
				sw.Case(ref.Clone().Op("!=").Nil()).BlockFunc(func(body *jen.Group) {
					g.encodeValueP(body, c.Variant, ref, !g.nilable(c.Variant), 0)
					body.If(enc.Clone().Dot("ReopenObject").Call()).Block(
						enc.Clone().Dot("Key").Call(jen.Lit(u.Property)),
						enc.Clone().Dot("String").Call(jen.Lit(c.Value)),
						enc.Clone().Dot("CloseObject").Call(),
					)
				})
			}
			sw.Case(jen.Id("x").Dot(u.unknown).Op("!=").Nil()).Block(enc.Clone().Dot("Raw").Call(jen.Id("x").Dot(u.unknown)))
			sw.Default().Block(
				enc.Clone().Dot("Fail").Call(jen.Qual("errors", "New").Call(jen.Lit(name+": no kind is set"))),
				enc.Clone().Dot("Null").Call(),
			)
		}),
	)

	g.emitDiscUnmarshal(name, t, u)
	g.emitValidate(name, t, true, func(grp *jen.Group) { g.discChecks(grp, name, t, u) })
	g.emitDiscBuilderInterface(name, u)
	for _, c := range u.cases {
		g.emitItemBuilder(name, t, u, c)
	}
}

// article puts "a" or "an" before a Go name: "an AudioMacroMacrosItem".
func article(name string) string {
	if name != "" && strings.ContainsRune("AEIOUaeiou", rune(name[0])) {
		return "an " + name
	}
	return "a " + name
}

// itemCtorList lists the item builders for a doc comment: "PlayMacro,
// ToneMacro…".
func (g *generator) itemCtorList(u *discUnion) string {
	var names []string
	for _, c := range u.cases {
		names = append(names, c.ctor)
	}
	return strings.Join(names, ", ")
}

// emitDiscProperty declares the accessor of the property: the value the
// kind that is set implies, or the one an unknown value has.
func (g *generator) emitDiscProperty(name string, t *model.Type, u *discUnion) {
	typ := g.propertyType(t, u)
	g.comment(fmt.Sprintf("%s returns the value of %q: the one the field that is set stands for, "+
		"the value %s holds when it is a string, else \"\".", u.method, u.Property, u.unknown))
	g.file.Func().Params(jen.Id("x").Op("*").Id(name)).Id(u.method).Params().Add(typ.Clone()).Block(
		jen.Switch().BlockFunc(func(sw *jen.Group) {
			for _, c := range u.cases {
				sw.Case(jen.Id("x").Dot(c.field).Op("!=").Nil()).Block(jen.Return(jen.Lit(c.Value)))
			}
		}),
		jen.Return(typ.Clone().Call(jen.Qual(kzrt, "StringMember").Call(jen.Id("x").Dot(u.unknown), jen.Lit(u.Property)))),
	)
}

// emitDiscUnmarshal decodes the kind the property names, or keeps the
// value in Unknown. A kind's value of the wrong shape, or a value that is
// no object, is an error at the union, as Kazoo reports the oneOf.
func (g *generator) emitDiscUnmarshal(name string, t *model.Type, u *discUnion) {
	g.emitUnmarshalJSON(name, t, fmt.Sprintf("UnmarshalJSON decodes a JSON object as the kind its %q names; "+
		"an object whose %q names none is kept in %s.", u.Property, u.Property, u.unknown))
	g.emitDecodeMethod(name, t, func(grp *jen.Group) {
		grp.Op("*").Id("x").Op("=").Id(name).Values()
		grp.Id("try").Op(":=").Add(dec).Dot("Alternatives").Call()
		grp.Defer().Id("try").Dot("End").Call()
		grp.Switch(jen.String().Call(dec.Clone().Dot("PeekString").Call(jen.Lit(u.Property)))).BlockFunc(func(sw *jen.Group) {
			for _, c := range u.cases {
				sw.Case(jen.Lit(c.Value)).BlockFunc(func(body *jen.Group) {
					body.Var().Id("c").Add(g.goType(c.Variant))
					// The property is the kind's, not an unknown member of it.
					body.Add(dec).Dot("Implied").Call(jen.Lit(u.Property))
					g.decodeInto(body, c.Variant, jen.Id("c"), 0)
					body.If(jen.Id("try").Dot("Decoded").Call()).Block(
						jen.Id("x").Dot(c.field).Op("=").Op("&").Id("c"),
						jen.Return(),
					)
				})
			}
			sw.Default().Block(
				jen.If(dec.Clone().Dot("Kind").Call().Op("==").LitRune('{')).Block(
					jen.Id("x").Dot(u.unknown).Op("=").Add(dec).Dot("Raw").Call(),
					jen.Return(),
				),
			)
		})
		grp.Id("try").Dot("Fail").Call(jen.Lit("JSON object"), code("CodeNoneOf"))
	})
}

// discChecks validates the kind that is set, reporting its problems as
// Kazoo reports the oneOf: one problem at the union, quoting them. An
// unknown kind gets the property's own checks, then the union's problem.
func (g *generator) discChecks(grp *jen.Group, name string, t *model.Type, u *discUnion) {
	grp.Id("set").Op(":=").Lit(0)
	for _, c := range u.cases {
		grp.If(jen.Id("x").Dot(c.field).Op("!=").Nil()).Block(jen.Id("set").Op("++"))
	}
	grp.If(jen.Id("x").Dot(u.unknown).Op("!=").Nil()).Block(jen.Id("set").Op("++"))
	grp.Switch().Block(
		jen.Case(jen.Id("set").Op("==").Lit(0)).Block(val.Clone().Dot("Report").Call(jen.Lit(""), jen.Lit("no kind is set")), jen.Return()),
		jen.Case(jen.Id("set").Op(">").Lit(1)).Block(val.Clone().Dot("Report").Call(jen.Lit(""), jen.Lit("more than one kind is set")), jen.Return()),
	)
	var kinds []string
	for _, c := range u.cases {
		kinds = append(kinds, strconv.Quote(c.Value))
	}
	grp.Switch().BlockFunc(func(sw *jen.Group) {
		for _, c := range u.cases {
			ref := jen.Id("x").Dot(c.field)
			checks := g.checks(c.Variant, ref, !g.nilable(c.Variant), 0)
			if len(checks) == 0 {
				continue
			}
			what := fmt.Sprintf("a %q %s (%s)", c.Value, u.Property, c.Variant.Target.ID)
			sw.Case(ref.Clone().Op("!=").Nil()).Block(
				jen.If(
					jen.Id("found").Op(":=").Add(val.Clone().Dot("Try").Call(jen.Func().Params(jen.Id("v").Op("*").Qual(kzrt, "Validator")).Block(checks...))),
					jen.Len(jen.Id("found")).Op(">").Lit(0),
				).Block(val.Clone().Dot("NoneOf").Call(jen.False(), jen.Lit(what), jen.Id("found"))),
			)
		}
		sw.Default().BlockFunc(func(body *jen.Group) {
			raw := jen.Id("_")
			if t.Shared != nil {
				raw = jen.Id("raw")
			}
			body.List(raw, jen.Id("found"), jen.Err()).Op(":=").Qual(kzrt, "Member").Call(jen.Id("x").Dot(u.unknown), jen.Lit(u.Property))
			body.If(jen.Err().Op("!=").Nil()).Block(
				val.Clone().Dot("Merge").Call(jen.Qual(kzrt, "AsErrors").Call(jen.Err())),
				jen.Return(),
			)
			// A value with the property selects no kind: each kind's
			// value is fixed. Without it, each kind whose schema accepts
			// the value matches, as Kazoo applies the fixed value only to
			// a property that is there.
			found := []jen.Code{}
			if t.Shared != nil {
				f := t.Shared.Fields[0]
				found = append(found, val.Clone().Dot("Push").Call(jen.Lit(u.Property)))
				found = append(found, g.rawChecks(f.Type, jen.Id("raw"), 0)...)
				found = append(found, val.Clone().Dot("Pop").Call())
			}
			found = append(found,
				val.Clone().Dot("Reportf").Call(code("CodeNoneOf"),
					jen.Lit(fmt.Sprintf("no alternative matches: %s %%q is none of %s", strconv.Quote(u.Property), strings.Join(kinds, ", "))),
					jen.Id("x").Dot(u.method).Call()),
				jen.Return(),
			)
			body.If(jen.Id("found")).Block(found...)
			if t.Shared != nil && !t.Shared.Fields[0].MayOmit() {
				body.Add(val.Clone().Dot("Missing").Call(jen.Lit(u.Property)))
			}
			body.Id("matches").Op(":=").Lit(0)
			for _, c := range u.cases {
				body.Block(
					jen.Var().Id("c").Add(g.goType(c.Variant)),
					jen.If(g.unmarshalCall(c.Variant, jen.Id("x").Dot(u.unknown), jen.Id("c")).Op("==").Nil().Op("&&").
						Len(val.Clone().Dot("Try").Call(jen.Func().Params(jen.Id("v").Op("*").Qual(kzrt, "Validator")).Block(
							g.checks(c.Variant, jen.Id("c"), false, 0)...,
						))).Op("==").Lit(0)).Block(jen.Id("matches").Op("++")),
				)
			}
			body.Switch().Block(
				jen.Case(jen.Id("matches").Op(">").Lit(1)).Block(val.Clone().Dot("SeveralOf").Call(jen.Id("matches"))),
				jen.Case(jen.Id("matches").Op("==").Lit(0)).Block(val.Clone().Dot("Report").Call(code("CodeNoneOf"),
					jen.Lit(fmt.Sprintf("no alternative matches: no %s, and no kind accepts the value", strconv.Quote(u.Property))))),
			)
		})
	})
}

// emitDiscBuilderInterface declares the interface of everything that
// yields an item, and the helper turning a list of them into items.
func (g *generator) emitDiscBuilderInterface(name string, u *discUnion) {
	g.comment(fmt.Sprintf("%s is anything that yields %s: the builders %s, and *%s itself. "+
		"Builders that take such values take it.", u.builder, article(name), g.itemCtorList(u), name))
	g.file.Type().Id(u.builder).Interface(
		jen.Comment(fmt.Sprintf("%s returns the value built.", name)),
		jen.Id(name).Params().Id(name),
	)
	g.comment(fmt.Sprintf("%s builds the values of bs.", lowerFirst(name)+"s"))
	g.file.Func().Id(lowerFirst(name)+"s").Params(jen.Id("bs").Index().Id(u.builder)).Index().Id(name).Block(
		jen.If(jen.Id("bs").Op("==").Nil()).Block(jen.Return(jen.Nil())),
		jen.Id("out").Op(":=").Make(jen.Index().Id(name), jen.Len(jen.Id("bs"))),
		jen.For(jen.List(jen.Id("i"), jen.Id("b")).Op(":=").Range().Id("bs")).Block(
			jen.Id("out").Index(jen.Id("i")).Op("=").Id("b").Dot(name).Call(),
		),
		jen.Return(jen.Id("out")),
	)
}

// emitItemBuilder declares the builder of one kind: a constructor taking
// the kind's required properties, a setter for each other one, and the
// method that yields the union's value.
func (g *generator) emitItemBuilder(name string, t *model.Type, u *discUnion, c discCase) {
	data := g.goType(c.Variant)
	args, setters, durations := g.itemParams(u, c)
	recv := jen.Id("b").Op("*").Id(c.build)
	g.comment(fmt.Sprintf("%s builds %s whose %q is %q; start one with %s. Setters return the builder, so calls chain.",
		c.build, article(name), u.Property, c.Value, c.ctor))
	g.file.Type().Id(c.build).StructFunc(func(grp *jen.Group) {
		grp.Id("data").Add(data.Clone())
		if len(durations) > 0 {
			grp.Comment("problems are what a setter could not store, relative to the item.")
			grp.Id("problems").Qual(kzrt, "Errors")
		}
	})

	params := make([]jen.Code, len(args))
	assigns := jen.Dict{}
	for i, a := range args {
		params[i] = g.paramDecl(a.name, a)
		assigns[jen.Id(a.goName)] = g.paramValue(a, jen.Id(a.name))
	}
	doc := []string{fmt.Sprintf("%s starts %s whose %q is %q.", c.ctor, article(name), u.Property, c.Value)}
	if c.Variant.Doc != "" {
		doc = append(doc, sentence(c.Variant.Doc))
	}
	doc = append(doc, requiredArgs(args))
	g.comment(doc...)
	g.file.Func().Id(c.ctor).Params(params...).Op("*").Id(c.build).Block(
		jen.Return(jen.Op("&").Id(c.build).Values(jen.Dict{jen.Id("data"): data.Clone().Values(assigns)})),
	)
	g.emitItemSetters(c.build, setters, durations, jen.Id("b").Dot("data"))
	if len(durations) > 0 {
		g.comment("builderProblems returns what the setters could not store, relative to the item.")
		g.file.Func().Params(recv.Clone()).Id("builderProblems").Params().Qual(kzrt, "Errors").Block(
			jen.Return(jen.Id("b").Dot("problems")))
	}
	g.comment(fmt.Sprintf("%s returns the value built so far, as a copy: later calls on b do not change it.", name))
	g.file.Func().Params(recv).Id(name).Params().Id(name).Block(
		jen.Id("d").Op(":=").Id("b").Dot("data"),
		jen.Return(jen.Id(name).Values(jen.Dict{jen.Id(c.field): jen.Op("&").Id("d")})),
	)
}
