package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/kzgen/kzgen/runtime/crossbar"
	"github.com/kzgen/kzgen/runtime/crossbar/crossbartest"
)

func TestDebug(t *testing.T) {
	_, acct := kazooEnv(t, crossbartest.Options{})
	now := time.Now()
	err := acct.AddPivotDebug(
		crossbar.PivotDebugRecord{CallID: "c1@10.1.1.1", Created: crossbar.Timestamp{Time: now.Add(-time.Hour)}, Iteration: 1, Method: "get",
			URI: "https://pivot.example.com/hello?Call-ID=c1", StatusCode: 200, ResponseHeaders: map[string]string{"content-type": "application/json"},
			ResponseBody: `{"module":"tts","data":{}}`,
			SchemaErrors: json.RawMessage(`{"data.text":{"required":{"message":"Field is required but missing"}}}`)},
		crossbar.PivotDebugRecord{CallID: "c2", Created: crossbar.Timestamp{Time: now.Add(-time.Minute)}, Method: "get", URI: "https://pivot.example.com/hello", StatusCode: 200,
			ResponseBody: `{"module":"hangup","data":{}}`},
	)
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := kzgen(t, "debug")
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if code != 0 || len(lines) != 3 || !strings.HasPrefix(lines[0], "CREATED (UTC)") ||
		!strings.Contains(lines[1], "c2 ") || !strings.Contains(lines[2], "c1@10.1.1.1  200     schema  https://pivot.example.com/hello?Call-ID=c1") {
		t.Errorf("exit %d\n%s%s", code, stdout, stderr)
	}

	code, stdout, stderr = kzgen(t, "debug", "-call-id", "c1@10.1.1.1")
	created := now.Add(-time.Hour).UTC().Format(time.DateTime)
	want := `request 1, ` + created + `, call c1@10.1.1.1, node crossbartest@localhost
  GET https://pivot.example.com/hello?Call-ID=c1
answer: 200
  content-type: application/json
  {
    "module": "tts",
    "data": {}
  }
schema errors: Kazoo refused the callflow and ended the call
  /data/text: Field is required but missing (required)
`
	if code != 0 || stdout != want {
		t.Errorf("exit %d\n%s\nwant:\n%s\n%s", code, stdout, want, stderr)
	}
	code, stdout, _ = kzgen(t, "debug", "-json", "-call-id", "c2")
	var records []crossbar.PivotDebugRecord
	if err := json.Unmarshal([]byte(stdout), &records); code != 0 || err != nil || len(records) != 1 || records[0].ResponseBody != `{"module":"hangup","data":{}}` {
		t.Errorf("-json: exit %d %v\n%s", code, err, stdout)
	}
	if code, _, stderr := kzgen(t, "debug", "-call-id", "nobody"); code != 1 || !strings.Contains(stderr, `no Pivot debug record for call "nobody"`) {
		t.Errorf("unknown call: exit %d\n%s", code, stderr)
	}
}

func TestDebugWithoutEndpoint(t *testing.T) {
	kazooEnv(t, crossbartest.Options{NoPivotDebug: true})
	code, stdout, stderr := kzgen(t, "debug")
	if code != 1 || stdout != "" || !strings.Contains(stderr, "this cluster has no Pivot debug endpoint") || !strings.Contains(stderr, "cb_pivot") {
		t.Errorf("exit %d\n%s%s", code, stdout, stderr)
	}
}
