package validate

import (
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kzgen/kzgen/generator/model"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// run is one validation walk: the current JSON pointer, the problems found
// so far and, for the whole walk, the type errors Crossbar's second pass
// could convert away.
type run struct {
	v        *Validator
	path     []string
	problems kzrt.Errors
	// quiet runs only want a verdict: they record that something failed,
	// not what, and stop at the first problem.
	quiet  bool
	failed bool
	// stability is the system's stability level a stored callflow is
	// checked with (0: none; Pivot answers are never checked for it).
	stability int
	// fixes records type errors on the walk's own value (not inside a
	// oneOf/anyOf alternative, whose errors Kazoo does not list).
	fixes  *[]typeFix
	depth  int
	shared *runShared
}

// runShared is what a walk and the sub-walks of its union alternatives
// share.
type runShared struct {
	// verdicts keeps the verdict of each (alternative, value) pair already
	// tried, and problems the problems of those whose problems a message
	// needed, so that nested unions cannot make a walk exponential.
	verdicts map[memoKey]bool
	problems map[memoKey]kzrt.Errors
}

type memoKey struct {
	n *node
	v *value
}

// typeFix is a type error Crossbar may convert away.
type typeFix struct {
	path []string
	want string // "integer", "number" or "boolean"
	val  *value
}

// run validates root against n.
func (v *Validator) run(n *node, root *value) *run {
	r := &run{v: v, fixes: new([]typeFix), shared: &runShared{}}
	r.check(n, root)
	return r
}

// maxSteps bounds how deeply one walk may nest schema positions; a value
// nested maxDepth deep needs a few per level. It stops self-referencing
// schemas from recursing without end.
func (r *run) maxSteps() int { return 8*r.v.cfg.maxDepth + 64 }

func (r *run) push(token string) { r.path = append(r.path, token) }
func (r *run) pop()              { r.path = r.path[:len(r.path)-1] }

// report records a problem at the current pointer.
func (r *run) report(code, format string, args ...any) {
	if r.quiet {
		r.failed = true
		return
	}
	r.problems = append(r.problems, kzrt.Error{Pointer: pointer(r.path), Code: code, Message: fmt.Sprintf(format, args...)})
}

// pointer renders path tokens as a JSON pointer.
func pointer(path []string) string {
	var b strings.Builder
	for _, t := range path {
		b.WriteByte('/')
		b.WriteString(kzrt.EscapeToken(t))
	}
	return b.String()
}

// check validates val against n, the way jesse walks one schema: the
// declared type, then each keyword that applies to val's JSON type, then
// Kazoo's stability check.
func (r *run) check(n *node, val *value) {
	if r.failed {
		return // a quiet run has its verdict
	}
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > r.maxSteps() {
		r.report(model.CodeError, "the schemas nest deeper than %d levels here (a $ref cycle?); validation stopped", r.maxSteps())
		return
	}
	if len(n.declared) > 0 && !slices.ContainsFunc(n.declared, func(t string) bool { return hasType(val, t) }) {
		r.report(model.CodeType, "got %s, want %s", val.typeName(), strings.Join(n.declared, " or "))
		if len(n.declared) == 1 && r.fixes != nil {
			switch want := n.declared[0]; want {
			case "integer", "number", "boolean":
				*r.fixes = append(*r.fixes, typeFix{path: slices.Clone(r.path), want: want, val: val})
			}
		}
	}
	if n.ref != nil {
		if n.also != nil && r.quiet {
			r.check(n.also, val) // often a discriminator: the cheaper test first
		}
		r.check(n.ref, val)
		if n.also != nil && !r.quiet {
			r.check(n.also, val)
		}
	}
	if len(n.enum) > 0 && !slices.ContainsFunc(n.enum, func(e *value) bool { return equal(e, val) }) {
		r.report(model.CodeEnum, "%s is not one of %s", show(val), showList(n.enum))
	}
	switch val.kind {
	case kindString:
		r.checkString(n, val.s)
	case kindNumber:
		r.checkNumber(n, val)
	case kindArray:
		r.checkArray(n, val)
	case kindObject:
		r.checkObject(n, val)
	}
	if n.union {
		r.checkUnion(n, val)
	}
	if n.stability > 0 && r.stability > n.stability {
		r.report(model.CodeError, "Disallowed parameter: its stability level (%s) is lower than the system's (%s)",
			n.t.StabilityLevel, levelName(r.stability))
	}
}

func levelName(n int) string {
	for name, l := range stabilityLevels {
		if l == n {
			return name
		}
	}
	return ""
}

// hasType reports whether val is of the JSON Schema type t.
func hasType(val *value, t string) bool {
	switch t {
	case "string":
		return val.kind == kindString
	case "integer":
		return val.kind == kindNumber && val.isInt
	case "number":
		return val.kind == kindNumber
	case "boolean":
		return val.kind == kindBool
	case "object":
		return val.kind == kindObject
	case "array":
		return val.kind == kindArray
	case "null":
		return val.kind == kindNull
	case "any":
		return true
	}
	return false
}

func (r *run) checkString(n *node, s string) {
	if n.minLen >= 0 || n.maxLen >= 0 {
		length := utf8.RuneCountInString(s) // code points, as Kazoo counts
		if n.minLen >= 0 && length < n.minLen {
			r.report(model.CodeMinLength, "length %d, minimum %d", length, n.minLen)
		}
		if n.maxLen >= 0 && length > n.maxLen {
			r.report(model.CodeMaxLength, "length %d, maximum %d", length, n.maxLen)
		}
	}
	if n.pattern != nil && !n.pattern.MatchString(s) {
		r.report(model.CodePattern, "%q does not match pattern %s", s, model.QuotePattern(n.t))
	}
	if n.format != "" && !kzrt.FormatOK(n.format, s) {
		r.report(model.CodeFormat, "%q is not a valid %s", s, n.format)
	}
}

func (r *run) checkNumber(n *node, val *value) {
	if n.min == nil && n.max == nil {
		return
	}
	x, ok := val.rat()
	if !ok {
		// Beyond float64: whether Kazoo's decoder reads it at all is
		// unverified, so the bounds are not checked (the lenient choice).
		return
	}
	if n.min != nil {
		if c := x.Cmp(n.min); c < 0 || c == 0 && n.exclMin {
			r.report(model.CodeMinimum, "%s is less than the minimum %s", val.s, bound(n.min, n.exclMin, "greater than"))
		}
	}
	if n.max != nil {
		if c := x.Cmp(n.max); c > 0 || c == 0 && n.exclMax {
			r.report(model.CodeMaximum, "%s is greater than the maximum %s", val.s, bound(n.max, n.exclMax, "less than"))
		}
	}
}

func bound(b *big.Rat, exclusive bool, word string) string {
	if exclusive {
		return b.RatString() + " (it must be " + word + ")"
	}
	return b.RatString()
}

func (r *run) checkArray(n *node, val *value) {
	if k := len(val.items); n.minItems >= 0 && k < n.minItems {
		r.report(model.CodeMinItems, "%d items, minimum %d", k, n.minItems)
	} else if n.maxItems >= 0 && k > n.maxItems {
		r.report(model.CodeMaxItems, "%d items, maximum %d", k, n.maxItems)
	}
	if n.unique {
		seen := make(map[string]int, len(val.items))
		for i, item := range val.items {
			key := canonical(item)
			if j, dup := seen[key]; dup {
				r.report(model.CodeUniqueItems, "items %d and %d are equal; items must be unique", j, i)
				break
			}
			seen[key] = i
		}
	}
	if n.items != nil {
		for i, item := range val.items {
			r.push(strconv.Itoa(i))
			r.check(n.items, item)
			r.pop()
		}
	}
}

// checkObject applies the object keywords in the order jesse meets them in
// Kazoo's sorted schema files: the property counts (on the object as
// written), then "properties", which fills in the default of each missing
// property, then "required" (so a property with a default is never
// missing), then pattern properties and additional properties.
func (r *run) checkObject(n *node, obj *value) {
	if k := len(obj.members); n.minProps >= 0 && k < n.minProps {
		r.report(model.CodeMinProperties, "%d properties, minimum %d", k, n.minProps)
	} else if n.maxProps >= 0 && k > n.maxProps {
		r.report(model.CodeMaxProperties, "%d properties, maximum %d", k, n.maxProps)
	}
	for _, f := range n.fields {
		val := obj.get(f.name)
		if val == nil {
			if f.def == nil {
				if f.required {
					r.push(f.name)
					r.report(model.CodeRequired, "required property is missing")
					r.pop()
				}
				continue
			}
			val = f.def // filled in, then checked like any value
		}
		r.push(f.name)
		r.check(f.node, val)
		r.kazooCheck(f.node, val, obj)
		r.pop()
	}
	if len(n.patternProps) == 0 && n.additional == nil && !n.noAdditional {
		return
	}
	for _, m := range obj.members {
		matched := slices.ContainsFunc(n.fields, func(f *field) bool { return f.name == m.key })
		r.push(m.key)
		for _, p := range n.patternProps {
			if p.re.MatchString(m.key) {
				matched = true
				r.check(p.node, m.val)
			}
		}
		switch {
		case matched:
		case n.noAdditional:
			r.report(model.CodeAdditional, "property %q is not allowed", m.key)
		case n.additional != nil:
			r.check(n.additional, m.val)
		}
		r.pop()
	}
}

// kazooCheck runs the extra check Kazoo's extension module makes on a
// property's value; obj is the object holding it.
func (r *run) kazooCheck(n *node, val *value, obj *value) {
	switch n.check {
	case model.CheckClientURL:
		if val.kind == kindString {
			if err := r.v.cfg.blacklist.CheckURL(val.s); err != nil {
				r.report(model.CodeError, "%v", err)
			}
		}
	case model.CheckCallflowModule, model.CheckMetaflowModule:
		if val.kind != kindString || !r.checksFamily(n.check) {
			return
		}
		kind := strings.TrimSuffix(n.check.Family(), "s.")
		schema, isModule := r.v.set.Module(n.check.Family(), val.s)
		switch {
		case schema == nil:
			r.report(model.CodeError, "unable to find %s schema for module %s", kind, val.s)
		case !isModule:
			r.report(model.CodeError, "%q names the schema %s, which is no %s module: Kazoo's schema check accepts it, but the call fails when it runs",
				val.s, schema.ID, kind)
		}
	case model.CheckCallflowData, model.CheckMetaflowData:
		module := obj.get("module")
		if module == nil || module.kind != kindString || !r.checksFamily(n.check) {
			return
		}
		if schema, _ := r.v.set.Module(n.check.Family(), module.s); schema != nil {
			r.check(r.v.nodes[schema.Root], val)
		}
	}
}

// checksFamily reports whether module checks of c's family can run: the
// embedded callflow closure has no metaflows.<module> schemas, and then
// metaflow modules are not checked rather than all refused.
func (r *run) checksFamily(c model.Check) bool {
	return c.Family() != model.MetaflowFamily || r.v.metaflows
}

// checkUnion applies oneOf or anyOf, or picks the variant of a type list
// that matches val's JSON type. Kazoo reports a failed oneOf as one
// problem at the union; its message says what each alternative found, or
// for a discriminated union, what the selected alternative found.
func (r *run) checkUnion(n *node, val *value) {
	if n.shared != nil {
		r.check(n.shared, val)
	}
	if n.typeList {
		for i, t := range n.variantTypes {
			if hasType(val, t) {
				r.check(n.variants[i], val)
				return
			}
		}
		return // the declared type was reported
	}
	valid := 0
	for _, vn := range n.variants {
		if r.alternative(vn, val) {
			valid++
		}
	}
	switch {
	case n.oneOf && valid > 1:
		r.report(model.CodeSeveralOf, "more than one alternative matches (%d of %d)", valid, len(n.variants))
	case valid == 0 && r.quiet:
		r.failed = true
	case valid == 0 && n.oneOf:
		r.report(model.CodeNoneOf, "%s", r.noneMessage(n, val))
	case valid == 0:
		r.report(model.CodeNoneOfAny, "%s", r.noneMessage(n, val))
	}
}

// alternative reports whether val passes one union alternative, checked
// on the side (quietly) and remembered.
func (r *run) alternative(n *node, val *value) bool {
	key := memoKey{n, val}
	if ok, seen := r.shared.verdicts[key]; seen && !val.shared {
		return ok
	}
	sub := &run{v: r.v, path: r.path, depth: r.depth, shared: r.shared, quiet: true, stability: r.stability}
	sub.check(n, val)
	if !val.shared {
		if r.shared.verdicts == nil {
			r.shared.verdicts = map[memoKey]bool{}
		}
		r.shared.verdicts[key] = !sub.failed
	}
	return !sub.failed
}

// alternativeProblems returns what one union alternative finds in val, for
// the message of a union that no alternative passes.
func (r *run) alternativeProblems(n *node, val *value) kzrt.Errors {
	key := memoKey{n, val}
	if errs, seen := r.shared.problems[key]; seen && !val.shared {
		return errs
	}
	sub := &run{v: r.v, path: slices.Clone(r.path), depth: r.depth, shared: r.shared, stability: r.stability}
	sub.check(n, val)
	if !val.shared {
		if r.shared.problems == nil {
			r.shared.problems = map[memoKey]kzrt.Errors{}
		}
		r.shared.problems[key] = sub.problems
	}
	return sub.problems
}

// noneMessage says why no alternative of union n passes val: for a
// discriminated union what the selected alternative found, else the first
// problem of each.
func (r *run) noneMessage(n *node, val *value) string {
	if n.disc != nil && val.kind == kindObject {
		if d := val.get(n.disc.Property); d != nil && d.kind == kindString {
			for i, c := range n.disc.Cases {
				if c.Value == d.s {
					errs := r.alternativeProblems(n.variants[i], val)
					return fmt.Sprintf("no alternative matches; as a %s %q item: %s", n.disc.Property, c.Value, brief(errs.Error()))
				}
			}
		}
	}
	var parts []string
	for i, vn := range n.variants {
		errs := r.alternativeProblems(vn, val)
		if len(errs) == 0 { // cannot happen: the alternative failed
			continue
		}
		parts = append(parts, fmt.Sprintf("(%d) %s", i+1, brief(errs[0].Error())))
	}
	return "no alternative matches: " + strings.Join(parts, "; ")
}

// brief cuts a nested problem's text for a union's message, so that
// messages of nested unions cannot grow without bound.
func brief(s string) string {
	const limit = 200
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	return string([]rune(s)[:limit]) + "…"
}

// show renders a value briefly for messages.
func show(v *value) string {
	switch v.kind {
	case kindString:
		return strconv.Quote(v.s)
	case kindNumber:
		return v.s
	case kindBool:
		return strconv.FormatBool(v.b)
	case kindNull:
		return "null"
	case kindArray:
		return "an array"
	}
	return "an object"
}

func showList(vs []*value) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = show(v)
	}
	return strings.Join(parts, ", ")
}
