package callflow_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/generator/validate"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// kazooVerdict is the schema-driven validator's verdict on a Pivot answer
// (Kazoo's semantics, over the embedded schemas), as "pointer [code]".
func kazooVerdict(t *testing.T, answer []byte) []string {
	t.Helper()
	v, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	return problemCodes(v.Validate(answer, validate.Pivot).Problems)
}

func problemCodes(es kzrt.Errors) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Pointer+" ["+e.Code+"]")
	}
	slices.Sort(out)
	return out
}

// TestAudioMacroTypedItems builds an audio_macro's items in Go, one of each
// kind, validates them, encodes them and parses them back: each item keeps
// its kind, chosen by "macro", and the JSON is what Kazoo accepts.
func TestAudioMacroTypedItems(t *testing.T) {
	prompt := callflow.AudioMacroMacrosItem{Prompt: &callflow.AudioMacroPromptData{ID: new("vm-enter_pass")}}
	node := callflow.AudioMacro(
		callflow.PlayMacro().ID(mediaID),
		callflow.TTSMacro("Your balance is").Voice("male"),
		callflow.SayMacro().Text("42").Type(callflow.AudioMacroSayTypeCurrency).Method(callflow.AudioMacroSayMethodPronounced),
		callflow.ToneMacro().Frequencies(440, 480).DurationOn(500),
		&prompt,
	).Language("en-us")
	if err := node.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	b, err := json.Marshal(node)
	if err != nil {
		t.Fatal(err)
	}
	if got := kazooVerdict(t, b); got != nil {
		t.Fatalf("Kazoo refuses %s: %v", b, got)
	}
	want := `{"module":"audio_macro","data":{"language":"en-us","macros":[` +
		`{"id":"` + mediaID + `","macro":"play"},` +
		`{"text":"Your balance is","voice":"male","macro":"tts"},` +
		`{"method":"pronounced","text":"42","type":"currency","macro":"say"},` +
		`{"duration_on":500,"frequencies":[440,480],"macro":"tone"},` +
		`{"id":"vm-enter_pass","macro":"prompt"}]}}`
	if string(b) != want {
		t.Errorf("JSON\n got %s\nwant %s", b, want)
	}

	tree, err := callflow.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	data, ok := tree.Root().Data.(*callflow.AudioMacroData)
	if !ok {
		t.Fatalf("data is %T", tree.Root().Data)
	}
	var kinds []callflow.AudioMacroMacrosItemMacro
	for _, item := range data.Macros {
		kinds = append(kinds, item.Macro())
	}
	if !slices.Equal(kinds, []callflow.AudioMacroMacrosItemMacro{"play", "tts", "say", "tone", "prompt"}) {
		t.Errorf("kinds after Parse: %v", kinds)
	}
	if data.Macros[1].TTS == nil || data.Macros[1].TTS.GetVoice() != "male" || len(data.Macros[1].TTS.Extra) != 0 {
		t.Errorf("tts item: %+v", data.Macros[1].TTS)
	}
	if err := tree.Validate(); err != nil {
		t.Errorf("Validate after Parse: %v", err)
	}
	again, err := json.Marshal(tree)
	if err != nil || !bytes.Equal(again, b) {
		t.Errorf("round trip: %s (%v)", again, err)
	}
}

// TestAudioMacroItemsAsKazooReadsThem: the kind is chosen by "macro", and
// checked as Kazoo checks the oneOf, with the same problems.
func TestAudioMacroItemsAsKazooReadsThem(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{`{"module":"audio_macro","data":{"macros":[{"macro":"tts"}]}}`, []string{"/data/macros/0 [not_one_schema_valid]"}},
		{`{"module":"audio_macro","data":{"macros":[{"macro":"beep","x":1}]}}`,
			[]string{"/data/macros/0 [not_one_schema_valid]", "/data/macros/0/macro [enum]"}},
		// Without "macro", the fixed values beside each $ref do not
		// apply, and every kind whose schema accepts the item matches.
		{`{"module":"audio_macro","data":{"macros":[{"id":"x"}]}}`,
			[]string{"/data/macros/0 [more_than_one_schema_valid]", "/data/macros/0/macro [required]"}},
		{`{"module":"audio_macro","data":{"macros":[{"text":"hi","frequencies":"x"}]}}`,
			[]string{"/data/macros/0 [more_than_one_schema_valid]", "/data/macros/0/macro [required]"}},
		// A "macro" of another type is outside the enum too.
		{`{"module":"audio_macro","data":{"macros":[{"macro":7}]}}`,
			[]string{"/data/macros/0 [not_one_schema_valid]", "/data/macros/0/macro [enum]", "/data/macros/0/macro [type]"}},
		{`{"module":"audio_macro","data":{"macros":[{"macro":"tone","frequencies":["high"]}]}}`,
			[]string{"/data/macros/0 [not_one_schema_valid]"}},
		{`{"module":"audio_macro","data":{"macros":[{"macro":"play","id":"x","x_note":true}]}}`, nil},
		{`{"module":"audio_macro","data":{}}`, []string{"/data/macros [minItems]"}},
		{`{"module":"audio_macro","data":{"macros":[]}}`, []string{"/data/macros [minItems]"}},
	}
	for _, c := range cases {
		if kz := kazooVerdict(t, []byte(c.in)); !slices.Equal(kz, c.want) {
			t.Errorf("%s: Kazoo says %q, want %q", c.in, kz, c.want)
		}
		tree, err := callflow.ParseAnswer([]byte(c.in))
		var got []string
		if err != nil {
			got = problemCodes(kzrt.AsErrors(err))
		} else {
			got = problemCodes(kzrt.AsErrors(tree.Validate()))
			// Whatever the verdict, nothing is lost.
			out, err := json.Marshal(tree)
			if err != nil || !sameJSON(t, out, []byte(c.in)) {
				t.Errorf("%s: round trip gives %s (%v)", c.in, out, err)
			}
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: %q, want %q", c.in, got, c.want)
		}
	}
	// An unknown kind is kept, and says which macro it has.
	tree, err := callflow.ParseAnswer([]byte(`{"module":"audio_macro","data":{"macros":[{"macro":"beep"}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	item := tree.Data.(*callflow.AudioMacroData).Macros[0]
	if item.Macro() != "beep" || string(item.Unknown) != `{"macro":"beep"}` {
		t.Errorf("unknown item: %q %s", item.Macro(), item.Unknown)
	}
}

func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}
