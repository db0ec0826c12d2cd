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
)

var (
	oracleOnce sync.Once
	oracleSet  *load.Set
	oracleErr  error
)

// Oracle returns Kazoo's schema set compiled by santhosh-tekuri/jsonschema,
// the reference validator, loading it once per test binary.
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

// ValidateTree checks callflow JSON the way Kazoo does, with the reference
// validator: a node against callflows.action and its data against
// callflows.<module>, at every depth; a document (an object with "flow")
// against callflows first. It returns one line per problem, empty when
// the JSON is valid.
func ValidateTree(set *load.Set, data []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return []string{"invalid JSON: " + err.Error()}
	}
	var problems []string
	obj, _ := v.(map[string]any)
	if _, hasFlow := obj["flow"]; hasFlow && obj["module"] == nil {
		problems = append(problems, check(set, "callflows", "", v)...)
		problems = append(problems, walkNode(set, "/flow", obj["flow"])...)
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
			problems = append(problems, walkNode(set, ptr+"/children/"+load.EscapePointer(k), children[k])...)
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
