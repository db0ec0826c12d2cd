// Command collect-dtmf asks for a PIN, collects it with collect_dtmf into the
// collection "pin", and reads it back in a follow-up Pivot request.
//
//	go run ./examples/collect-dtmf -addr 127.0.0.1:8080 -public-url https://pivot.example.com
//
// Kazoo has no implicit follow-up for Kazoo JSON: the first answer is
// tts → collect_dtmf → pivot, and that pivot node makes a fresh request to
// /pin, carrying the digits as Digits[pin]. Its req_format "kazoo" and
// method are set explicitly, so /pin is read like the first request. This
// example wires the two steps by hand; see ivr-menu for pivot.Router, which
// also carries signed state between steps.
package main

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/kzgen/kzgen/examples/internal/serve"
	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/pivot"
)

func main() {
	serve.Main("collect-dtmf", func(log *slog.Logger) (http.Handler, error) {
		return newHandler(serve.PublicURL(), log), nil
	})
}

func newHandler(publicURL string, log *slog.Logger) http.Handler {
	pinURL := strings.TrimRight(publicURL, "/") + "/pin"
	mux := http.NewServeMux()

	// Step 1: prompt, collect, and pivot to /pin.
	mux.Handle("/{$}", pivot.Handler(func(ctx context.Context, r *pivot.Request) (callflow.Builder, error) {
		return callflow.TTS("Please enter your four digit PIN, then press pound.").Then(
			callflow.CollectDTMF().CollectionName("pin").MaxDigits(4).TimeoutDuration(5 * time.Second).Then(
				callflow.Pivot(pinURL).
					Method(callflow.PivotMethodPost).
					ReqBodyFormat(callflow.PivotReqBodyFormatForm).
					ReqFormat(callflow.PivotReqFormatKazoo).
					Then(callflow.TTS("Sorry, something went wrong. Goodbye.")))), nil
	}, pivot.WithLogger(log), serve.URLBlacklist(publicURL)))

	// Step 2: read Digits[pin].
	mux.Handle("/pin", pivot.Handler(func(ctx context.Context, r *pivot.Request) (callflow.Builder, error) {
		pin, ok := r.Digits.Collection("pin")
		if !ok || pin == "" {
			return callflow.TTS("We did not get any digits. Goodbye.").Then(callflow.Hangup()), nil
		}
		return callflow.TTS("You entered " + spell(pin) + ". Goodbye.").Then(callflow.Hangup()), nil
	}, pivot.WithLogger(log), serve.URLBlacklist(publicURL)))
	return mux
}

// spell reads digits one by one: "1234" gives "1, 2, 3, 4".
func spell(digits string) string {
	var out []string
	for _, c := range digits {
		if '0' <= c && c <= '9' || c == '*' || c == '#' {
			out = append(out, string(c))
		}
	}
	return strings.Join(out, ", ")
}
