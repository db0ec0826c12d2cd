package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/internal/simulate"
	"github.com/kzgen/kzgen/runtime/pivot"
)

func init() {
	// Never wait for a keyboard in tests, even when go test runs in a
	// terminal.
	simulateKeyboard = func(io.Writer) simulate.DigitSource { return nil }
}

// pinServer is a small IVR: /start asks for a PIN into the collection
// "pin" and pivots to /check, which rings a user when the PIN is 1234. It
// records every request it receives.
type pinServer struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []*pivot.Request
}

func newPinServer(t *testing.T) *pinServer {
	t.Helper()
	s := &pinServer{}
	answer := func(w http.ResponseWriter, b callflow.Builder) {
		data, err := json.Marshal(b.Node())
		if err != nil {
			t.Error(err)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(data)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/start", func(w http.ResponseWriter, r *http.Request) {
		s.record(t, r)
		answer(w, callflow.TTS("Enter your PIN.").Then(
			callflow.CollectDTMF().CollectionName("pin").MaxDigits(4).Then(
				callflow.Pivot(s.URL+"/check").ReqFormat(callflow.PivotReqFormatKazoo))))
	})
	mux.HandleFunc("/check", func(w http.ResponseWriter, r *http.Request) {
		p := s.record(t, r)
		if pin, _ := p.Digits.Collection("pin"); pin == "1234" {
			answer(w, callflow.User().ID("4b1a1f61ac2e35ab7d7ba9a8d3c10e4c").
				Branch("sip:486", callflow.TTS("Busy.").Then(callflow.Hangup())))
			return
		}
		answer(w, callflow.Hangup())
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func (s *pinServer) record(t *testing.T, r *http.Request) *pivot.Request {
	t.Helper()
	p, err := pivot.ParseRequest(r)
	if err != nil {
		t.Errorf("server: %v", err)
		return &pivot.Request{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = append(s.reqs, p)
	return p
}

func (s *pinServer) requests() []*pivot.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*pivot.Request(nil), s.reqs...)
}

// runKzgen runs kzgen with args and returns the exit code and outputs.
func runKzgen(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestSimulateJSONLines(t *testing.T) {
	srv := newPinServer(t)
	code, out, errOut := runKzgen("simulate", "-url", srv.URL+"/start", "-digits", "1234#",
		"-from", "1002", "-to", "3000", "-caller-name", "Bob", "-user-id", "u1", "-user-id", "u2",
		"-call-id", "call-1", "-json")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	var events []simulate.Event
	for i, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		var ev simulate.Event
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("line %d is not a JSON event: %v\n%s", i+1, err, line)
		}
		if ev.Step != i+1 {
			t.Errorf("line %d: step %d", i+1, ev.Step)
		}
		events = append(events, ev)
	}
	kinds := ""
	for _, ev := range events {
		kinds += string(ev.Kind[0])
	}
	// request, response, tts, collect_dtmf, pivot, request, response, user, verdict
	if kinds != "rrnnnrrnv" {
		t.Errorf("event kinds %q, want rrnnnrrnv", kinds)
	}
	last := events[len(events)-1]
	if last.Kind != simulate.KindVerdict || last.Outcome != simulate.OutcomeBridged {
		t.Errorf("verdict %+v", last)
	}
	if ev := events[7]; ev.Module != "user" || ev.Path != "" || ev.Flow != 2 {
		t.Errorf("user event %+v", ev)
	}

	reqs := srv.requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	for i, r := range reqs {
		if r.CallID != "call-1" || r.From != "1002" || r.To != "3000" || r.CallerIDName != "Bob" || r.CallerIDNumber != "1002" {
			t.Errorf("request %d: Call-ID %q From %q To %q caller ID %q <%s>", i+1, r.CallID, r.From, r.To, r.CallerIDName, r.CallerIDNumber)
		}
		if strings.Join(r.UserIDs, ",") != "u1,u2" {
			t.Errorf("request %d: User-ID %v", i+1, r.UserIDs)
		}
	}
	if pin, _ := reqs[1].Digits.Collection("pin"); pin != "1234" {
		t.Errorf("Digits[pin] = %q", pin)
	}
}

func TestSimulateTextTranscript(t *testing.T) {
	srv := newPinServer(t)
	code, out, _ := runKzgen("simulate", "-url", srv.URL+"/start", "-digits", "1234", "-bridge", "busy", "-method", "post", "-body", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	for _, want := range []string{
		"[1] request: POST " + srv.URL + "/start (json body) {",
		`collect_dtmf: collects "1234" into "pin"`,
		"user: rings user 4b1a1f61ac2e35ab7d7ba9a8d3c10e4c (20 s, simultaneous): fails (USER_BUSY, sip:486)",
		`tts: says "Busy." (voice female)`,
		"verdict: call completed: hung up by a hangup node",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("transcript lacks %q:\n%s", want, out)
		}
	}
	if reqs := srv.requests(); reqs[0].Method != http.MethodPost || reqs[0].BodyFormat != pivot.BodyJSON {
		t.Errorf("first request %s %v, want POST json", reqs[0].Method, reqs[0].BodyFormat)
	}
}

func TestSimulateExitCodes(t *testing.T) {
	handler := func(status int, contentType, body string, delay time.Duration) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if delay > 0 {
				select {
				case <-time.After(delay):
				case <-r.Context().Done():
					return
				}
			}
			if contentType == "" {
				w.Header()["Content-Type"] = nil
			} else {
				w.Header().Set("Content-Type", contentType)
			}
			w.WriteHeader(status)
			io.WriteString(w, body)
		}
	}
	const hangup = `{"module":"hangup","data":{}}`
	tests := []struct {
		name  string
		h     http.HandlerFunc
		extra []string
		code  int
		want  string
	}{
		{"ok", handler(200, "application/json", hangup, 0), nil, 0, "hung up by a hangup node"},
		{"ends-without-hangup", handler(200, "application/json", `{"module":"tts","data":{"text":"hi"}}`, 0), nil, 0, "no next node"},
		{"text-plain-json", handler(200, "text/plain", hangup, 0), nil, 0, "Kazoo tries TwiML first"},
		{"missing-content-type", handler(200, "", hangup, 0), nil, 1, "no Content-Type"},
		{"status-500", handler(500, "application/json", hangup, 0), nil, 1, "pivot failed"},
		{"status-204", handler(204, "application/json", "", 0), nil, 1, "204"},
		{"invalid-json", handler(200, "application/json", `{"module":`, 0), nil, 1, "invalid JSON"},
		{"schema", handler(200, "application/json", `{"module":"tts","data":{}}`, 0), nil, 1, "/data/text: required"},
		{"slow", handler(200, "application/json", hangup, 2*time.Second), []string{"-timeout", "100ms"}, 1, "no answer within 100 ms"},
		{"twiml", handler(200, "application/xml", `<Response><Hangup/></Response>`, 0), nil, 1, "TwiML"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.h)
			defer srv.Close()
			code, out, errOut := runKzgen(append([]string{"simulate", "-url", srv.URL}, tc.extra...)...)
			if code != tc.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tc.code, out, errOut)
			}
			if !strings.Contains(out, tc.want) {
				t.Errorf("transcript lacks %q:\n%s", tc.want, out)
			}
		})
	}
}

func TestSimulateUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"-url", "ftp://example.com/ivr"},
		{"-url", "http://example.com", "-method", "put"},
		{"-url", "http://example.com", "-body", "xml"},
		{"-url", "http://example.com", "-format", "twilio"},
		{"-url", "http://example.com", "-bridge", "maybe"},
		{"-url", "http://example.com", "-digits", "1,2a"},
		{"-url", "http://example.com", "-timeout", "0s"},
		{"-url", "http://example.com", "extra"},
		{"-nope"},
	} {
		code, out, errOut := runKzgen(append([]string{"simulate"}, args...)...)
		if code != 2 {
			t.Errorf("simulate %q: exit %d, want 2\n%s%s", args, code, out, errOut)
		}
	}
	if code, _, errOut := runKzgen("simulate", "-h"); code != 0 || !strings.Contains(errOut, "Exit status") {
		t.Errorf("simulate -h: exit %d\n%s", code, errOut)
	}
}
