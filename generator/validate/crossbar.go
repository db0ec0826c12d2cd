package validate

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/kzgen/kzgen/runtime/kzrt"
)

// This file is what Crossbar adds when it stores a callflow document: a
// check that the callflow has a number or a pattern, and the lenient
// second pass (cb_context, kz_json_schema:fix_js_types).

// validateDocument checks a callflow document as Crossbar does on PUT,
// POST or PATCH: at least one number or pattern, then the callflows
// schema; when that fails and strict validation is off, each value of the
// wrong type whose schema wants an integer, a number or a boolean is
// converted when it can be, and the converted document is checked once
// more: the second verdict stands.
func (v *Validator) validateDocument(root *value, res *Result) {
	res.Problems = append(res.Problems, numbersOrPatterns(root)...)
	first := v.runDocument(root)
	if len(first.problems) == 0 || v.cfg.strict {
		res.Problems = append(res.Problems, first.problems...)
		return
	}
	var fixes []typeFix
	var notes []Warning
	for _, f := range *first.fixes {
		conv, ok := convert(f.val, f.want)
		if !ok {
			continue
		}
		fixes = append(fixes, typeFix{path: f.path, val: conv})
		notes = append(notes, Warning{Kind: Converted, Pointer: pointer(f.path), Message: fmt.Sprintf(
			"Crossbar converts %s to %s %s before storing (strict validation is off); a Pivot answer gets no such conversion",
			show(f.val), f.want, conv.s)})
	}
	if notes == nil {
		res.Problems = append(res.Problems, first.problems...)
		return
	}
	fixed := applyFixes(root, fixes)
	second := v.runDocument(fixed)
	res.Problems = append(res.Problems, second.problems...)
	res.Warnings = append(res.Warnings, notes...)
}

// runDocument checks a callflow document against callflows, with the
// system's stability level.
func (v *Validator) runDocument(root *value) *run {
	r := &run{v: v, fixes: new([]typeFix), shared: &runShared{}, stability: v.cfg.stability}
	r.check(v.document, root)
	return r
}

// numbersOrPatterns is Crossbar's first check of a callflow: it must
// answer for at least one number or pattern (kzrt's rule, which the
// generated Document applies too). A list of the wrong type counts as
// given: the schema reports it.
func numbersOrPatterns(root *value) kzrt.Errors {
	if root.kind != kindObject {
		return nil
	}
	count := func(key string) int {
		switch list := root.get(key); {
		case list == nil:
			return 0
		case list.kind != kindArray:
			return 1
		default:
			return len(list.items)
		}
	}
	var v kzrt.Validator
	v.NumbersOrPatterns(count("numbers"), count("patterns"))
	return v.Problems()
}

// convert applies Kazoo's conversion to want ("integer", "number" or
// "boolean"), kzrt.CrossbarConvert, to v; ok is false when Kazoo's
// conversion fails.
func convert(v *value, want string) (*value, bool) {
	var literal []byte
	switch v.kind {
	case kindString:
		literal, _ = json.Marshal(v.s)
	case kindNumber:
		literal = []byte(v.s)
	default:
		return nil, false
	}
	to, ok := kzrt.CrossbarConvert(literal, want)
	if !ok {
		return nil, false
	}
	if want == "boolean" {
		return &value{kind: kindBool, b: string(to) == "true", s: string(to)}, true
	}
	return &value{kind: kindNumber, s: string(to), isInt: !strings.ContainsAny(string(to), ".eE")}, true
}

// applyFixes returns a copy of root with the value at each fix's path
// replaced by the fix's value (added, when an object lacks the member);
// root itself is not changed. Only the containers along the paths are
// copied, each once.
func applyFixes(root *value, fixes []typeFix) *value {
	for _, f := range fixes {
		if len(f.path) == 0 {
			return f.val
		}
	}
	byToken := map[string][]typeFix{}
	var order []string
	for _, f := range fixes {
		tok := f.path[0]
		if _, ok := byToken[tok]; !ok {
			order = append(order, tok)
		}
		byToken[tok] = append(byToken[tok], typeFix{path: f.path[1:], val: f.val})
	}
	cp := *root
	switch root.kind {
	case kindObject:
		cp.members = slices.Clone(root.members)
		for i, m := range cp.members {
			if sub, ok := byToken[m.key]; ok {
				cp.members[i].val = applyFixes(m.val, sub)
				delete(byToken, m.key)
			}
		}
		for _, tok := range order { // members a default stood for
			if sub, ok := byToken[tok]; ok && len(sub[0].path) == 0 {
				cp.members = append(cp.members, member{key: tok, val: sub[0].val})
			}
		}
	case kindArray:
		cp.items = slices.Clone(root.items)
		for tok, sub := range byToken {
			if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(cp.items) {
				cp.items[i] = applyFixes(cp.items[i], sub)
			}
		}
	}
	return &cp
}
