package generator_test

import (
	"bytes"
	"os"
	"slices"
	"testing"

	"github.com/kzgen/kzgen/generator"
	"github.com/kzgen/kzgen/generator/golang"
	"github.com/kzgen/kzgen/schemas"
)

// fileNamed returns the content of the generated file name, or nil.
func fileNamed(res *generator.Result, name string) []byte {
	i := slices.IndexFunc(res.Files, func(f golang.File) bool { return f.Name == name })
	if i < 0 {
		return nil
	}
	return res.Files[i].Content
}

// TestNodesFromDefault: without Options.NodesFrom, a set with the node
// schema and a module is a callflow package, and a set with the node
// schema but no module takes its trees from gen/callflow, the package
// generated from the embedded schemas. NodesFrom given wins over both.
func TestNodesFromDefault(t *testing.T) {
	opts := golang.Options{Package: "p", TrimPrefix: golang.DefaultTrimPrefix, TypeSuffix: golang.DefaultTypeSuffix, Nodes: true}
	gen := func(t *testing.T, dir, nodesFrom string) *generator.Result {
		t.Helper()
		o := opts
		o.NodesFrom = nodesFrom
		res, err := generator.Generate(generator.Config{Schemas: os.DirFS(dir), Name: dir, Go: o})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	importsDefault := []byte(`"` + golang.DefaultNodesFrom + `"`)

	docs := gen(t, goldenCaseNamed(t, "documents").dir("schemas"), "")
	registry := fileNamed(docs, golang.NodesFile)
	if !bytes.Contains(registry, importsDefault) || !bytes.Contains(registry, []byte("var modules = callflow.Modules()")) {
		t.Errorf("a set without modules does not take its trees from %s:\n%s", golang.DefaultNodesFrom, registry)
	}
	if fileNamed(docs, golang.FileName("callflows.action")) != nil {
		t.Error("the node schema got a file of its own")
	}
	if room := fileNamed(docs, golang.FileName("rooms")); !bytes.Contains(room, []byte("Flow *kzrt.Node `json:\"flow,omitempty\"`")) {
		t.Errorf("rooms.flow is not a *kzrt.Node:\n%s", room)
	}

	flows := gen(t, goldenCaseNamed(t, "callflow").dir("schemas"), "")
	if fileNamed(flows, golang.FileName("callflows.action")) == nil || !bytes.Contains(fileNamed(flows, golang.NodesFile), []byte("kzrt.NewModules(")) {
		t.Error("a set with modules is not a callflow package")
	}

	other := gen(t, goldenCaseNamed(t, "callflow").dir("schemas"), "example.com/other/callflow")
	if registry := fileNamed(other, golang.NodesFile); !bytes.Contains(registry, []byte(`callflow "example.com/other/callflow"`)) {
		t.Errorf("NodesFrom given is not used:\n%s", registry)
	}
	if say := fileNamed(other, golang.FileName("callflows.say")); bytes.Contains(say, []byte("SayBuilder")) {
		t.Error("a module of a package whose trees come from elsewhere got a builder")
	}
	// kzgen does not know the schemas of a NodesFrom package it was not
	// given them for: it declares every type, and says so.
	if !bytes.Contains(fileNamed(other, golang.NodesFile), []byte("declared anew here")) ||
		!bytes.Contains(fileNamed(other, golang.FileName("callflows")), []byte("type Callflows struct")) {
		t.Errorf("a NodesFrom package of unknown schemas does not declare its types, or does not say so:\n%s", fileNamed(other, golang.NodesFile))
	}
}

// TestEmbeddedDocumentSet: the embedded Crossbar documents, with kzgen
// gen's defaults, take their trees from gen/callflow; the callflow
// document's flow is a *kzrt.Node.
func TestEmbeddedDocumentSet(t *testing.T) {
	res, err := generator.Generate(generator.Config{Schemas: schemas.FS, Name: "embedded", Match: schemas.DocumentMatch,
		Go: golang.Options{Package: "kazoodoc", TrimPrefix: golang.DefaultTrimPrefix, TypeSuffix: golang.DefaultTypeSuffix, Nodes: true}})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(fileNamed(res, golang.NodesFile), []byte(`"`+golang.DefaultNodesFrom+`"`)) {
		t.Errorf("the documents do not take their trees from %s", golang.DefaultNodesFrom)
	}
	if !bytes.Contains(fileNamed(res, golang.FileName("callflows")), []byte("Flow *kzrt.Node `json:\"flow,omitempty\"`")) {
		t.Error("Callflows.Flow is not a *kzrt.Node")
	}
	// The types gen/callflow declares the same are its own, by default.
	for file, alias := range map[string]string{
		"conferences":         "type Conferences = callflow.Conferences\n",
		"conferences.profile": "type ConferencesProfile = callflow.ConferencesProfile\n",
		"metaflows":           "type MetaflowsListenOn = callflow.MetaflowsListenOn\n",
		"callflows":           "type CallflowsRingback = callflow.CallflowsRingback\n",
	} {
		if !bytes.Contains(fileNamed(res, golang.FileName(file)), []byte(alias)) {
			t.Errorf("%s has no %q", golang.FileName(file), alias)
		}
	}
}
