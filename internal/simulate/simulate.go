// Package simulate plays Kazoo's part against a pivot server, offline.
//
// Run sends the Pivot request Kazoo would send to a voice_url, reads the
// answer by the rules of Kazoo's pivot and translator code (status, then
// Content-Type, then JSON, then schema), and walks the returned callflow
// node by node the way Kazoo's callflow executor would: each module's
// effect is described in a transcript, menus and collect_dtmf take the
// caller's key presses from a DigitSource, bridges end with a chosen
// BridgeOutcome, and a pivot node met on the way makes the follow-up
// request and replaces the running flow with the answer, as Kazoo does.
//
// Nothing reaches a phone network: only the HTTP requests to the pivot
// server are real. Where Kazoo would consult something that exists only in
// a live system (menu documents, temporal rules, stored callflows,
// variables), the walk makes a documented assumption and says so in the
// transcript.
//
// The child-selection rules follow Kazoo's cf_exe: a module that asks to
// continue with a named child gets that child, else the "_" child, else the
// call hangs up; a module that only attempts a named child (menu digits,
// check_cid, bridge failure keys) never falls back by itself.
package simulate

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/kzrt"
	"github.com/kzgen/kzgen/runtime/wire"
)

// Defaults used when a Config field is zero.
const (
	// DefaultTimeout is Kazoo's pivot.request_timeout_ms (5000 ms), used
	// for any request whose req_timeout_ms is not set.
	DefaultTimeout = 5 * time.Second
	// DefaultMaxSteps bounds the callflow nodes one run executes.
	DefaultMaxSteps = 200
	// DefaultMaxRequests bounds the Pivot requests one run sends.
	DefaultMaxRequests = 50
	// maxBody bounds how much of a response body is read.
	maxBody = 4 << 20
)

// ErrConfig is wrapped by the errors Run returns for an unusable Config.
var ErrConfig = errors.New("invalid simulation config")

// Config describes one simulated call.
type Config struct {
	// URL is the voice_url of the first request: http or https.
	URL string
	// Method is "GET" or "POST", in any case; "" means GET, what cf_pivot
	// sends for a pivot node without method.
	Method string
	// BodyFormat is wire.BodyForm or wire.BodyJSON, used by POST; zero
	// means form, Kazoo's default. GET always sends a form-encoded query.
	BodyFormat wire.BodyFormat
	// Format is the parameter naming of the first request. Zero
	// (wire.FormatUnknown) means wire.FormatKazoo, the schema default of
	// req_format. Pivot nodes met later use their own req_format, and
	// twiml when they have none: pivot_call's fallback when cf_pivot
	// passes no Request-Format.
	Format wire.Format
	// Timeout is the first request's req_timeout_ms; zero means
	// DefaultTimeout.
	Timeout time.Duration
	// Call holds the call's identity, sent in every request.
	Call Call
	// Digits supplies the caller's key presses at menu and collect_dtmf
	// nodes; nil means the caller never presses a key.
	Digits DigitSource
	// Bridge is the outcome of every bridge attempt (user, device, group,
	// ring_group, resources, …); zero means BridgeAnswered.
	Bridge BridgeOutcome
	// Client sends the requests. Nil means a client like Kazoo's httpc: no
	// redirects followed, no compression asked for, no User-Agent. A
	// client given here is copied and its redirect policy replaced, since
	// Kazoo never follows a redirect; its Timeout is left as it is, the
	// per-request timeout being applied through the request context.
	Client *http.Client
	// MaxSteps bounds the nodes executed; zero means DefaultMaxSteps.
	MaxSteps int
	// MaxRequests bounds the Pivot requests sent; zero means
	// DefaultMaxRequests.
	MaxRequests int
	// OnEvent, when set, is called with each event as it happens, before
	// Run returns; an interactive front end prints the transcript from it.
	OnEvent func(Event)
}

// Call is the identity of the simulated call: the fields Kazoo copies into
// every Pivot request.
type Call struct {
	// CallID is Call-ID (CallSid); "" means a random one. It stays the
	// same for every request of the run.
	CallID string
	// AccountID is Account-ID (AccountSid).
	AccountID string
	// From and To are the user parts of the SIP From and To; To is also
	// sent as Request, the Request-URI's user part.
	From, To string
	// Realm is sent as From-Realm, To-Realm and Request-Realm.
	Realm string
	// CallerIDName and CallerIDNumber are the caller ID; "" means From.
	CallerIDName, CallerIDNumber string
	// UserIDs are the owner IDs sent as User-ID (kazoo naming only).
	UserIDs []string
	// Language is sent as Language when set (kazoo naming only).
	Language string
}

// BridgeOutcome is how every bridge attempt of a run ends.
type BridgeOutcome uint8

// The bridge outcomes. A failed bridge gives Kazoo a hangup cause and a
// SIP code; cf_util:handle_bridge_failure tries a child named after the
// cause, then one named after the code. The pairs used here are
// FreeSWITCH's: USER_BUSY / sip:486 (Busy Here) for busy, and NO_ANSWER /
// sip:480 (Temporarily Unavailable, the SIP mapping of Q.850 cause 19)
// for no answer. The code a real endpoint or carrier returns for an
// unanswered call can differ (sip:408 or sip:487 are also seen); a flow
// that must catch every unanswered call should key on "NO_ANSWER" or "_".
const (
	BridgeAnswered BridgeOutcome = iota // the callee answers: the call is bridged
	BridgeBusy                          // USER_BUSY, sip:486
	BridgeNoAnswer                      // NO_ANSWER, sip:480
)

// String returns "answered", "busy" or "no-answer".
func (b BridgeOutcome) String() string {
	switch b {
	case BridgeBusy:
		return "busy"
	case BridgeNoAnswer:
		return "no-answer"
	}
	return "answered"
}

// failure returns the hangup cause and SIP code of a failed bridge.
func (b BridgeOutcome) failure() (cause, code string) {
	if b == BridgeBusy {
		return "USER_BUSY", "sip:486"
	}
	return "NO_ANSWER", "sip:480"
}

// ParseBridgeOutcome reads "answered", "busy" or "no-answer".
func ParseBridgeOutcome(s string) (BridgeOutcome, error) {
	switch s {
	case "answered":
		return BridgeAnswered, nil
	case "busy":
		return BridgeBusy, nil
	case "no-answer":
		return BridgeNoAnswer, nil
	}
	return 0, fmt.Errorf("bridge outcome %q: want answered, busy or no-answer", s)
}

// Kind says what an Event reports.
type Kind string

// The event kinds.
const (
	KindRequest  Kind = "request"  // a Pivot request sent
	KindResponse Kind = "response" // how Kazoo reads the answer (or its absence)
	KindNode     Kind = "node"     // a callflow node executed
	KindVerdict  Kind = "verdict"  // how the call ends; always the last event
)

// Outcome says how a simulated call ended.
type Outcome string

// The outcomes. Failed reports which ones are failures.
const (
	OutcomeHangup  Outcome = "hangup"  // a hangup (or response) node ended the call
	OutcomeEnd     Outcome = "end"     // the flow had no next node: Kazoo hangs up
	OutcomeBridged Outcome = "bridged" // a bridge was answered: the flow ends with the bridged call
	OutcomeHandoff Outcome = "handoff" // a module took over the call (voicemail, conference, …)
	OutcomeFailed  Outcome = "failed"  // a Pivot failure ended the call
	OutcomeTwiML   Outcome = "twiml"   // the server answered TwiML, which is not simulated
	OutcomeLimit   Outcome = "limit"   // the walk hit MaxSteps or MaxRequests: a loop?
)

// Failed reports whether the outcome is a failure: the call ended because
// of a Pivot failure, the answer was TwiML (not simulated), or the walk was
// cut short by a limit.
func (o Outcome) Failed() bool {
	return o == OutcomeFailed || o == OutcomeTwiML || o == OutcomeLimit
}

// Event is one line of the transcript. Which fields are set depends on
// Kind; JSON field names are those of the tags.
type Event struct {
	// Step numbers the events of a run from 1, in order.
	Step int `json:"step"`
	// Kind says what the event reports.
	Kind Kind `json:"kind"`
	// Flow numbers the callflows a run walks: 1 is the first answer,
	// each accepted follow-up answer adds one. Zero before the first.
	Flow int `json:"flow,omitempty"`
	// Path is the JSON pointer of a node within its flow ("" for the
	// root, "/children/_" for its default child, …).
	Path string `json:"path,omitempty"`
	// Module is the node's module (node events).
	Module string `json:"module,omitempty"`
	// Text says what happened, in one line.
	Text string `json:"text"`
	// Branch is the child key Kazoo continues with, when it continues
	// with a child of this node.
	Branch string `json:"branch,omitempty"`
	// Method, URL and Body are the request as sent (request events; Body
	// only for POST).
	Method string `json:"method,omitempty"`
	URL    string `json:"url,omitempty"`
	Body   string `json:"body,omitempty"`
	// Status and ContentType are the response's (response events).
	Status      int    `json:"status,omitempty"`
	ContentType string `json:"content_type,omitempty"`
	// Problems lists schema problems of a rejected answer.
	Problems []Problem `json:"problems,omitempty"`
	// Notes explain the choice made: Kazoo's rules, defaults assumed.
	Notes []string `json:"notes,omitempty"`
	// Outcome is how the call ended (verdict events).
	Outcome Outcome `json:"outcome,omitempty"`
}

// Problem is one reason Kazoo rejects a callflow, at a JSON pointer into the
// answer ("" for the whole answer).
type Problem struct {
	// Pointer is the RFC 6901 JSON pointer of the offending value.
	Pointer string `json:"pointer"`
	// Message says what is wrong.
	Message string `json:"message"`
}

// note appends a formatted note.
func (ev *Event) note(format string, args ...any) {
	ev.Notes = append(ev.Notes, fmt.Sprintf(format, args...))
}

// Result is the outcome of a run and its transcript.
type Result struct {
	// Events is the transcript, ending with the verdict.
	Events []Event
	// Outcome is the verdict's outcome.
	Outcome Outcome
}

// Run simulates one call as configured. It returns an error wrapping
// ErrConfig when the Config cannot be used, and ctx's error, with the
// transcript so far, when ctx ends first. Everything the pivot server does
// wrong is part of the transcript and the Outcome, not an error.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	first, err := prepare(&cfg)
	if err != nil {
		return nil, err
	}
	w := &walker{cfg: cfg, client: kazooClient(cfg.Client), res: &Result{}}
	w.initCall()

	end, err := w.run(ctx, first)
	if err != nil {
		return w.res, err
	}
	w.emit(Event{Kind: KindVerdict, Text: end.text, Outcome: end.outcome})
	w.res.Outcome = end.outcome
	return w.res, nil
}

// prepare checks cfg, fills in its defaults, and returns the first request.
func prepare(cfg *Config) (request, error) {
	if err := CheckURL(cfg.URL); err != nil {
		return request{}, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	method := strings.ToUpper(cfg.Method)
	switch method {
	case "":
		method = http.MethodGet
	case http.MethodGet, http.MethodPost:
	default:
		return request{}, fmt.Errorf("%w: method %q: want GET or POST", ErrConfig, cfg.Method)
	}
	body := cfg.BodyFormat
	switch body {
	case 0, wire.BodyQuery:
		body = wire.BodyForm
	case wire.BodyForm, wire.BodyJSON:
	default:
		return request{}, fmt.Errorf("%w: body format %v", ErrConfig, body)
	}
	format := cfg.Format
	if format == wire.FormatUnknown {
		format = wire.FormatKazoo
	}
	if cfg.Timeout < 0 {
		return request{}, fmt.Errorf("%w: negative timeout %v", ErrConfig, cfg.Timeout)
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxSteps <= 0 {
		cfg.MaxSteps = DefaultMaxSteps
	}
	if cfg.MaxRequests <= 0 {
		cfg.MaxRequests = DefaultMaxRequests
	}
	if cfg.Bridge > BridgeNoAnswer {
		return request{}, fmt.Errorf("%w: bridge outcome %d", ErrConfig, cfg.Bridge)
	}
	return request{url: cfg.URL, method: method, body: body, format: format, timeout: cfg.Timeout}, nil
}

// CheckURL reports whether u can be a voice_url: an absolute http or https
// URL with a host (the scheme rule of Kazoo's schema).
func CheckURL(u string) error {
	parsed, err := url.Parse(u)
	if err != nil {
		return fmt.Errorf("voice URL: %w", err)
	}
	if parsed.Scheme != "http" && parsed.Scheme != "https" {
		return fmt.Errorf("voice URL %q: scheme must be http or https", u)
	}
	if parsed.Host == "" {
		return fmt.Errorf("voice URL %q: no host", u)
	}
	return nil
}

// kazooClient returns the HTTP client to send with: like Kazoo's httpc, it
// follows no redirect (a 3xx is a failed pivot) and asks for no compression.
func kazooClient(c *http.Client) *http.Client {
	var client http.Client
	if c != nil {
		client = *c
	} else {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.DisableCompression = true
		client.Transport = tr
	}
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &client
}

// walker is the state of one run.
type walker struct {
	cfg    Config
	client *http.Client
	res    *Result

	call      callState
	flow      int  // number of the flow being walked
	steps     int  // nodes executed
	requests  int  // requests sent
	menuNoted bool // the menu defaults note was given
}

// callState is what Kazoo's call record holds that later requests send.
type callState struct {
	Call
	dtmf map[string]string // dtmf_collections: collection name → digits
	vars map[string]string // variables set by set_variable
	cavs map[string]string // custom application variables
	// origName and origNumber are the caller ID before any prepend_cid.
	origName, origNumber string
}

// initCall fills the call's defaults.
func (w *walker) initCall() {
	c := w.cfg.Call
	if c.CallID == "" {
		c.CallID = randomID()
	}
	if c.CallerIDNumber == "" {
		c.CallerIDNumber = c.From
	}
	if c.CallerIDName == "" {
		c.CallerIDName = c.From
	}
	w.call = callState{Call: c, dtmf: map[string]string{}, vars: map[string]string{}, origName: c.CallerIDName, origNumber: c.CallerIDNumber}
}

// randomID returns 32 random hex digits.
func randomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}

// emit numbers ev, records it and passes it to OnEvent.
func (w *walker) emit(ev Event) {
	ev.Step = len(w.res.Events) + 1
	w.res.Events = append(w.res.Events, ev)
	if w.cfg.OnEvent != nil {
		w.cfg.OnEvent(ev)
	}
}

// ending is how the walk ends.
type ending struct {
	outcome Outcome
	text    string
}

// step is what executing one node leads to.
type step struct {
	next *callflow.Node // the child to run next (nil: none, the call hangs up)
	key  string         // next's key among the children
	end  *ending        // the walk ends here
	flow *callflow.Node // a pivot answer replaces the flow
}

// run sends the first request and walks what comes back.
func (w *walker) run(ctx context.Context, first request) (ending, error) {
	x, err := w.exchange(ctx, first, nil)
	if err != nil {
		return ending{}, err
	}
	if x.end != nil {
		return *x.end, nil
	}
	if x.flow == nil {
		// The first request has no pivot node whose "_" child could run.
		return ending{OutcomeFailed, "call failed: " + x.why}, nil
	}
	w.flow++
	node, path := x.flow, ""
	for {
		if err := ctx.Err(); err != nil {
			return ending{}, err
		}
		if node == nil {
			return ending{OutcomeEnd, "call completed: the flow has no next node, so Kazoo hangs up"}, nil
		}
		if w.steps >= w.cfg.MaxSteps {
			return ending{OutcomeLimit, fmt.Sprintf("walk stopped: more than %d nodes executed (an endless loop?)", w.cfg.MaxSteps)}, nil
		}
		w.steps++
		st, err := w.execute(ctx, node, path)
		if err != nil {
			return ending{}, err
		}
		switch {
		case st.end != nil:
			return *st.end, nil
		case st.flow != nil:
			w.flow++
			node, path = st.flow, ""
		default:
			if st.next != nil {
				path += "/children/" + kzrt.EscapeToken(st.key)
			}
			node = st.next
		}
	}
}

// child returns n's child under key, nil when absent or null.
func child(n *callflow.Node, key string) *callflow.Node {
	return n.Children[key]
}

// attempt is cf_exe:attempt(Key): the named child or nothing, no fallback.
func attempt(n *callflow.Node, key string) (step, bool) {
	if c := child(n, key); c != nil {
		return step{next: c, key: key}, true
	}
	return step{}, false
}

// cont is cf_exe:continue(Key): the named child, else "_", else the call
// hangs up. It records the branch and explains any fallback on ev.
func cont(n *callflow.Node, key string, ev *Event) step {
	if key != callflow.DefaultChild {
		if st, ok := attempt(n, key); ok {
			ev.Branch = key
			return st
		}
		if st, ok := attempt(n, callflow.DefaultChild); ok {
			ev.Branch = callflow.DefaultChild
			ev.note("no %q child: Kazoo falls back to the \"_\" child", key)
			return st
		}
		ev.note("no %q child and no \"_\" child: Kazoo hangs up", key)
		return step{}
	}
	if st, ok := attempt(n, callflow.DefaultChild); ok {
		ev.Branch = callflow.DefaultChild
		return st
	}
	ev.note("no \"_\" child: Kazoo hangs up")
	return step{}
}
