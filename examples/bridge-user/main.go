// Command bridge-user rings a Kazoo user's devices with the user module, and
// apologises when nobody answers.
//
//	go run ./examples/bridge-user -addr 127.0.0.1:8080 -user-id 0123456789abcdef0123456789abcdef
//
// The user rung is, in order: the voice_url's "user_id" query parameter
// (one server for many callflows: https://pivot.example.com/?user_id=…), the
// -user-id flag, then the request's User-ID, the owner of the calling device
// (so a user calling in rings their own other devices).
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

// kazooID is the shape of Kazoo document IDs.
var kazooID = regexp.MustCompile(`^[0-9a-f]{32}$`)

func main() {
	userID := flag.String("user-id", "", "Kazoo user ID to ring when the voice_url names none")
	timeout := flag.Int64("timeout", 20, "seconds to ring")
	serve.Main("bridge-user", func(log *slog.Logger) (http.Handler, error) {
		return newHandler(*userID, *timeout, log)
	})
}

func newHandler(defaultUser string, timeout int64, log *slog.Logger) (http.Handler, error) {
	if defaultUser != "" && !kazooID.MatchString(defaultUser) {
		return nil, fmt.Errorf("-user-id %q: want 32 lower-case hex digits", defaultUser)
	}
	return pivot.Handler(func(ctx context.Context, r *pivot.Request) (callflow.Builder, error) {
		user := pickUser(r, defaultUser)
		if user == "" {
			log.WarnContext(ctx, "no user to ring", "call_id", r.CallID)
			return callflow.TTS("Sorry, there is nobody to connect you to.").Then(callflow.Hangup()), nil
		}
		return callflow.User().ID(user).Timeout(timeout).Then(
			callflow.TTS("Nobody answered. Please try again later.").Then(callflow.Hangup())), nil
	}, pivot.WithLogger(log)), nil
}

// pickUser returns the first valid user ID among the voice_url's user_id,
// the configured default and the request's owner IDs.
func pickUser(r *pivot.Request, defaultUser string) string {
	candidates := append([]string{r.URLParam("user_id"), defaultUser}, r.UserIDs...)
	for _, id := range candidates {
		if kazooID.MatchString(id) {
			return id
		}
	}
	return ""
}
