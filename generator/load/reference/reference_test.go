package reference

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/kzgen/kzgen/generator/load"
)

// keywordCases are schema objects with one keyword value each, good or
// bad, covering every rule of draft 04's meta-schema.
var keywordCases = []string{
	`{}`,
	`{"type":"string"}`, `{"type":"integr"}`, `{"type":5}`, `{"type":[]}`, `{"type":["string","integer"]}`,
	`{"type":["string","string"]}`, `{"type":["string",3]}`, `{"type":["strin"]}`, `{"type":null}`,
	`{"minimum":0}`, `{"minimum":"zero"}`, `{"maximum":true}`, `{"maximum":1.5e3}`,
	`{"multipleOf":2}`, `{"multipleOf":0.5}`, `{"multipleOf":0}`, `{"multipleOf":-1}`, `{"multipleOf":"x"}`,
	`{"minimum":1,"exclusiveMinimum":true}`, `{"exclusiveMinimum":true}`, `{"maximum":1,"exclusiveMaximum":"yes"}`, `{"exclusiveMaximum":false}`,
	`{"minLength":0}`, `{"minLength":-1}`, `{"minLength":1.5}`, `{"minLength":2.0}`, `{"minLength":"3"}`, `{"maxLength":1e2}`,
	`{"maxItems":-2}`, `{"minItems":3}`, `{"maxProperties":null}`, `{"minProperties":7}`,
	`{"pattern":"^a+$"}`, `{"pattern":"("}`, `{"pattern":5}`, `{"pattern":"(?!x)a"}`, `{"pattern":"a\\1"}`,
	`{"required":["a"]}`, `{"required":[]}`, `{"required":["a","a"]}`, `{"required":[1]}`, `{"required":"a"}`,
	`{"enum":["a",1,null]}`, `{"enum":[]}`, `{"enum":[1,1.0]}`, `{"enum":"x"}`, `{"enum":[{"a":1,"b":2},{"b":2,"a":1}]}`, `{"enum":[[1],[1,2]]}`,
	`{"properties":{"x":{}}}`, `{"properties":5}`, `{"properties":{"x":5}}`, `{"properties":{"x":[]}}`, `{"properties":{"a/b~c":{"type":"x"}}}`,
	`{"patternProperties":{"^x":{}}}`, `{"patternProperties":{"(":{}}}`, `{"patternProperties":{"(?!y)x":{}}}`, `{"patternProperties":[]}`,
	`{"items":{}}`, `{"items":[{}]}`, `{"items":[]}`, `{"items":5}`, `{"items":[5]}`, `{"items":true}`,
	`{"additionalProperties":false}`, `{"additionalProperties":{}}`, `{"additionalProperties":5}`, `{"additionalProperties":"x"}`,
	`{"additionalItems":true}`, `{"additionalItems":"x"}`, `{"additionalItems":{"type":"x"}}`,
	`{"dependencies":{"a":["b"]}}`, `{"dependencies":{"a":{}}}`, `{"dependencies":{"a":5}}`, `{"dependencies":{"a":[]}}`,
	`{"dependencies":{"a":["b","b"]}}`, `{"dependencies":{"a":{"type":"integr"}}}`, `{"dependencies":[]}`,
	`{"allOf":[{}]}`, `{"allOf":[]}`, `{"anyOf":{}}`, `{"oneOf":[5]}`, `{"oneOf":[{"minimum":"x"}]}`,
	`{"not":{}}`, `{"not":5}`, `{"not":[]}`, `{"not":{"required":[]}}`,
	`{"definitions":{"x":{}}}`, `{"definitions":5}`, `{"definitions":{"x":5}}`,
	`{"title":"t"}`, `{"title":5}`, `{"description":[]}`, `{"format":"email"}`, `{"format":1}`, `{"default":{"type":"nonsense"}}`,
	`{"uniqueItems":true}`, `{"uniqueItems":1}`,
	`{"id":"#x"}`, `{"id":5}`, `{"id":"a\\b"}`, `{"id":"http://[::1"}`, `{"id":"http://::1/x"}`,
	`{"$schema":5}`, `{"$schema":"relative"}`, `{"$schema":"http://json-schema.org/draft-04/schema#"}`, `{"$schema":"https://json-schema.org/draft-04/schema"}`,
	`{"kazoo-validation":{"type":"nonsense"}}`, `{"extends":{"type":"nonsense"}}`, `{"patern":5}`, `{"name":"x"}`,
}

// positions place a keyword case in a document: at the root, and in every
// kind of subschema, two levels deep.
var positions = []string{
	`%s`,
	`{"properties":{"p":%s}}`,
	`{"patternProperties":{"^p":{"items":%s}}}`,
	`{"additionalProperties":%s}`,
	`{"items":{"additionalItems":%s}}`,
	`{"items":[{},%s]}`,
	`{"definitions":{"d":{"not":%s}}}`,
	`{"dependencies":{"a":{"allOf":[%s]}}}`,
	`{"anyOf":[{},{"oneOf":[%s]}]}`,
}

// TestCheckAgreesWithReference: load.Read refuses a keyword value exactly
// when the reference validator refuses to compile it, at every kind of
// schema position. Its pointer lies at or below the reference's, which
// stops at the alternative of the meta-schema it tried first ("expected
// boolean" for an additionalProperties schema with a bad keyword).
func TestCheckAgreesWithReference(t *testing.T) {
	for _, kw := range keywordCases {
		for _, pos := range positions {
			doc := fmt.Sprintf(pos, kw)
			ours := readErr(doc)
			theirs := referenceErr(doc)
			switch {
			case (ours == nil) != (theirs == nil):
				t.Errorf("%s:\n  load.Read: %v\n  reference: %v", doc, ours, theirs)
			case ours != nil && !strings.HasPrefix(pointer(ours)+"/", pointer(theirs)+"/"):
				t.Errorf("%s: load.Read points at %q, outside %q where the reference does\n  load.Read: %v\n  reference: %v",
					doc, pointer(ours), pointer(theirs), ours, theirs)
			}
		}
	}
}

// TestSchemaDraft: a root "$schema" must name draft 04, which is how kzgen
// reads every schema (the reference validator would switch drafts).
func TestSchemaDraft(t *testing.T) {
	for _, doc := range []string{
		`{"$schema":"http://json-schema.org/draft-07/schema#"}`,
		`{"$schema":"http://json-schema.org/draft-03/schema#"}`,
		`{"$schema":"https://example.com/my-meta"}`,
	} {
		err := readErr(doc)
		if err == nil || !strings.Contains(err.Error(), "s.json#/$schema: $schema") || !strings.Contains(err.Error(), "kzgen reads draft-04 schemas") {
			t.Errorf("%s: %v", doc, err)
		}
	}
}

func readErr(doc string) error {
	_, err := load.Read(fstest.MapFS{"s.json": {Data: []byte(doc)}}, load.Options{Name: "schemas"})
	return err
}

// referenceErr compiles doc alone with the reference validator, its
// patterns relaxed as kzgen relaxes them.
func referenceErr(doc string) error {
	v, err := load.Decode([]byte(doc))
	if err != nil {
		return err
	}
	data := []byte(doc)
	if m, ok := v.(map[string]any); ok {
		relaxed, err := load.RelaxedDocument(m)
		if err != nil {
			return err
		}
		if data, err = json.Marshal(relaxed); err != nil {
			return err
		}
	}
	_, err = compile("schemas", map[string][]byte{"s": data})
	return err
}

func pointer(err error) string {
	var le *load.Error
	if errors.As(err, &le) {
		p, _ := url.PathUnescape(le.Pointer) // the reference escapes "^" and others
		return p
	}
	return "(no pointer: " + err.Error() + ")"
}
