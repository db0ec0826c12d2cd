package crossbar

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"

	"github.com/kzgen/kzgen/runtime/kzrt"
)

// ValidateDocument asks Crossbar to check doc against its schema named
// schema ("callflows", "users", …) without saving anything (PUT
// /v2/schemas/{schema}/validation, §1.10). Crossbar runs its schema checks,
// the URL check included, but neither the uniqueness of numbers nor their
// ownership. A refused document gives an *Error with its Problems.
func (c *Client) ValidateDocument(ctx context.Context, schema string, doc any) error {
	_, err := c.Do(ctx, http.MethodPut, "schemas/"+escapeSegment(schema)+"/validation", nil, doc)
	return err
}

// ErrNameNotUnique is returned by Deploy when several callflows of the
// account have the name it deploys under, so that none can be chosen.
var ErrNameNotUnique = errors.New("callflow name not unique")

// DeploySpec is a callflow as Deploy maintains it: the account's callflow
// named Name routes Numbers and Patterns to Flow.
type DeploySpec struct {
	// Name identifies the callflow: Deploy updates the account's callflow
	// with this name, or creates it.
	Name string
	// Numbers and Patterns are what the callflow answers for: at least one
	// of them is needed. Crossbar saves numbers in E.164 (NormalizeNumber).
	Numbers  []string
	Patterns []string
	// Flow is the tree Kazoo runs, the document's "flow": a builder's
	// node (callflow.Pivot(url).Node()), a tree from a generated
	// package's Parse, or the Flow of a kazoodoc.Callflows. Deploy encodes
	// it and leaves validation to Crossbar; check it first with
	// Flow.Validate(), or PlanDeploy.
	Flow *kzrt.Node
	// Fields are other top-level fields of the document ("ringback",
	// "flags", …), set as given. Name, Numbers, Patterns and Flow win over
	// the same keys here.
	Fields map[string]json.RawMessage
}

// DeployAction says what Deploy did, or with a dry run, would do.
type DeployAction string

// What Deploy does.
const (
	DeployCreated   DeployAction = "created"
	DeployUpdated   DeployAction = "updated"
	DeployUnchanged DeployAction = "unchanged"
)

// Deployment is the outcome of Deploy or PlanDeploy.
type Deployment struct {
	Action DeployAction
	// DryRun is set by PlanDeploy: nothing was saved.
	DryRun bool
	// ID is the callflow's ID; empty when a dry run would create it.
	ID   string
	Name string
	// Numbers and Patterns are as saved; for a dry run, the numbers as
	// Crossbar's default converters would save them.
	Numbers  []string
	Patterns []string
	// Changed lists the top-level fields an update changes, sorted.
	Changed []string
}

// callflowRow is the part of a callflow listing row Deploy reads. A
// listing row is Crossbar's summary of a document (the crossbar_listing
// view, §1.7), not the document, so it has no generated type; and this
// package stays free of generated code, which kzgen's own commands must
// not import.
type callflowRow struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Numbers  []string `json:"numbers"`
	Patterns []string `json:"patterns"`
}

// Deploy makes the account's callflow named spec.Name match spec: it
// creates the callflow when none has that name, updates it when it
// differs (keeping its other fields), and changes nothing when it already
// matches, so running it twice is harmless. Numbers are compared as
// Crossbar saves them (NormalizeNumber), numbers and patterns as sets.
// Crossbar's refusal comes back as an *Error; errors.As finds a
// *NumberTakenError or *NumbersNotOwnedError in it.
func (c *Client) Deploy(ctx context.Context, spec DeploySpec) (*Deployment, error) {
	return c.deploy(ctx, spec, false)
}

// PlanDeploy says what Deploy would do, saving nothing: it reads the
// account's callflows, has Crossbar validate the document
// (ValidateDocument), and reports each number or pattern another callflow
// of the account already has as a *NumberTakenError (Crossbar's
// validation skips that check). Numbers owned by another account are only
// found by Deploy.
func (c *Client) PlanDeploy(ctx context.Context, spec DeploySpec) (*Deployment, error) {
	return c.deploy(ctx, spec, true)
}

func (c *Client) deploy(ctx context.Context, spec DeploySpec, dryRun bool) (*Deployment, error) {
	if err := spec.check(); err != nil {
		return nil, err
	}
	flow, err := spec.encodeFlow()
	if err != nil {
		return nil, err
	}
	c.log.Info("looking for the callflow", "name", spec.Name)
	rows, err := ListAll[callflowRow](ctx, c, Callflows, nil)
	if err != nil {
		return nil, err
	}
	var named []string
	for _, r := range rows {
		if r.Name == spec.Name {
			named = append(named, r.ID)
		}
	}
	d := &Deployment{DryRun: dryRun, Name: spec.Name}
	var current map[string]json.RawMessage
	switch len(named) {
	case 0:
		d.Action = DeployCreated
	case 1:
		d.ID = named[0]
		if current, err = Get[map[string]json.RawMessage](ctx, c, Callflows, d.ID); err != nil {
			return nil, err
		}
		dropReadOnly(current)
	default:
		return nil, fmt.Errorf("crossbar: %w: %d callflows are named %q (%s); delete or rename all but one", ErrNameNotUnique, len(named), spec.Name, strings.Join(named, ", "))
	}
	doc, err := spec.document(current, flow)
	if err != nil {
		return nil, err
	}
	if current != nil {
		d.Changed = changedFields(current, doc)
		if len(d.Changed) == 0 {
			d.Action = DeployUnchanged
			return d.withSaved(current), nil
		}
		d.Action = DeployUpdated
	}
	if dryRun {
		err := errors.Join(c.ValidateDocument(ctx, string(Callflows), doc), takenBy(spec, rows, d.ID))
		return d.withSaved(doc).normalized(), err
	}
	var saved map[string]json.RawMessage
	if d.Action == DeployCreated {
		c.log.Info("creating the callflow", "name", spec.Name)
		saved, err = Create(ctx, c, Callflows, doc)
	} else {
		c.log.Info("updating the callflow", "id", d.ID, "changed", strings.Join(d.Changed, ","))
		saved, err = Update(ctx, c, Callflows, d.ID, doc)
	}
	if err != nil {
		return nil, err
	}
	if id := jsonString(saved["id"]); id != "" {
		d.ID = id
	}
	return d.withSaved(saved), nil
}

// check reports what Crossbar would refuse before any schema: no name, no
// number nor pattern (§1.7 step 1), no flow.
func (s DeploySpec) check() error {
	var problems []string
	if s.Name == "" {
		problems = append(problems, "no name")
	}
	if len(s.Numbers) == 0 && len(s.Patterns) == 0 {
		problems = append(problems, "no number nor pattern: Crossbar needs at least one")
	}
	if slices.Contains(s.Numbers, "") || slices.Contains(s.Patterns, "") {
		problems = append(problems, "an empty number or pattern")
	}
	if s.Flow == nil {
		problems = append(problems, "no flow")
	}
	if len(problems) > 0 {
		return fmt.Errorf("crossbar: deploy %q: %s", s.Name, strings.Join(problems, "; "))
	}
	return nil
}

// Document returns the callflow document Deploy sends when it creates the
// callflow: Fields, with name, numbers, patterns and the encoded Flow.
// (An update keeps the stored callflow's other fields.) Tools check it
// before deploying; kzgen deploy validates it as Crossbar will. A flow
// that cannot be encoded (a loop, a tree deeper than kzrt.MaxDepth) is an
// error naming its JSON pointer.
func (s DeploySpec) Document() (json.RawMessage, error) {
	flow, err := s.encodeFlow()
	if err != nil {
		return nil, err
	}
	doc, err := s.document(nil, flow)
	if err != nil {
		return nil, err
	}
	return json.Marshal(doc)
}

// encodeFlow encodes Flow; nil is JSON null, which check refuses.
func (s DeploySpec) encodeFlow() (json.RawMessage, error) {
	flow, err := s.Flow.MarshalJSON()
	if err != nil {
		return nil, fmt.Errorf("crossbar: deploy %q: the flow: %w", s.Name, err)
	}
	return flow, nil
}

// document returns the callflow document to save: the current one (nil
// for a new callflow) with the spec's fields set, flow its encoded Flow.
func (s DeploySpec) document(current map[string]json.RawMessage, flow json.RawMessage) (map[string]json.RawMessage, error) {
	doc := maps.Clone(current)
	if doc == nil {
		doc = map[string]json.RawMessage{}
	}
	maps.Copy(doc, s.Fields)
	dropReadOnly(doc)
	set := func(key string, v any) error {
		raw, err := json.Marshal(v)
		doc[key] = raw
		return err
	}
	err := errors.Join(
		set("name", s.Name),
		set("numbers", nonNil(s.Numbers)),
		set("patterns", nonNil(s.Patterns)),
	)
	if err != nil {
		return nil, fmt.Errorf("crossbar: deploy %q: %w", s.Name, err)
	}
	doc["flow"] = flow
	return doc, nil
}

// dropReadOnly removes what Crossbar adds to a document it returns: its
// "id" (the URL names it) and, for a callflow, "metadata" about the IDs
// it references.
func dropReadOnly(doc map[string]json.RawMessage) {
	delete(doc, "id")
	delete(doc, "metadata")
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// changedFields lists the top-level fields whose values differ between the
// stored document and the one to save.
func changedFields(current, next map[string]json.RawMessage) []string {
	var changed []string
	for _, key := range slices.Sorted(maps.Keys(next)) {
		if !sameField(key, current[key], next[key]) {
			changed = append(changed, key)
		}
	}
	return changed
}

// sameField compares a field as Crossbar means it: numbers as normalised
// sets, patterns as sets, an absent list as an empty one, anything else as
// equal JSON.
func sameField(key string, a, b json.RawMessage) bool {
	switch key {
	case "numbers", "patterns":
		as, aok := stringSet(a, key == "numbers")
		bs, bok := stringSet(b, key == "numbers")
		if aok && bok {
			return slices.Equal(as, bs)
		}
	}
	return equalJSON(a, b)
}

// stringSet decodes a list of strings (absent is empty), sorted and
// deduplicated, normalised as numbers when asked.
func stringSet(raw json.RawMessage, numbers bool) ([]string, bool) {
	var list []string
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, false
		}
	}
	if numbers {
		for i, n := range list {
			list[i] = NormalizeNumber(n)
		}
	}
	slices.Sort(list)
	return slices.Compact(list), true
}

// equalJSON reports whether two JSON texts hold the same value (absent
// equals null).
func equalJSON(a, b json.RawMessage) bool {
	decode := func(raw json.RawMessage) (any, bool) {
		if len(raw) == 0 {
			return nil, true
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var v any
		return v, dec.Decode(&v) == nil
	}
	av, aok := decode(a)
	bv, bok := decode(b)
	return aok && bok && reflect.DeepEqual(av, bv)
}

// takenBy returns a *NumberTakenError for each number or pattern of spec
// that another callflow of the listing (other than self) already has.
func takenBy(spec DeploySpec, rows []callflowRow, self string) error {
	var errs []error
	for _, r := range rows {
		if r.ID == self {
			continue
		}
		for _, n := range spec.Numbers {
			for _, have := range r.Numbers {
				if NormalizeNumber(n) == NormalizeNumber(have) {
					errs = append(errs, &NumberTakenError{Pointer: "/numbers", Number: NormalizeNumber(n), CallflowID: r.ID, CallflowName: r.Name, Message: "found in the account's callflows"})
				}
			}
		}
		for _, p := range spec.Patterns {
			if slices.Contains(r.Patterns, p) {
				errs = append(errs, &NumberTakenError{Pointer: "/patterns", Number: p, CallflowID: r.ID, CallflowName: r.Name, Message: "found in the account's callflows"})
			}
		}
	}
	return errors.Join(errs...)
}

// withSaved fills Numbers and Patterns from a saved document.
func (d *Deployment) withSaved(doc map[string]json.RawMessage) *Deployment {
	json.Unmarshal(doc["numbers"], &d.Numbers)
	json.Unmarshal(doc["patterns"], &d.Patterns)
	return d
}

// normalized rewrites Numbers as Crossbar's default converters would save
// them.
func (d *Deployment) normalized() *Deployment {
	for i, n := range d.Numbers {
		d.Numbers[i] = NormalizeNumber(n)
	}
	return d
}

// jsonString decodes a JSON string, or returns "".
func jsonString(raw json.RawMessage) string {
	var s string
	json.Unmarshal(raw, &s)
	return s
}
