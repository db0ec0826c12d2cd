// Command pivotload is the load side of bench/pivot.sh: it records the
// requests Kazoo sends a Pivot IVR and the answers, serves those answers
// from a bare net/http server, and loads a server with the requests from
// many keep-alive connections, on loopback.
//
//	pivotload record -url http://127.0.0.1:8080/ivr/start -out mix.json
//	pivotload bare -addr 127.0.0.1:8081 -mix mix.json
//	pivotload load -addr 127.0.0.1:8080 -mix mix.json -c 64 -d 5s
//	pivotload port
//
// record makes the first request of a call as Kazoo makes it (GET, kazoo
// naming), reads the answer by Kazoo's rules, and follows it: the caller
// presses -digits, and Kazoo sends the follow-up request of the answer's
// collect_dtmf → pivot chain (POST form, with the signed continuation).
// Each request and its answer go to the mix file.
//
// bare serves, for each request path of the mix, the recorded answer's
// bytes and Content-Type: the least a net/http server can do for the same
// exchange, which is the baseline. With -stack it serves the same bytes
// behind the examples' serving stack (pivot.AccessLog and pivot.Serve's
// timeouts) but without the Router: the part of the gap between ivr-menu
// and bare that no Router change can close. Its access log is formatted
// but discarded, where the examples buffer it and write it out every
// 100 ms, so its cost is a little below the examples'.
//
// load sends the mix round robin on -c connections for -d after a warm-up,
// each connection waiting for its answer before the next request (like
// Kazoo, which sends one request per call at a time), and prints the
// completed requests per second, then the CPU time per request, in
// microseconds, of the load generator itself and of the server (-pid; 0
// without it). An answer whose status or length differs from the recorded
// one (a fallback instead of the step's callflow, say) is an error. Requests are encoded once, before the clock starts, and
// answers are read with a minimal HTTP/1.1 reader, so that the load
// generator takes as little of the machine as it can.
//
// port prints a TCP port free on 127.0.0.1, for the script to start a
// server on.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/kzgen/kzgen/runtime/pivot"
	"github.com/kzgen/kzgen/runtime/pivot/pivottest"
)

// exchange is one request of the mix and the answer recorded for it.
type exchange struct {
	Method      string `json:"method"`
	Target      string `json:"target"` // path and query
	ContentType string `json:"content_type,omitempty"`
	Body        string `json:"body,omitempty"`

	Status        int    `json:"status"`
	AnswerType    string `json:"answer_content_type"`
	AnswerBody    string `json:"answer_body"`
	AnswerVerdict string `json:"verdict"`
}

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "record":
		err = record(args)
	case "bare":
		err = bare(args)
	case "load":
		err = load(args)
	case "port":
		err = freePort()
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "pivotload:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: pivotload record|bare|load|port [flags]; see the package documentation")
	os.Exit(2)
}

// ---------------------------------------------------------------------------
// record

func record(args []string) error {
	fs := flag.NewFlagSet("record", flag.ExitOnError)
	entry := fs.String("url", "", "entry voice_url of the IVR, e.g. http://127.0.0.1:8080/ivr/start")
	digits := fs.String("digits", "1", "digits the caller presses at the first prompt")
	out := fs.String("out", "mix.json", "mix file to write")
	fs.Parse(args)
	if *entry == "" {
		return errors.New("record: -url is required")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	call := pivottest.Call{
		VoiceURL: *entry, Format: pivot.FormatKazoo,
		CallID: "5c4a9f0e-2b1d-4d38-9a7e-8f5b2c1d0e3f", AccountID: "3f1c5e2a9b8d7c6e5f4a3b2c1d0e9f8a",
		From: "1001", FromRealm: "acme.sip.example.com", To: "2000", ToRealm: "acme.sip.example.com",
		RequestUser: "2000", RequestRealm: "acme.sip.example.com",
		CallerIDName: "Alice Example", CallerIDNumber: "+15551234567",
		UserIDs: []string{"8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b"}, Language: "en-us",
	}
	var mix []exchange
	for i := range 2 {
		x, res, err := exchangeOf(ctx, call)
		if err != nil {
			return fmt.Errorf("record: request %d: %w", i+1, err)
		}
		mix = append(mix, x)
		if i == 0 {
			if call, err = call.Next(res, *digits); err != nil {
				return fmt.Errorf("record: follow-up: %w", err)
			}
		}
	}
	b, err := json.MarshalIndent(mix, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(*out, b, 0o644)
}

// exchangeOf sends call's request and records it with its answer, which
// Kazoo must run.
func exchangeOf(ctx context.Context, call pivottest.Call) (exchange, *pivottest.Result, error) {
	req, err := call.HTTPRequest(ctx)
	if err != nil {
		return exchange{}, nil, err
	}
	var body []byte
	if req.Body != nil {
		if body, err = io.ReadAll(req.Body); err != nil {
			return exchange{}, nil, err
		}
	}
	res, err := call.Do(ctx, http.DefaultClient)
	if err != nil {
		return exchange{}, nil, err
	}
	if err := res.Err(); err != nil {
		return exchange{}, nil, fmt.Errorf("%s %s: Kazoo would not run the answer: %w", req.Method, req.URL, err)
	}
	return exchange{
		Method: req.Method, Target: req.URL.RequestURI(), ContentType: req.Header.Get("Content-Type"), Body: string(body),
		Status: res.Status, AnswerType: res.Header.Get("Content-Type"), AnswerBody: string(res.Body),
		AnswerVerdict: res.Verdict.String(),
	}, res, nil
}

func readMix(path string) ([]exchange, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var mix []exchange
	if err := json.Unmarshal(b, &mix); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(mix) == 0 {
		return nil, fmt.Errorf("%s: no request", path)
	}
	return mix, nil
}

// ---------------------------------------------------------------------------
// bare

func bare(args []string) error {
	fs := flag.NewFlagSet("bare", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:8081", "listen address")
	mixFile := fs.String("mix", "mix.json", "mix file written by record")
	stack := fs.Bool("stack", false, "serve behind pivot.AccessLog and pivot.Serve, as the examples do")
	fs.Parse(args)
	mix, err := readMix(*mixFile)
	if err != nil {
		return err
	}
	if !*stack {
		return http.ListenAndServe(*addr, bareHandler(mix))
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	return pivot.Serve(context.Background(), ln, stackHandler(mix), pivot.WithLogger(discardLog))
}

// bareHandler answers each request path of mix with the recorded answer's
// bytes and Content-Type.
func bareHandler(mix []exchange) http.Handler {
	type answer struct {
		contentType []string
		body        []byte
	}
	byPath := map[string]answer{}
	for _, x := range mix {
		path, _, _ := strings.Cut(x.Target, "?")
		byPath[path] = answer{[]string{x.AnswerType}, []byte(x.AnswerBody)}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		a, ok := byPath[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header()["Content-Type"] = a.contentType
		w.Write(a.body)
	})
}

// discardLog formats records like the examples' logger and drops them.
var discardLog = slog.New(slog.NewTextHandler(io.Discard, nil))

// stackHandler is bareHandler behind the examples' access log.
func stackHandler(mix []exchange) http.Handler {
	return pivot.AccessLog(discardLog)(bareHandler(mix))
}

// ---------------------------------------------------------------------------
// load

func load(args []string) error {
	fs := flag.NewFlagSet("load", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "server address (loopback)")
	mixFile := fs.String("mix", "mix.json", "mix file written by record")
	conns := fs.Int("c", 64, "concurrent connections")
	duration := fs.Duration("d", 5*time.Second, "measured duration")
	warmup := fs.Duration("warmup", time.Second, "unmeasured warm-up before it")
	only := fs.Int("only", 0, "send only the first N requests of the mix (0: all)")
	pid := fs.Int("pid", 0, "server process ID, to report its CPU time per request (Linux)")
	fs.Parse(args)
	if *duration <= 0 || *duration > 5*time.Minute || *conns < 1 || *conns > 1024 {
		return errors.New("load: want 0 < -d <= 5m and 1 <= -c <= 1024")
	}
	if host, _, err := net.SplitHostPort(*addr); err != nil || !isLoopback(host) {
		return fmt.Errorf("load: -addr %q: loopback addresses only", *addr)
	}
	mix, err := readMix(*mixFile)
	if err != nil {
		return err
	}
	if *only > 0 && *only < len(mix) {
		mix = mix[:*only]
	}
	requests := make([][]byte, len(mix))
	for i, x := range mix {
		requests[i] = encodeRequest(x, *addr)
	}

	var done atomic.Int64
	ctx, cancel := context.WithTimeout(context.Background(), *warmup+*duration)
	defer cancel()
	errc := make(chan error, *conns)
	var wg sync.WaitGroup
	for i := range *conns {
		wg.Go(func() {
			if err := worker(ctx, *addr, requests, mix, i, &done); err != nil {
				errc <- err
				cancel()
			}
		})
	}
	time.Sleep(*warmup)
	start, startCount, startCPU, startServer := time.Now(), done.Load(), cpuTime(), processCPU(*pid)
	<-ctx.Done()
	elapsed, count, cpu, server := time.Since(start), done.Load()-startCount, cpuTime()-startCPU, processCPU(*pid)-startServer
	wg.Wait()
	close(errc)
	if err := <-errc; err != nil {
		return err
	}
	if count == 0 {
		return errors.New("load: no answer in the measured time")
	}
	perRequest := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e3 / float64(count) }
	fmt.Printf("%.0f %.2f %.2f\n", float64(count)/elapsed.Seconds(), perRequest(cpu), perRequest(server))
	return nil
}

// processCPU returns the CPU time, user and system, used by process pid so
// far, read from /proc; 0 when pid is 0 or the file cannot be read.
func processCPU(pid int) time.Duration {
	if pid == 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the command name, which is in parentheses: utime and
	// stime are the 12th and 13th, in clock ticks (USER_HZ, 100 on Linux).
	_, rest, _ := bytes.Cut(b, []byte(") "))
	fields := bytes.Fields(rest)
	if len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(string(fields[11]), 10, 64)
	stime, _ := strconv.ParseInt(string(fields[12]), 10, 64)
	return time.Duration(utime+stime) * (time.Second / 100)
}

// cpuTime returns the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// encodeRequest writes x as an HTTP/1.1 request on a keep-alive connection.
func encodeRequest(x exchange, host string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: pivotload\r\n", x.Method, x.Target, host)
	if x.Method == http.MethodPost {
		fmt.Fprintf(&b, "Content-Type: %s\r\nContent-Length: %d\r\n", x.ContentType, len(x.Body))
	}
	b.WriteString("\r\n")
	b.WriteString(x.Body)
	return b.Bytes()
}

// worker sends the mix round robin on one connection, starting at request
// first, until ctx is done, counting answers in done.
func worker(ctx context.Context, addr string, requests [][]byte, mix []exchange, first int, done *atomic.Int64) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	r := bufio.NewReaderSize(conn, 16<<10)
	for i := first; ; i++ {
		x := i % len(requests)
		if _, err := conn.Write(requests[x]); err != nil {
			return ignoreEnd(ctx, err)
		}
		status, length, err := readAnswer(r)
		if err != nil {
			return ignoreEnd(ctx, err)
		}
		if status != mix[x].Status || length != len(mix[x].AnswerBody) {
			return fmt.Errorf("%s %s: status %d with %d bytes, recorded %d with %d bytes: not the same answer (a fallback?)",
				mix[x].Method, mix[x].Target, status, length, mix[x].Status, len(mix[x].AnswerBody))
		}
		done.Add(1)
	}
}

// ignoreEnd drops the error of a read or write cut short by the end of the
// run.
func ignoreEnd(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// readAnswer reads one response with a Content-Length body and returns its
// status and body length.
func readAnswer(r *bufio.Reader) (status, length int, err error) {
	line, err := r.ReadSlice('\n')
	if err != nil {
		return 0, 0, err
	}
	// "HTTP/1.1 200 OK\r\n"
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) {
		return 0, 0, fmt.Errorf("bad status line %q", line)
	}
	if status, err = strconv.Atoi(string(line[9:12])); err != nil {
		return 0, 0, fmt.Errorf("bad status line %q", line)
	}
	length = -1
	for {
		line, err = r.ReadSlice('\n')
		if err != nil {
			return 0, 0, err
		}
		if len(line) <= 2 { // the blank line
			break
		}
		if name, value, ok := bytes.Cut(line, []byte(":")); ok && bytes.EqualFold(name, []byte("Content-Length")) {
			if length, err = strconv.Atoi(string(bytes.TrimSpace(value))); err != nil {
				return 0, 0, fmt.Errorf("bad Content-Length %q", value)
			}
		}
	}
	if length < 0 {
		return 0, 0, errors.New("answer without Content-Length")
	}
	if _, err := r.Discard(length); err != nil {
		return 0, 0, err
	}
	return status, length, nil
}

// ---------------------------------------------------------------------------
// port

func freePort() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer ln.Close()
	fmt.Println(ln.Addr().(*net.TCPAddr).Port)
	return nil
}
