package generator_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/generator"
	"github.com/kzgen/kzgen/generator/golang"
	"github.com/kzgen/kzgen/internal/tempmod"
)

var update = flag.Bool("update", false, "rewrite the golden files from the current output")

const goldenDir = "testdata/golden"

func generateGolden(t *testing.T) *generator.Result {
	t.Helper()
	res, err := generator.Generate(generator.Config{
		Schemas: os.DirFS(filepath.Join(goldenDir, "schemas")),
		Name:    "schemas",
		Go:      golang.Options{Package: "demo"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestGolden compares the Go generated for the hand-written schemas in
// testdata/golden/schemas with testdata/golden/want. Run with -update to
// accept a deliberate change, then review the diff.
func TestGolden(t *testing.T) {
	res := generateGolden(t)
	wantDir := filepath.Join(goldenDir, "want")
	if *update {
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

// TestGoldenCompilesAndBehaves builds the golden package in a scratch
// module, vets it, and runs testdata/golden/exercise: round trips that keep
// false and 0, enums, unions, maps, recursive refs, defaults and the
// problems Validate reports.
func TestGoldenCompilesAndBehaves(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module; skipped in -short mode")
	}
	res := generateGolden(t)
	dir := tempmod.NewModule(t, "example.com/gen")
	for _, f := range res.Files {
		tempmod.WriteFile(t, dir, "demo/"+f.Name, f.Content)
	}
	exercise, err := os.ReadFile(filepath.Join(goldenDir, "exercise", "demo_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	tempmod.WriteFile(t, dir, "demo/demo_test.go", exercise)
	tempmod.MustGo(t, dir, "vet", "./...")
	out := tempmod.MustGo(t, dir, "test", "-trimpath", "-count=1", "-v", "./...")
	if !strings.Contains(out, "PASS") {
		t.Fatalf("exercise did not pass:\n%s", out)
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
	_, stderr, err := tempmod.Go(dir, nil, "build", "-trimpath", "./...")
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
