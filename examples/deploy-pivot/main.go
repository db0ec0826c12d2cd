// Command deploy-pivot is a pivot server that puts itself on a number. At
// start-up, when KAZOO_URL is set, it deploys its own pivot entry callflow
// through Crossbar: the account's callflow named -name, answering -numbers
// with one pivot node asking -public-url. The callflow is created, updated
// when it differs, or left alone when it already matches, so restarting the
// server changes nothing. Then it serves the calls that reach it: a greeting,
// then hangup.
//
//	export KAZOO_URL=https://kazoo.example.com:8443 KAZOO_API_KEY=…
//	go run ./examples/deploy-pivot -addr 127.0.0.1:8080 -public-url https://pivot.example.com/ -name hello -numbers 4155550100
//
// Crossbar refuses a voice_url on its blacklist (localhost, 127.0.0.1), so
// -public-url must be the address Kazoo reaches this server at: a public
// host, or a tunnel to this machine. The credentials are those of kzgen
// deploy (KAZOO_ACCOUNT_ID, KAZOO_API_KEY, or KAZOO_USERNAME, KAZOO_PASSWORD
// and KAZOO_ACCOUNT_NAME), and so is the token cache. The callflow is the
// one "kzgen deploy -pivot-url" deploys, so either can put it in place.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/kzgen/kzgen/examples/internal/serve"
	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/crossbar"
	"github.com/kzgen/kzgen/runtime/kzrt"
	"github.com/kzgen/kzgen/runtime/pivot"
)

var (
	name       = flag.String("name", "deploy-pivot", "name of the callflow to deploy")
	numbers    = flag.String("numbers", "", "numbers the callflow answers, comma-separated (needed with KAZOO_URL)")
	pivotDebug = flag.Bool("pivot-debug", false, "have Kazoo record each request and answer (kzgen debug reads them)")
)

func main() {
	serve.Main("deploy-pivot", func(log *slog.Logger) (http.Handler, error) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		return setUp(ctx, settings{
			name:      *name,
			numbers:   *numbers,
			publicURL: serve.PublicURL(),
			debug:     *pivotDebug,
		}, log)
	})
}

// settings are what setUp needs from the command line.
type settings struct {
	name, numbers, publicURL string
	debug                    bool
}

// setUp deploys the entry callflow when KAZOO_URL is set, and returns the
// handler to serve.
func setUp(ctx context.Context, s settings, log *slog.Logger) (http.Handler, error) {
	if os.Getenv(crossbar.EnvURL) == "" {
		log.Info("KAZOO_URL is not set: serving without deploying the callflow")
		return newHandler(log), nil
	}
	cfg := crossbar.ConfigFromEnv()
	cfg.Logger = log
	if dir, err := crossbar.DefaultTokenCacheDir(); err == nil {
		cfg.TokenCache = crossbar.FileTokenCache{Dir: dir}
	}
	d, err := deployEntry(ctx, cfg, s)
	if err != nil {
		return nil, err
	}
	log.Info("callflow "+string(d.Action), "id", d.ID, "name", d.Name, "numbers", strings.Join(d.Numbers, ","), "changed", strings.Join(d.Changed, ","))
	return newHandler(log), nil
}

// entryFlow is the pivot entry flow: one pivot node asking voiceURL with
// GET and kazoo parameter names.
func entryFlow(voiceURL string, debug bool) *callflow.PivotBuilder {
	flow := callflow.Pivot(voiceURL).Method(callflow.PivotMethodGet).ReqFormat(callflow.PivotReqFormatKazoo)
	if debug {
		flow.Debug(true)
	}
	return flow
}

// deployEntry puts the entry flow on the numbers, through Crossbar.
func deployEntry(ctx context.Context, cfg crossbar.Config, s settings) (*crossbar.Deployment, error) {
	var nums []string
	for n := range strings.SplitSeq(s.numbers, ",") {
		if n = strings.TrimSpace(n); n != "" {
			nums = append(nums, n)
		}
	}
	if len(nums) == 0 {
		return nil, errors.New("-numbers is needed to deploy the callflow (KAZOO_URL is set)")
	}
	voiceURL := strings.TrimRight(s.publicURL, "/") + "/"
	if err := kzrt.DefaultBlacklist().CheckURL(voiceURL); err != nil {
		return nil, fmt.Errorf("-public-url: %w; set it to the https address Kazoo reaches this server at (a tunnel, for local development)", err)
	}
	flow := entryFlow(voiceURL, s.debug)
	if err := flow.Validate(); err != nil {
		return nil, fmt.Errorf("entry flow: %w", err)
	}
	c, err := crossbar.New(cfg)
	if err != nil {
		return nil, err
	}
	return c.Deploy(ctx, crossbar.DeploySpec{Name: s.name, Numbers: nums, Flow: flow.Node()})
}

// newHandler answers every call with a greeting, then hangup.
func newHandler(log *slog.Logger) http.Handler {
	return pivot.Handler(func(ctx context.Context, r *pivot.Request) (callflow.Builder, error) {
		return callflow.TTS("Hello! Your pivot server answered this call. Goodbye.").Then(callflow.Hangup()), nil
	}, pivot.WithLogger(log))
}
