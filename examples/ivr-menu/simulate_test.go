package main

import (
	"log/slog"
	"net/http"
	"testing"

	"github.com/kzgen/kzgen/examples/internal/exampletest"
	"github.com/kzgen/kzgen/internal/simulate"
)

// TestSimulate walks the menus under kzgen simulate; the transcripts are in
// testdata/simulate.golden (go test -update rewrites it), with the signed
// continuations shown as kzc=SIGNED.
func TestSimulate(t *testing.T) {
	srv := exampletest.Serve(t, func(publicURL string) (http.Handler, error) {
		cfg := testConfig
		cfg.PublicURL = publicURL
		return newHandler(cfg, slog.New(slog.DiscardHandler))
	})
	sales, support := testConfig.Departments[0], testConfig.Departments[1]
	exampletest.Simulate(t, srv, []exampletest.Scenario{{
		Name:   "English, sales, answered",
		Path:   "/ivr/start",
		Digits: []string{"1", "1"},
		Want:   simulate.OutcomeBridged,
		Says:   []string{`says "Connecting you to sales." (voice female, language en-US)`, "rings user " + sales, "answered, call bridged"},
	}, {
		Name:   "Spanish, support, busy",
		Path:   "/ivr/start",
		Digits: []string{"2", "2"},
		Bridge: "busy",
		Want:   simulate.OutcomeHangup,
		Says:   []string{`says "Le comunicamos con soporte."`, "rings user " + support, `says "No hay nadie disponible. Adiós."`},
	}, {
		Name:   "invalid language, then English support",
		Path:   "/ivr/start",
		Digits: []string{"7", "1", "2"},
		Want:   simulate.OutcomeBridged,
		Says:   []string{`says "Sorry, that is not a valid choice."`, `says "Connecting you to support."`, "rings user " + support},
	}, {
		Name:   "invalid department keeps the language",
		Path:   "/ivr/start",
		Digits: []string{"2", "9", "1"},
		Want:   simulate.OutcomeBridged,
		Says:   []string{`says "Lo siento, esa opción no es válida."`, `says "Le comunicamos con ventas."`, "rings user " + sales},
	}, {
		Name:   "three invalid languages hang up",
		Path:   "/ivr/start",
		Digits: []string{"7", "8", "9"},
		Want:   simulate.OutcomeHangup,
		Says:   []string{"hangup: hangs up"},
	}, {
		Name:   "silence at the department menu gives up after three tries",
		Path:   "/ivr/start",
		Digits: []string{"2"},
		Want:   simulate.OutcomeHangup,
		Says:   []string{`says "Lo siento, esa opción no es válida."`, "hangup: hangs up"},
	}})
}
