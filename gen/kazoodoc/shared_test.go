package kazoodoc_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/gen/kazoodoc"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// The types kazoodoc shares with callflow are callflow's: a value of one
// is a value of the other, without conversion.
var (
	_ callflow.Conferences              = kazoodoc.Conferences{}
	_ kazoodoc.Conferences              = callflow.Conferences{}
	_ callflow.ConferencesMember        = kazoodoc.ConferencesMember{}
	_ callflow.ConferencesModerator     = kazoodoc.ConferencesModerator{}
	_ callflow.ConferencesPlayEntryTone = kazoodoc.ConferencesPlayEntryTone{}
	_ callflow.ConferencesPlayExitTone  = kazoodoc.ConferencesPlayExitTone{}
	_ callflow.ConferencesProfile       = kazoodoc.ConferencesProfile{}
	_ callflow.CustomSIPHeaders         = kazoodoc.CustomSIPHeaders{}
	_ callflow.Metaflow                 = kazoodoc.Metaflow{}
	_ callflow.Metaflows                = kazoodoc.Metaflows{}
	_ callflow.MetaflowsBindingDigit    = kazoodoc.MetaflowsBindingDigitStar
	_ callflow.MetaflowsListenOn        = kazoodoc.MetaflowsListenOnBoth
	_ callflow.CallflowsFeaturecode     = kazoodoc.CallflowsFeaturecode{}
	_ callflow.CallflowsRingback        = kazoodoc.CallflowsRingback{}
)

// TestEveryTypeOfBothPackagesIsCallflows: a type name both packages
// declare is, in kazoodoc, an alias of callflow's type, so no Kazoo
// object has two Go types under one name.
func TestEveryTypeOfBothPackagesIsCallflows(t *testing.T) {
	callflowTypes := declaredTypes(t, "../callflow")
	aliases := 0
	for name, spec := range declaredTypes(t, ".") {
		if _, both := callflowTypes[name]; !both {
			continue
		}
		sel, ok := spec.Type.(*ast.SelectorExpr)
		if !spec.Assign.IsValid() || !ok || sel.Sel.Name != name || sel.X.(*ast.Ident).Name != "callflow" {
			t.Errorf("kazoodoc.%s is declared anew, not as callflow.%s", name, name)
			continue
		}
		aliases++
	}
	if aliases < 13 {
		t.Errorf("%d types shared with callflow, want at least the 13 of conferences, conferences.profile, custom_sip_headers, metaflow, metaflows and callflows", aliases)
	}
	// The stored callflow is Document in callflow, a tree with Root; here
	// it is Callflows, a type of its own.
	if reflect.TypeFor[kazoodoc.Callflows]() == reflect.TypeFor[callflow.Document]() {
		t.Error("kazoodoc.Callflows is callflow.Document")
	}
}

// declaredTypes lists the exported types the generated files of dir
// declare.
func declaredTypes(t *testing.T, dir string) map[string]*ast.TypeSpec {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.kz.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no generated files in %s (%v)", dir, err)
	}
	out := map[string]*ast.TypeSpec{}
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
				for _, s := range gd.Specs {
					if ts := s.(*ast.TypeSpec); ts.Name.IsExported() {
						out[ts.Name.Name] = ts
					}
				}
			}
		}
	}
	return out
}

// TestSharedTypeInADocument: a device's metaflows, read by kazoodoc, are
// callflow's Metaflows, with its defaults and checks at their place in
// the device.
func TestSharedTypeInADocument(t *testing.T) {
	var device kazoodoc.Devices
	if err := json.Unmarshal([]byte(`{"name":"desk phone","metaflows":{"listen_on":"self","binding_digit":"x"}}`), &device); err != nil {
		t.Fatal(err)
	}
	var metaflows *callflow.Metaflows = device.Metaflows
	if metaflows.GetListenOn() != callflow.MetaflowsListenOnSelf {
		t.Errorf("listen_on = %q", metaflows.GetListenOn())
	}
	var found bool
	for _, e := range kzrt.AsErrors(device.Validate()) {
		found = found || e.Pointer == "/metaflows/binding_digit"
	}
	if !found {
		t.Errorf("the device's bad binding digit is not reported at /metaflows/binding_digit: %v", device.Validate())
	}
}
