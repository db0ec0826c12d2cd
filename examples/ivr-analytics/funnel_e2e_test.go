package main

import (
	"context"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/kzgen/kzgen/examples/internal/exampletest"
	"github.com/kzgen/kzgen/internal/simulate"
	"github.com/kzgen/kzgen/runtime/pivot"
	"github.com/kzgen/kzgen/runtime/webhook"
	"github.com/kzgen/kzgen/runtime/webhook/webhooktest"
	"github.com/kzgen/kzgen/runtime/wire"
)

const testHookSecret = "a-shared-secret-for-tests"

// testConfig is the configuration of the test servers.
func testConfig(publicURL string) config {
	cfg := config{PublicURL: publicURL, Key: pivot.Key{ID: "t", Secret: []byte("0123456789abcdef0123456789abcdef")},
		Users: map[string]string{}, CallTimeout: defaultCallTimeout, MaxCalls: defaultMaxCalls, HookSecret: testHookSecret}
	for _, d := range destinations {
		cfg.Users[d] = "user-" + d
	}
	return cfg
}

// serveAnalytics starts the example's server.
func serveAnalytics(t *testing.T) *httptest.Server {
	t.Helper()
	return exampletest.Serve(t, func(publicURL string) (http.Handler, error) {
		return newHandler(testConfig(publicURL), slog.New(slog.DiscardHandler))
	})
}

// setVariables matches the variables a set_variables event of kzgen
// simulate's transcript reports: name="value".
var setVariables = regexp.MustCompile(`(\w+)=("(?:[^"\\]|\\.)*")`)

// finalVars returns the custom_application_vars a simulated call ends
// with: those of every set_variables node it ran, later ones winning, as
// Kazoo keeps them on the channel.
func finalVars(t *testing.T, res *simulate.Result) map[string]string {
	t.Helper()
	vars := map[string]string{}
	for _, ev := range res.Events {
		if ev.Kind != simulate.KindNode || ev.Module != "set_variables" {
			continue
		}
		for _, m := range setVariables.FindAllStringSubmatch(ev.Text, -1) {
			v, err := strconv.Unquote(m[2])
			if err != nil {
				t.Fatalf("set_variables event %q: %v", ev.Text, err)
			}
			vars[m[1]] = v
		}
	}
	return vars
}

// destroy delivers a channel_destroy for callID with vars as its
// custom_application_vars, as Kazoo's webhooks app would to a hook with the
// shared secret, and fails the test unless Kazoo counts it a success.
func destroy(t *testing.T, srv *httptest.Server, callID string, vars map[string]string, format webhook.Format) {
	t.Helper()
	p := webhooktest.MustSample(webhook.HookChannelDestroy)
	if err := p.SetText("call_id", callID); err != nil {
		t.Fatal(err)
	}
	p.Delete("custom_application_vars")
	for k, v := range vars {
		if err := p.Set("custom_application_vars["+k+"]", wire.String(v)); err != nil {
			t.Fatal(err)
		}
	}
	hook := webhooktest.Hook{URI: srv.URL + "/hooks/kazoo", Format: format, CustomData: map[string]string{"hook_secret": testHookSecret}}
	res, err := hook.Do(context.Background(), srv.Client(), p)
	if err != nil {
		t.Fatal(err)
	}
	if err := res.Err(); err != nil {
		t.Fatalf("channel_destroy of %s: %v", callID, err)
	}
}

// scrape reads the server's metrics, by name then by labels
// ("option=sales,step=main", sorted), with the Prometheus text parser.
func scrape(t *testing.T, srv *httptest.Server) map[string]map[string]float64 {
	t.Helper()
	resp, err := srv.Client().Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("/metrics does not parse: %v", err)
	}
	out := map[string]map[string]float64{}
	for name, fam := range families {
		out[name] = map[string]float64{}
		for _, m := range fam.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, l.GetName()+"="+l.GetValue())
			}
			slices.Sort(labels)
			v := m.GetCounter().GetValue() + m.GetGauge().GetValue() + float64(m.GetHistogram().GetSampleCount())
			out[name][strings.Join(labels, ",")] = v
		}
	}
	return out
}

// waitObserved waits until the server's Router has observed n requests.
func waitObserved(t *testing.T, srv *httptest.Server, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		observed := 0.0
		for _, v := range scrape(t, srv)["ivr_router_requests_total"] {
			observed += v
		}
		if int(observed) == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the Router observed %v requests, want %d", observed, n)
		}
		time.Sleep(time.Millisecond)
	}
}

// pageNumbers reads the numbers of the funnel page, by cell id.
func pageNumbers(t *testing.T, srv *httptest.Server) map[string]string {
	t.Helper()
	resp, err := srv.Client().Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("page: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	cells := map[string]string{}
	for _, m := range regexp.MustCompile(`id="([a-z0-9-]+)">([0-9]+)<`).FindAllStringSubmatch(string(body), -1) {
		cells[m[1]] = m[2]
	}
	return cells
}

// TestFunnel drives the example with kzgen's simulator (the caller's keys,
// one call at a time, each with its own Call-ID), delivers the
// channel_destroy Kazoo would send for each ended call with the variables
// the call ended with, and checks the funnel /metrics and the page report,
// number by number.
func TestFunnel(t *testing.T) {
	srv := serveAnalytics(t)
	calls := []struct {
		id     string
		digits []string
		// maxRequests > 0 ends the simulation after that many Pivot
		// requests: the caller hangs up at the prompt the last answer
		// plays.
		maxRequests int
		want        simulate.Outcome
		ivrStep     string // the ivr_step the call ends with
		// destroy is what channel_destroy says: "" for the call's own
		// variables, "-" for no channel_destroy (still in progress), else
		// the ivr_step Kazoo reports.
		destroy string
	}{
		{"call-a", []string{"1"}, 0, simulate.OutcomeBridged, "sales", ""},
		{"call-b", []string{"2", "1"}, 0, simulate.OutcomeBridged, "billing", ""},
		{"call-c", []string{"2", "2"}, 0, simulate.OutcomeBridged, "technical", ""},
		{"call-d", []string{"2"}, 0, simulate.OutcomeBridged, "operator", ""}, // silence at support, three times
		{"call-e", []string{"7", "1"}, 0, simulate.OutcomeBridged, "sales", ""},
		{"call-f", nil, 1, simulate.OutcomeLimit, "main", ""},
		{"call-g", []string{"2"}, 2, simulate.OutcomeLimit, "support", ""},
		{"call-h", []string{"2"}, 2, simulate.OutcomeLimit, "support", "-"},
		// The caller hung up while the support menu was on its way: Kazoo
		// never ran it, and its ivr_step is still main.
		{"call-i", []string{"2"}, 2, simulate.OutcomeLimit, "support", "main"},
	}
	requests := 0 // Pivot requests sent so far
	for i, c := range calls {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		res, err := simulate.Run(ctx, simulate.Config{
			URL:         srv.URL + "/ivr/main",
			Call:        simulate.Call{CallID: c.id, AccountID: webhooktest.SampleAccountID, From: "1001", To: "2000", Realm: "sip.example.com"},
			Digits:      simulate.NewEntries(c.digits...),
			MaxRequests: c.maxRequests,
		})
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		if res.Outcome != c.want {
			t.Fatalf("%s: outcome %s, want %s\n%s", c.id, res.Outcome, c.want, res.Text())
		}
		for _, ev := range res.Events {
			if ev.Kind == simulate.KindRequest {
				requests++
			}
		}
		// Kazoo reports a call's end after running its last answer, and
		// the server observes an answer just after sending it: wait for
		// that, as Kazoo's channel_destroy would.
		waitObserved(t, srv, requests)
		vars := finalVars(t, res)
		if vars[tagStep] != c.ivrStep {
			t.Fatalf("%s ends with %v, want ivr_step %s\n%s", c.id, vars, c.ivrStep, res.Text())
		}
		switch c.destroy {
		case "-":
			continue
		case "":
		default:
			vars[tagStep] = c.destroy
		}
		format := webhook.FormatForm
		if i%2 == 1 {
			format = webhook.FormatJSON
		}
		destroy(t, srv, c.id, vars, format)
	}
	// A transfer's other leg, and a repeated delivery: not tracked.
	destroy(t, srv, "other-leg-of-call-a", nil, webhook.FormatForm)
	destroy(t, srv, "call-a", map[string]string{tagStep: "sales"}, webhook.FormatJSON)
	// A delivery without the shared secret is refused, and counts nothing.
	p := webhooktest.MustSample(webhook.HookChannelDestroy)
	p.SetText("call_id", "call-h")
	if res, _ := (webhooktest.Hook{URI: srv.URL + "/hooks/kazoo"}).Do(context.Background(), srv.Client(), p); res.Status != http.StatusForbidden {
		t.Errorf("a delivery without the secret: status %d, want 403", res.Status)
	}

	want := map[string]map[string]float64{
		"ivr_step_reached_total": {
			"step=main": 9, "step=support": 6, "step=sales": 2, "step=billing": 1, "step=technical": 1, "step=operator": 1,
		},
		"ivr_step_choices_total": {
			"option=sales,step=main": 2, "option=support,step=main": 6, "option=invalid,step=main": 1, "option=none,step=main": 0,
			"option=billing,step=support": 1, "option=technical,step=support": 1, "option=invalid,step=support": 0, "option=none,step=support": 3,
		},
		"ivr_step_abandoned_total":         {"step=main": 2, "step=support": 1},
		"ivr_calls_transferred_total":      {"destination=sales": 2, "destination=billing": 1, "destination=technical": 1, "destination=operator": 1},
		"ivr_calls_in_progress":            {"": 1},
		"ivr_calls_expired_total":          {"": 0},
		"ivr_channel_destroy_events_total": {"call=tracked": 8, "call=untracked": 2},
		"ivr_router_requests_total": {
			"outcome=answered,step=main": 18, "outcome=fallback,step=main": 0, "outcome=error,step=main": 0,
			"outcome=answered,step=support": 5, "outcome=fallback,step=support": 0, "outcome=error,step=support": 0,
		},
		"ivr_router_request_duration_seconds": {"step=main": 18, "step=support": 5},
	}
	got := scrape(t, srv)
	for name, series := range want {
		if !maps.Equal(got[name], series) {
			t.Errorf("%s:\n got %v\nwant %v", name, got[name], series)
		}
	}

	wantCells := map[string]string{
		"main-reached": "9", "main-abandoned": "2", "main-choice-sales": "2", "main-choice-support": "6", "main-choice-invalid": "1", "main-choice-none": "0",
		"support-reached": "6", "support-abandoned": "1", "support-choice-billing": "1", "support-choice-technical": "1", "support-choice-invalid": "0", "support-choice-none": "3",
		"sales-reached": "2", "sales-transferred": "2", "billing-reached": "1", "billing-transferred": "1",
		"technical-reached": "1", "technical-transferred": "1", "operator-reached": "1", "operator-transferred": "1",
		"calls-in-progress": "1", "calls-expired": "0", "destroys-tracked": "8", "destroys-untracked": "2",
	}
	if cells := pageNumbers(t, srv); !maps.Equal(cells, wantCells) {
		t.Errorf("page:\n got %v\nwant %v", cells, wantCells)
	}
}
