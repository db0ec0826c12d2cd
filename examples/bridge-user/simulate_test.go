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
		return newHandler("", 20, slog.New(slog.DiscardHandler))
	})
	const apology = `tts: says "Nobody answered. Please try again later."`
	exampletest.Simulate(t, srv, []exampletest.Scenario{{
		Name: "user from the voice_url answers",
		Path: "/?user_id=" + inURL,
		Want: simulate.OutcomeBridged,
		Says: []string{"user: rings user " + inURL + " (20 s, simultaneous): answered, call bridged"},
	}, {
		Name: "user from the voice_url is busy",
		Path: "/?user_id=" + inURL, Bridge: "busy",
		Want: simulate.OutcomeHangup,
		Says: []string{"user: rings user " + inURL, "fails (USER_BUSY, sip:486)", apology},
	}, {
		Name: "caller's owner does not answer",
		Path: "/", UserIDs: []string{owner}, Bridge: "no-answer",
		Want: simulate.OutcomeHangup,
		Says: []string{"user: rings user " + owner, "fails (NO_ANSWER, sip:480)", apology},
	}, {
		Name: "nobody to ring",
		Path: "/",
		Want: simulate.OutcomeHangup,
		Says: []string{`tts: says "Sorry, there is nobody to connect you to."`},
	}})
}
