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
		return newHandler("https://media.example.com/welcome.mp3", slog.New(slog.DiscardHandler))
	})
	says := []string{"play: plays https://media.example.com/welcome.mp3", "hangup: hangs up"}
	exampletest.Simulate(t, srv, []exampletest.Scenario{
		{Name: "GET", Path: "/", Want: simulate.OutcomeHangup, Says: says},
		{Name: "POST with a JSON body", Path: "/", Method: "post", Body: pivot.BodyJSON, Want: simulate.OutcomeHangup, Says: says},
	})
}
