package docs_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/kzgen/kzgen/internal/golden"

	"github.com/kzgen/kzgen/generator/docs"
	"github.com/kzgen/kzgen/generator/golang"
	"github.com/kzgen/kzgen/generator/kazoo"
	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/generator/model"
	"github.com/kzgen/kzgen/generator/validate"
	"github.com/kzgen/kzgen/internal/kazootest"
	"github.com/kzgen/kzgen/schemas"
)

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
		set, modelErr = load.Read(schemas.FS, load.Options{Match: schemas.CallflowMatch, Name: "embedded schemas"})
		if modelErr == nil {
			modelSet, modelErr = model.Build(set)
		}
	})
	if modelErr != nil {
		t.Fatal(modelErr)
	}
	return modelSet
}

var (
	pagesOnce sync.Once
	pages     map[string][]byte
	pagesErr  error
)

// generate renders the pages of the embedded schemas, once.
func generate(t *testing.T) map[string][]byte {
	t.Helper()
	m := callflowModel(t)
	pagesOnce.Do(func() {
		var files []docs.File
		files, pagesErr = docs.Generate(m, docs.Options{})
		pages = map[string][]byte{}
		for _, f := range files {
			pages[f.Name] = f.Content
		}
	})
	if pagesErr != nil {
		t.Fatal(pagesErr)
	}
	return pages
}

// moduleNames lists the callflow modules of the embedded schemas.
func moduleNames(t *testing.T) []string {
	t.Helper()
	api, err := golang.API(callflowModel(t), docs.GoOptions)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range api {
		names = append(names, m.Name)
	}
	return names
}

func table(t *testing.T) *kazoo.Table {
	t.Helper()
	tbl, err := kazoo.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return tbl
}

func TestEveryModuleIsInExactlyOneGroup(t *testing.T) {
	modules := map[string]bool{}
	for _, m := range moduleNames(t) {
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
	modules := moduleNames(t)
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
	var names []string
	for name := range checkedInPages(t) {
		if name != docs.IndexFile {
			names = append(names, strings.TrimSuffix(name, ".md"))
		}
	}
	slices.Sort(names)
	if want := moduleNames(t); !reflect.DeepEqual(names, want) {
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

// section returns the text of a page from the heading "### name" to the
// next "### " heading.
func section(page []byte, name string) []byte {
	_, after, ok := bytes.Cut(page, []byte("\n### "+name+"\n"))
	if !ok {
		return nil
	}
	if end := bytes.Index(after, []byte("\n### ")); end >= 0 {
		after = after[:end]
	}
	return after
}

// TestExamplesPassKazoosSchemas validates every JSON block of the checked-in
// pages as Kazoo does (kazootest.KazooTree) on Kazoo's own schema set: a
// draft-04 validator would refuse examples Kazoo accepts (a required
// property left to its default, audio_macro's items).
func TestExamplesPassKazoosSchemas(t *testing.T) {
	oracle := kazootest.Oracle(t)
	checked := 0
	for name, content := range checkedInPages(t) {
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
	if checked < 78+18 {
		t.Errorf("only %d examples checked", checked)
	}
}

// TestEveryPageHasItsBranches checks the Branches section of every page
// against the table, and the branching example of every module with named
// keys: a child for each key (unless its conditions contradict an earlier
// key's), "_" when the module uses it, valid for Kazoo, and no child
// Kazoo's table says the module never takes.
func TestEveryPageHasItsBranches(t *testing.T) {
	files := generate(t)
	tbl := table(t)
	v, err := validate.FromSet(callflowModel(t))
	if err != nil {
		t.Fatal(err)
	}
	withExample := 0
	for _, name := range moduleNames(t) {
		page := files[name+".md"]
		branches := string(section(page, "Branches"))
		km, ok := tbl.Module(name)
		if !ok {
			t.Errorf("%s: the table does not know Kazoo's module", name)
			continue
		}
		if !strings.Contains(branches, "The default child `\"_\"`: ") {
			t.Errorf("%s: the Branches section does not say when \"_\" runs", name)
		}
		for _, k := range km.Keys {
			want := "\n`" + k.Fixed + "` | "
			if k.Family != nil {
				want = cellText(k.Family.Noun + ": `/" + k.Family.Pattern.String() + "/`")
			}
			if !strings.Contains(branches, want) {
				t.Errorf("%s: the Branches section lacks the key %s", name, k)
			}
		}
		example := section(page, "Branching example")
		if len(km.Keys) == 0 {
			if example != nil {
				t.Errorf("%s reads no named key but has a branching example", name)
			}
			continue
		}
		withExample++
		blocks := jsonBlock.FindSubmatch(example)
		if blocks == nil || !bytes.Contains(example, []byte("```mermaid\nflowchart TD\n")) {
			t.Errorf("%s: no branching example with a diagram", name)
			continue
		}
		if res := v.Validate(blocks[1], validate.Pivot); !res.Valid() {
			t.Errorf("%s: the branching example is invalid: %v", name, res.Err())
		}
		node, err := decode(blocks[1])
		if err != nil {
			t.Fatal(err)
		}
		children := node["children"].(map[string]any)
		keys := slices.Sorted(maps.Keys(children))
		data, _ := json.Marshal(node["data"])
		if w := tbl.Lint(name, data, keys); len(w) > 0 {
			t.Errorf("%s: the branching example has children Kazoo does not take: %v", name, w)
		}
		if _, ok := children["_"]; ok != km.Default.Used {
			t.Errorf("%s: \"_\" child present %v, but the module uses it: %v", name, ok, km.Default.Used)
		}
		shown := 0
		for _, k := range km.Keys {
			for _, key := range keys {
				if k.Matches(key) {
					shown++
					break
				}
			}
		}
		if skipped := len(km.Keys) - shown; skipped > 0 && !bytes.Contains(example, []byte("Not shown:")) {
			t.Errorf("%s: %d keys have no child and the page does not say why", name, skipped)
		}
	}
	if withExample != 18 {
		t.Errorf("%d modules with a branching example, want the 18 with named keys", withExample)
	}
}

// cellText is text as a table cell holds it.
func cellText(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// TestUnitsInTheTables checks that every duration field the table knows
// the unit of says it in its row's Description cell, on the page of its
// module or in the section of its schema.
func TestUnitsInTheTables(t *testing.T) {
	files := generate(t)
	tbl := table(t)
	set := callflowModel(t)
	all := bytes.Join(slices.Collect(maps.Values(files)), nil)
	checked := 0
	for _, id := range tbl.UnitSchemas() {
		if set.Schema(id) == nil {
			continue
		}
		for ptr, u := range tbl.Units(id) {
			checked++
			key := pointerKey(ptr)
			row := regexp.MustCompile("(?m)^`" + regexp.QuoteMeta(key) + "` \\| [^\n]*Unit: " + u.Unit.Word() + `\.`)
			if !row.Match(all) {
				t.Errorf("%s %s: no row %q says %s", id, ptr, key, u.Unit.Word())
			}
		}
		for ptr := range tbl.UnitsUnknown(id) {
			checked++
			if key := pointerKey(ptr); !regexp.MustCompile("(?m)^`" + regexp.QuoteMeta(key) + "` \\| [^\n]*unit").Match(all) {
				t.Errorf("%s %s: row %q does not say why the unit varies", id, ptr, key)
			}
		}
	}
	if checked < 20 {
		t.Errorf("only %d duration fields checked", checked)
	}
}

// TestDurationSettersInTheTables checks that the row of every field with
// a Duration setter names the setter after the field's unit.
func TestDurationSettersInTheTables(t *testing.T) {
	api, err := golang.API(callflowModel(t), docs.GoOptions)
	if err != nil {
		t.Fatal(err)
	}
	pages := checkedInPages(t)
	checked := 0
	for _, m := range api {
		for _, d := range m.Durations {
			checked++
			row := regexp.MustCompile("(?m)^`" + regexp.QuoteMeta(d.Property) + "` \\| [^\n]*Unit: " +
				kazoo.Unit(d.Unit).Word() + "\\. In Go, `" + d.Name + "` sets it from a `time.Duration`\\.")
			if !row.Match(pages[m.Name+".md"]) {
				t.Errorf("%s: the row of %q does not name %s with its unit", m.Name, d.Property, d.Name)
			}
		}
	}
	if checked < 20 {
		t.Errorf("only %d Duration setters checked", checked)
	}
}

// pointerKey turns a declaration's JSON pointer into a table key:
// "/properties/a/items/properties/b" is "a.[].b".
func pointerKey(ptr string) string {
	var parts []string
	tokens := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	for i := 0; i < len(tokens); i++ {
		switch tokens[i] {
		case "properties":
			i++
			parts = append(parts, tokens[i])
		case "items":
			parts = append(parts, "[]")
		}
	}
	return strings.Join(parts, ".")
}

// TestCustomModule renders the pages of a user's schema set: the embedded
// schemas plus a module of their own, which the table does not know.
func TestCustomModule(t *testing.T) {
	fsys := fstest.MapFS{}
	err := fs.WalkDir(schemas.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(schemas.FS, path)
		fsys[path] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	fsys["callflows.my_custom.json"] = &fstest.MapFile{Data: []byte(`{
    "$schema": "http://json-schema.org/draft-04/schema#",
    "_id": "callflows.my_custom",
    "description": "Our own module: looks a caller up in our CRM.",
    "properties": {
        "crm_url": {"type": "string", "pattern": "^https://"},
        "timeout_ms": {"type": "integer", "minimum": 100}
    },
    "required": ["crm_url"],
    "type": "object"
}
`)}
	set, err := load.Read(fsys, load.Options{Match: schemas.CallflowMatch, Name: "mine"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Build(set)
	if err != nil {
		t.Fatal(err)
	}
	files, err := docs.Generate(m, docs.Options{GoPackage: "example.com/pbx/callflow", Source: "the schemas in mine"})
	if err != nil {
		t.Fatal(err)
	}
	var page, index []byte
	for _, f := range files {
		switch f.Name {
		case "my_custom.md":
			page = f.Content
		case docs.IndexFile:
			index = f.Content
		}
	}
	for _, want := range []string{
		"## My Custom", "Our own module: looks a caller up in our CRM.",
		"`crm_url` | Must match \"^https://\". | `string()` |   | `true` |",
		"does not describe `my_custom`, so only Kazoo's general rule applies",
		"func MyCustom(crmURL string) *MyCustomBuilder", "example.com/pbx/callflow",
		`"crm_url": "https://example.com/crm-url"`,
	} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("my_custom.md lacks %q:\n%s", want, page)
		}
	}
	if bytes.Contains(page, []byte("### Branching example")) {
		t.Error("a module the table does not know got a branching example")
	}
	if !bytes.Contains(index, []byte("[my_custom](my_custom.md)")) || !bytes.Contains(index, []byte("from the schemas in mine")) {
		t.Errorf("the index does not list my_custom or name the set:\n%s", index)
	}
}

func TestModuleWithoutSample(t *testing.T) {
	fsys := fstest.MapFS{}
	for _, id := range []string{"callflows.action", "callflows.tts"} {
		data, err := fs.ReadFile(schemas.FS, id+".json")
		if err != nil {
			t.Fatal(err)
		}
		fsys[id+".json"] = &fstest.MapFile{Data: data}
	}
	fsys["callflows.impossible.json"] = &fstest.MapFile{Data: []byte(`{"_id": "callflows.impossible", "type": "object",
		"properties": {"n": {"type": "integer", "minimum": 1, "maximum": 2, "exclusiveMinimum": true, "exclusiveMaximum": true}},
		"required": ["n"]}`)}
	set, err := load.Read(fsys, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Build(set)
	if err != nil {
		t.Fatal(err)
	}
	files, err := docs.Generate(m, docs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.Name == "impossible.md" && !bytes.Contains(f.Content, []byte("No example: kzgen cannot choose values Kazoo accepts")) {
			t.Errorf("impossible.md does not say why it has no example:\n%s", f.Content)
		}
	}
}

func TestSetWithoutNodeSchemaIsAnError(t *testing.T) {
	fsys := fstest.MapFS{"callflows.tts.json": &fstest.MapFile{Data: []byte(`{"_id": "callflows.tts", "type": "object"}`)}}
	set, err := load.Read(fsys, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Build(set)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := docs.Generate(m, docs.Options{}); err == nil || !strings.Contains(err.Error(), "callflows.action") {
		t.Errorf("err = %v, want one naming callflows.action", err)
	}
}

// TestGoldenPages compares three pages with testdata/golden. Run with
// -update to accept a deliberate change, then review the diff.
func TestGoldenPages(t *testing.T) {
	files := generate(t)
	for _, name := range []string{"tts.md", "menu.md", "offnet.md"} {
		path := filepath.Join("testdata", "golden", name)
		if want := golden.Want(t, path, files[name]); !bytes.Equal(files[name], want) {
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

// decode reads a JSON object, numbers as json.Number.
func decode(raw []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v map[string]any
	err := dec.Decode(&v)
	return v, err
}
