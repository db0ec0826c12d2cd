package pivot_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/pivot"
)

func TestNewServerIsHardened(t *testing.T) {
	logger, logs := testLogger()
	h := pivot.Handler(greet)
	srv := pivot.NewServer("127.0.0.1:8080", h, pivot.WithLogger(logger))
	if srv.Addr != "127.0.0.1:8080" || srv.Handler != h {
		t.Errorf("Addr %q, Handler %v", srv.Addr, srv.Handler)
	}
	for name, got := range map[string]time.Duration{
		"ReadHeaderTimeout": srv.ReadHeaderTimeout, "ReadTimeout": srv.ReadTimeout,
		"WriteTimeout": srv.WriteTimeout, "IdleTimeout": srv.IdleTimeout,
	} {
		if got <= 0 || got > time.Minute {
			t.Errorf("%s = %v, want set and at most a minute", name, got)
		}
	}
	if srv.ReadTimeout > 5*time.Second {
		t.Errorf("ReadTimeout %v: longer than Kazoo waits", srv.ReadTimeout)
	}
	if srv.MaxHeaderBytes < pivot.DefaultMaxBodyBytes || srv.MaxHeaderBytes > 2*pivot.DefaultMaxBodyBytes {
		t.Errorf("MaxHeaderBytes %d, want just above the parameter bound %d", srv.MaxHeaderBytes, pivot.DefaultMaxBodyBytes)
	}
	if small := pivot.NewServer("", h, pivot.WithMaxBodyBytes(1000)); small.MaxHeaderBytes >= srv.MaxHeaderBytes {
		t.Errorf("WithMaxBodyBytes(1000): MaxHeaderBytes %d", small.MaxHeaderBytes)
	}
	srv.ErrorLog.Print("http: TLS handshake error from 192.0.2.1:5060: EOF")
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "TLS handshake error") {
		t.Errorf("ErrorLog does not write through slog:\n%s", logs)
	}
	defer func() {
		if recover() == nil {
			t.Error("NewServer accepted an invalid option")
		}
	}()
	pivot.NewServer("", h, pivot.WithShutdownTimeout(0))
}

// startServe runs pivot.Serve on a loopback port until the returned cancel
// is called; wait returns Serve's result.
func startServe(t *testing.T, h http.Handler, opts ...pivot.Option) (base string, cancel func(), wait func() error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- pivot.Serve(ctx, ln, h, opts...) }()
	wait = func() error {
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			t.Fatal("Serve did not return")
			return nil
		}
	}
	t.Cleanup(func() { cancel() })
	return "http://" + ln.Addr().String(), cancel, wait
}

func TestServeShutsDownGracefully(t *testing.T) {
	logger, logs := testLogger()
	entered, release := make(chan struct{}), make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		io.WriteString(w, "done")
	})
	base, cancel, wait := startServe(t, slow, pivot.WithLogger(logger))

	type result struct {
		body string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Get(base + "/pivot")
		if err != nil {
			got <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		got <- result{string(b), err}
	}()
	<-entered
	cancel()
	stopped := make(chan error, 1)
	go func() { stopped <- wait() }()
	select {
	case err := <-stopped:
		t.Fatalf("Serve returned with a request in flight: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	if r := <-got; r.err != nil || r.body != "done" {
		t.Errorf("request in flight: %q, %v", r.body, r.err)
	}
	if err := <-stopped; err != nil {
		t.Errorf("Serve: %v", err)
	}
	if _, err := http.Get(base + "/pivot"); err == nil {
		t.Error("still accepting connections after shutdown")
	}
	for _, want := range []string{"pivot: listening", "pivot: shutting down", "pivot: stopped"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
}

func TestServeShutdownTimeout(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	stuck := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
	})
	base, cancel, wait := startServe(t, stuck, pivot.WithShutdownTimeout(50*time.Millisecond), pivot.WithLogger(discardLogger))
	go http.Get(base + "/")
	<-entered
	cancel()
	if err := wait(); err == nil || !strings.Contains(err.Error(), "shutdown") {
		t.Errorf("Serve = %v, want a shutdown error", err)
	}
}

func TestListenAndServeErrors(t *testing.T) {
	ctx := context.Background()
	if err := pivot.ListenAndServe(ctx, "256.0.0.1:http", pivot.Handler(greet)); err == nil {
		t.Error("bad address: no error")
	}
	if err := pivot.ListenAndServe(ctx, "127.0.0.1:0", pivot.Handler(greet), pivot.WithShutdownTimeout(-1)); err == nil {
		t.Error("invalid option: no error")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := pivot.Serve(ctx, ln, pivot.Handler(greet), pivot.WithMaxBodyBytes(-1)); err == nil {
		t.Error("Serve, invalid option: no error")
	}
	if _, err := ln.Accept(); err == nil {
		t.Error("Serve did not close the listener")
	}
}

// closedWithoutAnswer is hugeGET's status for a connection the server
// closed before the client could read its answer.
const closedWithoutAnswer = -1

// hugeGET sends a GET whose request line carries a query of size bytes over
// a raw connection, from a buffer built beforehand, and returns the status.
// The request is written while the answer is read: a server that refuses
// early stops reading, so the write may never finish.
func hugeGET(addr string, request []byte) (int, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	go conn.Write(request)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) {
		// The server answered and closed while the client was still
		// sending: the kernel then resets the connection, which can
		// discard the answer before the client reads it. The request was
		// refused all the same.
		return closedWithoutAnswer, nil
	}
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

func hugeRequest(queryBytes int) []byte {
	var b strings.Builder
	b.WriteString("GET /pivot?Call-ID=c1&Caller-ID-Name=")
	b.WriteString(strings.Repeat("A", queryBytes))
	b.WriteString(" HTTP/1.1\r\nHost: pivot.example.com\r\n\r\n")
	return []byte(b.String())
}

// allocatedBy returns the bytes the whole process allocated while f ran.
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestHugeGETRefusedCheaply sends GETs of 1 and 4 MiB, many at once, to the
// server the README shows (pivot.ListenAndServe with pivot.Handler): each is
// refused with 431, and the memory the process allocates per request stays
// under half a MiB whatever the request's size (it depends on the header
// bound alone). The same 1 MiB requests to a bare http.Server holding the
// same handler are measured too, to show that the measurement sees a server
// that reads them whole.
func TestHugeGETRefusedCheaply(t *testing.T) {
	if testing.Short() {
		t.Skip("sends about 100 MiB over loopback")
	}
	const (
		mib        = 1 << 20
		concurrent = 16
		bound      = mib / 2 // allocated per refused request, at most
	)
	h := pivot.Handler(greet, pivot.WithLogger(discardLogger))

	// measure sends concurrent copies of a GET whose query has size bytes
	// and returns the bytes allocated per request.
	measure := func(t *testing.T, addr string, size, wantStatus int) uint64 {
		request := hugeRequest(size)
		var wg sync.WaitGroup
		errs := make(chan error, concurrent)
		allocated := allocatedBy(func() {
			for range concurrent {
				wg.Go(func() {
					status, err := hugeGET(addr, request)
					if err == nil && status != wantStatus && status != closedWithoutAnswer {
						err = fmt.Errorf("status %d, want %d", status, wantStatus)
					}
					errs <- err
				})
			}
			wg.Wait()
		})
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		return allocated / concurrent
	}

	t.Run("README server", func(t *testing.T) {
		base, _, _ := startServe(t, h, pivot.WithLogger(discardLogger))
		addr := strings.TrimPrefix(base, "http://")
		for _, size := range []int{mib, 4 * mib} {
			perRequest := measure(t, addr, size, http.StatusRequestHeaderFieldsTooLarge)
			t.Logf("hardened server: %d KiB allocated per refused %d MiB GET", perRequest>>10, size/mib)
			if perRequest > bound {
				t.Errorf("%d bytes allocated per refused %d MiB request, want at most %d", perRequest, size/mib, bound)
			}
		}
	})
	t.Run("bare http.Server", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		srv := &http.Server{Handler: h}
		go srv.Serve(ln)
		defer srv.Close()
		// The handler's own bound answers 414, but only after net/http has
		// read the whole request line.
		perRequest := measure(t, ln.Addr().String(), mib, http.StatusRequestURITooLong)
		t.Logf("bare server: %d KiB allocated per 1 MiB GET", perRequest>>10)
		if perRequest < mib {
			t.Errorf("the measurement missed the bare server's reading: %d bytes per request", perRequest)
		}
	})
}

// TestServerQueryBounds checks the two bounds a GET meets on the way in:
// a query over the parameter bound but within the header bound reaches the
// handler, which answers 414 without calling the HandlerFunc.
func TestServerQueryBounds(t *testing.T) {
	called := 0
	var mu sync.Mutex
	h := pivot.Handler(func(ctx context.Context, r *pivot.Request) (callflow.Builder, error) {
		mu.Lock()
		called++
		mu.Unlock()
		return greet(ctx, r)
	}, pivot.WithLogger(discardLogger))
	base, _, _ := startServe(t, h, pivot.WithLogger(discardLogger))
	addr := strings.TrimPrefix(base, "http://")
	for _, tc := range []struct {
		query  int
		status int
	}{
		{100, 200},
		{pivot.DefaultMaxBodyBytes + 1000, http.StatusRequestURITooLong},
		{pivot.DefaultMaxBodyBytes + 20<<10, http.StatusRequestHeaderFieldsTooLarge},
	} {
		status, err := hugeGET(addr, hugeRequest(tc.query))
		if err != nil || status != tc.status {
			t.Errorf("query of %d bytes: status %d, %v; want %d", tc.query, status, err, tc.status)
		}
	}
	if called != 1 {
		t.Errorf("handler called %d times, want once", called)
	}
}

// discardLogger drops everything.
var discardLogger = slog.New(slog.DiscardHandler)
