package pivottest

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"time"

	"github.com/kzgen/kzgen/runtime/kzrt"
	"github.com/kzgen/kzgen/runtime/wire"
)

// pivotData is the part of a pivot node's data that shapes its request.
type pivotData struct {
	VoiceURL      string  `json:"voice_url"`
	Method        *string `json:"method"`
	ReqBodyFormat string  `json:"req_body_format"`
	ReqFormat     *string `json:"req_format"`
	ReqTimeoutMS  *int64  `json:"req_timeout_ms"`
	CDRURL        string  `json:"cdr_url"`
}

// FollowUp returns the Call Kazoo makes when a callflow reaches the pivot
// node n: c's call parameters and settings, with n's voice_url, method,
// req_body_format, req_format, req_timeout_ms and cdr_url, and notes on the
// fallbacks Kazoo applies to them:
//
//   - a node without method is sent as GET (cf_pivot's default), and one
//     whose method is neither get nor post (any case) as POST;
//   - a node without req_format gets the twiml naming: cf_pivot then sends
//     no Request-Format, and pivot_call falls back to twiml (the schema's
//     default, kazoo, applies only where it was stored with the flow);
//   - a req_timeout_ms that is not positive leaves Kazoo's default of 5000
//     ms; the schema refuses one above 5000.
//
// It fails when n is not a pivot node or its data is not the shape the
// schema gives it.
func (c Call) FollowUp(n *kzrt.Node) (Call, []string, error) {
	if n == nil || n.Module != "pivot" {
		return Call{}, nil, errors.New("pivottest: FollowUp: not a pivot node")
	}
	var d pivotData
	if n.Data != nil {
		raw, err := n.Data.MarshalJSON()
		if err == nil {
			err = json.Unmarshal(raw, &d)
		}
		if err != nil {
			return Call{}, nil, fmt.Errorf("pivottest: FollowUp: pivot data: %w", err)
		}
	}
	if d.VoiceURL == "" {
		return Call{}, nil, errors.New("pivottest: FollowUp: the pivot node has no voice_url")
	}
	var notes []string
	next := c
	next.VoiceURL, next.CDRURL = d.VoiceURL, d.CDRURL
	next.Method = ""
	if d.Method != nil {
		next.Method = *d.Method
		if m := strings.ToUpper(*d.Method); m != http.MethodGet && m != http.MethodPost {
			notes = append(notes, fmt.Sprintf("method %q is not get or post: Kazoo falls back to POST", *d.Method))
		}
	}
	next.Body = wire.BodyForm
	if d.ReqBodyFormat == "json" {
		next.Body = wire.BodyJSON
	}
	next.Format = wire.FormatTwiML
	switch {
	case d.ReqFormat == nil:
		notes = append(notes, `req_format is not set: cf_pivot sends no Request-Format and pivot_call falls back to twiml parameter names (the schema's default "kazoo" applies only if stored with the flow); set req_format to be sure`)
	case *d.ReqFormat == "kazoo":
		next.Format = wire.FormatKazoo
	}
	next.Timeout = 0
	if d.ReqTimeoutMS != nil {
		switch ms := *d.ReqTimeoutMS; {
		case ms <= 0:
			notes = append(notes, fmt.Sprintf("req_timeout_ms %d is not positive: Kazoo uses its default of %d ms", ms, DefaultTimeout.Milliseconds()))
		case ms > MaxTimeout.Milliseconds():
			notes = append(notes, fmt.Sprintf("req_timeout_ms %d is above the schema's maximum of %d ms: Kazoo refuses such a flow", ms, MaxTimeout.Milliseconds()))
			next.Timeout = time.Duration(ms) * time.Millisecond
		default:
			next.Timeout = time.Duration(ms) * time.Millisecond
		}
	}
	next.Digits = maps.Clone(c.Digits)
	return next, notes, nil
}

// Next returns the Call Kazoo makes when the callflow that res answered
// reaches its pivot node: it follows the "_" children from the root (the
// path Kazoo takes when every module carries on normally) to the first pivot
// node, and stores digits in the collection of the last collect_dtmf on the
// way ("default" when it has no collection_name). The new Call is
// FollowUp's for that node: it keeps c's call parameters and earlier
// collections (the collections live in the call's key-value store; that
// they survive a pivot is unverified). Empty digits adds no collection.
//
// Next fails when res did not run a callflow, when the path has no pivot
// node or loops (a tree built in Go can), or when digits are given but no
// collect_dtmf precedes the pivot.
func (c Call) Next(res *Result, digits string) (Call, error) {
	if res == nil {
		return Call{}, errors.New("pivottest: Next: nil Result")
	}
	if res.Verdict != VerdictRun || res.Node == nil {
		return Call{}, fmt.Errorf("pivottest: Next: Kazoo runs no callflow: %w", res.Err())
	}
	collection, sawCollect := "", false
	var pivotNode *kzrt.Node
	seen := map[*kzrt.Node]string{}
	path := ""
	for n := res.Node; n != nil && pivotNode == nil; n, path = n.Children[kzrt.DefaultChild], path+"/children/_" {
		if first, ok := seen[n]; ok {
			return Call{}, fmt.Errorf(`pivottest: Next: the "_" path loops: the node at %s is the one at %s`, pointerName(path), pointerName(first))
		}
		seen[n] = path
		switch n.Module {
		case "collect_dtmf":
			sawCollect = true
			var d struct {
				CollectionName string `json:"collection_name"`
			}
			if n.Data != nil {
				if raw, err := n.Data.MarshalJSON(); err == nil && json.Unmarshal(raw, &d) == nil {
					collection = d.CollectionName
				}
			}
		case "pivot":
			pivotNode = n
		}
	}
	if pivotNode == nil {
		return Call{}, errors.New(`pivottest: Next: no pivot node on the callflow's "_" path`)
	}
	if digits != "" && !sawCollect {
		return Call{}, errors.New(`pivottest: Next: digits given, but no collect_dtmf precedes the pivot node on the "_" path`)
	}
	next, _, err := c.FollowUp(pivotNode)
	if err != nil {
		return Call{}, fmt.Errorf("pivottest: Next: %w", err)
	}
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

// pointerName names a JSON pointer for messages: "(root)" for "".
func pointerName(p string) string {
	if p == "" {
		return "(root)"
	}
	return p
}
