// Package webhooktest plays Kazoo's webhooks app in tests: it builds the
// payload of any event, delivers it to an http.Handler or a URL exactly as
// Kazoo would, and reads the answer by Kazoo's rules, so a receiver can be
// tested without live calls.
//
// A Payload holds an event's fields: Sample gives one per hook, written from
// the field lists of Kazoo's webhooks app with made-up data, and Set,
// SetText and Delete change it. A Hook is the webhook document that
// delivers it: uri, http_verb, format, custom_data. Hook.Send delivers in
// process, Hook.Do over the network; both return a Result with Kazoo's
// verdict:
//
//   - status 200 is a successful attempt (VerdictSuccess); Kazoo 5.x also
//     takes 201 for a PUT, 4.3 does not (a warning);
//   - any other status, 204 included, is a failed attempt that Kazoo does
//     not retry (VerdictFailed);
//   - no answer (connection refused or closed, timeout) is a failed attempt
//     that Kazoo retries after 2 seconds while the hook's retries last
//     (VerdictRetried).
//
// Every failed attempt counts toward disabling the hook: by default 6
// within 60 seconds disable it until it is re-enabled.
//
// The delivery follows Kazoo's webhooks_util: GET appends the payload,
// form-encoded (kz_http_util:json_to_querystring, shared with Pivot), to the
// uri after a "?"; POST and PUT send it as a form body
// (application/x-www-form-urlencoded, the hook's "form-data") or as a
// pretty-printed JSON body (application/json); every request carries
// X-Hook-ID and X-Account-ID. The payload gains the hook's custom_data and
// cluster_id.
package webhooktest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"time"

	"github.com/kzgen/kzgen/runtime/webhook"
	"github.com/kzgen/kzgen/runtime/wire"
)

// Defaults of a Hook that sets none.
const (
	DefaultURL        = "http://webhooks.test/kazoo"
	DefaultHookID     = "d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9"
	DefaultClusterID  = "e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0"
	DefaultRemoteAddr = "192.0.2.20:41000" // TEST-NET-1
	// DefaultTimeout is how long Kazoo waits for an answer: its
	// request_timeout_ms default. Whether Kazoo passes that setting to its
	// HTTP client is unverified.
	DefaultTimeout = 10 * time.Second
	// DefaultRetries is the hook document's default retries.
	DefaultRetries = 2
)

// maxResponseBytes bounds how much of an answer is read.
const maxResponseBytes = 1 << 20

// Hook is a webhook document as Kazoo delivers with it. Empty fields take
// the defaults above.
type Hook struct {
	// URI is the hook's uri (default DefaultURL). User info in it
	// ("https://user:pass@host/…") becomes an "Authorization: Basic"
	// header, as Kazoo's HTTP client is expected to do (unverified).
	URI string
	// HTTPVerb is http_verb: "get", "post" (the default) or "put", in any
	// case.
	HTTPVerb string
	// Format is the body format of a POST or PUT: webhook.FormatJSON, or
	// form ("form-data", Kazoo's default) otherwise. GET always uses the
	// query string.
	Format webhook.Format
	// ID is the hook's document ID, sent as X-Hook-ID (default
	// DefaultHookID).
	ID string
	// AccountID is the hook's account, sent as X-Account-ID (default
	// SampleAccountID).
	AccountID string
	// CustomData is merged into every payload. Where a key is also an event
	// field, the event's value is kept (which one Kazoo keeps is
	// unverified).
	CustomData map[string]string
	// ClusterID is the cluster_id Kazoo adds to every payload (default
	// DefaultClusterID).
	ClusterID string
	// Retries is the hook's retries, clamped to 1..5 as Kazoo does
	// (default DefaultRetries); it only shapes Result.Reason.
	Retries int
	// Timeout is how long Kazoo waits for an answer (default
	// DefaultTimeout): Do gives up after it, and Send reports a slower
	// answer as a timeout.
	Timeout time.Duration
	// RemoteAddr is the client address Send gives the request (default
	// DefaultRemoteAddr); Do uses the real one.
	RemoteAddr string
}

// method returns GET, POST or PUT for h.HTTPVerb.
func (h Hook) method() (string, error) {
	switch strings.ToLower(h.HTTPVerb) {
	case "", "post":
		return http.MethodPost, nil
	case "get":
		return http.MethodGet, nil
	case "put":
		return http.MethodPut, nil
	}
	return "", fmt.Errorf("webhooktest: http_verb %q: Kazoo's webhooks take get, post or put", h.HTTPVerb)
}

func (h Hook) timeout() time.Duration {
	if h.Timeout <= 0 {
		return DefaultTimeout
	}
	return h.Timeout
}

func (h Hook) retries() int {
	if h.Retries == 0 {
		return DefaultRetries
	}
	return min(max(h.Retries, 1), 5)
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Fields returns the payload Kazoo sends for p on this hook: p's fields,
// then the custom_data keys p lacks (sorted), then cluster_id.
func (h Hook) Fields(p *Payload) webhook.Params {
	fields := p.Fields()
	for _, k := range slices.Sorted(maps.Keys(h.CustomData)) {
		if !fields.Has(k) {
			fields = append(fields, wire.Param{Key: k, Value: wire.String(h.CustomData[k])})
		}
	}
	fields.Set("cluster_id", wire.String(or(h.ClusterID, DefaultClusterID)))
	return fields
}

// NewRequest builds the request Kazoo sends to deliver p (see the package
// documentation).
func (h Hook) NewRequest(ctx context.Context, p *Payload) (*http.Request, error) {
	if p == nil {
		return nil, fmt.Errorf("webhooktest: nil payload")
	}
	method, err := h.method()
	if err != nil {
		return nil, err
	}
	fields, uri := h.Fields(p), or(h.URI, DefaultURL)
	var req *http.Request
	if method == http.MethodGet {
		// Kazoo joins with "?" whether or not the uri has a query.
		req, err = http.NewRequestWithContext(ctx, method, uri+"?"+wire.EncodeForm(fields), nil)
	} else {
		contentType, body := wire.ContentTypeForm, []byte(wire.EncodeForm(fields))
		if h.Format == webhook.FormatJSON {
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, wire.EncodeJSON(fields), "", "  "); err != nil {
				return nil, fmt.Errorf("webhooktest: encoding the payload: %w", err)
			}
			contentType, body = wire.ContentTypeJSON, pretty.Bytes()
		}
		req, err = http.NewRequestWithContext(ctx, method, uri, bytes.NewReader(body))
		if err == nil {
			req.Header.Set("Content-Type", contentType)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("webhooktest: building the %s request: %w", method, err)
	}
	req.Header.Set("X-Hook-ID", or(h.ID, DefaultHookID))
	req.Header.Set("X-Account-ID", or(h.AccountID, SampleAccountID))
	if u := req.URL.User; u != nil {
		pass, _ := u.Password()
		req.SetBasicAuth(u.Username(), pass)
		req.URL.User = nil
	}
	return req, nil
}

// Send delivers p to handler in process, as a server would receive it, and
// returns Kazoo's verdict on the answer. A handler slower than the hook's
// timeout, or one that panics (net/http then closes the connection), gets
// VerdictRetried, as Kazoo would see no answer.
func (h Hook) Send(handler http.Handler, p *Payload) (*Result, error) {
	req, err := h.NewRequest(context.Background(), p)
	if err != nil {
		return nil, err
	}
	res := &Result{Request: req.Clone(req.Context()), Fields: h.Fields(p)}
	req.RequestURI = req.URL.RequestURI()
	req.RemoteAddr = or(h.RemoteAddr, DefaultRemoteAddr)
	rec := httptest.NewRecorder()
	start := time.Now()
	if panicked := serve(handler, rec, req); panicked != "" {
		res.Elapsed = time.Since(start)
		res.noAnswer(h, panicked)
		return res, nil
	}
	res.Elapsed = time.Since(start)
	if limit := h.timeout(); res.Elapsed > limit {
		res.noAnswer(h, fmt.Sprintf("answered after %v, past Kazoo's timeout of %v", res.Elapsed.Round(time.Millisecond), limit))
		return res, nil
	}
	resp := rec.Result()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	res.answered(h, req.Method, resp.StatusCode, resp.Header, body)
	return res, nil
}

// serve runs handler, returning a description of a panic ("" for none).
func serve(handler http.Handler, w http.ResponseWriter, r *http.Request) (panicked string) {
	defer func() {
		switch v := recover(); {
		case v == http.ErrAbortHandler:
			panicked = "the handler closed the connection without an answer"
		case v != nil:
			panicked = fmt.Sprintf("the handler panicked (%v) and net/http closed the connection", v)
		}
	}()
	handler.ServeHTTP(w, r)
	return ""
}

// Do delivers p over the network to the hook's URI with client (nil: a
// client with the hook's timeout) and returns Kazoo's verdict. A transport
// error or timeout is VerdictRetried, not an error; the error is for a
// request that cannot be built.
func (h Hook) Do(ctx context.Context, client *http.Client, p *Payload) (*Result, error) {
	ctx, cancel := context.WithTimeout(ctx, h.timeout())
	defer cancel()
	req, err := h.NewRequest(ctx, p)
	if err != nil {
		return nil, err
	}
	if client == nil {
		client = &http.Client{Timeout: h.timeout()}
	}
	res := &Result{Request: req.Clone(req.Context()), Fields: h.Fields(p)}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		res.Elapsed = time.Since(start)
		res.noAnswer(h, "request failed: "+err.Error())
		return res, nil
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	res.Elapsed = time.Since(start)
	if err != nil {
		res.Status, res.Header = resp.StatusCode, resp.Header
		res.noAnswer(h, "reading the answer: "+err.Error())
		return res, nil
	}
	res.answered(h, req.Method, resp.StatusCode, resp.Header, body)
	return res, nil
}

// ---------------------------------------------------------------------------
// Kazoo's reading of an answer

// Verdict is what Kazoo makes of a delivery attempt.
type Verdict uint8

// The verdicts.
const (
	// VerdictSuccess: a successful attempt.
	VerdictSuccess Verdict = iota + 1
	// VerdictFailed: an answer other than 200; Kazoo records a failed
	// attempt and does not retry.
	VerdictFailed
	// VerdictRetried: no answer; Kazoo records a failed attempt and retries
	// after 2 seconds while the hook's retries last.
	VerdictRetried
)

// String returns the verdict's name: "success", "failed" or "retried".
func (v Verdict) String() string {
	switch v {
	case VerdictSuccess:
		return "success"
	case VerdictFailed:
		return "failed"
	case VerdictRetried:
		return "retried"
	}
	return fmt.Sprintf("Verdict(%d)", uint8(v))
}

// VerdictError is the error Result.Err returns for a failed attempt.
type VerdictError struct {
	Verdict Verdict
	Reason  string
}

// Error describes the verdict and its reason.
func (e *VerdictError) Error() string {
	return "webhooktest: Kazoo's verdict: " + e.Verdict.String() + ": " + e.Reason
}

// Result is one delivery attempt and Kazoo's reading of it.
type Result struct {
	// Request is a copy of the request sent (its body already consumed).
	Request *http.Request
	// Fields is the payload sent: the event's fields, custom_data and
	// cluster_id.
	Fields webhook.Params
	// Status, Header and Body are the answer as received (Body at most
	// 1 MiB); Status is 0 when no answer arrived.
	Status int
	Header http.Header
	Body   []byte
	// Elapsed is how long the answer took.
	Elapsed time.Duration

	// Verdict is what Kazoo makes of the attempt; Reason says why, in
	// Kazoo's terms.
	Verdict Verdict
	Reason  string
	// Warnings are points a careful receiver avoids, e.g. a 201 that only
	// some Kazoo versions accept.
	Warnings []string
}

// Success reports whether Kazoo counts the attempt a success. Any other
// attempt counts toward disabling the hook.
func (r *Result) Success() bool { return r.Verdict == VerdictSuccess }

// Err returns nil for a successful attempt, else a *VerdictError.
func (r *Result) Err() error {
	if r.Success() {
		return nil
	}
	return &VerdictError{Verdict: r.Verdict, Reason: r.Reason}
}

// disableNote is Kazoo's auto-disable rule, for reasons.
const disableNote = "it counts toward disabling the hook (6 failed attempts within 60 s by default)"

// answered reads an answer by Kazoo's rules.
func (r *Result) answered(h Hook, method string, status int, header http.Header, body []byte) {
	r.Status, r.Header, r.Body = status, header, body
	switch {
	case status == http.StatusOK:
		r.Verdict, r.Reason = VerdictSuccess, "status 200: a successful attempt"
	case status == http.StatusCreated && method == http.MethodPut:
		r.Verdict, r.Reason = VerdictSuccess, "status 201 to a PUT: a successful attempt on Kazoo 5.x"
		r.Warnings = append(r.Warnings, "Kazoo 4.3 counts 201 as a failed attempt; answer 200")
	default:
		r.Verdict = VerdictFailed
		r.Reason = fmt.Sprintf("status %d: Kazoo counts only 200 as success; a failed attempt, not retried; %s", status, disableNote)
	}
	r.warnQuery(h, method)
}

// noAnswer records an attempt that got no answer.
func (r *Result) noAnswer(h Hook, why string) {
	r.Status, r.Header, r.Body = 0, nil, nil
	r.Verdict = VerdictRetried
	r.Reason = fmt.Sprintf("%s: no answer, a failed attempt; Kazoo retries after 2 s while retries last (this hook: %d in all); %s",
		why, h.retries(), disableNote)
	r.warnQuery(h, r.Request.Method)
}

// warnQuery warns about a GET hook whose uri has its own query.
func (r *Result) warnQuery(h Hook, method string) {
	if method == http.MethodGet && strings.Contains(or(h.URI, DefaultURL), "?") {
		r.Warnings = append(r.Warnings, `the uri has a query string and Kazoo joins the payload with a second "?" (unverified): receivers that split only on "&" misread the first field`)
	}
}
