package pivot_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
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
