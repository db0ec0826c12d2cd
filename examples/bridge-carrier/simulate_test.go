package main

import (
	"log/slog"
	"net/http"
	"testing"

	"github.com/kzgen/kzgen/examples/internal/exampletest"
	"github.com/kzgen/kzgen/internal/simulate"
)

// TestSimulate runs the server under kzgen simulate, with each bridge
// outcome; the transcripts are in testdata/simulate.golden (go test
// -update rewrites it).
func TestSimulate(t *testing.T) {
	srv := exampletest.Serve(t, func(string) (http.Handler, error) {
		return newHandler("+15555550100", "local", 30, slog.New(slog.DiscardHandler))
	})
	const dial = "resources: dials +15555550100 via the account's local carriers"
	// cf_resources ends the call when no child is named after the failure's
	// cause or SIP code: the "_" child (the apology) is not played.
	exampletest.Simulate(t, srv, []exampletest.Scenario{
		{Name: "answered", Path: "/", Want: simulate.OutcomeBridged, Says: []string{dial + ": answered, call bridged"}},
		{Name: "busy", Path: "/", Bridge: "busy", Want: simulate.OutcomeHangup, Says: []string{dial + ": fails (USER_BUSY, sip:486)", "Sorry, the call could not be connected."}},
		{Name: "no answer", Path: "/", Bridge: "no-answer", Want: simulate.OutcomeHangup, Says: []string{dial + ": fails (NO_ANSWER, sip:480)", "Sorry, the call could not be connected."}},
	})
}
