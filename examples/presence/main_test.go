package main

import (
	"log/slog"
	"testing"

	"github.com/kzgen/kzgen/examples/internal/exampletest"
	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/pivot/pivottest"
)

const base = "https://pivot.example.com/"

func presenceOf(t *testing.T, node *callflow.Node) (id string, status callflow.ManualPresenceStatus) {
	t.Helper()
	d, ok := node.Data.(*callflow.ManualPresenceData)
	if !ok {
		t.Fatalf("root %s, want manual_presence", node.Module)
	}
	return d.GetPresenceID(), d.GetStatus()
}

func TestPresenceByQuery(t *testing.T) {
	h, err := newHandler(base, "", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		query, wantID string
		want          callflow.ManualPresenceStatus
	}{
		{"?id=reception&status=busy", "reception", callflow.ManualPresenceStatusBusy},
		{"?id=reception%40acme.example.com&status=ringing", "reception@acme.example.com", callflow.ManualPresenceStatusRinging},
		{"?status=idle", "1001@acme.example.com", callflow.ManualPresenceStatusIdle},
	} {
		for _, method := range []string{"get", "post"} {
			c := pivottest.Call{VoiceURL: base + tc.query, Method: method, CallID: "c1", From: "1001", FromRealm: "acme.example.com"}
			_, node := exampletest.Send(t, h, c)
			if id, status := presenceOf(t, node); id != tc.wantID || status != tc.want {
				t.Errorf("%s %s: presence %s=%s, want %s=%s", method, tc.query, id, status, tc.wantID, tc.want)
			}
		}
	}
}

func TestPresenceByDigit(t *testing.T) {
	h, err := newHandler(base, "desk", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	first := pivottest.Call{VoiceURL: base, CallID: "c1", From: "1001", FromRealm: "acme.example.com"}
	res, node := exampletest.Send(t, h, first)
	if got := exampletest.Path(node); len(got) != 3 || got[1] != "collect_dtmf" || got[2] != "pivot" {
		t.Fatalf("path %v", got)
	}
	for digit, want := range byDigit {
		next, err := first.Next(res, digit)
		if err != nil {
			t.Fatal(err)
		}
		_, node := exampletest.Send(t, h, next)
		if id, status := presenceOf(t, node); id != "desk" || status != want {
			t.Errorf("digit %s: presence %s=%s, want desk=%s", digit, id, status, want)
		}
	}
	next, _ := first.Next(res, "9")
	if _, node := exampletest.Send(t, h, next); node.Module != "tts" {
		t.Errorf("invalid digit: root %s, want tts", node.Module)
	}
}

func TestPresenceRejectsBadID(t *testing.T) {
	if _, err := newHandler(base, "two words", slog.New(slog.DiscardHandler)); err == nil {
		t.Error("bad -presence-id accepted")
	}
}
