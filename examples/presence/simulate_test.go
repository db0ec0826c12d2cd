package main

import (
	"log/slog"
	"net/http"
	"testing"

	"github.com/kzgen/kzgen/examples/internal/exampletest"
	"github.com/kzgen/kzgen/internal/simulate"
)

// TestSimulate runs the server under kzgen simulate, choosing the state by
// digit and by query; the transcripts are in testdata/simulate.golden (go
// test -update rewrites it).
func TestSimulate(t *testing.T) {
	srv := exampletest.Serve(t, func(publicURL string) (http.Handler, error) {
		return newHandler(publicURL, "", slog.New(slog.DiscardHandler))
	})
	exampletest.Simulate(t, srv, []exampletest.Scenario{{
		Name:   "caller presses 3 for busy",
		Path:   "/",
		Digits: []string{"3"},
		Want:   simulate.OutcomeHangup,
		Says:   []string{"manual_presence: sets 1001@sip.example.com to busy", `says "Presence set to busy."`},
	}, {
		Name:   "caller presses an invalid digit",
		Path:   "/",
		Digits: []string{"9"},
		Want:   simulate.OutcomeHangup,
		Says:   []string{`says "Invalid choice. Goodbye."`},
	}, {
		Name: "id and status in the voice_url",
		Path: "/?id=reception&status=ringing",
		Want: simulate.OutcomeHangup,
		Says: []string{"manual_presence: sets reception to ringing", `says "Presence set to ringing."`},
	}})
}
