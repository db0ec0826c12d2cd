package model_test

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/generator/model"
	"github.com/kzgen/kzgen/generator/validate"
	"github.com/kzgen/kzgen/internal/kazootest"
)

// checkSamples samples the root of every schema of m and checks each
// sample with Kazoo's validator (generator/validate): against its own
// schema, and, for a callflow module, as the data of a Pivot answer's
// node. It returns the modules and the other schemas that could not be
// sampled, with why.
func checkSamples(t *testing.T, m *model.Set, v *validate.Validator) (modules, others []string) {
	t.Helper()
	for _, s := range m.Schemas {
		sample, err := model.Sample(s.Root)
		name, isModule := strings.CutPrefix(s.ID, model.CallflowFamily)
		if isModule {
			_, isModule = m.Module(model.CallflowFamily, name)
		}
		if err != nil {
			if isModule {
				modules = append(modules, err.Error())
			} else {
				others = append(others, err.Error())
			}
			continue
		}
		res, err := v.ValidateSchema(s.ID, sample)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Valid() {
			t.Errorf("%s: sample %s is invalid: %v", s.ID, sample, res.Err())
		}
		if !isModule {
			continue
		}
		node := fmt.Appendf(nil, `{"module":%q,"data":%s}`, name, sample)
		if res := v.Validate(node, validate.Pivot); !res.Valid() {
			t.Errorf("%s: node %s is not a valid Pivot answer: %v", name, node, res.Err())
		}
	}
	return modules, others
}

func TestSamplesOfEmbeddedSchemasAreValidForKazoo(t *testing.T) {
	m := embedded(t)
	v, err := validate.FromSet(m)
	if err != nil {
		t.Fatal(err)
	}
	modules, others := checkSamples(t, m, v)
	for _, e := range modules {
		t.Errorf("a callflow module cannot be sampled: %s", e)
	}
	// The node and the stored callflow hold callflow nodes, whose module
	// the sampler does not choose; every other schema can be sampled.
	for _, e := range others {
		if !strings.Contains(e, "callflow node") {
			t.Errorf("cannot sample: %s", e)
		}
	}
}

// TestSamplesOfKazoosSchemasAreValidForKazoo runs the sampler on all of
// Kazoo's schemas: every sample it makes passes, and it can sample every
// callflow module.
func TestSamplesOfKazoosSchemasAreValidForKazoo(t *testing.T) {
	dir := kazootest.SchemaDir(t)
	set, err := load.Read(os.DirFS(dir), load.Options{Name: "kazoo"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Build(set)
	if err != nil {
		t.Fatal(err)
	}
	v, err := validate.FromSet(m)
	if err != nil {
		t.Fatal(err)
	}
	modules, others := checkSamples(t, m, v)
	for _, e := range modules {
		t.Errorf("a callflow module cannot be sampled: %s", e)
	}
	// What cannot be sampled is what no value satisfies for Kazoo (a oneOf
	// of "ipv4" and "ipv6" strings, formats Kazoo does not check; an
	// object $ref with "type": "string" beside it) or a callflow node.
	for _, e := range others {
		if !strings.Contains(e, "callflow node") && !strings.Contains(e, "also matches alternative") &&
			!strings.Contains(e, "another JSON type than its target") {
			t.Errorf("cannot sample: %s", e)
		}
	}
	t.Logf("%d of %d schemas sampled", len(m.Schemas)-len(others), len(m.Schemas))
}

func TestSampleAudioMacroGivesAnItem(t *testing.T) {
	m := embedded(t)
	sample, err := model.Sample(m.Schema("callflows.audio_macro").Root)
	if err != nil {
		t.Fatal(err)
	}
	// macros defaults to [] but needs an item: Kazoo would fill in [] and
	// refuse it, so the sample gives one, of the first kind.
	if !bytes.Contains(sample, []byte(`"macros":[{`)) || !bytes.Contains(sample, []byte(`"macro":"play"`)) {
		t.Errorf("sample %s lacks a play item in macros", sample)
	}
}

func TestSampleIsDeterministicAndSeededByPlace(t *testing.T) {
	m := embedded(t)
	user := m.Schema("callflows.user").Root
	a, errA := model.Sample(user)
	b, errB := model.Sample(user)
	if errA != nil || errB != nil || !bytes.Equal(a, b) {
		t.Fatalf("two samples differ: %s, %s (%v, %v)", a, b, errA, errB)
	}
	var ids []string
	for _, id := range []string{"callflows.user", "callflows.device"} {
		for _, f := range m.Schema(id).Root.Fields {
			if f.Name == "id" {
				s, err := model.Sample(f.Type)
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, string(s))
			}
		}
	}
	if len(ids) != 2 || ids[0] == ids[1] || len(ids[0]) != 34 {
		t.Errorf("ids %v: want two different 32-digit ids", ids)
	}
}

func TestSampleRefusesACallflowNode(t *testing.T) {
	m := embedded(t)
	if _, err := model.Sample(m.Schema("callflows.action").Root); err == nil || !strings.Contains(err.Error(), "callflow node") {
		t.Errorf("err = %v, want a callflow-node error", err)
	}
}
