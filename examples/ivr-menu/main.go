// Command ivr-menu is a two-level IVR built with pivot.Router: the caller
// picks a language, then a department, and is connected to that
// department's user. The language chosen first travels to the later steps
// as signed state in the follow-up voice_url, so any replica sharing the
// secret can serve any step of a call, with no shared store.
//
//	PIVOT_KEYS=k2:$(openssl rand -hex 32) go run ./examples/ivr-menu -addr 127.0.0.1:8080 -public-url https://ivr.example.com
//
// Point the static callflow's pivot node at PUBLIC-URL/ivr/start (logged at
// start-up).
//
// PIVOT_KEYS holds the keys continuations are signed with, shared by every
// replica: comma-separated ID:SECRET pairs, e.g. "k2:SECRET2,k1:SECRET1".
// An ID is 1 to 16 letters, digits, "-" or "_"; a secret is at least 32
// bytes, taken as written (so 64 hex digits are 64 bytes), and holds no
// comma. The first key signs; every key verifies. To rotate without
// breaking calls in progress: put the new key first and keep the old one
// after it, deploy to every replica, then drop the old key once the
// continuation TTL (pivot.DefaultTTL) has passed. With no PIVOT_KEYS a
// random key is used, which only suits a single replica that never
// restarts mid-call.
package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/kzgen/kzgen/examples/internal/serve"
	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/pivot"
)

// config is what newHandler needs.
type config struct {
	PublicURL   string      // where Kazoo reaches this server
	Keys        []pivot.Key // the first signs continuations, all verify
	Departments [2]string   // user IDs rung for departments 1 and 2
}

// lang holds a language's tts code, prompts and department names, by the
// digit that chooses it.
type lang struct {
	code, menu, connecting, nobody, invalid string
	depts                                   [2]string
}

var langs = map[string]lang{
	"1": {"en-US", "For sales, press 1. For support, press 2.", "Connecting you to %s.",
		"Nobody is available. Goodbye.", "Sorry, that is not a valid choice.", [2]string{"sales", "support"}},
	"2": {"es-ES", "Para ventas, oprima 1. Para soporte, oprima 2.", "Le comunicamos con %s.",
		"No hay nadie disponible. Adiós.", "Lo siento, esa opción no es válida.", [2]string{"ventas", "soporte"}},
}

func main() {
	sales := flag.String("sales-user", "00000000000000000000000000000001", "Kazoo user ID rung for sales")
	support := flag.String("support-user", "00000000000000000000000000000002", "Kazoo user ID rung for support")
	serve.Main("ivr-menu", func(log *slog.Logger) (http.Handler, error) {
		keys, err := parseKeys(os.Getenv("PIVOT_KEYS"))
		if err != nil {
			return nil, fmt.Errorf("PIVOT_KEYS: %w", err)
		}
		if len(keys) == 0 {
			log.Warn("PIVOT_KEYS is not set: using a random key; other replicas and restarts cannot verify this one's continuations")
			keys = []pivot.Key{{ID: "1", Secret: []byte(rand.Text() + rand.Text())}}
		}
		cfg := config{PublicURL: serve.PublicURL(), Keys: keys, Departments: [2]string{*sales, *support}}
		h, err := newHandler(cfg, log)
		if err == nil {
			log.Info("entry voice_url", "url", strings.TrimRight(cfg.PublicURL, "/")+"/ivr/start",
				"signing_key", keys[0].ID, "keys", len(keys))
		}
		return h, err
	})
}

// parseKeys reads PIVOT_KEYS: comma-separated ID:SECRET pairs, the first
// one signing; "" gives no key. Errors name the key by position and ID,
// never show a secret, and leave the checks of IDs and secret lengths to
// pivot.NewRouter.
func parseKeys(s string) ([]pivot.Key, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var keys []pivot.Key
	for i, entry := range strings.Split(s, ",") {
		id, secret, ok := strings.Cut(strings.TrimSpace(entry), ":")
		switch {
		case !ok: // perhaps a bare secret: show none of it
			return nil, fmt.Errorf("key %d: want ID:SECRET, found no ':'", i+1)
		case id == "" || secret == "":
			return nil, fmt.Errorf("key %d (ID %q): want ID:SECRET, both non-empty", i+1, id)
		}
		keys = append(keys, pivot.Key{ID: id, Secret: []byte(secret)})
	}
	return keys, nil
}

func newHandler(cfg config, log *slog.Logger) (http.Handler, error) {
	rt, err := pivot.NewRouter(strings.TrimRight(cfg.PublicURL, "/")+"/ivr", cfg.Keys, pivot.WithLogger(log), serve.URLBlacklist(cfg.PublicURL))
	if err != nil {
		return nil, err
	}

	// start: choose a language. Gather collects one digit into "lang" and
	// pivots to the "language" step.
	rt.Entry("start", func(ctx context.Context, s *pivot.Step) (callflow.Builder, error) {
		return callflow.TTS("Welcome. For English, press 1.").Language("en-US").Then(
			callflow.TTS("Para español, oprima 2.").Language("es-ES").Then(
				s.Gather("lang", "language", s.State).MaxDigits(1).TimeoutDuration(5 * time.Second))), nil
	})

	// language: remember the choice in the state and ask for a department.
	rt.Step("language", func(ctx context.Context, s *pivot.Step) (callflow.Builder, error) {
		choice, _ := s.Digits.Collection("lang")
		l, ok := langs[choice]
		if !ok {
			return retry(s, "start", langs["1"].invalid, "en-US")
		}
		return deptMenu(s, choice, l), nil
	})

	// department: the language comes from the signed state.
	rt.Step("department", func(ctx context.Context, s *pivot.Step) (callflow.Builder, error) {
		choice := s.State["lang"]
		l, ok := langs[choice]
		if !ok {
			return nil, fmt.Errorf("state has no valid language: %q", choice)
		}
		d, _ := s.Digits.Collection("dept")
		i, err := strconv.Atoi(d)
		if err != nil || i < 1 || i > 2 {
			// Ask again, at most twice more, then give up politely. The
			// count has its own key: "tries" belongs to the language step.
			tries, _ := strconv.Atoi(s.State["dept_tries"])
			if tries >= 2 {
				return callflow.TTS(l.invalid).Language(l.code).Then(callflow.Hangup()), nil
			}
			s.State = s.State.With("dept_tries", strconv.Itoa(tries+1))
			return callflow.TTS(l.invalid).Language(l.code).Then(deptMenu(s, choice, l)), nil
		}
		return callflow.TTS(fmt.Sprintf(l.connecting, l.depts[i-1])).Language(l.code).Then(
			callflow.User().ID(cfg.Departments[i-1]).Timeout(20).Then(
				callflow.TTS(l.nobody).Language(l.code).Then(callflow.Hangup()))), nil
	})

	mux := http.NewServeMux()
	mux.Handle("/ivr/", rt)
	return mux, nil
}

// deptMenu asks for a department in language l, keeping the choice in the
// state sent to the "department" step.
func deptMenu(s *pivot.Step, choice string, l lang) callflow.Builder {
	return callflow.TTS(l.menu).Language(l.code).Then(
		s.Gather("dept", "department", s.State.With("lang", choice)).MaxDigits(1).TimeoutDuration(5 * time.Second))
}

// retry says msg and goes back to step, counting attempts in the state;
// after three it hangs up.
func retry(s *pivot.Step, step, msg, code string) (callflow.Builder, error) {
	tries, _ := strconv.Atoi(s.State["tries"])
	if tries >= 2 {
		return callflow.TTS(msg).Language(code).Then(callflow.Hangup()), nil
	}
	return callflow.TTS(msg).Language(code).Then(
		s.Next(step, s.State.With("tries", strconv.Itoa(tries+1)))), nil
}
