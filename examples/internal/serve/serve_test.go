package serve

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestServeServesAndShutsDown(t *testing.T) {
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
		io.WriteString(w, "ok")
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln, h, log) }()

	resp, err := http.Get("http://" + ln.Addr().String() + "/pivot?token=secret-token&Call-ID=c1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTeapot {
		t.Errorf("status %d", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after cancel")
	}
	out := logs.String()
	for _, want := range []string{"listening", "path=/pivot", "status=418", "stopped"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "secret-token") || strings.Contains(out, "Call-ID") {
		t.Errorf("the query string was logged:\n%s", out)
	}
}

func TestPublicURLDefault(t *testing.T) {
	if got := PublicURL(); got != "http://127.0.0.1:8080" {
		t.Errorf("PublicURL() = %q", got)
	}
}

func TestLogWriterFlushes(t *testing.T) {
	var out syncBuffer
	w := newLogWriter(&out)
	io.WriteString(w, "line 1\n")
	if out.String() != "" {
		t.Errorf("written before a flush: %q", out.String())
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go w.flushEvery(ctx, time.Millisecond)
	deadline := time.Now().Add(5 * time.Second)
	for out.String() != "line 1\n" {
		if time.Now().After(deadline) {
			t.Fatalf("not flushed by the ticker: %q", out.String())
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	io.WriteString(w, "line 2\n")
	if err := w.Flush(); err != nil || out.String() != "line 1\nline 2\n" {
		t.Errorf("Flush: %v, %q", err, out.String())
	}
}
