package generator_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"math/big"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/kzgen/kzgen/generator"
	"github.com/kzgen/kzgen/generator/golang"
	"github.com/kzgen/kzgen/generator/internal/oracletest"
	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/generator/load/reference"
	"github.com/kzgen/kzgen/generator/model"
	"github.com/kzgen/kzgen/generator/validate"
	"github.com/kzgen/kzgen/internal/kazootest"
	"github.com/kzgen/kzgen/internal/tempmod"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// TestGenerateAllKazooSchemasCompile generates Go for every schema of
// Kazoo's set, with kzgen gen's defaults (a callflow package), and checks
// the package: one file per schema plus the module registry, each with the
// generated-code header, gofmt-clean, byte-identical when the schemas are
// read in another order, and compiling and vetting cleanly in a scratch
// module.
func TestGenerateAllKazooSchemasCompile(t *testing.T) {
	t.Parallel()
	dir := kazootest.SchemaDir(t)
	if testing.Short() {
		t.Skip("builds a module of every Kazoo schema; skipped in -short mode")
	}
	start := time.Now()
	names, err := fs.Glob(os.DirFS(dir), "*.json")
	if err != nil {
		t.Fatal(err)
	}
	// With kzgen gen's defaults: a callflow package, as a user gets it.
	cfg := generator.Config{Schemas: os.DirFS(dir), Name: "kazoo", Go: golang.Options{Package: "kazoo",
		TrimPrefix: golang.DefaultTrimPrefix, TypeSuffix: golang.DefaultTypeSuffix, Nodes: true}}
	// Determinism: the same schemas, read from a copy whose directory
	// listing comes in a shuffled order, give the same bytes. That run
	// goes on beside the first (the two take most of this test's time).
	shuffled := cfg
	shuffled.Schemas = shuffledCopy(t, dir, 20260101)
	type result struct {
		res *generator.Result
		err error
	}
	second := make(chan result, 1)
	go func() {
		res, err := generator.Generate(shuffled)
		second <- result{res, err}
	}()
	res, err := generator.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != len(names)+3 {
		t.Errorf("%d schema files, %d generated files; want one per schema, %s, %s and %s",
			len(names), len(res.Files), golang.NodesFile, golang.BranchesFile, golang.EndpointsFile)
	}
	ids := map[string]bool{}
	for _, f := range res.Files {
		if !bytes.HasPrefix(f.Content, []byte("// "+golang.Header+"\n")) {
			t.Errorf("%s does not start with %q", f.Name, "// "+golang.Header)
		}
		if f.SchemaID == "" {
			continue // not a schema's file
		}
		ids[f.SchemaID] = true
		if f.RootType == "" {
			t.Errorf("%s: no root type", f.Name)
		}
	}
	for _, n := range names {
		if id := strings.TrimSuffix(n, ".json"); !ids[id] {
			t.Errorf("no generated file for schema %s", id)
		}
	}

	r := <-second
	if r.err != nil {
		t.Fatal(r.err)
	}
	again := r.res
	if len(again.Files) != len(res.Files) {
		t.Fatalf("second run: %d files, first run: %d", len(again.Files), len(res.Files))
	}
	differ := 0
	for i, f := range res.Files {
		g := again.Files[i]
		if f.Name != g.Name || f.RootType != g.RootType || !bytes.Equal(f.Content, g.Content) {
			differ++
			if differ <= 5 {
				t.Errorf("output is not deterministic: %s (run 1) and %s (run 2) differ", f.Name, g.Name)
			}
		}
	}
	genTime := time.Since(start)

	mod := tempmod.NewModule(t, "kzgen.test/all")
	for _, f := range res.Files {
		tempmod.WriteFile(t, mod, "kazoo/"+f.Name, f.Content)
	}
	if out, err := exec.Command(gofmtPath(t), "-l", filepath.Join(mod, "kazoo")).CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("gofmt -l (%v) lists files that are not formatted:\n%s", err, out)
	}

	buildStart := time.Now()
	_, stderr, err := tempmod.Go(mod, nil, "build", "./...")
	failing := filesInErrors(stderr)
	t.Logf("%d schemas, %d files generated; %d/%d compile", len(names), len(res.Files), len(res.Files)-len(failing), len(res.Files))
	if err != nil {
		t.Fatalf("%v (files with errors: %d, a lower bound: the compiler stops after 10 errors)\n%s", err, len(failing), stderr)
	}
	buildTime := time.Since(buildStart)
	vetStart := time.Now()
	if _, stderr, err := tempmod.Go(mod, nil, "vet", "./..."); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	t.Logf("vet clean; generate x2 %v, build %v, vet %v", genTime.Round(time.Millisecond),
		buildTime.Round(time.Millisecond), time.Since(vetStart).Round(time.Millisecond))
}

// shuffledCopy reads every schema file of dir into memory and serves them
// from an fs.FS whose directory listing is in a random (seeded) order, so a
// generator that depended on the order it reads files in would show it.
func shuffledCopy(t *testing.T, dir string, seed uint64) fs.FS {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, seed))
	rng.Shuffle(len(entries), func(i, j int) { entries[i], entries[j] = entries[j], entries[i] })
	m := fstest.MapFS{}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		m[e.Name()] = &fstest.MapFile{Data: data, Mode: 0o444}
	}
	return shuffledFS{MapFS: m, seed: seed}
}

// shuffledFS lists directories in a shuffled order (fs.ReadDirFS asks for
// sorted entries; this deliberately breaks that promise).
type shuffledFS struct {
	fstest.MapFS
	seed uint64
}

func (s shuffledFS) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, err := s.MapFS.ReadDir(name)
	rng := rand.New(rand.NewPCG(s.seed, 7))
	rng.Shuffle(len(entries), func(i, j int) { entries[i], entries[j] = entries[j], entries[i] })
	return entries, err
}

// gofmtPath finds the gofmt of the go command in use.
func gofmtPath(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err == nil {
		p := filepath.Join(strings.TrimSpace(string(out)), "bin", "gofmt")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	p, err := exec.LookPath("gofmt")
	if err != nil {
		t.Fatal("gofmt not found")
	}
	return p
}

var errorFile = regexp.MustCompile(`(?m)^(?:\./)?kazoo/([^:\s]+\.go):\d+`)

// filesInErrors lists the generated files compiler errors name.
func filesInErrors(stderr []byte) []string {
	seen := map[string]bool{}
	for _, m := range errorFile.FindAllSubmatch(stderr, -1) {
		seen[string(m[1])] = true
	}
	var out []string
	for f := range seen {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// ---------------------------------------------------------------- oracle

// oracleMatch selects the schemas TestValidateAgreesWithOracle covers.
// The default is the callflow schemas; -oracle.match='*' covers all of
// Kazoo's (about 15 times the cases, and a build of every schema).
var oracleMatch = flag.String("oracle.match", "callflows.*", "glob of the schema ids TestValidateAgreesWithOracle covers")

// oracleCase is one instance of one schema, with the oracle's verdict and
// Kazoo's.
type oracleCase struct {
	Schema   string          `json:"schema"`
	Instance json.RawMessage `json:"instance"`
	label    string
	valid    bool // the oracle's (draft-04) verdict
	problems []string
	kazoo    bool // Kazoo's verdict (generator/validate)
}

type harnessProblem struct {
	Pointer string `json:"pointer"`
	Message string `json:"message"`
}

type harnessVerdict struct {
	Valid    bool             `json:"valid"`
	Problems []harnessProblem `json:"problems"`
	Encoded  json.RawMessage  `json:"encoded"`
	Failure  string           `json:"failure"`
}

// TestValidateAgreesWithOracle checks the generated UnmarshalJSON + Validate
// against an independent validator, santhosh-tekuri/jsonschema (the
// oracle), on every callflows.* schema of Kazoo's set and the schemas they
// reference. For each schema it synthesizes valid instances (only required
// properties; every property) and, by walking the full instance with its
// schema, systematic mutations: required properties removed, values of
// every other JSON type, enum, length, pattern, format, bound, item count
// and uniqueness violations, unknown properties, other union alternatives,
// nested through properties, maps, items and $ref targets. Valid values
// must also survive MarshalJSON, and every problem must point into the
// instance.
//
// The oracle is a draft-04 validator, and Kazoo is not: where Kazoo's
// verdict (generator/validate, which states the fact sheet's behaviours)
// differs from the oracle's, on a required property with a default, a
// "$ref" with sibling keywords, a format Kazoo does not check, a
// blacklisted URL…, the case is not asserted, only counted: the generated
// code is held to Kazoo's verdicts by the conformance suite
// (internal/conformance). On every other case the generated verdict
// (decode error or Validate problems = invalid) must equal both.
//
// Some inputs are left out on purpose, where the generated code differs
// from both by design:
//
//   - Integer-valued numbers written with a fraction or exponent ("1.0",
//     "1e2") where an integer is expected, and integers beyond int64 or
//     numbers beyond float64, which the Go types cannot hold; the mutator
//     never writes them (oracletest.typeSamples).
//   - Values of another JSON type where a schema has no "type" but
//     "properties" or "items": JSON Schema lets any non-object (non-array)
//     through, kzgen makes the position a struct (slice) and rejects them
//     (oracletest.inferredType; none in the callflow schemas).
//   - Keys that none of the patterns of a typed map match, when other keys
//     are allowed: the oracle lets their values be anything, the generated
//     map[string]T gives them T (oracletest.untypedMapKey; in the callflow
//     schemas only the empty key escapes "children"'s ".+").
//
// Run with -oracle.match='*' to cover all of Kazoo's schemas (about 96,000
// cases, some 40 s).
func TestValidateAgreesWithOracle(t *testing.T) {
	t.Parallel()
	dir := kazootest.SchemaDir(t)
	if testing.Short() {
		t.Skip("builds and runs a module; skipped in -short mode")
	}
	checkAgainstOracle(t, os.DirFS(dir), "kazoo", *oracleMatch)
}

// TestValidateAgreesWithOracleTestdata runs the same comparison on the
// small schemas in testdata/oracle/schemas, written for the constructs
// Kazoo's callflow schemas lack: named properties beside patternProperties
// or an additionalProperties schema, maps with several value schemas,
// schemas that are only an enum or a map, exclusive bounds, integer enums,
// nested lists, unique objects, type lists, overlapping oneOf and anyOf.
// It needs nothing outside this repository.
func TestValidateAgreesWithOracleTestdata(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and runs a module; skipped in -short mode")
	}
	checkAgainstOracle(t, os.DirFS(filepath.Join("testdata", "oracle", "schemas")), "testdata", "*")
}

// checkAgainstOracle generates the schemas of fsys that match, builds
// them with the harness, and compares the harness's verdicts with the
// oracle's on synthesized instances and their mutations.
func checkAgainstOracle(t *testing.T, fsys fs.FS, name, match string) {
	start := time.Now()
	tmpl, err := os.ReadFile(filepath.Join("testdata", "oracle", "harness.go.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := generator.Generate(generator.Config{Schemas: fsys, Name: name, Match: match,
		Go: golang.Options{Package: "kz"}})
	if err != nil {
		t.Fatal(err)
	}
	// The oracle: the reference compilation of the same schemas.
	set, err := reference.Load(fsys, load.Options{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	// Kazoo's verdict, from the model the code was generated from.
	kazoo, err := validate.FromSet(res.Model)
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := oracletest.NewSchemas(set)
	if err != nil {
		t.Fatal(err)
	}
	synth := &oracletest.Synth{S: schemas, MaxDepth: 6}
	mutator := &oracletest.Mutator{Synth: synth}

	var cases []*oracleCase
	add := func(id, label string, doc any) *oracleCase {
		data, err := json.Marshal(doc)
		if err != nil {
			t.Fatalf("%s %s: %v", id, label, err)
		}
		v, err := oracletest.Decode(data)
		if err != nil {
			t.Fatal(err)
		}
		verr := set.Get(id).Compiled.Validate(v)
		kres, err := kazoo.ValidateSchema(id, data)
		if err != nil {
			t.Fatal(err)
		}
		c := &oracleCase{Schema: id, Instance: data, label: label, valid: verr == nil, problems: oracletest.Problems(verr),
			kazoo: kazooValid(kres.Problems)}
		cases = append(cases, c)
		return c
	}
	var validCases, mutations, mutationsInvalid int
	var roots []string
	for _, f := range res.Files {
		if f.SchemaID != "" {
			roots = append(roots, f.SchemaID)
		}
	}
	for _, id := range roots {
		var full any
		for _, variant := range []struct {
			label string
			full  bool
		}{{"valid (required properties)", false}, {"valid (all properties)", true}} {
			doc, ok := synth.Instance(id, variant.full)
			if !ok {
				t.Errorf("%s: cannot synthesize a %s instance", id, variant.label)
				continue
			}
			c := add(id, variant.label, doc)
			if !c.valid {
				t.Errorf("%s: the synthesized instance is invalid under the oracle: %s\n%s", id, c.Instance, strings.Join(c.problems, "\n"))
			}
			validCases++
			full = doc
		}
		if full == nil {
			continue
		}
		for _, m := range mutator.Mutations(id, full) {
			c := add(id, m.Label, m.Doc)
			mutations++
			if !c.valid {
				mutationsInvalid++
			}
		}
	}
	synthTime := time.Since(start)
	// A comparison without invalid cases would prove nothing.
	if mutationsInvalid < len(roots) {
		t.Errorf("only %d invalid mutations for %d schemas; the mutator is not doing its job", mutationsInvalid, len(roots))
	}

	verdicts := runHarness(t, string(tmpl), res.Files, cases)

	agree, disagree, roundTrip, badPointers := 0, 0, 0, 0
	kazooDiffers, generatedAgreesWithKazoo := 0, 0
	bySchema, kazooBySchema := map[string]int{}, map[string]int{}
	for i, c := range cases {
		got := verdicts[i]
		if got.Failure != "" {
			t.Errorf("%s %s: harness failure: %s\ninstance: %s", c.Schema, c.label, got.Failure, c.Instance)
			disagree++
			continue
		}
		if c.kazoo != c.valid {
			kazooDiffers++
			kazooBySchema[c.Schema]++
			if got.Valid == c.kazoo {
				generatedAgreesWithKazoo++
			}
			continue // draft-04's verdict is not Kazoo's: not asserted
		}
		if got.Valid != c.valid {
			disagree++
			bySchema[c.Schema]++
			if disagree <= 40 {
				var gp []string
				for _, p := range got.Problems {
					gp = append(gp, p.Pointer+": "+p.Message)
				}
				t.Errorf("%s %s:\n  instance:  %s\n  oracle:    valid=%v %s\n  generated: valid=%v %s",
					c.Schema, c.label, c.Instance, c.valid, strings.Join(c.problems, "; "), got.Valid, strings.Join(gp, "; "))
			}
			continue
		}
		agree++
		if !got.Valid {
			if len(got.Problems) == 0 {
				t.Errorf("%s %s: invalid without a problem", c.Schema, c.label)
			}
			for _, p := range got.Problems {
				if !pointsInto(c.Instance, p.Pointer) {
					badPointers++
					if badPointers <= 10 {
						t.Errorf("%s %s: problem %q at %q, which is not in (or directly below a value of) %s",
							c.Schema, c.label, p.Message, p.Pointer, c.Instance)
					}
				}
			}
			continue
		}
		if !sameJSON(c.Instance, got.Encoded) {
			roundTrip++
			if roundTrip <= 10 {
				t.Errorf("%s %s: MarshalJSON changed the value\n  in:  %s\n  out: %s", c.Schema, c.label, c.Instance, got.Encoded)
			}
		}
	}
	if disagree > 40 {
		var parts []string
		for _, id := range sortedIDs(bySchema) {
			parts = append(parts, fmt.Sprintf("%s (%d)", id, bySchema[id]))
		}
		t.Errorf("... %d disagreements in all, by schema: %s", disagree, strings.Join(parts, ", "))
	}
	selected := 0
	for _, s := range res.Model.Schemas {
		if s.Selected {
			selected++
		}
	}
	t.Logf("%d schemas (%d matching %q, the rest referenced): %d valid instances, %d mutations (%d invalid per the oracle); %d cases",
		len(roots), selected, match, validCases, mutations, mutationsInvalid, len(cases))
	t.Logf("agreement %d/%d, disagreements %d, round-trip failures %d, misplaced pointers %d; synthesis %v, total %v",
		agree, len(cases)-kazooDiffers, disagree, roundTrip, badPointers, synthTime.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	var parts []string
	for _, id := range sortedIDs(kazooBySchema) {
		parts = append(parts, fmt.Sprintf("%s (%d)", id, kazooBySchema[id]))
	}
	t.Logf("%d cases where Kazoo's verdict differs from draft-04's, not asserted (the generated code gives Kazoo's on %d): %s",
		kazooDiffers, generatedAgreesWithKazoo, strings.Join(parts, ", "))
}

// kazooValid is Kazoo's verdict as a package generated without Options.Nodes
// can give it: such a package has no module registry, so Kazoo's check
// that a node's module names a callflow module is left out (the callflow
// package, gen/callflow, runs it; the conformance suite holds it to it).
func kazooValid(problems kzrt.Errors) bool {
	for _, p := range problems {
		if p.Code != model.CodeError || !(p.Pointer == "/module" || strings.HasSuffix(p.Pointer, "/module")) {
			return false
		}
	}
	return true
}

func sortedIDs(m map[string]int) []string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// runHarness builds the generated package with the harness in a scratch
// module, runs it once on every case and returns its verdicts.
func runHarness(t *testing.T, tmpl string, files []golang.File, cases []*oracleCase) []harnessVerdict {
	t.Helper()
	const modPath = "kzgen.test/oracle"
	mod := tempmod.NewModule(t, modPath)
	for _, f := range files {
		tempmod.WriteFile(t, mod, "kz/"+f.Name, f.Content)
	}
	main, err := oracletest.Harness(tmpl, modPath+"/kz", files)
	if err != nil {
		t.Fatal(err)
	}
	tempmod.WriteFile(t, mod, "main.go", main)
	input, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	// go run, not go build -o: the go command keeps the executables of
	// go run in its build cache, so a warm run does not link the harness
	// again.
	out, stderr, err := tempmod.Go(mod, input, "run", ".")
	if err != nil {
		t.Fatalf("harness: %v\n%s", err, stderr)
	}
	var verdicts []harnessVerdict
	if err := json.Unmarshal(out, &verdicts); err != nil {
		t.Fatalf("harness output: %v", err)
	}
	if len(verdicts) != len(cases) {
		t.Fatalf("harness returned %d verdicts for %d cases", len(verdicts), len(cases))
	}
	return verdicts
}

// pointsInto reports whether ptr names a value of the JSON document data
// or a member directly below one (a missing required property).
func pointsInto(data []byte, ptr string) bool {
	v, err := oracletest.Decode(data)
	if err != nil || ptr == "" {
		return err == nil
	}
	if !strings.HasPrefix(ptr, "/") {
		return false
	}
	tokens := strings.Split(ptr[1:], "/")
	for i, tok := range tokens {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		last := i == len(tokens)-1
		switch x := v.(type) {
		case map[string]any:
			next, ok := x[tok]
			if !ok {
				return last
			}
			v = next
		case []any:
			n, err := strconv.Atoi(tok)
			if err != nil || n < 0 || n >= len(x) {
				return false
			}
			v = x[n]
		default:
			return false
		}
	}
	return true
}

// sameJSON reports whether two JSON texts hold the same value, numbers
// compared by value.
func sameJSON(a, b []byte) bool {
	va, err := oracletest.Decode(a)
	if err != nil {
		return false
	}
	vb, err := oracletest.Decode(b)
	if err != nil {
		return false
	}
	return equalJSON(va, vb)
}

func equalJSON(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !equalJSON(v, w) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equalJSON(x[i], y[i]) {
				return false
			}
		}
		return true
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		rx, ok1 := new(big.Rat).SetString(x.String())
		ry, ok2 := new(big.Rat).SetString(y.String())
		return ok1 && ok2 && rx.Cmp(ry) == 0
	}
	return fmt.Sprint(a) == fmt.Sprint(b) && fmt.Sprintf("%T", a) == fmt.Sprintf("%T", b)
}
