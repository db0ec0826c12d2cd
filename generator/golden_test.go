package generator_test

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/internal/golden"

	"golang.org/x/tools/imports"

	"github.com/kzgen/kzgen/generator"
	"github.com/kzgen/kzgen/generator/golang"
	"github.com/kzgen/kzgen/generator/kazoo"
	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/generator/model"
	"github.com/kzgen/kzgen/internal/tempmod"
	"github.com/kzgen/kzgen/schemas"
)

const goldenDir = "testdata/golden"

// goldenCase is one schema set of testdata/golden/<name>: its schemas,
// the files generated from them (want) and a test run next to the
// generated package in a scratch module (exercise).
type goldenCase struct {
	name string
	opts golang.Options
}

var goldenCases = []goldenCase{
	// Every mapping rule, on a set without the node schema.
	{"types", golang.Options{Package: "demo"}},
	// A made-up callflow set (callflows.action, a stored document, three
	// modules) with kzgen gen's defaults: a callflow package.
	{"callflow", golang.Options{Package: "flows", TrimPrefix: golang.DefaultTrimPrefix, TypeSuffix: golang.DefaultTypeSuffix, Nodes: true}},
	// A made-up document referring to the node schema, with no module:
	// its trees are the "callflow" case's (NodesFrom), typed by its
	// modules, and the types it declares as that case does (lobby, the
	// stored callflow's ringback) are aliases of that case's; desk, which
	// the two sets write differently, and the stored callflow's root,
	// named otherwise there, are its own.
	{"documents", golang.Options{Package: "rooms", TrimPrefix: golang.DefaultTrimPrefix, TypeSuffix: golang.DefaultTypeSuffix, Nodes: true,
		NodesFrom: goldenModule + "/flows", NodesFromSchemas: goldenSchemas("callflow")}},
}

// goldenSchemas returns the model of case name's schemas, as
// golang.Options.NodesFromSchemas takes it.
func goldenSchemas(name string) func() (*model.Set, error) {
	return func() (*model.Set, error) {
		dir := filepath.Join(goldenDir, name, "schemas")
		set, err := load.Read(os.DirFS(dir), load.Options{Name: dir})
		if err != nil {
			return nil, err
		}
		return model.Build(set)
	}
}

// goldenModule is the scratch module the golden packages are built in.
const goldenModule = "example.com/gen"

// goldenCaseNamed returns the case called name.
func goldenCaseNamed(t *testing.T, name string) goldenCase {
	t.Helper()
	for _, c := range goldenCases {
		if c.name == name {
			return c
		}
	}
	t.Fatalf("no golden case %q", name)
	return goldenCase{}
}

func (c goldenCase) dir(parts ...string) string {
	return filepath.Join(append([]string{goldenDir, c.name}, parts...)...)
}

func (c goldenCase) generate(t *testing.T) *generator.Result {
	t.Helper()
	opts := c.opts
	if table := c.dir("modules.json"); fileExists(table) {
		// A made-up table of the case's modules, for its typed branches.
		tab, err := kazoo.Load(os.DirFS(c.dir()), "modules.json")
		if err != nil {
			t.Fatal(err)
		}
		opts.Table = tab
	}
	res, err := generator.Generate(generator.Config{
		Schemas: os.DirFS(c.dir("schemas")),
		Name:    "schemas",
		Go:      opts,
	})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// generateGolden is the "types" case's package.
func generateGolden(t *testing.T) *generator.Result { return goldenCases[0].generate(t) }

// TestGolden compares the Go generated for the hand-written schemas in
// testdata/golden/<case>/schemas with testdata/golden/<case>/want. Run with
// -update to accept a deliberate change, then review the diff.
func TestGolden(t *testing.T) {
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			res := c.generate(t)
			wantDir := c.dir("want")
			if golden.Updating() {
				os.RemoveAll(wantDir)
				os.MkdirAll(wantDir, 0o755)
				for _, f := range res.Files {
					if err := os.WriteFile(filepath.Join(wantDir, f.Name+".golden"), f.Content, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			entries, err := os.ReadDir(wantDir)
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != len(res.Files) {
				t.Errorf("%d golden files, %d generated (run go test ./generator -run TestGolden -update)", len(entries), len(res.Files))
			}
			for _, f := range res.Files {
				want, err := os.ReadFile(filepath.Join(wantDir, f.Name+".golden"))
				if err != nil {
					t.Errorf("%s: %v (run with -update)", f.Name, err)
					continue
				}
				if !bytes.Equal(f.Content, want) {
					t.Errorf("%s differs from its golden file; run go test ./generator -run TestGolden -update and review the diff\n%s", f.Name, firstDiff(string(want), string(f.Content)))
				}
				if !bytes.HasPrefix(f.Content, []byte("// "+golang.Header+"\n")) {
					t.Errorf("%s does not start with the generated-code header", f.Name)
				}
			}
		})
	}
}

// TestGeneratedCodeIsGoimportsClean: goimports (golang.org/x/tools/imports,
// with its default options, which may also add and remove imports) leaves
// every generated file as it is, for the golden sets and for the callflow
// and document packages of the embedded schemas.
func TestGeneratedCodeIsGoimportsClean(t *testing.T) {
	t.Parallel()
	packages := map[string][]golang.File{}
	for _, c := range goldenCases {
		packages[c.opts.Package] = c.generate(t).Files
	}
	// gen/callflow and gen/kazoodoc.
	for pkg, match := range map[string]string{"callflow": schemas.CallflowMatch, "kazoodoc": schemas.DocumentMatch} {
		res, err := generator.Generate(generator.Config{Schemas: schemas.FS, Name: "embedded", Match: match,
			Go: golang.Options{Package: pkg, TrimPrefix: golang.DefaultTrimPrefix, TypeSuffix: golang.DefaultTypeSuffix, Nodes: true}})
		if err != nil {
			t.Fatal(err)
		}
		packages[pkg] = res.Files
	}
	// goimports, given a file's path, reads the other files of its
	// directory when the file uses a name it does not declare (as X.Sel):
	// from them it takes the package's variables and constants (the first
	// name of each spec) and their imports as candidates. Reading every
	// sibling for every file parses each package once per file (half a
	// minute); one stand-in file per package, declaring exactly those
	// names and imports, gives goimports the same information.
	count := 0
	for pkg, files := range packages {
		dir := filepath.Join(t.TempDir(), pkg)
		tempmod.WriteFile(t, dir, "zz_siblings.go", siblingsFile(t, files))
		for _, f := range files {
			out, err := imports.Process(filepath.Join(dir, f.Name), f.Content, nil)
			if err != nil {
				t.Errorf("%s/%s: %v", pkg, f.Name, err)
				continue
			}
			if !bytes.Equal(out, f.Content) {
				t.Errorf("goimports changes %s/%s:\n%s", pkg, f.Name, firstDiff(string(f.Content), string(out)))
			}
		}
		count += len(files)
	}
	t.Logf("%d files", count)
}

// siblingsFile is a Go file of the package of files that declares what
// goimports reads from a file's siblings: the first name of every variable
// and constant spec, and every import.
func siblingsFile(t *testing.T, files []golang.File) []byte {
	t.Helper()
	var pkg string
	var names, specs []string
	fset := token.NewFileSet()
	for _, f := range files {
		file, err := parser.ParseFile(fset, f.Name, f.Content, parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		pkg = file.Name.Name
		for _, imp := range file.Imports {
			spec := imp.Path.Value
			if imp.Name != nil {
				spec = imp.Name.Name + " " + spec
			}
			specs = append(specs, spec)
		}
		for _, decl := range file.Decls {
			if gen, ok := decl.(*ast.GenDecl); ok {
				for _, spec := range gen.Specs {
					if value, ok := spec.(*ast.ValueSpec); ok {
						names = append(names, value.Names[0].Name)
					}
				}
			}
		}
	}
	slices.Sort(specs)
	slices.Sort(names)
	var b strings.Builder
	b.WriteString("package " + pkg + "\n\nimport (\n")
	for _, spec := range slices.Compact(specs) {
		b.WriteString("\t" + spec + "\n")
	}
	b.WriteString(")\n\nvar (\n")
	for _, name := range slices.Compact(names) {
		b.WriteString("\t" + name + " int\n")
	}
	b.WriteString(")\n")
	return []byte(b.String())
}

func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) && i < len(g); i++ {
		if w[i] != g[i] {
			return "line " + itoa(i+1) + ":\n  want: " + w[i] + "\n  got:  " + g[i]
		}
	}
	return "lengths differ"
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestGoldenCompilesAndBehaves builds the golden packages side by side in
// one scratch module (the "documents" case imports the "callflow" case's
// package), vets them, and runs testdata/golden/<case>/exercise next to
// each: for "types", round trips that keep false and 0, enums, unions,
// maps, recursive refs, defaults and the problems Validate reports; for
// "callflow", a tree built with the builders, validated, encoded and
// parsed back, a stored document, unknown modules and loops.
//
// One go test -vet=all runs every go vet check on each package with its
// exercise, as go vet ./... would, and its tests, in one go command:
// each go command costs a few tenths of a second before it finds its work
// in the build cache.
func TestGoldenCompilesAndBehaves(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds a module; skipped in -short mode")
	}
	dir := tempmod.NewModule(t, goldenModule)
	for _, c := range goldenCases {
		pkg := c.opts.Package
		for _, f := range c.generate(t).Files {
			tempmod.WriteFile(t, dir, pkg+"/"+f.Name, f.Content)
		}
		tests, err := filepath.Glob(c.dir("exercise", "*_test.go"))
		if err != nil || len(tests) == 0 {
			t.Fatalf("no exercise in %s (%v)", c.dir("exercise"), err)
		}
		for _, name := range tests {
			exercise, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			tempmod.WriteFile(t, dir, pkg+"/"+filepath.Base(name), exercise)
		}
	}
	out := tempmod.MustGo(t, dir, "test", "-count=1", "-vet=all", "-v", "./...")
	for _, c := range goldenCases {
		if ok := regexp.MustCompile(`(?m)^ok\s+` + regexp.QuoteMeta(goldenModule+"/"+c.opts.Package) + `\s`); !ok.MatchString(out) {
			t.Errorf("%s: the exercise did not pass:\n%s", c.name, out)
		}
	}
	t.Logf("%d exercise tests passed", strings.Count(out, "--- PASS"))
}

// TestVersionGuard: code generated for a kzrt that does not support it
// (here, as if from a newer kzgen) fails to build, and the compiler's
// message names the missing guard constant; the line it points to says
// how to fix it.
func TestVersionGuard(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module; skipped in -short mode")
	}
	res := generateGolden(t)
	const future = "SupportsGeneratedCodeV999"
	dir := tempmod.NewModule(t, "example.com/guard")
	for _, f := range res.Files {
		guard := "const _ = kzrt." + golang.VersionGuard + " // "
		if !bytes.Contains(f.Content, []byte(guard)) {
			t.Fatalf("%s lacks the line %q", f.Name, guard)
		}
		content := bytes.ReplaceAll(f.Content, []byte(golang.VersionGuard), []byte(future))
		tempmod.WriteFile(t, dir, "demo/"+f.Name, content)
	}
	_, stderr, err := tempmod.Go(dir, nil, "build", "./...")
	if err == nil {
		t.Fatal("code guarded by an unknown version builds")
	}
	if !strings.Contains(string(stderr), "undefined: kzrt."+future) {
		t.Fatalf("the build error does not name the guard:\n%s", stderr)
	}
	line := regexp.MustCompile(`(?m)^const _ = kzrt\.` + golang.VersionGuard + ` // (.*)$`).FindSubmatch(res.Files[0].Content)
	if line == nil || !strings.Contains(string(line[1]), "regenerate") {
		t.Fatalf("the guard line does not say how to fix it: %q", line)
	}
	t.Logf("build error: %s", strings.TrimSpace(strings.SplitN(string(stderr), "\n", 3)[1]))
}

// fileExists reports whether name is a regular file.
func fileExists(name string) bool {
	info, err := os.Stat(name)
	return err == nil && info.Mode().IsRegular()
}
