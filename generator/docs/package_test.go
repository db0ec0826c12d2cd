package docs_test

import (
	"bytes"
	"fmt"
	"go/types"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/generator/docs"
	"github.com/kzgen/kzgen/generator/golang"
)

// The pages are rendered from the model alone; these tests hold them to
// the package they document, gen/callflow, as generated and checked in.

// knownGeneratedFailures are modules whose example Kazoo accepts but
// gen/callflow's Validate refuses, with the reason. A module listed here
// whose example starts to pass fails the test: remove it then.
var knownGeneratedFailures = map[string]string{}

// TestExamplesAreTheGeneratedPackages checks each page's example against
// gen/callflow: its JSON parses with callflow.Parse, validates (but for
// the known failures), and is the JSON callflow.Example builds.
func TestExamplesAreTheGeneratedPackages(t *testing.T) {
	for _, name := range moduleNames(t) {
		page := checkedInPages(t)[name+".md"]
		block := jsonBlock.FindSubmatch(section(page, "Example"))
		if block == nil {
			t.Errorf("%s: the page has no example", name)
			continue
		}
		tree, err := callflow.Parse(block[1])
		if err != nil {
			t.Errorf("%s: callflow.Parse: %v", name, err)
			continue
		}
		err = tree.Validate()
		if reason, known := knownGeneratedFailures[name]; known {
			if err == nil {
				t.Errorf("%s: the example now passes callflow's Validate; remove it from knownGeneratedFailures", name)
			} else {
				t.Logf("%s: known failure (%s): %v", name, reason, err)
			}
		} else if err != nil {
			t.Errorf("%s: the page's example fails callflow's Validate: %v", name, err)
		}
		node, ok := callflow.Example(name)
		if !ok {
			t.Errorf("%s: callflow.Example has no node", name)
			continue
		}
		built, err := node.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		pageValue, err := decode(block[1])
		if err != nil {
			t.Fatal(err)
		}
		builtValue, err := decode(built)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(pageValue, builtValue) {
			t.Errorf("%s: the page shows\n%s\nbut callflow.Example builds\n%s", name, block[1], built)
		}
	}
	if _, ok := callflow.Example("no_such_module"); ok {
		t.Error("Example accepted an unknown module")
	}
}

var goBlock = regexp.MustCompile("(?s)```go\n(.*?)```")

// TestSignaturesAreTheGeneratedPackages reads the "Go builder" section of
// every page and checks each signature it shows against gen/callflow's
// API as the type checker sees it, and that every setter is shown.
func TestSignaturesAreTheGeneratedPackages(t *testing.T) {
	pkgs, err := packages.Load(&packages.Config{Mode: packages.NeedName | packages.NeedTypes}, docs.GoPackage)
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) != 1 || len(pkgs[0].Errors) > 0 {
		t.Fatalf("loading %s: %v", docs.GoPackage, pkgs[0].Errors)
	}
	pkg := pkgs[0].Types
	api, err := golang.API(callflowModel(t), docs.GoOptions)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, m := range api {
		block := goBlock.FindSubmatch(section(checkedInPages(t)[m.Name+".md"], "Go builder"))
		if block == nil {
			t.Errorf("%s: no Go block in the Go builder section", m.Name)
			continue
		}
		want := signatures(t, pkg, m.Constructor, m.Builder)
		var shown []string
		for line := range strings.SplitSeq(string(block[1]), "\n") {
			line, _, _ = strings.Cut(line, " //")
			if line == "" {
				continue
			}
			checked++
			shown = append(shown, line)
			if !want[line] {
				t.Errorf("%s: the page shows %q, which gen/callflow does not declare", m.Name, line)
			}
		}
		if len(shown) != len(want) {
			t.Errorf("%s: the page shows %d signatures, gen/callflow declares %d", m.Name, len(shown), len(want))
		}
	}
	if checked < 300 {
		t.Errorf("only %d signatures checked", checked)
	}
}

// signatures renders the constructor and the builder's chaining methods
// (those returning the builder) the way the pages write them.
func signatures(t *testing.T, pkg *types.Package, ctor, builder string) map[string]bool {
	t.Helper()
	qualifier := func(p *types.Package) string {
		if p == pkg {
			return ""
		}
		return p.Name()
	}
	signature := func(sig *types.Signature) string {
		var b bytes.Buffer
		types.WriteSignature(&b, sig, qualifier)
		return b.String()
	}
	out := map[string]bool{}
	fn, ok := pkg.Scope().Lookup(ctor).(*types.Func)
	if !ok {
		t.Errorf("gen/callflow declares no function %s", ctor)
		return out
	}
	out["func "+ctor+signature(fn.Signature())] = true
	named, ok := pkg.Scope().Lookup(builder).Type().(*types.Named)
	if !ok {
		t.Errorf("gen/callflow declares no type %s", builder)
		return out
	}
	ptr := types.NewPointer(named)
	for i := range named.NumMethods() {
		meth := named.Method(i)
		sig := meth.Signature()
		if !meth.Exported() || sig.Results().Len() != 1 || !types.Identical(sig.Results().At(0).Type(), ptr) {
			continue // Node, MarshalJSON, Validate: not chaining
		}
		out[fmt.Sprintf("func (b *%s) %s%s", builder, meth.Name(), signature(sig))] = true
	}
	return out
}
