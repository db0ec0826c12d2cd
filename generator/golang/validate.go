package golang

import (
	"fmt"
	"maps"
	"math/big"
	"slices"
	"strconv"

	"github.com/dave/jennifer/jen"

	"github.com/kzgen/kzgen/generator/model"
)

// emitValidate declares Validate and the validate method that nests for
// the type t, named name, with pointer or value receivers.
func (g *generator) emitValidate(name string, t *model.Type, ptrReceiver bool, body func(*jen.Group)) {
	recv := jen.Id("x").Id(name)
	if ptrReceiver {
		recv = jen.Id("x").Op("*").Id(name)
	}
	method := g.validateMethod(t)
	g.comment("Validate checks x against its schema; it returns kzrt.Errors or nil.")
	g.file.Func().Params(recv.Clone()).Id("Validate").Params().Error().Block(
		jen.Var().Id("v").Qual(kzrt, "Validator"),
		jen.Id("x").Dot(method).Call(jen.Op("&").Id("v")),
		jen.Return(jen.Id("v").Dot("Err").Call()),
	)
	if g.isHook(t) {
		g.comment(g.hookDoc(method, t, "Validate"))
	} else {
		g.comment(method + " records every problem of x in v, at v's current location.")
	}
	g.file.Func().Params(recv).Id(method).Params(jen.Id("v").Op("*").Qual(kzrt, "Validator")).BlockFunc(body)
}

// structChecks validates every field of an object.
func (g *generator) structChecks(grp *jen.Group, x *jen.Statement, t *model.Type, fields []field) {
	if g.document != nil && t == g.document.Root {
		g.documentChecks(grp, x, fields)
	}
	for _, f := range fields {
		ref := x.Clone().Dot(f.goName)
		checks := g.checks(f.Type, ref, !g.nilable(f.Type), 0)
		inner := append([]jen.Code{val.Clone().Dot("Push").Call(jen.Lit(f.Name))}, checks...)
		inner = append(inner, val.Clone().Dot("Pop").Call())
		// What a missing property is: a problem when it is required and
		// has no default; else the default, which Kazoo fills in and
		// checks, a problem only when it breaks its own schema. A number
		// its field cannot hold is kept in Extra (decode.go) and checked
		// there instead.
		var missing []jen.Code
		if !f.MayOmit() {
			missing = []jen.Code{val.Clone().Dot("Missing").Call(jen.Lit(f.Name))}
		} else {
			missing = g.defaultChecks(f.Name, f.Type)
		}
		absent := g.keptNumberCheck(x, f, missing)
		switch {
		case len(absent) > 0 && len(checks) > 0:
			grp.If(ref.Clone().Op("==").Nil()).Block(absent...).Else().Block(inner...)
		case len(absent) > 0:
			grp.If(ref.Clone().Op("==").Nil()).Block(absent...)
		case len(checks) > 0:
			grp.If(ref.Clone().Op("!=").Nil()).Block(inner...)
		}
	}
	if t == nil {
		return
	}
	// Properties the struct does not name are kept raw in Extra; those the
	// schema still constrains (patternProperties, additionalProperties)
	// are checked here.
	if body := g.rawMemberChecks(t, jen.Id("k"), x.Clone().Dot("Extra").Index(jen.Id("k")), true, 0); len(body) > 0 {
		loop := append([]jen.Code{val.Clone().Dot("Push").Call(jen.Id("k"))}, body...)
		loop = append(loop, val.Clone().Dot("Pop").Call())
		grp.For(jen.List(jen.Id("_"), jen.Id("k")).Op(":=").Range().Add(sortedKeys(x.Clone().Dot("Extra")))).Block(loop...)
	}
}

// rawMemberChecks validates raw, the JSON of member k of an object of
// type t that is held as raw JSON: against the schema of every pattern k
// matches, else against additionalProperties; unknown reports a member no
// schema allows.
func (g *generator) rawMemberChecks(t *model.Type, k, raw *jen.Statement, unknown bool, depth int) []jen.Code {
	var rest []jen.Code
	switch {
	case t.Additional != nil:
		rest = g.rawChecks(t.Additional, raw, depth)
	case t.NoAdditional && unknown:
		rest = []jen.Code{val.Clone().Dot("Report").Call(code("CodeAdditional"), jen.Lit("property is not allowed"))}
	}
	if len(t.PatternProps) == 0 {
		return rest
	}
	var out []jen.Code
	matched := loopVar("matched", depth)
	if len(rest) > 0 {
		out = append(out, jen.Id(matched).Op(":=").False())
	}
	for i, p := range t.PatternProps {
		var body []jen.Code
		if len(rest) > 0 {
			body = append(body, jen.Id(matched).Op("=").True())
		}
		body = append(body, g.rawChecks(p.Type, raw, depth)...)
		if len(body) > 0 {
			out = append(out, jen.If(jen.Id(g.patternVar(t, i)).Dot("MatchString").Call(k.Clone())).Block(body...))
		}
	}
	if len(rest) > 0 {
		out = append(out, jen.If(jen.Op("!").Id(matched)).Block(rest...))
	}
	return out
}

// rawChecks decodes raw JSON into a value of t and validates it; a value
// of the wrong JSON type is a problem.
func (g *generator) rawChecks(t *model.Type, raw *jen.Statement, depth int) []jen.Code {
	if g.shapeOf(t) == shapeRaw {
		return nil // any JSON value
	}
	c := loopVar("c", depth)
	decode := val.Clone().Dot("Decoded").Call(g.unmarshalCall(t, raw, jen.Id(c)))
	checks := g.checks(t, jen.Id(c), false, depth+1)
	// Kazoo checks "enum" whatever the value's type: a value of the wrong
	// type is outside the enum too.
	var notDecoded []jen.Code
	if enum := g.enumOf(t); len(enum) > 0 {
		notDecoded = []jen.Code{val.Clone().Dot("Enum").Call(jen.String().Call(raw.Clone()), jen.Lit(enumList(enum)))}
	}
	switch {
	case len(checks) == 0 && len(notDecoded) == 0:
		return []jen.Code{val.Clone().Dot("Decoded").Call(g.unmarshalCall(t, raw, nil))}
	case len(notDecoded) == 0:
		return []jen.Code{jen.Block(jen.Var().Id(c).Add(g.goType(t)), jen.If(decode).Block(checks...))}
	case len(checks) == 0:
		return []jen.Code{jen.Block(jen.Var().Id(c).Add(g.goType(t)), jen.If(jen.Op("!").Add(decode)).Block(notDecoded...))}
	}
	return []jen.Code{jen.Block(jen.Var().Id(c).Add(g.goType(t)), jen.If(decode).Block(checks...).Else().Block(notDecoded...))}
}

// enumOf is the enumeration a value of t is checked against: its own, or
// that of the enum type it is declared with.
func (g *generator) enumOf(t *model.Type) []any {
	if len(t.Enum) > 0 {
		return t.Enum
	}
	if d := g.decl(t); d != nil {
		return d.Enum
	}
	return nil
}

// valueChecks validates x, a value of t.
func (g *generator) valueChecks(grp *jen.Group, t *model.Type, x *jen.Statement, depth int) {
	for _, c := range g.checks(t, x, false, depth) {
		grp.Add(c)
	}
}

// checks returns the statements validating x, a value of t or, when ptr
// is set, a non-nil pointer to one.
func (g *generator) checks(t *model.Type, x *jen.Statement, ptr bool, depth int) []jen.Code {
	var out []jen.Code
	switch g.shapeOf(t) {
	case shapeStruct, shapeNamed:
		return []jen.Code{x.Clone().Dot(g.validateMethod(g.decl(t))).Call(val)}
	case shapeEnum:
		d := g.decl(t)
		return []jen.Code{jen.If(jen.Op("!").Add(x.Clone()).Dot("Valid").Call()).Block(
			val.Clone().Dot("Enum").Call(jen.String().Call(deref(x, ptr)), jen.Lit(enumList(d.Enum))),
		)}
	case shapeString:
		v := deref(x, ptr)
		if t.MinLength >= 0 || t.MaxLength >= 0 {
			out = append(out, val.Clone().Dot("Length").Call(v.Clone(), jen.Lit(t.MinLength), jen.Lit(t.MaxLength)))
		}
		if t.Pattern != "" {
			source := t.PatternSource
			if source == "" {
				source = t.Pattern
			}
			out = append(out, val.Clone().Dot("Pattern").Call(v.Clone(), jen.Id(g.patternVar(t, -1)), jen.Lit(source)))
		}
		if t.Format != "" && model.FormatChecked(t.Format) {
			out = append(out, val.Clone().Dot("Format").Call(v.Clone(), jen.Lit(t.Format)))
		}
		if t.Check == model.CheckClientURL {
			out = append(out, val.Clone().Dot("ClientURL").Call(v.Clone()))
		}
		out = append(out, g.inlineEnum(t, v)...)
	case shapeInt, shapeFloat:
		v := deref(x, ptr)
		out = append(out, g.bound(t, v, t.Minimum, t.ExclusiveMinimum, true)...)
		out = append(out, g.bound(t, v, t.Maximum, t.ExclusiveMaximum, false)...)
		out = append(out, g.inlineEnum(t, v)...)
	case shapeBool:
		out = append(out, g.inlineEnum(t, deref(x, ptr))...)
	case shapeSlice:
		if t.MinItems >= 0 || t.MaxItems >= 0 {
			out = append(out, val.Clone().Dot("Items").Call(jen.Len(x.Clone()), jen.Lit(t.MinItems), jen.Lit(t.MaxItems)))
		}
		if t.UniqueItems {
			out = append(out, jen.Qual(kzrt, "Unique").Call(val, x.Clone(), g.encodeFunc(t.Items)))
		}
		i, item := loopVar("i", depth), loopVar("item", depth)
		inner := g.checks(t.Items, jen.Id(item), false, depth+1)
		if len(inner) > 0 {
			body := append([]jen.Code{val.Clone().Dot("PushIndex").Call(jen.Id(i))}, inner...)
			body = append(body, val.Clone().Dot("Pop").Call())
			out = append(out, jen.For(jen.List(jen.Id(i), jen.Id(item)).Op(":=").Range().Add(x.Clone())).Block(body...))
		}
	case shapeMap:
		out = append(out, g.mapChecks(t, x, depth)...)
	}
	return out
}

// mapChecks validates a map's size, key names and values.
func (g *generator) mapChecks(t *model.Type, x *jen.Statement, depth int) []jen.Code {
	var out []jen.Code
	if t.MinProperties >= 0 || t.MaxProperties >= 0 {
		out = append(out, val.Clone().Dot("Properties").Call(jen.Len(x.Clone()), jen.Lit(t.MinProperties), jen.Lit(t.MaxProperties)))
	}
	k, item := loopVar("k", depth), loopVar("item", depth)
	var body []jen.Code
	if t.NoAdditional && t.Additional == nil && len(t.PatternProps) > 0 {
		// Every key must match one of the patterns.
		cond := jen.Null()
		for i := range t.PatternProps {
			m := jen.Id(g.patternVar(t, i)).Dot("MatchString").Call(jen.Id(k))
			if i == 0 {
				cond = jen.Op("!").Add(m)
			} else {
				cond = cond.Op("&&").Op("!").Add(m)
			}
		}
		body = append(body, jen.If(cond).Block(
			val.Clone().Dot("Reportf").Call(code("CodeAdditional"), jen.Lit("property name %q is not allowed"), jen.Id(k)),
		))
	} else if t.NoAdditional && t.Additional == nil {
		// No properties at all are allowed.
		body = append(body, val.Clone().Dot("Reportf").Call(code("CodeAdditional"), jen.Lit("property name %q is not allowed"), jen.Id(k)))
	}
	if inner := g.checks(mapValue(t), jen.Id(item), false, depth+1); len(inner) > 0 {
		body = append(body, jen.Id(item).Op(":=").Add(x.Clone()).Index(jen.Id(k)))
		body = append(body, inner...)
	} else if mapValue(t) == anyType {
		// Values are raw JSON when several schemas may apply to them.
		body = append(body, g.rawMemberChecks(t, jen.Id(k), x.Clone().Index(jen.Id(k)), false, depth)...)
	}
	if len(body) > 0 {
		loop := append([]jen.Code{val.Clone().Dot("Push").Call(jen.Id(k))}, body...)
		loop = append(loop, val.Clone().Dot("Pop").Call())
		out = append(out, jen.For(jen.List(jen.Id("_"), jen.Id(k)).Op(":=").Range().Add(sortedKeys(x.Clone()))).Block(loop...))
	}
	return out
}

// code is one of kzrt's constants for Kazoo's error codes
// (kzrt.CodeMinimum…), which every reported problem carries.
func code(name string) *jen.Statement { return jen.Qual(kzrt, name) }

// encodeFunc is a function literal encoding one value of t, for
// kzrt.Unique.
func (g *generator) encodeFunc(t *model.Type) *jen.Statement {
	return jen.Func().Params(jen.Id("e").Op("*").Qual(kzrt, "Encoder"), jen.Id("item").Add(g.goType(t))).BlockFunc(func(grp *jen.Group) {
		g.encodeValue(grp, t, jen.Id("item"), 5)
	})
}

// bound checks one side of a numeric range.
func (g *generator) bound(t *model.Type, x *jen.Statement, limit *big.Rat, exclusive, lower bool) []jen.Code {
	if limit == nil {
		return nil
	}
	lit := ratLiteral(limit, g.shapeOf(t) == shapeInt)
	subject := x.Clone()
	if g.shapeOf(t) == shapeInt && !limit.IsInt() {
		subject = jen.Float64().Call(x.Clone())
	}
	var op, msg, kazooCode string
	switch {
	case lower && exclusive:
		op, msg, kazooCode = "<=", "must be greater than", "CodeMinimum"
	case lower:
		op, msg, kazooCode = "<", "is less than the minimum", "CodeMinimum"
	case exclusive:
		op, msg, kazooCode = ">=", "must be less than", "CodeMaximum"
	default:
		op, msg, kazooCode = ">", "is greater than the maximum", "CodeMaximum"
	}
	return []jen.Code{jen.If(subject.Clone().Op(op).Add(lit)).Block(
		val.Clone().Dot("Reportf").Call(code(kazooCode), jen.Lit("%v "+msg+" "+limit.RatString()), x.Clone()),
	)}
}

func ratLiteral(r *big.Rat, integer bool) *jen.Statement {
	if r.IsInt() {
		if integer {
			return intLit(r.Num().Int64())
		}
		f, _ := r.Float64()
		return jen.Lit(f)
	}
	f, _ := r.Float64()
	return jen.Lit(f)
}

// inlineEnum checks an unnamed scalar against its enumeration.
func (g *generator) inlineEnum(t *model.Type, v *jen.Statement) []jen.Code {
	if len(t.Enum) == 0 {
		return nil
	}
	var cases []jen.Code
	for _, e := range t.Enum {
		if lit, ok := enumLiteral(g.shapeOf(t), e); ok {
			cases = append(cases, lit)
		}
	}
	if len(cases) == 0 {
		return []jen.Code{val.Clone().Dot("Enum").Call(v.Clone(), jen.Lit(enumList(t.Enum)))}
	}
	return []jen.Code{jen.Switch(v.Clone()).Block(
		jen.Case(cases...),
		jen.Default().Block(val.Clone().Dot("Enum").Call(v.Clone(), jen.Lit(enumList(t.Enum)))),
	)}
}

func enumLiteral(s shape, v any) (jen.Code, bool) {
	switch x := v.(type) {
	case bool:
		return jen.Lit(x), s == shapeBool
	case string:
		return jen.Lit(x), s == shapeString
	case fmt.Stringer: // json.Number
		r, ok := new(big.Rat).SetString(x.String())
		if !ok {
			return nil, false
		}
		if s == shapeInt {
			if !r.IsInt() {
				return nil, false
			}
			return intLit(r.Num().Int64()), true
		}
		if s == shapeFloat {
			f, _ := r.Float64()
			return jen.Lit(f), true
		}
	}
	return nil, false
}

// patternVar returns the package variable holding the pattern of t (index
// -1) or of its patternProperties entry at index, and records that the
// file uses it.
func (g *generator) patternVar(t *model.Type, index int) string {
	name := g.patterns[patternOf(t, index)]
	if index < 0 {
		g.usedPatterns[name] = t.Pattern
	} else {
		g.usedPatterns[name] = t.PatternProps[index].Pattern
	}
	return name
}

// declarePatterns declares the pattern variables the file uses, by name.
func (g *generator) declarePatterns() {
	for _, name := range slices.Sorted(maps.Keys(g.usedPatterns)) {
		g.file.Var().Id(name).Op("=").Qual(regexPkg, "MustCompile").Call(stringLit(g.usedPatterns[name]))
	}
}

// stringLit renders s as a raw string literal when it can be one, so a
// regular expression reads as written (`^\+?[0-9]+$`), else quoted.
func stringLit(s string) jen.Code {
	if strconv.CanBackquote(s) {
		return jen.Op("`" + s + "`")
	}
	return jen.Lit(s)
}
