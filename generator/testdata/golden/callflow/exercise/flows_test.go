package flows

// This file is copied next to the package generated from
// testdata/golden/callflow/schemas and run by TestGoldenCompilesAndBehaves:
// the package must compile on its own and behave as a callflow package.

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kzgen/kzgen/runtime/kzrt"
)

// The tree types are kzrt's, so trees of every generated package compose.
var (
	_ *kzrt.Node   = Say("x").Node()
	_ kzrt.Data    = (*SayData)(nil)
	_ kzrt.Builder = (*GatherBuilder)(nil)
	_ kzrt.Tree    = (*Document)(nil)
)

// problemsOf maps each problem's pointer to its message.
func problemsOf(err error) map[string]string {
	out := map[string]string{}
	for _, e := range kzrt.AsErrors(err) {
		out[e.Pointer] = e.Message
	}
	return out
}

func flow() *SayBuilder {
	return Say("Welcome.").Voice(SayVoiceMale).Then(
		Gather("pin").MaxDigits(4).Prompt(SayData{Text: new("Enter your PIN.")}).
			Branch("1", Say("One.").Then(Bye())).
			Then(Bye().Cause("normal")))
}

const flowJSON = `{"module":"say","data":{"text":"Welcome.","voice":"male"},"children":{"_":` +
	`{"module":"gather","data":{"collection":"pin","max_digits":4,"prompt":{"text":"Enter your PIN."}},"children":{` +
	`"1":{"module":"say","data":{"text":"One."},"children":{"_":{"module":"bye","data":{}}}},` +
	`"_":{"module":"bye","data":{"cause":"normal"}}}}}}`

func TestBuildValidateEncodeParse(t *testing.T) {
	f := flow()
	if err := f.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	got, err := json.Marshal(f)
	if err != nil || string(got) != flowJSON {
		t.Fatalf("json.Marshal: %v\n got %s\nwant %s", err, got, flowJSON)
	}
	tree, err := Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	root, ok := tree.(*Node)
	if !ok {
		t.Fatalf("Parse returned %T", tree)
	}
	gather, ok := root.Next("_").Data.(*GatherData)
	if !ok || gather.GetCollection() != "pin" || gather.Prompt.GetText() != "Enter your PIN." {
		t.Fatalf("gather: %+v", root.Next("_").Data)
	}
	if _, ok := root.Next("_").Next("1").Data.(*SayData); !ok {
		t.Fatal("digit 1 is not a say node")
	}
	again, _ := json.Marshal(tree)
	if string(again) != flowJSON {
		t.Fatalf("round trip:\n%s", again)
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	f := Say("").Then(Gather("PIN").MaxDigits(11).Terminators("#", "x").Then(Say(strings.Repeat("a", 101)).Repeat(0)))
	want := map[string]string{
		"/data/text":                         "length 0, minimum 1",
		"/children/_/data/collection":        `"PIN" does not match pattern "^[a-z_]+$"`,
		"/children/_/data/max_digits":        "11 is greater than the maximum 10",
		"/children/_/data/terminators/1":     `"x" is not one of "#", "*"`,
		"/children/_/children/_/data/text":   "length 101, maximum 100",
		"/children/_/children/_/data/repeat": "0 is less than the minimum 1",
	}
	got := problemsOf(f.Validate())
	if len(got) != len(want) {
		t.Errorf("got %d problems: %v", len(got), got)
	}
	for p, msg := range want {
		if got[p] != msg {
			t.Errorf("%s: got %q, want %q", p, got[p], msg)
		}
	}
}

func TestParseKeepsWhatItCannotType(t *testing.T) {
	in := `{"module":"say","data":{"text":"Hi.","x_hint":1},"x_editor":{"pos":2},"children":{` +
		`"_":{"module":"hold","data":{"music":"jazz"}},` +
		`"1":{"module":"gather","data":{"collection":"pin","max_digits":"four"}}}}`
	tree, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	root := tree.Root()
	if raw, ok := root.Next("_").Data.(*RawData); !ok || !raw.Unknown {
		t.Errorf("unknown module: %T", root.Next("_").Data)
	}
	want := map[string]string{
		"/children/_/module":          `unable to find callflow schema for module "hold"`,
		"/children/1/data/max_digits": "got string, want integer",
	}
	if got := problemsOf(tree.Validate()); len(got) != 2 || got["/children/_/module"] != want["/children/_/module"] || got["/children/1/data/max_digits"] != want["/children/1/data/max_digits"] {
		t.Errorf("Validate: %v", got)
	}
	out, _ := json.Marshal(tree)
	var a, b any
	json.Unmarshal([]byte(in), &a)
	json.Unmarshal(out, &b)
	if ja, _ := json.Marshal(a); string(ja) != mustJSON(b) {
		t.Errorf("round trip lost something:\n in %s\nout %s", in, out)
	}
	_, err = Parse([]byte(`{"module":"say","data":{},"children":{"_":7}}`))
	var de *kzrt.DecodeError
	if !errors.As(err, &de) || de.Pointer != "/children/_" {
		t.Errorf("a child that is not a node: %v", err)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestDocument(t *testing.T) {
	in := `{"name":"Main","numbers":["+15555550100","100"],"flow":` + flowJSON + `}`
	tree, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	doc, ok := tree.(*Document)
	if !ok || doc.GetName() != "Main" || doc.Root().Module != "say" {
		t.Fatalf("Parse: %T %+v", tree, tree)
	}
	if err := doc.Validate(); err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(doc)
	if want := `{"flow":` + flowJSON + `,"name":"Main","numbers":["+15555550100","100"]}`; string(out) != want {
		t.Fatalf("got  %s\nwant %s", out, want)
	}
	doc.Numbers = []string{"100", "100", "ext"}
	doc.Flow.Next("_").Data.(*GatherData).MaxDigits = new(int64(0))
	got := problemsOf(doc.Validate())
	for _, p := range []string{"/numbers", "/numbers/2", "/flow/children/_/data/max_digits"} {
		if _, ok := got[p]; !ok {
			t.Errorf("no problem at %s: %v", p, got)
		}
	}
	var nilDoc *Document
	if nilDoc.Root() != nil {
		t.Error("Root of a nil document")
	}
}

func TestLoopsAndDepth(t *testing.T) {
	// A builder stores its child as it is when given: a builder given to
	// itself is followed by a copy of what it was, never a loop.
	twice := Say("Again.")
	twice.Then(twice)
	if data, err := json.Marshal(twice); err != nil || strings.Count(string(data), "Again.") != 2 {
		t.Errorf("a builder given to itself: %s, %v", data, err)
	}
	// Nodes can loop; Validate and encoding say where.
	again := Say("Again.").Node()
	again.SetChild(DefaultChild, again)
	if got := problemsOf(again.Validate()); !strings.HasPrefix(got["/children/_"], "loop back to the root") {
		t.Errorf("Validate: %v", got)
	}
	if _, err := json.Marshal(again); err == nil {
		t.Error("a looping tree encoded")
	}
	deep := strings.Repeat(`{"module":"bye","data":{},"children":{"_":`, kzrt.MaxDepth) + `{"module":"bye","data":{}}` + strings.Repeat("}}", kzrt.MaxDepth)
	if _, err := Parse([]byte(deep)); err == nil {
		t.Error("a tree deeper than kzrt.MaxDepth parsed")
	}
}

func TestGettersAreNilSafe(t *testing.T) {
	var d *SayData
	if d.GetText() != "" || d.GetVoice() != DefaultSayDataVoice || d.GetRepeat() != DefaultSayDataRepeat || DefaultSayDataRepeat != 1 {
		t.Errorf("nil getters: %q %q %d", d.GetText(), d.GetVoice(), d.GetRepeat())
	}
	var g *GatherData
	if g.GetMaxDigits() != 4 {
		t.Error("GetMaxDigits on nil")
	}
}

func TestRegistry(t *testing.T) {
	if names := Modules().Names(); !slices.Equal(names, []string{"bye", "chime", "gather", "say"}) {
		t.Fatalf("Modules: %v", names)
	}
	d, ok := NewData("gather")
	if _, typed := d.(*GatherData); !ok || !typed {
		t.Fatalf("NewData: %T", d)
	}
	if _, ok := NewData("hold"); ok {
		t.Error("NewData of an unknown module")
	}
	if n := NewNode(&ByeData{}); n.Module != "bye" || n.Validate() != nil {
		t.Errorf("NewNode: %+v", n)
	}
	for _, m := range Modules().Names() {
		n, ok := Example(m)
		if !ok || n.Module != m {
			t.Errorf("Example(%q): %v %v", m, n, ok)
			continue
		}
		if err := n.Validate(); err != nil {
			t.Errorf("Example(%q): %v", m, err)
		}
	}
}

// codesOf lists each problem as "pointer [code]", sorted.
func codesOf(err error) []string {
	var out []string
	for _, e := range kzrt.AsErrors(err) {
		out = append(out, e.Pointer+" ["+e.Code+"]")
	}
	slices.Sort(out)
	return out
}

// TestDiscriminatedUnion: chime's sounds are told apart by "kind", which
// selects the $ref beside it; each kind has an item builder.
func TestDiscriminatedUnion(t *testing.T) {
	c := Chime(SayKind("Hello.").Voice(SayVoiceMale), BeepKind(440)).Volume(80)
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	want := `{"module":"chime","data":{"sounds":[{"text":"Hello.","voice":"male","kind":"say"},{"pitch":440,"kind":"beep"}],"volume":80}}`
	got, err := json.Marshal(c)
	if err != nil || string(got) != want {
		t.Fatalf("json.Marshal: %v\n got %s\nwant %s", err, got, want)
	}
	n, err := ParseAnswer(got)
	if err != nil {
		t.Fatal(err)
	}
	sounds := n.Data.(*ChimeData).Sounds
	if len(sounds) != 2 || sounds[0].Say == nil || sounds[1].Beep == nil || sounds[1].Kind() != ChimeSoundKindBeep {
		t.Fatalf("Parse: %+v", sounds)
	}
	if again, _ := json.Marshal(n); string(again) != want {
		t.Errorf("round trip: %s", again)
	}
	for in, want := range map[string][]string{
		`{"module":"chime","data":{"sounds":[{"kind":"beep"}]}}`:             {"/data/sounds/0 [not_one_schema_valid]"},
		`{"module":"chime","data":{"sounds":[{"kind":"beep","pitch":"x"}]}}`: {"/data/sounds/0 [not_one_schema_valid]"},
		`{"module":"chime","data":{"sounds":[{"kind":"horn","loud":true}]}}`: {"/data/sounds/0 [not_one_schema_valid]", "/data/sounds/0/kind [enum]"},
		`{"module":"chime","data":{"sounds":[{"text":"Hi.","pitch":440}]}}`:  {"/data/sounds/0 [more_than_one_schema_valid]", "/data/sounds/0/kind [required]"},
		`{"module":"chime","data":{"sounds":[{"text":"Hi."}]}}`:              {"/data/sounds/0/kind [required]"},
		`{"module":"chime"}`: {"/data/sounds [minItems]"},
		`{"module":"chime","data":{"sounds":[{"kind":"say","text":"Hi."}]}}`: nil,
	} {
		n, err := ParseAnswer([]byte(in))
		if err != nil {
			if got := codesOf(err); !slices.Equal(got, want) {
				t.Errorf("%s: Parse: %q, want %q", in, got, want)
			}
			continue
		}
		if got := codesOf(n.Validate()); !slices.Equal(got, want) {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
		out, _ := json.Marshal(n)
		var a, b any
		json.Unmarshal([]byte(in), &a)
		json.Unmarshal(out, &b)
		if ja, _ := json.Marshal(a); string(ja) != mustJSON(b) {
			t.Errorf("%s: round trip gives %s", in, out)
		}
	}
	// A *ChimeSound is a builder too.
	item := ChimeSound{Beep: &ChimeBeepData{Pitch: new(int64(880))}}
	if err := Chime(&item).Validate(); err != nil {
		t.Errorf("Chime(&item): %v", err)
	}
}

// TestDefaultsAndModes: a required property with a default is a setter
// and may be left out; a schema that is no module is refused; a stored
// document is converted and checked as Crossbar does.
func TestDefaultsAndModes(t *testing.T) {
	if got := (*ChimeData)(nil).GetVolume(); got != 50 {
		t.Errorf("GetVolume: %d", got)
	}
	n, err := ParseAnswer([]byte(`{"module":"chime.beep","data":{"pitch":440}}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Validate(); err == nil || !strings.Contains(err.Error(), "no callflow module") {
		t.Errorf("a schema that is no module: %v", err)
	}
	tree, err := Parse([]byte(`{"patterns":["^1"],"flow":{"module":"chime","data":{"volume":"20","sounds":[{"kind":"beep","pitch":440}]}}}`))
	if err != nil {
		t.Fatal(err)
	}
	doc := tree.(*Document)
	if err := doc.Validate(); err != nil {
		t.Errorf("a stored callflow with a pattern and a converted volume: %v", err)
	}
	if conv := doc.Conversions(); len(conv) != 1 || conv[0].Pointer != "/flow/data/volume" || string(conv[0].To) != "20" {
		t.Errorf("Conversions: %+v", conv)
	}
	tree, _ = Parse([]byte(`{"flow":{"module":"bye"}}`))
	if got := codesOf(tree.Validate()); !slices.Equal(got, []string{"/numbers [required]"}) {
		t.Errorf("no number or pattern: %q", got)
	}
}

// TestTypedBranches: the On… methods attach children under the keys the
// made-up table says each module reads, and Lint judges them with the same
// table.
func TestTypedBranches(t *testing.T) {
	g := Gather("pin").MaxDigits(4).
		OnDigits("12", Say("Twelve.")).
		OnTimeout(Say("Nothing?")).
		Branch("x", Bye())
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range g.Node().Children {
			if !yield(k) {
				return
			}
		}
	})
	if !slices.Equal(keys, []string{Timeout, "12", "x"}) && !slices.Equal(keys, []string{"12", Timeout, "x"}) {
		t.Fatalf("keys %v", keys)
	}
	c := Chime(BeepKind(440)).OnCause(Busy, Bye()).OnSIPCode(486, Bye()).OnSIPCode(99, Bye())
	for _, k := range []string{"USER_BUSY", "sip:486", "sip:99"} {
		if c.Node().Children[k] == nil {
			t.Errorf("chime: no child %q", k)
		}
	}
	s := Say("Hold on.").OnWaitAtLeast(2*time.Minute, Bye()).OnWaitAtLeast(1500*time.Millisecond, Bye())
	if s.Node().Children["120"] == nil || len(s.Node().Children) != 1 {
		t.Errorf("say: children %v", s.Node().Children)
	}
	if got := problemsOf(s.Validate()); !strings.Contains(got["/children"], "OnWaitAtLeast(1.5s)") {
		t.Errorf("say: problems %v", got)
	}

	tree := Say("Hi.").Then(g.Then(c)).Node()
	var pointers []string
	for _, w := range Lint(tree) {
		pointers = append(pointers, w.Pointer)
	}
	want := []string{"/children/_/children/x", "/children/_/children/_/children/sip:99"}
	if !slices.Equal(pointers, want) {
		t.Errorf("Lint: %v, want %v", Lint(tree), want)
	}
	doc := &Document{Flow: tree}
	if ws := doc.Lint(); len(ws) != 2 || !strings.HasPrefix(ws[0].Pointer, "/flow/") {
		t.Errorf("Lint of a document: %v", ws)
	}
	// "timeout" is read only with max_digits set.
	if ws := Lint(Gather("pin").OnTimeout(Bye())); len(ws) != 1 || !strings.Contains(ws[0].Message, "only when max_digits is set") {
		t.Errorf("Lint of a condition: %v", ws)
	}
}

// TestDurationSetters: a Duration setter stores the field's unit, and
// reports what it cannot store instead of rounding; the raw setter and a
// later valid value clear the problem.
func TestDurationSetters(t *testing.T) {
	g := Gather("pin").TimeoutDuration(5 * time.Second)
	if got := g.Node().Data.(*GatherData).GetTimeout(); got != 5000 {
		t.Errorf("5s stored as %d", got)
	}
	for _, d := range []time.Duration{1500 * time.Microsecond, -time.Second} {
		g := Gather("pin").TimeoutDuration(d)
		if problems := problemsOf(g.Validate()); problems["/data/timeout"] == "" || g.Node().Data.(*GatherData).Timeout != nil {
			t.Errorf("%v: problems %v", d, problems)
		}
		if err := g.Timeout(5).Validate(); err != nil {
			t.Errorf("%v then Timeout(5): %v", d, err)
		}
		if err := Gather("pin").TimeoutDuration(d).TimeoutDuration(time.Second).Validate(); err != nil {
			t.Errorf("%v then 1s: %v", d, err)
		}
	}
}
