package callflow_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/kzgen/kzgen/gen/callflow"
)

// The benchmarks of the generated code, on trees of realistic size:
//
//	go test ./gen/callflow -run '^$' -bench . -benchmem
//
// "ivr-menu" is the three answers of examples/ivr-menu (choose a language,
// choose a department, connect), 4, 3 and 4 nodes; "menu-10" a 10-node
// menu IVR; "tree-100" a 100-node tree of menus; "macros" a 3-node answer
// of unions (audio_macro items, missed-call alert recipients).

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

// continuation is a follow-up voice_url as pivot.Router signs it.
func continuation(step string) string {
	return "https://ivr.example.com/ivr/" + step + "?kzc=v1.k2.1767225600." +
		"bGFuZz0xJnRyaWVzPTA.q0Xy3Uq7kPZ0pXgEJ5n1tH3r9b2cVw8aLmNoPqRsTuY"
}

// gather is what pivot.Step.Gather builds: collect digits, then ask the
// next step.
func gather(collection, step string) *callflow.CollectDTMFBuilder {
	return callflow.CollectDTMF().CollectionName(collection).MaxDigits(1).Timeout(5000).Then(
		callflow.Pivot(continuation(step)).Method(callflow.PivotMethodPost).
			ReqFormat(callflow.PivotReqFormatKazoo).ReqBodyFormat(callflow.PivotReqBodyFormatForm))
}

// ivrMenu builds the answers of examples/ivr-menu, one per step of a call.
func ivrMenu() []callflow.Builder {
	return []callflow.Builder{
		callflow.TTS("Welcome. For English, press 1.").Language("en-US").Then(
			callflow.TTS("Para español, oprima 2.").Language("es-ES").Then(gather("lang", "language"))),
		callflow.TTS("For sales, press 1. For support, press 2.").Language("en-US").Then(gather("dept", "department")),
		callflow.TTS("Connecting you to sales.").Language("en-US").Then(
			callflow.User().ID("00000000000000000000000000000001").Timeout(20).Then(
				callflow.TTS("Nobody is available. Goodbye.").Language("en-US").Then(callflow.Hangup()))),
	}
}

// tree100 builds a 100-node tree: a main menu with nine departments, each
// a greeting and a menu of three teams (ring group, user then voicemail,
// or a pivot).
func tree100() *callflow.MenuBuilder {
	root := callflow.Menu().ID("main-menu").InterdigitTimeout(2000)
	for d := 1; d <= 9; d++ {
		dept := callflow.Menu().ID(fmt.Sprintf("department-%d", d))
		for team := 1; team <= 3; team++ {
			id := fmt.Sprintf("%030d%d%d", 0, d, team)
			var next callflow.Builder
			switch team {
			case 1:
				next = callflow.RingGroup(callflow.GroupEndpoint(id)).
					Timeout(30).Then(callflow.Voicemail().ID(id))
			case 2:
				next = callflow.User().ID(id).Timeout(25).Then(callflow.Voicemail().ID(id))
			default:
				next = callflow.Pivot(fmt.Sprintf("https://ivr.example.com/dept/%d/team/%d", d, team)).
					Method(callflow.PivotMethodPost).Then(callflow.Hangup())
			}
			dept.Branch(fmt.Sprint(team), callflow.TTS(fmt.Sprintf("Connecting you to team %d of department %d.", team, d)).
				Voice("female").Language("en-US").Then(next))
		}
		root.Branch(fmt.Sprint(d), callflow.TTS(fmt.Sprintf("Welcome to department %d.", d)).Then(dept))
	}
	return root
}

// macros builds an answer of unions: an audio_macro with one item of each
// kind (a discriminated union on "macro"), then a missed-call alert whose
// recipients' ids are a string or a list (a oneOf).
func macros() *callflow.AudioMacroBuilder {
	email := new(callflow.MissedCallAlertRecipientTypeEmail)
	return callflow.AudioMacro(
		callflow.PlayMacro().ID("welcome"),
		callflow.TTSMacro("Your account balance is").Voice("female").Language("en-US"),
		callflow.SayMacro().Text("42"),
		callflow.ToneMacro().Frequencies(440, 480).DurationOn(500).DurationOff(250),
		callflow.PromptMacro().ID("vm-enter_pass"),
	).Then(callflow.MissedCallAlert(
		callflow.MissedCallAlertRecipient{ID: &callflow.MissedCallAlertRecipientID{String: new("owner@example.com")}, Type: email},
		callflow.MissedCallAlertRecipient{ID: &callflow.MissedCallAlertRecipientID{List: []string{"a@example.com", "b@example.com"}}, Type: email},
	).Then(callflow.Hangup()))
}

// benchTree is a tree as its builders make it and as JSON.
type benchTree struct {
	name  string
	build func() []callflow.Builder
}

var benchTrees = []benchTree{
	{"ivr-menu", ivrMenu},
	{"menu-10", func() []callflow.Builder { return []callflow.Builder{menuIVR()} }},
	{"tree-100", func() []callflow.Builder { return []callflow.Builder{tree100()} }},
	{"macros", func() []callflow.Builder { return []callflow.Builder{macros()} }},
}

// encoded returns the JSON of each tree.
func (bt benchTree) encoded(tb testing.TB) [][]byte {
	var out [][]byte
	for _, b := range bt.build() {
		data, err := b.Node().MarshalJSON()
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, data)
	}
	return out
}

func countNodes(b callflow.Builder) int {
	count := 0
	b.Node().Walk(func(string, *callflow.Node) { count++ })
	return count
}

func TestBenchmarkTrees(t *testing.T) {
	typed, err := json.Marshal(menuIVR().Node())
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := json.Marshal(menuIVRMap())
	var a, b any
	json.Unmarshal(typed, &a)
	json.Unmarshal(plain, &b)
	if ja, _ := json.Marshal(a); string(ja) != mustMarshal(b) {
		t.Fatalf("the two menu trees differ:\n%s\n%s", typed, plain)
	}
	want := map[string][]int{"ivr-menu": {4, 3, 4}, "menu-10": {10}, "tree-100": {100}, "macros": {3}}
	for _, bt := range benchTrees {
		for i, b := range bt.build() {
			if n := countNodes(b); n != want[bt.name][i] {
				t.Errorf("%s[%d]: %d nodes, want %d", bt.name, i, n, want[bt.name][i])
			}
			if err := b.Node().Validate(); err != nil {
				t.Errorf("%s[%d]: %v", bt.name, i, err)
			}
		}
	}
}

// TestParseAllocatesLessThanUnmarshal: on every benchmark tree, Parse and
// Validate together allocate less than json.Unmarshal into
// map[string]any alone (allocation counts are exact, times are not).
func TestParseAllocatesLessThanUnmarshal(t *testing.T) {
	for _, bt := range benchTrees {
		for _, data := range bt.encoded(t) {
			typed := testing.AllocsPerRun(20, func() { parseAndValidate(t, data) })
			plain := testing.AllocsPerRun(20, func() { unmarshalMap(t, data) })
			if typed >= plain {
				t.Errorf("%s: Parse+Validate %.0f allocations, json.Unmarshal %.0f", bt.name, typed, plain)
			}
		}
	}
}

func mustMarshal(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func parseAndValidate(tb testing.TB, data []byte) {
	tree, err := callflow.Parse(data)
	if err != nil {
		tb.Fatal(err)
	}
	if err := tree.Validate(); err != nil {
		tb.Fatal(err)
	}
}

func unmarshalMap(tb testing.TB, data []byte) {
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkParse compares, per tree, callflow.Parse + Validate ("typed")
// with json.Unmarshal into map[string]any, which checks nothing ("map").
func BenchmarkParse(b *testing.B) {
	for _, bt := range benchTrees {
		inputs := bt.encoded(b)
		b.Run(bt.name+"/typed", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, data := range inputs {
					parseAndValidate(b, data)
				}
			}
		})
		b.Run(bt.name+"/map", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, data := range inputs {
					unmarshalMap(b, data)
				}
			}
		})
	}
}

// BenchmarkParseRatio states the ratio Parse + Validate / json.Unmarshal
// into map[string]any on the same JSON, measured alternately in the same
// loop so that a machine's changing speed hits both alike: the metric
// "typed/map" (the target is at most 1.5). ns/op is the pair's.
func BenchmarkParseRatio(b *testing.B) {
	for _, bt := range benchTrees {
		inputs := bt.encoded(b)
		b.Run(bt.name, func(b *testing.B) {
			var typed, plain time.Duration
			for b.Loop() {
				start := time.Now()
				for _, data := range inputs {
					parseAndValidate(b, data)
				}
				mid := time.Now()
				for _, data := range inputs {
					unmarshalMap(b, data)
				}
				typed += mid.Sub(start)
				plain += time.Since(mid)
			}
			b.ReportMetric(float64(typed)/float64(plain), "typed/map")
			b.ReportMetric(float64(typed.Nanoseconds())/float64(b.N), "typed-ns/op")
			b.ReportMetric(float64(plain.Nanoseconds())/float64(b.N), "map-ns/op")
		})
	}
}

// BenchmarkParseAndValidateTyped parses the menu IVR into the typed tree
// and validates it as Kazoo would.
func BenchmarkParseAndValidateTyped(b *testing.B) {
	data, _ := menuIVR().MarshalJSON()
	b.ReportAllocs()
	for b.Loop() {
		parseAndValidate(b, data)
	}
}

// BenchmarkUnmarshalMap is the baseline: json.Unmarshal into
// map[string]any, with no validation at all.
func BenchmarkUnmarshalMap(b *testing.B) {
	data, _ := menuIVR().MarshalJSON()
	b.ReportAllocs()
	for b.Loop() {
		unmarshalMap(b, data)
	}
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
