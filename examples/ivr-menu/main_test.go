package main

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/examples/internal/exampletest"
	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/pivot"
	"github.com/kzgen/kzgen/runtime/pivot/pivottest"
)

var testConfig = config{
	PublicURL:   "https://ivr.example.com/",
	Keys:        []pivot.Key{{ID: "1", Secret: []byte("0123456789abcdef0123456789abcdef")}},
	Departments: [2]string{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"},
}

func newTestHandler(t *testing.T) http.Handler {
	t.Helper()
	h, err := newHandler(testConfig, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

var caller = pivottest.Call{
	VoiceURL: "https://ivr.example.com/ivr/start",
	CallID:   "call-1", From: "1001", FromRealm: "acme.example.com",
	CallerIDNumber: "+15551234567", Method: "post", Format: pivot.FormatKazoo,
}

// press sends c to the handlers in turn (replica i answers step i, modulo),
// following each answer with the next digits, and returns every callflow.
func press(t *testing.T, hs []http.Handler, c pivottest.Call, digits ...string) []*callflow.Node {
	t.Helper()
	res, node := exampletest.Send(t, hs[0], c)
	nodes := []*callflow.Node{node}
	for i, d := range digits {
		next, err := c.Next(res, d)
		if err != nil {
			t.Fatalf("after %v: %v", digits[:i], err)
		}
		c = next
		res, node = exampletest.Send(t, hs[(i+1)%len(hs)], c)
		nodes = append(nodes, node)
	}
	return nodes
}

func texts(n *callflow.Node) []string {
	var out []string
	for ; n != nil; n = n.Children[callflow.DefaultChild] {
		if d, ok := n.Data.(*callflow.TTSData); ok {
			out = append(out, d.GetText()+" ["+d.GetLanguage()+"]")
		}
	}
	return out
}

func TestIVRMenu(t *testing.T) {
	h := newTestHandler(t)
	for _, tc := range []struct {
		name   string
		digits []string
		said   string // first tts of the last answer
		user   string // user rung by the last answer, if any
	}{
		{"English sales", []string{"1", "1"}, "Connecting you to sales. [en-US]", testConfig.Departments[0]},
		{"Spanish support", []string{"2", "2"}, "Le comunicamos con soporte. [es-ES]", testConfig.Departments[1]},
		{"invalid language, then English support", []string{"7", "", "1", "2"}, "Connecting you to support. [en-US]", testConfig.Departments[1]},
		{"invalid department keeps the language", []string{"2", "9", "1"}, "Le comunicamos con ventas. [es-ES]", testConfig.Departments[0]},
		{"no digit for the department", []string{"2", ""}, "Lo siento, esa opción no es válida. [es-ES]", ""},
		{"three invalid languages hang up", []string{"7", "", "8", "", "9"}, "Sorry, that is not a valid choice. [en-US]", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			nodes := press(t, []http.Handler{h}, caller, tc.digits...)
			last := nodes[len(nodes)-1]
			if got := texts(last); len(got) == 0 || got[0] != tc.said {
				t.Errorf("said %q, want %q first", got, tc.said)
			}
			path := exampletest.Path(last)
			switch {
			case tc.user != "":
				u, ok := last.Children["_"].Data.(*callflow.UserData)
				if !ok || u.GetID() != tc.user {
					t.Errorf("path %v, want user %s rung", path, tc.user)
				}
			case strings.HasPrefix(tc.name, "three"):
				if path[len(path)-1] != "hangup" {
					t.Errorf("path %v, want a hangup", path)
				}
			}
		})
	}
}

// TestIVRMenuReplicas serves each step from another replica sharing the key.
func TestIVRMenuReplicas(t *testing.T) {
	hs := []http.Handler{newTestHandler(t), newTestHandler(t), newTestHandler(t)}
	nodes := press(t, hs, caller, "2", "1")
	if got := texts(nodes[2]); got[0] != "Le comunicamos con ventas. [es-ES]" {
		t.Errorf("said %q", got)
	}
}

// TestIVRMenuRefusesForeignContinuation replays a follow-up for another call.
func TestIVRMenuRefusesForeignContinuation(t *testing.T) {
	h := newTestHandler(t)
	res, _ := exampletest.Send(t, h, caller)
	next, err := caller.Next(res, "2")
	if err != nil {
		t.Fatal(err)
	}
	next.CallID = "call-2"
	_, node := exampletest.Send(t, h, next)
	if got := texts(node); len(got) == 0 || !strings.HasPrefix(got[0], pivot.DefaultApology) {
		t.Errorf("said %q, want the fallback", got)
	}
}

func TestParseKeys(t *testing.T) {
	secret1, secret2 := strings.Repeat("a", 64), strings.Repeat("b", 32)
	keys, err := parseKeys(" k2:" + secret2 + " , k1:" + secret1 + ":with-colon")
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 || keys[0].ID != "k2" || string(keys[0].Secret) != secret2 ||
		keys[1].ID != "k1" || string(keys[1].Secret) != secret1+":with-colon" {
		t.Errorf("keys %+v", keys)
	}
	if keys, err := parseKeys(""); keys != nil || err != nil {
		t.Errorf(`parseKeys("") = %v, %v`, keys, err)
	}
	for _, bad := range []string{secret1, "k1:" + secret1 + ",", "k1:", ":" + secret1} {
		_, err := parseKeys(bad)
		if err == nil {
			t.Errorf("parseKeys(%q): no error", bad)
		} else if strings.Contains(err.Error(), "aaaa") {
			t.Errorf("parseKeys(%q): the error shows the secret: %v", bad, err)
		}
	}
}

// TestIVRMenuKeyRotation rotates the signing key while a call is in
// progress: the call starts on a replica that knows only the old key,
// continues on replicas that sign with the new key and still verify the
// old one, and a replica that dropped the old key too early refuses the
// old continuation.
func TestIVRMenuKeyRotation(t *testing.T) {
	replica := func(pivotKeys string) http.Handler {
		t.Helper()
		keys, err := parseKeys(pivotKeys)
		if err != nil {
			t.Fatal(err)
		}
		cfg := testConfig
		cfg.Keys = keys
		h, err := newHandler(cfg, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	oldKey, newKey := "old:"+strings.Repeat("o", 32), "new:"+strings.Repeat("n", 32)
	before, during, after := replica(oldKey), replica(newKey+","+oldKey), replica(newKey)

	// The call's first answer is signed with the old key; the rotated
	// replica verifies it and signs the next with the new key, which the
	// replica without the old key verifies.
	nodes := press(t, []http.Handler{before, during, after}, caller, "2", "1")
	if got := texts(nodes[2]); got[0] != "Le comunicamos con ventas. [es-ES]" {
		t.Errorf("said %q", got)
	}

	// The old key dropped too early: its continuations are refused.
	nodes = press(t, []http.Handler{before, after}, caller, "2")
	if got := texts(nodes[1]); len(got) == 0 || !strings.HasPrefix(got[0], pivot.DefaultApology) {
		t.Errorf("said %q, want the fallback", got)
	}
}
