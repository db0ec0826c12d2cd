package webhooktest

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/kzgen/kzgen/runtime/webhook"
	"github.com/kzgen/kzgen/runtime/wire"
)

// samples holds one payload per hook, written from the field lists of
// Kazoo's webhooks app with made-up data (IDs, numbers, names).
//
//go:embed samples/*.json
var samples embed.FS

// Sample values shared by every sample payload.
const (
	// SampleAccountID is the account_id of every sample, and the default
	// Hook.AccountID.
	SampleAccountID = "3c9f1e2a7b8d4c6e9f0a1b2c3d4e5f60"
	// SampleCallID is the call_id of the samples about a call.
	SampleCallID = "2f6c1b9e-8d4a-4e3b-a7c5-0d9e8f7a6b5c"
)

// Payload is the fields of one event as Kazoo builds them, before the hook's
// custom_data and cluster_id are merged in (Hook does that when it sends).
// Build one with Sample and change fields with Set, SetText and Delete.
type Payload struct {
	hook   string
	fields webhook.Params
}

// SampleHooks returns the hooks Sample has a payload for, sorted:
// callflow, channel_answer, channel_bridge, channel_create,
// channel_destroy, notifications (a voicemail_new), object (a callflow
// edited) and parking (PARK_PARKED).
func SampleHooks() []string {
	entries, err := samples.ReadDir("samples")
	if err != nil {
		panic("webhooktest: reading the embedded samples: " + err.Error())
	}
	hooks := make([]string, 0, len(entries))
	for _, e := range entries {
		hooks = append(hooks, strings.TrimSuffix(e.Name(), ".json"))
	}
	slices.Sort(hooks)
	return hooks
}

// Sample returns a new sample payload for hook (see SampleHooks), with the
// fields Kazoo sends for it, JSON types and all: numbers such as
// duration_seconds as numbers, timestamps as strings of Gregorian seconds,
// flags as booleans. A form or query delivery turns all of them into text,
// as Kazoo's does.
func Sample(hook string) (*Payload, error) {
	data, err := samples.ReadFile(path.Join("samples", hook+".json"))
	if err != nil {
		return nil, fmt.Errorf("webhooktest: no sample for hook %q (have %s)", hook, strings.Join(SampleHooks(), ", "))
	}
	fields, err := wire.DecodeJSON(data)
	if err != nil {
		return nil, fmt.Errorf("webhooktest: sample %s: %w", hook, err)
	}
	return &Payload{hook: hook, fields: fields}, nil
}

// MustSample is Sample for tests: it panics when hook has no sample.
func MustSample(hook string) *Payload {
	p, err := Sample(hook)
	if err != nil {
		panic(err)
	}
	return p
}

// NewPayload returns a payload holding a copy of fields, for events the
// samples do not cover; hook only names it.
func NewPayload(hook string, fields webhook.Params) *Payload {
	return &Payload{hook: hook, fields: cloneParams(fields)}
}

// Hook returns the hook the payload was made for.
func (p *Payload) Hook() string { return p.hook }

// Fields returns a copy of the payload's fields, in order.
func (p *Payload) Fields() webhook.Params { return cloneParams(p.fields) }

// Clone returns an independent copy of p.
func (p *Payload) Clone() *Payload { return NewPayload(p.hook, p.fields) }

// Set stores v at path: a field name ("hangup_cause") or a bracketed path
// into objects ("custom_application_vars[ivr_step]"), the syntax of form
// keys and of Params.Lookup. Missing objects on the way are created; a
// field on the way that is not an object is an error.
func (p *Payload) Set(path string, v webhook.Value) error {
	segs, err := splitPath(path)
	if err != nil {
		return err
	}
	fields, err := setPath(p.fields, segs, v)
	if err != nil {
		return fmt.Errorf("webhooktest: set %s: %w", path, err)
	}
	p.fields = fields
	return nil
}

// SetText stores text at path (see Set), keeping the JSON type of the field
// it replaces: a number field takes a number ("72", "1.5"), a boolean field
// "true" or "false"; any other field, or a new one, becomes a string.
// Replacing an object or a list is an error: set its members instead.
func (p *Payload) SetText(path, text string) error {
	old, _ := p.fields.Lookup(path)
	v := wire.String(text)
	switch old.Kind() {
	case wire.KindNumber:
		if _, err := strconv.ParseFloat(text, 64); err != nil || !json.Valid([]byte(text)) {
			return fmt.Errorf("webhooktest: set %s: %q is not a number, and the field is one", path, text)
		}
		v = wire.Number(text)
	case wire.KindBool:
		b, err := strconv.ParseBool(text)
		if err != nil {
			return fmt.Errorf("webhooktest: set %s: %q is not true or false, and the field is a boolean", path, text)
		}
		v = wire.Bool(b)
	case wire.KindObject, wire.KindList:
		return fmt.Errorf("webhooktest: set %s: the field holds a %s; set its members instead, e.g. %s[name]", path, old.Kind(), path)
	}
	return p.Set(path, v)
}

// Delete removes the field at path (see Set); a missing field is no error.
func (p *Payload) Delete(path string) error {
	segs, err := splitPath(path)
	if err != nil {
		return err
	}
	p.fields = deletePath(p.fields, segs)
	return nil
}

// splitPath splits "a[b][c]" into [a b c].
func splitPath(s string) ([]string, error) {
	bad := fmt.Errorf("webhooktest: field path %q: want name or name[key][key]…", s)
	name, rest, nested := strings.Cut(s, "[")
	if name == "" || strings.Contains(name, "]") {
		return nil, bad
	}
	segs := []string{name}
	if !nested {
		return segs, nil
	}
	rest = "[" + rest
	for rest != "" {
		end := strings.IndexByte(rest, ']')
		if rest[0] != '[' || end < 2 || strings.Contains(rest[1:end], "[") {
			return nil, bad
		}
		segs = append(segs, rest[1:end])
		rest = rest[end+1:]
	}
	return segs, nil
}

// setPath returns a copy of p with v stored at path.
func setPath(p webhook.Params, path []string, v webhook.Value) (webhook.Params, error) {
	out := slices.Clone(p)
	if len(path) == 1 {
		out.Set(path[0], v)
		return out, nil
	}
	var inner webhook.Params
	if cur, ok := member(p, path[0]); ok {
		switch cur.Kind() {
		case wire.KindObject:
			inner = cur.Members()
		case wire.KindNull:
		default:
			return nil, fmt.Errorf("%s is a %s, not an object", path[0], cur.Kind())
		}
	}
	inner, err := setPath(inner, path[1:], v)
	if err != nil {
		return nil, err
	}
	out.Set(path[0], wire.Object(inner))
	return out, nil
}

// deletePath returns a copy of p without the field at path.
func deletePath(p webhook.Params, path []string) webhook.Params {
	out := make(webhook.Params, 0, len(p))
	for _, kv := range p {
		switch {
		case kv.Key != path[0]:
			out = append(out, kv)
		case len(path) > 1 && kv.Value.Kind() == wire.KindObject:
			out = append(out, wire.Param{Key: kv.Key, Value: wire.Object(deletePath(kv.Value.Members(), path[1:]))})
		case len(path) > 1:
			out = append(out, kv) // nothing to delete inside a non-object
		}
	}
	return out
}

// member returns the top-level member named exactly key.
func member(p webhook.Params, key string) (webhook.Value, bool) {
	for _, kv := range p {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return webhook.Value{}, false
}

// cloneParams returns a deep copy of p.
func cloneParams(p webhook.Params) webhook.Params {
	out := make(webhook.Params, 0, len(p))
	for _, kv := range p {
		out = append(out, wire.Param{Key: kv.Key, Value: cloneValue(kv.Value)})
	}
	return out
}

func cloneValue(v webhook.Value) webhook.Value {
	switch v.Kind() {
	case wire.KindObject:
		return wire.Object(cloneParams(v.Members()))
	case wire.KindList:
		items := make([]webhook.Value, len(v.Items()))
		for i, item := range v.Items() {
			items[i] = cloneValue(item)
		}
		return wire.List(items...)
	}
	return v
}
