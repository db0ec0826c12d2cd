package simulate

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/kzgen/kzgen/runtime/kzrt"
	"github.com/kzgen/kzgen/runtime/pivot/pivottest"
)

// exchanged is what Kazoo makes of one request: a flow to run, or a
// failure that ends the call (end) or makes cf_pivot continue with the
// pivot node's "_" child (fallback).
type exchanged struct {
	flow     *kzrt.Node
	fallback bool
	end      *ending
	why      string // the failure, for a verdict
}

// noteNoParent explains a failure of the first request that Kazoo would
// answer with the pivot node's "_" child.
const noteNoParent = "this is the first request: there is no pivot node whose \"_\" child could run, so the call ends"

// exchange sends c's request with pivottest, as Kazoo's pivot_call would,
// and narrates pivottest's reading of the answer. parent is the pivot node
// that asked, nil for the first request. The request and response events
// are emitted here.
func (w *walker) exchange(ctx context.Context, c pivottest.Call, parent *kzrt.Node) (exchanged, error) {
	method, target, body := c.Target()
	w.requests = append(w.requests, method+" "+withoutQuery(target))
	if len(w.requests) > w.cfg.MaxRequests {
		end := ending{OutcomeLimit, fmt.Sprintf("walk stopped: more than %d Pivot requests; %s", w.cfg.MaxRequests, cycle("requests", w.requests))}
		return exchanged{end: &end}, nil
	}

	ev := Event{Kind: KindRequest, Flow: w.flow, Method: method, URL: target, Body: body}
	ev.Text = method + " " + target
	if method == http.MethodPost {
		ev.URL = c.VoiceURL
		ev.Text = fmt.Sprintf("%s %s (%s body) %s", method, c.VoiceURL, c.Body, body)
	}
	ev.note("%s parameter names, timeout %d ms", c.Format, c.Timeout.Milliseconds())
	if parent == nil && c.Timeout > pivottest.MaxTimeout {
		ev.note("the schema caps req_timeout_ms at %d: Kazoo would reject a pivot node asking for more", pivottest.MaxTimeout.Milliseconds())
	}
	w.emit(ev)

	res, err := c.Do(ctx, w.cfg.Client)
	if err != nil {
		if ctx.Err() != nil {
			return exchanged{}, ctx.Err()
		}
		return exchanged{}, fmt.Errorf("simulate: request to %s: %w", c.VoiceURL, err)
	}
	return w.answer(res, parent), nil
}

// withoutQuery returns u without its query and fragment, to compare
// requests.
func withoutQuery(u string) string {
	if parsed, err := url.Parse(u); err == nil {
		parsed.RawQuery, parsed.Fragment = "", ""
		return parsed.String()
	}
	return u
}

// answer narrates pivottest's reading of a response, and follows what the
// call does next.
func (w *walker) answer(res *pivottest.Result, parent *kzrt.Node) exchanged {
	ev := Event{Kind: KindResponse, Flow: w.flow, Status: res.Status}
	if res.Header != nil {
		ev.ContentType = res.Header.Get("Content-Type")
	}
	head := ""
	if res.Status != 0 {
		head = fmt.Sprintf("%d %s, %d bytes", res.Status, describeCT(res.Header), len(res.Body))
		if res.Cut {
			head = fmt.Sprintf("%d %s, more than %d bytes", res.Status, describeCT(res.Header), len(res.Body))
		}
	}
	switch res.Verdict {
	case pivottest.VerdictRun:
		nodes := 0
		_ = res.Node.Walk(func(string, *kzrt.Node) { nodes++ })
		ev.Text = fmt.Sprintf("%s: Kazoo callflow accepted (%d %s)", head, nodes, plural(nodes, "node", "nodes"))
	case pivottest.VerdictFailed:
		ev.Text = res.Reason
		if head != "" {
			ev.Text = head + ": pivot failed (" + res.Reason + ")"
		}
	case pivottest.VerdictTwiML:
		ev.Text = head + ": a TwiML <Response> document"
	default:
		ev.Text = head + ": " + res.Reason
	}
	for _, p := range res.Problems {
		ev.Problems = append(ev.Problems, Problem{Pointer: p.Pointer, Message: p.Message})
	}
	ev.Notes = append(ev.Notes, res.Warnings...)
	if res.Then != pivottest.EffectRun || parent != nil {
		ev.Notes = append(ev.Notes, res.ThenReason)
	}

	switch res.Then {
	case pivottest.EffectRun:
		w.emit(ev)
		return exchanged{flow: res.Node}
	case pivottest.EffectDefaultChild:
		return w.fallback(ev, parent, res.Reason)
	case pivottest.EffectTwiML:
		w.emit(ev)
		end := ending{OutcomeTwiML, "not simulated: the server answered TwiML"}
		return exchanged{end: &end, why: "TwiML answer"}
	case pivottest.EffectSilence:
		w.emit(ev)
		end := ending{OutcomeFailed, "call failed: " + res.Reason + "; the caller hears silence until hanging up"}
		return exchanged{end: &end, why: res.Reason}
	case pivottest.EffectUnknown:
		w.emit(ev)
		end := ending{OutcomeLimit, "walk stopped: " + res.Reason}
		return exchanged{end: &end, why: res.Reason}
	}
	w.emit(ev)
	end := ending{OutcomeFailed, "call failed: " + res.Reason}
	return exchanged{end: &end, why: res.Reason}
}

// fallback finishes a failed answer after which cf_pivot continues with
// the pivot node's "_" child.
func (w *walker) fallback(ev Event, parent *kzrt.Node, why string) exchanged {
	switch {
	case parent == nil:
		ev.note(noteNoParent)
	case child(parent, kzrt.DefaultChild) == nil:
		ev.note("the pivot node has no \"_\" child: the call hangs up")
	default:
		ev.Branch = kzrt.DefaultChild
	}
	w.emit(ev)
	return exchanged{fallback: true, why: why}
}

// describeCT names a response's Content-Type header for the transcript.
func describeCT(h http.Header) string {
	values := h.Values("Content-Type")
	switch {
	case len(values) == 0:
		return "(no Content-Type)"
	case values[0] == "":
		return `""`
	}
	return values[0]
}
