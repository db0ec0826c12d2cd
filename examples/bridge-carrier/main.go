// Command bridge-carrier sends every call out through carriers to one fixed
// number, with the resources module, and apologises when that fails.
//
//	go run ./examples/bridge-carrier -addr 127.0.0.1:8080 -number +15555550100 -carriers local
//
// -carriers local uses the account's own carriers (use_local_resources
// true, Kazoo's default); -carriers global uses the system-wide ones. The
// number goes in to_did, which replaces the number the caller dialled.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"

	"github.com/kzgen/kzgen/examples/internal/serve"
	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/pivot"
)

var e164ish = regexp.MustCompile(`^\+?[0-9]{3,20}$`)

func main() {
	number := flag.String("number", "+15555550100", "number to dial")
	carriers := flag.String("carriers", "local", "local (the account's carriers) or global (system-wide carriers)")
	timeout := flag.Int64("timeout", 30, "seconds to let the outbound leg ring")
	serve.Main("bridge-carrier", func(log *slog.Logger) (http.Handler, error) {
		return newHandler(*number, *carriers, *timeout, log)
	})
}

func newHandler(number, carriers string, timeout int64, log *slog.Logger) (http.Handler, error) {
	if !e164ish.MatchString(number) {
		return nil, fmt.Errorf("-number %q: want digits, optionally after a +", number)
	}
	var local bool
	switch carriers {
	case "local":
		local = true
	case "global":
		local = false
	default:
		return nil, fmt.Errorf("-carriers %q: want local or global", carriers)
	}
	return pivot.Handler(func(ctx context.Context, r *pivot.Request) (callflow.Builder, error) {
		// When the carrier call fails, Kazoo's resources module continues
		// only with a child named after the cause (OnCause: "USER_BUSY",
		// "NO_ANSWER") or the SIP code (OnSIPCode: "sip:486"); it never
		// takes "_", and any other failure ends the call.
		sorry := callflow.TTS("Sorry, the call could not be connected.").Then(callflow.Hangup())
		return callflow.Resources().
			ToDID(number).
			UseLocalResources(local).
			Timeout(timeout).
			OnCause(callflow.Busy, sorry).
			OnCause(callflow.NoAnswer, sorry), nil
	}, pivot.WithLogger(log)), nil
}
