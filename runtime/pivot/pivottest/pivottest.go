// Package pivottest is a fake Kazoo for testing Pivot servers.
//
// A Call describes one call reaching a pivot callflow node: the caller, the
// callee, the account, the DTMF collected so far, and the pivot node's
// settings (method, req_format, req_body_format, voice_url). Send delivers
// the request Kazoo would send to an http.Handler in process; Do sends it
// over the network. Both return a Result: the raw response and Kazoo's
// verdict on it, under Kazoo's own reading rules:
//
//   - a status other than 200 or 206 fails the pivot (pivot.failed): Kazoo
//     continues with the pivot node's "_" child (VerdictFailed);
//   - with "Content-Type: application/json" (the media type compared
//     case-sensitively, parameters dropped), the body must be one bare
//     callflow node that passes Kazoo's schemas, which Kazoo then runs
//     (VerdictRun); an empty body, invalid JSON or a schema-invalid node ends
//     the call without pivot.failed (VerdictCallEnds);
//   - with no Content-Type (read as text/xml), text/xml or application/xml,
//     only TwiML is read: a JSON body is not recognised
//     (VerdictUnrecognized);
//   - with another Content-Type, TwiML is tried first, then Kazoo JSON
//     (VerdictRun with a warning, since that relies on a fallback path).
//
// The schema check is the generated callflow validator (Node.Validate),
// which mirrors Kazoo's callflows.action and callflows.<module> schemas,
// with one leniency for tests: client URLs (a pivot's voice_url) are not
// checked against Kazoo's default blacklist, since test servers listen on
// 127.0.0.1, which it holds. pivot.Handler checks them.
//
// Call.Next follows a callflow's collect_dtmf → pivot chain: it returns the
// Call Kazoo makes when the caller has pressed the given digits, to the pivot
// node's voice_url with its method and formats.
package pivottest

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/kzrt"
	"github.com/kzgen/kzgen/runtime/wire"
)

// DefaultVoiceURL is the voice_url of a Call that sets none.
const DefaultVoiceURL = "http://pivot.test/"

// DefaultTimeout is Kazoo's default Pivot request timeout
// (pivot.request_timeout_ms, 5000).
const DefaultTimeout = 5 * time.Second

// DefaultRemoteAddr is the client address Send gives requests of a Call that
// sets none (TEST-NET-1).
const DefaultRemoteAddr = "192.0.2.10:40000"

// Call describes one Pivot request as Kazoo makes it: the pivot node's
// settings, then the call's parameters. Empty fields are not sent.
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
	// twiml; Next follows that rule for the nodes it reads.
	Format wire.Format
	// Timeout is req_timeout_ms (default DefaultTimeout): Do gives up after
	// it, and Send reports a slower in-process answer as failed.
	Timeout time.Duration
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

// HTTPRequest returns the client request Kazoo sends for the call
// (wire.NewHTTPRequest), with an Authorization header from the voice_url's
// user info, which is removed from the URL.
func (c Call) HTTPRequest(ctx context.Context) (*http.Request, error) {
	body := wire.BodyForm
	if c.Body == wire.BodyJSON {
		body = wire.BodyJSON
	}
	req, err := wire.NewHTTPRequest(ctx, c.method(), c.voiceURL(), body, c.Params())
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
	body, _ := io.ReadAll(resp.Body)
	res := Interpret(resp.StatusCode, resp.Header, body)
	res.Request = sent
	if limit := c.timeout(); elapsed > limit {
		res.fail(fmt.Sprintf("answered after %v, past Kazoo's request timeout of %v", elapsed.Round(time.Millisecond), limit))
	}
	return res, nil
}

// Do sends the call's request over the network to its voice_url with client
// (nil: a client with the call's timeout) and returns Kazoo's reading of the
// answer. A transport error or timeout is VerdictFailed, not an error: Kazoo
// continues with the pivot node's "_" child (on Kazoo 5.x after cf_pivot's
// 10 s wait). The error is for a request that cannot be built.
func (c Call) Do(ctx context.Context, client *http.Client) (*Result, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	req, err := c.HTTPRequest(ctx)
	if err != nil {
		return nil, err
	}
	if client == nil {
		client = &http.Client{Timeout: c.timeout()}
	}
	sent := req.Clone(req.Context())
	resp, err := client.Do(req)
	if err != nil {
		res := &Result{Request: sent}
		res.fail("request failed: " + err.Error())
		return res, nil
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		res := &Result{Request: sent, Status: resp.StatusCode, Header: resp.Header}
		res.fail("reading the response: " + err.Error())
		return res, nil
	}
	res := Interpret(resp.StatusCode, resp.Header, body)
	res.Request = sent
	return res, nil
}

// ---------------------------------------------------------------------------
// Kazoo's reading of a response

// Verdict is what Kazoo does with a Pivot response.
type Verdict uint8

// The verdicts.
const (
	// VerdictRun: Kazoo runs Result.Node in place of the current callflow.
	VerdictRun Verdict = iota + 1
	// VerdictFailed: pivot.failed; Kazoo continues with the pivot node's
	// "_" child, or hangs up when it has none.
	VerdictFailed
	// VerdictCallEnds: no pivot.failed; Kazoo stops the pivot and hangs up
	// (empty body, invalid JSON, a body that is not one schema-valid node).
	VerdictCallEnds
	// VerdictUnrecognized: no translator accepts the body (e.g. JSON without
	// Content-Type application/json): Kazoo publishes pivot.failed and also
	// sends a hangup; the two race.
	VerdictUnrecognized
	// VerdictTwiML: a TwiML <Response>, which Kazoo runs as TwiML; this
	// package does not interpret TwiML.
	VerdictTwiML
)

// String returns the verdict's name, e.g. "run".
func (v Verdict) String() string {
	switch v {
	case VerdictRun:
		return "run"
	case VerdictFailed:
		return "failed"
	case VerdictCallEnds:
		return "call ends"
	case VerdictUnrecognized:
		return "unrecognized"
	case VerdictTwiML:
		return "twiml"
	}
	return fmt.Sprintf("Verdict(%d)", uint8(v))
}

// VerdictError is the error Result.Err returns for any verdict but
// VerdictRun.
type VerdictError struct {
	Verdict Verdict
	Reason  string
}

// Error describes the problem, with its location.
func (e *VerdictError) Error() string {
	return "pivottest: Kazoo's verdict: " + e.Verdict.String() + ": " + e.Reason
}

// Result is one Pivot response and Kazoo's reading of it.
type Result struct {
	// Request is a copy of the request sent (its body already consumed).
	Request *http.Request
	// Status, Header and Body are the response as received; Status is 0
	// when no response arrived.
	Status int
	Header http.Header
	Body   []byte

	// Verdict is what Kazoo does with the response.
	Verdict Verdict
	// Reason says why, for any verdict but VerdictRun.
	Reason string
	// Warnings are points Kazoo accepts that a careful server avoids, e.g.
	// a Content-Type Kazoo only reads as JSON by falling back.
	Warnings []string
	// Node is the callflow Kazoo runs, for VerdictRun.
	Node *callflow.Node
}

// Err returns nil for VerdictRun, else a *VerdictError.
func (r *Result) Err() error {
	if r.Verdict == VerdictRun {
		return nil
	}
	return &VerdictError{Verdict: r.Verdict, Reason: r.Reason}
}

func (r *Result) fail(reason string) {
	r.Verdict, r.Reason, r.Node = VerdictFailed, reason, nil
}

func (r *Result) end(reason string) {
	r.Verdict, r.Reason, r.Node = VerdictCallEnds, reason, nil
}

// Interpret applies Kazoo's reading rules (see the package documentation) to
// a response.
func Interpret(status int, header http.Header, body []byte) *Result {
	res := &Result{Status: status, Header: header, Body: body}
	if status != http.StatusOK && status != http.StatusPartialContent {
		res.fail(fmt.Sprintf("status %d: Kazoo publishes pivot.failed and continues with the pivot node's \"_\" child", status))
		return res
	}
	if len(bytes.TrimSpace(body)) == 0 {
		res.end("empty body")
		return res
	}
	// Kazoo lower-cases header names, keeps the value before ";", trims
	// it, and compares it case-sensitively.
	values := header.Values("Content-Type")
	mediaType := ""
	if len(values) > 0 {
		before, _, _ := strings.Cut(values[0], ";")
		mediaType = strings.TrimSpace(before)
	}
	switch {
	case mediaType == wire.ContentTypeJSON:
		res.readKazoo()
	case len(values) == 0 || mediaType == "text/xml" || mediaType == "application/xml":
		if isTwiML(body) {
			res.Verdict = VerdictTwiML
			res.Reason = "a TwiML <Response>"
			return res
		}
		what := fmt.Sprintf("Content-Type %q", mediaType)
		if len(values) == 0 {
			what = "no Content-Type (Kazoo reads it as text/xml)"
		}
		res.Verdict = VerdictUnrecognized
		res.Reason = what + ": only TwiML is read, and the body is not a TwiML <Response>"
	default:
		if isTwiML(body) {
			res.Verdict = VerdictTwiML
			res.Reason = "a TwiML <Response>"
			return res
		}
		res.Warnings = append(res.Warnings, fmt.Sprintf(
			"Content-Type %q is not exactly %q (Kazoo compares it case-sensitively): Kazoo tries TwiML first and reads Kazoo JSON only as a fallback",
			mediaType, wire.ContentTypeJSON))
		// Unverified: whether invalid JSON on this path ends the call (as
		// with application/json) or counts as unrecognised; this reads it
		// like application/json.
		res.readKazoo()
	}
	return res
}

// localTesting is the client blacklist answers are checked with: none, so
// that a pivot can call a test server on this machine.
var localTesting, _ = kzrt.NewBlacklist()

// readKazoo reads the body as Kazoo's kzt_kazoo does: one JSON value,
// validated as a callflows.action node.
func (r *Result) readKazoo() {
	if !json.Valid(r.Body) {
		r.end("invalid JSON")
		return
	}
	tree, err := callflow.Parse(r.Body)
	if err != nil {
		r.end("not a callflow node (schema callflows.action): " + err.Error())
		return
	}
	node, ok := tree.(*callflow.Node)
	if !ok {
		r.end(`a callflow document ({"flow":…}), not a bare node: Kazoo validates the body itself as callflows.action`)
		return
	}
	if err := kzrt.Validate(node, kzrt.WithURLBlacklist(localTesting)); err != nil {
		r.end("schema-invalid callflow: " + err.Error())
		return
	}
	r.Verdict, r.Node = VerdictRun, node
}

// isTwiML reports whether body is XML whose root element is <Response>.
func isTwiML(body []byte) bool {
	dec := xml.NewDecoder(bytes.NewReader(body))
	root := ""
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return root == "Response"
		}
		if err != nil {
			return false
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
}

// ---------------------------------------------------------------------------
// Follow-up requests

// Next returns the Call Kazoo makes when the callflow that res answered
// reaches its pivot node: it follows the "_" children from the root (the
// path Kazoo takes when every module carries on normally) to the first pivot
// node, and stores digits in the collection of the last collect_dtmf on the
// way ("default" when it has no collection_name). The new Call keeps c's
// call parameters and earlier collections (the collections live in the
// call's key-value store; that they survive a pivot is unverified), and
// takes the pivot node's voice_url, method, req_body_format, req_timeout_ms
// and req_format; a node without req_format gets the twiml naming, pivot_call's
// fallback. Empty digits adds no collection.
//
// Next fails when res did not run a callflow, when the path has no pivot
// node, or when digits are given but no collect_dtmf precedes the pivot.
func (c Call) Next(res *Result, digits string) (Call, error) {
	if res == nil || res.Verdict != VerdictRun || res.Node == nil {
		if res == nil {
			return Call{}, errors.New("pivottest: Next: nil Result")
		}
		return Call{}, fmt.Errorf("pivottest: Next: Kazoo runs no callflow: %w", res.Err())
	}
	collection, sawCollect := "", false
	var pivotNode *callflow.PivotData
	for n, depth := res.Node, 0; n != nil && depth < 1000; n, depth = n.Children[callflow.DefaultChild], depth+1 {
		switch d := n.Data.(type) {
		case *callflow.CollectDTMFData:
			sawCollect, collection = true, d.GetCollectionName()
		case *callflow.PivotData:
			pivotNode = d
		}
		if pivotNode != nil {
			break
		}
	}
	if pivotNode == nil {
		return Call{}, errors.New(`pivottest: Next: no pivot node on the callflow's "_" path`)
	}
	if digits != "" && !sawCollect {
		return Call{}, errors.New(`pivottest: Next: digits given, but no collect_dtmf precedes the pivot node on the "_" path`)
	}

	next := c
	next.VoiceURL = pivotNode.GetVoiceURL()
	next.Method = string(pivotNode.GetMethod())
	next.Body = wire.BodyForm
	if pivotNode.GetReqBodyFormat() == callflow.PivotReqBodyFormatJSON {
		next.Body = wire.BodyJSON
	}
	next.Format = wire.FormatTwiML // pivot_call's fallback without req_format
	if pivotNode.ReqFormat != nil && *pivotNode.ReqFormat == callflow.PivotReqFormatKazoo {
		next.Format = wire.FormatKazoo
	}
	next.Timeout = 0
	if ms := pivotNode.GetReqTimeoutMS(); ms > 0 {
		next.Timeout = time.Duration(ms) * time.Millisecond
	}
	next.Digits = maps.Clone(c.Digits)
	if digits != "" {
		if collection == "" {
			collection = "default"
		}
		if next.Digits == nil {
			next.Digits = map[string]string{}
		}
		next.Digits[collection] = digits
	}
	return next, nil
}
