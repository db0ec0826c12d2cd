// Package simulate plays Kazoo's part against a pivot server, offline.
//
// Run sends the Pivot request Kazoo would send to a voice_url, reads the
// answer with the fake Kazoo of runtime/pivot/pivottest (status, then
// Content-Type, then JSON, then schema, and what the call does next), and
// walks the returned callflow node by node the way Kazoo's callflow
// executor would: each module's effect is described in a transcript, menus
// and collect_dtmf take the caller's key presses from a DigitSource, call
// attempts end with the chosen Bridge outcomes, temporal_route, cidlistmatch
// and check_cid take the branch the configuration or the caller ID decides,
// and a pivot node met on the way makes the follow-up request and replaces
// the running flow with the answer, as Kazoo does. This package only
// narrates: the rules of the exchange are pivottest's, and which child each
// module takes, and when "_" runs, come from generator/kazoo's table.
//
// Nodes are read from their JSON, whatever package typed them, with the
// defaults of their module's schema: the answers are checked against
// kzgen's embedded callflow schemas or a user's own (Config.Schemas), so a
// custom module is accepted and walked generically ("runs custom module X;
// continues to _").
//
// Nothing reaches a phone network: only the HTTP requests to the pivot
// server are real. Where Kazoo would consult something that exists only in
// a live system (menu documents, temporal rules, lists, stored callflows,
// variables), the walk makes a documented assumption, or takes what the
// Config says, and says so in the transcript.
//
// Every input is bounded: answers longer than Config.MaxBody are cut and
// reported so, a flow handed in that loops is refused with the path where
// it closes, and a walk that cycles through follow-up pivots stops at
// MaxRequests, naming the cycle.
package simulate

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/kzgen/kzgen/generator/kazoo"
	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/generator/model"
	"github.com/kzgen/kzgen/generator/validate"
	"github.com/kzgen/kzgen/runtime/kzrt"
	"github.com/kzgen/kzgen/runtime/pivot/pivottest"
	"github.com/kzgen/kzgen/runtime/wire"
	"github.com/kzgen/kzgen/schemas"
)

// Defaults used when a Config field is zero.
const (
	// DefaultTimeout is Kazoo's pivot.request_timeout_ms (5000 ms), used
	// for any request whose req_timeout_ms is not set.
	DefaultTimeout = pivottest.DefaultTimeout
	// DefaultMaxSteps bounds the callflow nodes one run executes.
	DefaultMaxSteps = 200
	// DefaultMaxRequests bounds the Pivot requests one run sends.
	DefaultMaxRequests = 50
	// DefaultMaxBody bounds how much of an answer is read.
	DefaultMaxBody = pivottest.DefaultMaxBody
)

// ErrConfig is wrapped by the errors Run returns for an unusable Config.
var ErrConfig = errors.New("invalid simulation config")

// Config describes one simulated call.
type Config struct {
	// URL is the voice_url of the first request: http or https. It may be
	// empty when Flow is set.
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
	// Flow, when set, is walked instead of the answer to a first request
	// (URL is then not requested): a callflow built in Go, say. It is
	// checked as Kazoo checks a Pivot answer (a loop in it is refused with
	// its path), and its pivot nodes make their requests as usual.
	Flow *kzrt.Node
	// Call holds the call's identity, sent in every request.
	Call Call

	// Schemas is the Kazoo schema set answers are checked against and
	// module defaults are read from (LoadSchemas reads a directory); nil
	// is kzgen's embedded callflow schemas. A custom module of the set is
	// accepted and walked generically.
	Schemas *model.Set
	// Modules, when set, reads answers into a generated package's types
	// (its Modules()) and checks them with its generated validation
	// instead of Schemas; the walk reads nodes from their JSON either way.
	Modules *kzrt.Modules

	// Digits supplies the caller's key presses at menu and collect_dtmf
	// nodes; nil means the caller never presses a key.
	Digits DigitSource
	// Bridges are the outcomes of the call attempts (user, device, group,
	// ring_group and its repeats, route_to_cid, page_group, hotdesk,
	// resources, offnet), in order; once they are used up, the last one
	// applies to every further attempt. Empty means every attempt is
	// answered.
	Bridges []Bridge
	// Temporal chooses temporal_route's outcome: a rule or rule-set ID
	// (the key Kazoo continues with), "rule_set" (a rule of data.rule_set
	// is active), or "none" (no rule is active: "_"). Empty evaluates
	// Rules at At; without Rules, no rule is active.
	Temporal string
	// Rules are the temporal rule and rule-set documents temporal_route
	// nodes refer to, evaluated at At.
	Rules []TemporalRule
	// At is the time temporal rules are evaluated at; zero means now.
	At time.Time
	// AtWallClock reads At's date and clock time in each temporal_route
	// node's own timezone, ignoring At's location: "9:30 where the rules
	// are".
	AtWallClock bool
	// CIDListMatch says whether the caller ID is on the list a
	// cidlistmatch node checks (a stored document kzgen cannot read):
	// true takes "match", false "nomatch".
	CIDListMatch bool

	// Client sends the requests. Nil means a client like Kazoo's httpc
	// (pivottest.NewClient): no redirects followed, no compression asked
	// for, no User-Agent. A client given here is copied and never follows
	// a redirect either, since Kazoo's does not; its Timeout is left as it
	// is, the per-request timeout being applied through the request
	// context.
	Client *http.Client
	// MaxSteps bounds the nodes executed; zero means DefaultMaxSteps.
	MaxSteps int
	// MaxRequests bounds the Pivot requests sent; zero means
	// DefaultMaxRequests.
	MaxRequests int
	// MaxBody bounds how many bytes of an answer are read; zero means
	// DefaultMaxBody. A longer answer is cut and reported so, not judged.
	MaxBody int64
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

// LoadSchemas reads the callflow schemas of a Kazoo schema directory
// (callflows, callflows.* and what they refer to), custom modules
// included, for Config.Schemas. name labels the directory in errors.
func LoadSchemas(fsys fs.FS, name string) (*model.Set, error) {
	set, err := load.Read(fsys, load.Options{Match: "callflows,callflows.*", Name: name})
	if err != nil {
		return nil, err
	}
	return model.Build(set)
}

// embeddedSchemas is kzgen's embedded schema set, read on first use.
var embeddedSchemas = sync.OnceValues(func() (*model.Set, error) {
	return LoadSchemas(schemas.FS, "schemas")
})

// Kind says what an Event reports.
type Kind string

// The event kinds.
const (
	KindRequest  Kind = "request"  // a Pivot request sent
	KindResponse Kind = "response" // how Kazoo reads the answer (or its absence)
	KindFlow     Kind = "flow"     // the flow handed in (Config.Flow), as checked
	KindNode     Kind = "node"     // a callflow node executed
	KindVerdict  Kind = "verdict"  // how the call ends; always the last event
)

// Outcome says how a simulated call ended.
type Outcome string

// The outcomes. Failed reports which ones are failures.
const (
	OutcomeHangup  Outcome = "hangup"  // a hangup (or response) node ended the call
	OutcomeEnd     Outcome = "end"     // the flow had no next node, or stopped: Kazoo hangs up
	OutcomeBridged Outcome = "bridged" // a call attempt was answered: the flow ends with the bridged call
	OutcomeHandoff Outcome = "handoff" // a module took over the call (a conference, a queue, …)
	OutcomeFailed  Outcome = "failed"  // a Pivot failure ended the call
	OutcomeTwiML   Outcome = "twiml"   // the server answered TwiML, which is not simulated
	OutcomeLimit   Outcome = "limit"   // the walk hit a limit (MaxSteps, MaxRequests, MaxBody)
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
	// Flow numbers the callflows a run walks: 1 is the first answer (or
	// Config.Flow), each accepted follow-up answer adds one. Zero before
	// the first.
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
	w, first, err := newWalker(&cfg)
	if err != nil {
		return nil, err
	}
	end, err := w.run(ctx, first)
	if err != nil {
		return w.res, err
	}
	w.emit(Event{Kind: KindVerdict, Text: end.text, Outcome: end.outcome})
	w.res.Outcome = end.outcome
	return w.res, nil
}

// newWalker checks cfg, fills in its defaults, and returns the walker with
// the first request.
func newWalker(cfg *Config) (*walker, pivottest.Call, error) {
	first, err := prepare(cfg)
	if err != nil {
		return nil, first, err
	}
	w := &walker{cfg: *cfg, res: &Result{}, set: cfg.Schemas}
	if w.set == nil {
		if w.set, err = embeddedSchemas(); err != nil {
			return nil, first, fmt.Errorf("simulate: kzgen's embedded schemas: %w", err)
		}
	}
	if cfg.Modules == nil {
		if w.set.Schema("callflows.action") == nil {
			return nil, first, fmt.Errorf("%w: the schemas have no callflows.action, the node schema Kazoo checks answers against", ErrConfig)
		}
		if w.validator, err = validate.FromSet(w.set, validate.WithBlacklist(noBlacklist)); err != nil {
			return nil, first, fmt.Errorf("%w: schemas: %v", ErrConfig, err)
		}
	}
	if w.table, err = kazoo.Embedded(); err != nil {
		return nil, first, fmt.Errorf("simulate: kzgen's table of Kazoo's modules: %w", err)
	}
	w.initCall()
	return w, first, nil
}

// noBlacklist blocks no host, so that a pivot can call a server on this
// machine; the walk notes where Kazoo's default blacklist would refuse the
// URL.
var noBlacklist, _ = kzrt.NewBlacklist()

// prepare checks cfg, fills in its defaults, and returns the first request.
func prepare(cfg *Config) (pivottest.Call, error) {
	var first pivottest.Call
	if cfg.URL != "" || cfg.Flow == nil {
		if err := CheckURL(cfg.URL); err != nil {
			return first, fmt.Errorf("%w: %v", ErrConfig, err)
		}
	}
	method := strings.ToUpper(cfg.Method)
	switch method {
	case "":
		method = http.MethodGet
	case http.MethodGet, http.MethodPost:
	default:
		return first, fmt.Errorf("%w: method %q: want GET or POST", ErrConfig, cfg.Method)
	}
	body := cfg.BodyFormat
	switch body {
	case 0, wire.BodyQuery:
		body = wire.BodyForm
	case wire.BodyForm, wire.BodyJSON:
	default:
		return first, fmt.Errorf("%w: body format %v", ErrConfig, body)
	}
	format := cfg.Format
	if format == wire.FormatUnknown {
		format = wire.FormatKazoo
	}
	if cfg.Timeout < 0 {
		return first, fmt.Errorf("%w: negative timeout %v", ErrConfig, cfg.Timeout)
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
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	for _, b := range cfg.Bridges {
		if err := b.check(); err != nil {
			return first, fmt.Errorf("%w: %v", ErrConfig, err)
		}
	}
	if cfg.At.IsZero() {
		cfg.At = time.Now()
	}
	return pivottest.Call{VoiceURL: cfg.URL, Method: method, Body: body, Format: format, Timeout: cfg.Timeout}, nil
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

// walker is the state of one run.
type walker struct {
	cfg       Config
	res       *Result
	set       *model.Set          // schemas: module defaults, and answers' check
	validator *validate.Validator // nil when cfg.Modules checks answers
	table     *kazoo.Table        // what each module does with its children

	call      callState
	flow      int      // number of the flow being walked
	steps     []string // the nodes executed, "module at path"
	requests  []string // the requests sent, "METHOD URL" without the query
	bridges   int      // call attempts made
	menuNoted bool     // the menu defaults note was given
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

// pivotCall returns c with the call's parameters as they stand and the
// fake Kazoo's settings.
func (w *walker) pivotCall(c pivottest.Call) pivottest.Call {
	s := w.call
	c.CallID, c.AccountID = s.CallID, s.AccountID
	c.From, c.FromRealm, c.To, c.ToRealm = s.From, s.Realm, s.To, s.Realm
	c.RequestUser, c.RequestRealm = s.To, s.Realm
	c.CallerIDName, c.CallerIDNumber = s.CallerIDName, s.CallerIDNumber
	c.UserIDs, c.Language = s.UserIDs, s.Language
	c.Digits = maps.Clone(s.dtmf)
	c.CustomApplicationVars = maps.Clone(s.cavs)
	c.Modules, c.Validator, c.MaxBody = w.cfg.Modules, w.validator, w.cfg.MaxBody
	return c
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
	next *kzrt.Node // the child to run next (nil: none, the call hangs up)
	key  string     // next's key among the children
	end  *ending    // the walk ends here
	flow *kzrt.Node // a pivot answer replaces the flow
}

// run sends the first request (or checks Config.Flow) and walks what
// comes back.
func (w *walker) run(ctx context.Context, first pivottest.Call) (ending, error) {
	var flow *kzrt.Node
	if w.cfg.Flow != nil {
		if end := w.checkFlow(w.cfg.Flow); end != nil {
			return *end, nil
		}
		flow = w.cfg.Flow
	} else {
		x, err := w.exchange(ctx, w.pivotCall(first), nil)
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
		flow = x.flow
	}
	w.flow++
	node, path := flow, ""
	for {
		if err := ctx.Err(); err != nil {
			return ending{}, err
		}
		if node == nil {
			return ending{OutcomeEnd, "call completed: the flow has no next node, so Kazoo hangs up"}, nil
		}
		w.steps = append(w.steps, fmt.Sprintf("%s at %s", node.Module, pointerName(path)))
		if len(w.steps) > w.cfg.MaxSteps {
			return ending{OutcomeLimit, fmt.Sprintf("walk stopped: more than %d nodes executed; %s", w.cfg.MaxSteps, cycle("nodes", w.steps))}, nil
		}
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

// checkFlow checks the flow handed in as Kazoo checks a callflow, loops
// and excessive depth included, and reports it.
func (w *walker) checkFlow(flow *kzrt.Node) *ending {
	ev := Event{Kind: KindFlow, Flow: 1}
	err := kzrt.Validate(flow, kzrt.WithURLBlacklist(noBlacklist))
	if err == nil && w.validator != nil {
		// Data kept as JSON is checked against the schemas too.
		var body []byte
		if body, err = flow.MarshalJSON(); err == nil {
			err = w.validator.Validate(body, validate.Pivot).Err()
		}
	}
	if err == nil {
		nodes := 0
		_ = flow.Walk(func(string, *kzrt.Node) { nodes++ })
		ev.Text = fmt.Sprintf("the flow given: %d %s", nodes, plural(nodes, "node", "nodes"))
		w.emit(ev)
		return nil
	}
	for _, e := range kzrt.AsErrors(err) {
		ev.Problems = append(ev.Problems, Problem{Pointer: e.Pointer, Message: e.Message})
	}
	ev.Text = fmt.Sprintf("the flow given fails Kazoo's schema (%d %s)", len(ev.Problems), plural(len(ev.Problems), "problem", "problems"))
	w.emit(ev)
	return &ending{OutcomeFailed, "call failed: the flow given fails Kazoo's callflow schema"}
}

// cycle describes the end of a history that repeats: the shortest tail
// that starts with its last entry ("a → b → a"), or the last few entries.
func cycle(what string, history []string) string {
	n := len(history)
	if n == 0 {
		return "an endless loop?"
	}
	last := history[n-1]
	for i := n - 2; i >= 0; i-- {
		if history[i] == last {
			return fmt.Sprintf("the %s repeat: %s", what, strings.Join(history[i:], " → "))
		}
	}
	tail := history[max(0, n-5):]
	return fmt.Sprintf("the last %s: %s", what, strings.Join(tail, " → "))
}

// child returns n's child under key, nil when absent or null.
func child(n *kzrt.Node, key string) *kzrt.Node {
	return n.Children[key]
}

// attempt is cf_exe:attempt(Key): the named child or nothing, no fallback.
func attempt(n *kzrt.Node, key string) (step, bool) {
	if c := child(n, key); c != nil {
		return step{next: c, key: key}, true
	}
	return step{}, false
}

// cont is cf_exe:continue(Key): the named child, else "_", else the call
// hangs up. It records the branch and explains any fallback on ev.
func cont(n *kzrt.Node, key string, ev *Event) step {
	if key != kzrt.DefaultChild {
		if st, ok := attempt(n, key); ok {
			ev.Branch = key
			return st
		}
		if st, ok := attempt(n, kzrt.DefaultChild); ok {
			ev.Branch = kzrt.DefaultChild
			ev.note("no %q child: Kazoo falls back to the \"_\" child", key)
			return st
		}
		ev.note("no %q child and no \"_\" child: Kazoo hangs up", key)
		return step{}
	}
	if st, ok := attempt(n, kzrt.DefaultChild); ok {
		ev.Branch = kzrt.DefaultChild
		return st
	}
	ev.note("no \"_\" child: Kazoo hangs up")
	return step{}
}
