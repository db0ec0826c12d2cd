// Package pivottest is a fake Kazoo for testing Pivot servers: the one place
// where kzgen states how Kazoo sends a Pivot request and how it reads the
// answer. kzgen simulate walks whole calls with it.
//
// A Call describes one call reaching a pivot callflow node: the caller, the
// callee, the account, the DTMF collected so far, and the pivot node's
// settings (method, req_format, req_body_format, voice_url, cdr_url). Send
// delivers the request Kazoo would send to an http.Handler in process; Do
// sends it over the network. Both return a Result: the raw response, Kazoo's
// verdict on it under Kazoo's own reading rules, and what the call does next
// (Result.Then):
//
//   - a status other than 200 or 206 fails the pivot (pivot.failed): Kazoo
//     continues with the pivot node's "_" child (VerdictFailed); so does a
//     request that gets no answer in time or fails on the way;
//   - an empty body ends the call without pivot.failed (VerdictCallEnds),
//     whatever the Content-Type;
//   - with "Content-Type: application/json" (the media type compared
//     case-sensitively, parameters dropped), the body must be one bare
//     callflow node that passes Kazoo's schemas, which Kazoo then runs
//     (VerdictRun); invalid JSON or a schema-invalid node ends the call
//     without pivot.failed (VerdictCallEnds);
//   - with no Content-Type (read as text/xml), text/xml or application/xml,
//     only TwiML is read: a JSON body is not recognised
//     (VerdictUnrecognized);
//   - with another Content-Type, TwiML is tried first, then Kazoo JSON
//     (VerdictRun with a warning, since that relies on a fallback path);
//   - TwiML is a well-formed XML document whose root element is <Response>
//     (VerdictTwiML), which Kazoo runs with its TwiML translator and this
//     package does not interpret.
//
// A failure after which pivot_call would hang up leads to the pivot node's
// "_" child instead when the node has a cdr_url (Call.CDRURL), or to
// silence when Kazoo had already accepted the body; Result.Then says which.
//
// The schema check needs Kazoo's callflow schemas. With Call.Modules (a
// generated package's Modules(), such as callflow.Modules()) the answer is
// read into that package's types and checked by its generated validation;
// otherwise it is checked by the schema-driven validator of
// generator/validate (Call.Validator, kzgen's embedded schemas by default),
// and Result.Node holds each node's data as JSON (kzrt.RawData). Either way,
// with one leniency for tests: client URLs (a pivot's voice_url) are not
// checked against Kazoo's default blacklist, since test servers listen on
// 127.0.0.1, which it holds. pivot.Handler checks them.
//
// Call.FollowUp and Call.Next follow a callflow's pivot nodes: they return
// the Call Kazoo makes when the flow reaches one, to its voice_url with its
// method and formats.
package pivottest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/kzgen/kzgen/generator/validate"
	"github.com/kzgen/kzgen/runtime/kzrt"
	"github.com/kzgen/kzgen/runtime/wire"
)

// DefaultVoiceURL is the voice_url of a Call that sets none.
const DefaultVoiceURL = "http://pivot.test/"

// DefaultTimeout is Kazoo's default Pivot request timeout
// (pivot.request_timeout_ms, 5000).
const DefaultTimeout = 5 * time.Second

// MaxTimeout is the largest req_timeout_ms Kazoo's schema allows, 5000 ms.
const MaxTimeout = 5 * time.Second

// DefaultMaxBody is how much of an answer a Call reads when it sets no
// MaxBody: 4 MiB, far beyond any real callflow.
const DefaultMaxBody = 4 << 20

// DefaultRemoteAddr is the client address Send gives requests of a Call that
// sets none (TEST-NET-1).
const DefaultRemoteAddr = "192.0.2.10:40000"

// Call describes one Pivot request as Kazoo makes it: the pivot node's
// settings, then the call's parameters, then how the fake Kazoo reads the
// answer. Empty fields are not sent.
type Call struct {
	// VoiceURL is the pivot node's voice_url (default DefaultVoiceURL).
	// User info in it ("http://user:pass@host/") becomes an
	// "Authorization: Basic" header, as Kazoo's HTTP client is expected to
	// do (unverified).
	VoiceURL string
	// Method is the pivot node's method, any case: "" is GET (cf_pivot's
	// default), "get" is GET, and anything else POST (Kazoo's fallback for
	// an unrecognised method).
	Method string
	// Body is the POST body format, req_body_format: pivot.BodyJSON, or
	// form otherwise (Kazoo's default). GET always uses the query string.
	Body wire.BodyFormat
	// Format is the parameter naming, req_format: pivot.FormatTwiML, or
	// pivot.FormatKazoo otherwise (the schema default). Note that a pivot
	// node with no req_format at all makes Kazoo's pivot_call fall back to
	// twiml; FollowUp follows that rule for the nodes it reads.
	Format wire.Format
	// Timeout is req_timeout_ms (default DefaultTimeout): Do gives up after
	// it, and Send reports a slower in-process answer as failed.
	Timeout time.Duration
	// CDRURL is the pivot node's cdr_url. Kazoo posts the call's record
	// there when the call ends (not done here); with one, pivot_call does
	// not hang up after an answer it cannot use, which changes what the
	// call does next (Result.Then).
	CDRURL string
	// RemoteAddr is the client address Send gives the request (default
	// DefaultRemoteAddr); Do uses the real one.
	RemoteAddr string

	CallID         string
	AccountID      string
	From           string // user part of the SIP From
	FromRealm      string
	To             string // user part of the SIP To
	ToRealm        string
	RequestUser    string // user part of the Request-URI (kazoo naming only)
	RequestRealm   string // kazoo naming only
	CallerIDName   string
	CallerIDNumber string
	UserIDs        []string // owner IDs of the authorizing device (kazoo naming only)
	Language       string   // kazoo naming only
	// Digits are the DTMF collections by name, as collect_dtmf stores
	// them; "default" for a collect_dtmf without collection_name.
	Digits map[string]string
	// CustomApplicationVars and CustomSIPHeaders are sent in the kazoo
	// naming only.
	CustomApplicationVars map[string]string
	CustomSIPHeaders      map[string]string

	// Modules, when set, types the answer's nodes (a generated package's
	// Modules(), e.g. callflow.Modules()): Result.Node's data are that
	// package's types, and the package's generated validation is Kazoo's
	// schema check.
	Modules *kzrt.Modules
	// Validator checks answers when Modules is nil: generator/validate's
	// schema-driven validator, built from a Kazoo schema directory with
	// custom modules, say. Nil is one over kzgen's embedded schemas that
	// blocks no host. A Validator given here checks client URLs with its
	// own blacklist: build it with validate.WithBlacklist to pivot to a
	// local server.
	Validator *validate.Validator
	// MaxBody is how many bytes of an answer Send and Do read (default
	// DefaultMaxBody). A longer answer is cut there and not judged
	// (VerdictNotJudged, Result.Cut).
	MaxBody int64
}

// method returns GET or POST as Kazoo would use for c.Method.
func (c Call) method() string {
	if c.Method == "" || strings.EqualFold(c.Method, http.MethodGet) {
		return http.MethodGet
	}
	return http.MethodPost
}

func (c Call) format() wire.Format {
	if c.Format == wire.FormatTwiML {
		return wire.FormatTwiML
	}
	return wire.FormatKazoo
}

func (c Call) bodyFormat() wire.BodyFormat {
	if c.Body == wire.BodyJSON {
		return wire.BodyJSON
	}
	return wire.BodyForm
}

func (c Call) voiceURL() string {
	if c.VoiceURL == "" {
		return DefaultVoiceURL
	}
	return c.VoiceURL
}

func (c Call) timeout() time.Duration {
	if c.Timeout <= 0 {
		return DefaultTimeout
	}
	return c.Timeout
}

func (c Call) maxBody() int64 {
	if c.MaxBody <= 0 {
		return DefaultMaxBody
	}
	return c.MaxBody
}

// Request returns the call's parameters as a typed pivot.Request, with the
// values Kazoo always sends (Api-Version for the naming, Direction inbound).
func (c Call) Request() *wire.Request {
	r := &wire.Request{
		CallID: c.CallID, AccountID: c.AccountID,
		From: c.From, FromRealm: c.FromRealm, To: c.To, ToRealm: c.ToRealm,
		RequestUser: c.RequestUser, RequestRealm: c.RequestRealm,
		CallerIDName: c.CallerIDName, CallerIDNumber: c.CallerIDNumber,
		UserIDs: c.UserIDs, Language: c.Language,
		Direction:             wire.DirectionInbound,
		APIVersion:            wire.KazooAPIVersion,
		Digits:                wire.DigitCollections(c.Digits),
		CustomApplicationVars: c.CustomApplicationVars,
		CustomSIPHeaders:      c.CustomSIPHeaders,
	}
	if c.format() == wire.FormatTwiML {
		r.APIVersion = wire.TwiMLAPIVersion
	}
	return r
}

// Params returns the parameters Kazoo sends for the call, in its naming.
func (c Call) Params() wire.Params {
	return c.Request().Params(c.format())
}

// Target describes the request as Kazoo sends it, without sending it: the
// method, the URL (for GET with the parameters in its query) and, for
// POST, the body.
func (c Call) Target() (method, target, body string) {
	method, target = c.method(), c.voiceURL()
	switch {
	case method == http.MethodGet:
		target = wire.AppendQuery(target, wire.EncodeForm(c.Params()))
	case c.bodyFormat() == wire.BodyJSON:
		body = string(wire.EncodeJSON(c.Params()))
	default:
		body = wire.EncodeForm(c.Params())
	}
	return method, target, body
}

// HTTPRequest returns the client request Kazoo sends for the call
// (wire.NewHTTPRequest), with an Authorization header from the voice_url's
// user info, which is removed from the URL.
func (c Call) HTTPRequest(ctx context.Context) (*http.Request, error) {
	req, err := wire.NewHTTPRequest(ctx, c.method(), c.voiceURL(), c.bodyFormat(), c.Params())
	if err != nil {
		return nil, err
	}
	if u := req.URL.User; u != nil {
		pass, _ := u.Password()
		req.SetBasicAuth(u.Username(), pass)
		req.URL.User = nil
	}
	return req, nil
}

// Send delivers the call's request to h in process, as a server would
// receive it, and returns Kazoo's reading of the answer. A handler slower
// than the call's timeout gets VerdictFailed, as Kazoo would have given up.
func (c Call) Send(h http.Handler) (*Result, error) {
	req, err := c.HTTPRequest(context.Background())
	if err != nil {
		return nil, err
	}
	sent := req.Clone(req.Context())
	// Turn the client request into a server one.
	req.RequestURI = req.URL.RequestURI()
	req.RemoteAddr = c.RemoteAddr
	if req.RemoteAddr == "" {
		req.RemoteAddr = DefaultRemoteAddr
	}
	rec := httptest.NewRecorder()
	start := time.Now()
	h.ServeHTTP(rec, req)
	elapsed := time.Since(start)
	resp := rec.Result()
	body := rec.Body.Bytes()
	cut := int64(len(body)) > c.maxBody()
	if cut {
		body = body[:c.maxBody()]
	}
	res := c.read(resp.StatusCode, resp.Header, body, cut)
	res.Request = sent
	if limit := c.timeout(); elapsed > limit {
		res.noAnswer(fmt.Sprintf("answered after %v, past Kazoo's request timeout of %v", elapsed.Round(time.Millisecond), limit))
	}
	return res, nil
}

// Do sends the call's request over the network to its voice_url and
// returns Kazoo's reading of the answer. client nil is one like Kazoo's
// HTTP client (NewClient); a client given is used with its transport, TLS
// settings and timeout, but never follows a redirect, since Kazoo's does
// not (a 3xx answer fails the pivot). The request carries no User-Agent.
//
// A transport error or timeout is VerdictFailed, not an error: Kazoo
// continues with the pivot node's "_" child (on Kazoo 5.x after cf_pivot's
// 10 s wait). The error is for a request that cannot be built, and ctx's
// error when ctx ends first.
func (c Call) Do(ctx context.Context, client *http.Client) (*Result, error) {
	rctx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	req, err := c.HTTPRequest(rctx)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "") // net/http then sends none, as Kazoo's httpc
	sent := req.Clone(req.Context())
	resp, err := noRedirects(client).Do(req)
	var body []byte
	cut := false
	if err == nil {
		body, cut, err = readAtMost(resp.Body, c.maxBody())
		resp.Body.Close()
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		res := &Result{Request: sent}
		if resp != nil {
			res.Status, res.Header = resp.StatusCode, resp.Header
		}
		res.noAnswer(transportFailure(err, rctx.Err() != nil, c.timeout()))
		return res, nil
	}
	res := c.read(resp.StatusCode, resp.Header, body, cut)
	res.Request = sent
	return res, nil
}

// readAtMost reads r up to limit bytes; cut reports that there was more.
func readAtMost(r io.Reader, limit int64) (body []byte, cut bool, err error) {
	body, err = io.ReadAll(io.LimitReader(r, limit+1))
	if int64(len(body)) > limit {
		return body[:limit], true, err
	}
	return body, false, err
}

// transportFailure says why a request got no answer.
func transportFailure(err error, timedOut bool, limit time.Duration) string {
	var ne net.Error
	if timedOut || (errors.As(err, &ne) && ne.Timeout()) {
		return fmt.Sprintf("no answer within %d ms (req_timeout_ms)", limit.Milliseconds())
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // the URL is the request's
	}
	return "request failed: " + err.Error()
}

// NewClient returns an HTTP client that sends as Kazoo's httpc does: it
// follows no redirect (a 3xx is a failed pivot) and asks for no
// compression. Do uses one when given none.
func NewClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DisableCompression = true
	return &http.Client{Transport: tr, CheckRedirect: useLastResponse}
}

// useLastResponse stops at the first response, redirect or not.
func useLastResponse(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// kazooClient is the client Do uses when given none.
var kazooClient = NewClient()

// noRedirects returns a copy of client that follows no redirect; nil gives
// kazooClient.
func noRedirects(client *http.Client) *http.Client {
	if client == nil {
		return kazooClient
	}
	c := *client
	c.CheckRedirect = useLastResponse
	return &c
}
