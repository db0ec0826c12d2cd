package golang

import (
	"bytes"
	"fmt"
	"go/format"
	"go/parser"
	"go/token"
	"path"

	"github.com/kzgen/kzgen/generator/model"
)

// A package that takes its trees from a callflow package (Crossbar's
// documents) often generates schemas that package generates too: the
// stored callflow's parts, conferences, metaflows. Declaring them again
// would give one Kazoo object two Go types, and a user of both packages
// conversions between them. So, as protobuf's generated code refers to
// another file's messages, such a package declares each type it would
// declare exactly as the callflow package does as an alias of that
// package's type (emitShared): its names, methods and behaviour stay what
// they were, and the types become one.
//
// Which types are the same is decided from the callflow package's schema
// set (Options.NodesFromSchemas), named and emitted by this generator with
// the options that package was generated with: a type is shared when the
// callflow package declares a type at the same schema position, under the
// same name, with the same Go source (its declaration, methods, defaults
// and constants; doc comments aside), and every type that source names is
// shared too. Its source being the same, it encodes, decodes and validates
// the same. The stored callflow's root, which a callflow package names
// Document and gives a tree's methods, is not the same and stays declared
// here.
//
// The set, and not the callflow package's files on disk, is what is
// compared, so generating stays a pure function of the schemas and flags
// (the stamp, the goldens and go generate's order hold), and a callflow
// package made by the same kzgen from that set declares exactly the types
// aliased. Without the set (a NodesFrom package kzgen cannot know), every
// type is declared here, as the registry's doc comment says.

// sharedKey finds a type by its schema position.
type sharedKey struct{ schema, pointer string }

// sharedTypes returns the declared types of g that the NodesFrom
// package, generated from other, declares the same (see above).
func (g *generator) sharedTypes(other *model.Set) (map[*model.Type]bool, error) {
	// kzgen's defaults, with the embedded table, which only types the
	// modules' builders and documents durations.
	o, err := newGenerator(other, Options{Package: path.Base(g.nodesFrom), TrimPrefix: DefaultTrimPrefix,
		TypeSuffix: DefaultTypeSuffix, Nodes: true})
	if err != nil {
		return nil, fmt.Errorf("golang: naming the types of %s: %w", g.nodesFrom, err)
	}
	if !o.ownsTree() {
		return map[*model.Type]bool{}, nil // no callflow package: nothing to share
	}
	theirs := map[sharedKey]*model.Type{}
	for t := range o.typeName {
		if t.Schema != nil && o.declaresOwn(t) {
			theirs[sharedKey{t.Schema.ID, t.Pointer}] = t
		}
	}
	// The candidates are the types declared at the same position under
	// the same name. While their sources are compared, they are taken as
	// shared, so that their hooks, and the calls of the hooks of the
	// types they name, are the exported ones a callflow package has.
	g.shared = map[*model.Type]bool{}
	mate := map[*model.Type]*model.Type{}
	for t, name := range g.typeName {
		if t.Schema == nil || !g.declaresOwn(t) {
			continue
		}
		if their := theirs[sharedKey{t.Schema.ID, t.Pointer}]; their != nil && o.typeName[their] == name {
			g.shared[t], mate[t] = true, their
		}
	}
	shared := map[*model.Type]bool{}
	for t, their := range mate {
		mine, err := g.declSource(t)
		if err != nil {
			return nil, err
		}
		source, err := o.declSource(their)
		if err != nil {
			return nil, err
		}
		if bytes.Equal(mine, source) {
			shared[t] = true
		}
	}
	// A type is shared only when the types its source names are: drop
	// the others until none is left to drop.
	for changed := true; changed; {
		changed = false
		for t := range shared {
			for _, r := range g.namedIn(t) {
				if !shared[r] && (g.action == nil || r != g.action.Root) {
					delete(shared, t)
					changed = true
					break
				}
			}
		}
	}
	return shared, nil
}

// declaresOwn reports whether t is a type g declares with a source of
// its own: named, not the node, not sharing another enum's type, not a
// discriminated union (whose item builders are the package's own).
func (g *generator) declaresOwn(t *model.Type) bool {
	_, named := g.typeName[t]
	return named && t.Kind != model.Ref && g.sameEnum[t] == nil && g.disc[t] == nil &&
		(g.action == nil || t != g.action.Root)
}

// declSource is the Go source g declares t with, in a package of a fixed
// name, printed without its comments: what sharedTypes compares. Doc
// comments may differ (a callflow package notes the units of durations
// from its table); the code may not.
func (g *generator) declSource(t *model.Type) ([]byte, error) {
	fg := g.newFile("p")
	fg.file.NoFormat = true
	fg.emitOne(g.typeName[t], t)
	fg.declarePatterns()
	var buf bytes.Buffer
	if err := fg.file.Render(&buf); err != nil {
		return nil, fmt.Errorf("golang: rendering %s: %w", g.typeName[t], err)
	}
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "", buf.Bytes(), parser.SkipObjectResolution) // comments dropped
	if err != nil {
		return nil, sourceError(err, buf.Bytes())
	}
	buf.Reset()
	if err := format.Node(&buf, fset, file); err != nil {
		return nil, fmt.Errorf("golang: printing %s: %w", g.typeName[t], err)
	}
	return buf.Bytes(), nil
}

// namedIn lists the declared types t's source names: those of its
// fields, items, values and alternatives, through unnamed lists and maps.
func (g *generator) namedIn(t *model.Type) []*model.Type {
	var out []*model.Type
	var walk func(c *model.Type)
	walk = func(c *model.Type) {
		if d := g.decl(c); d != nil {
			if first := g.sameEnum[d]; first != nil {
				d = first
			}
			out = append(out, d)
			return
		}
		for _, cc := range children(c) {
			walk(cc)
		}
	}
	for _, c := range children(t) {
		walk(c)
	}
	return out
}

// emitShared declares the type name as the NodesFrom package's type of
// the same name, with the package-level values its declaration has
// beside its methods: the defaults of a struct's fields, the constants of
// an enum, typed with the alias.
func (g *generator) emitShared(name string, t *model.Type) {
	pkg := path.Base(g.nodesFrom)
	g.comment(fmt.Sprintf("%s is %s.%s, the same type (%s).", name, pkg, name, location(t)))
	g.file.ImportName(g.nodesFrom, pkg)
	g.file.Type().Id(name).Op("=").Qual(g.nodesFrom, name)
	switch {
	case t.Kind == model.Object:
		g.emitDefaults(name, structFields(t.Fields))
	case t.Kind == model.String && len(t.Enum) > 0:
		g.emitEnumConsts(name, t)
	}
}
