package main

import (
	"log/slog"
	"testing"

	"github.com/kzgen/kzgen/examples/internal/exampletest"
	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/pivot"
	"github.com/kzgen/kzgen/runtime/pivot/pivottest"
)

func TestCollectDTMF(t *testing.T) {
	h := newHandler("https://pivot.example.com/", slog.New(slog.DiscardHandler))
	for _, first := range []pivottest.Call{
		{VoiceURL: "https://pivot.example.com/", CallID: "c1", CallerIDNumber: "+15551234567"},
		{VoiceURL: "https://pivot.example.com/", CallID: "c1", Method: "post", Body: pivot.BodyJSON, Format: pivot.FormatTwiML},
	} {
		res, node := exampletest.Send(t, h, first)
		if got := exampletest.Path(node); len(got) != 4 || got[1] != "collect_dtmf" || got[2] != "pivot" {
			t.Fatalf("path %v", got)
		}
		for _, tc := range []struct{ digits, want string }{
			{"1234", "You entered 1, 2, 3, 4. Goodbye."},
			{"", "We did not get any digits. Goodbye."},
		} {
			next, err := first.Next(res, tc.digits)
			if err != nil {
				t.Fatal(err)
			}
			if next.VoiceURL != "https://pivot.example.com/pin" || next.Format != pivot.FormatKazoo || next.Method != "post" {
				t.Errorf("follow-up %s %s %v", next.Method, next.VoiceURL, next.Format)
			}
			if tc.digits != "" && next.Digits["pin"] != tc.digits {
				t.Errorf("follow-up digits %v", next.Digits)
			}
			_, node := exampletest.Send(t, h, next)
			if got := node.Data.(*callflow.TTSData).GetText(); got != tc.want {
				t.Errorf("said %q, want %q", got, tc.want)
			}
		}
	}
}
