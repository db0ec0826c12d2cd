package docs_test

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/generator/docs"
	"github.com/kzgen/kzgen/generator/golang"
)

// callflowDir is gen/callflow's source, relative to this package.
const callflowDir = "../../gen/callflow"

// goSource is a Go package's declarations as go/parser reads them: its
// functions, its methods by receiver type, and its interfaces with their
// method names.
type goSource struct {
	fset    *token.FileSet
	funcs   map[string]*ast.FuncDecl
	methods map[string][]*ast.FuncDecl
	ifaces  map[string][]string
}

// parseCallflow reads gen/callflow's source, tests left out.
func parseCallflow(t *testing.T) *goSource {
	t.Helper()
	src := &goSource{fset: token.NewFileSet(), funcs: map[string]*ast.FuncDecl{}, methods: map[string][]*ast.FuncDecl{}, ifaces: map[string][]string{}}
	paths, err := filepath.Glob(filepath.Join(callflowDir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(src.fset, path, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					src.funcs[d.Name.Name] = d
				} else {
					recv := typeName(d.Recv.List[0].Type)
					src.methods[recv] = append(src.methods[recv], d)
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					ts, ok := spec.(*ast.TypeSpec)
					if !ok {
						continue
					}
					if it, ok := ts.Type.(*ast.InterfaceType); ok {
						var names []string
						for _, m := range it.Methods.List {
							for _, n := range m.Names {
								names = append(names, n.Name)
							}
						}
						src.ifaces[ts.Name.Name] = names
					}
				}
			}
		}
	}
	if len(src.funcs) < 78 {
		t.Fatalf("only %d functions in %s", len(src.funcs), callflowDir)
	}
	return src
}

// typeName is the name of a type expression with pointers, slices and
// "..." taken off: "*EndpointBuilder" and "...RingGroupEndpointBuilder"
// give the names; other expressions give "".
func typeName(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.Ident:
			return x.Name
		case *ast.StarExpr:
			e = x.X
		case *ast.Ellipsis:
			e = x.Elt
		case *ast.ArrayType:
			e = x.Elt
		default:
			return ""
		}
	}
}

// takenInterfaces lists the interfaces the constructor ctor or a method
// of builder takes a parameter of: what a module's builder takes its
// list items as.
func (s *goSource) takenInterfaces(ctor, builder string) []string {
	var out []string
	funcs := append([]*ast.FuncDecl{s.funcs[ctor]}, s.methods[builder]...)
	for _, fn := range funcs {
		if fn == nil {
			continue
		}
		for _, p := range fn.Type.Params.List {
			if name := typeName(p.Type); s.ifaces[name] != nil && !slices.Contains(out, name) {
				out = append(out, name)
			}
		}
	}
	return out
}

// builders lists the types whose pointer has every method of the
// interface iface and constructors of its own: the builders that yield
// its values.
func (s *goSource) builders(iface string) []string {
	var out []string
	for recv, methods := range s.methods {
		has := func(name string) bool {
			return slices.ContainsFunc(methods, func(m *ast.FuncDecl) bool { return m.Name.Name == name })
		}
		if !slices.ContainsFunc(s.ifaces[iface], func(n string) bool { return !has(n) }) && len(s.constructors(recv)) > 0 {
			out = append(out, recv)
		}
	}
	slices.Sort(out)
	return out
}

// constructors lists the functions returning *builder.
func (s *goSource) constructors(builder string) []*ast.FuncDecl {
	var out []*ast.FuncDecl
	for _, fn := range s.funcs {
		if s.returns(fn, builder) {
			out = append(out, fn)
		}
	}
	return out
}

// returns reports whether fn returns *builder and nothing else.
func (s *goSource) returns(fn *ast.FuncDecl, builder string) bool {
	r := fn.Type.Results
	if r == nil || len(r.List) != 1 {
		return false
	}
	star, ok := r.List[0].Type.(*ast.StarExpr)
	return ok && typeName(star.X) == builder
}

// signature renders fn's declaration without its body, as the pages
// write it: "func (b *EndpointBuilder) Delay(v int64) *EndpointBuilder".
func (s *goSource) signature(t *testing.T, fn *ast.FuncDecl) string {
	var b bytes.Buffer
	if err := printer.Fprint(&b, s.fset, &ast.FuncDecl{Recv: fn.Recv, Name: fn.Name, Type: fn.Type}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// isDuration reports whether fn takes exactly one time.Duration.
func isDuration(fn *ast.FuncDecl) bool {
	ps := fn.Type.Params.List
	if len(ps) != 1 || len(ps[0].Names) > 1 {
		return false
	}
	sel, ok := ps[0].Type.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && pkg.Name == "time" && sel.Sel.Name == "Duration"
}

// durationProperty reads, from a Duration setter's doc comment
// ("DelayDuration sets \"delay\", which Kazoo counts in seconds…"), the
// property it sets.
var durationProperty = regexp.MustCompile(`^\w+ sets "([^"]+)"`)

// TestItemBuildersOnThePages derives from gen/callflow's source which
// builders yield the list items each module's builder takes (group
// members, audio_macro items), and checks the module's page: its Go
// builder section shows every constructor and chaining method of each,
// and nothing gen/callflow does not declare, and every Duration setter is
// named in the table row of the property it sets.
func TestItemBuildersOnThePages(t *testing.T) {
	src := parseCallflow(t)
	api, err := golang.API(callflowModel(t), docs.GoOptions)
	if err != nil {
		t.Fatal(err)
	}
	pages := checkedInPages(t)
	durations, shown := 0, 0
	for _, m := range api {
		page := pages[m.Name+".md"]
		goSection := section(page, "Go builder")
		blocks := goBlock.FindAllSubmatch(goSection, -1)
		if len(blocks) == 0 {
			t.Errorf("%s: no Go block in the Go builder section", m.Name)
			continue
		}
		// The first block is the module's builder; the others, its items'.
		onPage := map[string]bool{}
		for _, b := range blocks[1:] {
			for line := range strings.SplitSeq(string(b[1]), "\n") {
				if line, _, _ = strings.Cut(line, " //"); line != "" {
					onPage[line] = true
				}
			}
		}
		declared := map[string]bool{}
		for _, iface := range src.takenInterfaces(m.Constructor, m.Builder) {
			for _, builder := range src.builders(iface) {
				var decls []*ast.FuncDecl
				decls = append(decls, src.constructors(builder)...)
				for _, fn := range src.methods[builder] {
					if fn.Name.IsExported() && src.returns(fn, builder) {
						decls = append(decls, fn)
					}
				}
				for _, fn := range decls {
					sig := src.signature(t, fn)
					declared[sig] = true
					if !onPage[sig] {
						t.Errorf("%s: the Go builder section does not show %s", m.Name, sig)
					}
					if fn.Recv == nil || !isDuration(fn) {
						continue
					}
					durations++
					prop := durationProperty.FindStringSubmatch(fn.Doc.Text())
					if prop == nil {
						t.Errorf("%s: the doc comment of %s names no property", m.Name, sig)
						continue
					}
					row := regexp.MustCompile("(?m)^`(?:[^`|]*\\.)?" + regexp.QuoteMeta(prop[1]) + "` \\| [^\n]*In Go, `" +
						regexp.QuoteMeta(builder+"."+fn.Name.Name) + "` sets it from a `time\\.Duration`\\.")
					if !row.Match(page) {
						t.Errorf("%s: no table row of %q names %s.%s", m.Name, prop[1], builder, fn.Name.Name)
					}
				}
			}
		}
		for line := range onPage {
			shown++
			if !declared[line] {
				t.Errorf("%s: the page shows %q, which is no item builder's declaration in gen/callflow", m.Name, line)
			}
		}
	}
	// ring_group and page_group's members, audio_macro's tone: at least.
	if durations < 6 || shown < 40 {
		t.Errorf("only %d item Duration setters and %d item builder lines checked", durations, shown)
	}
}
