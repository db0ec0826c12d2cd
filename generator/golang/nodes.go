package golang

import (
	"fmt"
	"go/token"
	"sort"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kzgen/kzgen/generator/model"
)

// NodesFile is the file a callflow package (Options.Nodes) adds: the
// module registry and the functions over all modules.
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

// modules lists the callflow modules of the set: object schemas whose id
// is TrimPrefix + a name without dots, except the node schema itself.
func (g *generator) modules() []module {
	var out []module
	for _, s := range g.set.Schemas {
		name, ok := strings.CutPrefix(s.ID, g.opts.TrimPrefix)
		if !ok || s == g.action || strings.Contains(name, ".") || s.Root.Kind != model.Object {
			continue
		}
		ctor := g.names.claim(identifier(name))
		out = append(out, module{name: name, schema: s, data: g.typeName[s.Root], build: g.names.claim(ctor + "Builder"), ctor: ctor})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// emitTree fills the node schema's file: the tree types, which are
// kzrt's, so that trees of every generated package compose.
func (g *generator) emitTree() {
	f := g.file
	alias := func(name, doc string) {
		g.comment(doc)
		f.Type().Id(name).Op("=").Qual(kzrt, name)
	}
	alias("Node", fmt.Sprintf("Node is one step of a callflow, the Go form of %s: a module, its data "+
		"(one of this package's module data types, or RawData), and the children Kazoo may continue with. "+
		"It is kzrt.Node, shared by every package kzgen generates.", g.action.ID))
	alias("Data", "Data is the typed data of a node: a pointer to one of this package's module data types, or RawData.")
	alias("Builder", "Builder is anything that yields a node: every module builder, and *Node itself.")
	alias("RawData", "RawData is node data kept as JSON: the data of a module this package has no schema for, "+
		"or data that does not fit its module's type, as Parse found them.")
	alias("Tree", "Tree is what Parse returns: a bare *Node, or a stored callflow document.")
	g.comment(`DefaultChild is the key of the branch Kazoo takes when a module asks for no particular one: "_".`)
	f.Const().Id("DefaultChild").Op("=").Qual(kzrt, "DefaultChild")
}

// emitModuleName adds the method that, with the hooks every module data
// type has, makes it kzrt.Data.
func (g *generator) emitModuleName(m module) {
	g.comment(fmt.Sprintf("ModuleName returns %q, the module whose data %s is.", m.name, m.data))
	g.file.Func().Params(jen.Id("x").Op("*").Id(m.data)).Id("ModuleName").Params().String().Block(jen.Return(jen.Lit(m.name)))
}

// emitDocument makes the stored callflow a kzrt.Tree.
func (g *generator) emitDocument() {
	g.comment("Root returns the first node of the callflow, Flow.")
	g.file.Func().Params(jen.Id("x").Op("*").Id("Document")).Id("Root").Params().Op("*").Id("Node").Block(
		jen.If(jen.Id("x").Op("==").Nil()).Block(jen.Return(jen.Nil())),
		jen.Return(jen.Id("x").Dot("Flow")),
	)
}

// emitNodes writes the module registry and the functions over all
// modules: Modules, Parse, NewNode, NewData and Example.
func (g *generator) emitNodes() *jen.File {
	f := g.file
	g.comment("modules are the callflow modules this package has a schema for.")
	f.Var().Id("modules").Op("=").Qual(kzrt, "NewModules").CallFunc(func(grp *jen.Group) {
		for _, m := range g.mods {
			grp.Line().Qual(kzrt, "DataType").Types(jen.Id(m.data)).Call()
		}
		grp.Line()
	})
	g.comment("Modules returns the callflow modules this package has a schema for, each with its data type: "+
		"their names, empty data for one of them, and the typed reading of a node (Modules().ParseNode).",
		"Runtime packages that work with callflows of any generated package take it as a parameter.")
	f.Func().Id("Modules").Params().Op("*").Qual(kzrt, "Modules").Block(jen.Return(jen.Id("modules")))

	g.emitParse()

	g.comment("NewNode makes a node of any module from its typed data.")
	f.Func().Id("NewNode").Params(jen.Id("data").Id("Data")).Op("*").Id("Node").Block(
		jen.Return(jen.Qual(kzrt, "NewNode").Call(jen.Id("data"))))
	g.comment("NewData returns empty typed data for a module, or false when this package has no schema for it.")
	f.Func().Id("NewData").Params(jen.Id("module").String()).Params(jen.Id("Data"), jen.Bool()).Block(
		jen.Return(jen.Id("modules").Dot("NewData").Call(jen.Id("module"))))
	g.emitExamples()
	return f
}

// emitParse declares Parse and ParseWith: a bare node, or a stored
// callflow document when the set has its schema.
func (g *generator) emitParse() {
	f := g.file
	var document jen.Code = jen.Nil()
	what := "one callflow node and its subtree ({\"module\":…,\"data\":…,\"children\":…}), " +
		"typing each node's data by its module."
	if g.document != nil {
		document = jen.Func().Params(decoderParam()).Qual(kzrt, "Tree").Block(
			jen.Id("doc").Op(":=").New(jen.Id("Document")),
			jen.Id("doc").Dot(g.decodeMethod(g.document.Root)).Call(dec),
			jen.Return(jen.Id("doc")),
		)
		what = "callflow JSON: a bare node ({\"module\":…}), or a stored callflow document " +
			"({\"flow\":…, \"numbers\":[…]}), which it returns as a *Document. The tree is typed module by module."
	}
	g.comment("Parse reads "+what+" Unknown modules and properties are kept, so Parse followed by "+
		"json.Marshal gives back the same JSON value; a key written twice keeps its first value, as Kazoo reads it.",
		"Parse fails only on JSON that is not a callflow at all (malformed JSON, a node or children "+
			"that are not objects…), with a *kzrt.DecodeError naming the JSON pointer; data that does not fit its "+
			"module is kept as RawData, and Validate reports it with every other problem.")
	f.Func().Id("Parse").Params(jen.Id("data").Index().Byte()).Params(jen.Id("Tree"), jen.Error()).Block(
		jen.Return(jen.Id("ParseWith").Call(jen.Id("data"), jen.Qual(kzrt, "DecodeOptions").Values())),
	)
	g.comment("ParseWith is Parse with options: kzrt.DecodeOptions.OnDuplicate hears of every key written twice, " +
		"for tools that warn about them.")
	f.Func().Id("ParseWith").Params(jen.Id("data").Index().Byte(), jen.Id("opts").Qual(kzrt, "DecodeOptions")).Params(jen.Id("Tree"), jen.Error()).Block(
		jen.Return(jen.Id("modules").Dot("ParseTree").Call(jen.Id("data"), jen.Id("opts"), document)),
	)
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
