package kazootest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"sync"
	"testing"

	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/generator/load/reference"
	"github.com/kzgen/kzgen/generator/model"
	"github.com/kzgen/kzgen/generator/validate"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

var (
	oracleOnce sync.Once
	oracleSet  *load.Set
	oracleErr  error
)

// Oracle returns Kazoo's schema set, loaded once per test binary and
// compiled by santhosh-tekuri/jsonschema, a draft-04 validator. KazooTree
// checks flows against it the way Kazoo does; ValidateTree and Draft04Tree
// give the draft-04 verdict, a second opinion only where the fact sheet
// says draft-04 and Kazoo agree.
func Oracle(tb testing.TB) *load.Set {
	tb.Helper()
	dir := SchemaDir(tb)
	oracleOnce.Do(func() {
		oracleSet, oracleErr = reference.Load(os.DirFS(dir), load.Options{Name: "kazoo-schemas"})
	})
	if oracleErr != nil {
		tb.Fatalf("loading Kazoo's schemas: %v", oracleErr)
	}
	return oracleSet
}

// validators caches the Kazoo-semantics validator of each schema set.
var validators sync.Map // *load.Set → validatorResult

type validatorResult struct {
	v   *validate.Validator
	err error
}

// Validator returns the schema-driven validator (Kazoo's semantics, its
// default client blacklist) over set, built once per set.
func Validator(set *load.Set) (*validate.Validator, error) {
	if r, ok := validators.Load(set); ok {
		return r.(validatorResult).v, r.(validatorResult).err
	}
	var r validatorResult
	m, err := model.Build(set)
	if err == nil {
		r.v, r.err = validate.FromSet(m)
	} else {
		r.err = err
	}
	validators.Store(set, r)
	return r.v, r.err
}

// KazooTree checks callflow JSON exactly as Kazoo does, with the
// schema-driven validator over set: a bare node as a Pivot answer, an
// object with "flow" as a stored callflow document. It returns one line
// per problem, "pointer: message [code]", empty when Kazoo accepts it.
func KazooTree(set *load.Set, data []byte) []string {
	v, err := Validator(set)
	if err != nil {
		return []string{"building the validator: " + err.Error()}
	}
	var out []string
	for _, p := range v.Validate(data, validate.Auto).Problems {
		out = append(out, p.Error())
	}
	return out
}

// ValidateTree is Draft04Tree with the mode taken from data's shape: a
// document for an object with "flow" and no "module", else a node. It is
// the draft-04 verdict, not Kazoo's: Kazoo accepts flows it refuses (a
// required property with a default left out, every audio_macro item) and
// refuses flows it accepts (a blacklisted voice_url); use KazooTree for
// Kazoo's verdict.
func ValidateTree(set *load.Set, data []byte) []string {
	mode := "pivot"
	var obj map[string]any
	if json.Unmarshal(data, &obj) == nil {
		if _, hasFlow := obj["flow"]; hasFlow && obj["module"] == nil {
			mode = "callflow"
		}
	}
	return Draft04Tree(set, data, mode)
}

// Draft04Tree checks callflow JSON with the draft-04 validator, applied
// the way Kazoo applies its schemas: a node against callflows.action and
// its data against callflows.<module>, at every depth; in mode "callflow"
// the document against callflows first, then its flow. It decodes with
// encoding/json (a duplicate key keeps its last copy) and knows none of
// Kazoo's own semantics; it returns one line per problem, empty when the
// draft-04 verdict is valid.
func Draft04Tree(set *load.Set, data []byte, mode string) []string {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return []string{"invalid JSON: " + err.Error()}
	}
	if mode == "callflow" {
		obj, _ := v.(map[string]any)
		problems := check(set, "callflows", "", v)
		if flow, ok := obj["flow"]; ok {
			problems = append(problems, walkNode(set, "/flow", flow)...)
		}
		return problems
	}
	return walkNode(set, "", v)
}

func walkNode(set *load.Set, ptr string, node any) []string {
	problems := check(set, "callflows.action", ptr, node)
	obj, ok := node.(map[string]any)
	if !ok {
		return problems
	}
	if module, ok := obj["module"].(string); ok {
		if set.Get("callflows."+module) == nil {
			problems = append(problems, fmt.Sprintf("%s/module: unable to find callflow schema for module %q", ptr, module))
		} else if data, ok := obj["data"]; ok {
			problems = append(problems, check(set, "callflows."+module, ptr+"/data", data)...)
		}
	}
	if children, ok := obj["children"].(map[string]any); ok {
		keys := make([]string, 0, len(children))
		for k := range children {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			problems = append(problems, walkNode(set, ptr+"/children/"+kzrt.EscapeToken(k), children[k])...)
		}
	}
	return problems
}

func check(set *load.Set, id, ptr string, v any) []string {
	s := set.Get(id)
	if s == nil {
		return []string{fmt.Sprintf("%s: no schema %s", ptr, id)}
	}
	if err := s.Compiled.Validate(v); err != nil {
		return []string{fmt.Sprintf("%s: %v", ptr, err)}
	}
	return nil
}
