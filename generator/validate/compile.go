package validate

import (
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"

	"github.com/kzgen/kzgen/generator/model"
)

// node is a model.Type prepared for validation: regular expressions
// compiled, enum values and defaults decoded, references linked. Nodes are
// built once per Validator and only read afterwards.
type node struct {
	t        *model.Type
	declared []string

	enum           []*value
	minLen, maxLen int
	pattern        *regexp.Regexp
	format         string // only formats Kazoo checks

	min, max         *big.Rat
	exclMin, exclMax bool

	fields             []*field
	minProps, maxProps int
	patternProps       []patternProp
	additional         *node
	noAdditional       bool

	items              *node
	minItems, maxItems int
	unique             bool

	// Unions.
	union        bool
	variants     []*node
	variantTypes []string // the JSON type of each variant of a type list
	oneOf        bool
	typeList     bool
	shared       *node
	disc         *model.Discriminated

	// References.
	ref  *node
	also *node

	check     model.Check
	stability int
}

// field is one named property.
type field struct {
	name     string
	node     *node
	required bool   // required and without default
	def      *value // the default Kazoo fills in when the property is missing
}

// patternProp is one "patternProperties" entry.
type patternProp struct {
	re   *regexp.Regexp
	node *node
}

// compile prepares every schema of the set.
func (v *Validator) compile() error {
	v.nodes = map[*model.Type]*node{}
	c := &compiler{nodes: v.nodes, regexps: map[string]*regexp.Regexp{}}
	for _, s := range v.set.Schemas {
		if _, err := c.node(s.Root); err != nil {
			return fmt.Errorf("%s: %w", s.ID, err)
		}
	}
	return nil
}

type compiler struct {
	nodes   map[*model.Type]*node
	regexps map[string]*regexp.Regexp
}

func (c *compiler) regexp(pattern string) (*regexp.Regexp, error) {
	if re, ok := c.regexps[pattern]; ok {
		return re, nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, err
	}
	c.regexps[pattern] = re
	return re, nil
}

// node prepares t (and everything below it) once.
func (c *compiler) node(t *model.Type) (*node, error) {
	if t == nil {
		return nil, nil
	}
	if n, ok := c.nodes[t]; ok {
		return n, nil
	}
	n := &node{
		t: t, declared: t.Declared,
		minLen: t.MinLength, maxLen: t.MaxLength,
		min: t.Minimum, max: t.Maximum, exclMin: t.ExclusiveMinimum, exclMax: t.ExclusiveMaximum,
		minProps: t.MinProperties, maxProps: t.MaxProperties, noAdditional: t.NoAdditional,
		minItems: t.MinItems, maxItems: t.MaxItems, unique: t.UniqueItems,
		check: t.Check, stability: stabilityLevels[t.StabilityLevel],
	}
	c.nodes[t] = n // before the children, for recursive references
	var err error
	for _, e := range t.Enum {
		ev, err := enumValue(e)
		if err != nil {
			return nil, fmt.Errorf("%s: enum: %w", t.Pointer, err)
		}
		n.enum = append(n.enum, ev)
	}
	if t.Pattern != "" {
		if n.pattern, err = c.regexp(t.Pattern); err != nil {
			return nil, fmt.Errorf("%s: %w", t.Pointer, err)
		}
	}
	if model.FormatChecked(t.Format) {
		n.format = t.Format
	}
	switch t.Kind {
	case model.Ref:
		if n.ref, err = c.node(t.Target.Root); err != nil {
			return nil, err
		}
		if n.also, err = c.node(t.Also); err != nil {
			return nil, err
		}
	case model.Array:
		if n.items, err = c.node(t.Items); err != nil {
			return nil, err
		}
	case model.Union:
		n.union, n.oneOf, n.typeList = true, t.OneOf, t.TypeList
		for _, vt := range t.Variants {
			vn, err := c.node(vt)
			if err != nil {
				return nil, err
			}
			n.variants = append(n.variants, vn)
			n.variantTypes = append(n.variantTypes, jsonType(vt.Kind))
		}
		if n.shared, err = c.node(t.Shared); err != nil {
			return nil, err
		}
		n.disc = t.Discriminator()
	}
	for _, f := range t.Fields {
		fn, err := c.node(f.Type)
		if err != nil {
			return nil, err
		}
		fl := &field{name: f.Name, node: fn, required: !f.MayOmit()}
		if f.Type.Default != nil {
			if fl.def, err = decodeSchemaValue(f.Type.Default); err != nil {
				return nil, fmt.Errorf("%s: default: %w", f.Type.Pointer, err)
			}
		}
		n.fields = append(n.fields, fl)
	}
	for _, p := range t.PatternProps {
		re, err := c.regexp(p.Pattern)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.Type.Pointer, err)
		}
		pn, err := c.node(p.Type)
		if err != nil {
			return nil, err
		}
		n.patternProps = append(n.patternProps, patternProp{re: re, node: pn})
	}
	if n.additional, err = c.node(t.Additional); err != nil {
		return nil, err
	}
	return n, nil
}

// jsonType names the JSON type a type-list variant of kind k stands for.
func jsonType(k model.Kind) string {
	switch k {
	case model.Bool:
		return "boolean"
	case model.Integer:
		return "integer"
	case model.Number:
		return "number"
	case model.String:
		return "string"
	case model.Object, model.Map:
		return "object"
	case model.Array:
		return "array"
	case model.Any:
		return "null"
	}
	return ""
}

// enumValue turns one model enum value (a string, json.Number, bool, nil,
// or a list or object of those) into a value.
func enumValue(e any) (*value, error) {
	switch x := e.(type) {
	case nil:
		return &value{kind: kindNull, shared: true}, nil
	case bool:
		return &value{kind: kindBool, b: x, shared: true}, nil
	case string:
		return &value{kind: kindString, s: x, shared: true}, nil
	}
	data, err := json.Marshal(e) // json.Number keeps its literal
	if err != nil {
		return nil, err
	}
	return decodeSchemaValue(data)
}
