package golang

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kzgen/kzgen/generator/model"
)

const commentWidth = 76

// emitSchema declares every named type of one schema, root first, with
// what a callflow package adds to its module and document schemas, and
// returns the file.
func (g *generator) emitSchema(s *model.Schema) *jen.File {
	if s == g.action {
		g.emitTree()
		return g.file
	}
	g.emitType(s.Root)
	g.emitSchemaHelpers(s)
	if m, ok := g.moduleOf[s]; ok {
		g.emitBuilder(m)
	}
	if s == g.document {
		g.emitDocument()
	}
	g.declarePatterns()
	return g.file
}

// emitType declares t (when it has a name) and then the types below it.
func (g *generator) emitType(t *model.Type) {
	if name, ok := g.typeName[t]; ok && g.sameEnum[t] == nil {
		if g.shared[t] {
			g.emitShared(name, t)
		} else {
			g.emitOne(name, t)
		}
	}
	for _, child := range children(t) {
		g.emitType(child)
	}
}

// emitOne declares t, a named type, with its methods.
func (g *generator) emitOne(name string, t *model.Type) {
	switch {
	case t.Kind == model.Ref:
		g.emitAlias(name, t)
	case t.Kind == model.Object:
		g.emitStruct(name, t)
	case t.Kind == model.Union:
		g.emitUnion(name, t)
	case t.Kind == model.String && len(t.Enum) > 0:
		g.emitEnum(name, t)
	default:
		g.emitNamed(name, t)
	}
}

// children lists the types nested directly in t, in declaration order.
func children(t *model.Type) []*model.Type {
	var out []*model.Type
	switch t.Kind {
	case model.Object, model.Map:
		for _, f := range t.Fields {
			out = append(out, f.Type)
		}
		for _, p := range t.PatternProps {
			out = append(out, p.Type)
		}
		if t.Additional != nil {
			out = append(out, t.Additional)
		}
	case model.Array:
		out = append(out, t.Items)
	case model.Union:
		out = append(out, t.Variants...)
		if t.Shared != nil {
			for _, f := range t.Shared.Fields {
				out = append(out, f.Type)
			}
		}
	}
	return out
}

// comment adds a doc comment of one or more paragraphs to the file, as
// "//" lines (a block comment would break on "*/" inside a description).
func (g *generator) comment(paragraphs ...string) {
	g.file.Comment(commentLines(wrap(paragraphs, commentWidth)))
}

// groupComment is comment for a struct field or a constant in a group.
func groupComment(grp *jen.Group, paragraphs ...string) {
	if text := wrap(paragraphs, commentWidth-4); text != "" {
		grp.Comment(commentLines(text))
	}
}

// commentLines turns text into "//" comment lines, written as one
// comment: jennifer prints a comment that starts with "//" as it is,
// which costs less than a comment per line.
func commentLines(text string) string {
	var b strings.Builder
	b.Grow(len(text) + 3*strings.Count(text, "\n") + 3)
	for line := range strings.Lines(text) {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		line = strings.TrimSuffix(line, "\n")
		b.WriteString("//")
		if line != "" {
			b.WriteByte(' ')
			b.WriteString(line)
		}
	}
	if b.Len() == 0 {
		return "//"
	}
	return b.String()
}

func (g *generator) typeComment(name string, t *model.Type, what string) {
	g.comment(fmt.Sprintf("%s is %s %s.", name, what, location(t)), sentence(t.Doc), facts(t))
}

// emitAlias declares a schema that is only a $ref as another name for the
// referenced type.
func (g *generator) emitAlias(name string, t *model.Type) {
	g.typeComment(name, t, "the schema")
	g.file.Type().Id(name).Op("=").Add(g.goType(t.Target.Root))
}

// ---------------------------------------------------------------- structs

// field is a struct field as generated: its Go name and the model field.
type field struct {
	goName string
	*model.Field
}

// reservedNames are the members every generated struct has already.
var reservedNames = []string{"Extra", "Validate", "MarshalJSON", "UnmarshalJSON"}

func structFields(fs []*model.Field) []field {
	used := nameSet{}
	for _, r := range reservedNames {
		used[r] = true
	}
	out := make([]field, len(fs))
	for i, f := range fs {
		out[i] = field{goName: used.claim(identifier(f.Name)), Field: f}
	}
	return out
}

func (g *generator) emitStruct(name string, t *model.Type) {
	fields := structFields(t.Fields)
	g.typeComment(name, t, "the object")
	g.file.Type().Id(name).StructFunc(func(grp *jen.Group) {
		for _, f := range fields {
			g.fieldDecl(grp, f)
		}
		grp.Comment("Extra holds, verbatim, properties the schema does not name and numbers")
		grp.Comment("their field cannot hold (see UnmarshalJSON).")
		grp.Id("Extra").Map(jen.String()).Qual(jsonPkg, "RawMessage").Tag(map[string]string{"json": "-"})
	})
	g.emitDefaults(name, fields)
	g.emitGetters(name, fields)
	g.emitStructMarshal(name, t, fields)
	g.emitStructUnmarshal(name, t, fields)
	g.emitValidate(name, t, true, func(grp *jen.Group) {
		g.structChecks(grp, jen.Id("x"), t, fields)
	})
	if m, ok := g.moduleOf[t.Schema]; ok && t == t.Schema.Root {
		g.emitModuleName(m)
	}
}

func (g *generator) fieldDecl(grp *jen.Group, f field) {
	var req string
	switch {
	case f.Required && f.Type.Default != nil:
		req = "Required, but may be left out: Kazoo fills in the default first."
	case f.Required:
		req = "Required."
	}
	doc := sentence(f.Type.Doc)
	if doc == "" {
		doc = fmt.Sprintf("%s is the %q property.", f.goName, f.Name)
	}
	groupComment(grp, doc, strings.TrimSpace(req+" "+g.unitNote(f.Type)+" "+facts(f.Type)))
	grp.Id(f.goName).Add(g.fieldType(f.Type)).Tag(map[string]string{"json": f.Name + ",omitempty"})
}

// ---------------------------------------------------------------- enums

func (g *generator) emitEnum(name string, t *model.Type) {
	g.typeComment(name, t, "the set of values of")
	g.file.Type().Id(name).String()
	consts := g.emitEnumConsts(name, t)
	g.comment(fmt.Sprintf("Valid reports whether x is one of the values of %s.", name))
	g.file.Func().Params(jen.Id("x").Id(name)).Id("Valid").Params().Bool().Block(
		jen.Switch(jen.Id("x")).Block(
			jen.CaseFunc(func(grp *jen.Group) {
				for _, c := range consts {
					grp.Id(c)
				}
			}).Block(jen.Return(jen.True())),
		),
		jen.Return(jen.False()),
	)
	if t.Schema != nil && t.Schema.Root == t {
		g.emitEnumRoot(name, t)
		return
	}
	g.comment(fmt.Sprintf("Validate returns an error when x is not one of the values of %s.", name))
	g.file.Func().Params(jen.Id("x").Id(name)).Id("Validate").Params().Error().Block(
		jen.Return(jen.Qual(kzrt, "CheckEnum").Call(jen.Id("x").Dot("Valid").Call(), jen.String().Call(jen.Id("x")), jen.Lit(enumList(t.Enum)))),
	)
}

// emitEnumConsts declares the constants of the enum type name, one per
// value, and returns their names.
func (g *generator) emitEnumConsts(name string, t *model.Type) []string {
	values := dedupe(enumStrings(t))
	consts := make([]string, len(values))
	for i, v := range values {
		consts[i] = g.enumConst[t][v]
	}
	g.comment(fmt.Sprintf("The values of %s.", name))
	g.file.Const().DefsFunc(func(grp *jen.Group) {
		for i, v := range values {
			grp.Id(consts[i]).Id(name).Op("=").Lit(v)
		}
	})
	return consts
}

// emitEnumRoot gives an enum that is a whole schema MarshalJSON and
// Validate, with value receivers like Valid, and UnmarshalJSON, which
// reads any JSON string (Validate checks the value).
func (g *generator) emitEnumRoot(name string, t *model.Type) {
	g.comment("MarshalJSON encodes x as a JSON string.")
	g.file.Func().Params(jen.Id("x").Id(name)).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Var().Id("e").Qual(kzrt, "Encoder"),
		jen.Id("e").Dot("String").Call(jen.String().Call(jen.Id("x"))),
		jen.Return(jen.Id("e").Dot("Bytes").Call()),
	)
	g.emitNamedDecode(name, t)
	g.emitValidate(name, t, false, func(grp *jen.Group) {
		grp.If(jen.Op("!").Id("x").Dot("Valid").Call()).Block(
			val.Clone().Dot("Enum").Call(jen.String().Call(jen.Id("x")), jen.Lit(enumList(t.Enum))),
		)
	})
}

// enumStrings lists a string enum's values, in schema order.
func enumStrings(t *model.Type) []string {
	var out []string
	for _, v := range t.Enum {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func dedupe(values []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range values {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// enumList renders allowed values for an error message.
func enumList(values []any) string {
	parts := make([]string, len(values))
	for i, v := range values {
		if s, ok := v.(string); ok {
			parts[i] = strconv.Quote(s)
		} else {
			parts[i] = fmt.Sprint(v)
		}
	}
	return strings.Join(parts, ", ")
}

// ---------------------------------------------------------------- other named types

// emitNamed declares a root schema that is a map, a list or a scalar. Its
// methods have value receivers, so a literal can be validated
// (Headers{…}.Validate()), except UnmarshalJSON and decode, which fill
// the value in.
func (g *generator) emitNamed(name string, t *model.Type) {
	g.typeComment(name, t, "the schema")
	g.file.Type().Id(name).Add(g.underlying(t))
	g.emitMarshalJSON(name, t, false, "")
	g.file.Func().Params(jen.Id("x").Id(name)).Id(g.encodeMethod(t)).Params(jen.Id("e").Op("*").Qual(kzrt, "Encoder")).BlockFunc(func(grp *jen.Group) {
		underlying := *t
		g.encodeValue(grp, &underlying, g.convert(t, jen.Id("x")), 0)
	})
	g.emitNamedDecode(name, t)
	g.emitValidate(name, t, false, func(grp *jen.Group) {
		underlying := *t
		g.valueChecks(grp, &underlying, g.convert(t, jen.Id("x")), 0)
	})
}

// convert turns a value of a named root type into its underlying type, so
// the same encoding and checks apply as for an unnamed value. Maps and
// slices are ranged over and indexed as they are; scalars are converted
// (string(x)), as the encoder's methods take the basic types.
func (g *generator) convert(t *model.Type, x *jen.Statement) *jen.Statement {
	if t.Kind == model.Map || t.Kind == model.Array {
		return x
	}
	return g.underlying(t).Call(x)
}

// ---------------------------------------------------------------- defaults and getters

// defaultName is the constant or function holding a field's default.
func defaultName(structName string, f field) string {
	return "Default" + structName + f.goName
}

func (g *generator) emitDefaults(structName string, fields []field) {
	for _, f := range fields {
		if f.Type.Default == nil {
			continue
		}
		g.emitDefault(defaultName(structName, f), f)
	}
}

func (g *generator) emitDefault(name string, f field) {
	t := f.Type
	if lit, ok := g.defaultLiteral(t); ok {
		g.comment(fmt.Sprintf("%s is the default of %s.", name, location(t)))
		g.file.Const().Id(name).Op("=").Add(lit)
		return
	}
	if !g.defaultFits(t) {
		return
	}
	g.comment(fmt.Sprintf("%s returns the default of %s: %s.", name, location(t), compactJSON(t.Default)))
	if list, ok := g.listLiteral(t); ok {
		g.file.Func().Id(name).Params().Add(g.goType(t)).Block(jen.Return(list))
		return
	}
	g.file.Func().Id(name).Params().Add(g.goType(t)).Block(
		jen.Return(jen.Qual(kzrt, "DefaultValue").Types(g.goType(t)).Call(jen.Lit(compactJSON(t.Default)))),
	)
}

// hasDefaultConst reports whether a field's default is a Go constant.
func (g *generator) hasDefaultConst(t *model.Type) bool {
	_, ok := g.defaultLiteral(t)
	return t.Default != nil && ok
}

// emitGetters adds GetX methods for scalar fields, and for lists and maps
// with a default: the value, else the default, else the zero value. They
// are nil-safe, like protobuf's: a nil *T gives defaults.
func (g *generator) emitGetters(structName string, fields []field) {
	taken := map[string]bool{}
	for _, f := range fields {
		taken[f.goName] = true
	}
	for _, f := range fields {
		switch g.shapeOf(f.Type) {
		case shapeBool, shapeInt, shapeFloat, shapeString, shapeEnum:
		case shapeSlice, shapeMap:
			g.emitCollectionGetter(structName, f, taken)
			continue
		default:
			continue
		}
		getter := "Get" + f.goName
		if taken[getter] {
			continue
		}
		name := defaultName(structName, f)
		fallback, fallbackText := jen.Id(name), name
		if !g.hasDefaultConst(f.Type) {
			fallback, fallbackText = zeroValue(g.shapeOf(f.Type))
		}
		g.comment(fmt.Sprintf("%s returns %s, or %s when x or %s is nil.", getter, f.goName, fallbackText, f.goName))
		ref := jen.Id("x").Dot(f.goName)
		g.file.Func().Params(jen.Id("x").Op("*").Id(structName)).Id(getter).Params().Add(g.goType(f.Type)).Block(
			jen.If(jen.Id("x").Op("!=").Nil().Op("&&").Add(ref.Clone()).Op("!=").Nil()).Block(
				jen.Return(jen.Op("*").Add(ref.Clone())),
			),
			jen.Return(fallback),
		)
	}
}

// emitCollectionGetter adds GetX for a list or map field with a default:
// the value, else a fresh copy of the default.
func (g *generator) emitCollectionGetter(structName string, f field, taken map[string]bool) {
	getter := "Get" + f.goName
	if f.Type.Default == nil || !g.defaultFits(f.Type) || taken[getter] {
		return
	}
	if _, scalar := g.defaultLiteral(f.Type); scalar {
		return // a constant: emitDefault wrote no function
	}
	g.comment(fmt.Sprintf("%s returns %s, or %s() when x or %s is nil.", getter, f.goName, defaultName(structName, f), f.goName))
	ref := jen.Id("x").Dot(f.goName)
	g.file.Func().Params(jen.Id("x").Op("*").Id(structName)).Id(getter).Params().Add(g.goType(f.Type)).Block(
		jen.If(jen.Id("x").Op("!=").Nil().Op("&&").Add(ref.Clone()).Op("!=").Nil()).Block(jen.Return(ref.Clone())),
		jen.Return(jen.Id(defaultName(structName, f)).Call()),
	)
}

// zeroValue is the zero value of a scalar, as an untyped constant: as code
// and as the Go source it renders to.
func zeroValue(s shape) (code *jen.Statement, source string) {
	switch s {
	case shapeBool:
		return jen.False(), "false"
	case shapeInt, shapeFloat:
		return jen.Lit(0), "0"
	}
	return jen.Lit(""), `""`
}
