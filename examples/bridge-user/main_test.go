package main

import (
	"log/slog"
	"testing"

	"github.com/kzgen/kzgen/examples/internal/exampletest"
	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/pivot/pivottest"
)

const (
	owner      = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	configured = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	inURL      = "cccccccccccccccccccccccccccccccc"
)

func TestBridgeUser(t *testing.T) {
	discard := slog.New(slog.DiscardHandler)
	withDefault, err := newHandler(configured, 25, discard)
	if err != nil {
		t.Fatal(err)
	}
	noDefault, err := newHandler("", 20, discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		handler bool // true: withDefault
		call    pivottest.Call
		want    string // user rung; "" for the apology
	}{
		{"voice_url user_id, GET", true, pivottest.Call{VoiceURL: "https://p.example.com/?user_id=" + inURL, CallID: "c", UserIDs: []string{owner}}, inURL},
		{"voice_url user_id, POST", true, pivottest.Call{VoiceURL: "https://p.example.com/?user_id=" + inURL, Method: "post", CallID: "c"}, inURL},
		{"configured", true, pivottest.Call{CallID: "c", UserIDs: []string{owner}}, configured},
		{"invalid user_id skipped", true, pivottest.Call{VoiceURL: "https://p.example.com/?user_id=nope", CallID: "c"}, configured},
		{"caller's owner", false, pivottest.Call{CallID: "c", UserIDs: []string{owner, configured}}, owner},
		{"nobody", false, pivottest.Call{CallID: "c"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := noDefault
			if tc.handler {
				h = withDefault
			}
			_, node := exampletest.Send(t, h, tc.call)
			if tc.want == "" {
				if node.Module != "tts" {
					t.Errorf("root %s, want the apology", node.Module)
				}
				return
			}
			user, ok := node.Data.(*callflow.UserData)
			if !ok || user.GetID() != tc.want {
				t.Fatalf("root %s, want user %s", node.Module, tc.want)
			}
			if got := exampletest.Path(node); len(got) != 3 || got[1] != "tts" || got[2] != "hangup" {
				t.Errorf("path %v", got)
			}
		})
	}
}

func TestBridgeUserRejectsBadID(t *testing.T) {
	if _, err := newHandler("not-an-id", 20, slog.New(slog.DiscardHandler)); err == nil {
		t.Error("bad -user-id accepted")
	}
}
