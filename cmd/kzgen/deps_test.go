package main

import (
	"bufio"
	"bytes"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// The packages whose place in the layers the tests below check.
const (
	modulePath   = "github.com/kzgen/kzgen"
	selfPkg      = modulePath + "/cmd/kzgen"
	callflowPkg  = modulePath + "/gen/callflow"
	pivotPkg     = modulePath + "/runtime/pivot"
	wirePkg      = modulePath + "/runtime/wire"
	pivotTestPkg = modulePath + "/runtime/pivot/pivottest"
)

// importGraph returns, for root and every package it depends on (tests
// excluded, as the go command builds them), the packages each imports
// directly, from go list.
func importGraph(t *testing.T, root string) map[string][]string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH to list dependencies")
	}
	out, err := exec.Command(goTool, "list", "-deps", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, root).Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", root, err)
	}
	graph := map[string][]string{}
	for sc := bufio.NewScanner(bytes.NewReader(out)); sc.Scan(); {
		fields := strings.Fields(sc.Text())
		if len(fields) > 0 {
			graph[fields[0]] = fields[1:]
		}
	}
	return graph
}

// importPath returns a chain of imports from root to pkg, or nil when pkg
// is not reached.
func importPath(graph map[string][]string, root, pkg string) []string {
	from := map[string]string{root: ""}
	queue := []string{root}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if p == pkg {
			var chain []string
			for ; p != ""; p = from[p] {
				chain = append(chain, strings.TrimPrefix(p, modulePath+"/"))
			}
			slices.Reverse(chain)
			return chain
		}
		for _, next := range graph[p] {
			if _, seen := from[next]; !seen {
				from[next] = p
				queue = append(queue, next)
			}
		}
	}
	return nil
}

// importersOf returns the packages of graph that import pkg directly,
// sorted.
func importersOf(graph map[string][]string, pkg string) []string {
	var importers []string
	for p, imports := range graph {
		if slices.Contains(imports, pkg) {
			importers = append(importers, strings.TrimPrefix(p, modulePath+"/"))
		}
	}
	slices.Sort(importers)
	return importers
}

// TestGenerateDoesNotImportWhatItWrites checks that the program go generate
// runs does not depend on the package it writes: a broken gen/callflow must
// never stop kzgen from regenerating it.
func TestGenerateDoesNotImportWhatItWrites(t *testing.T) {
	graph := importGraph(t, selfPkg)
	// runtime/pivot imports gen/callflow (its Router builds nodes with the
	// generated builders); the wire format it used to carry is runtime/wire.
	for _, pkg := range []string{pivotPkg, pivotTestPkg} {
		if chain := importPath(graph, selfPkg, pkg); chain != nil {
			t.Errorf("kzgen depends on %s: %s", pkg, strings.Join(chain, " → "))
		}
	}
	if importers := importersOf(graph, callflowPkg); len(importers) > 0 {
		msg := "kzgen still depends on gen/callflow, which go generate writes; imported by " + strings.Join(importers, ", ")
		// Known until the change that takes the generated types out of
		// these packages: delete this skip then, so that the check fails.
		t.Skip(msg)
		t.Error(msg)
	}
}

// TestWireIsBelowGeneratedCode checks that runtime/wire imports nothing of
// this module, so anything may import it, gen/callflow's writer included.
func TestWireIsBelowGeneratedCode(t *testing.T) {
	graph := importGraph(t, wirePkg)
	for pkg := range graph {
		if pkg != wirePkg && strings.HasPrefix(pkg, modulePath+"/") {
			t.Errorf("runtime/wire depends on %s: %s", pkg, strings.Join(importPath(graph, wirePkg, pkg), " → "))
		}
	}
}
