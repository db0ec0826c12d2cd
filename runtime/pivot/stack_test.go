package pivot_test

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/runtime/pivot"
)

// TestRouterRoundStack: both rounds of BenchmarkRouterRound, served by a
// net/http server through AccessLog and a ServeMux, fit in an 8 KiB
// goroutine stack. After each garbage collection the runtime halves the
// stacks of goroutines that use little of them, as a keep-alive
// connection's does between requests; a request that then needs more
// copies its stack to a larger one, which under load cost a few percent
// of a server's CPU. The stack each connection's goroutine grew to is
// read from the runtime's stack memory, with the collector off.
func TestRouterRoundStack(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector enlarges frames")
	}
	rt := benchRouter(t)
	entry, followUp := routerRequests(t, rt)
	mux := http.NewServeMux()
	mux.Handle("/ivr/", rt)
	srv := httptest.NewServer(pivot.AccessLog(slog.New(slog.NewTextHandler(io.Discard, nil)))(mux))
	defer srv.Close()

	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	for name, rr := range map[string]routerRequest{"entry": entry, "followup": followUp} {
		wire := fmt.Sprintf("%s %s HTTP/1.1\r\nHost: ivr.example.com\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s",
			rr.req.Method, rr.req.URL.RequestURI(), rr.req.Header.Get("Content-Type"), len(rr.body), rr.body)
		const conns = 64
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		var open []net.Conn
		for range conns {
			c, err := net.Dial("tcp", srv.Listener.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			open = append(open, c)
			if _, err := io.WriteString(c, wire); err != nil {
				t.Fatal(err)
			}
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), rr.want) {
				t.Fatalf("%s: status %d, %s", name, resp.StatusCode, body)
			}
		}
		runtime.ReadMemStats(&after)
		for _, c := range open {
			c.Close()
		}
		perConn := (int64(after.StackInuse) - int64(before.StackInuse)) / conns
		t.Logf("%s: %d bytes of stack per connection", name, perConn)
		if perConn > 12<<10 { // 8 KiB stacks, and some slack for other goroutines
			t.Errorf("%s: the connections' goroutines grew %d bytes of stack each, want 8 KiB", name, perConn)
		}
	}
}
