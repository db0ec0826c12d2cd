package main

import (
	"maps"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// generatedPrefix is where the packages go generate writes live.
const generatedPrefix = "github.com/kzgen/kzgen/gen/"

// TestGenerateProgramImportsNoGeneratedPackage: kzgen is the program
// go generate runs, so it must not import a package it writes, or a broken
// generated package could not be regenerated. It lists kzgen's
// dependencies (go list -deps, tests left out) and fails for every one
// that imports a package under gen/.
func TestGenerateProgramImportsNoGeneratedPackage(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}",
		"github.com/kzgen/kzgen/cmd/kzgen").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	importers := map[string][]string{} // package → the generated packages it imports
	for line := range strings.Lines(string(out)) {
		fields := strings.Fields(line)
		if len(fields) == 0 || strings.HasPrefix(fields[0], generatedPrefix) {
			continue
		}
		for _, imp := range fields[1:] {
			if strings.HasPrefix(imp, generatedPrefix) {
				importers[fields[0]] = append(importers[fields[0]], imp)
			}
		}
	}
	for _, pkg := range slices.Sorted(maps.Keys(importers)) {
		t.Errorf("%s imports %s, and kzgen imports %s: the generate program must not depend on what it generates",
			pkg, strings.Join(importers[pkg], ", "), pkg)
	}
}
