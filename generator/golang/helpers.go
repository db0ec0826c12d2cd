package golang

import (
	kzrtpkg "github.com/kzgen/kzgen/runtime/kzrt"

	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kzgen/kzgen/generator/model"
)

// EndpointsFile is the file of a callflow package that declares the
// member builder of ring and page groups (EndpointBuilder, UserEndpoint…)
// when its set has such lists, and the helpers the builders share.
const EndpointsFile = "helpers.kz.go"

// endpointHelpers describes the member lists of ring and page groups: list
// items identified by a required "id" and a required "endpoint_type" enum,
// all of the same shape. One EndpointBuilder builds a member for any of
// them.
type endpointHelpers struct {
	// items are the item types, in schema order; the builder stores the
	// first one's.
	items []*model.Type
	// builder is the builder type; ctors its constructors by
	// endpoint_type value, in enum order.
	builder string
	ctors   []endpointCtor
	// iface and conv name, by item type, the interface of what yields an
	// item and the function turning a list of them into items.
	iface, conv map[*model.Type]string
}

type endpointCtor struct{ name, value string }

// endpointFields are the two properties every member has.
const (
	endpointIDField   = "id"
	endpointTypeField = "endpoint_type"
)

// nameEndpoints finds the member lists of the set's modules and names
// their helpers.
func (g *generator) nameEndpoints() {
	var items []*model.Type
	shape := ""
	for _, m := range g.mods {
		g.forEachType(m.schema.Root, func(t *model.Type) {
			s, ok := g.endpointShape(t)
			if !ok || slices.Contains(items, t) {
				return
			}
			if shape == "" {
				shape = s
			}
			if s == shape {
				items = append(items, t)
			}
		})
	}
	if len(items) == 0 {
		return
	}
	e := &endpointHelpers{items: items, iface: map[*model.Type]string{}, conv: map[*model.Type]string{}}
	e.builder = g.names.claim("EndpointBuilder")
	for _, f := range items[0].Fields {
		if f.Name == endpointTypeField {
			for _, v := range dedupe(enumStrings(f.Type.Resolve())) {
				e.ctors = append(e.ctors, endpointCtor{name: g.names.claim(identifier(v) + "Endpoint"), value: v})
			}
		}
	}
	for _, t := range items {
		e.iface[t] = g.names.claim(g.typeName[t] + "Builder")
		e.conv[t] = lowerFirst(g.typeName[t]) + "s"
	}
	g.helpers.endpoints = e
}

// endpointShape returns a description of t's properties when t is a
// member of a ring or page group: a declared object that is a list's item,
// with a required "id" string and a required "endpoint_type" enum, and
// otherwise only scalar properties. Two members of the same shape can be
// built by one builder.
func (g *generator) endpointShape(t *model.Type) (string, bool) {
	if t.Kind != model.Object || len(t.Path) == 0 || t.Path[len(t.Path)-1] != "item" {
		return "", false
	}
	if _, named := g.typeName[t]; !named {
		return "", false
	}
	var parts []string
	var hasID, hasType bool
	for _, f := range t.Fields {
		r := f.Type.Resolve()
		switch {
		case f.Name == endpointIDField && f.Required && r.Kind == model.String && len(r.Enum) == 0:
			hasID = true
		case f.Name == endpointTypeField && f.Required && r.Kind == model.String && len(r.Enum) > 0:
			hasType = true
		case r.Kind != model.String && r.Kind != model.Integer && r.Kind != model.Bool && r.Kind != model.Number:
			return "", false
		}
		parts = append(parts, fmt.Sprintf("%s:%v:%v:%q", f.Name, r.Kind, f.Required, enumStrings(r)))
	}
	return strings.Join(parts, ","), hasID && hasType
}

// builderIface is the interface a builder takes a value of t as: the
// Builder interface of a discriminated union, or of a group member
// (RingGroupEndpointBuilder); "" for a value taken as it is.
func (g *generator) builderIface(t *model.Type) string {
	if b := g.discBuilder(t); b != "" {
		return b
	}
	if g.helpers == nil || g.helpers.endpoints == nil {
		return ""
	}
	if d := g.decl(t); d != nil {
		return g.helpers.endpoints.iface[d]
	}
	return ""
}

// paramProblems returns the statement that records, on node (the
// builder's), the problems of the group members given as parameter v (a Duration setter
// given a fraction of a second); nil for other parameters.
func (g *generator) paramProblems(p builderParam, v, node *jen.Statement) jen.Code {
	if g.helpers == nil || g.shapeOf(p.Type) != shapeSlice || !g.itemsHaveProblems(p.Type.Resolve().Items) {
		return nil
	}
	return node.Dot("SetProblems").Call(jen.Lit(problemPointer(p.Name)), jen.Id("itemProblems").Call(v))
}

// itemsHaveProblems reports whether values of t may be given as builders
// that record problems: group members, and the items of a discriminated
// union one of whose item builders has Duration setters.
func (g *generator) itemsHaveProblems(t *model.Type) bool {
	d := g.decl(t)
	if d == nil {
		return false
	}
	if e := g.helpers.endpoints; e != nil && e.iface[d] != "" {
		return true
	}
	if u := g.disc[d]; u != nil {
		for _, c := range u.cases {
			if _, _, durations := g.itemParams(u, c); len(durations) > 0 {
				return true
			}
		}
	}
	return false
}

// itemParams are the constructor's arguments, the setters and the
// Duration setters of the item builder of case c of the discriminated
// union u; none for a case without a root.
func (g *generator) itemParams(u *discUnion, c discCase) (args, setters []builderParam, durations []durationSetter) {
	if c.root == nil {
		return nil, nil, nil
	}
	args, setters = g.params(structFields(c.root.Fields), u.name)
	return args, setters, g.durationSetters(setters, setterNames(setters))
}

// setterNames is the set of the setters' method names, which Duration
// setters must not take.
func setterNames(setters []builderParam) nameSet {
	taken := nameSet{}
	for _, s := range setters {
		taken[s.name] = true
	}
	return taken
}

// needsItemProblems reports whether the package needs the itemProblems
// helper: some list takes builders that record problems.
func (g *generator) needsItemProblems() bool {
	if g.helpers == nil {
		return false
	}
	if g.helpers.endpoints != nil {
		return true
	}
	for _, u := range g.disc {
		for _, c := range u.cases {
			if _, _, durations := g.itemParams(u, c); len(durations) > 0 {
				return true
			}
		}
	}
	return false
}

// emitSchemaHelpers adds to a schema's file the helpers of its types:
// the Builder interface of a group member, and the constructors of each
// union's alternatives.
func (g *generator) emitSchemaHelpers(s *model.Schema) {
	g.forEachType(s.Root, func(t *model.Type) {
		if g.isMember(t) {
			g.emitMemberInterface(t)
		}
		if ctors := g.unionCtor[t]; ctors != nil && t.Schema == s {
			g.emitUnionConstructors(t, ctors)
		}
	})
}

// emitMemberInterface declares what a builder of t's list takes.
func (g *generator) emitMemberInterface(t *model.Type) {
	e := g.helpers.endpoints
	name, iface, conv := g.typeName[t], e.iface[t], e.conv[t]
	ctors := make([]string, len(e.ctors))
	for i, c := range e.ctors {
		ctors[i] = c.name
	}
	g.comment(fmt.Sprintf("%s is anything that yields %s: an *%s (%s), or %s itself. "+
		"Builders that take such values take it.", iface, article(name), e.builder, strings.Join(ctors, ", "), name))
	g.file.Type().Id(iface).Interface(
		jen.Comment(fmt.Sprintf("%s returns the value built.", name)),
		jen.Id(name).Params().Id(name),
	)
	g.comment(fmt.Sprintf("%s returns x, so %s can be given wherever %s is expected.", name, article(name), article(iface)))
	g.file.Func().Params(jen.Id("x").Id(name)).Id(name).Params().Id(name).Block(jen.Return(jen.Id("x")))
	g.comment(fmt.Sprintf("%s builds the values of bs.", conv))
	g.file.Func().Id(conv).Params(jen.Id("bs").Index().Id(iface)).Index().Id(name).Block(
		jen.If(jen.Id("bs").Op("==").Nil()).Block(jen.Return(jen.Nil())),
		jen.Id("out").Op(":=").Make(jen.Index().Id(name), jen.Len(jen.Id("bs"))),
		jen.For(jen.List(jen.Id("i"), jen.Id("b")).Op(":=").Range().Id("bs")).Block(
			jen.Id("out").Index(jen.Id("i")).Op("=").Id("b").Dot(name).Call(),
		),
		jen.Return(jen.Id("out")),
	)
}

// emitEndpoints fills EndpointsFile: the member builder, its
// constructors, setters and conversions, and the helpers the builders
// share.
func (g *generator) emitEndpoints() *jen.File {
	e := g.helpers.endpoints
	if e == nil {
		g.emitItemProblems()
		return g.file
	}
	first := e.items[0]
	firstName := g.typeName[first]
	fields := structFields(first.Fields)
	var lists []string
	for _, t := range e.items {
		lists = append(lists, fmt.Sprintf("%q in %s", strings.Join(t.Path[1:len(t.Path)-1], "."), t.Schema.ID))
	}
	g.comment(fmt.Sprintf("%s builds one member of a group Kazoo rings or pages (%s): a device, a user (all of the user's devices) "+
		"or a group (all of its members), by document ID, with its own settings. Start one with %s; the group builders take it. "+
		"Like every builder, its setters change it and return it, and the group stores the member as it is when given.",
		e.builder, strings.Join(lists, ", "), model.OrList(e.ctorNames())))
	g.file.Type().Id(e.builder).Struct(
		jen.Id("item").Id(firstName),
		jen.Comment("problems are what a setter could not store, relative to the member."),
		jen.Id("problems").Qual(kzrt, "Errors"),
	)
	var typeField, idField field
	for _, f := range fields {
		switch f.Name {
		case endpointTypeField:
			typeField = f
		case endpointIDField:
			idField = f
		}
	}
	for _, c := range e.ctors {
		g.comment(fmt.Sprintf("%s starts a group member whose %q is %q: the %s with the document ID id.", c.name, endpointTypeField, c.value, c.value))
		g.file.Func().Id(c.name).Params(jen.Id("id").String()).Op("*").Id(e.builder).Block(
			jen.Return(jen.Op("&").Id(e.builder).Values(jen.Dict{jen.Id("item"): jen.Id(firstName).Values(jen.Dict{
				jen.Id(idField.goName):   jen.Op("&").Id("id"),
				jen.Id(typeField.goName): jen.New(jen.Id(g.enumConst[g.decl(typeField.Type)][c.value])),
			})})),
		)
	}
	setters, durations := g.memberSetters()
	g.emitItemSetters(e.builder, setters, durations, jen.Id("b").Dot("item"))
	for _, t := range e.items {
		g.emitMemberConversion(t, first, fields)
	}
	g.comment("builderProblems returns what the setters could not store, relative to the member.")
	g.file.Func().Params(jen.Id("b").Op("*").Id(e.builder)).Id("builderProblems").Params().Qual(kzrt, "Errors").Block(
		jen.Return(jen.Id("b").Dot("problems")))
	g.emitItemProblems()
	return g.file
}

// memberSetters are the member builder's setters, one per property
// besides "id" and "endpoint_type", and its Duration setters.
func (g *generator) memberSetters() (setters []builderParam, durations []durationSetter) {
	e := g.helpers.endpoints
	var optional []field
	for _, f := range structFields(e.items[0].Fields) {
		if f.Name != endpointIDField && f.Name != endpointTypeField {
			optional = append(optional, f)
		}
	}
	_, setters = g.params(optional, e.builder)
	return setters, g.durationSetters(setters, setterNames(setters))
}

// emitMemberConversion declares the method of the member builder that
// yields a member of type t, converting from the stored first type.
func (g *generator) emitMemberConversion(t, first *model.Type, fields []field) {
	e := g.helpers.endpoints
	name := g.typeName[t]
	g.comment(fmt.Sprintf("%s returns the member built so far, for a list of %s.", name, name))
	if t == first {
		g.file.Func().Params(jen.Id("b").Op("*").Id(e.builder)).Id(name).Params().Id(name).Block(jen.Return(jen.Id("b").Dot("item")))
		return
	}
	targets := structFields(t.Fields)
	body := []jen.Code{jen.Id("x").Op(":=").Id("b").Dot("item"), jen.Var().Id("out").Id(name)}
	for i, f := range fields {
		to := targets[i]
		src, dst := jen.Id("x").Dot(f.goName), jen.Id("out").Dot(to.goName)
		if g.shapeOf(to.Type) == shapeEnum {
			body = append(body, jen.If(src.Clone().Op("!=").Nil()).Block(
				dst.Clone().Op("=").New(jen.Id(g.typeName[g.decl(to.Type)]).Call(jen.Op("*").Add(src.Clone())))))
		} else {
			body = append(body, dst.Op("=").Add(src))
		}
	}
	body = append(body, jen.Return(jen.Id("out")))
	g.file.Func().Params(jen.Id("b").Op("*").Id(e.builder)).Id(name).Params().Id(name).Block(body...)
}

// emitItemProblems declares the helper that collects the problems of list
// items given as builders.
func (g *generator) emitItemProblems() {
	g.comment("itemProblems collects what the builders given as list items could not store, with pointers relative to the list.")
	g.file.Func().Id("itemProblems").Types(jen.Id("T").Any()).Params(jen.Id("items").Index().Id("T")).Qual(kzrt, "Errors").Block(
		jen.Var().Id("out").Qual(kzrt, "Errors"),
		jen.For(jen.List(jen.Id("i"), jen.Id("item")).Op(":=").Range().Id("items")).Block(
			jen.List(jen.Id("b"), jen.Id("ok")).Op(":=").Any().Call(jen.Id("item")).Assert(jen.Interface(jen.Id("builderProblems").Params().Qual(kzrt, "Errors"))),
			jen.If(jen.Op("!").Id("ok")).Block(jen.Continue()),
			jen.For(jen.List(jen.Id("_"), jen.Id("e")).Op(":=").Range().Id("b").Dot("builderProblems").Call()).Block(
				jen.Id("e").Dot("Pointer").Op("=").Lit("/").Op("+").Qual("strconv", "Itoa").Call(jen.Id("i")).Op("+").Id("e").Dot("Pointer"),
				jen.Id("out").Op("=").Append(jen.Id("out"), jen.Id("e")),
			),
		),
		jen.Return(jen.Id("out")),
	)
}

// ---------------------------------------------------------------- unions

// nameUnionConstructors names a constructor per alternative of every
// union of the package that has no item builders: <Union>From<Field>
// (ConferencePlayEntryToneFromBool), so that a union value is one call.
func (g *generator) nameUnionConstructors() {
	g.unionCtor = map[*model.Type]map[string]string{}
	for _, s := range g.schemas() {
		g.forEachType(s.Root, func(t *model.Type) {
			name, named := g.typeName[t]
			if !named || t.Kind != model.Union || g.disc[t] != nil || g.unionCtor[t] != nil || g.sameEnum[t] != nil {
				return
			}
			_, alts := g.unionParts(t)
			ctors := map[string]string{}
			for _, a := range alts {
				ctors[a.goName] = g.names.claim(name + "From" + a.goName)
			}
			g.unionCtor[t] = ctors
		})
	}
}

// emitUnionConstructors declares the constructors of t's alternatives.
func (g *generator) emitUnionConstructors(t *model.Type, ctors map[string]string) {
	name := g.typeName[t]
	_, alts := g.unionParts(t)
	for _, a := range alts {
		ctor := ctors[a.goName]
		g.comment(fmt.Sprintf("%s returns %s holding v, %s.", ctor, article(name), withArticle(describeKind(a.t))))
		g.file.Func().Id(ctor).Params(jen.Id("v").Add(g.goType(a.t))).Id(name).Block(
			jen.Return(jen.Id(name).Values(jen.Dict{jen.Id(a.goName): g.setterValue(a.t, jen.Id("v"))})))
	}
}

// ---------------------------------------------------------------- named setters

// nameNamedSetters finds the module properties named like a schema of the
// set whose own type is looser than that schema (custom_sip_headers: a
// bare object in user and device, a union holding the schema in resources
// and offnet): their setters take the schema's type, so that one type
// serves every module (User().CustomSIPHeaders(h) and
// Resources().CustomSIPHeaders(h) take the same CustomSIPHeaders).
func (g *generator) nameNamedSetters() {
	g.helpers.namedSetter = map[*model.Type]*model.Schema{}
	for _, m := range g.mods {
		for _, f := range m.schema.Root.Fields {
			s := g.set.Schema(f.Name)
			if s == nil || s.Root.Kind != model.Map || g.shapeOf(f.Type) == shapeNamed {
				continue
			}
			if g.looseMap(f.Type) || g.unionAlternative(f.Type, s) != "" {
				g.helpers.namedSetter[f.Type] = s
			}
		}
	}
}

// looseMap reports whether t is an object that takes any property value
// (map[string]json.RawMessage).
func (g *generator) looseMap(t *model.Type) bool {
	return g.decl(t) == nil && t.Kind == model.Map && mapValue(t).Kind == model.Any
}

// unionAlternative returns the field of the union t that holds the schema
// s, "" when t is no such union.
func (g *generator) unionAlternative(t *model.Type, s *model.Schema) string {
	d := g.decl(t)
	if d == nil || d.Kind != model.Union || g.disc[d] != nil {
		return ""
	}
	_, alts := g.unionParts(d)
	for _, a := range alts {
		if a.t.Kind == model.Ref && a.t.Target == s {
			return a.goName
		}
	}
	return ""
}

// namedSetters applies nameNamedSetters to a builder's setters: a setter
// of such a property takes the schema's type, and for a union property a
// second setter, <Name>Value, takes any of the union's forms.
func (g *generator) namedSetters(setters []builderParam, taken nameSet) []builderParam {
	if g.helpers == nil {
		return setters
	}
	var out []builderParam
	for _, p := range setters {
		s := g.helpers.namedSetter[p.Type]
		if s == nil {
			out = append(out, p)
			continue
		}
		typed := p
		typed.named = s
		out = append(out, typed)
		if g.unionAlternative(p.Type, s) != "" {
			whole := p
			whole.name = taken.claim(p.name + "Value")
			out = append(out, whole)
		}
	}
	return out
}

// namedType and namedValue are paramType and paramValue for a setter that
// takes a schema's type (builderParam.named).
func (g *generator) namedType(p builderParam) *jen.Statement { return g.goType(p.named.Root) }

func (g *generator) namedValue(p builderParam, v *jen.Statement) *jen.Statement {
	if alt := g.unionAlternative(p.Type, p.named); alt != "" {
		return jen.Op("&").Id(g.typeName[g.decl(p.Type)]).Values(jen.Dict{jen.Id(alt): v})
	}
	return jen.Qual(kzrt, "JSONStrings").Call(v)
}

// ---------------------------------------------------------------- builder API

// builderAPI is everything a module's builder declares besides Then,
// Branch, Node, MarshalJSON and Validate: the constructor's arguments,
// the setters, the Duration setters and the branch methods. Generate and
// API both use it, so the reference pages name what the code declares.
type builderAPI struct {
	args, setters []builderParam
	durations     []durationSetter
	branches      []branchMethod
}

func (g *generator) builderAPI(m module) builderAPI {
	args, setters := g.builderParams(m)
	taken := setterNames(setters)
	for _, n := range builderMembers {
		taken[n] = true
	}
	api := builderAPI{args: args, setters: setters}
	api.branches = g.branchMethods(m, taken)
	api.durations = g.durationSetters(setters, taken)
	return api
}

// hasDuration reports whether the setter p has a Duration setter beside
// it.
func (a builderAPI) hasDuration(p builderParam) bool {
	return slices.ContainsFunc(a.durations, func(d durationSetter) bool { return d.p.Name == p.Name && d.p.name == p.name })
}

// setterNote adds to a setter's doc comment what it takes when that is
// not the property's own type (nameNamedSetters).
func (g *generator) setterNote(p builderParam) string {
	if g.helpers == nil {
		return ""
	}
	s := g.helpers.namedSetter[p.Type]
	switch {
	case s == nil:
		return ""
	case p.named != nil && g.unionAlternative(p.Type, s) != "":
		return fmt.Sprintf("It takes %s, as every builder with this property does; %sValue takes its other forms.", g.typeName[s.Root], p.name)
	case p.named != nil:
		return fmt.Sprintf("It takes %s, as every builder with this property does, and stores each value as a JSON string.", g.typeName[s.Root])
	}
	return fmt.Sprintf("It takes any of the property's forms, built with the constructors of %s.", g.typeName[g.decl(p.Type)])
}

// ctorNames lists the member constructors.
func (e *endpointHelpers) ctorNames() []string {
	out := make([]string, len(e.ctors))
	for i, c := range e.ctors {
		out[i] = c.name
	}
	return out
}

// isMember reports whether d, a declared type, is a group member built by
// the member builder.
func (g *generator) isMember(d *model.Type) bool {
	return d != nil && g.helpers != nil && g.helpers.endpoints != nil && g.helpers.endpoints.iface[d] != ""
}

// memberCall is the member builder chain that makes the sampled group
// member v: UserEndpoint("…").Delay(5), for the examples.
func (g *generator) memberCall(v any) (*jen.Statement, error) {
	e := g.helpers.endpoints
	members, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("sample %v for an object", v)
	}
	i := slices.IndexFunc(e.ctors, func(c endpointCtor) bool { return members[endpointTypeField] == c.value })
	if i < 0 {
		return nil, fmt.Errorf("the sample's %q is no member kind", endpointTypeField)
	}
	members = maps.Clone(members)
	delete(members, endpointTypeField)
	var id []field
	for _, f := range structFields(e.items[0].Fields) {
		if f.Name == endpointIDField {
			id = append(id, f)
		}
	}
	args, _ := g.params(id)
	setters, _ := g.memberSetters()
	return g.builderChain(e.ctors[i].name, args, setters, members)
}

// emitItemSetters declares the setters of an item builder (one building a
// value inside a node's data, such as a group member or an audio_macro
// item) named builder, whose value is target: the raw setters, each
// clearing the problem its Duration setter may have recorded, then the
// Duration setters.
func (g *generator) emitItemSetters(builder string, setters []builderParam, durations []durationSetter, target *jen.Statement) {
	for _, s := range setters {
		var extra []jen.Code
		if slices.ContainsFunc(durations, func(d durationSetter) bool { return d.p.Name == s.Name }) {
			extra = append(extra, jen.Id("b").Dot("problems").Dot("Replace").Call(jen.Lit("/"+kzrtpkg.EscapeToken(s.Name)), jen.Nil()))
		}
		g.emitSetter(builder, s, target.Clone(), extra...)
	}
	for _, d := range durations {
		g.emitDurationSetter(builder, d, target.Clone(), nil)
	}
}
