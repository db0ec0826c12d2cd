package main

import (
	"net/http"
	"testing"

	"github.com/kzgen/kzgen/examples/internal/exampletest"
	"github.com/kzgen/kzgen/internal/simulate"
)

// TestSimulate runs the server under kzgen simulate; the transcript is in
// testdata/simulate.golden (go test -update rewrites it).
func TestSimulate(t *testing.T) {
	srv := exampletest.Serve(t, func(string) (http.Handler, error) { return newHandler(discard), nil })
	exampletest.Simulate(t, srv, []exampletest.Scenario{{
		Name: "a call",
		Path: "/",
		Want: simulate.OutcomeHangup,
		Says: []string{`tts: says "Hello! Your pivot server answered this call. Goodbye."`},
	}})
}
