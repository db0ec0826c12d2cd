package golang

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/kzgen/kzgen/generator/model"
	"github.com/kzgen/kzgen/generator/validate"
	kzrtpkg "github.com/kzgen/kzgen/runtime/kzrt"
)

// Kazoo fills in the default of a missing property before it checks
// "required", then checks the default like any value (model.Field.MayOmit).
// A required property with a default may therefore be left out; and a
// default that breaks its own schema (callflows.audio_macro's macros
// defaults to [] but needs one item) is a problem whenever the property is
// left out. Which defaults do is decided here, once, by the schema-driven
// validator, and the generated Validate reports the same problems.

// defaultProblems finds, for every property type of set with a default,
// what Kazoo reports when it fills the default in; only types whose
// default fails are listed.
func defaultProblems(set *model.Set) (map[*model.Type]kzrtpkg.Errors, error) {
	v, err := validate.FromSet(set)
	if err != nil {
		return nil, fmt.Errorf("golang: preparing to check defaults: %w", err)
	}
	out := map[*model.Type]kzrtpkg.Errors{}
	seen := map[*model.Type]bool{}
	var walk func(t *model.Type) error
	walk = func(t *model.Type) error {
		if t == nil || seen[t] {
			return nil
		}
		seen[t] = true
		for _, f := range t.Fields {
			problems, err := v.DefaultProblems(f.Type)
			if err != nil {
				return err
			}
			if len(problems) > 0 {
				out[f.Type] = problems
			}
		}
		for _, c := range children(t) {
			if err := walk(c); err != nil {
				return err
			}
		}
		return nil
	}
	for _, s := range set.Schemas {
		if err := walk(s.Root); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// defaultChecks reports, for a missing property of type t whose default
// breaks its schema, the problems Kazoo finds in the default it fills in.
func (g *generator) defaultChecks(name string, t *model.Type) []jen.Code {
	problems := g.defaultProblems[t]
	if len(problems) == 0 {
		return nil
	}
	items := make([]jen.Code, len(problems))
	for i, p := range problems {
		msg := fmt.Sprintf("%s (the default Kazoo fills in, %s)", p.Message, compactJSON(t.Default))
		fields := jen.Dict{jen.Id("Code"): codeOf(p.Code), jen.Id("Message"): jen.Lit(msg)}
		if p.Pointer != "" {
			fields[jen.Id("Pointer")] = jen.Lit(p.Pointer)
		}
		items[i] = jen.Values(fields)
	}
	return []jen.Code{
		val.Clone().Dot("Push").Call(jen.Lit(name)),
		val.Clone().Dot("Merge").Call(jen.Qual(kzrt, "Errors").Values(items...)),
		val.Clone().Dot("Pop").Call(),
	}
}

// kazooCodes names kzrt's constant for each of Kazoo's error codes.
var kazooCodes = map[string]string{
	kzrtpkg.CodeType: "CodeType", kzrtpkg.CodeRequired: "CodeRequired", kzrtpkg.CodeEnum: "CodeEnum",
	kzrtpkg.CodeMinLength: "CodeMinLength", kzrtpkg.CodeMaxLength: "CodeMaxLength", kzrtpkg.CodePattern: "CodePattern",
	kzrtpkg.CodeFormat: "CodeFormat", kzrtpkg.CodeMinimum: "CodeMinimum", kzrtpkg.CodeMaximum: "CodeMaximum",
	kzrtpkg.CodeMinItems: "CodeMinItems", kzrtpkg.CodeMaxItems: "CodeMaxItems", kzrtpkg.CodeUniqueItems: "CodeUniqueItems",
	kzrtpkg.CodeMinProperties: "CodeMinProperties", kzrtpkg.CodeMaxProperties: "CodeMaxProperties",
	kzrtpkg.CodeAdditional: "CodeAdditional", kzrtpkg.CodeNoneOf: "CodeNoneOf", kzrtpkg.CodeSeveralOf: "CodeSeveralOf",
	kzrtpkg.CodeNoneOfAny: "CodeNoneOfAny", kzrtpkg.CodeError: "CodeError",
}

// codeOf is the expression for a Kazoo error code: kzrt's constant, or
// the string itself for a code kzrt does not name.
func codeOf(c string) jen.Code {
	if name, ok := kazooCodes[c]; ok {
		return code(name)
	}
	return jen.Lit(c)
}
