package crossbar

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// pivotDebug is the Pivot debug endpoint (cb_pivot, §1.12).
const pivotDebug Resource = "pivot/debug"

// ErrPivotDebugUnavailable is returned when the cluster answers 404 for
// the Pivot debug endpoint: Crossbar's cb_pivot module is not loaded
// (autoload_modules), so no debug record can be read.
var ErrPivotDebugUnavailable = errors.New("this cluster has no Pivot debug endpoint (Crossbar's cb_pivot module is not loaded)")

// PivotDebugCall is one row of the Pivot debug listing: a call whose pivot
// node had "debug": true, summarised from its first request (§1.12).
type PivotDebugCall struct {
	CallID string `json:"call_id"`
	// DebugID is "YYYYMM-" and the call ID: the month of the database
	// holding the records.
	DebugID string    `json:"debug_id"`
	Created Timestamp `json:"created"`
	// URI is the voice_url of the first request.
	URI string `json:"uri"`
	// StatusCode is the HTTP status of the first answer (0 if none).
	StatusCode int    `json:"status_code"`
	Node       string `json:"node"`
	Iteration  int    `json:"iteration"`
	// HasSchemaErrors and HasJSONErrors are set when an answer of the call
	// failed Kazoo's callflow schemas or was not JSON.
	HasSchemaErrors bool `json:"has_schema_errors"`
	HasJSONErrors   bool `json:"has_json_errors"`
}

// UnmarshalJSON reads a row, accepting numbers written as strings.
func (c *PivotDebugCall) UnmarshalJSON(data []byte) error {
	type plain PivotDebugCall
	var row struct {
		*plain
		StatusCode json.RawMessage `json:"status_code"`
		Iteration  json.RawMessage `json:"iteration"`
	}
	row.plain = (*plain)(c)
	if err := json.Unmarshal(data, &row); err != nil {
		return err
	}
	var err error
	if c.StatusCode, err = lenientInt(row.StatusCode); err != nil {
		return fmt.Errorf("status_code: %w", err)
	}
	if c.Iteration, err = lenientInt(row.Iteration); err != nil {
		return fmt.Errorf("iteration: %w", err)
	}
	return nil
}

// PivotDebugRecord is one exchange of a debugged call: the request Kazoo
// sent to the pivot server and what came back, with the errors Kazoo found
// in the answer (§1.12; kazoo-pivot-facts "Debugging"). Kazoo writes the
// fields stage by stage, so any may be empty.
type PivotDebugRecord struct {
	CallID  string    `json:"call_id"`
	DebugID string    `json:"debug_id,omitempty"`
	Created Timestamp `json:"created"`
	Node    string    `json:"node,omitempty"`
	// Iteration counts the requests of the call, from 1.
	Iteration int `json:"iteration"`
	// URI and Method are the request's.
	URI            string            `json:"uri,omitempty"`
	Method         string            `json:"method,omitempty"`
	RequestHeaders map[string]string `json:"req_headers,omitempty"`
	RequestBody    string            `json:"req_body,omitempty"`
	// StatusCode, ResponseHeaders and ResponseBody are the answer's.
	StatusCode      int               `json:"resp_status_code,omitempty"`
	ResponseHeaders map[string]string `json:"resp_headers,omitempty"`
	ResponseBody    string            `json:"resp_body,omitempty"`
	// SchemaErrors are the schema problems Kazoo found in the answer, in
	// Kazoo's validation shape (SchemaProblems reads them).
	SchemaErrors json.RawMessage `json:"schema_errors,omitempty"`
	// JSONErrors say why the answer was not JSON, as Kazoo wrote it.
	JSONErrors json.RawMessage `json:"json_errors,omitempty"`
}

// UnmarshalJSON reads a record leniently: numbers written as strings,
// header values of any JSON type, bodies that are JSON rather than text.
func (r *PivotDebugRecord) UnmarshalJSON(data []byte) error {
	type plain PivotDebugRecord
	var rec struct {
		*plain
		Iteration       json.RawMessage `json:"iteration"`
		StatusCode      json.RawMessage `json:"resp_status_code"`
		RequestHeaders  json.RawMessage `json:"req_headers"`
		ResponseHeaders json.RawMessage `json:"resp_headers"`
		RequestBody     json.RawMessage `json:"req_body"`
		ResponseBody    json.RawMessage `json:"resp_body"`
	}
	rec.plain = (*plain)(r)
	if err := json.Unmarshal(data, &rec); err != nil {
		return err
	}
	var err error
	if r.Iteration, err = lenientInt(rec.Iteration); err != nil {
		return fmt.Errorf("iteration: %w", err)
	}
	if r.StatusCode, err = lenientInt(rec.StatusCode); err != nil {
		return fmt.Errorf("resp_status_code: %w", err)
	}
	r.RequestHeaders = lenientHeaders(rec.RequestHeaders)
	r.ResponseHeaders = lenientHeaders(rec.ResponseHeaders)
	r.RequestBody = messageTextOrEmpty(rec.RequestBody)
	r.ResponseBody = messageTextOrEmpty(rec.ResponseBody)
	return nil
}

// SchemaProblems returns SchemaErrors as problems with JSON pointers, or
// nil when there are none or they are not in Kazoo's validation shape.
func (r PivotDebugRecord) SchemaProblems() []Problem {
	return parseProblems(r.SchemaErrors)
}

// lenientInt reads an integer written as a number or a string; absent or
// empty is 0.
func lenientInt(raw json.RawMessage) (int, error) {
	if len(raw) == 0 || string(raw) == "null" || string(raw) == `""` {
		return 0, nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return 0, err
		}
		n = json.Number(strings.TrimSpace(s))
	}
	i, err := strconv.Atoi(n.String())
	if err != nil {
		return 0, fmt.Errorf("%s is not an integer", raw)
	}
	return i, nil
}

// lenientHeaders reads headers as an object of strings, other JSON values
// kept as their text; anything but an object is no headers.
func lenientHeaders(raw json.RawMessage) map[string]string {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil || len(m) == 0 {
		return nil
	}
	h := make(map[string]string, len(m))
	for k, v := range m {
		h[k] = messageText(v)
	}
	return h
}

// messageTextOrEmpty is messageText, with absent or null as "".
func messageTextOrEmpty(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	return messageText(raw)
}

// PivotDebugCalls lists the account's recently debugged calls (Crossbar
// keeps the last 31 days and an hour by default), every page, newest
// first. A cluster without the endpoint gives ErrPivotDebugUnavailable.
func (c *Client) PivotDebugCalls(ctx context.Context) ([]PivotDebugCall, error) {
	calls, err := ListAll[PivotDebugCall](ctx, c, pivotDebug, nil)
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("%w: %w", ErrPivotDebugUnavailable, err)
	}
	return calls, err
}

// PivotDebug returns every debug record of one call, by call ID or debug
// ID, in request order. A call with no record gives an error matching
// ErrNotFound; a cluster without the endpoint gives
// ErrPivotDebugUnavailable.
func (c *Client) PivotDebug(ctx context.Context, callID string) ([]PivotDebugRecord, error) {
	path, err := c.accountPath(ctx, pivotDebug, callID)
	if err != nil {
		return nil, err
	}
	records, err := collect(listPath[PivotDebugRecord](ctx, c, path, nil))
	var e *Error
	notFound := fmt.Sprintf("crossbar: no Pivot debug record for call %q (is \"debug\": true set on its pivot node, and was the call in the last 31 days?)", callID)
	switch {
	case errors.As(err, &e) && e.StatusCode == http.StatusNotFound && e.Message == "bad_identifier":
		return nil, fmt.Errorf("%s: %w", notFound, err)
	case errors.As(err, &e) && e.StatusCode == http.StatusNotFound:
		return nil, fmt.Errorf("%w: %w", ErrPivotDebugUnavailable, err)
	case err != nil:
		return nil, err
	case len(records) == 0:
		return nil, fmt.Errorf("%s: %w", notFound, ErrNotFound)
	}
	slices.SortStableFunc(records, func(a, b PivotDebugRecord) int {
		if a.Iteration != b.Iteration {
			return a.Iteration - b.Iteration
		}
		return a.Created.Compare(b.Created.Time)
	})
	return records, nil
}

// collect gathers an iterator's values, stopping at the first error.
func collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
