package main

import (
	"log/slog"
	"net/http"
	"testing"

	"github.com/kzgen/kzgen/examples/internal/exampletest"
	"github.com/kzgen/kzgen/internal/simulate"
)

// TestSimulate runs the server under kzgen simulate with several PIN
// entries; the transcripts are in testdata/simulate.golden (go test
// -update rewrites it).
func TestSimulate(t *testing.T) {
	srv := exampletest.Serve(t, func(publicURL string) (http.Handler, error) {
		return newHandler(publicURL, slog.New(slog.DiscardHandler)), nil
	})
	exampletest.Simulate(t, srv, []exampletest.Scenario{{
		Name:   "four-digit PIN then pound",
		Path:   "/",
		Digits: []string{"1234#"},
		Want:   simulate.OutcomeHangup,
		Says:   []string{`collects "1234" into "pin"`, "&Digits[pin]=1234&", `says "You entered 1, 2, 3, 4. Goodbye."`},
	}, {
		Name:   "short PIN ended by pound",
		Path:   "/",
		Digits: []string{"42#"},
		Want:   simulate.OutcomeHangup,
		Says:   []string{`collects "42" into "pin"`, `says "You entered 4, 2. Goodbye."`},
	}, {
		Name:   "too many digits: max_digits cuts the entry",
		Path:   "/",
		Digits: []string{"123456"},
		Want:   simulate.OutcomeHangup,
		Says:   []string{`collects "1234" into "pin"`, `keys "56" after the entry are ignored`, `says "You entered 1, 2, 3, 4. Goodbye."`},
	}, {
		Name:   "no PIN: the prompt times out",
		Path:   "/",
		Digits: []string{},
		Want:   simulate.OutcomeHangup,
		Says:   []string{`collects nothing into "pin"`, `says "We did not get any digits. Goodbye."`},
	}})
}
