package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// logBuffer collects log output from concurrent requests.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testLogger returns a logger writing JSON lines into the returned buffer.
func testLogger() (*slog.Logger, *logBuffer) {
	buf := &logBuffer{}
	return slog.New(slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})), buf
}

// serve runs one request through h and returns the recorded answer.
func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

func formPost(body string) *http.Request {
	return serverRequest(http.MethodPost, "/hooks", "application/x-www-form-urlencoded", body)
}

func TestHandlerAnswers200WithNoBody(t *testing.T) {
	var got Event
	h := Handler(ReceiverFunc(func(ctx context.Context, ev Event) error {
		got = ev
		return nil
	}))
	for _, r := range []*http.Request{
		serverRequest(http.MethodGet, "/hooks?"+destroyForm, "", ""),
		formPost(destroyForm),
		serverRequest(http.MethodPut, "/hooks", "application/json", destroyJSON),
	} {
		rec := serve(h, r)
		if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
			t.Errorf("%s: answered %d %q, want 200 and no body", r.Method, rec.Code, rec.Body)
		}
		if e, ok := got.(*ChannelEvent); !ok || e.HangupCause != "NORMAL_CLEARING" {
			t.Errorf("%s: receiver got %#v", r.Method, got)
		}
	}
}

func TestHandlerReceiverFailures(t *testing.T) {
	boom := errors.New("database down")
	tests := []struct {
		name    string
		fn      func() error
		opts    []Option
		status  int
		logText string
	}{
		{"error, default", func() error { return boom }, nil, 200, `"msg":"webhook: receiver failed"`},
		{"panic, default", func() error { panic("nil map") }, nil, 200, `"msg":"webhook: receiver panicked"`},
		{"error, failure status", func() error { return boom }, []Option{WithFailureStatus(503)}, 503, `"level":"ERROR"`},
		{"panic, failure status", func() error { panic(boom) }, []Option{WithFailureStatus(500)}, 500, `"stack"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logger, logs := testLogger()
			opts := append([]Option{WithLogger(logger)}, tt.opts...)
			h := Handler(ReceiverFunc(func(context.Context, Event) error { return tt.fn() }), opts...)
			rec := serve(h, formPost("call_id=c1&hook_event=channel_destroy"))
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d", rec.Code, tt.status)
			}
			out := logs.String()
			if !strings.Contains(out, tt.logText) || !strings.Contains(out, `"call_id":"c1"`) ||
				!strings.Contains(out, `"hook":"channel_destroy"`) {
				t.Errorf("log %s lacks %s, the call ID or the hook", out, tt.logText)
			}
		})
	}
}

func TestHandlerErrRetryClosesTheConnection(t *testing.T) {
	logger, logs := testLogger()
	h := Handler(ReceiverFunc(func(context.Context, Event) error {
		return fmt.Errorf("queue full: %w", ErrRetry)
	}), WithLogger(logger))
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Post(srv.URL, "application/json", strings.NewReader(`{"call_id":"c1"}`))
	if err == nil {
		resp.Body.Close()
		t.Fatalf("got an answer (%d), want the connection closed", resp.StatusCode)
	}
	if !strings.Contains(logs.String(), "asked for a retry") {
		t.Errorf("log: %s", logs)
	}
}

func TestHandlerRefusesWhatKazooNeverSends(t *testing.T) {
	called := false
	logger, logs := testLogger()
	h := Handler(ReceiverFunc(func(context.Context, Event) error { called = true; return nil }),
		WithLogger(logger), WithMaxBytes(100))
	tests := []struct {
		name   string
		req    *http.Request
		status int
	}{
		{"DELETE", serverRequest(http.MethodDelete, "/hooks", "", ""), 405},
		{"HEAD", serverRequest(http.MethodHead, "/hooks", "", ""), 405},
		{"body over the bound", formPost("call_id=" + strings.Repeat("x", 100)), 413},
		{"query over the bound", serverRequest(http.MethodGet, "/hooks?call_id="+strings.Repeat("x", 100), "", ""), 414},
		{"invalid JSON", serverRequest(http.MethodPost, "/hooks", "application/json", `{"call_id":`), 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			called = false
			if rec := serve(h, tt.req); rec.Code != tt.status {
				t.Errorf("status %d, want %d", rec.Code, tt.status)
			}
			if called {
				t.Error("the receiver was called")
			}
		})
	}
	if n := strings.Count(logs.String(), `"level":"WARN"`); n != len(tests) {
		t.Errorf("%d warnings logged, want %d:\n%s", n, len(tests), logs)
	}
	// Exactly at the bound is fine.
	body := "call_id=" + strings.Repeat("x", 92)
	if rec := serve(h, formPost(body)); rec.Code != 200 || !called {
		t.Errorf("a %d-byte body: status %d", len(body), rec.Code)
	}
}

// TestHandlerNeverFailsAfterSuccess delivers over real connections, with
// slow clients, large bodies within the bound and a slow receiver: once the
// receiver returns nil, every answer is 200.
func TestHandlerNeverFailsAfterSuccess(t *testing.T) {
	const limit = 256 << 10
	var received atomic.Int64
	h := Handler(ReceiverFunc(func(ctx context.Context, ev Event) error {
		time.Sleep(5 * time.Millisecond)
		received.Add(1)
		return nil
	}), WithMaxBytes(limit))
	srv := httptest.NewServer(h)
	defer srv.Close()

	big := destroyForm + "&note=" + strings.Repeat("a", limit-len(destroyForm)-len("&note="))
	bigJSON := `{"hook_event":"channel_create","note":"` + strings.Repeat("b", limit-60) + `"}`
	bigQuery := destroyForm + "&note=" + strings.Repeat("c", 200<<10)
	type delivery struct {
		name, method, contentType, query, body string
		slow                                   bool
	}
	deliveries := []delivery{
		{"form at the bound", http.MethodPost, "application/x-www-form-urlencoded", "", big, false},
		{"slow form at the bound", http.MethodPost, "application/x-www-form-urlencoded", "", big, true},
		{"slow json", http.MethodPut, "application/json", "", bigJSON, true},
		{"long query", http.MethodGet, "", bigQuery, "", false},
		{"small form", http.MethodPost, "application/x-www-form-urlencoded", "", destroyForm, true},
	}
	var wg sync.WaitGroup
	for i := range 3 {
		for _, d := range deliveries {
			wg.Go(func() {
				var body io.Reader
				if d.body != "" {
					body = strings.NewReader(d.body)
					if d.slow {
						body = slowReader(d.body, 8, 3*time.Millisecond)
					}
				}
				url := srv.URL + "/hooks"
				if d.query != "" {
					url += "?" + d.query
				}
				req, err := http.NewRequest(d.method, url, body)
				if err != nil {
					t.Error(err)
					return
				}
				if d.contentType != "" {
					req.Header.Set("Content-Type", d.contentType)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Errorf("%s #%d: %v", d.name, i, err)
					return
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Errorf("%s #%d: status %d, want 200", d.name, i, resp.StatusCode)
				}
			})
		}
	}
	wg.Wait()
	if n := received.Load(); n != int64(3*len(deliveries)) {
		t.Errorf("receiver called %d times, want %d", n, 3*len(deliveries))
	}
}

// slowReader returns s in n pieces, pausing before each.
func slowReader(s string, n int, pause time.Duration) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		size := (len(s) + n - 1) / n
		for len(s) > 0 {
			time.Sleep(pause)
			k := min(size, len(s))
			if _, err := pw.Write([]byte(s[:k])); err != nil {
				return
			}
			s = s[k:]
		}
		pw.Close()
	}()
	return pr
}

func TestOnDispatchesByHook(t *testing.T) {
	var calls []string
	record := func(name string) func(context.Context, *ChannelEvent) error {
		return func(_ context.Context, e *ChannelEvent) error {
			calls = append(calls, name+":"+e.Hook())
			return nil
		}
	}
	on := On{
		ChannelCreate:  record("create"),
		ChannelDestroy: record("destroy"),
		Channel:        record("channel"),
		Object: func(_ context.Context, e *ObjectEvent) error {
			calls = append(calls, "object:"+e.Type)
			return nil
		},
		Callflow: func(_ context.Context, e *CallflowEvent) error {
			calls = append(calls, "callflow:"+e.Get("ivr_step"))
			return nil
		},
		Other: func(_ context.Context, ev Event) error {
			calls = append(calls, fmt.Sprintf("other:%T", ev))
			return nil
		},
	}
	h := Handler(on)
	for _, body := range []string{
		"hook_event=channel_create", "hook_event=channel_destroy", "hook_event=channel_answer",
		"hook_event=channel_bridge", "hook_event=channel_park",
		"id=d1&action=doc_created&type=user", "call_id=c1&ivr_step=menu",
		"event_category=notification&event_name=missed_call", "event_name=PARK_PARKED", "",
	} {
		if rec := serve(h, formPost(body)); rec.Code != 200 {
			t.Errorf("%q: status %d", body, rec.Code)
		}
	}
	want := []string{
		"create:channel_create", "destroy:channel_destroy", "channel:channel_answer",
		"channel:channel_bridge", "channel:channel_park",
		"object:user", "callflow:menu",
		"other:*webhook.NotificationEvent", "other:*webhook.ParkingEvent", "other:*webhook.UnknownEvent",
	}
	if fmt.Sprint(calls) != fmt.Sprint(want) {
		t.Errorf("calls\n got %v\nwant %v", calls, want)
	}

	// The zero On ignores everything, with 200.
	if rec := serve(Handler(On{}), formPost("hook_event=channel_create")); rec.Code != 200 {
		t.Errorf("zero On: status %d", rec.Code)
	}
	// An error from a dispatched function reaches the handler.
	logger, logs := testLogger()
	failing := Handler(On{Object: func(context.Context, *ObjectEvent) error { return errors.New("no db") }},
		WithLogger(logger), WithFailureStatus(503))
	if rec := serve(failing, formPost("id=d1&action=doc_created")); rec.Code != 503 || !strings.Contains(logs.String(), "no db") {
		t.Errorf("failing On: status %d, log %s", rec.Code, logs)
	}
}

func TestHandlerLogsProblemsAndClipsValues(t *testing.T) {
	logger, logs := testLogger()
	var got *ChannelEvent
	h := Handler(On{Channel: func(_ context.Context, e *ChannelEvent) error {
		got = e
		return errors.New(strings.Repeat("E", 5000))
	}}, WithLogger(logger))
	long := strings.Repeat("é", 3000) // 6000 bytes
	rec := serve(h, formPost("hook_event=channel_destroy&duration_seconds=lots&call_id="+long+"&secret=hunter2"))
	if rec.Code != 200 || got == nil {
		t.Fatalf("status %d", rec.Code)
	}
	if len(got.Problems) != 1 || got.Problems[0].Field != "duration_seconds" {
		t.Errorf("problems %v", got.Problems)
	}
	out := logs.String()
	if !strings.Contains(out, "fields that do not fit") || !strings.Contains(out, "duration_seconds") {
		t.Errorf("problem not logged: %s", out)
	}
	for line := range strings.Lines(out) {
		if len(line) > 1500 {
			t.Errorf("log line of %d bytes: values are not clipped", len(line))
		}
	}
	if !strings.Contains(out, "…(6000 bytes)") || !strings.Contains(out, "…(5000 bytes)") {
		t.Errorf("clipped values not marked: %s", out)
	}
	// GET: the query, the whole payload, is never logged.
	logs.buf.Reset()
	serve(h, serverRequest(http.MethodGet, "/hooks?hook_event=channel_create&secret=hunter2", "", ""))
	if strings.Contains(logs.String(), "hunter2") {
		t.Errorf("query logged: %s", logs)
	}
}

func TestClip(t *testing.T) {
	if got := clipped("short"); got != "short" {
		t.Errorf("clipped(short) = %q", got)
	}
	s := strings.Repeat("a", maxLogValue-1) + "é" // the rune straddles the cut
	got := clipped(s + "tail")
	if !strings.HasPrefix(got, strings.Repeat("a", maxLogValue-1)+"…") || !strings.HasSuffix(got, fmt.Sprintf("(%d bytes)", len(s)+4)) {
		t.Errorf("clip = %q", got)
	}
}

func TestHandlerRejectsInvalidOptions(t *testing.T) {
	r := ReceiverFunc(func(context.Context, Event) error { return nil })
	for name, opt := range map[string]Option{
		"max bytes":       WithMaxBytes(0),
		"failure status":  WithFailureStatus(302),
		"nil logger":      WithLogger(nil),
		"basic auth":      WithBasicAuth("", "p"),
		"no IPs":          WithAllowedIPs(nil),
		"secret no field": WithSecret("", "s"),
		"empty secret":    WithSecret("f", "s", ""),
		"no accounts":     WithAccounts(),
		"empty account":   WithAccounts(""),
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if v := recover(); v == nil || !strings.Contains(fmt.Sprint(v), "webhook: With") {
					t.Errorf("recovered %v, want a panic naming the option", v)
				}
			}()
			Handler(r, opt)
		})
	}
	defer func() {
		if recover() == nil {
			t.Error("nil Receiver: no panic")
		}
	}()
	Handler(nil)
}
