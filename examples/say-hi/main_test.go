package main

import (
	"log/slog"
	"testing"

	"github.com/kzgen/kzgen/examples/internal/exampletest"
	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/pivot"
	"github.com/kzgen/kzgen/runtime/pivot/pivottest"
)

func TestSayHi(t *testing.T) {
	h := newHandler("male", slog.New(slog.DiscardHandler))
	for _, tc := range []struct {
		name, number, want string
	}{
		{"Alice", "+15551234567", "Hi Alice! Thanks for calling."},
		{"+15551234567", "+15551234567", "Hi! You are calling from plus 1 5 5 5 1 2 3 4 5 6 7."},
		{"", "1001", "Hi! You are calling from 1 0 0 1."},
		{"", "", "Hi there! Thanks for calling."},
		{"Bob\x07 \u200bSmith", "", "Hi Bob Smith! Thanks for calling."},
	} {
		t.Run(tc.want, func(t *testing.T) {
			for _, c := range []pivottest.Call{
				{CallID: "c1", CallerIDName: tc.name, CallerIDNumber: tc.number},
				{CallID: "c1", CallerIDName: tc.name, CallerIDNumber: tc.number, Method: "post", Format: pivot.FormatTwiML},
			} {
				_, node := exampletest.Send(t, h, c)
				tts := node.Data.(*callflow.TTSData)
				if tts.GetText() != tc.want || tts.GetVoice() != "male" {
					t.Errorf("said %q with voice %q, want %q", tts.GetText(), tts.GetVoice(), tc.want)
				}
				if got := exampletest.Path(node); len(got) != 2 || got[1] != "hangup" {
					t.Errorf("path %v", got)
				}
			}
		})
	}
}
