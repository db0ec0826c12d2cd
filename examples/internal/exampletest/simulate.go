package exampletest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kzgen/kzgen/internal/golden"

	"github.com/kzgen/kzgen/internal/simulate"
	"github.com/kzgen/kzgen/runtime/pivot"
)

// GoldenFile is where Simulate keeps an example's transcripts, relative to
// the example's directory.
var GoldenFile = filepath.Join("testdata", "simulate.golden")

// Serve starts a test server for the handler newHandler builds. newHandler
// gets the server's own URL (http://127.0.0.1:PORT), the public URL that
// follow-up voice_urls point at, as main passes serve.PublicURL(). The
// server is closed when the test ends.
func Serve(t *testing.T, newHandler func(publicURL string) (http.Handler, error)) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	h, err := newHandler("http://" + srv.Listener.Addr().String())
	if err != nil {
		srv.Listener.Close()
		t.Fatal(err)
	}
	srv.Config.Handler = h
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// The call identity of every scenario. From, To, AccountID and Realm are
// the defaults of kzgen simulate, so a scenario's command line in the
// golden file reproduces it (up to the random Call-ID).
const (
	SimCallID    = "5e1d0c2b3a495867f0e1d2c3b4a59687"
	SimAccountID = "0123456789abcdef0123456789abcdef"
	SimFrom      = "1001"
	SimTo        = "2000"
	SimRealm     = "sip.example.com"
)

// Scenario is one call simulated against an example server.
type Scenario struct {
	// Name heads the scenario in the golden file; it is also the subtest
	// name.
	Name string
	// Path is the voice_url's path and query on the server, e.g.
	// "/ivr/start" or "/?id=reception&status=busy".
	Path string
	// Method, Body and Format are those of the first request, as in
	// simulate.Config ("" is GET, zero is form, zero is kazoo).
	Method string
	Body   pivot.BodyFormat
	Format pivot.Format
	// CallerName and UserIDs are sent as Caller-ID-Name (default: the From
	// number) and User-ID.
	CallerName string
	UserIDs    []string
	// Digits are the caller's entries, one per prompt; once used up every
	// prompt times out.
	Digits []string
	// Bridge is the outcomes of the call attempts, as kzgen simulate's
	// -bridge flag takes them ("busy", "no-answer,answered", "sip:486");
	// "" answers every attempt.
	Bridge string
	// Want is the outcome the call must end with.
	Want simulate.Outcome
	// Says lists texts the transcript must contain (checked before the
	// golden file, so a careless -update cannot hide a wrong path).
	Says []string
}

// Command returns the kzgen simulate command line that replays s against
// base (without the fixed Call-ID).
func (s Scenario) Command(base string) string {
	args := []string{"kzgen", "simulate", "-url", shellQuote(base + s.Path)}
	if s.Method != "" {
		args = append(args, "-method", strings.ToLower(s.Method))
	}
	if s.Body == pivot.BodyJSON {
		args = append(args, "-body", "json")
	}
	if s.Format == pivot.FormatTwiML {
		args = append(args, "-format", "twiml")
	}
	if s.CallerName != "" {
		args = append(args, "-caller-name", shellQuote(s.CallerName))
	}
	for _, id := range s.UserIDs {
		args = append(args, "-user-id", id)
	}
	if s.Digits != nil {
		args = append(args, "-digits", shellQuote(strings.Join(s.Digits, ",")))
	}
	if s.Bridge != "" {
		args = append(args, "-bridge", shellQuote(s.Bridge))
	}
	return strings.Join(args, " ")
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:,+@%=") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Config returns the simulate.Config of s against the server at base.
func (s Scenario) Config(t *testing.T, base string) simulate.Config {
	t.Helper()
	var bridges []simulate.Bridge
	if s.Bridge != "" {
		var err error
		if bridges, err = simulate.ParseBridges(s.Bridge); err != nil {
			t.Fatalf("scenario %q: %v", s.Name, err)
		}
	}
	return simulate.Config{
		URL:        base + s.Path,
		Method:     s.Method,
		BodyFormat: s.Body,
		Format:     s.Format,
		Call: simulate.Call{
			CallID: SimCallID, AccountID: SimAccountID,
			From: SimFrom, To: SimTo, Realm: SimRealm,
			CallerIDName: s.CallerName, UserIDs: s.UserIDs,
		},
		Digits:  simulate.NewEntries(s.Digits...),
		Bridges: bridges,
	}
}

var (
	// testServer matches the address of an httptest server.
	testServer = regexp.MustCompile(`http://127\.0\.0\.1:[0-9]+`)
	// continuation matches the value of a signed continuation, which holds
	// an expiry time and a MAC.
	continuation = regexp.MustCompile(pivot.ContinuationParam + `=[^&\s"\\]+`)
)

// Normalize makes a transcript stable: test servers' addresses become
// http://SERVER and signed continuations kzc=SIGNED.
func Normalize(transcript string) string {
	s := testServer.ReplaceAllString(transcript, "http://SERVER")
	return continuation.ReplaceAllString(s, pivot.ContinuationParam+"=SIGNED")
}

// Simulate runs each scenario against srv with kzgen's simulator, each in
// a subtest, checks its outcome and texts, and compares the transcripts,
// normalized and each headed by its name and command line, with
// GoldenFile; go test -update rewrites it. The comparison is skipped when
// -run leaves some scenarios out.
func Simulate(t *testing.T, srv *httptest.Server, scenarios []Scenario) {
	t.Helper()
	var b strings.Builder
	all := true
	for i, sc := range scenarios {
		ran := false
		t.Run(sc.Name, func(t *testing.T) {
			ran = true
			res := run(t, srv.URL, sc)
			if i > 0 {
				b.WriteString("\n")
			}
			fmt.Fprintf(&b, "=== %s\n$ %s\n%s", sc.Name, sc.Command("http://SERVER"), Normalize(res.Text()))
		})
		all = all && ran
	}
	if !all {
		t.Logf("some scenarios did not run: %s not compared", GoldenFile)
		return
	}
	checkGolden(t, b.String())
}

// run simulates one scenario and checks its outcome and texts.
func run(t *testing.T, base string, sc Scenario) *simulate.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := simulate.Run(ctx, sc.Config(t, base))
	if err != nil {
		t.Fatalf("simulate.Run: %v", err)
	}
	text := res.Text()
	last := res.Events[len(res.Events)-1]
	if last.Kind != simulate.KindVerdict {
		t.Fatalf("transcript does not end with a verdict:\n%s", text)
	}
	if res.Outcome != sc.Want {
		t.Errorf("outcome %q, want %q\n%s", res.Outcome, sc.Want, text)
	}
	// Every outcome kzgen simulate exits 0 for is a completed call.
	if !res.Outcome.Failed() && !strings.HasPrefix(last.Text, "call completed") {
		t.Errorf("verdict %q: want a completed call", last.Text)
	}
	for _, s := range sc.Says {
		if !strings.Contains(text, s) {
			t.Errorf("transcript lacks %q:\n%s", s, text)
		}
	}
	return res
}

// checkGolden compares got with GoldenFile, or rewrites it under -update.
func checkGolden(t *testing.T, got string) {
	t.Helper()
	if want := golden.Want(t, GoldenFile, []byte(got)); got != string(want) {
		t.Errorf("transcripts differ from %s (go test -update rewrites it)\n%s", GoldenFile, diff(string(want), got))
	}
}

// diff shows the first differing line of want and got, with the lines
// around it.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	i := 0
	for i < len(w) && i < len(g) && w[i] == g[i] {
		i++
	}
	line := func(ls []string, i int) string {
		if i < len(ls) {
			return ls[i]
		}
		return "(end of file)"
	}
	var b strings.Builder
	for j := max(0, i-3); j < i; j++ {
		fmt.Fprintf(&b, "  %s\n", w[j])
	}
	fmt.Fprintf(&b, "line %d:\n- %s\n+ %s\n", i+1, line(w, i), line(g, i))
	return b.String()
}
