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
	modulePath = "github.com/kzgen/kzgen"
	selfPkg    = modulePath + "/cmd/kzgen"
	pivotPkg   = modulePath + "/runtime/pivot"
	wirePkg    = modulePath + "/runtime/wire"
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

// TestKzgenDoesNotImportPivot checks that kzgen reaches the Pivot wire
// format through runtime/wire and the fake Kazoo (runtime/pivot/pivottest,
// which imports no generated code) only: runtime/pivot imports gen/callflow
// (the Router builds nodes with the generated builders), and kzgen is the
// program go generate runs, which must not depend on what it writes.
func TestKzgenDoesNotImportPivot(t *testing.T) {
	graph := importGraph(t, selfPkg)
	for _, pkg := range []string{pivotPkg} {
		if chain := importPath(graph, selfPkg, pkg); chain != nil {
			t.Errorf("kzgen depends on %s: %s", pkg, strings.Join(chain, " → "))
		}
	}
}

// TestWireIsBelowGeneratedCode checks that runtime/wire imports nothing of
// this module, so that anything may import it, kzgen included.
func TestWireIsBelowGeneratedCode(t *testing.T) {
	graph := importGraph(t, wirePkg)
	for pkg := range graph {
		if pkg != wirePkg && strings.HasPrefix(pkg, modulePath+"/") {
			t.Errorf("runtime/wire depends on %s: %s", pkg, strings.Join(importPath(graph, wirePkg, pkg), " → "))
		}
	}
}
