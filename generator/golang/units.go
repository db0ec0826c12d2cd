package golang

import (
	kzrtpkg "github.com/kzgen/kzgen/runtime/kzrt"

	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kzgen/kzgen/generator/kazoo"
	"github.com/kzgen/kzgen/generator/model"
)

// unitOf returns the unit Kazoo counts the field of type t in, from the
// table, and false when it is unknown (or the field is no duration).
func (g *generator) unitOf(t *model.Type) (kazoo.Unit, bool) {
	if g.table == nil || t == nil || t.Schema == nil {
		return "", false
	}
	u, ok := g.table.Unit(t.Schema.ID, t.Pointer)
	return u.Unit, ok
}

// unitNote says in a doc comment what a duration field counts in: "Kazoo
// counts it in seconds.", "" when unknown.
func (g *generator) unitNote(t *model.Type) string {
	u, ok := g.unitOf(t)
	if !ok {
		return ""
	}
	return fmt.Sprintf("Kazoo counts it in %s.", u.Word())
}

// durationSetter is a builder method that sets a duration field from a
// time.Duration, beside the setter that takes the raw number.
type durationSetter struct {
	name string
	p    builderParam
	unit kazoo.Unit
	// alt is, for a field whose type is a union with an integer
	// alternative (send_dtmf's duration_ms), that alternative's field.
	alt string
}

// durationName names the Duration setter of the raw setter raw (a Go
// name): the field's name without a trailing unit word, which the
// time.Duration carries ("ReqTimeoutMS" → "ReqTimeout", "RecordMinSec" →
// "RecordMin"), followed by "Duration" ("TimeoutDuration"), unless the
// name already ends in "Duration" and is free ("DurationMS" →
// "Duration").
func durationName(raw string, taken nameSet) string {
	words := splitWords(raw)
	if n := len(words); n > 1 {
		switch strings.ToLower(words[n-1]) {
		case "ms", "sec", "secs", "seconds", "s":
			raw = strings.Join(words[:n-1], "")
		}
	}
	if strings.HasSuffix(raw, "Duration") && !taken[raw] {
		return raw
	}
	return raw + "Duration"
}

// durationSetters lists the Duration setters of a builder whose raw
// setters are setters: one per integer field (or union with an integer
// alternative) whose unit the table knows. A name already taken is left
// out.
func (g *generator) durationSetters(setters []builderParam, taken nameSet) []durationSetter {
	var out []durationSetter
	for _, p := range setters {
		u, ok := g.unitOf(p.Type)
		if !ok || p.variadic {
			continue
		}
		d := durationSetter{p: p, unit: u}
		switch g.shapeOf(p.Type) {
		case shapeInt:
		case shapeStruct:
			decl := g.decl(p.Type)
			if decl.Kind != model.Union || g.disc[decl] != nil {
				continue
			}
			_, alts := g.unionParts(decl)
			for _, a := range alts {
				if a.t.Resolve().Kind == model.Integer && g.shapeOf(a.t) == shapeInt {
					d.alt = a.goName
					break
				}
			}
			if d.alt == "" {
				continue
			}
		default:
			continue
		}
		d.name = durationName(p.name, taken)
		if taken[d.name] {
			continue
		}
		taken[d.name] = true
		out = append(out, d)
	}
	return out
}

// problemPointer is the JSON pointer, relative to the node, of the
// property a builder sets.
func problemPointer(prop string) string { return "/data/" + kzrtpkg.EscapeToken(prop) }

// escapePointer escapes a JSON pointer token.

// emitDurationSetter declares a Duration setter on the builder build,
// whose data is data and whose node is node (nil for a builder without a
// node of its own, which keeps its problems in a problems field).
func (g *generator) emitDurationSetter(build string, d durationSetter, data, node *jen.Statement) {
	word := d.unit.Word()
	example := "20*time.Second sets 20"
	if d.unit == kazoo.Milliseconds {
		example = "1500*time.Millisecond sets 1500"
	}
	g.comment(fmt.Sprintf("%s sets %q, which Kazoo counts in %s, from a time.Duration: %s. "+
		"A negative duration, or one that is no whole number of %s, is not set, and Validate reports it "+
		"rather than rounding. %s is the same with the number itself.", d.name, d.p.Name, word, example, word, d.p.name))
	count := jen.Id("n")
	value := jen.Op("&").Add(count.Clone())
	if d.alt != "" {
		value = jen.Op("&").Id(g.typeName[g.decl(d.p.Type)]).Values(jen.Dict{jen.Id(d.alt): jen.Op("&").Add(count.Clone())})
	}
	var record jen.Code
	if node != nil {
		record = node.Clone().Dot("SetProblem").Call(jen.Lit(problemPointer(d.p.Name)), jen.Err())
	} else {
		record = jen.Id("b").Dot("problems").Dot("Replace").Call(jen.Lit("/"+kzrtpkg.EscapeToken(d.p.Name)), jen.Err())
	}
	g.file.Func().Params(jen.Id("b").Op("*").Id(build)).Id(d.name).Params(jen.Id("d").Qual("time", "Duration")).Op("*").Id(build).Block(
		jen.List(count.Clone(), jen.Err()).Op(":=").Qual(kzrt, "DurationCount").Call(jen.Id("d"), unitExpr(d.unit)),
		record,
		jen.If(jen.Err().Op("==").Nil()).Block(data.Clone().Dot(d.p.goName).Op("=").Add(value)),
		jen.Return(jen.Id("b")),
	)
}
