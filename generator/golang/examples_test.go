package golang

import (
	"strings"
	"testing"

	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/generator/model"
	"github.com/kzgen/kzgen/schemas"
)

// exampleCalls renders the Example call of every module of the embedded
// callflow schemas, by module name.
func exampleCalls(t *testing.T) map[string]string {
	t.Helper()
	set, err := load.Read(schemas.FS, load.Options{Match: schemas.CallflowMatch})
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Build(set)
	if err != nil {
		t.Fatal(err)
	}
	g, err := newGenerator(m, Options{Package: "callflow", TrimPrefix: DefaultTrimPrefix, TypeSuffix: DefaultTypeSuffix, Nodes: true})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, mod := range g.mods {
		call, err := g.exampleCall(mod)
		if err != nil {
			t.Errorf("%s: %v", mod.name, err)
			continue
		}
		out[mod.name] = squeeze(call.GoString())
	}
	return out
}

// The samples themselves are model.Sample's (tested there); the generated
// package's test and the docs' tests check that each call encodes to its
// sample. Here: every module gets a call, and the shapes come out right.
func TestExampleCalls(t *testing.T) {
	calls := exampleCalls(t)
	if len(calls) != 78 {
		t.Errorf("%d example calls, want one per module (78)", len(calls))
	}
	for module, want := range map[string]string{
		// a required string, as the constructor's argument
		"tts": `TTS("Thank you for calling.")`,
		// a list of structs with a valid default: a variadic setter; enum
		// fields by constant, pointers by new()
		"notification": `Notification().Recipients(NotificationRecipient{ID: &NotificationRecipientID{String: new("user@example.com")}, Type: new(NotificationRecipientTypeEmail)})`,
		// a list Kazoo would fill in with [] and refuse: an argument, its
		// items a discriminated union's, made by their item builders
		"audio_macro": `AudioMacro(PlayMacro()`,
		// a required property with a default is a setter: Kazoo fills it in
		"record_call": `RecordCall().Action(RecordCallActionStart)`,
	} {
		if got := calls[module]; !strings.HasPrefix(got, squeeze(want)) {
			t.Errorf("%s: %s\nwant it to start with %s", module, got, want)
		}
	}
}

// squeeze drops the layout of Go source: whitespace and trailing commas.
func squeeze(src string) string {
	return strings.ReplaceAll(strings.Join(strings.Fields(src), ""), ",}", "}")
}
