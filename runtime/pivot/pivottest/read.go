package pivottest

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/kzgen/kzgen/generator/validate"
	"github.com/kzgen/kzgen/runtime/kzrt"
	"github.com/kzgen/kzgen/runtime/wire"
)

// Verdict is what Kazoo makes of a Pivot response.
type Verdict uint8

// The verdicts.
const (
	// VerdictRun: Kazoo runs Result.Node in place of the current callflow.
	VerdictRun Verdict = iota + 1
	// VerdictFailed: pivot.failed, or no answer in time; Kazoo continues
	// with the pivot node's "_" child, or hangs up when it has none.
	VerdictFailed
	// VerdictCallEnds: no pivot.failed; Kazoo stops the pivot and hangs up
	// (empty body, invalid JSON, a body that is not one schema-valid
	// node), unless the pivot node has a cdr_url (see Result.Then).
	VerdictCallEnds
	// VerdictUnrecognized: no translator accepts the body (e.g. JSON without
	// Content-Type application/json): Kazoo publishes pivot.failed and also
	// sends a hangup; the two race.
	VerdictUnrecognized
	// VerdictTwiML: a TwiML <Response>, which Kazoo runs as TwiML; this
	// package does not interpret TwiML.
	VerdictTwiML
	// VerdictNotJudged: the fake Kazoo cannot judge the answer: it is
	// longer than Call.MaxBody and was cut there (Result.Cut), or the
	// schemas to check it with could not be loaded. Reason says which.
	VerdictNotJudged
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
	case VerdictNotJudged:
		return "not judged"
	}
	return fmt.Sprintf("Verdict(%d)", uint8(v))
}

// Effect is what the call does after a Pivot response, as Kazoo's
// pivot_call and cf_pivot decide it together.
type Effect uint8

// The effects.
const (
	// EffectRun: Kazoo runs Result.Node in place of the running callflow;
	// the pivot node's own children are never reached.
	EffectRun Effect = iota + 1
	// EffectDefaultChild: cf_pivot continues with the pivot node's "_"
	// child; the call hangs up when it has none.
	EffectDefaultChild
	// EffectHangup: the call ends.
	EffectHangup
	// EffectSilence: nothing runs any more, but nothing hangs up either:
	// the caller hears silence until hanging up.
	EffectSilence
	// EffectTwiML: Kazoo runs the answer with its TwiML translator.
	EffectTwiML
	// EffectUnknown: the answer was not judged (VerdictNotJudged).
	EffectUnknown
)

// String returns the effect's name, e.g. "default child".
func (e Effect) String() string {
	switch e {
	case EffectRun:
		return "run"
	case EffectDefaultChild:
		return "default child"
	case EffectHangup:
		return "hangup"
	case EffectSilence:
		return "silence"
	case EffectTwiML:
		return "twiml"
	case EffectUnknown:
		return "unknown"
	}
	return fmt.Sprintf("Effect(%d)", uint8(e))
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
	// Cut is set when the answer was longer than the call's MaxBody:
	// Body holds its first MaxBody bytes, and it is not judged.
	Cut bool

	// Verdict is what Kazoo does with the response.
	Verdict Verdict
	// Reason says why, for any verdict but VerdictRun.
	Reason string
	// Problems lists why Kazoo's schemas refuse the answer, each at its
	// JSON pointer with Kazoo's error code, as Kazoo's Pivot debug log
	// records them in schema_errors.
	Problems kzrt.Errors
	// Warnings are points Kazoo accepts that a careful server avoids, e.g.
	// a Content-Type Kazoo only reads as JSON by falling back.
	Warnings []string
	// Then is what the call does next, and ThenReason says why in Kazoo's
	// terms (which events pivot_call publishes, whether it hangs up).
	Then       Effect
	ThenReason string
	// Node is the callflow Kazoo runs, for VerdictRun: typed by
	// Call.Modules when it is set, else each node's data is a
	// *kzrt.RawData.
	Node *kzrt.Node
}

// Err returns nil for VerdictRun, else a *VerdictError.
func (r *Result) Err() error {
	if r.Verdict == VerdictRun {
		return nil
	}
	return &VerdictError{Verdict: r.Verdict, Reason: r.Reason}
}

// What Kazoo's pivot_call and cf_pivot do after each kind of failure.
const (
	thenPivotFailed = `pivot_call publishes pivot.failed; cf_pivot continues with the pivot node's "_" child`
	thenNoAnswer    = `Kazoo 5.x: pivot_call only logs the failure, and cf_pivot continues with the pivot node's "_" child after its 10 s event wait (Kazoo 4.3 publishes pivot.failed at once, with the same result)`
	thenNotJudged   = "unknown: kzgen does not judge this answer"
)

// noAnswer records a request that got no usable answer in time.
func (r *Result) noAnswer(reason string) {
	r.Verdict, r.Reason, r.Node, r.Problems = VerdictFailed, reason, nil, nil
	r.Then, r.ThenReason = EffectDefaultChild, thenNoAnswer
}

// Interpret applies Kazoo's reading rules (see the package documentation)
// to a response, as Call{} reads it: checked against kzgen's embedded
// schemas, for a pivot node without cdr_url.
func Interpret(status int, header http.Header, body []byte) *Result {
	return Call{}.Interpret(status, header, body)
}

// Interpret applies Kazoo's reading rules to a response received for c: a
// Kazoo JSON answer is checked with c.Modules or c.Validator, and c.CDRURL
// decides what follows an answer Kazoo cannot use. The body is judged
// whole, however long it is.
func (c Call) Interpret(status int, header http.Header, body []byte) *Result {
	return c.read(status, header, body, false)
}

// MediaType returns a response's Content-Type as Kazoo's kzt_translator
// compares it: the first value's media type before any ";", trimmed, and
// compared case-sensitively by the caller. present is false when the
// header is missing, which Kazoo reads as text/xml.
func MediaType(header http.Header) (mediaType string, present bool) {
	values := header.Values("Content-Type")
	if len(values) == 0 {
		return "text/xml", false
	}
	before, _, _ := strings.Cut(values[0], ";")
	return strings.TrimSpace(before), true
}

// read judges a response; cut says that body is only its first MaxBody
// bytes.
func (c Call) read(status int, header http.Header, body []byte, cut bool) *Result {
	res := &Result{Status: status, Header: header, Body: body, Cut: cut}
	// pivot_call streams only 200 and 206; every other status arrives
	// whole and fails the pivot.
	if status != http.StatusOK && status != http.StatusPartialContent {
		res.Verdict = VerdictFailed
		res.Reason = fmt.Sprintf("status %d: Kazoo accepts only 200 and 206", status)
		res.Then, res.ThenReason = EffectDefaultChild, thenPivotFailed
		return res
	}
	if status == http.StatusPartialContent {
		res.Warnings = append(res.Warnings, "status 206: Kazoo streams it and reads it like 200; answer 200")
	}
	if cut {
		res.notJudged(fmt.Sprintf("the answer is longer than %d bytes (Call.MaxBody): kzgen read only that much and does not judge it", c.maxBody()))
		return res
	}
	if len(body) == 0 {
		c.unusable(res, "empty body", false)
		return res
	}

	// kzt_translator picks the translators by media type.
	mediaType, present := MediaType(header)
	tryTwiML, tryKazoo := true, true
	switch mediaType {
	case wire.ContentTypeJSON:
		tryTwiML = false
	case "text/xml", "application/xml":
		tryKazoo = false
	default:
		res.Warnings = append(res.Warnings, fmt.Sprintf(
			"Content-Type %q is not exactly %q (Kazoo compares it case-sensitively): Kazoo tries TwiML first and reads Kazoo JSON only as a fallback",
			mediaType, wire.ContentTypeJSON))
	}
	if tryTwiML && IsTwiML(body) {
		res.Verdict, res.Reason = VerdictTwiML, "a TwiML <Response>"
		res.Then, res.ThenReason = EffectTwiML, "Kazoo runs it with its TwiML translator, which kzgen does not interpret"
		return res
	}
	if !tryKazoo {
		what := fmt.Sprintf("Content-Type %q", mediaType)
		if !present {
			what = "no Content-Type (Kazoo reads it as text/xml)"
		}
		c.unrecognized(res, what+": only TwiML is read, and the body is not a TwiML <Response>")
		return res
	}
	// Unverified: whether invalid JSON after a failed TwiML attempt (a
	// Content-Type other than application/json) ends the call, as with
	// application/json, or counts as unrecognised; it is read like
	// application/json.
	c.readKazoo(res)
	return res
}

// readKazoo reads the body as Kazoo's kzt_kazoo does: one JSON value,
// validated as a callflows.action node.
func (c Call) readKazoo(res *Result) {
	if msg := jsonSyntax(res.Body); msg != "" {
		c.unusable(res, "invalid JSON: "+msg, false)
		return
	}
	node, problems, warnings, err := c.check(res.Body)
	res.Warnings = append(res.Warnings, warnings...)
	switch {
	case err != nil:
		res.notJudged(err.Error())
		return
	case len(problems) > 0:
		res.Problems = problems
		reason := fmt.Sprintf("the callflow fails Kazoo's schema (%d %s)", len(problems), plural(len(problems), "problem", "problems"))
		if doc, _ := kzrt.IsDocument(res.Body); doc {
			reason += `: this is a callflow document ({"flow":…}); the answer must be one bare node {"module":…,"data":…}`
		}
		c.unusable(res, reason, true)
		return
	}
	res.Verdict, res.Node = VerdictRun, node
	res.Then, res.ThenReason = EffectRun, "Kazoo replaces the running callflow with this one; the pivot node's own children are never reached"
}

// unusable records an answer that pivot_call stops at without publishing
// pivot.failed: empty, invalid JSON, or refused by the schema (accepted
// says pivot.processing was published first, as it is once a translator
// took the body).
func (c Call) unusable(res *Result, reason string, accepted bool) {
	res.Verdict, res.Reason, res.Node = VerdictCallEnds, reason, nil
	log := "json_errors"
	if accepted {
		log = "schema_errors"
	}
	switch {
	case c.CDRURL == "":
		res.Then = EffectHangup
		res.ThenReason = fmt.Sprintf("pivot_call records %s and stops without publishing pivot.failed; with no cdr_url on the pivot node it hangs the call up", log)
	case accepted:
		res.Then = EffectSilence
		res.ThenReason = fmt.Sprintf("pivot_call records %s after publishing pivot.processing, so cf_pivot waits for the call to end; with a cdr_url it does not hang up: the caller hears silence", log)
	default:
		res.Then = EffectDefaultChild
		res.ThenReason = fmt.Sprintf(`pivot_call records %s and stops without publishing pivot.failed; with a cdr_url it does not hang up, so cf_pivot continues with the pivot node's "_" child after its 10 s event wait`, log)
	}
}

// unrecognized records a body no translator takes.
func (c Call) unrecognized(res *Result, reason string) {
	res.Verdict, res.Reason = VerdictUnrecognized, reason
	if c.CDRURL == "" {
		res.Then = EffectHangup
		res.ThenReason = `pivot_call publishes pivot.failed, after which cf_pivot would continue with the pivot node's "_" child, and also hangs the call up (no cdr_url on the pivot node); the two race, and the call usually ends`
		return
	}
	res.Then = EffectDefaultChild
	res.ThenReason = `pivot_call publishes pivot.failed and, with a cdr_url, does not hang up: cf_pivot continues with the pivot node's "_" child`
}

func (r *Result) notJudged(reason string) {
	r.Verdict, r.Reason, r.Node = VerdictNotJudged, reason, nil
	r.Then, r.ThenReason = EffectUnknown, thenNotJudged
}

// noBlacklist blocks no host: test servers listen on 127.0.0.1.
var noBlacklist, _ = kzrt.NewBlacklist()

// defaultValidator is the validator over kzgen's embedded schemas, built
// on first use.
var defaultValidator = sync.OnceValues(func() (*validate.Validator, error) {
	return validate.New(validate.WithBlacklist(noBlacklist))
})

// rawModules reads every node's data as JSON.
var rawModules = kzrt.NewModules()

// check runs Kazoo's schema check on valid JSON: the problems when the
// schema refuses it, else the tree Kazoo runs. err is for a check that
// could not run.
func (c Call) check(body []byte) (node *kzrt.Node, problems kzrt.Errors, warnings []string, err error) {
	if c.Modules != nil {
		node, err := c.Modules.ParseNode(body)
		if err == nil {
			err = kzrt.Validate(node, kzrt.WithURLBlacklist(noBlacklist))
		}
		if err != nil {
			return nil, kzrt.AsErrors(err), nil, nil
		}
		return node, nil, nil, nil
	}
	v := c.Validator
	if v == nil {
		if v, err = defaultValidator(); err != nil {
			return nil, nil, nil, fmt.Errorf("loading kzgen's embedded schemas: %w", err)
		}
	}
	checked := v.Validate(body, validate.Pivot)
	for _, w := range checked.Warnings {
		warnings = append(warnings, w.String())
	}
	if !checked.Valid() {
		return nil, checked.Problems, warnings, nil
	}
	node, err = rawModules.ParseNode(body)
	if err != nil {
		return nil, kzrt.AsErrors(err), warnings, nil
	}
	markKnown(node)
	return node, nil, warnings, nil
}

// markKnown clears RawData.Unknown on every node the validator checked: it
// found a schema for each of their modules.
func markKnown(n *kzrt.Node) {
	if d, ok := n.Data.(*kzrt.RawData); ok {
		d.Unknown = false
	}
	for key, c := range n.Children {
		if c != nil && kzrt.ChildKeyChecked(key) {
			markKnown(c)
		}
	}
}

// jsonSyntax returns why body is not one JSON value, with the line and
// column, or "" when it is.
func jsonSyntax(body []byte) string {
	if json.Valid(body) {
		return ""
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	var v json.RawMessage
	err := dec.Decode(&v)
	if err == nil {
		if _, err = dec.Token(); errors.Is(err, io.EOF) {
			return "not one JSON value"
		}
		return "data after the JSON value (" + position(body, dec.InputOffset()) + ")"
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%v (%s)", se, position(body, se.Offset-1))
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "unexpected end of JSON input"
	}
	return err.Error()
}

// position names the line and column of a byte offset.
func position(data []byte, offset int64) string {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(offset) - bytes.LastIndexByte(before, '\n')
	return fmt.Sprintf("line %d, column %d", line, col)
}

// IsTwiML reports whether body is what Kazoo's kzt_twiml recognises: a
// well-formed XML document whose root element is <Response>.
func IsTwiML(body []byte) bool {
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

// plural picks the singular or plural word for n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
