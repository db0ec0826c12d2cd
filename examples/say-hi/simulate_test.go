package main

import (
	"log/slog"
	"net/http"
	"testing"

	"github.com/kzgen/kzgen/examples/internal/exampletest"
	"github.com/kzgen/kzgen/internal/simulate"
	"github.com/kzgen/kzgen/runtime/pivot"
)

// TestSimulate runs the server under kzgen simulate; the transcripts are
// in testdata/simulate.golden (go test -update rewrites it).
func TestSimulate(t *testing.T) {
	srv := exampletest.Serve(t, func(string) (http.Handler, error) {
		return newHandler("female", slog.New(slog.DiscardHandler)), nil
	})
	exampletest.Simulate(t, srv, []exampletest.Scenario{{
		Name:       "caller with a name",
		Path:       "/",
		CallerName: "Alice",
		Want:       simulate.OutcomeHangup,
		Says:       []string{`tts: says "Hi Alice! Thanks for calling."`},
	}, {
		Name: "caller ID without a name, POST with twiml names",
		Path: "/", Method: "post", Format: pivot.FormatTwiML,
		Want: simulate.OutcomeHangup,
		Says: []string{`tts: says "Hi! You are calling from 1 0 0 1."`},
	}})
}
