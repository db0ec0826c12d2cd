package simulate

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/wire"
)

// recorder keeps every Pivot request a test server received, parsed with
// wire.ParseRequest, so tests can check that they are wire-exact.
type recorder struct {
	mu   sync.Mutex
	reqs []*wire.Request
	path []string
}

// record parses r; a request ParseRequest rejects fails the test.
func (rec *recorder) record(t *testing.T, r *http.Request) *wire.Request {
	t.Helper()
	p, err := wire.ParseRequest(r)
	if err != nil {
		t.Errorf("server: %s %s: %v", r.Method, r.URL, err)
		return &wire.Request{}
	}
	if ua := r.Header.Get("User-Agent"); ua != "" {
		t.Errorf("server: User-Agent %q sent; Kazoo's httpc sends none", ua)
	}
	if ae := r.Header.Get("Accept-Encoding"); ae != "" {
		t.Errorf("server: Accept-Encoding %q sent; Kazoo's httpc sends none", ae)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.reqs = append(rec.reqs, p)
	rec.path = append(rec.path, r.URL.Path)
	return p
}

// all returns the requests received so far, and their URL paths.
func (rec *recorder) all() ([]*wire.Request, []string) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]*wire.Request(nil), rec.reqs...), append([]string(nil), rec.path...)
}

// writeFlow answers with a callflow as a pivot server should: 200,
// Content-Type application/json.
func writeFlow(t *testing.T, w http.ResponseWriter, flow callflow.Builder) {
	t.Helper()
	b, err := json.Marshal(flow.Node())
	if err != nil {
		t.Errorf("server: %v", err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}

// Test identities, the same in every scenario so goldens are stable.
const (
	testCallID  = "3f1c9b2a7d5e4f60a1b2c3d4e5f60718"
	testAccount = "0123456789abcdef0123456789abcdef"
	testUser    = "4b1a1f61ac2e35ab7d7ba9a8d3c10e4c"
	testVMBox   = "e3b0c44298fc1c149afbf4c8996fb924"
)

// testCall is the call every scenario places.
func testCall() Call {
	return Call{
		CallID:       testCallID,
		AccountID:    testAccount,
		From:         "1001",
		To:           "2000",
		Realm:        "sip.example.com",
		CallerIDName: "Alice",
		UserIDs:      []string{testUser},
	}
}

// ivrServer is a two-step IVR:
//
//	/ivr: welcome, menu "main": 1 → ask for a PIN (collect_dtmf "pin",
//	      4 digits) → pivot /pin (POST json, kazoo names);
//	      2 → ring the user, busy → voicemail; "_" → goodbye, hangup.
//	/pin: Digits[pin] 1234 → dial out via resources; else "wrong PIN",
//	      hangup.
func ivrServer(t *testing.T) (*httptest.Server, *recorder) {
	t.Helper()
	rec := &recorder{}
	mux := http.NewServeMux()
	var srv *httptest.Server
	mux.HandleFunc("/ivr", func(w http.ResponseWriter, r *http.Request) {
		rec.record(t, r)
		writeFlow(t, w, callflow.TTS("Welcome to Acme.").Then(
			callflow.Menu().ID("main").
				Branch("1", callflow.TTS("Please enter your PIN, then press pound.").Then(
					callflow.CollectDTMF().CollectionName("pin").MaxDigits(4).Then(
						callflow.Pivot(srv.URL+"/pin").
							Method(callflow.PivotMethodPost).
							ReqBodyFormat(callflow.PivotReqBodyFormatJSON).
							ReqFormat(callflow.PivotReqFormatKazoo).
							ReqTimeoutMS(2000)))).
				Branch("2", callflow.User().ID(testUser).Timeout(20).
					Branch("sip:486", callflow.Voicemail().ID(testVMBox))).
				Then(callflow.TTS("Goodbye.").Then(callflow.Hangup()))))
	})
	mux.HandleFunc("/pin", func(w http.ResponseWriter, r *http.Request) {
		p := rec.record(t, r)
		if pin, _ := p.Digits.Collection("pin"); pin == "1234" {
			writeFlow(t, w, callflow.TTS("PIN accepted. Connecting you.").Then(
				callflow.Resources().ToDID("+14155550123").UseLocalResources(false)))
			return
		}
		writeFlow(t, w, callflow.TTS("Wrong PIN.").Then(callflow.Hangup()))
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, rec
}

// brokenServer answers every request with the handler h.
func brokenServer(t *testing.T, h http.HandlerFunc) (*httptest.Server, *recorder) {
	t.Helper()
	rec := &recorder{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.record(t, r)
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, rec
}

// respond returns a handler writing a fixed status, Content-Type and
// body. contentType "-" sends no Content-Type header at all.
func respond(status int, contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if contentType == "-" {
			w.Header()["Content-Type"] = nil // no sniffing: no header at all
		} else {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		w.Write([]byte(body))
	}
}

// slow returns a handler that answers a valid flow after d.
func slow(d time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
			return
		}
		respond(http.StatusOK, "application/json", `{"module":"hangup","data":{}}`)(w, r)
	}
}
