package golang

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"

	"github.com/dave/jennifer/jen"

	"github.com/kzgen/kzgen/generator/model"
)

// This file adds Example to the nodes file: a function that builds a
// small node of each module with the module's own constructor, from
// sample arguments chosen here, at generation time, to satisfy the schema.
// The reference docs print these nodes, so their JSON is valid by
// construction rather than written by hand.

// emitExamples declares
//
//	func Example(module string) (*Node, bool)
//
// A module whose required values cannot be sampled (a constraint this
// file does not know how to satisfy) gets no case; Example then reports
// false for it, and a comment in the generated file says why.
func (g *generator) emitExamples() {
	type exampleCase struct {
		module string
		call   *jen.Statement
		err    error
	}
	cases := make([]exampleCase, len(g.mods))
	for i, m := range g.mods {
		call, err := g.exampleCall(m)
		cases[i] = exampleCase{module: m.name, call: call, err: err}
	}
	g.comment("Example returns a small node of module built with the module's constructor, "+
		"and false when module is not a callflow module this package has a schema for.",
		"The constructor gets sample values for the required properties, chosen by kzgen "+
			"when it generated this file so that they meet the schema: an enum's default or first value "+
			"(or the value naming a sibling's format, such as \"email\"), "+
			"a string of the allowed length, pattern and format, a number within bounds, lists with "+
			"at least one item, nested objects with their own required properties. Optional properties "+
			"are left unset and the node has no children.",
		"kzgen docs shows these nodes as JSON in its module reference pages.")
	g.file.Func().Id("Example").Params(jen.Id("module").String()).Params(jen.Op("*").Id("Node"), jen.Bool()).Block(
		jen.Switch(jen.Id("module")).BlockFunc(func(sw *jen.Group) {
			for _, c := range cases {
				if c.err != nil {
					sw.Comment(fmt.Sprintf("No example for %q: %v.", c.module, c.err))
					continue
				}
				sw.Case(jen.Lit(c.module)).Block(jen.Return(c.call.Dot("Node").Call(), jen.True()))
			}
		}),
		jen.Return(jen.Nil(), jen.False()),
	)
}

// exampleCall is the constructor call with sample arguments.
func (g *generator) exampleCall(m module) (*jen.Statement, error) {
	args, _ := g.builderParams(m)
	var values []jen.Code
	for _, a := range args {
		seed := m.schema.ID + "/" + a.Name
		if v, ok, err := g.sampleBuilt(a, seed); ok || err != nil {
			if err != nil {
				return nil, fmt.Errorf("%q: %w", a.Name, err)
			}
			values = append(values, v...)
			continue
		}
		if a.variadic {
			items, err := g.sampleItems(a.Type.Resolve(), a.Name, seed)
			if err != nil {
				return nil, fmt.Errorf("%q: %w", a.Name, err)
			}
			values = append(values, items...)
			continue
		}
		v, err := g.sample(a.Type, a.Name, seed, false)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", a.Name, err)
		}
		values = append(values, v)
	}
	return jen.Id(m.ctor).Call(values...), nil
}

// sampleBuilt samples a parameter that takes a discriminated union's
// values through its Builder interface (see paramType) with the item
// builders; ok is false for any other parameter.
func (g *generator) sampleBuilt(p builderParam, seed string) (values []jen.Code, ok bool, err error) {
	t := p.Type
	list := g.shapeOf(t) == shapeSlice
	if list {
		t = t.Resolve().Items
	}
	d := g.decl(t)
	if d == nil || g.disc[d] == nil {
		return nil, false, nil
	}
	item, err := g.sampleItemBuilder(g.disc[d], p.Name, seed)
	if err != nil {
		return nil, true, err
	}
	switch {
	case p.variadic:
		return []jen.Code{item}, true, nil
	case list:
		return []jen.Code{jen.Index().Id(g.disc[d].builder).Values(item)}, true, nil
	}
	return []jen.Code{item}, true, nil
}

// sampleItemBuilder is a call of the first item builder of u whose
// arguments can be sampled.
func (g *generator) sampleItemBuilder(u *discUnion, prop, seed string) (*jen.Statement, error) {
	var errs []string
	for _, c := range u.cases {
		args, _ := g.params(structFields(c.root.Fields))
		var values []jen.Code
		var err error
		for _, a := range args {
			var v []jen.Code
			if a.variadic {
				v, err = g.sampleItems(a.Type.Resolve(), a.Name, seed+"/"+a.Name)
			} else {
				var one *jen.Statement
				one, err = g.sample(a.Type, a.Name, seed+"/"+a.Name, false)
				v = []jen.Code{one}
			}
			if err != nil {
				break
			}
			values = append(values, v...)
		}
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		return jen.Id(c.ctor).Call(values...), nil
	}
	return nil, fmt.Errorf("no kind of %s can be sampled (%s)", prop, strings.Join(errs, "; "))
}

// sample is a Go expression for a valid value of t. prop is the property
// the value is for (it picks realistic strings: an id for "id", a URL for
// "voice_url"); seed makes generated ids differ between properties. With
// typed set, a numeric literal carries its Go type (int64(5)), as new()
// needs.
func (g *generator) sample(t *model.Type, prop, seed string, typed bool) (*jen.Statement, error) {
	r := t.Resolve()
	if g.holdsNode(t) {
		return nil, fmt.Errorf("cannot sample a callflow node")
	}
	switch g.shapeOf(t) {
	case shapeEnum:
		d := g.decl(t)
		v, err := enumSample(d)
		if err != nil {
			return nil, err
		}
		return jen.Id(g.enumConst[d][v]), nil
	case shapeStruct:
		return g.sampleStruct(g.decl(t), prop, seed)
	case shapeNamed:
		d := g.decl(t)
		name := jen.Id(g.typeName[d])
		switch d.Kind {
		case model.Map:
			if d.MinProperties > 0 {
				return nil, fmt.Errorf("cannot sample an object with minProperties")
			}
			return name.Values(), nil
		case model.Array:
			items, err := g.sampleItems(d, prop, seed)
			if err != nil {
				return nil, err
			}
			return name.Values(items...), nil
		}
		unnamed := *d
		v, err := g.scalarSample(&unnamed, prop, seed, true)
		if err != nil {
			return nil, err
		}
		return name.Call(v), nil
	case shapeSlice:
		items, err := g.sampleItems(r, prop, seed)
		if err != nil {
			return nil, err
		}
		return jen.Index().Add(g.goType(r.Items)).Values(items...), nil
	case shapeMap:
		if r.MinProperties > 0 {
			return nil, fmt.Errorf("cannot sample an object with minProperties")
		}
		return jen.Map(jen.String()).Add(g.goType(mapValue(r))).Values(), nil
	}
	return g.scalarSample(r, prop, seed, typed)
}

// scalarSample samples a boolean, number, string or raw JSON value.
func (g *generator) scalarSample(t *model.Type, prop, seed string, typed bool) (*jen.Statement, error) {
	switch t.Kind {
	case model.Bool:
		b := false
		if t.Default != nil {
			_ = json.Unmarshal(t.Default, &b)
		}
		return jen.Lit(b), nil
	case model.Integer:
		n, err := numberSample(t)
		if err != nil {
			return nil, err
		}
		if !n.IsInt() {
			return nil, fmt.Errorf("no integer within the bounds")
		}
		i := n.Num().Int64()
		if typed {
			return jen.Lit(i), nil
		}
		return jen.Lit(int(i)), nil
	case model.Number:
		n, err := numberSample(t)
		if err != nil {
			return nil, err
		}
		f, _ := n.Float64()
		if typed {
			return jen.Lit(f), nil
		}
		return jen.Id(n.FloatString(6)), nil
	case model.String:
		s, err := stringSample(t, prop, seed)
		if err != nil {
			return nil, err
		}
		return jen.Lit(s), nil
	}
	raw := "{}"
	if t.Default != nil {
		raw = model.CompactJSON(t.Default)
	}
	return jen.Qual(jsonPkg, "RawMessage").Call(jen.Lit(raw)), nil
}

// sampleStruct is a composite literal of a generated struct (an object:
// its required properties) or union (its required shared properties and
// the first alternative that can be sampled).
func (g *generator) sampleStruct(d *model.Type, prop, seed string) (*jen.Statement, error) {
	name := g.typeName[d]
	values := jen.Dict{}
	var fields []field
	switch {
	case d.Kind == model.Object:
		fields = structFields(d.Fields)
	case g.disc[d] == nil:
		fields, _ = g.unionParts(d) // a discriminated union implies its property
	}
	formats := requiredFormats(fields)
	for _, f := range fields {
		if !f.Required {
			continue
		}
		if d := g.decl(f.Type); d != nil && g.shapeOf(f.Type) == shapeEnum {
			// A kind selector ("type": "user" or "email") agrees with a
			// sibling whose sample has that format (an email address).
			if v, ok := formatValue(d, formats); ok {
				values[jen.Id(f.goName)] = jen.New(jen.Id(g.enumConst[d][v]))
				continue
			}
		}
		v, err := g.sampleField(f.Type, f.Name, seed+"/"+f.Name)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", f.Name, err)
		}
		values[jen.Id(f.goName)] = v
	}
	if d.Kind == model.Union {
		_, alts := g.unionParts(d)
		var errs []string
		chosen := false
		for _, a := range alts {
			v, err := g.sampleField(a.t, prop, seed)
			if err != nil {
				errs = append(errs, err.Error())
				continue
			}
			values[jen.Id(a.goName)] = v
			chosen = true
			break
		}
		if !chosen {
			return nil, fmt.Errorf("no alternative can be sampled (%s)", strings.Join(errs, "; "))
		}
	}
	return jen.Id(name).Values(values), nil
}

// requiredFormats lists the string formats ("email") the samples of the
// required fields will have: the first format found in each field, in its
// type or the first alternative or item type, as sampling goes.
func requiredFormats(fields []field) map[string]bool {
	out := map[string]bool{}
	for _, f := range fields {
		if !f.Required {
			continue
		}
		for t := f.Type.Resolve(); t != nil; {
			if t.Format != "" {
				out[t.Format] = true
				break
			}
			switch {
			case t.Kind == model.Union && len(t.Variants) > 0:
				t = t.Variants[0].Resolve()
			case t.Kind == model.Array:
				t = t.Items.Resolve()
			default:
				t = nil
			}
		}
	}
	return out
}

// formatValue is the value of enum d that names one of formats.
func formatValue(d *model.Type, formats map[string]bool) (string, bool) {
	for _, v := range enumStrings(d) {
		if formats[v] {
			return v, true
		}
	}
	return "", false
}

// sampleField is a value for a struct field or union alternative, which
// holds a pointer unless the value is nilable.
func (g *generator) sampleField(t *model.Type, prop, seed string) (*jen.Statement, error) {
	v, err := g.sample(t, prop, seed, true)
	switch {
	case err != nil:
		return nil, err
	case g.nilable(t):
		return v, nil
	case g.shapeOf(t) == shapeStruct:
		return jen.Op("&").Add(v), nil
	}
	return jen.New(v), nil
}

// sampleItems samples the items of array type t: as many as minItems
// asks for, and at least one, so the example shows what an item is.
func (g *generator) sampleItems(t *model.Type, prop, seed string) ([]jen.Code, error) {
	n := max(t.MinItems, 1)
	if t.MaxItems >= 0 && n > t.MaxItems {
		n = t.MaxItems
	}
	items := make([]jen.Code, n)
	for i := range items {
		itemSeed := seed
		if i > 0 {
			itemSeed = fmt.Sprintf("%s/%d", seed, i)
		}
		v, err := g.sample(t.Items, prop, itemSeed, false)
		if err != nil {
			return nil, fmt.Errorf("item: %w", err)
		}
		items[i] = v
	}
	if n > 1 && t.UniqueItems {
		// The samples of one item type may all be the same value.
		return nil, fmt.Errorf("cannot sample %d unique items", n)
	}
	return items, nil
}

// enumSample is an enum's default when it is one of the values, else its
// first value.
func enumSample(t *model.Type) (string, error) {
	values := enumStrings(t)
	if len(values) == 0 {
		return "", fmt.Errorf("enum without string values")
	}
	var def string
	if t.Default != nil && json.Unmarshal(t.Default, &def) == nil {
		for _, v := range values {
			if v == def {
				return def, nil
			}
		}
	}
	return values[0], nil
}

// numberSample is the default when it is within the bounds, else the
// number nearest to 1 that is.
func numberSample(t *model.Type) (*big.Rat, error) {
	within := func(n *big.Rat) bool {
		if t.Minimum != nil {
			c := n.Cmp(t.Minimum)
			if c < 0 || c == 0 && t.ExclusiveMinimum {
				return false
			}
		}
		if t.Maximum != nil {
			c := n.Cmp(t.Maximum)
			if c > 0 || c == 0 && t.ExclusiveMaximum {
				return false
			}
		}
		return len(t.Enum) == 0 || enumHas(t.Enum, n)
	}
	if t.Default != nil {
		if n, ok := new(big.Rat).SetString(strings.TrimSpace(string(t.Default))); ok && within(n) {
			return n, nil
		}
	}
	var candidates []*big.Rat
	for _, v := range t.Enum {
		if num, ok := v.(json.Number); ok {
			if n, ok := new(big.Rat).SetString(num.String()); ok {
				candidates = append(candidates, n)
			}
		}
	}
	one := big.NewRat(1, 1)
	candidates = append(candidates, one)
	if t.Minimum != nil {
		candidates = append(candidates, t.Minimum, new(big.Rat).Add(t.Minimum, one))
	}
	if t.Maximum != nil {
		candidates = append(candidates, t.Maximum, new(big.Rat).Sub(t.Maximum, one))
	}
	for _, n := range candidates {
		if within(n) {
			return n, nil
		}
	}
	return nil, fmt.Errorf("no number within the bounds")
}

func enumHas(enum []any, n *big.Rat) bool {
	for _, v := range enum {
		if num, ok := v.(json.Number); ok {
			if e, ok := new(big.Rat).SetString(num.String()); ok && e.Cmp(n) == 0 {
				return true
			}
		}
	}
	return false
}

// stringSample picks a string meeting t's length, pattern, format and
// enum: the default if it does, else the first realistic value for prop
// that does, else one built from the pattern itself.
func stringSample(t *model.Type, prop, seed string) (string, error) {
	var candidates []string
	var def string
	if t.Default != nil && json.Unmarshal(t.Default, &def) == nil && def != "" {
		candidates = append(candidates, def)
	}
	candidates = append(candidates, stringHints(t, prop, seed)...)
	if t.Pattern != "" {
		if s, ok := patternSample(t.Pattern); ok {
			candidates = append(candidates, s)
		}
	}
	for _, c := range candidates {
		if c = fitLength(t, c); stringFits(t, c) {
			return c, nil
		}
	}
	return "", fmt.Errorf("no sample string meets %s", strings.TrimSuffix(model.Constraints(t), "."))
}

// stringHints are realistic values for a property, by its format and
// name.
func stringHints(t *model.Type, prop, seed string) []string {
	slug := strings.ReplaceAll(prop, "_", "-")
	switch t.Format {
	case "email":
		return []string{"user@example.com"}
	case "uri":
		return []string{"https://example.com/" + slug}
	case "ipv4":
		return []string{"192.0.2.10"}
	case "ipv6":
		return []string{"2001:db8::10"}
	case "regex":
		return []string{"^\\+?1?[0-9]{10}$"}
	}
	switch {
	case prop == "presence_id":
		return []string{"1000"}
	case prop == "id" || strings.HasSuffix(prop, "_id") || strings.HasSuffix(prop, "_ids") || prop == "lists":
		// Kazoo document ids are 32 hex digits; these differ per property.
		sum := md5.Sum([]byte(seed))
		return []string{hex.EncodeToString(sum[:])}
	case prop == "voice_url":
		return []string{"https://example.com/pivot"}
	case strings.Contains(prop, "url") || strings.Contains(prop, "uri"):
		return []string{"https://example.com/" + slug}
	case prop == "text":
		return []string{"Thank you for calling."}
	case prop == "digits":
		return []string{"1234"}
	case prop == "language":
		return []string{"en-US"}
	case prop == "username":
		return []string{"kzgen"}
	case prop == "password":
		return []string{"secret"}
	case prop == "alert_info":
		return []string{"internal"}
	case prop == "variable":
		return []string{"department"}
	case strings.HasSuffix(prop, "number") || prop == "to_did":
		return []string{"+15555550123"}
	case prop == "name":
		return []string{"Example"}
	}
	return []string{"example"}
}

// fitLength pads or cuts s to t's length limits when t has no pattern
// (which a changed string might no longer match).
func fitLength(t *model.Type, s string) string {
	if t.Pattern != "" {
		return s
	}
	n := utf8.RuneCountInString(s)
	if t.MinLength >= 0 && n < t.MinLength {
		s += strings.Repeat("x", t.MinLength-n)
	}
	if t.MaxLength >= 0 && utf8.RuneCountInString(s) > t.MaxLength {
		s = string([]rune(s)[:t.MaxLength])
	}
	return s
}

// stringFits reports whether s meets t's length, pattern and enum.
func stringFits(t *model.Type, s string) bool {
	n := utf8.RuneCountInString(s)
	if t.MinLength >= 0 && n < t.MinLength || t.MaxLength >= 0 && n > t.MaxLength {
		return false
	}
	if t.Pattern != "" {
		re, err := regexp.Compile(t.Pattern)
		if err != nil || !re.MatchString(s) {
			return false
		}
	}
	if len(t.Enum) > 0 {
		for _, v := range t.Enum {
			if v == s {
				return true
			}
		}
		return false
	}
	return true
}

// patternSample builds a short string the regular expression matches:
// the first branch of every alternation, the fewest repetitions, a
// letter or digit from every class where it can.
func patternSample(pattern string) (string, bool) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return "", false
	}
	var b strings.Builder
	var walk func(re *syntax.Regexp) bool
	walk = func(re *syntax.Regexp) bool {
		switch re.Op {
		case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
			syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpStar, syntax.OpQuest:
			return true
		case syntax.OpLiteral:
			b.WriteString(string(re.Rune))
			return true
		case syntax.OpCharClass:
			b.WriteRune(classSample(re.Rune))
			return len(re.Rune) > 0
		case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
			b.WriteByte('a')
			return true
		case syntax.OpCapture, syntax.OpPlus:
			return walk(re.Sub[0])
		case syntax.OpRepeat:
			for range re.Min {
				if !walk(re.Sub[0]) {
					return false
				}
			}
			return true
		case syntax.OpConcat:
			for _, sub := range re.Sub {
				if !walk(sub) {
					return false
				}
			}
			return true
		case syntax.OpAlternate:
			return walk(re.Sub[0])
		}
		return false
	}
	if !walk(re) {
		return "", false
	}
	return b.String(), true
}

// classSample picks a rune of a character class (pairs of lo, hi),
// preferring a lower-case letter, then a digit, then the class's first.
func classSample(ranges []rune) rune {
	for _, want := range []rune{'a', 'e', '1', '0', 'A'} {
		for i := 0; i+1 < len(ranges); i += 2 {
			if ranges[i] <= want && want <= ranges[i+1] {
				return want
			}
		}
	}
	if len(ranges) == 0 {
		return 'a'
	}
	return ranges[0]
}
