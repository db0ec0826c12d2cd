package crossbartest

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/generator/model"
	"github.com/kzgen/kzgen/generator/validate"
	"github.com/kzgen/kzgen/runtime/crossbar"
	"github.com/kzgen/kzgen/runtime/kzrt"
	"github.com/kzgen/kzgen/schemas"
)

// embedded is kzgen's embedded schema set, read once: the files the fake
// serves from /v2/schemas, and their model, which every server's validator
// is built from.
var embedded = sync.OnceValues(func() (*embeddedSchemas, error) {
	files, err := load.Read(schemas.FS, load.Options{Name: "schemas"})
	if err != nil {
		return nil, err
	}
	m, err := model.Build(files)
	if err != nil {
		return nil, err
	}
	return &embeddedSchemas{files: files, model: m}, nil
})

type embeddedSchemas struct {
	files *load.Set
	model *model.Set
}

// newValidator builds the validator of a server: Kazoo's, over the
// embedded schemas, with the server's client URL blacklist and stability
// level.
func newValidator(blacklist *kzrt.Blacklist, stability string) (*validate.Validator, error) {
	set, err := embedded()
	if err != nil {
		return nil, err
	}
	var opts []validate.Option
	if blacklist != nil {
		opts = append(opts, validate.WithBlacklist(blacklist))
	}
	if stability != "" {
		opts = append(opts, validate.WithStabilityLevel(stability))
	}
	return validate.FromSet(set.model, opts...)
}

// validateDocument checks doc, a document of the schema id, as Crossbar
// does, with kzgen's Kazoo validator (generator/validate): a callflow as
// Crossbar stores it (the callflows schema, every node's data against its
// module's schema, the client URL check, the system's stability level and
// Crossbar's type conversions before a second pass; cb_callflows's own
// number check is the caller's), any other document against its schema.
// Documents of a schema the embedded set does not have are not checked.
//
// The document is stored as sent: Crossbar stores the values it converted
// (20 for "20"), the fake keeps the text.
//
// Problems have Kazoo's codes; the message is the validator's, except for
// the two whose text Kazoo's is known: "invalid client URL" and
// "Field is required but missing".
func (s *Server) validateDocument(id string, doc map[string]any) (problems, error) {
	p := problems{}
	set, err := embedded()
	if err != nil {
		return nil, fmt.Errorf("crossbartest: loading the embedded schemas: %w", err)
	}
	if set.model.Schema(id) == nil {
		return p, nil
	}
	v, err := s.validator()
	if err != nil {
		return nil, fmt.Errorf("crossbartest: the validator: %w", err)
	}
	data, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("crossbartest: %w", err)
	}
	var res *validate.Result
	if id == string(crossbar.Callflows) {
		res = v.Validate(data, validate.Callflow)
	} else if res, err = v.ValidateSchema(id, data); err != nil {
		return nil, err
	}
	for _, e := range res.Problems {
		if id == string(crossbar.Callflows) && isNumbersCheck(e) {
			continue // cb_callflows's check, not the schema's (checkCallflowLists)
		}
		details := map[string]any{}
		if v, ok := lookupPointer(doc, e.Pointer); ok {
			details["value"] = v
		}
		p.add(e.Pointer, e.Code, kazooMessage(e.Code, e.Message), details)
	}
	return p, nil
}

// isNumbersCheck reports whether e is the validator's "at least one
// number or pattern", which Crossbar's callflow module applies before the
// schema (the fake's checkCallflowLists) and its schema validation
// endpoint not at all. The callflows schema requires neither list, so no
// other problem is a missing /numbers.
func isNumbersCheck(e kzrt.Error) bool {
	return e.Pointer == "/numbers" && e.Code == model.CodeRequired
}

// kazooMessage is the message Crossbar gives for a problem: Kazoo's own
// text where it is known, else the validator's.
func kazooMessage(code, message string) string {
	switch {
	case code == model.CodeError && strings.HasPrefix(message, "invalid client URL"):
		return "invalid client URL" // §1.5
	case code == model.CodeRequired:
		return "Field is required but missing"
	}
	return message
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
