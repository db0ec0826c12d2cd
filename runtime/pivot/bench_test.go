package pivot_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/pivot"
	"github.com/kzgen/kzgen/runtime/pivot/pivottest"
)

// The benchmarks compare a full pivot round (parse the request, build a
// 5-node callflow, validate it, write it as JSON) with a bare net/http
// handler that writes the same JSON, precomputed, for the same request:
//
//	go test -run '^$' -bench 'PivotRound|BareHandler' -benchmem ./runtime/pivot
//
// "loopback" goes through a real HTTP/1.1 server and a keep-alive client on
// 127.0.0.1, which is what Kazoo sees; "inprocess" calls ServeHTTP directly,
// which isolates the cost of this package.

// benchCall is a typical first request: GET, kazoo naming.
var benchCall = pivottest.Call{
	VoiceURL: "http://127.0.0.1/pivot",
	CallID:   "5c4a9f0e-2b1d-4d38-9a7e-8f5b2c1d0e3f", AccountID: "3f1c5e2a9b8d7c6e5f4a3b2c1d0e9f8a",
	From: "1001", FromRealm: "acme.sip.example.com", To: "2000", ToRealm: "acme.sip.example.com",
	RequestUser: "2000", RequestRealm: "acme.sip.example.com",
	CallerIDName: "Alice Example", CallerIDNumber: "+15551234567",
	UserIDs: []string{"8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b"}, Language: "en-us",
}

// fiveNodes is the callflow of the round: tts → play → collect_dtmf → pivot,
// whose "_" child is a goodbye tts.
func fiveNodes(ctx context.Context, r *pivot.Request) (callflow.Builder, error) {
	return callflow.TTS("Hello " + r.CallerIDName + ", welcome.").Voice("female").Then(
		callflow.Play().ID("https://media.example.com/menu.mp3").Then(
			callflow.CollectDTMF().CollectionName("pin").MaxDigits(4).Timeout(5000).Then(
				callflow.Pivot("https://ivr.example.com/pin").
					Method(callflow.PivotMethodPost).ReqFormat(callflow.PivotReqFormatKazoo).
					Then(callflow.TTS("Goodbye."))))), nil
}

// benchHandlers returns the full pivot handler, the bare handler, and the
// server-side request both answer.
func benchHandlers(b *testing.B) (full, bare http.Handler, req *http.Request) {
	full = pivot.Handler(fiveNodes, pivot.WithLogger(slog.New(slog.DiscardHandler)))
	cr, err := benchCall.HTTPRequest(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	req = httptest.NewRequest(cr.Method, cr.URL.RequestURI(), nil)

	rec := httptest.NewRecorder()
	full.ServeHTTP(rec, req)
	body := rec.Body.Bytes()
	if rec.Code != 200 || pivottest.Interpret(rec.Code, rec.Header(), body).Err() != nil {
		b.Fatalf("the full round does not answer a runnable callflow: %d %s", rec.Code, body)
	}
	bare = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
	return full, bare, req
}

// discard is a minimal ResponseWriter, reset between iterations.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(int)             {}

func benchInProcess(b *testing.B, h http.Handler, req *http.Request) {
	w := &discard{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, req)
	}
}

func benchLoopback(b *testing.B, h http.Handler, req *http.Request) {
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := srv.Client()
	url := srv.URL + req.URL.RequestURI()
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		resp, err := client.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		buf.Reset()
		if _, err := io.Copy(&buf, resp.Body); err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
}

func BenchmarkPivotRound(b *testing.B) {
	full, _, req := benchHandlers(b)
	b.Run("loopback", func(b *testing.B) { benchLoopback(b, full, req) })
	b.Run("inprocess", func(b *testing.B) { benchInProcess(b, full, req) })
}

func BenchmarkBareHandler(b *testing.B) {
	_, bare, req := benchHandlers(b)
	b.Run("loopback", func(b *testing.B) { benchLoopback(b, bare, req) })
	b.Run("inprocess", func(b *testing.B) { benchInProcess(b, bare, req) })
}

// benchRouter is a two-step IVR like the ivr-menu example: the entry step
// asks for a language, the "menu" step reads it and the signed state and
// asks for a department.
func benchRouter(b testing.TB) *pivot.Router {
	rt, err := pivot.NewRouter("https://ivr.example.com/ivr", []pivot.Key{{ID: "k1", Secret: []byte("0123456789abcdef0123456789abcdef")}},
		pivot.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		b.Fatal(err)
	}
	rt.Entry("start", func(ctx context.Context, s *pivot.Step) (callflow.Builder, error) {
		return callflow.TTS("Welcome. For English, press 1.").Language("en-US").Then(
			callflow.TTS("Para español, oprima 2.").Language("es-ES").Then(
				s.Gather("lang", "menu", s.State).MaxDigits(1).Timeout(5000))), nil
	})
	rt.Step("menu", func(ctx context.Context, s *pivot.Step) (callflow.Builder, error) {
		lang, _ := s.Digits.Collection("lang")
		return callflow.TTS("For sales, press 1. For support, press 2.").Language("en-US").Then(
			s.Gather("dept", "menu", s.State.With("lang", lang)).MaxDigits(1).Timeout(5000)), nil
	})
	return rt
}

// routerRequest is a server-side request and its body, which the handler
// consumes, so that it can be sent again.
type routerRequest struct {
	req  *http.Request
	body []byte
	want string // text the step's answer holds
}

// send serves the request once more.
func (rr routerRequest) send(h http.Handler, w http.ResponseWriter) {
	rr.req.Body = io.NopCloser(bytes.NewReader(rr.body))
	h.ServeHTTP(w, rr.req)
}

// routerRequests returns the requests of the entry step (GET, as a static
// pivot node sends it) and of the follow-up (POST form with a
// continuation, as the Router's pivot node makes Kazoo send it).
func routerRequests(b testing.TB, rt *pivot.Router) (entry, followUp routerRequest) {
	call := benchCall
	call.VoiceURL = rt.URL("start")
	call.Format = pivot.FormatKazoo
	res, err := call.Send(rt)
	if err != nil || res.Err() != nil {
		b.Fatalf("entry: %v %v", err, res.Err())
	}
	next, err := call.Next(res, "1")
	if err != nil {
		b.Fatal(err)
	}
	serverRequest := func(c pivottest.Call, want string) routerRequest {
		cr, err := c.HTTPRequest(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		var body []byte
		if cr.Body != nil {
			body, _ = io.ReadAll(cr.Body)
		}
		r := httptest.NewRequest(cr.Method, cr.URL.RequestURI(), nil)
		r.Header = cr.Header.Clone()
		rr := routerRequest{req: r, body: body, want: want}
		rec := httptest.NewRecorder()
		rr.send(rt, rec)
		if !strings.Contains(rec.Body.String(), want) {
			b.Fatalf("%s %s: the step did not answer: %s", cr.Method, cr.URL, rec.Body)
		}
		return rr
	}
	return serverRequest(call, "Welcome"), serverRequest(next, "For sales")
}

// BenchmarkRouterRound serves the two steps of benchRouter in process: a
// request's whole cost in this package (parse, continuation check, the
// step, the follow-up's signature, Validate, encoding, writing).
func BenchmarkRouterRound(b *testing.B) {
	rt := benchRouter(b)
	entry, followUp := routerRequests(b, rt)
	for name, rr := range map[string]routerRequest{"entry": entry, "followup": followUp} {
		b.Run(name, func(b *testing.B) {
			w := &discard{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				rr.send(rt, w)
			}
		})
	}
}

// TestRouterRoundAllocations keeps the allocations of a Router round, the
// requests of BenchmarkRouterRound, from growing back: each count is what
// this package, gen/callflow's builders, runtime/wire and kzrt allocate for
// the round (the request's body reader, two of them, included). Lower them
// here when a change saves some.
func TestRouterRoundAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	rt := benchRouter(t)
	entry, followUp := routerRequests(t, rt)
	w := &discard{h: http.Header{}}
	for _, tc := range []struct {
		name string
		rr   routerRequest
		max  float64
	}{{"entry", entry, 33}, {"followup", followUp, 33}} {
		got := testing.AllocsPerRun(100, func() {
			clear(w.h)
			tc.rr.send(rt, w)
		})
		if got > tc.max {
			t.Errorf("%s: %v allocations per request, at most %v", tc.name, got, tc.max)
		}
	}
}

// BenchmarkAccessLog is the access log's cost per request around a handler
// that does nothing, logging as text to io.Discard.
func BenchmarkAccessLog(b *testing.B) {
	h := pivot.AccessLog(slog.New(slog.NewTextHandler(io.Discard, nil)))(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	req := httptest.NewRequest("GET", "/ivr/start?Call-ID=c1", nil)
	w := &discard{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(w, req)
	}
}
