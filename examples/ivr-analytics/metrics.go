package main

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/kzgen/kzgen/runtime/pivot"
)

// The metrics /metrics serves. Every label takes values from a fixed set:
// the IVR's steps and choices, the Router's steps and outcomes; never a
// call ID or a number.
var (
	descReached = prometheus.NewDesc("ivr_step_reached_total",
		"Callers who reached each step of the IVR (a menu or a transfer), each call counted once per step.", []string{"step"}, nil)
	descChoices = prometheus.NewDesc("ivr_step_choices_total",
		"Entries at each menu: the option chosen, invalid (a key no option has) or none (no key before the timeout).", []string{"step", "option"}, nil)
	descAbandoned = prometheus.NewDesc("ivr_step_abandoned_total",
		"Calls that ended (channel_destroy) while this menu was the last step reached.", []string{"step"}, nil)
	descTransferred = prometheus.NewDesc("ivr_calls_transferred_total",
		"Calls that ended after reaching this transfer.", []string{"destination"}, nil)
	descInProgress = prometheus.NewDesc("ivr_calls_in_progress",
		"Calls tracked: a step answered, no channel_destroy yet.", nil, nil)
	descExpired = prometheus.NewDesc("ivr_calls_expired_total",
		"Calls dropped without a channel_destroy: not heard of for the call timeout, or the oldest when the call limit was reached.", nil, nil)
	descDestroys = prometheus.NewDesc("ivr_channel_destroy_events_total",
		"channel_destroy events received: of a tracked call, or of another (another call of the account, a transfer's other leg, a repeated delivery).", []string{"call"}, nil)
)

// funnelCollector exposes a funnel's totals, read at each scrape: the
// funnel is their only copy, shared with the page.
type funnelCollector struct{ f *funnel }

// Describe sends the funnel metrics' descriptions.
func (c funnelCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descReached, descChoices, descAbandoned, descTransferred, descInProgress, descExpired, descDestroys} {
		ch <- d
	}
}

// Collect sends the funnel's current totals.
func (c funnelCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.f.snapshot()
	counter := func(d *prometheus.Desc, v uint64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
	}
	for _, m := range s.Menus {
		counter(descReached, m.Reached, m.Name)
		counter(descAbandoned, m.Abandoned, m.Name)
		for _, choice := range m.Choices {
			counter(descChoices, choice.Count, m.Name, choice.Name)
		}
	}
	for _, d := range s.Destinations {
		counter(descReached, d.Reached, d.Name)
		counter(descTransferred, d.Transferred, d.Name)
	}
	ch <- prometheus.MustNewConstMetric(descInProgress, prometheus.GaugeValue, float64(s.InProgress))
	counter(descExpired, s.Expired)
	counter(descDestroys, s.Tracked, "tracked")
	counter(descDestroys, s.Untracked, "untracked")
}

// routerMetrics count the Router's requests by step and outcome, and time
// them: the service's health, beside the callers' funnel.
type routerMetrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// stepOutcomes are the outcomes a step can have.
var stepOutcomes = []pivot.StepOutcome{pivot.StepAnswered, pivot.StepFallback, pivot.StepError}

// newRouterMetrics registers the Router's metrics for steps on reg, every
// series present from the start.
func newRouterMetrics(reg prometheus.Registerer, steps []string) (*routerMetrics, error) {
	m := &routerMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ivr_router_requests_total",
			Help: "Requests to each step of the IVR by what Kazoo got: answered (the step's callflow), fallback, or error (a status)."},
			[]string{"step", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "ivr_router_request_duration_seconds",
			Help: "Time to answer a request to each step. Kazoo gives up after 5 s by default.", Buckets: prometheus.DefBuckets},
			[]string{"step"}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.latency} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	for _, s := range steps {
		for _, o := range stepOutcomes {
			m.requests.WithLabelValues(s, o.String())
		}
		m.latency.WithLabelValues(s)
	}
	return m, nil
}

// observe is the Router's step observer for these metrics. The Router
// observes only its own steps, so the step label is bounded.
func (m *routerMetrics) observe(_ context.Context, ev pivot.StepEvent) {
	m.requests.WithLabelValues(ev.Step, ev.Outcome.String()).Inc()
	m.latency.WithLabelValues(ev.Step).Observe(ev.Latency.Seconds())
}
