// Command presence sets a manual presence (BLF) state with the
// manual_presence module: idle, ringing or busy, for a presence ID "name" or
// "name@realm".
//
//	go run ./examples/presence -addr 127.0.0.1:8080 -public-url https://pivot.example.com
//
// The presence ID is the voice_url's "id" query parameter, else the
// -presence-id flag, else the caller's own From@From-Realm. The status is
// the voice_url's "status" query parameter (idle, ringing or busy) when
// present, so a callflow can set it in one request:
//
//	https://pivot.example.com/?id=reception@acme.example.com&status=busy
//
// Otherwise the caller chooses by digit (1 idle, 2 ringing, 3 busy), which a
// follow-up request to /set reads from Digits[status].
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/kzgen/kzgen/examples/internal/serve"
	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/pivot"
)

// presenceID is "name" or "name@realm".
var presenceID = regexp.MustCompile(`^[A-Za-z0-9_.+*-]{1,64}(@[A-Za-z0-9.-]{1,253})?$`)

// byDigit maps the caller's digit to a presence state.
var byDigit = map[string]callflow.ManualPresenceStatus{
	"1": callflow.ManualPresenceStatusIdle,
	"2": callflow.ManualPresenceStatusRinging,
	"3": callflow.ManualPresenceStatusBusy,
}

func main() {
	id := flag.String("presence-id", "", `presence ID ("name" or "name@realm") when the voice_url names none`)
	serve.Main("presence", func(log *slog.Logger) (http.Handler, error) {
		return newHandler(serve.PublicURL(), *id, log)
	})
}

func newHandler(publicURL, defaultID string, log *slog.Logger) (http.Handler, error) {
	if defaultID != "" && !presenceID.MatchString(defaultID) {
		return nil, fmt.Errorf("-presence-id %q: want name or name@realm", defaultID)
	}
	setURL := strings.TrimRight(publicURL, "/") + "/set"
	mux := http.NewServeMux()

	mux.Handle("/{$}", pivot.Handler(func(ctx context.Context, r *pivot.Request) (callflow.Builder, error) {
		id := pickID(r, defaultID)
		if id == "" {
			return callflow.TTS("Sorry, no presence ID is configured.").Then(callflow.Hangup()), nil
		}
		if s := callflow.ManualPresenceStatus(r.URLParam("status")); s.Valid() {
			return setPresence(id, s), nil
		}
		return callflow.TTS("Press 1 for idle, 2 for ringing, 3 for busy.").Then(
			callflow.CollectDTMF().CollectionName("status").MaxDigits(1).Then(
				callflow.Pivot(setURL + "?id=" + url.QueryEscape(id)).
					Method(callflow.PivotMethodPost).
					ReqFormat(callflow.PivotReqFormatKazoo))), nil
	}, pivot.WithLogger(log), serve.URLBlacklist(publicURL)))

	mux.Handle("/set", pivot.Handler(func(ctx context.Context, r *pivot.Request) (callflow.Builder, error) {
		id := r.URLParam("id")
		digit, _ := r.Digits.Collection("status")
		status, ok := byDigit[digit]
		if !presenceID.MatchString(id) || !ok {
			return callflow.TTS("Invalid choice. Goodbye.").Then(callflow.Hangup()), nil
		}
		return setPresence(id, status), nil
	}, pivot.WithLogger(log), serve.URLBlacklist(publicURL)))
	return mux, nil
}

func setPresence(id string, status callflow.ManualPresenceStatus) callflow.Builder {
	return callflow.ManualPresence(id).Status(status).Then(
		callflow.TTS("Presence set to " + string(status) + ".").Then(callflow.Hangup()))
}

// pickID returns the voice_url's id, the default, or the caller's own
// From@From-Realm, whichever is first valid.
func pickID(r *pivot.Request, defaultID string) string {
	own := r.From
	if r.FromRealm != "" {
		own += "@" + r.FromRealm
	}
	for _, id := range []string{r.URLParam("id"), defaultID, own} {
		if presenceID.MatchString(id) {
			return id
		}
	}
	return ""
}
