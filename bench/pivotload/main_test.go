package main

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/kzrt"
	"github.com/kzgen/kzgen/runtime/pivot"
)

// TestRecordAndLoad records a two-step IVR's mix and loads the IVR with it
// briefly: every answer must come back with the recorded status. The bare
// and stack servers, fed the mix, must answer the same.
func TestRecordAndLoad(t *testing.T) {
	ivr := httptest.NewUnstartedServer(nil)
	// The follow-up pivots point at this machine, which Kazoo's default
	// client blacklist refuses: block no host.
	local, err := kzrt.NewBlacklist()
	if err != nil {
		t.Fatal(err)
	}
	rt, err := pivot.NewRouter("http://"+ivr.Listener.Addr().String()+"/ivr", []pivot.Key{{ID: "k", Secret: []byte(strings.Repeat("s", 32))}},
		pivot.WithURLBlacklist(local))
	if err != nil {
		t.Fatal(err)
	}
	rt.Entry("start", func(ctx context.Context, s *pivot.Step) (callflow.Builder, error) {
		return callflow.TTS("Press 1").Then(s.Gather("lang", "menu", nil).MaxDigits(1)), nil
	})
	rt.Step("menu", func(ctx context.Context, s *pivot.Step) (callflow.Builder, error) {
		d, _ := s.Digits.Collection("lang")
		return callflow.TTS("You pressed " + d).Then(callflow.Hangup()), nil
	})
	ivr.Config.Handler = rt
	ivr.Start()
	defer ivr.Close()

	mixFile := filepath.Join(t.TempDir(), "mix.json")
	if err := record([]string{"-url", ivr.URL + "/ivr/start", "-out", mixFile}); err != nil {
		t.Fatal(err)
	}
	mix, err := readMix(mixFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(mix) != 2 || mix[0].Method != "GET" || mix[1].Method != "POST" ||
		!strings.Contains(mix[1].Target, "/ivr/menu?kzc=") || !strings.Contains(mix[1].AnswerBody, "You pressed 1") {
		t.Fatalf("mix %+v", mix)
	}

	loadBriefly(t, ivr.URL, mix)

	// The bare server and the serving stack without the Router answer the
	// recorded bytes: worker checks each answer's status and length.
	for name, h := range map[string]http.Handler{"bare": bareHandler(mix), "stack": stackHandler(mix)} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(h)
			defer srv.Close()
			loadBriefly(t, srv.URL, mix)
		})
	}
}

// loadBriefly sends the mix to url from one connection for a moment and
// fails t unless every request of the mix was answered as recorded.
func loadBriefly(t *testing.T, url string, mix []exchange) {
	t.Helper()
	addr := strings.TrimPrefix(url, "http://")
	var requests [][]byte
	for _, x := range mix {
		requests = append(requests, encodeRequest(x, addr))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	var done atomic.Int64
	if err := worker(ctx, addr, requests, mix, 0, &done); err != nil {
		t.Fatal(err)
	}
	if done.Load() < int64(len(mix)) {
		t.Errorf("%d answers", done.Load())
	}
}

func TestReadAnswer(t *testing.T) {
	for _, tc := range []struct {
		in             string
		status, length int
		ok             bool
	}{
		{"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\ncontent-length: 2\r\n\r\n{}", 200, 2, true},
		{"HTTP/1.1 414 URI Too Long\r\nContent-Length: 0\r\n\r\n", 414, 0, true},
		{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", 0, 0, false},
		{"SSH-2.0\r\n", 0, 0, false},
		{"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{}", 0, 0, false},
	} {
		status, length, err := readAnswer(bufio.NewReader(strings.NewReader(tc.in)))
		if (err == nil) != tc.ok || status != tc.status || length != tc.length {
			t.Errorf("%q: %d, %d, %v", tc.in, status, length, err)
		}
	}
}
