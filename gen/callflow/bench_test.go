package callflow_test

import (
	"encoding/json"
	"testing"

	"github.com/kzgen/kzgen/gen/callflow"
)

// menuIVR builds a 10-node menu IVR with the generated builders: a
// greeting, a menu with four digit branches, and what each branch does.
func menuIVR() *callflow.TTSBuilder {
	return callflow.TTS("Thanks for calling Example Corp.").Voice("female").Then(
		callflow.Menu().ID("main-menu").
			Branch("1", callflow.TTS("Connecting you to sales.").Then(
				callflow.RingGroup(callflow.RingGroupEndpoint{
					ID: new("d2f7e6a0c1b34e5f8a9b0c1d2e3f4a5b"), EndpointType: new(callflow.RingGroupEndpointEndpointTypeGroup),
				}).Timeout(20))).
			Branch("2", callflow.User().ID("4b1a1f61ac2e35ab7d7ba9a8d3c10e4c").Timeout(25).Then(
				callflow.Voicemail().ID("e3b0c44298fc1c149afbf4c8996fb924"))).
			Branch("3", callflow.CollectDTMF().CollectionName("account").MaxDigits(8).Then(
				callflow.Pivot("https://ivr.example.com/account").Method(callflow.PivotMethodPost))).
			Branch("0", callflow.Resources().ToDID("+14155550123")).
			Then(callflow.Hangup()))
}

// menuIVRMap is the same tree as plain maps, the way code without types
// writes it.
func menuIVRMap() map[string]any {
	node := func(module string, data map[string]any, children map[string]any) map[string]any {
		n := map[string]any{"module": module, "data": data}
		if children != nil {
			n["children"] = children
		}
		return n
	}
	return node("tts", map[string]any{"text": "Thanks for calling Example Corp.", "voice": "female"}, map[string]any{
		"_": node("menu", map[string]any{"id": "main-menu"}, map[string]any{
			"1": node("tts", map[string]any{"text": "Connecting you to sales."}, map[string]any{
				"_": node("ring_group", map[string]any{"timeout": 20, "endpoints": []any{
					map[string]any{"id": "d2f7e6a0c1b34e5f8a9b0c1d2e3f4a5b", "endpoint_type": "group"}}}, nil)}),
			"2": node("user", map[string]any{"id": "4b1a1f61ac2e35ab7d7ba9a8d3c10e4c", "timeout": 25}, map[string]any{
				"_": node("voicemail", map[string]any{"id": "e3b0c44298fc1c149afbf4c8996fb924"}, nil)}),
			"3": node("collect_dtmf", map[string]any{"collection_name": "account", "max_digits": 8}, map[string]any{
				"_": node("pivot", map[string]any{"voice_url": "https://ivr.example.com/account", "method": "post"}, nil)}),
			"0": node("resources", map[string]any{"to_did": "+14155550123"}, nil),
			"_": node("hangup", map[string]any{}, nil),
		}),
	})
}

func TestBenchmarkTreesAgree(t *testing.T) {
	typed, err := json.Marshal(menuIVR().Node())
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := json.Marshal(menuIVRMap())
	var a, b any
	json.Unmarshal(typed, &a)
	json.Unmarshal(plain, &b)
	if ja, _ := json.Marshal(a); string(ja) != mustMarshal(b) {
		t.Fatalf("the two benchmark trees differ:\n%s\n%s", typed, plain)
	}
	count := 0
	menuIVR().Node().Walk(func(string, *callflow.Node) { count++ })
	if count != 10 {
		t.Fatalf("%d nodes, want 10", count)
	}
	if err := menuIVR().Validate(); err != nil {
		t.Fatal(err)
	}
}

func mustMarshal(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// BenchmarkBuildAndMarshalTyped builds the menu IVR with the builders and
// encodes it.
func BenchmarkBuildAndMarshalTyped(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := menuIVR().MarshalJSON(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildAndMarshalMap is the baseline: the same tree as
// map[string]any, encoded with encoding/json.
func BenchmarkBuildAndMarshalMap(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(menuIVRMap()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseAndValidateTyped parses the menu IVR into the typed tree
// and validates it as Kazoo would.
func BenchmarkParseAndValidateTyped(b *testing.B) {
	data, _ := menuIVR().MarshalJSON()
	b.ReportAllocs()
	for b.Loop() {
		tree, err := callflow.Parse(data)
		if err != nil {
			b.Fatal(err)
		}
		if err := tree.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUnmarshalMap is the baseline: json.Unmarshal into
// map[string]any, with no validation at all.
func BenchmarkUnmarshalMap(b *testing.B) {
	data, _ := menuIVR().MarshalJSON()
	b.ReportAllocs()
	for b.Loop() {
		var v map[string]any
		if err := json.Unmarshal(data, &v); err != nil {
			b.Fatal(err)
		}
	}
}
