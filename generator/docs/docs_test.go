package docs_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/generator/docs"
	"github.com/kzgen/kzgen/generator/golang"
	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/generator/model"
	"github.com/kzgen/kzgen/internal/kazootest"
	"github.com/kzgen/kzgen/schemas"
)

var update = flag.Bool("update", false, "rewrite the golden pages in testdata from the current output")

// refDir is the checked-in reference, relative to this package.
const refDir = "../../docs/ref"

var (
	modelOnce sync.Once
	modelSet  *model.Set
	modelErr  error
)

// callflowModel is the model gen/callflow and the pages are built from.
func callflowModel(t *testing.T) *model.Set {
	t.Helper()
	modelOnce.Do(func() {
		var set *load.Set
		set, modelErr = load.Load(schemas.FS, load.Options{Match: "callflows*", Name: "embedded schemas"})
		if modelErr == nil {
			modelSet, modelErr = model.Build(set)
		}
	})
	if modelErr != nil {
		t.Fatal(modelErr)
	}
	return modelSet
}

func generate(t *testing.T) map[string][]byte {
	t.Helper()
	files, err := docs.Generate(callflowModel(t), docs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		out[f.Name] = f.Content
	}
	return out
}

func TestEveryModuleIsInExactlyOneGroup(t *testing.T) {
	modules := map[string]bool{}
	for _, m := range callflow.Modules().Names() {
		modules[m] = true
	}
	seen := map[string]string{}
	for _, g := range docs.Groups {
		for _, m := range g.Modules {
			if other, dup := seen[m]; dup {
				t.Errorf("%s is in groups %s and %s", m, other, g.Title)
			}
			seen[m] = g.Title
			if !modules[m] {
				t.Errorf("group %s lists %s, which is not a callflow module", g.Title, m)
			}
		}
	}
	for m := range modules {
		if _, ok := seen[m]; !ok {
			t.Errorf("module %s is in no group: add it to docs.Groups", m)
		}
	}
}

func TestOnePagePerModule(t *testing.T) {
	files := generate(t)
	modules := callflow.Modules().Names()
	if len(modules) != 78 {
		t.Errorf("%d callflow modules, want Kazoo's 78", len(modules))
	}
	if len(files) != len(modules)+1 {
		t.Errorf("%d files, want a page per module (%d) and the index", len(files), len(modules))
	}
	for _, m := range modules {
		if _, ok := files[m+".md"]; !ok {
			t.Errorf("no page for %s", m)
		}
	}
	index := string(files[docs.IndexFile])
	for _, m := range modules {
		if !strings.Contains(index, "]("+m+".md)") {
			t.Errorf("the index does not link %s", m)
		}
	}
}

// TestCheckedInReference checks docs/ref as committed: a page per module
// and nothing else (CI's go generate + git diff catches stale content).
func TestCheckedInReference(t *testing.T) {
	pages := checkedInPages(t)
	var names []string
	for name := range pages {
		if name != docs.IndexFile {
			names = append(names, strings.TrimSuffix(name, ".md"))
		}
	}
	sort.Strings(names)
	if want := callflow.Modules().Names(); !reflect.DeepEqual(names, want) {
		t.Errorf("docs/ref has pages for %d modules, want %d: run go generate ./gen/callflow", len(names), len(want))
	}
}

func checkedInPages(t *testing.T) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(refDir, "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatalf("no pages in %s: run go generate ./gen/callflow", refDir)
	}
	out := map[string][]byte{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(p)] = b
	}
	return out
}

var jsonBlock = regexp.MustCompile("(?s)```json\n(.*?)\n```")

// TestExamplesPassKazoosSchemas validates every JSON block of the checked-in
// pages as Kazoo does (kazootest.KazooTree) on Kazoo's own schema set: a
// draft-04 validator would refuse examples Kazoo accepts (a required
// property left to its default, audio_macro's items).
func TestExamplesPassKazoosSchemas(t *testing.T) {
	oracle := kazootest.Oracle(t)
	pages := checkedInPages(t)
	checked := 0
	for name, content := range pages {
		if name == docs.IndexFile {
			continue
		}
		blocks := jsonBlock.FindAllSubmatch(content, -1)
		if len(blocks) == 0 {
			t.Errorf("%s: no example", name)
		}
		for i, b := range blocks {
			checked++
			for _, p := range kazootest.KazooTree(oracle, b[1]) {
				t.Errorf("%s, example %d: %s", name, i+1, p)
			}
		}
	}
	if checked < 78 {
		t.Errorf("only %d examples checked", checked)
	}
}

// TestExamplesAreTheGeneratedPackages checks Example against the API the
// pages name: every module has an example, it validates, and its data is
// of the type golang.API reports, so the names the pages show are the
// names gen/callflow declares.
func TestExamplesAreTheGeneratedPackages(t *testing.T) {
	api, err := golang.API(callflowModel(t), docs.GoOptions)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range api {
		node, ok := callflow.Example(m.Name)
		if !ok {
			t.Errorf("%s: no example", m.Name)
			continue
		}
		if err := node.Validate(); err != nil {
			t.Errorf("%s: example invalid: %v", m.Name, err)
		}
		if node.Module != m.Name {
			t.Errorf("%s: example runs module %q", m.Name, node.Module)
		}
		if got := reflect.TypeOf(node.Data).Elem().Name(); got != m.DataType {
			t.Errorf("%s: data is %s, the pages say %s", m.Name, got, m.DataType)
		}
	}
	if _, ok := callflow.Example("no_such_module"); ok {
		t.Error("Example accepted an unknown module")
	}
}

func TestBranchingExamplesHaveDiagrams(t *testing.T) {
	files := generate(t)
	for name, b := range docs.BranchingExamples {
		page := string(files[name+".md"])
		if !strings.Contains(page, "### Branching example") || !strings.Contains(page, "```mermaid\nflowchart TD\n") {
			t.Errorf("%s: page lacks the branching example or its diagram", name)
		}
		if len(b.Build().Children) == 0 {
			t.Errorf("%s: the branching example has no children", name)
		}
	}
}

func TestMissingExampleIsAnError(t *testing.T) {
	_, err := docs.Generate(callflowModel(t), docs.Options{Example: func(string) (*callflow.Node, bool) { return nil, false }})
	if err == nil || !strings.Contains(err.Error(), "no example") {
		t.Errorf("err = %v, want a missing-example error", err)
	}
}

func TestStalePackageIsAnError(t *testing.T) {
	wrongType := func(module string) (*callflow.Node, bool) {
		if module == "tts" {
			n := callflow.Play().Node()
			n.Module = "tts"
			return n, true
		}
		return callflow.Example(module)
	}
	_, err := docs.Generate(callflowModel(t), docs.Options{Example: wrongType})
	if err == nil || !strings.Contains(err.Error(), "stale") {
		t.Errorf("err = %v, want a stale-package error", err)
	}
}

func TestInvalidExampleIsAnError(t *testing.T) {
	bad := func(module string) (*callflow.Node, bool) {
		n, ok := callflow.Example(module)
		if module == "tts" {
			n = callflow.TTS("").Node() // text needs at least one character
		}
		return n, ok
	}
	_, err := docs.Generate(callflowModel(t), docs.Options{Example: bad})
	if err == nil || !strings.Contains(err.Error(), "tts") {
		t.Errorf("err = %v, want an invalid-example error naming tts", err)
	}
}

// TestGoldenPages compares two pages with testdata/golden. Run with
// -update to accept a deliberate change, then review the diff.
func TestGoldenPages(t *testing.T) {
	files := generate(t)
	for _, name := range []string{"tts.md", "menu.md", "offnet.md"} {
		path := filepath.Join("testdata", "golden", name)
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, files[name], 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update)", err)
		}
		if !bytes.Equal(files[name], want) {
			t.Errorf("%s differs from %s (run go test ./generator/docs -run TestGoldenPages -update and review the diff)", name, path)
		}
	}
}

func TestTitle(t *testing.T) {
	for in, want := range map[string]string{"tts": "Tts", "ring_group": "Ring Group", "check_cid": "Check Cid"} {
		if got := docs.Title(in); got != want {
			t.Errorf("Title(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWriteDirReplacesAndRemovesOnlyGeneratedPages(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ref")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("gone.md", docs.Header+"\n\n## Gone\n")
	write("notes.md", "# Hand-written notes\n")
	write("image.png", "not markdown")
	write("tts.md", docs.Header+"\n\nold\n")
	files := []docs.File{{Name: "tts.md", Content: []byte(docs.Header + "\n\nnew\n")}, {Name: docs.IndexFile, Content: []byte(docs.Header + "\n")}}
	if err := docs.WriteDir(dir, files); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{docs.IndexFile, "image.png", "notes.md", "tts.md"}; !reflect.DeepEqual(names, want) {
		t.Errorf("files = %v, want %v", names, want)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "tts.md")); !bytes.Contains(b, []byte("new")) {
		t.Error("tts.md was not replaced")
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), ".kzgen-docs-*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary directories left behind: %v", leftovers)
	}
}

func TestWriteDirRejectsBadNames(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ref")
	if err := docs.WriteDir(dir, []docs.File{{Name: "../x.md"}}); err == nil {
		t.Error("a name with a slash was accepted")
	}
}
