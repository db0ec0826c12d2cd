package pivot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/pivot"
	"github.com/kzgen/kzgen/runtime/pivot/pivottest"
)

// logBuffer is a concurrency-safe log sink for asserting on log output.
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

// testLogger returns a logger writing text to the returned buffer.
func testLogger() (*slog.Logger, *logBuffer) {
	buf := new(logBuffer)
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})), buf
}

// aliceCall is a typical first request in the kazoo naming.
var aliceCall = pivottest.Call{
	CallID: "call-1", AccountID: "acc1",
	From: "1001", FromRealm: "example.com", To: "2000", ToRealm: "example.com",
	CallerIDName: "Alice", CallerIDNumber: "+15551234567",
	UserIDs: []string{"u1"},
}

func greet(ctx context.Context, r *pivot.Request) (callflow.Builder, error) {
	return callflow.TTS("Hello " + r.CallerIDName).Then(callflow.Hangup()), nil
}

func TestHandlerAnswersCallflow(t *testing.T) {
	h := pivot.Handler(greet)
	for _, method := range []string{"GET", "POST"} {
		t.Run(method, func(t *testing.T) {
			c := aliceCall
			c.Method = method
			res, err := c.Send(h)
			if err != nil {
				t.Fatal(err)
			}
			if err := res.Err(); err != nil {
				t.Fatal(err, string(res.Body))
			}
			if res.Status != http.StatusOK {
				t.Errorf("status %d, want 200", res.Status)
			}
			if got := res.Header["Content-Type"]; !reflect.DeepEqual(got, []string{"application/json"}) {
				t.Errorf("Content-Type %q, want exactly [\"application/json\"]", got)
			}
			if len(res.Warnings) > 0 {
				t.Errorf("warnings: %q", res.Warnings)
			}
			want, _ := callflow.TTS("Hello Alice").Then(callflow.Hangup()).MarshalJSON()
			if !bytes.Equal(res.Body, want) {
				t.Errorf("body\n got %s\nwant %s", res.Body, want)
			}
		})
	}
}

// TestHandlerContentTypeExact checks the Content-Type is exactly
// application/json even when a wrapper set another one first.
func TestHandlerContentTypeExact(t *testing.T) {
	inner := pivot.Handler(greet)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "Application/JSON; charset=utf-8")
		w.Header().Add("Content-Type", "text/plain")
		inner.ServeHTTP(w, r)
	})
	res, err := aliceCall.Send(h)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Header["Content-Type"]; !reflect.DeepEqual(got, []string{"application/json"}) {
		t.Errorf("Content-Type %q, want exactly [\"application/json\"]", got)
	}
	if res.Verdict != pivottest.VerdictRun || len(res.Warnings) > 0 {
		t.Errorf("verdict %v %q %q", res.Verdict, res.Reason, res.Warnings)
	}
}

func TestHandlerContext(t *testing.T) {
	type key struct{}
	var got any
	h := pivot.Handler(func(ctx context.Context, r *pivot.Request) (callflow.Builder, error) {
		got = ctx.Value(key{})
		return callflow.Hangup(), nil
	})
	wrapped := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), key{}, "marker")))
	})
	if _, err := aliceCall.Send(wrapped); err != nil {
		t.Fatal(err)
	}
	if got != "marker" {
		t.Errorf("handler's context lacks the request's value: %v", got)
	}
}

// TestHandlerFallback covers every failure answered with the fallback, in
// both fallback modes.
func TestHandlerFallback(t *testing.T) {
	failing := map[string]struct {
		fn      pivot.HandlerFunc
		request func() *http.Request // nil: aliceCall as GET
		log     string
	}{
		"handler error": {
			fn:  func(context.Context, *pivot.Request) (callflow.Builder, error) { return nil, errors.New("db down") },
			log: "db down",
		},
		"nil callflow": {
			fn:  func(context.Context, *pivot.Request) (callflow.Builder, error) { return nil, nil },
			log: "handler returned no callflow",
		},
		"nil node": {
			fn:  func(context.Context, *pivot.Request) (callflow.Builder, error) { return (*callflow.Node)(nil), nil },
			log: "handler returned no callflow",
		},
		"invalid node": {
			fn: func(context.Context, *pivot.Request) (callflow.Builder, error) {
				return callflow.TTS("hi").Then(callflow.TTS("")), nil // text: minLength 1
			},
			log: "/children/_/data/text",
		},
		"typed nil builder": {
			fn: func(context.Context, *pivot.Request) (callflow.Builder, error) {
				var b *callflow.TTSBuilder
				return b, nil
			},
			log: "handler returned no callflow",
		},
		"Node panics": {
			fn: func(context.Context, *pivot.Request) (callflow.Builder, error) {
				return panickyBuilder{}, nil
			},
			log: "callflow panicked in Node",
		},
		"Validate panics": {
			fn: func(context.Context, *pivot.Request) (callflow.Builder, error) {
				// Typed-nil data: the tree code dereferences it.
				return &callflow.Node{Module: "tts", Data: (*callflow.TTSData)(nil)}, nil
			},
			log: "level=ERROR",
		},
		"encoding fails": {
			fn: func(context.Context, *pivot.Request) (callflow.Builder, error) {
				// Valid for Validate, which does not read Extra; the encoder
				// refuses the broken raw JSON.
				n := callflow.Hangup().Node()
				n.Extra = map[string]json.RawMessage{"x": json.RawMessage(`{`)}
				return n, nil
			},
			log: "encoding the callflow",
		},
		"unknown module": {
			fn: func(context.Context, *pivot.Request) (callflow.Builder, error) {
				// Data of a module without a schema, as Parse marks it.
				return &callflow.Node{Module: "say", Data: &callflow.RawData{Module: "say", JSON: []byte(`{}`), Unknown: true}}, nil
			},
			log: "unable to find callflow schema",
		},
		"panic": {
			fn: func(context.Context, *pivot.Request) (callflow.Builder, error) {
				var m map[string]int
				//lint:ignore SA5000 the test needs a runtime panic
				m["boom"]++ // assignment to entry in nil map
				return nil, nil
			},
			log: "handler panicked",
		},
		"unreadable request": {
			fn: greet,
			request: func() *http.Request {
				r := httptest.NewRequest("POST", "/", strings.NewReader(`{"Call-ID": `))
				r.Header.Set("Content-Type", "application/json")
				return r
			},
			log: "unreadable request",
		},
	}
	custom := callflow.Play().ID("https://media.example.com/sorry.mp3")
	customBody, _ := custom.MarshalJSON()
	defaultBody, _ := pivot.DefaultFallback().MarshalJSON()
	modes := []struct {
		name   string
		opt    pivot.Option
		status int
		body   []byte
	}{
		{"default", nil, 200, defaultBody},
		{"WithFallback", pivot.WithFallback(custom), 200, customBody},
		{"WithFailureStatus", pivot.WithFailureStatus(503), 503, nil},
	}
	for name, tc := range failing {
		for _, mode := range modes {
			t.Run(name+"/"+mode.name, func(t *testing.T) {
				logger, logs := testLogger()
				h := pivot.Handler(tc.fn, pivot.WithLogger(logger), mode.opt)
				var res *pivottest.Result
				if tc.request != nil {
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, tc.request())
					res = pivottest.Interpret(rec.Code, rec.Header(), rec.Body.Bytes())
				} else {
					var err error
					if res, err = aliceCall.Send(h); err != nil {
						t.Fatal(err)
					}
				}
				if res.Status != mode.status {
					t.Errorf("status %d, want %d", res.Status, mode.status)
				}
				if mode.status == 200 {
					if err := res.Err(); err != nil {
						t.Errorf("fallback not run by Kazoo: %v", err)
					}
					if !bytes.Equal(res.Body, mode.body) {
						t.Errorf("body %s, want %s", res.Body, mode.body)
					}
				} else if res.Verdict != pivottest.VerdictFailed {
					t.Errorf("verdict %v, want failed (Kazoo takes the \"_\" child)", res.Verdict)
				}
				if !strings.Contains(logs.String(), tc.log) {
					t.Errorf("log lacks %q:\n%s", tc.log, logs)
				}
			})
		}
	}
}

// panickyBuilder is a Builder of the developer's own whose Node panics.
type panickyBuilder struct{}

func (panickyBuilder) Node() *callflow.Node { panic("no node today") }

// TestHandlerTypedNilNamesTheType checks the log says which typed nil the
// handler returned.
func TestHandlerTypedNilNamesTheType(t *testing.T) {
	logger, logs := testLogger()
	h := pivot.Handler(func(context.Context, *pivot.Request) (callflow.Builder, error) {
		var b *callflow.MenuBuilder
		return b, nil
	}, pivot.WithLogger(logger))
	res, err := aliceCall.Send(h)
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != pivottest.VerdictRun || !strings.Contains(logs.String(), "nil *callflow.MenuBuilder") {
		t.Errorf("verdict %v\nlog %s", res.Verdict, logs)
	}
}

// TestHandlerLoopingCallflow: a callflow that loops back on itself, or
// shares subtrees so often that its JSON would be endless, cannot be
// encoded for Kazoo; the handler answers the fallback and logs the problem
// instead of recursing until the process dies. (Builders store children as
// copies, so such trees are made of *Node values.)
func TestHandlerLoopingCallflow(t *testing.T) {
	for name, flow := range map[string]func() callflow.Builder{
		"loop": func() callflow.Builder {
			menu := callflow.Menu().Node()
			menu.SetChild("1", callflow.TTS("Once more.").Then(menu)) // 1 → tts → the menu again
			return callflow.TTS("Welcome.").Then(menu)
		},
		"shared subtrees": func() callflow.Builder {
			n := callflow.Hangup().Node()
			for range 40 { // 2^40 nodes in JSON
				up := callflow.Menu().Node()
				up.SetChild("1", n)
				up.SetChild("2", n)
				n = up
			}
			return n
		},
	} {
		t.Run(name, func(t *testing.T) {
			logger, logs := testLogger()
			h := pivot.Handler(func(context.Context, *pivot.Request) (callflow.Builder, error) {
				return flow(), nil
			}, pivot.WithLogger(logger))
			res, err := aliceCall.Send(h)
			if err != nil {
				t.Fatal(err)
			}
			if spoken := string(res.Body); res.Err() != nil || !strings.Contains(spoken, pivot.DefaultApology) {
				t.Errorf("the callflow was not answered with the fallback: %v %s", res.Err(), res.Body)
			}
			if !strings.Contains(logs.String(), "level=ERROR") {
				t.Errorf("the callflow's problem was not logged:\n%s", logs)
			}
		})
	}
}

// TestHandlerMenuReusingItself: a menu builder given as its own child
// (press 1 to hear the menu again) is a finite tree, served as it is.
func TestHandlerMenuReusingItself(t *testing.T) {
	h := pivot.Handler(func(context.Context, *pivot.Request) (callflow.Builder, error) {
		menu := callflow.Menu().ID("main")
		return menu.OnDigits("1", callflow.TTS("Once more.").Then(menu)), nil
	})
	res, err := aliceCall.Send(h)
	if err != nil {
		t.Fatal(err)
	}
	if res.Err() != nil || strings.Contains(string(res.Body), pivot.DefaultApology) {
		t.Errorf("the menu was not served: %v %s", res.Err(), res.Body)
	}
}

func TestHandlerPanicLogsStackAndCallID(t *testing.T) {
	logger, logs := testLogger()
	h := pivot.Handler(func(context.Context, *pivot.Request) (callflow.Builder, error) {
		panic("kaboom")
	}, pivot.WithLogger(logger))
	if _, err := aliceCall.Send(h); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"level=ERROR", "panic: kaboom", "call_id=call-1", "stack=", "handler_test.go"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
}

func TestHandlerAbortHandlerPanics(t *testing.T) {
	h := pivot.Handler(func(context.Context, *pivot.Request) (callflow.Builder, error) {
		panic(http.ErrAbortHandler)
	})
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Errorf("recovered %v, want http.ErrAbortHandler re-raised", v)
		}
	}()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/?Call-ID=c", nil))
}

func TestHandlerBodyLimit(t *testing.T) {
	called := false
	logger, logs := testLogger()
	h := pivot.Handler(func(ctx context.Context, r *pivot.Request) (callflow.Builder, error) {
		called = true
		return greet(ctx, r)
	}, pivot.WithMaxBodyBytes(100), pivot.WithLogger(logger))

	body := "Call-ID=c1&Caller-ID-Name=" + strings.Repeat("x", 100-len("Call-ID=c1&Caller-ID-Name="))
	for _, tc := range []struct {
		name   string
		body   string
		status int
		called bool
	}{
		{"at the limit", body, 200, true},
		{"over the limit", body + "x", 413, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			called = false
			r := httptest.NewRequest("POST", "/", strings.NewReader(tc.body))
			r.Header.Set("Content-Type", pivot.ContentTypeForm)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if rec.Code != tc.status || called != tc.called {
				t.Errorf("status %d, handler called %v; want %d, %v", rec.Code, called, tc.status, tc.called)
			}
		})
	}
	// The same bound applies to the URL's query, where a GET carries every
	// parameter (and a POST its voice_url's own).
	for _, tc := range []struct {
		name   string
		method string
		query  string
		status int
		called bool
	}{
		{"GET at the limit", "GET", body, 200, true},
		{"GET over the limit", "GET", body + "x", 414, false},
		{"HEAD over the limit", "HEAD", body + "x", 414, false},
		{"POST query over the limit", "POST", body + "x", 414, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			called = false
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tc.method, "/?"+tc.query, nil))
			if rec.Code != tc.status || called != tc.called {
				t.Errorf("status %d, handler called %v; want %d, %v", rec.Code, called, tc.status, tc.called)
			}
		})
	}
	for _, want := range []string{"request body too large", "request URL too long", "query_bytes=101"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
}

func TestHandlerMethodNotAllowed(t *testing.T) {
	h := pivot.Handler(greet, pivot.WithLogger(slog.New(slog.DiscardHandler)))
	for _, m := range []string{"PUT", "DELETE", "OPTIONS"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(m, "/", nil))
		if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") == "" {
			t.Errorf("%s: status %d, Allow %q", m, rec.Code, rec.Header().Get("Allow"))
		}
	}
	// HEAD is read like GET.
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("HEAD", "/?Call-ID=c1", nil))
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/json" {
		t.Errorf("HEAD: status %d, Content-Type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
}

func TestHandlerInvalidOptionsPanic(t *testing.T) {
	for name, opt := range map[string]pivot.Option{
		"WithFailureStatus(200)":  pivot.WithFailureStatus(200),
		"WithFailureStatus(302)":  pivot.WithFailureStatus(302),
		"WithMaxBodyBytes(0)":     pivot.WithMaxBodyBytes(0),
		"WithFallback(nil)":       pivot.WithFallback(nil),
		"WithFallback(invalid)":   pivot.WithFallback(callflow.TTS("")),
		"WithFallback(nil *Node)": pivot.WithFallback((*callflow.Node)(nil)),
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			pivot.Handler(greet, opt)
		})
	}
}

func TestDefaultFallbackIsValid(t *testing.T) {
	if err := pivot.DefaultFallback().Validate(); err != nil {
		t.Fatal(err)
	}
}

// TestHandlerClipsLoggedValues: values a client controls are logged cut to
// MaxLogValueBytes, the error to MaxLogErrorBytes, never whole.
func TestHandlerClipsLoggedValues(t *testing.T) {
	logger, logs := testLogger()
	h := pivot.Handler(func(ctx context.Context, r *pivot.Request) (callflow.Builder, error) {
		return nil, errors.New("no account for caller " + r.CallerIDName)
	}, pivot.WithLogger(logger), pivot.WithMaxBodyBytes(1<<20))
	huge := strings.Repeat("é", 22500) // 45 000 bytes
	body := "Call-ID=" + huge + "&Caller-ID-Name=" + huge
	r := httptest.NewRequest("POST", "/"+strings.Repeat("p", 5000), strings.NewReader(body))
	r.Header.Set("Content-Type", pivot.ContentTypeForm)
	r.Header.Set("User-Agent", strings.Repeat("u", 5000))
	h.ServeHTTP(httptest.NewRecorder(), r)

	out := logs.String()
	if len(out) > 4*pivot.MaxLogValueBytes+pivot.MaxLogErrorBytes+1000 {
		t.Errorf("%d bytes logged for one request:\n%.3000s", len(out), out)
	}
	for _, want := range []string{"call_id=", "…(45000 bytes)", "…(5001 bytes)", "…(5000 bytes)", "no account for caller"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%.3000s", want, out)
		}
	}
	if !utf8.ValidString(out) {
		t.Error("a value was cut inside a UTF-8 character")
	}
}

// TestAnswersCarryContentLength: every answer, short or long, is sent with
// a Content-Length and never chunked, through a real net/http server (which
// buffers 2048 bytes before it sends a response chunked), with the step
// observer's flush too.
func TestAnswersCarryContentLength(t *testing.T) {
	// chain answers tts nodes whose texts hold letters letters in all, at
	// most 900 each (a tts text holds at most 1000).
	chain := func(nodes, letters int) *callflow.Node {
		var n *callflow.Node
		for i := range nodes {
			k := min(letters, 900)
			letters -= k
			tts := callflow.TTS(strings.Repeat("a", k) + "b")
			if i > 0 {
				tts.Then(n)
			}
			n = tts.Node()
		}
		return n
	}
	for _, size := range []int{100, 2047, 2048, 2049, 20000} {
		nodes := size/500 + 1
		empty, err := chain(nodes, 0).MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		answer := chain(nodes, size-len(empty))
		want, _ := answer.MarshalJSON()
		if len(want) != size {
			t.Fatalf("built a %d-byte answer, want %d", len(want), size)
		}
		rt, err := pivot.NewRouter("https://ivr.example.com/ivr", []pivot.Key{key1},
			pivot.WithStepObserver(func(context.Context, pivot.StepEvent) {}))
		if err != nil {
			t.Fatal(err)
		}
		rt.Entry("start", func(context.Context, *pivot.Step) (callflow.Builder, error) { return answer, nil })
		mux := http.NewServeMux()
		mux.Handle("/ivr/", rt)
		mux.Handle("/", pivot.Handler(func(context.Context, *pivot.Request) (callflow.Builder, error) {
			return answer, nil
		}))
		srv := httptest.NewServer(mux)
		for _, target := range []string{"GET /?Call-ID=c1", "HEAD /?Call-ID=c1", "GET /ivr/start?Call-ID=c1"} {
			method, path, _ := strings.Cut(target, " ")
			req, _ := http.NewRequest(method, srv.URL+path, nil)
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body := new(bytes.Buffer)
			body.ReadFrom(resp.Body)
			resp.Body.Close()
			if resp.ContentLength != int64(size) || len(resp.TransferEncoding) > 0 {
				t.Errorf("%s, %d-byte answer: Content-Length %d, Transfer-Encoding %q; want %d, none",
					target, size, resp.ContentLength, resp.TransferEncoding, size)
			}
			if method == "GET" && !bytes.Equal(body.Bytes(), want) {
				t.Errorf("%s, %d-byte answer: body differs: %.80s…", target, size, body)
			}
			if got := resp.Header["Content-Type"]; len(got) != 1 || got[0] != pivot.ContentTypeJSON {
				t.Errorf("%s, %d-byte answer: Content-Type %q", target, size, got)
			}
		}
		srv.Close()
	}
}
