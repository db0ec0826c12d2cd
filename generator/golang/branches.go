package golang

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kzgen/kzgen/generator/kazoo"
	"github.com/kzgen/kzgen/generator/model"
)

// BranchesFile is the file of a callflow package that declares, from
// Kazoo's table of modules (Options.Table), the constants of the fixed
// child keys and of the common hangup causes, the branch rules and Lint.
const BranchesFile = "branches.kz.go"

// helperFile is a package-level file the builder helpers add.
type helperFile struct {
	name string
	emit func(*generator) *jen.File
}

// helperFiles lists the package-level files of the builder helpers: none
// for a package that is no callflow package.
func (g *generator) helperFiles() []helperFile {
	if g.helpers == nil {
		return nil
	}
	out := []helperFile{{BranchesFile, (*generator).emitBranches}}
	if g.helpers.endpoints != nil || g.needsItemProblems() {
		out = append(out, helperFile{EndpointsFile, (*generator).emitEndpoints})
	}
	return out
}

// helperNames are the names the builder helpers declare, decided once
// after every type is named (nameHelpers), so that they never take a
// schema's name.
type helperNames struct {
	// keyConst names the constant of each fixed key a module of the set
	// reads ("match" → Match).
	keyConst map[string]string
	// cause is the Go type of hangup causes ("Cause"), "" when no module
	// of the set reads causes; causeConst names the constant of each of
	// the table's causes ("USER_BUSY" → Busy).
	cause      string
	causeConst map[string]string
	// endpoints are the ring and page group member helpers (helpers.go),
	// nil when the set has no such list.
	endpoints *endpointHelpers
	// namedSetter is, by property type, the schema a setter takes instead
	// of the property's own looser type (helpers.go).
	namedSetter map[*model.Type]*model.Schema
}

// nameHelpers decides the names of the builder helpers.
func (g *generator) nameHelpers() {
	h := &helperNames{keyConst: map[string]string{}, causeConst: map[string]string{}}
	g.helpers = h
	claim := func(name, fallback string) string {
		if g.names[name] {
			return g.names.claim(fallback + name)
		}
		return g.names.claim(name)
	}
	for _, k := range g.table.FixedKeys() {
		if g.readsKey(k.Fixed) {
			h.keyConst[k.Fixed] = claim(k.Const(), "Key")
		}
	}
	if g.readsCauses() {
		h.cause = claim("Cause", "Hangup")
		for _, c := range g.table.Causes {
			h.causeConst[c.Cause] = claim(c.Name, h.cause)
		}
	}
	g.nameEndpoints()
	g.nameNamedSetters()
}

// tableModule returns what Kazoo's table says about m, if anything.
func (g *generator) tableModule(m module) (*kazoo.Module, bool) {
	if g.table == nil {
		return nil, false
	}
	return g.table.Module(m.name)
}

// readsKey reports whether a module of the set reads the fixed key.
func (g *generator) readsKey(key string) bool {
	for _, m := range g.mods {
		if km, ok := g.tableModule(m); ok {
			for _, k := range km.Keys {
				if k.Family == nil && k.Fixed == key {
					return true
				}
			}
		}
	}
	return false
}

// readsCauses reports whether a module of the set reads hangup causes.
func (g *generator) readsCauses() bool {
	for _, m := range g.mods {
		if km, ok := g.tableModule(m); ok {
			for _, k := range km.Keys {
				if k.Family != nil && k.Family.Arg.Type == kazoo.ArgCause {
					return true
				}
			}
		}
	}
	return false
}

// branchMethod is a builder method that attaches a child under a key the
// module reads: OnMatch(next), OnDigits(digits, next),
// OnSIPCode(code, next)…
type branchMethod struct {
	name string
	key  *kazoo.Key
	// param is the argument naming the key, "" for a fixed key; ptype its
	// Go type as source text.
	param, ptype string
}

// branchMethods lists the branch methods of m's builder, in the order
// Kazoo tries the keys. A method whose name a setter has taken is left
// out (Branch still reaches the key).
func (g *generator) branchMethods(m module, taken nameSet) []branchMethod {
	km, ok := g.tableModule(m)
	if !ok {
		return nil
	}
	var out []branchMethod
	for _, k := range km.Keys {
		if taken[k.Method] {
			continue
		}
		taken[k.Method] = true
		b := branchMethod{name: k.Method, key: k}
		if f := k.Family; f != nil {
			b.param = argName(f.Name)
			switch f.Arg.Type {
			case kazoo.ArgInteger:
				b.ptype = "int"
			case kazoo.ArgDuration:
				b.ptype = "time.Duration"
			case kazoo.ArgCause:
				b.ptype = g.helpers.cause
			default:
				b.ptype = "string"
			}
		}
		out = append(out, b)
	}
	return out
}

// Decl is the method's parameter list as source text.
func (b branchMethod) decl() string {
	if b.param == "" {
		return "next Builder"
	}
	return b.param + " " + b.ptype + ", next Builder"
}

// emitBranchMethod declares one branch method on m's builder.
func (g *generator) emitBranchMethod(m module, b branchMethod) {
	k := b.key
	recv := jen.Id("b").Op("*").Id(m.build)
	var doc []string
	var params []jen.Code
	var body []jen.Code
	if k.Family == nil {
		name := g.helpers.keyConst[k.Fixed]
		doc = append(doc, fmt.Sprintf("%s sets the child Kazoo runs under the key %q (%s); it is Branch(%s, next).", b.name, k.Fixed, name, name))
		body = append(body, jen.Id("b").Dot("setChild").Call(jen.Id(name), jen.Id("next")))
	} else {
		f := k.Family
		doc = append(doc, fmt.Sprintf("%s sets the child Kazoo runs under %s.", b.name, g.familyKeyText(b)), f.Meaning)
		params = append(params, jen.Id(b.param).Add(g.familyArgType(f)))
		body = append(body, g.familyBody(b)...)
	}
	when := "Kazoo takes it when " + lowerSentence(sentence(k.When))
	if len(k.OnlyIf) > 0 {
		conds := make([]string, len(k.OnlyIf))
		for i, c := range k.OnlyIf {
			conds[i] = c.String()
		}
		when += " Only when " + strings.Join(conds, " and ") + "."
	}
	doc = append(doc, when, "When the node has no such child: "+lowerSentence(sentence(k.Missing)))
	if k.Family != nil {
		doc = append(doc, fmt.Sprintf("Kazoo accepts a child under any key, so a %s that is no such key is no error: Lint warns about it.", b.param))
	}
	g.comment(doc...)
	params = append(params, jen.Id("next").Id("Builder"))
	g.file.Func().Params(recv).Id(b.name).Params(params...).Op("*").Id(m.build).Block(append(body, jen.Return(jen.Id("b")))...)
}

// familyKeyText says how the argument becomes the key, for a doc comment:
// "the key digits, one of the digit strings … such as "1"".
func (g *generator) familyKeyText(b branchMethod) string {
	f := b.key.Family
	switch f.Arg.Type {
	case kazoo.ArgInteger:
		n, _ := f.Arg.Parse(f.Example)
		written := fmt.Sprintf("written %q", f.Arg.Format)
		if f.Arg.Format == "%d" {
			written = "in decimal"
		}
		return fmt.Sprintf("the key for %s, %s (%s(%d, next) is %q): one of the %s", b.param, written, b.name, n, f.Example, f.Noun)
	case kazoo.ArgDuration:
		n, _ := f.Arg.Parse(f.Example)
		return fmt.Sprintf("the key for %s in whole %s (%s(%s, next) is %q): one of the %s",
			b.param, f.Arg.Unit.Word(), b.name, durationLiteral(n, f.Arg.Unit), f.Example, f.Noun)
	case kazoo.ArgCause:
		return fmt.Sprintf("the key %s, a hangup cause such as %s; %s(\"MEDIA_TIMEOUT\") names any other", b.param, g.someCause(), g.helpers.cause)
	}
	return fmt.Sprintf("the key %s, one of the %s such as %q", b.param, f.Noun, f.Example)
}

// durationLiteral writes n units as Go: "2*time.Minute", "120*time.Second".
func durationLiteral(n int64, u kazoo.Unit) string {
	switch {
	case u == kazoo.Seconds && n%60 == 0 && n != 0:
		return fmt.Sprintf("%d*time.Minute", n/60)
	case u == kazoo.Seconds:
		return fmt.Sprintf("%d*time.Second", n)
	}
	return fmt.Sprintf("%d*time.Millisecond", n)
}

// someCause names a cause constant for examples in doc comments.
func (g *generator) someCause() string {
	for _, c := range g.table.Causes {
		return fmt.Sprintf("%s (%q)", g.helpers.causeConst[c.Cause], c.Cause)
	}
	return g.helpers.cause
}

// familyArgType is the Go type of a family method's argument.
func (g *generator) familyArgType(f *kazoo.Family) *jen.Statement {
	switch f.Arg.Type {
	case kazoo.ArgInteger:
		return jen.Int()
	case kazoo.ArgDuration:
		return jen.Qual("time", "Duration")
	case kazoo.ArgCause:
		return jen.Id(g.helpers.cause)
	}
	return jen.String()
}

// familyBody turns the argument into the key and attaches the child. A
// duration that is no whole number of the family's unit cannot be a key:
// the child is not attached, and Validate reports why.
func (g *generator) familyBody(b branchMethod) []jen.Code {
	f := b.key.Family
	node := jen.Id("b").Dot("edit").Call().Dot("node")
	arg := jen.Id(b.param)
	setChild := func(key jen.Code) jen.Code { return jen.Id("b").Dot("setChild").Call(key, jen.Id("next")) }
	switch f.Arg.Type {
	case kazoo.ArgInteger:
		prefix, suffix, _ := strings.Cut(f.Arg.Format, "%d")
		key := jen.Qual("strconv", "Itoa").Call(arg)
		if prefix != "" {
			key = jen.Lit(prefix).Op("+").Add(key)
		}
		if suffix != "" {
			key = key.Op("+").Lit(suffix)
		}
		return []jen.Code{setChild(key)}
	case kazoo.ArgDuration:
		prefix, suffix, _ := strings.Cut(f.Arg.Format, "%d")
		unit := unitExpr(f.Arg.Unit)
		key := jen.Qual("strconv", "FormatInt").Call(jen.Int64().Call(arg.Clone().Op("/").Add(unit.Clone())), jen.Lit(10))
		if prefix != "" {
			key = jen.Lit(prefix).Op("+").Add(key)
		}
		if suffix != "" {
			key = key.Op("+").Lit(suffix)
		}
		problem := jen.Qual(kzrt, "Error").Values(jen.Dict{
			jen.Id("Pointer"): jen.Lit("/children"),
			jen.Id("Message"): jen.Qual("fmt", "Sprintf").Call(
				jen.Lit(fmt.Sprintf("%s(%%v): Kazoo's keys count whole %s; no child was attached", b.name, f.Arg.Unit.Word())), arg.Clone()),
		})
		return []jen.Code{
			jen.If(arg.Clone().Op("%").Add(unit).Op("!=").Lit(0)).Block(
				node.Clone().Dot("Problems").Op("=").Append(node.Clone().Dot("Problems"), problem),
				jen.Return(jen.Id("b")),
			),
			setChild(key),
		}
	case kazoo.ArgCause:
		return []jen.Code{setChild(jen.String().Call(arg))}
	}
	return []jen.Code{setChild(arg)}
}

// unitExpr is the time.Duration of one unit.
func unitExpr(u kazoo.Unit) *jen.Statement {
	if u == kazoo.Milliseconds {
		return jen.Qual("time", "Millisecond")
	}
	return jen.Qual("time", "Second")
}

// emitBranches fills BranchesFile: the key and cause constants, the
// branch rules of the set's modules, BranchRules and Lint.
func (g *generator) emitBranches() *jen.File {
	h := g.helpers
	f := g.file
	if len(h.keyConst) > 0 {
		g.comment("The child keys Kazoo's modules read by name (kzgen's table of Kazoo's modules). " +
			"Give them to Branch, or attach the child with the builders' On… methods named below.")
		f.Const().DefsFunc(func(grp *jen.Group) {
			for _, k := range g.table.FixedKeys() {
				name, ok := h.keyConst[k.Fixed]
				if !ok {
					continue
				}
				groupComment(grp, fmt.Sprintf("%s is %q, read by %s.", name, k.Fixed, g.keyReaders(k.Fixed)))
				grp.Id(name).Op("=").Lit(k.Fixed)
			}
		})
	}
	if h.cause != "" {
		g.emitCauses()
	}
	g.emitRules()
	return f
}

// keyReaders lists the set's modules that read a fixed key, with its
// method.
func (g *generator) keyReaders(key string) string {
	var out []string
	for _, m := range g.mods {
		if km, ok := g.tableModule(m); ok {
			for _, k := range km.Keys {
				if k.Family == nil && k.Fixed == key {
					out = append(out, fmt.Sprintf("%s (%s().%s)", m.name, m.ctor, k.Method))
				}
			}
		}
	}
	return strings.Join(out, ", ")
}

// emitCauses declares the cause type and its constants.
func (g *generator) emitCauses() {
	h := g.helpers
	var readers []string
	for _, m := range g.mods {
		if km, ok := g.tableModule(m); ok && slices.ContainsFunc(km.Keys, func(k *kazoo.Key) bool {
			return k.Family != nil && k.Family.Arg.Type == kazoo.ArgCause
		}) {
			readers = append(readers, m.name)
		}
	}
	g.comment(fmt.Sprintf("%s is why a call attempt failed, as Kazoo names it: a FreeSWITCH hangup cause in upper case. "+
		"When %s fails, it takes the child named after the cause (OnCause), and without one, "+
		"the child named after the SIP code (OnSIPCode, \"sip:486\"). "+
		"The constants are the common causes; any other is %s(\"NAME\").", h.cause, model.OrList(readers), h.cause))
	g.file.Type().Id(h.cause).String()
	g.comment("The common hangup causes, with the SIP codes that usually come with them.")
	g.file.Const().DefsFunc(func(grp *jen.Group) {
		for _, c := range g.table.Causes {
			text := fmt.Sprintf("%s is %q: %s", h.causeConst[c.Cause], c.Cause, c.Meaning)
			if len(c.SIPCodes) > 0 {
				codes := make([]string, len(c.SIPCodes))
				for i, n := range c.SIPCodes {
					codes[i] = fmt.Sprintf("sip:%d", n)
				}
				text += " Usually with " + strings.Join(codes, " or ") + "."
			}
			groupComment(grp, text)
			grp.Id(h.causeConst[c.Cause]).Id(h.cause).Op("=").Lit(c.Cause)
		}
	})
}

// emitRules declares the branch rules of the set's modules, BranchRules
// and Lint.
func (g *generator) emitRules() {
	f := g.file
	families := map[*kazoo.Family]string{}
	var order []*kazoo.Family
	var mods []jen.Code
	for _, m := range g.mods {
		km, ok := g.tableModule(m)
		if !ok {
			continue
		}
		var keys []jen.Code
		for _, k := range km.Keys {
			d := jen.Dict{}
			if k.Family == nil {
				d[jen.Id("Key")] = jen.Lit(k.Fixed)
			} else {
				name, ok := families[k.Family]
				if !ok {
					name = lowerFirst(identifier(k.Family.Name)) + "Keys"
					families[k.Family] = name
					order = append(order, k.Family)
				}
				d[jen.Id("Family")] = jen.Id(name)
			}
			if len(k.OnlyIf) > 0 {
				var conds []jen.Code
				for _, c := range k.OnlyIf {
					conds = append(conds, conditionLit(c))
				}
				d[jen.Id("OnlyIf")] = jen.Index().Qual(kzrt, "BranchCondition").Values(conds...)
			}
			keys = append(keys, jen.Values(d))
		}
		d := jen.Dict{jen.Id("Module"): jen.Lit(m.name), jen.Id("UsesDefault"): jen.Lit(km.Default.Used), jen.Id("DefaultAbout"): jen.Lit(km.Default.About)}
		if len(keys) > 0 {
			d[jen.Id("Keys")] = jen.Index().Qual(kzrt, "BranchKey").Values(keys...)
		}
		mods = append(mods, jen.Line().Op("&").Qual(kzrt, "ModuleBranches").Values(d))
	}
	for _, fam := range order {
		g.comment(fmt.Sprintf("%s are the keys of the %q family: %s", families[fam], fam.Name, fam.Noun+"."))
		d := jen.Dict{
			jen.Id("Name"):    jen.Lit(fam.Name),
			jen.Id("Pattern"): jen.Qual(regexPkg, "MustCompile").Call(jen.Lit(fam.Pattern.String())),
			jen.Id("Noun"):    jen.Lit(fam.Noun),
		}
		if fam.Arg.Type == kazoo.ArgInteger || fam.Arg.Type == kazoo.ArgDuration {
			d[jen.Id("Numeric")] = jen.True()
			d[jen.Id("Format")] = jen.Lit(fam.Arg.Format)
			if fam.Arg.Min != nil {
				d[jen.Id("Min")] = jen.New(jen.Int64().Call(jen.Lit(int(*fam.Arg.Min))))
			}
			if fam.Arg.Max != nil {
				d[jen.Id("Max")] = jen.New(jen.Int64().Call(jen.Lit(int(*fam.Arg.Max))))
			}
		}
		f.Var().Id(families[fam]).Op("=").Op("&").Qual(kzrt, "KeyFamily").Values(d)
	}
	if len(mods) > 0 {
		mods = append(mods, jen.Line())
	}
	g.comment("branchRules are the child keys each module of the package reads, from kzgen's table of Kazoo's modules.")
	f.Var().Id("branchRules").Op("=").Qual(kzrt, "NewBranchRules").Call(mods...)

	g.comment("BranchRules returns the child keys each module of the package reads, and when: " +
		"the rules Lint applies, for tools that walk callflows themselves.")
	f.Func().Id("BranchRules").Params().Op("*").Qual(kzrt, "BranchRules").Block(jen.Return(jen.Id("branchRules")))

	g.comment("LintWarning is a child that Kazoo never takes, or takes only under conditions its node does not meet: "+
		"its JSON pointer, its parent's module, its key, and why (with a suggestion when a key the module reads is close).",
		"It is kzrt's BranchWarning, as kzgen validate reports it.")
	f.Type().Id("LintWarning").Op("=").Qual(kzrt, "BranchWarning")

	g.comment("Lint warns about every child of the tree under b that Kazoo never takes: a key its module never reads "+
		"(CheckCID().Branch(\"matched\", …): check_cid reads \"match\"), one it reads only under other settings "+
		"(\"match\" with use_absolute_mode on), or \"_\" under a module that never continues there. "+
		"Kazoo accepts a child under any key, so these are warnings: Validate does not report them. "+
		"kzgen validate reports the same, from the same table. Modules the table does not describe are not judged.",
		"b is a builder or a *Node; the warnings come in Walk's order, with JSON pointers from b's node.")
	f.Func().Id("Lint").Params(jen.Id("b").Id("Builder")).Index().Id("LintWarning").Block(
		jen.If(jen.Id("b").Op("==").Nil()).Block(jen.Return(jen.Nil())),
		jen.Return(jen.Id("branchRules").Dot("Lint").Call(jen.Id("b").Dot("Node").Call())),
	)
	if g.document == nil {
		return
	}
	g.comment("Lint warns about every child of the callflow's flow that Kazoo never takes, as the package's Lint does, " +
		"with JSON pointers from the document (/flow/children/…).")
	f.Func().Params(jen.Id("x").Op("*").Id("Document")).Id("Lint").Params().Index().Id("LintWarning").Block(
		jen.If(jen.Id("x").Op("==").Nil().Op("||").Id("x").Dot("Flow").Op("==").Nil()).Block(jen.Return(jen.Nil())),
		jen.Id("warnings").Op(":=").Id("branchRules").Dot("Lint").Call(jen.Id("x").Dot("Flow")),
		jen.For(jen.Id("i").Op(":=").Range().Id("warnings")).Block(
			jen.Id("warnings").Index(jen.Id("i")).Dot("Pointer").Op("=").Lit("/flow").Op("+").Id("warnings").Index(jen.Id("i")).Dot("Pointer"),
		),
		jen.Return(jen.Id("warnings")),
	)
}

// conditionLit renders a condition as a kzrt.BranchCondition literal.
func conditionLit(c kazoo.Condition) jen.Code {
	d := jen.Dict{jen.Id("Field"): jen.Lit(c.Field)}
	if c.Present != nil {
		d[jen.Id("Present")] = jen.New(jen.Lit(*c.Present))
	}
	if len(c.In) > 0 {
		var in []jen.Code
		for _, v := range c.In {
			in = append(in, jen.Lit(v))
		}
		d[jen.Id("In")] = jen.Index().Any().Values(in...)
	}
	if c.HasDefault {
		d[jen.Id("Default")] = jen.Lit(c.Default)
		d[jen.Id("HasDefault")] = jen.True()
	}
	return jen.Values(d)
}
