package crossbar_test

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/kzgen/kzgen/runtime/crossbar"
	"github.com/kzgen/kzgen/runtime/crossbar/crossbartest"
)

func TestPivotDebug(t *testing.T) {
	clock := crossbartest.NewManualClock(time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
	srv, acct := fake(t, crossbartest.Options{Clock: clock})
	at := func(ago time.Duration) crossbar.Timestamp { return crossbar.Timestamp{Time: clock.Now().Add(-ago)} }
	err := acct.AddPivotDebug(
		crossbar.PivotDebugRecord{CallID: "old@host", Created: at(40 * 24 * time.Hour), URI: "https://pivot.example.com/", StatusCode: 200},
		crossbar.PivotDebugRecord{CallID: "a1@10.0.0.1", Created: at(2 * time.Hour), Iteration: 1, URI: "https://pivot.example.com/", Method: "get", StatusCode: 200,
			RequestHeaders: map[string]string{"user-agent": "kazoo"}, ResponseBody: `{"module":"tts","data":{}}`,
			SchemaErrors: json.RawMessage(`{"data.text":{"required":{"message":"Field is required but missing"}}}`)},
		crossbar.PivotDebugRecord{CallID: "b2", Created: at(time.Hour), URI: "https://pivot.example.com/", StatusCode: 500},
		crossbar.PivotDebugRecord{CallID: "a1@10.0.0.1", Created: at(2*time.Hour - time.Second), Iteration: 2, URI: "https://pivot.example.com/next", StatusCode: 200,
			JSONErrors: json.RawMessage(`{"error":"invalid JSON"}`)},
	)
	if err != nil {
		t.Fatal(err)
	}
	c := client(t, srv, crossbar.APIKey(acct.APIKey), func(cfg *crossbar.Config) { cfg.Now = clock.Now })
	calls, err := c.PivotDebugCalls(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, call := range calls {
		ids = append(ids, call.CallID)
	}
	if !slices.Equal(ids, []string{"b2", "a1@10.0.0.1"}) {
		t.Fatalf("calls %q, want the last 31 days, newest first", ids)
	}
	a1 := calls[1]
	if a1.StatusCode != 200 || !a1.HasSchemaErrors || !a1.HasJSONErrors || a1.DebugID != "202603-a1@10.0.0.1" || a1.URI != "https://pivot.example.com/" || a1.Iteration != 1 {
		t.Errorf("row %+v", a1)
	}
	for _, id := range []string{"a1@10.0.0.1", "202603-a1@10.0.0.1"} {
		records, err := c.PivotDebug(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(records) != 2 || records[0].Iteration != 1 || records[1].Iteration != 2 {
			t.Fatalf("records %+v", records)
		}
		r := records[0]
		if r.StatusCode != 200 || r.RequestHeaders["user-agent"] != "kazoo" || r.ResponseBody != `{"module":"tts","data":{}}` || r.Method != "get" {
			t.Errorf("record %+v", r)
		}
		if p := r.SchemaProblems(); len(p) != 1 || p[0].Pointer != "/data/text" || p[0].Code != "required" {
			t.Errorf("schema problems %+v", p)
		}
	}
	if _, err := c.PivotDebug(ctx, "nobody"); !errors.Is(err, crossbar.ErrNotFound) {
		t.Errorf("unknown call: %v", err)
	}
}

func TestPivotDebugUnavailable(t *testing.T) {
	srv, acct := fake(t, crossbartest.Options{NoPivotDebug: true})
	c := client(t, srv, crossbar.APIKey(acct.APIKey))
	if _, err := c.PivotDebugCalls(ctx); !errors.Is(err, crossbar.ErrPivotDebugUnavailable) {
		t.Errorf("listing: %v", err)
	}
	if _, err := c.PivotDebug(ctx, "a1"); !errors.Is(err, crossbar.ErrPivotDebugUnavailable) {
		t.Errorf("one call: %v", err)
	}
}

func TestPivotDebugRecordIsLenient(t *testing.T) {
	var r crossbar.PivotDebugRecord
	err := json.Unmarshal([]byte(`{"call_id":"c","iteration":"3","resp_status_code":"404","created":63900000000,
		"resp_headers":{"content-type":"text/html","content-length":12},"req_body":{"Call-ID":"c"}}`), &r)
	if err != nil {
		t.Fatal(err)
	}
	if r.Iteration != 3 || r.StatusCode != 404 || r.ResponseHeaders["content-length"] != "12" || r.RequestBody != `{"Call-ID":"c"}` {
		t.Errorf("%+v", r)
	}
	var row crossbar.PivotDebugCall
	if err := json.Unmarshal([]byte(`{"call_id":"c","status_code":"200","iteration":1}`), &row); err != nil || row.StatusCode != 200 {
		t.Errorf("%+v %v", row, err)
	}
}
