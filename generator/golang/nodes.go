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

// nonModules lists, sorted, the names of the schemas whose id has the
// modules' prefix but that are no module: the node schema ("action") and
// sub-schemas ("audio_macro.prompt").
func (g *generator) nonModules() []string {
	var out []string
	for _, s := range g.set.Schemas {
		name, ok := strings.CutPrefix(s.ID, g.opts.TrimPrefix)
		if _, module := g.moduleOf[s]; ok && !module {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// emitTree fills the node schema's file: the tree types, which are
// kzrt's, so that trees of every generated package compose.
func (g *generator) emitTree() {
	f := g.file
	alias := func(name string, doc ...string) {
		g.comment(doc...)
		f.Type().Id(name).Op("=").Qual(kzrt, name)
	}
	alias("Node", fmt.Sprintf("Node is one step of a callflow, the Go form of %s: a module, its data "+
		"(one of this package's module data types, or RawData), and the children Kazoo may continue with. "+
		"It is kzrt.Node, shared by every package kzgen generates.", g.action.ID))
	alias("Data", "Data is the typed data of a node: a pointer to one of this package's module data types, or RawData.")
	alias("Builder", "Builder is anything that yields a node: every module builder, and *Node itself.", builderSemantics)
	alias("RawData", "RawData is node data kept as JSON: the data of a module this package has no schema for, "+
		"or data that does not fit its module's type, as Parse found them.")
	alias("Tree", "Tree is what Parse returns: a bare *Node, or a stored callflow document.")
	g.comment(`DefaultChild is the key of the branch Kazoo takes when a module asks for no particular one: "_".`)
	f.Const().Id("DefaultChild").Op("=").Qual(kzrt, "DefaultChild")
	if len(g.mods) > 0 {
		g.emitNodeBuilder()
	}
}

// emitModuleName adds the method that, with the hooks every module data
// type has, makes it kzrt.Data.
func (g *generator) emitModuleName(m module) {
	g.comment(fmt.Sprintf("ModuleName returns %q, the module whose data %s is.", m.name, m.data))
	g.file.Func().Params(jen.Id("x").Op("*").Id(m.data)).Id("ModuleName").Params().String().Block(jen.Return(jen.Lit(m.name)))
}

// documentChecks adds what Crossbar checks of a stored callflow beyond
// its schema: a number or a pattern (when the document schema has both
// lists).
func (g *generator) documentChecks(grp *jen.Group, x *jen.Statement, fields []field) {
	lists := map[string]string{}
	for _, f := range fields {
		if (f.Name == "numbers" || f.Name == "patterns") && g.shapeOf(f.Type) == shapeSlice {
			lists[f.Name] = f.goName
		}
	}
	if len(lists) == 2 {
		grp.Add(val.Clone().Dot("NumbersOrPatterns").Call(
			jen.Len(x.Clone().Dot(lists["numbers"])), jen.Len(x.Clone().Dot(lists["patterns"]))))
	}
}

// emitDocument makes the stored callflow a kzrt.Tree.
func (g *generator) emitDocument() {
	g.comment("Conversions lists the values of the flow's node data that Crossbar converts to the type "+
		"their schema wants before it stores a callflow (\"2000\" to 2000, 2000.0 to 2000, \"true\" to true), "+
		"as decoding the document converted them (kzrt.Node.Converted), with pointers relative to the document.",
		"Validate checks the document as Crossbar stores it: a number or a pattern, the schema, and the "+
			"converted values, as Crossbar's second pass does; a value it cannot convert stays a problem.")
	g.file.Func().Params(jen.Id("x").Op("*").Id("Document")).Id("Conversions").Params().Index().Qual(kzrt, "Conversion").Block(
		jen.If(jen.Id("x").Op("==").Nil().Op("||").Id("x").Dot("Flow").Op("==").Nil()).Block(jen.Return(jen.Nil())),
		jen.Id("out").Op(":=").Id("x").Dot("Flow").Dot("Conversions").Call(),
		jen.For(jen.Id("i").Op(":=").Range().Id("out")).Block(
			jen.Id("out").Index(jen.Id("i")).Dot("Pointer").Op("=").Lit("/flow").Op("+").Id("out").Index(jen.Id("i")).Dot("Pointer"),
		),
		jen.Return(jen.Id("out")),
	)
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
	nonModules := g.nonModules()
	if len(nonModules) > 0 {
		g.comment("modules are the callflow modules this package has a schema for. Its other schemas whose " +
			"id is a module's (\"" + g.opts.TrimPrefix + "<name>\") are no module: Kazoo's schema check accepts their " +
			"names, and the call fails when it runs.")
	} else {
		g.comment("modules are the callflow modules this package has a schema for.")
	}
	call := jen.Qual(kzrt, "NewModules").CallFunc(func(grp *jen.Group) {
		for _, m := range g.mods {
			grp.Line().Qual(kzrt, "DataType").Types(jen.Id(m.data)).Call()
		}
		grp.Line()
	})
	if len(nonModules) > 0 {
		names := make([]jen.Code, len(nonModules))
		for i, n := range nonModules {
			names[i] = jen.Lit(n)
		}
		call = call.Dot("NonModules").Call(names...)
	}
	f.Var().Id("modules").Op("=").Add(call)
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

// emitParse declares ParseAnswer, Parse and ParseWith: a bare node, or
// a stored callflow document when the set has its schema.
func (g *generator) emitParse() {
	f := g.file
	fails := func(fn string) string {
		return fn + " fails only on JSON that is not a callflow at all (malformed JSON, a node or children " +
			"that are not objects, a module that is not a string…), with a *kzrt.DecodeError naming the JSON pointer " +
			"(kzrt.AsErrors gives it Kazoo's error code); data that does not fit its module is kept as RawData, " +
			"and Validate reports it with every other problem."
	}
	g.comment("ParseAnswer reads a Pivot answer as Kazoo does: one bare callflow node and its subtree, "+
		"typed module by module (Modules().ParseNode). Unknown modules and properties are kept, so ParseAnswer "+
		"followed by json.Marshal gives back the same JSON value; a key written twice keeps its first value, as "+
		"Kazoo reads it. Validate then checks it as Kazoo checks an answer. A stored callflow document "+
		"({\"flow\":…}) is no answer: it is read as a node without \"module\", which Validate refuses as Kazoo "+
		"does (/module: required).", fails("ParseAnswer"))
	f.Func().Id("ParseAnswer").Params(jen.Id("data").Index().Byte()).Params(jen.Op("*").Id("Node"), jen.Error()).Block(
		jen.Return(jen.Id("modules").Dot("ParseNode").Call(jen.Id("data"))))

	var document jen.Code = jen.Nil()
	if g.document != nil {
		document = jen.Func().Params(decoderParam()).Qual(kzrt, "Tree").Block(
			jen.Id("doc").Op(":=").New(jen.Id("Document")),
			jen.Id("doc").Dot(g.decodeMethod(g.document.Root)).Call(dec),
			jen.Return(jen.Id("doc")),
		)
		g.comment("Parse reads callflow JSON of either kind: a bare node ({\"module\":…}), read as ParseAnswer "+
			"reads a Pivot answer, or a stored callflow document ({\"flow\":…, \"numbers\":[…]}), which it returns "+
			"as a *Document, read as Crossbar stores it: node data of the wrong JSON type is converted as Crossbar "+
			"converts it (Document.Conversions), and Document.Validate checks what Crossbar checks. Unknown modules "+
			"and properties are kept, so Parse followed by json.Marshal gives back the same JSON value, but for "+
			"converted values; a key written twice keeps its first value, as Kazoo reads it.", fails("Parse"))
	} else {
		g.comment("Parse reads one callflow node and its subtree, as ParseAnswer does.", fails("Parse"))
	}
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
// property that must be given) or a setter's parameter (another one).
type builderParam struct {
	field
	// name is the argument's name (constructor) or the method's (setter).
	name string
	// variadic is set for a list taken as "v ...T".
	variadic bool
	// named is the schema whose type a setter takes instead of the
	// property's looser own (helpers.go: custom_sip_headers).
	named *model.Schema
}

// builderParams decides the Go API of m's builder (see params).
func (g *generator) builderParams(m module) (args, setters []builderParam) {
	return g.params(structFields(m.schema.Root.Fields), builderMembers...)
}

// params decides the Go API of a builder of an object with fields: the
// properties that must be given become constructor arguments in schema
// order, a trailing list one variadic; the others become setters, named
// after the field unless that is one of members, variadic for lists. A
// property must be given when it is required and has no default, or when
// its default breaks its own schema (audio_macro's macros defaults to []
// but needs an item); a required property with a valid default is a
// setter, since Kazoo fills the default in (model.Field.MayOmit).
func (g *generator) params(fields []field, members ...string) (args, setters []builderParam) {
	argNames := nameSet{"d": true, "b": true}
	taken := nameSet{}
	for _, n := range members {
		taken[n] = true
	}
	for _, f := range fields {
		if !f.MayOmit() || len(g.defaultProblems[f.Type]) > 0 {
			args = append(args, builderParam{field: f, name: argNames.claim(argName(f.Name))})
		} else {
			setters = append(setters, builderParam{field: f, name: taken.claim(f.goName), variadic: g.shapeOf(f.Type) == shapeSlice})
		}
	}
	// A trailing list argument reads best variadic: RingGroup(a, b).
	if n := len(args); n > 0 && g.shapeOf(args[n-1].Type) == shapeSlice {
		args[n-1].variadic = true
	}
	return args, g.namedSetters(setters, taken)
}

// paramType is the type a parameter is declared with: the item type of a
// variadic list. A value of a discriminated union is taken as anything
// that yields one (its Builder interface), so item builders can be given.
func (g *generator) paramType(p builderParam) *jen.Statement {
	if p.named != nil {
		return g.namedType(p)
	}
	t := p.Type
	if g.shapeOf(t) == shapeSlice {
		items := t.Resolve().Items
		if b := g.builderIface(items); b != "" {
			if p.variadic {
				return jen.Id(b)
			}
			return jen.Index().Id(b)
		}
		if p.variadic {
			return g.goType(items)
		}
	}
	if b := g.discBuilder(t); b != "" {
		return jen.Id(b)
	}
	return g.setterType(t)
}

// paramValue stores parameter v into its field: by address when the field
// is a pointer, built when it was given as a discriminated union's
// builder.
func (g *generator) paramValue(p builderParam, v *jen.Statement) *jen.Statement {
	if p.named != nil {
		return g.namedValue(p, v)
	}
	t := p.Type
	if g.shapeOf(t) == shapeSlice {
		if items := t.Resolve().Items; g.builderIface(items) != "" {
			return jen.Id(lowerFirst(g.typeName[g.decl(items)]) + "s").Call(v)
		}
	}
	if d := g.decl(t); d != nil && g.disc[d] != nil {
		return jen.New(v.Dot(g.typeName[d]).Call())
	}
	return g.setterValue(t, v)
}

// paramDecl declares parameter p under the name id.
func (g *generator) paramDecl(id string, p builderParam) *jen.Statement {
	if p.variadic {
		return jen.Id(id).Op("...").Add(g.paramType(p))
	}
	return jen.Id(id).Add(g.paramType(p))
}

// requiredArgs says which properties a constructor's arguments are, for
// its doc comment; "" when it takes none.
func requiredArgs(args []builderParam) string {
	if len(args) == 0 {
		return ""
	}
	var names []string
	for _, a := range args {
		names = append(names, fmt.Sprintf("%q", a.Name))
	}
	return fmt.Sprintf("The arguments are %s, which must be given.", strings.Join(names, ", "))
}

// emitSetter declares the setter of p on the builder type build, storing
// into data (the builder's data struct), then running extra.
func (g *generator) emitSetter(build string, p builderParam, data *jen.Statement, extra ...jen.Code) {
	var text []string
	if p.Type.Doc != "" {
		text = append(text, fmt.Sprintf("%s sets %q: %s", p.name, p.Name, lowerSentence(sentence(p.Type.Doc))))
	} else {
		text = append(text, fmt.Sprintf("%s sets %q.", p.name, p.Name))
	}
	text = append(text, strings.TrimSpace(g.unitNote(p.Type)+" "+facts(p.Type)), g.setterNote(p))
	g.comment(text...)
	body := append([]jen.Code{data.Clone().Dot(p.goName).Op("=").Add(g.paramValue(p, jen.Id("v")))}, extra...)
	g.file.Func().Params(jen.Id("b").Op("*").Id(build)).Id(p.name).Params(g.paramDecl("v", p)).Op("*").Id(build).Block(
		append(body, jen.Return(jen.Id("b")))...,
	)
}

func (g *generator) emitBuilder(m module) {
	api := g.builderAPI(m)
	b := jen.Id("b")
	recv := jen.Id("b").Op("*").Id(m.build)
	// edit is the node and data a method changes (see nodeBuilder.edit).
	edit := b.Clone().Dot("edit").Call()

	g.comment(fmt.Sprintf("%s builds a %q callflow node; start one with %s. Its methods change it and "+
		"return it; a child is stored as it is when given (see Builder).", m.build, m.name, m.ctor))
	f := g.file
	// One allocation holds the builder, its node and the node's data; a
	// change after Node has given the node out makes a copy (edit).
	f.Type().Id(m.build).Struct(jen.Id(nodeBuilder).Types(jen.Id(m.data), jen.Op("*").Id(m.data)))

	// Constructor: the properties that must be given, in schema order.
	args := make([]jen.Code, len(api.args))
	assigns := jen.Dict{}
	var after []jen.Code
	for i, r := range api.args {
		args[i] = g.paramDecl(r.name, r)
		assigns[jen.Id(r.goName)] = g.paramValue(r, jen.Id(r.name))
		if c := g.paramProblems(r, jen.Id(r.name), b.Clone().Dot("s").Dot("node")); c != nil {
			after = append(after, c)
		}
	}
	doc := []string{fmt.Sprintf("%s starts a %q node.", m.ctor, m.name)}
	if m.schema.Root.Doc != "" {
		doc = append(doc, sentence(m.schema.Root.Doc))
	}
	doc = append(doc, requiredArgs(api.args))
	g.comment(doc...)
	body := []jen.Code{
		jen.Id("b").Op(":=").New(jen.Id(m.build)),
		jen.Id("b").Dot("start").Call(jen.Lit(m.name), jen.Id(m.data).Values(assigns)),
	}
	body = append(body, after...)
	f.Func().Id(m.ctor).Params(args...).Op("*").Id(m.build).Block(append(body, jen.Return(jen.Id("b")))...)

	for _, o := range api.setters {
		var extra []jen.Code
		if api.hasDuration(o) {
			// The raw value replaces what a Duration setter could not store.
			extra = append(extra, edit.Clone().Dot("node").Dot("SetProblem").Call(jen.Lit(problemPointer(o.Name)), jen.Nil()))
		}
		if c := g.paramProblems(o, jen.Id("v"), edit.Clone().Dot("node")); c != nil {
			extra = append(extra, c)
		}
		g.emitSetter(m.build, o, edit.Clone().Dot("data"), extra...)
	}
	for _, d := range api.durations {
		g.emitDurationSetter(m.build, d, edit.Clone().Dot("data"), edit.Clone().Dot("node"))
	}

	g.comment(`Then sets the node Kazoo runs after this one, the default "_" child.`)
	f.Func().Params(recv.Clone()).Id("Then").Params(jen.Id("next").Id("Builder")).Op("*").Id(m.build).Block(
		b.Clone().Dot("setChild").Call(jen.Id("DefaultChild"), jen.Id("next")),
		jen.Return(b.Clone()),
	)
	branchDoc := `Branch sets the child Kazoo runs for a named outcome (a menu digit, "match", "sip:486"…); a nil next removes it.`
	if len(api.branches) > 0 {
		names := make([]string, len(api.branches))
		for i, br := range api.branches {
			names[i] = br.name
		}
		branchDoc = fmt.Sprintf("Branch sets the child Kazoo runs under key; a nil next removes it. The keys %s reads have their own methods, %s; "+
			"Branch reaches any other key (Kazoo accepts any, Lint warns about those %s never takes).", m.name, strings.Join(names, ", "), m.name)
	}
	g.comment(branchDoc)
	f.Func().Params(recv.Clone()).Id("Branch").Params(jen.Id("key").String(), jen.Id("next").Id("Builder")).Op("*").Id(m.build).Block(
		b.Clone().Dot("setChild").Call(jen.Id("key"), jen.Id("next")),
		jen.Return(b.Clone()),
	)
	for _, br := range api.branches {
		g.emitBranchMethod(m, br)
	}
}

// nodeBuilder is the generic type every module builder embeds, declared
// once per package (emitNodeBuilder).
const nodeBuilder = "nodeBuilder"

// emitNodeBuilder declares nodeBuilder: the node a module builder builds
// and its data, allocated with the builder and copied on the first change
// after Node has given them out, with the methods every builder shares.
// Then and Branch stay on each builder, since they return it.
func (g *generator) emitNodeBuilder() {
	f := g.file
	b := jen.Id("b")
	state := func() *jen.Statement { return jen.Id("nodeState").Types(jen.Id("D")) }
	recv := func() *jen.Statement { return b.Clone().Op("*").Id(nodeBuilder).Types(jen.Id("D"), jen.Id("P")) }

	g.comment(nodeBuilder + " is what every module builder embeds: the node being built and its data, " +
		"of type D (P is *D). Node gives the node out; the next change works on a copy, made once.")
	f.Type().Id(nodeBuilder).Types(jen.Id("D").Any(), jen.Id("P").Interface(jen.Op("*").Id("D"), jen.Id("Data"))).Struct(
		jen.Comment("s is the node being built: first, or the copy edit made of it."),
		jen.Id("s").Op("*").Add(state()),
		jen.Comment("shared is set once Node has given s's node out; the next change copies it."),
		jen.Id("shared").Bool(),
		jen.Id("first").Add(state()),
	)
	g.comment("nodeState is a node and its data, allocated together.")
	f.Type().Id("nodeState").Types(jen.Id("D").Any()).Struct(
		jen.Id("node").Id("Node"),
		jen.Id("data").Id("D"),
	)
	g.comment("start makes b's first node: a node of module holding data.")
	f.Func().Params(recv()).Id("start").Params(jen.Id("module").String(), jen.Id("data").Id("D")).Block(
		b.Clone().Dot("first").Dot("data").Op("=").Id("data"),
		b.Clone().Dot("first").Dot("node").Op("=").Id("Node").Values(jen.Dict{
			jen.Id("Module"): jen.Id("module"),
			jen.Id("Data"):   jen.Id("P").Call(jen.Op("&").Add(b.Clone()).Dot("first").Dot("data")),
		}),
		b.Clone().Dot("s").Op("=").Op("&").Add(b.Clone()).Dot("first"),
	)
	g.comment("edit returns the node and data to change: b's own, or, once Node has given them out, a copy that b uses from then on.")
	f.Func().Params(recv()).Id("edit").Params().Op("*").Add(state()).Block(
		jen.If(b.Clone().Dot("shared")).Block(
			jen.Id("c").Op(":=").Op("&").Add(state()).Values(jen.Dict{jen.Id("node"): b.Clone().Dot("s").Dot("node"), jen.Id("data"): b.Clone().Dot("s").Dot("data")}),
			jen.Id("c").Dot("node").Dot("Data").Op("=").Id("P").Call(jen.Op("&").Id("c").Dot("data")),
			jen.Id("c").Dot("node").Dot("Children").Op("=").Qual("maps", "Clone").Call(jen.Id("c").Dot("node").Dot("Children")),
			jen.Id("c").Dot("node").Dot("Problems").Op("=").Qual("slices", "Clone").Call(jen.Id("c").Dot("node").Dot("Problems")),
			jen.List(b.Clone().Dot("s"), b.Clone().Dot("shared")).Op("=").List(jen.Id("c"), jen.False()),
		),
		jen.Return(b.Clone().Dot("s")),
	)
	g.comment("setChild stores next's node under key. It takes that node before b changes, " +
		"so a builder given to itself gets its node as it was, never a loop.")
	f.Func().Params(recv()).Id("setChild").Params(jen.Id("key").String(), jen.Id("next").Id("Builder")).Block(
		jen.Var().Id("child").Op("*").Id("Node"),
		jen.If(jen.Id("next").Op("!=").Nil()).Block(jen.Id("child").Op("=").Id("next").Dot("Node").Call()),
		b.Clone().Dot("edit").Call().Dot("node").Dot("SetChild").Call(jen.Id("key"), jen.Id("child")),
	)
	g.comment("Node returns the node built so far. b never changes it again: a later change to b works on a copy. "+
		"So Then, Branch and the On… methods, which store their child's Node, keep the child as it was when given, "+
		"and one builder can be given in several places, even under itself, without the trees sharing later changes or looping.",
		"The node is shared with every parent it was given to (and with b until b changes): change trees through builders, not through this node.")
	f.Func().Params(recv()).Id("Node").Params().Op("*").Id("Node").Block(
		b.Clone().Dot("shared").Op("=").True(),
		jen.Return(jen.Op("&").Add(b.Clone()).Dot("s").Dot("node")),
	)
	g.comment("MarshalJSON encodes the node built so far, with its children.")
	f.Func().Params(recv()).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Return(b.Clone().Dot("s").Dot("node").Dot("MarshalJSON").Call()))
	g.comment("Validate checks the node built so far, with its children, as Kazoo would, and reports what a builder method was given that the node cannot hold.")
	f.Func().Params(recv()).Id("Validate").Params().Error().Block(
		jen.Return(b.Clone().Dot("s").Dot("node").Dot("Validate").Call()))
}

// builderSemantics is what the Builder type's doc says of every module
// builder: how its methods treat the builder and the children they are
// given.
const builderSemantics = "A module builder's methods change the builder and return it, so calls chain and a chain allocates once. " +
	"A child given to Then, Branch or an On… method is stored as it is at that moment: " +
	"changing the child's builder afterwards does not change the parent (the builder goes on with a copy), " +
	"so one builder may be given in several places, even under itself, and trees never share later changes or loop. " +
	"A *Node given as a child is stored as it is."

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
	// The first word alone is lower-cased, so two initialisms in a row
	// stay apart: "crm_url" → "crmURL".
	first, rest := prop, ""
	if i := strings.IndexFunc(prop, func(r rune) bool { return r == '_' || r == '-' || r == '.' }); i > 0 {
		first, rest = prop[:i], prop[i+1:]
	}
	n := lowerFirst(identifier(first)) + goName(rest)
	if rest == "" {
		n = lowerFirst(identifier(prop))
	}
	if token.IsKeyword(n) {
		return n + "Value"
	}
	return n
}

// lowerSentence lower-cases the first letter of a sentence unless its
// first word is an acronym ("DTMF keys…") or Kazoo's name.
func lowerSentence(s string) string {
	r := []rune(s)
	if len(r) < 2 || (r[1] >= 'A' && r[1] <= 'Z') || strings.HasPrefix(s, "Kazoo") {
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
