// Command ivr-analytics runs a two-level IVR with pivot.Router and shows
// what its callers do: how many reached each menu, what they chose there,
// where they hung up, and where they were transferred, as Prometheus
// metrics at /metrics and as a page at /.
//
//	go run ./examples/ivr-analytics -addr 127.0.0.1:8080 -public-url https://ivr.example.com
//
// It serves:
//
//   - /ivr/main, the voice_url of the static callflow's pivot node (kazoo
//     parameter names), and the IVR's other step, /ivr/support;
//   - /hooks/kazoo, the webhook receiver: subscribe it to channel_destroy
//     (kzgen hooks add -name ivr-analytics -hook channel_destroy -url
//     PUBLIC-URL/hooks/kazoo -custom-data hook_secret=$HOOK_SECRET);
//   - /metrics and /, the funnel. They show totals only, no call ID or
//     number, but put them behind your own access control all the same.
//
// Every answer of the IVR starts with a set_variables node writing
// ivr_step (the menu or transfer the caller is now at) and ivr_choice (the
// option that brought them there) into the call's custom_application_vars.
// The Router's step observer (pivot.WithStepObserver) reads the tags of
// each answered step; Kazoo keeps them on the channel and sends the last
// ones with channel_destroy, received with runtime/webhook. The two are
// joined by call ID: see funnel.go. The callflow "webhook" action would
// report each step from Kazoo's side too, but how it sends a POST is
// unverified, and set_variables tells channel_destroy the same.
//
// Memory is bounded: a call in progress that is not heard of for
// -call-timeout (default 4h: a transferred call ends only when the
// transfer does) is dropped and counted in ivr_calls_expired_total, and
// at most -max-calls are tracked, the least recently heard of dropped
// first. Counts live in memory: they start from zero at each start, and
// each replica has its own, so run one, or aggregate in Prometheus.
//
// Continuations are signed with a random key made at start-up, which suits
// this single-replica example (see ivr-menu for shared keys). With
// HOOK_SECRET set, the receiver refuses deliveries whose custom_data lacks
// hook_secret with that value.
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/kzgen/kzgen/examples/internal/serve"
	"github.com/kzgen/kzgen/runtime/pivot"
	"github.com/kzgen/kzgen/runtime/webhook"
)

// Defaults of the flags bounding memory.
const (
	defaultCallTimeout = 4 * time.Hour
	defaultMaxCalls    = 100_000
)

// defaultUser is the user ID the i-th destination rings by default:
// 000…001 for sales, 000…002 for billing, and so on.
func defaultUser(i int) string { return fmt.Sprintf("%032x", i+1) }

// config is what newHandler needs.
type config struct {
	PublicURL   string            // where Kazoo reaches this server
	Key         pivot.Key         // signs and verifies continuations
	Users       map[string]string // destination → Kazoo user ID
	CallTimeout time.Duration     // a call not heard of for this long is dropped
	MaxCalls    int               // calls tracked at most
	HookSecret  string            // custom_data hook_secret deliveries must carry; "" checks none
	Now         func() time.Time  // the funnel's clock; nil means time.Now
}

func main() {
	users := map[string]*string{}
	for i, d := range destinations {
		users[d] = flag.String(d+"-user", defaultUser(i), "Kazoo user ID the "+d+" transfer rings")
	}
	callTimeout := flag.Duration("call-timeout", defaultCallTimeout, "drop a call in progress not heard of for this long")
	maxCalls := flag.Int("max-calls", defaultMaxCalls, "track at most this many calls in progress")
	serve.Main("ivr-analytics", func(log *slog.Logger) (http.Handler, error) {
		cfg := config{
			PublicURL:   serve.PublicURL(),
			Key:         pivot.Key{ID: "1", Secret: []byte(rand.Text() + rand.Text())},
			Users:       map[string]string{},
			CallTimeout: *callTimeout,
			MaxCalls:    *maxCalls,
			HookSecret:  os.Getenv("HOOK_SECRET"),
		}
		for d, id := range users {
			cfg.Users[d] = *id
		}
		h, err := newHandler(cfg, log)
		if err == nil {
			base := strings.TrimRight(cfg.PublicURL, "/")
			log.Info("serving", "voice_url", base+"/ivr/main", "webhook", base+"/hooks/kazoo", "funnel", base+"/", "metrics", base+"/metrics")
			if cfg.HookSecret == "" {
				log.Warn("HOOK_SECRET is not set: the receiver accepts any delivery")
			}
		}
		return h, err
	})
}

// newHandler returns the server: the IVR, the webhook receiver, the
// metrics and the page.
func newHandler(cfg config, log *slog.Logger) (http.Handler, error) {
	if cfg.CallTimeout <= 0 || cfg.MaxCalls <= 0 {
		return nil, errors.New("the call timeout and the call limit must be positive")
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	f := newFunnel(menus, destinations, cfg.CallTimeout, cfg.MaxCalls, now)

	reg := prometheus.NewRegistry()
	if err := reg.Register(funnelCollector{f}); err != nil {
		return nil, err
	}
	if err := reg.Register(collectors.NewGoCollector()); err != nil {
		return nil, err
	}
	var routerSteps []string
	for _, m := range menus {
		routerSteps = append(routerSteps, m.name)
	}
	rm, err := newRouterMetrics(reg, routerSteps)
	if err != nil {
		return nil, err
	}
	observe := func(ctx context.Context, ev pivot.StepEvent) {
		rm.observe(ctx, ev)
		f.observe(ctx, ev)
	}
	rt, err := newRouter(strings.TrimRight(cfg.PublicURL, "/")+"/ivr", cfg.Key, cfg.Users, observe, log)
	if err != nil {
		return nil, err
	}

	hookOpts := []webhook.Option{webhook.WithLogger(log)}
	if cfg.HookSecret != "" {
		hookOpts = append(hookOpts, webhook.WithSecret("hook_secret", cfg.HookSecret))
	}
	mux := http.NewServeMux()
	mux.Handle("/ivr/", rt)
	mux.Handle("/hooks/kazoo", webhook.Handler(webhook.On{ChannelDestroy: f.channelDestroy}, hookOpts...))
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelError)}))
	mux.Handle("GET /{$}", pageHandler(f, log))
	return mux, nil
}
