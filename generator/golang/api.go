package golang

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kzgen/kzgen/generator/model"
)

// Module is the Go API Generate emits for one callflow module with
// Options.Nodes: its data type and its fluent builder. Other emitters (the
// reference docs) use it to show the exact names users type.
type Module struct {
	// Name is the module, as in a node's "module" key ("tts").
	Name string
	// SchemaID is the schema of the module's data ("callflows.tts").
	SchemaID string
	// DataType is the Go type of the data ("TTSData").
	DataType string
	// Builder is the builder type ("TTSBuilder").
	Builder string
	// Constructor starts a builder ("TTS").
	Constructor string
	// Args are the constructor's arguments: the required properties, in
	// schema order.
	Args []Param
	// Setters are the builder's methods for the optional properties.
	Setters []Param
	// Durations are the setters that take a time.Duration, beside the
	// raw setter of a field whose unit Kazoo's table knows.
	Durations []DurationSetter
	// Branches are the methods that attach a child under a key the module
	// reads (OnDigits, OnMatch…), in the order Kazoo tries the keys.
	Branches []BranchMethod
	// Items are the builders of the list items the constructor or a
	// setter takes (group members, audio_macro items), in parameter
	// order.
	Items []ItemBuilder
}

// ItemBuilder is a builder of values inside a module's data rather than
// of a node: the member builder of ring and page groups (EndpointBuilder,
// started by UserEndpoint…), or the builder of one kind of a
// discriminated union's items (ToneMacroBuilder, started by ToneMacro).
type ItemBuilder struct {
	// Property is the module's list property whose items it builds
	// ("endpoints"); Interface is the type the module's builder takes
	// them as ("RingGroupEndpointBuilder").
	Property, Interface string
	// Builder is the builder type ("EndpointBuilder").
	Builder string
	// Constructors start one, with their arguments: UserEndpoint(id),
	// DeviceEndpoint(id)…
	Constructors []ItemConstructor
	// Setters are its methods for the item's other properties; Durations
	// those that take a time.Duration, as a Module's.
	Setters   []Param
	Durations []DurationSetter
	// SchemaID and Pointer locate, in the module's data, the object type
	// of the values it builds: ("callflows.ring_group",
	// "/properties/endpoints/items"), ("callflows.audio_macro.tone", "").
	SchemaID, Pointer string
}

// ItemConstructor is a function that starts an item builder.
type ItemConstructor struct {
	// Name is the function ("UserEndpoint"); Args its arguments, the
	// item's required properties.
	Name string
	Args []Param
}

// Signature is the constructor c's Go signature:
// "func UserEndpoint(id string) *EndpointBuilder".
func (b ItemBuilder) Signature(c ItemConstructor) string {
	return constructorSignature(c.Name, c.Args, b.Builder)
}

// SetterSignature is a setter's Go signature:
// "func (b *EndpointBuilder) Delay(v int64) *EndpointBuilder".
func (b ItemBuilder) SetterSignature(s Param) string {
	return methodSignature(b.Builder, s.Name, s.Decl("v"))
}

// MethodSignature is the Go signature of the builder's chaining method
// name with the parameter list params.
func (b ItemBuilder) MethodSignature(name, params string) string {
	return methodSignature(b.Builder, name, params)
}

// DurationSetter is a builder method that sets a duration field from a
// time.Duration.
type DurationSetter struct {
	// Name is the method ("TimeoutDuration"); Property the JSON property.
	Name, Property string
	// Unit is what Kazoo counts the property in: "ms" or "s".
	Unit string
}

// BranchMethod is a builder method that attaches a child under a key the
// module reads.
type BranchMethod struct {
	// Name is the method ("OnDigits").
	Name string
	// Key is the fixed key ("timeout"), empty for a key family; Family
	// names the family (kazoo.Family.Name) otherwise.
	Key, Family string
	// Params is the parameter list as declared: "next Builder",
	// "digits string, next Builder".
	Params string
}

// Param is one constructor argument or one setter of a builder.
type Param struct {
	// Name is the argument's name, or the setter's method name.
	Name string
	// Property is the JSON property the value is stored in.
	Property string
	// Type is the Go type the parameter is declared with, as source text
	// ("string", "[]string", "json.RawMessage"); for a variadic parameter
	// it is the item type.
	Type string
	// Variadic is set for a list taken as "...Type".
	Variadic bool
	// Consts are the constants of Type when it is a generated enum (for a
	// variadic parameter, of the item type), in schema order.
	Consts []Const
}

// Const is one constant of a generated enum type.
type Const struct {
	// Name is the Go constant ("TTSEngineFlite"); Value its string.
	Name, Value string
}

// Decl is the parameter as declared in a signature: "text string",
// "endpoints ...RingGroupEndpoint".
func (p Param) Decl(name string) string {
	if p.Variadic {
		return name + " ..." + p.Type
	}
	return name + " " + p.Type
}

// Signature is the constructor's Go signature:
// "func TTS(text string) *TTSBuilder".
func (m Module) Signature() string {
	return constructorSignature(m.Constructor, m.Args, m.Builder)
}

func constructorSignature(name string, args []Param, builder string) string {
	decls := make([]string, len(args))
	for i, a := range args {
		decls[i] = a.Decl(a.Name)
	}
	return fmt.Sprintf("func %s(%s) *%s", name, strings.Join(decls, ", "), builder)
}

// SetterSignature is a setter's Go signature:
// "func (b *TTSBuilder) Voice(v string) *TTSBuilder".
func (m Module) SetterSignature(s Param) string {
	return m.MethodSignature(s.Name, s.Decl("v"))
}

// MethodSignature is the Go signature of the builder's chaining method
// name with the parameter list params:
// "func (b *MenuBuilder) OnDigits(digits string, next Builder) *MenuBuilder".
func (m Module) MethodSignature(name, params string) string {
	return methodSignature(m.Builder, name, params)
}

func methodSignature(builder, name, params string) string {
	return fmt.Sprintf("func (b *%s) %s(%s) *%s", builder, name, params, builder)
}

// API returns the Go API Generate emits for the callflow modules of set
// with the same options, sorted by module name. It decides every name
// exactly as Generate does, so the two never disagree. opts must have
// Nodes and a TrimPrefix, as for a package shaped like gen/callflow.
func API(set *model.Set, opts Options) ([]Module, error) {
	if !opts.Nodes || opts.TrimPrefix == "" {
		return nil, errors.New("golang: API needs Options.Nodes and a TrimPrefix")
	}
	g, err := newGenerator(set, opts)
	if err != nil {
		return nil, err
	}
	out := make([]Module, 0, len(g.mods))
	for _, m := range g.mods {
		api := g.builderAPI(m)
		mod := Module{Name: m.name, SchemaID: m.schema.ID, DataType: m.data, Builder: m.build, Constructor: m.ctor}
		mod.Args = g.apiParams(api.args)
		mod.Setters = g.apiParams(api.setters)
		mod.Durations = apiDurations(api.durations)
		for _, b := range api.branches {
			bm := BranchMethod{Name: b.name, Key: b.key.Fixed, Params: b.decl()}
			if b.key.Family != nil {
				bm.Family = b.key.Family.Name
			}
			mod.Branches = append(mod.Branches, bm)
		}
		for _, p := range append(slices.Clone(api.args), api.setters...) {
			mod.Items = append(mod.Items, g.itemBuilders(p)...)
		}
		out = append(out, mod)
	}
	return out, nil
}

// itemBuilders returns the builders of the items of the list parameter p:
// the member builder for a group's members, one per kind for a
// discriminated union's items; none for other parameters.
func (g *generator) itemBuilders(p builderParam) []ItemBuilder {
	if g.shapeOf(p.Type) != shapeSlice {
		return nil
	}
	items := p.Type.Resolve().Items
	d := g.decl(items)
	if d == nil {
		return nil
	}
	iface := g.builderIface(items)
	if g.isMember(d) {
		setters, durations := g.memberSetters()
		b := ItemBuilder{Property: p.Name, Interface: iface, Builder: g.helpers.endpoints.builder,
			Setters: g.apiParams(setters), Durations: apiDurations(durations), SchemaID: d.Schema.ID, Pointer: d.Pointer}
		id := Param{Name: "id", Property: endpointIDField, Type: "string"}
		for _, c := range g.helpers.endpoints.ctors {
			b.Constructors = append(b.Constructors, ItemConstructor{Name: c.name, Args: []Param{id}})
		}
		return []ItemBuilder{b}
	}
	u := g.disc[d]
	if u == nil {
		return nil
	}
	var out []ItemBuilder
	for _, c := range u.cases {
		if c.root == nil {
			continue
		}
		args, setters, durations := g.itemParams(u, c)
		out = append(out, ItemBuilder{Property: p.Name, Interface: iface, Builder: c.build,
			Constructors: []ItemConstructor{{Name: c.ctor, Args: g.apiParams(args)}},
			Setters:      g.apiParams(setters), Durations: apiDurations(durations),
			SchemaID: c.root.Schema.ID, Pointer: c.root.Pointer})
	}
	return out
}

func (g *generator) apiParams(ps []builderParam) []Param {
	var out []Param
	for _, p := range ps {
		out = append(out, g.apiParam(p))
	}
	return out
}

func apiDurations(ds []durationSetter) []DurationSetter {
	var out []DurationSetter
	for _, d := range ds {
		out = append(out, DurationSetter{Name: d.name, Property: d.p.Name, Unit: string(d.unit)})
	}
	return out
}

func (g *generator) apiParam(p builderParam) Param {
	out := Param{Name: p.name, Property: p.Name, Type: goSource(g.paramType(p)), Variadic: p.variadic}
	t := p.Type
	if p.variadic {
		t = t.Resolve().Items
	}
	if d := g.decl(t); d != nil && d.Kind == model.String && len(d.Enum) > 0 {
		for _, v := range dedupe(enumStrings(d)) {
			out.Consts = append(out.Consts, Const{Name: g.enumConst[d][v], Value: v})
		}
	}
	return out
}

// goSource renders a type expression as Go source, imported names
// qualified by their package name ("json.RawMessage").
func goSource(s *jen.Statement) string { return fmt.Sprintf("%#v", s) }
