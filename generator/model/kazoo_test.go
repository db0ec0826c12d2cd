package model_test

import (
	"slices"
	"testing"
	"testing/fstest"

	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/generator/model"
	"github.com/kzgen/kzgen/schemas"
)

func embedded(t *testing.T) *model.Set {
	t.Helper()
	set, err := load.Read(schemas.FS, load.Options{Name: "schemas"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Build(set)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func field(t *testing.T, m *model.Set, id, name string) *model.Field {
	t.Helper()
	s := m.Schema(id)
	if s == nil {
		t.Fatalf("no schema %s", id)
	}
	for _, f := range s.Root.Resolve().Fields {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("%s has no property %s", id, name)
	return nil
}

// TestMayOmit: the required properties with a default in the callflow
// closure may be left out (Kazoo fills the default in first); a required
// property without default may not.
func TestMayOmit(t *testing.T) {
	m := embedded(t)
	for _, c := range []struct{ id, name string }{
		{"callflows.action", "data"}, {"callflows.record_call", "action"}, {"callflows.response", "code"},
		{"callflows.group_pickup_feature", "type"}, {"callflows.notification", "recipients"},
		{"callflows.lookupcidname", "lists"}, {"callflows.set_variables", "custom_application_vars"},
		{"callflows.branch_variable", "variable"},
	} {
		f := field(t, m, c.id, c.name)
		if !f.Required || !f.MayOmit() {
			t.Errorf("%s %s: required %v, may omit %v; want required and may omit", c.id, c.name, f.Required, f.MayOmit())
		}
	}
	for _, c := range []struct{ id, name string }{{"callflows.action", "module"}, {"callflows.pivot", "voice_url"}} {
		if f := field(t, m, c.id, c.name); f.MayOmit() {
			t.Errorf("%s %s: may omit; it is required without default", c.id, c.name)
		}
	}
	if f := field(t, m, "callflows.pivot", "method"); !f.MayOmit() {
		t.Error("an optional property must be omittable")
	}
}

// TestKazooChecks: the fields Kazoo's extension module checks, and only
// they, carry a Check.
func TestKazooChecks(t *testing.T) {
	m := embedded(t)
	want := map[[2]string]model.Check{
		{"callflows.action", "module"}:       model.CheckCallflowModule,
		{"callflows.action", "data"}:         model.CheckCallflowData,
		{"metaflow", "module"}:               model.CheckMetaflowModule,
		{"metaflow", "data"}:                 model.CheckMetaflowData,
		{"callflows.pivot", "voice_url"}:     model.CheckClientURL,
		{"callflows.record_call", "url"}:     model.CheckClientURL,
		{"callflows.record_caller", "url"}:   model.CheckClientURL,
		{"callflows.webhook", "uri"}:         model.CheckClientURL,
		{"webhooks", "uri"}:                  model.CheckClientURL,
		{"call_recording.parameters", "url"}: model.CheckClientURL,
	}
	for _, s := range m.Schemas {
		root := s.Root.Resolve()
		for _, f := range root.Fields {
			key := [2]string{s.ID, f.Name}
			if got := f.Type.Check; got != want[key] {
				t.Errorf("%s %s: check %v, want %v", s.ID, f.Name, got, want[key])
			}
			delete(want, key)
		}
	}
	for k := range want {
		t.Errorf("%s %s: no such field", k[0], k[1])
	}
	if model.CheckCallflowData.Family() != "callflows." || model.CheckMetaflowModule.Family() != "metaflows." || model.CheckClientURL.Family() != "" {
		t.Error("Family")
	}
}

// TestAudioMacroIsDiscriminated: keywords beside $ref are kept, and make
// audio_macro's items a union picked by "macro".
func TestAudioMacroIsDiscriminated(t *testing.T) {
	m := embedded(t)
	items := field(t, m, "callflows.audio_macro", "macros").Type.Items
	d := items.Discriminator()
	if d == nil {
		t.Fatal("audio_macro items: no discriminator")
	}
	if d.Property != "macro" {
		t.Errorf("property %q, want macro", d.Property)
	}
	var got []string
	for _, c := range d.Cases {
		got = append(got, c.Value+"="+c.Variant.Target.ID)
	}
	want := []string{"play=callflows.play", "tone=callflows.audio_macro.tone", "prompt=callflows.audio_macro.prompt",
		"say=callflows.audio_macro.say", "tts=callflows.tts"}
	if !slices.Equal(got, want) {
		t.Errorf("cases %v, want %v", got, want)
	}
	// A plain $ref has no Also; a scalar oneOf is no discriminated union.
	if also := field(t, m, "callflows", "flow").Type.Also; also != nil {
		t.Errorf("callflows flow: Also %+v, want none", also)
	}
	for _, s := range m.Schemas {
		var walk func(*model.Type)
		seen := map[*model.Type]bool{}
		walk = func(ty *model.Type) {
			if ty == nil || seen[ty] {
				return
			}
			seen[ty] = true
			if ty.Kind == model.Union && ty != items && ty.Discriminator() != nil {
				t.Errorf("%s#%s: discriminated, only audio_macro's items are", s.ID, ty.Pointer)
			}
			for _, f := range ty.Fields {
				walk(f.Type)
			}
			walk(ty.Items)
			for _, v := range ty.Variants {
				walk(v)
			}
		}
		walk(s.Root)
	}
}

// TestDeclaredAndPatterns: "type" as written, and patterns translated once
// with the schema's text kept.
func TestDeclaredAndPatterns(t *testing.T) {
	fsys := fstest.MapFS{
		"a.json": {Data: []byte(`{"_id":"a","properties":{
			"lang":{"type":"string","pattern":"^[a-z]{2}$"},
			"url":{"type":"string","pattern":"^https?://"},
			"untyped":{"properties":{"x":{"type":"string"}}},
			"either":{"type":["string","integer"],"minLength":2},
			"look":{"type":"string","pattern":"(?!x)^.+$"},
			"ref":{"$ref":"b","type":"object"},
			"keys":{"type":"object","patternProperties":{"^[0-9]+$":{}}}}}`)},
		"b.json": {Data: []byte(`{"_id":"b","type":"object"}`)},
	}
	set, err := load.Read(fsys, load.Options{Name: "t"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Build(set)
	if err != nil {
		t.Fatal(err)
	}
	lang := field(t, m, "a", "lang").Type
	if lang.Pattern != `^[a-z]{2}(?:\n?\z)` || lang.PatternSource != `^[a-z]{2}$` || lang.PatternRelaxed {
		t.Errorf("lang: %q from %q relaxed %v", lang.Pattern, lang.PatternSource, lang.PatternRelaxed)
	}
	if got := model.QuotePattern(lang); got != `"^[a-z]{2}$"` {
		t.Errorf("QuotePattern %s, want the schema's text", got)
	}
	if url := field(t, m, "a", "url").Type; url.Pattern != `^https?://` || url.PatternSource != "" {
		t.Errorf("url: %q from %q", url.Pattern, url.PatternSource)
	}
	if look := field(t, m, "a", "look").Type; !look.PatternRelaxed || len(m.Warnings) != 1 || m.Warnings[0].Pointer != "/properties/look/pattern" {
		t.Errorf("look: relaxed %v, warnings %v", look.PatternRelaxed, m.Warnings)
	}
	if u := field(t, m, "a", "untyped").Type; u.Kind != model.Object || u.Declared != nil {
		t.Errorf("untyped: kind %v declared %v, want inferred object", u.Kind, u.Declared)
	}
	if e := field(t, m, "a", "either").Type; !e.TypeList || !slices.Equal(e.Declared, []string{"string", "integer"}) {
		t.Errorf("either: type list %v declared %v", e.TypeList, e.Declared)
	}
	if r := field(t, m, "a", "ref").Type; r.Kind != model.Ref || r.Also == nil || !slices.Equal(r.Also.Declared, []string{"object"}) {
		t.Errorf("ref: %+v", r)
	}
	keys := field(t, m, "a", "keys").Type
	if p := keys.PatternProps[0]; p.Pattern != `^[0-9]+(?:\n?\z)` || p.Source != `^[0-9]+$` {
		t.Errorf("pattern property %q from %q", p.Pattern, p.Source)
	}
}

// TestModule resolves module names as Kazoo does, and tells schema ids
// that are no callflow module apart.
func TestModule(t *testing.T) {
	m := embedded(t)
	for _, c := range []struct {
		name           string
		exists, module bool
	}{
		{"tts", true, true}, {"pivot", true, true}, {"say", false, false},
		{"action", true, false}, {"audio_macro.prompt", true, false}, {"", false, false},
	} {
		s, isModule := m.Module(model.CallflowFamily, c.name)
		if (s != nil) != c.exists || isModule != c.module {
			t.Errorf("%q: exists %v module %v, want %v %v", c.name, s != nil, isModule, c.exists, c.module)
		}
	}
	if !m.HasFamily(model.CallflowFamily) || m.HasFamily(model.MetaflowFamily) {
		t.Error("the embedded set has callflow module schemas and no metaflow ones")
	}
}
