package rooms

// This file is copied next to the package generated from
// testdata/golden/documents/schemas and run by TestGoldenCompilesAndBehaves,
// with the "callflow" case's package built beside it as example.com/gen/flows:
// the document package has no tree types of its own, and every callflow
// node in it is a *kzrt.Node typed through the flows package's modules.

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"example.com/gen/flows"

	"github.com/kzgen/kzgen/runtime/kzrt"
)

// The types the rooms package declares as the flows package does are the
// flows package's: assignable both ways, without conversion.
var (
	_ flows.Lobby             = Lobby{}
	_ Lobby                   = flows.Lobby{}
	_ *flows.LobbySign        = new(LobbySign)
	_ flows.LobbyMusic        = LobbyMusicJazz
	_ flows.CallflowsRingback = CallflowsRingback{}
)

// Every tree is kzrt's, built with the flows package's builders.
var _ *kzrt.Node = (&Rooms{Flow: flows.Say("Hi.").Node()}).Flow

const roomJSON = `{"by_hour":{"9":{"module":"say","data":{"text":"Good morning."}}},` +
	`"fallbacks":[{"module":"gather","data":{"collection":"pin"},"children":{"_":{"module":"bye","data":{}}}}],` +
	`"flow":{"module":"say","data":{"text":"Welcome.","voice":"male"},"children":{"_":{"module":"bye","data":{"cause":"normal"}}}},` +
	`"greeting":{"module":"say","data":{"text":"Hello."}},` +
	`"name":"Blue room","x_floor":3}`

func problemsOf(err error) map[string]string {
	out := map[string]string{}
	for _, e := range kzrt.AsErrors(err) {
		out[e.Pointer] = e.Message
	}
	return out
}

func TestNodesAreTypedByTheirPackage(t *testing.T) {
	if modules != flows.Modules() {
		t.Fatal("the package does not decode through flows.Modules()")
	}
	var room Rooms
	if err := json.Unmarshal([]byte(roomJSON), &room); err != nil {
		t.Fatal(err)
	}
	if say, ok := room.Flow.Data.(*flows.SayData); !ok || say.GetText() != "Welcome." || say.GetVoice() != flows.SayVoiceMale {
		t.Fatalf("flow data: %#v", room.Flow.Data)
	}
	if bye, ok := room.Flow.Next("_").Data.(*flows.ByeData); !ok || bye.Cause == nil {
		t.Fatalf("flow child: %#v", room.Flow.Next("_").Data)
	}
	if _, ok := room.ByHour["9"].Data.(*flows.SayData); !ok {
		t.Errorf("by_hour: %#v", room.ByHour["9"].Data)
	}
	if _, ok := room.Fallbacks[0].Data.(*flows.GatherData); !ok {
		t.Errorf("fallbacks: %#v", room.Fallbacks[0].Data)
	}
	if room.Greeting == nil || room.Greeting.Action == nil || room.Greeting.Action.Module != "say" {
		t.Errorf("greeting: %+v", room.Greeting)
	}
	if err := room.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	out, err := json.Marshal(&room)
	if err != nil || string(out) != roomJSON {
		t.Fatalf("round trip: %v\n got %s\nwant %s", err, out, roomJSON)
	}
}

func TestValidateReachesIntoTrees(t *testing.T) {
	room := Rooms{
		Name:      new(""),
		Flow:      flows.Say("").Then(flows.Gather("PIN")).Node(),
		Fallbacks: []kzrt.Node{*flows.Bye().Node()},
		Greeting:  &RoomsGreeting{String: new("")},
	}
	want := map[string]string{
		"/name":                            "length 0, minimum 1",
		"/flow/data/text":                  "length 0, minimum 1",
		"/flow/children/_/data/collection": `"PIN" does not match pattern "^[a-z_]+$"`,
		// A union's problem is one, at the union, quoting its
		// alternatives' (Kazoo reports the oneOf).
		"/greeting": "length 0, minimum 1",
	}
	got := problemsOf(room.Validate())
	if len(got) != len(want) {
		t.Errorf("got %d problems: %v", len(got), got)
	}
	for p, msg := range want {
		if got[p] != msg && !(p == "/greeting" && strings.Contains(got[p], msg)) {
			t.Errorf("%s: got %q, want %q", p, got[p], msg)
		}
	}
}

func TestWhatTheModulesDoNotKnow(t *testing.T) {
	var room Rooms
	in := `{"name":"Red","flow":{"module":"hold","data":{"music":"jazz"}},"greeting":{"module":"say","data":{"text":7}}}`
	if err := json.Unmarshal([]byte(in), &room); err != nil {
		t.Fatal(err)
	}
	if raw, ok := room.Flow.Data.(*kzrt.RawData); !ok || !raw.Unknown {
		t.Fatalf("unknown module: %#v", room.Flow.Data)
	}
	got := problemsOf(room.Validate())
	if got["/flow/module"] != `unable to find callflow schema for module "hold"` || !strings.Contains(got["/greeting"], "/data/text: got number 7, want string") || len(got) != 2 {
		t.Errorf("Validate: %v", got)
	}
	out, _ := json.Marshal(&room)
	var a, b any
	json.Unmarshal([]byte(in), &a)
	json.Unmarshal(out, &b)
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Errorf("round trip lost something:\n in %s\nout %s", in, out)
	}

	for in, pointer := range map[string]string{
		`{"name":"x","flow":7}`: "/flow",
		`{"name":"x","flow":{"module":"say","data":{},"children":[]}}`: "/flow/children",
		`{"name":"x","fallbacks":[{"module":"bye","data":{}},null]}`:   "/fallbacks/1",
	} {
		var de *kzrt.DecodeError
		if err := json.Unmarshal([]byte(in), &room); !errors.As(err, &de) || de.Pointer != pointer {
			t.Errorf("%s: %v, want a decode error at %s", in, err, pointer)
		}
	}
}

func TestSharedTypesAreTheOtherPackages(t *testing.T) {
	if reflect.TypeFor[Lobby]() != reflect.TypeFor[flows.Lobby]() {
		t.Error("Lobby is not flows.Lobby")
	}
	// Desk is written differently by the two sets: two types, each
	// checking its own schema.
	if reflect.TypeFor[Desk]() == reflect.TypeFor[flows.Desk]() {
		t.Error("Desk is flows.Desk, though their schemas differ")
	}
	label := strings.Repeat("x", 30)
	if err := (&Desk{Label: &label}).Validate(); problemsOf(err)["/label"] == "" {
		t.Errorf("a 30-character label passes rooms.Desk (maxLength 20): %v", err)
	}
	if err := (&flows.Desk{Label: &label}).Validate(); err != nil {
		t.Errorf("a 30-character label fails flows.Desk (maxLength 40): %v", err)
	}
	// The stored callflow's root is named Document there: Callflows is
	// this package's own, holding the shared ringback.
	if reflect.TypeFor[Callflows]() == reflect.TypeFor[flows.Document]() {
		t.Error("Callflows is flows.Document")
	}

	var room Rooms
	if err := json.Unmarshal([]byte(`{"name":"Blue room","lobby":{"music":"jazz","seats":0,"sign":{"text":""}}}`), &room); err != nil {
		t.Fatal(err)
	}
	var lobby *flows.Lobby = room.Lobby
	if lobby.GetMusic() != flows.LobbyMusicJazz || DefaultLobbyMusic != flows.DefaultLobbyMusic {
		t.Errorf("music %q, default %q", lobby.GetMusic(), DefaultLobbyMusic)
	}
	problems := problemsOf(room.Validate())
	if len(problems) != 2 || problems["/lobby/seats"] == "" || problems["/lobby/sign/text"] == "" {
		t.Errorf("the shared lobby is not checked at its place in the room: %v", problems)
	}
	out, err := json.Marshal(&room)
	if err != nil || string(out) != `{"lobby":{"music":"jazz","seats":0,"sign":{"text":""}},"name":"Blue room"}` {
		t.Errorf("encoded %s, %v", out, err)
	}
}
