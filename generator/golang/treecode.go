package golang

import (
	"errors"
	"fmt"
	"go/format"
	"maps"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kzgen/kzgen/generator/kazoo"
	"github.com/kzgen/kzgen/generator/model"
	kzrtpkg "github.com/kzgen/kzgen/runtime/kzrt"
)

// This file writes a whole callflow tree as builder code: the reference
// docs show their branching examples with it, and check that the code
// builds the JSON they print.

// TreeWriter writes callflow trees as the builder code of the package
// Generate emits with the same model and options.
type TreeWriter struct {
	g    *generator
	mods map[string]module
}

// NewTreeWriter returns a TreeWriter for the callflow package generated
// from set with opts, which are as for API.
func NewTreeWriter(set *model.Set, opts Options) (*TreeWriter, error) {
	if !opts.Nodes || opts.TrimPrefix == "" {
		return nil, errors.New("golang: NewTreeWriter needs Options.Nodes and a TrimPrefix")
	}
	g, err := newGenerator(set, opts)
	if err != nil {
		return nil, fmt.Errorf("golang: %w", err)
	}
	w := &TreeWriter{g: g, mods: map[string]module{}}
	for _, m := range g.mods {
		w.mods[m.name] = m
	}
	return w, nil
}

// Code returns builder code, gofmt-formatted and written as code inside
// the generated package writes it, that builds the callflow node raw (an
// object with "module", "data" and "children") and its children, ending
// in .Node(). Each child is attached the way a developer would: under a
// key its module reads with the builder's On… method (OnDigits("1", …),
// OnCause(Busy, …)), under "_" with Then, under any other key with Branch.
// A module without a builder, data a builder cannot set or a tree deeper
// than kzrtpkg.MaxDepth is an error naming the JSON pointer.
func (w *TreeWriter) Code(raw []byte) (string, error) {
	v, err := model.DecodeSample(raw)
	if err != nil {
		return "", fmt.Errorf("golang: decoding the sample: %w", err)
	}
	call, err := w.node(v, "", 0)
	if err != nil {
		return "", fmt.Errorf("golang: %w", err)
	}
	const prefix = "package p\n\nvar _ = "
	src, err := format.Source(fmt.Appendf(nil, "%s%#v\n", prefix, call.Dot("Node").Call()))
	if err != nil {
		return "", fmt.Errorf("golang: formatting the tree's code: %w", err)
	}
	return strings.TrimSpace(strings.TrimPrefix(string(src), prefix)), nil
}

// node is the builder chain of the node v at JSON pointer ptr: the
// module's constructor and setters, then one call per child.
func (w *TreeWriter) node(v any, ptr string, depth int) (*jen.Statement, error) {
	if depth >= kzrtpkg.MaxDepth {
		return nil, fmt.Errorf("%s: the tree is deeper than %d nodes", pointerOrRoot(ptr), kzrtpkg.MaxDepth)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: a node is a JSON object", pointerOrRoot(ptr))
	}
	name, _ := obj["module"].(string)
	m, ok := w.mods[name]
	if !ok {
		return nil, fmt.Errorf("%s/module: the package has no builder for module %q", ptr, name)
	}
	data := map[string]any{}
	if d, present := obj["data"]; present {
		if data, ok = d.(map[string]any); !ok {
			return nil, fmt.Errorf("%s/data: the data is no JSON object", ptr)
		}
	}
	api := w.g.builderAPI(m)
	call, err := w.g.builderChain(m.ctor, api.args, api.setters, data)
	if err != nil {
		return nil, fmt.Errorf("%s/data: %w", ptr, err)
	}
	var children map[string]any
	if c, present := obj["children"]; present {
		if children, ok = c.(map[string]any); !ok {
			return nil, fmt.Errorf("%s/children: the children are no JSON object", ptr)
		}
	}
	for _, key := range childOrder(api.branches, children) {
		childPtr := ptr + "/children/" + kzrtpkg.EscapeToken(key)
		child, err := w.node(children[key], childPtr, depth+1)
		if err != nil {
			return nil, err
		}
		method, args := w.attach(api.branches, key)
		// A line per child: "Menu().\n\tOnDigits("1", …)."
		call = call.Op(".").Line().Id(method).Call(append(args, child)...)
	}
	return call, nil
}

// childOrder orders a node's child keys as the code attaches them: those
// of the module's branch methods in the order Kazoo tries them, then any
// other key by name, then "_".
func childOrder(branches []branchMethod, children map[string]any) []string {
	rank := func(key string) int {
		if key == kzrtpkg.DefaultChild {
			return len(branches) + 1
		}
		for i, b := range branches {
			if b.key.Matches(key) {
				return i
			}
		}
		return len(branches)
	}
	return slices.SortedFunc(maps.Keys(children), func(a, b string) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		return strings.Compare(a, b)
	})
}

// attach is the method that attaches a child under key, and its
// arguments before the child: a branch method when one covers the key and
// writes exactly that key back, else Then for "_" or Branch.
func (w *TreeWriter) attach(branches []branchMethod, key string) (string, []jen.Code) {
	if key == kzrtpkg.DefaultChild {
		return "Then", nil
	}
	for _, b := range branches {
		if !b.key.Matches(key) {
			continue
		}
		f := b.key.Family
		if f == nil {
			return b.name, nil
		}
		switch f.Arg.Type {
		case kazoo.ArgString:
			return b.name, []jen.Code{jen.Lit(key)}
		case kazoo.ArgCause:
			if c, ok := w.g.helpers.causeConst[key]; ok {
				return b.name, []jen.Code{jen.Id(c)}
			}
			return b.name, []jen.Code{jen.Id(w.g.helpers.cause).Call(jen.Lit(key))}
		case kazoo.ArgInteger, kazoo.ArgDuration:
			n, ok := f.Arg.Parse(key)
			if !ok || f.Arg.Key(n) != key { // "sip:0486": the method would write "sip:486"
				break
			}
			if f.Arg.Type == kazoo.ArgInteger {
				return b.name, []jen.Code{jen.Lit(int(n))}
			}
			return b.name, []jen.Code{jen.Id(durationLiteral(n, f.Arg.Unit))}
		}
		break
	}
	return "Branch", []jen.Code{jen.Lit(key)}
}

// pointerOrRoot names a JSON pointer in a message, "" as "the root".
func pointerOrRoot(ptr string) string {
	if ptr == "" {
		return "the root"
	}
	return ptr
}
