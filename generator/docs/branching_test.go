package docs_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"

	"github.com/kzgen/kzgen/generator/docs"
	"github.com/kzgen/kzgen/generator/golang"
)

// branchingProgram is a main package that builds every page's branching
// example with the Go code the page shows, and prints, by module, the JSON
// it makes, Validate's problems and Lint's warnings.
const branchingProgram = `package main

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	. "github.com/kzgen/kzgen/gen/callflow"
)

var _ = time.Second // a page's code may count a key in time units

type result struct {
	JSON     json.RawMessage
	Problems string
	Lint     []string
}

func main() {
	out := map[string]result{}
	for name, n := range map[string]*Node{
%s	} {
		raw, err := n.MarshalJSON()
		if err != nil {
			fmt.Fprintln(os.Stderr, name, err)
			os.Exit(1)
		}
		r := result{JSON: raw}
		if err := n.Validate(); err != nil {
			r.Problems = err.Error()
		}
		for _, w := range Lint(n) {
			r.Lint = append(r.Lint, fmt.Sprint(w))
		}
		out[name] = r
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
`

// TestBranchingCodeBuildsTheJSONShown compiles the Go code of every
// checked-in page's branching example against gen/callflow, runs it, and
// checks that it builds the page's JSON, which Validate accepts and Lint
// has no warning about. The program is an overlay (go run -overlay), so
// nothing is written into the module.
func TestBranchingCodeBuildsTheJSONShown(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command runs the pages' code: %v", err)
	}
	var entries strings.Builder
	want := map[string][]byte{}
	for _, name := range moduleNames(t) {
		example := section(checkedInPages(t)[name+".md"], "Branching example")
		if example == nil {
			continue
		}
		code, js := goBlock.FindSubmatch(example), jsonBlock.FindSubmatch(example)
		if code == nil || js == nil {
			t.Errorf("%s: the branching example lacks its Go code or its JSON", name)
			continue
		}
		fmt.Fprintf(&entries, "\t\t%q: %s,\n", name, bytes.TrimSpace(code[1]))
		want[name] = js[1]
	}
	if len(want) != 18 {
		t.Errorf("%d branching examples with Go code, want the 18 of the modules with named keys", len(want))
	}
	dir := t.TempDir()
	main := filepath.Join(dir, "main.go")
	if err := os.WriteFile(main, fmt.Appendf(nil, branchingProgram, entries.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	virtual, err := filepath.Abs(filepath.Join("internal", "branchingcheck", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	overlay, err := json.Marshal(map[string]map[string]string{"Replace": {virtual: main}})
	if err != nil {
		t.Fatal(err)
	}
	overlayFile := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(overlayFile, overlay, 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(goTool, "run", "-overlay", overlayFile, "./internal/branchingcheck")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("running the pages' branching code: %v\n%s", err, stderr.Bytes())
	}
	var got map[string]struct {
		JSON     json.RawMessage
		Problems string
		Lint     []string
	}
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("reading the program's output: %v", err)
	}
	for name, page := range want {
		r := got[name]
		pageValue, err := decode(page)
		if err != nil {
			t.Fatal(err)
		}
		builtValue, err := decode(r.JSON)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(pageValue, builtValue) {
			t.Errorf("%s: the page shows\n%s\nbut its Go code builds\n%s", name, page, r.JSON)
		}
		if r.Problems != "" {
			t.Errorf("%s: the branching example's Go code fails Validate: %s", name, r.Problems)
		}
		if len(r.Lint) > 0 {
			t.Errorf("%s: Lint warns about the branching example: %v", name, r.Lint)
		}
	}
}

// branchRow is a row of a Branches table: the key cell, then the method.
var branchRow = regexp.MustCompile("(?m)^(.+?) \\| `(\\w+)\\(([^)]*)\\)` \\| ")

// TestBranchesTablesNameTheGeneratedMethods checks the Go builder method
// column of every page's Branches table: one per key, the method golang.API
// declares for it (Branch when there is none), and gen/callflow's builder
// has it with that many parameters.
func TestBranchesTablesNameTheGeneratedMethods(t *testing.T) {
	pkgs, err := packages.Load(&packages.Config{Mode: packages.NeedName | packages.NeedTypes}, docs.GoPackage)
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) != 1 || len(pkgs[0].Errors) > 0 {
		t.Fatalf("loading %s: %v", docs.GoPackage, pkgs[0].Errors)
	}
	api, err := golang.API(callflowModel(t), docs.GoOptions)
	if err != nil {
		t.Fatal(err)
	}
	tbl := table(t)
	checked := 0
	for _, m := range api {
		km, ok := tbl.Module(m.Name)
		if !ok || len(km.Keys) == 0 {
			continue
		}
		rows := branchRow.FindAllStringSubmatch(string(section(checkedInPages(t)[m.Name+".md"], "Branches")), -1)
		if len(rows) != len(km.Keys) {
			t.Errorf("%s: %d rows name a method, want one per key (%d)", m.Name, len(rows), len(km.Keys))
			continue
		}
		builder := pkgs[0].Types.Scope().Lookup(m.Builder)
		for i, k := range km.Keys {
			method, params := rows[i][2], strings.Split(rows[i][3], ", ")
			want := "Branch"
			for _, b := range m.Branches {
				if (k.Family == nil && b.Key == k.Fixed) || (k.Family != nil && b.Family == k.Family.Name) {
					want = b.Name
				}
			}
			if method != want {
				t.Errorf("%s, key %s: the table names %s, the builder's method is %s", m.Name, k, method, want)
			}
			obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(builder.Type()), false, builder.Pkg(), method)
			fn, ok := obj.(*types.Func)
			if !ok {
				t.Errorf("%s: gen/callflow's %s has no method %s", m.Name, m.Builder, method)
				continue
			}
			if n := fn.Signature().Params().Len(); n != len(params) {
				t.Errorf("%s: the table shows %s with %d parameters, gen/callflow's has %d", m.Name, method, len(params), n)
			}
			checked++
		}
	}
	if checked < 30 {
		t.Errorf("only %d methods checked", checked)
	}
}
