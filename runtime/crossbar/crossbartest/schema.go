package crossbartest

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/generator/load/reference"
	"github.com/kzgen/kzgen/runtime/crossbar"
	"github.com/kzgen/kzgen/schemas"
)

// schemaSet is kzgen's embedded schema set (callflows and, as they are
// added, the other collections' schemas), compiled once by the reference
// validator that generator/load uses.
// TODO(validate): use generator/validate, kzgen's Kazoo validator, in validateDocument once it exists.
var schemaSet = sync.OnceValues(func() (*load.Set, error) {
	return reference.Load(schemas.FS, load.Options{Name: "schemas"})
})

// hasSchema reports whether the embedded set has the schema id.
func hasSchema(id string) bool {
	set, err := schemaSet()
	return err == nil && set.Get(id) != nil
}

// validateDocument checks doc against the schema id as Crossbar does on
// save and in /schemas/{id}/validation (§1.5, §1.10): for a callflow, the
// document against "callflows", each node's data against
// "callflows.<module>" (the kazoo-validation of callflows.action.data), and
// the client-URL check; for other collections, the document against their
// schema when the embedded set has one. Codes are the JSON Schema keyword
// that failed, as Kazoo's validator reports them, with oneOf as
// not_one_schema_valid.
func validateDocument(id string, doc map[string]any, blacklist crossbar.URLBlacklist) (problems, error) {
	p := problems{}
	set, err := schemaSet()
	if err != nil {
		return nil, fmt.Errorf("crossbartest: loading the embedded schemas: %w", err)
	}
	s := set.Get(id)
	if s == nil {
		return p, nil
	}
	addSchemaErrors(p, "", doc, s.Compiled.Validate(doc))
	if id != string(crossbar.Callflows) {
		return p, nil
	}
	crossbar.WalkFlow(doc["flow"], "/flow", func(ptr string, node map[string]any) {
		module, ok := node["module"].(string)
		if !ok || module == "" {
			return // the action schema reports it
		}
		ms := set.Get("callflows." + module)
		if ms == nil {
			p.add(ptr+"/module", "invalid", fmt.Sprintf("unknown callflow module %q: there is no schema callflows.%s", module, module), map[string]any{"value": module})
			return
		}
		data, ok := node["data"].(map[string]any)
		if !ok {
			return // the action schema reports it
		}
		addSchemaErrors(p, ptr+"/data", data, ms.Compiled.Validate(data))
	})
	checkURLs(p, blacklist, doc)
	return p, nil
}

// quoted finds the property names in the validator's messages.
var quoted = regexp.MustCompile(`'([^']*)'`)

// addSchemaErrors records the leaves of a validation error under base.
func addSchemaErrors(p problems, base string, instance any, err error) {
	if err == nil {
		return
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		p.add(base, "invalid", err.Error(), nil)
		return
	}
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		keyword := e.KeywordLocation[strings.LastIndex(e.KeywordLocation, "/")+1:]
		at := base + e.InstanceLocation
		switch {
		case keyword == "oneOf" || keyword == "anyOf":
			p.add(at, "not_one_schema_valid", "Value is not valid against exactly one of the allowed schemas", nil)
		case len(e.Causes) > 0:
			for _, c := range e.Causes {
				walk(c)
			}
		case keyword == "required":
			for _, m := range quoted.FindAllStringSubmatch(e.Message, -1) {
				p.add(at+"/"+escapeToken(m[1]), "required", "Field is required but missing", nil)
			}
		case keyword == "additionalProperties":
			for _, m := range quoted.FindAllStringSubmatch(e.Message, -1) {
				p.add(at+"/"+escapeToken(m[1]), "additionalProperties", "Strict checking of data is enabled; only include schema-defined properties", nil)
			}
		default:
			details := map[string]any{}
			if v, ok := lookupPointer(instance, e.InstanceLocation); ok {
				details["value"] = v
			}
			p.add(at, keyword, e.Message, details)
		}
	}
	walk(ve)
}

// lookupPointer returns the value at a JSON pointer.
func lookupPointer(v any, pointer string) (any, bool) {
	if pointer == "" {
		return v, true
	}
	for t := range strings.SplitSeq(strings.TrimPrefix(pointer, "/"), "/") {
		t = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[t]; !ok {
				return nil, false
			}
		case []any:
			var i int
			if _, err := fmt.Sscan(t, &i); err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

func escapeToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}
