package simulate

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/kzrt"
	"github.com/kzgen/kzgen/runtime/wire"
)

// request is one Pivot request to send: the settings of a pivot node.
type request struct {
	url     string
	method  string          // "GET" or "POST"
	body    wire.BodyFormat // BodyForm or BodyJSON (POST only)
	format  wire.Format     // FormatKazoo or FormatTwiML
	timeout time.Duration   // req_timeout_ms
	cdrURL  string          // cdr_url: with one, pivot_call does not hang up on a bad answer
}

// exchanged is what Kazoo makes of one request: a flow to run, or a
// failure that ends the call (end) or makes cf_pivot continue with the
// pivot node's "_" child (fallback).
type exchanged struct {
	flow     *callflow.Node
	fallback bool
	end      *ending
	why      string // the failure, for a verdict
}

// Contexts of a failed answer, for the notes.
const (
	noteHangup   = "pivot_call then hangs the call up (the pivot node has no cdr_url), so the call ends"
	noteNoParent = "this is the first request: there is no pivot node whose \"_\" child could run, so the call ends"
)

// exchange sends r, as Kazoo's pivot_call would, and reads the answer by
// Kazoo's rules. parent is the pivot node that asked, nil for the first
// request. The request and response events are emitted here.
func (w *walker) exchange(ctx context.Context, r request, parent *callflow.Node) (exchanged, error) {
	if w.requests >= w.cfg.MaxRequests {
		end := ending{OutcomeLimit, fmt.Sprintf("walk stopped: more than %d Pivot requests (an endless loop?)", w.cfg.MaxRequests)}
		return exchanged{end: &end}, nil
	}
	w.requests++

	params := w.params(r.format)
	rctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	req, err := wire.NewHTTPRequest(rctx, r.method, r.url, r.body, params)
	if err != nil {
		return exchanged{}, fmt.Errorf("simulate: request to %s: %w", r.url, err)
	}
	req.Header.Set("User-Agent", "") // net/http then sends none, as Kazoo's httpc

	ev := Event{Kind: KindRequest, Flow: w.flow, Method: r.method}
	if r.method == http.MethodGet {
		ev.URL = wire.AppendQuery(r.url, wire.EncodeForm(params))
		ev.Text = fmt.Sprintf("%s %s", r.method, ev.URL)
	} else {
		ev.URL = r.url
		if r.body == wire.BodyJSON {
			ev.Body = string(wire.EncodeJSON(params))
		} else {
			ev.Body = wire.EncodeForm(params)
		}
		ev.Text = fmt.Sprintf("%s %s (%s body) %s", r.method, r.url, r.body, ev.Body)
	}
	ev.note("%s parameter names, timeout %d ms", r.format, r.timeout.Milliseconds())
	if r.timeout > DefaultTimeout {
		ev.note("the schema caps req_timeout_ms at 5000: Kazoo would reject a pivot node asking for more")
	}
	w.emit(ev)

	resp, err := w.client.Do(req)
	var body []byte
	if err == nil {
		body, err = io.ReadAll(io.LimitReader(resp.Body, maxBody))
		resp.Body.Close()
	}
	if err != nil {
		if ctx.Err() != nil {
			return exchanged{}, ctx.Err()
		}
		return w.transportFailure(r, parent, err, rctx.Err() != nil), nil
	}
	return w.answer(r, parent, resp, body), nil
}

// transportFailure reports a request that got no answer: a timeout or a
// transport error.
func (w *walker) transportFailure(r request, parent *callflow.Node, err error, timedOut bool) exchanged {
	ev := Event{Kind: KindResponse, Flow: w.flow}
	var ne net.Error
	if timedOut || (errors.As(err, &ne) && ne.Timeout()) {
		ev.Text = fmt.Sprintf("no answer within %d ms (req_timeout_ms)", r.timeout.Milliseconds())
		ev.note("Kazoo master: pivot_call only logs the timeout; cf_pivot gives up after its 10 s event wait and continues with the pivot node's \"_\" child (4.3 publishes pivot.failed at once, with the same result)")
	} else {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL is in the request event already
		}
		ev.Text = fmt.Sprintf("request failed: %v", err)
		ev.note("Kazoo master: pivot_call only logs a transport error; cf_pivot gives up after its 10 s event wait and continues with the pivot node's \"_\" child (4.3 publishes pivot.failed at once)")
	}
	return w.fallback(ev, parent, ev.Text)
}

// fallback finishes a failed answer after which cf_pivot continues with
// the pivot node's "_" child.
func (w *walker) fallback(ev Event, parent *callflow.Node, why string) exchanged {
	switch {
	case parent == nil:
		ev.note(noteNoParent)
	case child(parent, callflow.DefaultChild) == nil:
		ev.note("the pivot node has no \"_\" child: the call hangs up")
	default:
		ev.Branch = callflow.DefaultChild
	}
	w.emit(ev)
	return exchanged{fallback: true, why: why}
}

// fatal finishes a failed answer that ends the call.
func (w *walker) fatal(ev Event, why string) exchanged {
	w.emit(ev)
	end := ending{OutcomeFailed, "call failed: " + why}
	return exchanged{end: &end, why: why}
}

// answer reads a response the way pivot_call and kzt_translator do.
func (w *walker) answer(r request, parent *callflow.Node, resp *http.Response, body []byte) exchanged {
	rawCT, hasCT := "", false
	if v := resp.Header.Values("Content-Type"); len(v) > 0 {
		rawCT, hasCT = v[0], true
	}
	ev := Event{Kind: KindResponse, Flow: w.flow, Status: resp.StatusCode, ContentType: rawCT}
	head := fmt.Sprintf("%d %s, %d bytes", resp.StatusCode, describeCT(rawCT, hasCT), len(body))

	// pivot_call streams only 200 and 206; every other status arrives
	// whole and is a failed pivot.
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusPartialContent {
		ev.Text = head + ": pivot failed (Kazoo accepts only 200 and 206)"
		ev.note("pivot_call publishes pivot.failed; cf_pivot continues with the pivot node's \"_\" child")
		return w.fallback(ev, parent, fmt.Sprintf("HTTP status %d", resp.StatusCode))
	}
	if resp.StatusCode == http.StatusPartialContent {
		ev.note("206 is streamed and read like 200")
	}

	// kzt_translator: the media type before any ";", trimmed, compared
	// case-sensitively; no header at all counts as text/xml.
	ct := "text/xml"
	if hasCT {
		ct, _, _ = strings.Cut(rawCT, ";")
		ct = strings.TrimSpace(ct)
	} else {
		ev.note("no Content-Type: Kazoo reads the answer as text/xml, i.e. TwiML only; a Kazoo callflow must be sent as application/json")
	}
	tryTwiML, tryKazoo := true, true
	switch ct {
	case "application/json":
		tryTwiML = false
	case "text/xml", "application/xml":
		tryKazoo = false
	default:
		ev.note("Content-Type %q is not application/json (Kazoo compares it case-sensitively): Kazoo tries TwiML first, then Kazoo JSON", ct)
	}

	if tryTwiML && isTwiML(body) {
		ev.Text = head + ": a TwiML <Response> document"
		ev.note("Kazoo would run it with its TwiML translator; kzgen simulate walks only Kazoo JSON callflows")
		w.emit(ev)
		end := ending{OutcomeTwiML, "not simulated: the server answered TwiML"}
		return exchanged{end: &end, why: "TwiML answer"}
	}
	if !tryKazoo {
		// No translator recognises the body: pivot.failed is published,
		// and pivot_call stops the call as well.
		ev.Text = head + ": not TwiML, and no other translator is tried for this Content-Type"
		if r.cdrURL != "" {
			ev.note("pivot_call publishes pivot.failed; with a cdr_url it does not hang up, so cf_pivot continues with the pivot node's \"_\" child")
			return w.fallback(ev, parent, "answer not recognised")
		}
		ev.note("pivot_call publishes pivot.failed (cf_pivot would continue with \"_\") and also hangs the call up (no cdr_url); the two race, and kzgen simulate counts the call as ended")
		return w.fatal(ev, "answer not recognised (Content-Type "+describeCT(rawCT, hasCT)+")")
	}

	// kzt_kazoo: the body must be JSON; a decode error ends the call
	// without pivot.failed.
	if msg := jsonError(body); msg != "" {
		ev.Text = head + ": invalid JSON: " + msg
		if r.cdrURL != "" {
			ev.note("pivot_call records json_errors and stops without publishing pivot.failed; with a cdr_url it does not hang up, so cf_pivot continues with \"_\" after its 10 s event wait")
			return w.fallback(ev, parent, "invalid JSON")
		}
		ev.note("pivot_call records json_errors and stops without publishing pivot.failed; " + noteHangup)
		return w.fatal(ev, "invalid JSON")
	}

	// The decoded value must be one bare callflows.action node, valid at
	// every depth.
	flow, problems := parseFlow(body)
	if len(problems) > 0 {
		ev.Text = fmt.Sprintf("%s: the callflow fails Kazoo's schema (%d %s)", head, len(problems), plural(len(problems), "problem", "problems"))
		ev.Problems = problems
		if hasFlowWrapper(body) {
			ev.note("the answer must be one bare node {\"module\":…,\"data\":…}, not a callflow document {\"flow\":…}")
		}
		if r.cdrURL != "" {
			ev.note("pivot_call records schema_errors after publishing pivot.processing; with a cdr_url it does not hang up, and cf_pivot waits until the call ends: the caller hears silence")
		} else {
			ev.note("pivot_call records schema_errors and stops without publishing pivot.failed; " + noteHangup)
		}
		return w.fatal(ev, "the answer fails Kazoo's callflow schema")
	}
	nodes := 0
	flow.Walk(func(string, *callflow.Node) { nodes++ })
	ev.Text = fmt.Sprintf("%s: Kazoo callflow accepted (%d %s)", head, nodes, plural(nodes, "node", "nodes"))
	if parent != nil {
		ev.note("Kazoo replaces the running flow with this one")
		if len(parent.Children) > 0 {
			ev.note("the pivot node's own children are never reached after a successful pivot")
		}
	}
	w.emit(ev)
	return exchanged{flow: flow}
}

// describeCT names a Content-Type header for the transcript.
func describeCT(raw string, present bool) string {
	if !present {
		return "(no Content-Type)"
	}
	if raw == "" {
		return `""`
	}
	return raw
}

// plural picks the singular or plural word for n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// isTwiML reports whether body is an XML document whose root element is
// <Response>, what kzt_twiml recognises.
func isTwiML(body []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := d.Token()
		if err != nil {
			return false
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local == "Response"
		}
	}
}

// jsonError returns why body is not one JSON value, or "" when it is.
func jsonError(body []byte) string {
	if len(bytes.TrimSpace(body)) == 0 {
		return "empty body"
	}
	if json.Valid(body) {
		return ""
	}
	var v any
	err := json.Unmarshal(body, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%v (%s)", se, position(body, se.Offset))
	}
	if err != nil {
		return err.Error()
	}
	return "not valid JSON"
}

// position names the line and column of a byte offset.
func position(data []byte, offset int64) string {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(offset) - bytes.LastIndexByte(before, '\n')
	return fmt.Sprintf("line %d, column %d", line, col)
}

// localTesting is the client blacklist answers are checked with: none, so
// that a pivot can call a server on this machine; the walk notes where
// Kazoo's default blacklist would refuse the URL.
var localTesting, _ = kzrt.NewBlacklist()

// parseFlow reads an answer as Kazoo's kzd_callflows:validate_flow does:
// one bare node, checked against callflows.action and each node's module
// schema. Decode errors (a value of the wrong type) are schema problems
// too.
func parseFlow(body []byte) (*callflow.Node, []Problem) {
	node, err := callflow.Modules().ParseNode(body)
	if err == nil {
		err = kzrt.Validate(node, kzrt.WithURLBlacklist(localTesting))
	}
	if err == nil {
		return node, nil
	}
	var problems []Problem
	for _, e := range kzrt.AsErrors(err) {
		problems = append(problems, Problem{Pointer: e.Pointer, Message: e.Message})
	}
	return nil, problems
}

// hasFlowWrapper reports whether body is an object with "flow" but no
// "module": a callflow document sent where a bare node belongs.
func hasFlowWrapper(body []byte) bool {
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil {
		return false
	}
	_, flow := top["flow"]
	_, module := top["module"]
	return flow && !module
}

// params returns the parameters Kazoo sends for the call in naming f.
func (w *walker) params(f wire.Format) wire.Params {
	c := w.call
	r := wire.Request{
		AccountID:             c.AccountID,
		CallID:                c.CallID,
		From:                  c.From,
		FromRealm:             c.Realm,
		To:                    c.To,
		ToRealm:               c.Realm,
		RequestUser:           c.To,
		RequestRealm:          c.Realm,
		CallerIDName:          c.CallerIDName,
		CallerIDNumber:        c.CallerIDNumber,
		UserIDs:               c.UserIDs,
		Language:              c.Language,
		Direction:             wire.DirectionInbound,
		APIVersion:            wire.KazooAPIVersion,
		Digits:                wire.DigitCollections(c.dtmf),
		CustomApplicationVars: c.cavs,
	}
	if f != wire.FormatKazoo {
		r.APIVersion = wire.TwiMLAPIVersion
	}
	return r.Params(f)
}
