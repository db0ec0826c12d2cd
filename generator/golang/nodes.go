package golang

import (
	"fmt"
	"go/token"
	"sort"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kzgen/kzgen/generator/model"
)

// NodesFile is the file Options.Nodes adds.
const NodesFile = "modules.kz.go"

// module is a callflow module: a schema "callflows.<name>" whose data a
// callflow node of that module carries.
type module struct {
	name   string // "tts", as in the node's "module" key
	schema *model.Schema
	data   string // Go type of the data, "TTSData"
	build  string // builder type, "TTSBuilder"
	ctor   string // constructor, "TTS"
}

// modules lists the callflow modules of the set: schemas whose id is
// TrimPrefix + a name without dots, except the node schema itself.
func (g *generator) modules() []module {
	var out []module
	for _, s := range g.set.Schemas {
		name, ok := strings.CutPrefix(s.ID, g.opts.TrimPrefix)
		if !ok || g.opts.TrimPrefix == "" || name == "action" || strings.Contains(name, ".") {
			continue
		}
		if s.Root.Kind != model.Object {
			continue
		}
		ctor := g.names.claim(identifier(name))
		out = append(out, module{name: name, schema: s, data: g.typeName[s.Root], build: g.names.claim(ctor + "Builder"), ctor: ctor})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// emitNodes writes the module registry and one fluent builder per module.
// The package must declare Node, Data and Builder by hand (see
// gen/callflow/node.go); this file only adds what depends on the schemas.
func (g *generator) emitNodes() *jen.File {
	f := g.file
	mods := g.mods
	g.comment("moduleData makes an empty data value for each module Kazoo has a schema for.")
	f.Var().Id("moduleData").Op("=").Map(jen.String()).Func().Params().Id("Data").Values(jen.DictFunc(func(d jen.Dict) {
		for _, m := range mods {
			d[jen.Lit(m.name)] = jen.Func().Params().Id("Data").Block(jen.Return(jen.New(jen.Id(m.data))))
		}
	}))
	for _, m := range mods {
		g.comment(fmt.Sprintf("ModuleName returns %q, the module whose data %s is.", m.name, m.data))
		f.Func().Params(jen.Op("*").Id(m.data)).Id("ModuleName").Params().String().Block(jen.Return(jen.Lit(m.name)))
	}
	for _, m := range mods {
		g.emitBuilder(m)
	}
	g.emitExamples()
	return f
}

// builderMembers are the builder methods that setters must not shadow.
var builderMembers = []string{"Then", "Branch", "Node", "MarshalJSON", "Validate"}

// builderParam is one value a builder takes: a constructor argument (a
// required property) or a setter's parameter (an optional one).
type builderParam struct {
	field
	// name is the argument's name (constructor) or the method's (setter).
	name string
	// variadic is set for a list taken as "v ...T".
	variadic bool
}

// builderParams decides the Go API of m's builder: required properties
// become constructor arguments in schema order, a trailing list one
// variadic; optional properties become setters, variadic for lists.
func (g *generator) builderParams(m module) (args, setters []builderParam) {
	argNames := nameSet{"d": true, "b": true}
	taken := nameSet{}
	for _, n := range builderMembers {
		taken[n] = true
	}
	for _, f := range structFields(m.schema.Root.Fields) {
		if f.Required {
			args = append(args, builderParam{field: f, name: argNames.claim(argName(f.Name))})
		} else {
			setters = append(setters, builderParam{field: f, name: taken.claim(f.goName), variadic: g.shapeOf(f.Type) == shapeSlice})
		}
	}
	// A trailing list argument reads best variadic: RingGroup(a, b).
	if n := len(args); n > 0 && g.shapeOf(args[n-1].Type) == shapeSlice {
		args[n-1].variadic = true
	}
	return args, setters
}

// paramType is the type a parameter is declared with: the item type of a
// variadic list.
func (g *generator) paramType(p builderParam) *jen.Statement {
	if p.variadic {
		return g.goType(p.Type.Resolve().Items)
	}
	return g.setterType(p.Type)
}

// paramDecl declares parameter p under the name id.
func (g *generator) paramDecl(id string, p builderParam) *jen.Statement {
	if p.variadic {
		return jen.Id(id).Op("...").Add(g.paramType(p))
	}
	return jen.Id(id).Add(g.paramType(p))
}

func (g *generator) emitBuilder(m module) {
	required, optional := g.builderParams(m)
	b := jen.Id("b")
	recv := jen.Id("b").Op("*").Id(m.build)

	g.comment(fmt.Sprintf("%s builds a %q callflow node; start one with %s. Setters return the builder, so calls chain.", m.build, m.name, m.ctor))
	f := g.file
	// One allocation holds the builder, its node and the node's data.
	f.Type().Id(m.build).Struct(
		jen.Id("node").Id("Node"),
		jen.Id("data").Id(m.data),
	)

	// Constructor: required fields as arguments, in schema order.
	args := make([]jen.Code, len(required))
	assigns := jen.Dict{}
	for i, r := range required {
		args[i] = g.paramDecl(r.name, r)
		assigns[jen.Id(r.goName)] = g.setterValue(r.Type, jen.Id(r.name))
	}
	doc := []string{fmt.Sprintf("%s starts a %q node.", m.ctor, m.name)}
	if m.schema.Root.Doc != "" {
		doc = append(doc, sentence(m.schema.Root.Doc))
	}
	if len(required) > 0 {
		var names []string
		for _, r := range required {
			names = append(names, fmt.Sprintf("%q", r.Name))
		}
		doc = append(doc, fmt.Sprintf("The arguments are the required %s.", strings.Join(names, ", ")))
	}
	g.comment(doc...)
	f.Func().Id(m.ctor).Params(args...).Op("*").Id(m.build).Block(
		jen.Id("b").Op(":=").Op("&").Id(m.build).Values(jen.Dict{jen.Id("data"): jen.Id(m.data).Values(assigns)}),
		jen.Id("b").Dot("node").Op("=").Id("Node").Values(jen.Dict{jen.Id("Module"): jen.Lit(m.name), jen.Id("Data"): jen.Op("&").Id("b").Dot("data")}),
		jen.Return(jen.Id("b")),
	)

	for _, o := range optional {
		name := o.name
		var text []string
		if o.Type.Doc != "" {
			text = append(text, fmt.Sprintf("%s sets %q: %s", name, o.Name, lowerSentence(sentence(o.Type.Doc))))
		} else {
			text = append(text, fmt.Sprintf("%s sets %q.", name, o.Name))
		}
		text = append(text, facts(o.Type))
		g.comment(text...)
		param := g.paramDecl("v", o)
		f.Func().Params(recv.Clone()).Id(name).Params(param).Op("*").Id(m.build).Block(
			b.Clone().Dot("data").Dot(o.goName).Op("=").Add(g.setterValue(o.Type, jen.Id("v"))),
			jen.Return(b.Clone()),
		)
	}

	g.comment(`Then sets the node Kazoo runs after this one: the default "_" child.`)
	f.Func().Params(recv.Clone()).Id("Then").Params(jen.Id("next").Id("Builder")).Op("*").Id(m.build).Block(
		b.Clone().Dot("node").Dot("SetChild").Call(jen.Id("DefaultChild"), jen.Id("next")),
		jen.Return(b.Clone()),
	)
	g.comment(`Branch sets the child Kazoo runs for a named outcome: a menu digit, "match", "sip:486", a variable value…`)
	f.Func().Params(recv.Clone()).Id("Branch").Params(jen.Id("key").String(), jen.Id("next").Id("Builder")).Op("*").Id(m.build).Block(
		b.Clone().Dot("node").Dot("SetChild").Call(jen.Id("key"), jen.Id("next")),
		jen.Return(b.Clone()),
	)
	g.comment("Node returns the node built so far.")
	f.Func().Params(recv.Clone()).Id("Node").Params().Op("*").Id("Node").Block(jen.Return(jen.Op("&").Add(b.Clone()).Dot("node")))
	g.comment("MarshalJSON encodes the node built so far, with its children.")
	f.Func().Params(recv.Clone()).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Return(b.Clone().Dot("node").Dot("MarshalJSON").Call()))
	g.comment("Validate checks the node built so far, with its children, as Kazoo would.")
	f.Func().Params(recv.Clone()).Id("Validate").Params().Error().Block(
		jen.Return(b.Clone().Dot("node").Dot("Validate").Call()))
}

// setterType is the parameter type a builder takes for a field: the value
// type, not a pointer.
func (g *generator) setterType(t *model.Type) *jen.Statement { return g.goType(t) }

// setterValue stores a parameter into a field: by address when the field
// is a pointer.
func (g *generator) setterValue(t *model.Type, v *jen.Statement) *jen.Statement {
	if g.nilable(t) {
		return v
	}
	return jen.Op("&").Add(v)
}

// argName is a parameter name for a property: lower camel case, never a
// Go keyword ("type" → "typeValue").
func argName(prop string) string {
	n := lowerFirst(identifier(prop))
	if token.IsKeyword(n) {
		return n + "Value"
	}
	return n
}

// lowerSentence lower-cases the first letter of a sentence unless its
// first word is an acronym ("DTMF keys…").
func lowerSentence(s string) string {
	r := []rune(s)
	if len(r) < 2 || (r[1] >= 'A' && r[1] <= 'Z') {
		return s
	}
	return strings.ToLower(string(r[:1])) + string(r[1:])
}

// lowerFirst lower-cases a leading initialism or letter: "URL" → "url",
// "CallerID" → "callerID", "TTS" → "tts".
func lowerFirst(s string) string {
	r := []rune(s)
	i := 0
	for i < len(r) && r[i] >= 'A' && r[i] <= 'Z' {
		i++
	}
	switch {
	case i == 0:
		return s
	case i == 1 || i == len(r):
		return strings.ToLower(string(r[:i])) + string(r[i:])
	default:
		// "URLPath": keep the last capital, it starts the next word.
		return strings.ToLower(string(r[:i-1])) + string(r[i-1:])
	}
}
