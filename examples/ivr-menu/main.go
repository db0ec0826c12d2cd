// Command ivr-menu is a two-level IVR built with pivot.Router: the caller
// picks a language, then a department, and is connected to that
// department's user. The language chosen first travels to the later steps
// as signed state in the follow-up voice_url, so any replica sharing the
// secret can serve any step of a call, with no shared store.
//
//	PIVOT_SECRET=$(openssl rand -hex 32) go run ./examples/ivr-menu -addr 127.0.0.1:8080 -public-url https://ivr.example.com
//
// Point the static callflow's pivot node at PUBLIC-URL/ivr/start (logged at
// start-up). PIVOT_SECRET is at least 32 bytes shared by every replica, and
// PIVOT_KEY_ID names it (default "1"); change both together to rotate. With
// no PIVOT_SECRET a random one is used, which only suits a single replica.
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

	"github.com/kzgen/kzgen/examples/internal/serve"
	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/pivot"
)

// config is what newHandler needs.
type config struct {
	PublicURL   string    // where Kazoo reaches this server
	Key         pivot.Key // signs continuations
	Departments [2]string // user IDs rung for departments 1 and 2
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
		key := pivot.Key{ID: os.Getenv("PIVOT_KEY_ID"), Secret: []byte(os.Getenv("PIVOT_SECRET"))}
		if key.ID == "" {
			key.ID = "1"
		}
		if len(key.Secret) == 0 {
			log.Warn("PIVOT_SECRET is not set: using a random secret; other replicas and restarts cannot verify this one's continuations")
			key.Secret = []byte(rand.Text() + rand.Text())
		}
		cfg := config{PublicURL: serve.PublicURL(), Key: key, Departments: [2]string{*sales, *support}}
		h, err := newHandler(cfg, log)
		if err == nil {
			log.Info("entry voice_url", "url", strings.TrimRight(cfg.PublicURL, "/")+"/ivr/start")
		}
		return h, err
	})
}

func newHandler(cfg config, log *slog.Logger) (http.Handler, error) {
	rt, err := pivot.NewRouter(strings.TrimRight(cfg.PublicURL, "/")+"/ivr", []pivot.Key{cfg.Key}, pivot.WithLogger(log))
	if err != nil {
		return nil, err
	}

	// start: choose a language. Gather collects one digit into "lang" and
	// pivots to the "language" step.
	rt.Entry("start", func(ctx context.Context, s *pivot.Step) (callflow.Builder, error) {
		return callflow.TTS("Welcome. For English, press 1.").Language("en-US").Then(
			callflow.TTS("Para español, oprima 2.").Language("es-ES").Then(
				s.Gather("lang", "language", s.State).MaxDigits(1).Timeout(5000))), nil
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
		s.Gather("dept", "department", s.State.With("lang", choice)).MaxDigits(1).Timeout(5000))
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
