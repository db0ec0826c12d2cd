package simulate

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kzgen/kzgen/internal/golden"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/wire"
)

// Call attempt outcomes the tests use.
var (
	busy     = Bridge{Cause: "USER_BUSY", Code: "sip:486"}
	noAnswer = Bridge{Cause: "NO_ANSWER", Code: "sip:480"}
)

// simulate runs a call against url with the test identity.
func simulate(t *testing.T, cfg Config) *Result {
	t.Helper()
	if cfg.Call.CallID == "" {
		cfg.Call = testCall()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := Run(ctx, cfg)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if n := len(res.Events); n == 0 || res.Events[n-1].Kind != KindVerdict {
		t.Fatalf("transcript does not end with a verdict:\n%s", res.Text())
	}
	return res
}

// localServer matches the address of an httptest server.
var localServer = regexp.MustCompile(`http://127\.0\.0\.1:[0-9]+`)

// checkGolden compares the transcript, with test servers' addresses replaced by
// "http://SERVER", to testdata/<name>.golden; -update rewrites it.
func checkGolden(t *testing.T, name string, res *Result) {
	t.Helper()
	got := localServer.ReplaceAllString(res.Text(), "http://SERVER")
	path := filepath.Join("testdata", name+".golden")
	if want := golden.Want(t, path, []byte(got)); got != string(want) {
		t.Errorf("transcript differs from %s (go test -update rewrites it)\n--- got ---\n%s--- want ---\n%s", path, got, want)
	}
}

// wantOutcome fails the test unless the run ended with o.
func wantOutcome(t *testing.T, res *Result, o Outcome) {
	t.Helper()
	if res.Outcome != o {
		t.Errorf("outcome %q, want %q\n%s", res.Outcome, o, res.Text())
	}
}

// modules lists the modules of the node events, in order.
func modules(res *Result) []string {
	var out []string
	for _, ev := range res.Events {
		if ev.Kind == KindNode {
			out = append(out, ev.Module)
		}
	}
	return out
}

func TestIVRRunsEndToEnd(t *testing.T) {
	srv, rec := ivrServer(t)
	res := simulate(t, Config{URL: srv.URL + "/ivr", Digits: NewEntries("1", "1234#")})
	wantOutcome(t, res, OutcomeBridged)
	checkGolden(t, "ivr-pin", res)

	want := []string{"tts", "menu", "tts", "collect_dtmf", "pivot", "tts", "resources"}
	if got := modules(res); !slices.Equal(got, want) {
		t.Errorf("modules %v, want %v", got, want)
	}

	reqs, paths := rec.all()
	if !slices.Equal(paths, []string{"/ivr", "/pin"}) {
		t.Fatalf("requests to %v, want /ivr then /pin", paths)
	}
	first, second := reqs[0], reqs[1]
	if first.Method != http.MethodGet || first.BodyFormat != wire.BodyQuery || first.Format != wire.FormatKazoo {
		t.Errorf("first request: %s %v %v, want GET query kazoo (cf_pivot's defaults)", first.Method, first.BodyFormat, first.Format)
	}
	if second.Method != http.MethodPost || second.BodyFormat != wire.BodyJSON || second.Format != wire.FormatKazoo {
		t.Errorf("second request: %s %v %v, want POST json kazoo (the pivot node's settings)", second.Method, second.BodyFormat, second.Format)
	}
	for i, r := range reqs {
		if r.CallID != testCallID {
			t.Errorf("request %d: Call-ID %q, want %q on every request", i+1, r.CallID, testCallID)
		}
		if r.From != "1001" || r.To != "2000" || r.RequestUser != "2000" || r.FromRealm != "sip.example.com" {
			t.Errorf("request %d: From %q To %q Request %q From-Realm %q", i+1, r.From, r.To, r.RequestUser, r.FromRealm)
		}
		if r.CallerIDName != "Alice" || r.CallerIDNumber != "1001" || r.AccountID != testAccount {
			t.Errorf("request %d: caller ID %q <%s>, account %q", i+1, r.CallerIDName, r.CallerIDNumber, r.AccountID)
		}
		if !slices.Equal(r.UserIDs, []string{testUser}) || r.APIVersion != wire.KazooAPIVersion || r.Direction != "inbound" {
			t.Errorf("request %d: User-ID %v Api-Version %q Direction %q", i+1, r.UserIDs, r.APIVersion, r.Direction)
		}
	}
	if !first.Digits.IsZero() {
		t.Errorf("first request carries Digits %v", first.Digits.Names())
	}
	if pin, ok := second.Digits.Collection("pin"); !ok || pin != "1234" {
		t.Errorf("second request: Digits[pin] = %q (present %v), want 1234", pin, ok)
	}
	// The query must be byte-identical to Kazoo's encoding of the same
	// parameters.
	wantQuery := wire.EncodeForm(first.Params(wire.FormatKazoo))
	if ev := res.Events[0]; ev.URL != srv.URL+"/ivr?"+wantQuery {
		t.Errorf("first request URL\n got %s\nwant %s", ev.URL, srv.URL+"/ivr?"+wantQuery)
	}
}

// TestModulesGiveTheSameWalk: answers read into a generated package's
// types, and checked by its generated validation, are walked exactly as
// answers checked by the schemas.
func TestModulesGiveTheSameWalk(t *testing.T) {
	srv, _ := ivrServer(t)
	res := simulate(t, Config{URL: srv.URL + "/ivr", Digits: NewEntries("1", "1234#"), Modules: callflow.Modules()})
	checkGolden(t, "ivr-pin", res)
	srv, _ = brokenServer(t, respond(200, "application/json", `{"module":"tts","data":{"text":""}}`))
	res = simulate(t, Config{URL: srv.URL, Modules: callflow.Modules()})
	wantOutcome(t, res, OutcomeFailed)
	wantPointers(t, res, "/data/text")
}

func TestIVRWrongPINHangsUp(t *testing.T) {
	srv, rec := ivrServer(t)
	res := simulate(t, Config{URL: srv.URL + "/ivr", Digits: NewEntries("1", "99#")})
	wantOutcome(t, res, OutcomeHangup)
	reqs, _ := rec.all()
	if pin, _ := reqs[1].Digits.Collection("pin"); pin != "99" {
		t.Errorf("Digits[pin] = %q, want 99 (the # ends the entry)", pin)
	}
}

func TestIVRInvalidChoiceThenBusyUserGoesToVoicemail(t *testing.T) {
	srv, _ := ivrServer(t)
	res := simulate(t, Config{URL: srv.URL + "/ivr", Digits: NewEntries("7", "2"), Bridges: []Bridge{busy}})
	// voicemail continues with "_" once the message is left; it has none.
	wantOutcome(t, res, OutcomeEnd)
	checkGolden(t, "ivr-busy", res)
}

func TestIVRNoDigitsExhaustsMenu(t *testing.T) {
	srv, rec := ivrServer(t)
	res := simulate(t, Config{URL: srv.URL + "/ivr"})
	wantOutcome(t, res, OutcomeHangup)
	checkGolden(t, "ivr-no-digits", res)
	if _, paths := rec.all(); len(paths) != 1 {
		t.Errorf("%d requests, want 1", len(paths))
	}
}

func TestIVRNoAnswerFallsBackToDefault(t *testing.T) {
	srv, _ := ivrServer(t)
	// The user node has only a "sip:486" child: no answer is not busy, and
	// with no "_" child the call hangs up.
	res := simulate(t, Config{URL: srv.URL + "/ivr", Digits: NewEntries("2"), Bridges: []Bridge{noAnswer}})
	wantOutcome(t, res, OutcomeEnd)
	last := res.Events[len(res.Events)-2]
	if last.Module != "user" || !strings.Contains(last.Text, "NO_ANSWER, sip:480") {
		t.Errorf("last node event: %+v", last)
	}
}

func TestIVRResourcesBusyEndsCall(t *testing.T) {
	srv, _ := ivrServer(t)
	res := simulate(t, Config{URL: srv.URL + "/ivr", Digits: NewEntries("1", "1234"), Bridges: []Bridge{busy}})
	wantOutcome(t, res, OutcomeEnd)
	if !strings.Contains(res.Text(), `resources does not run "_" after a failure`) {
		t.Errorf("transcript does not explain the resources failure:\n%s", res.Text())
	}
}

// TestBrokenServers checks the verdict for each way a pivot server can
// answer the first request wrongly.
func TestBrokenServers(t *testing.T) {
	const flow = `{"module":"tts","data":{"text":"hi"}}`
	tests := []struct {
		name    string
		handler http.HandlerFunc
		timeout time.Duration
		outcome Outcome
		text    string // in the response event
		note    string // in one of its notes
	}{
		{"text-plain-json", respond(200, "text/plain", flow), 0, OutcomeEnd,
			"Kazoo callflow accepted", `Content-Type "text/plain" is not exactly "application/json"`},
		{"text-plain-invalid-json", respond(200, "text/plain", `{"module":`), 0, OutcomeFailed,
			"invalid JSON", "stops without publishing pivot.failed"},
		{"missing-content-type", respond(200, "-", flow), 0, OutcomeFailed,
			"no Content-Type (Kazoo reads it as text/xml)", "the two race"},
		{"text-xml-json", respond(200, "text/xml", flow), 0, OutcomeFailed,
			"not a TwiML <Response>", "the two race"},
		{"json-charset", respond(200, "application/json; charset=utf-8", flow), 0, OutcomeEnd,
			"Kazoo callflow accepted", ""},
		{"json-uppercase", respond(200, "Application/JSON", flow), 0, OutcomeEnd,
			"Kazoo callflow accepted", "compares it case-sensitively"},
		{"status-500", respond(500, "application/json", flow), 0, OutcomeFailed,
			"500", "publishes pivot.failed"},
		{"status-204", respond(204, "application/json", ""), 0, OutcomeFailed,
			"204", "no pivot node whose \"_\" child could run"},
		{"status-201", respond(201, "application/json", flow), 0, OutcomeFailed,
			"accepts only 200 and 206", ""},
		{"redirect-302", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
		}, 0, OutcomeFailed, "302", ""},
		{"invalid-json", respond(200, "application/json", `{"module":"tts","data":{"text":"hi"}`), 0, OutcomeFailed,
			"invalid JSON", "hangs the call up"},
		{"empty-body", respond(200, "application/json", ""), 0, OutcomeFailed,
			"empty body", ""},
		{"twiml", respond(200, "text/xml", `<?xml version="1.0"?><Response><Say>hi</Say></Response>`), 0, OutcomeTwiML,
			"TwiML", ""},
		{"slow", slow(2 * time.Second), 100 * time.Millisecond, OutcomeFailed,
			"no answer within 100 ms", "10 s event wait"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := brokenServer(t, tc.handler)
			start := time.Now()
			res := simulate(t, Config{URL: srv.URL, Timeout: tc.timeout})
			wantOutcome(t, res, tc.outcome)
			if tc.timeout > 0 && time.Since(start) > time.Second {
				t.Errorf("took %v: the request timeout was not applied", time.Since(start))
			}
			resp := res.Events[1]
			if resp.Kind != KindResponse || !strings.Contains(resp.Text, tc.text) {
				t.Errorf("response event %q, want it to mention %q", resp.Text, tc.text)
			}
			if tc.note != "" && !slices.ContainsFunc(resp.Notes, func(n string) bool { return strings.Contains(n, tc.note) }) {
				t.Errorf("response notes %q, want one mentioning %q", resp.Notes, tc.note)
			}
		})
	}
}

func TestSchemaErrorsReportPointers(t *testing.T) {
	// tts without its required text, two levels down, and a module Kazoo
	// has no schema for.
	body := `{"module":"tts","data":{"text":"hi"},"children":{"_":{"module":"menu","data":{},"children":{
		"1":{"module":"tts","data":{"voice":"male"}},
		"2":{"module":"say","data":{"text":"x"}}}}}}`
	srv, _ := brokenServer(t, respond(200, "application/json", body))
	res := simulate(t, Config{URL: srv.URL})
	wantOutcome(t, res, OutcomeFailed)
	checkGolden(t, "schema-errors", res)
	wantPointers(t, res, "/children/_/children/1/data/text", "/children/_/children/2/module")

	// A value of the wrong type is located too.
	srv, _ = brokenServer(t, respond(200, "application/json", `{"module":"user","data":{"id":"u","timeout":"20"}}`))
	res = simulate(t, Config{URL: srv.URL})
	wantOutcome(t, res, OutcomeFailed)
	wantPointers(t, res, "/data/timeout")
}

// wantPointers checks that the response event lists a problem at (or
// under) each pointer.
func wantPointers(t *testing.T, res *Result, want ...string) {
	t.Helper()
	var ptrs []string
	for _, p := range res.Events[1].Problems {
		ptrs = append(ptrs, p.Pointer)
	}
	for _, w := range want {
		if !slices.ContainsFunc(ptrs, func(p string) bool { return strings.HasPrefix(p, w) }) {
			t.Errorf("problems %v: none at %s", ptrs, w)
		}
	}
}

func TestFlowDocumentIsNotABareNode(t *testing.T) {
	srv, _ := brokenServer(t, respond(200, "application/json", `{"flow":{"module":"hangup","data":{}}}`))
	res := simulate(t, Config{URL: srv.URL})
	wantOutcome(t, res, OutcomeFailed)
	if !strings.Contains(res.Text(), `this is a callflow document ({"flow":…})`) {
		t.Errorf("no hint about the flow wrapper:\n%s", res.Text())
	}
}

// TestFollowUpFailures checks failures of a pivot node met in a flow: the
// pivot node's "_" child runs after a failed pivot, the call ends after a
// bad answer.
func TestFollowUpFailures(t *testing.T) {
	tests := []struct {
		name    string
		next    http.HandlerFunc
		cdrURL  bool
		outcome Outcome
		want    string
	}{
		{"500-takes-default", respond(500, "text/plain", "oops"), false, OutcomeHangup, `"_" child`},
		{"slow-takes-default", slow(2 * time.Second), false, OutcomeHangup, "no answer within 100 ms"},
		{"invalid-json-ends", respond(200, "application/json", "{"), false, OutcomeFailed, "invalid JSON"},
		{"invalid-json-cdr-url-takes-default", respond(200, "application/json", "{"), true, OutcomeHangup, "with a cdr_url it does not hang up"},
		{"missing-type-ends", respond(200, "-", `{"module":"hangup","data":{}}`), false, OutcomeFailed, "the two race"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			next, _ := brokenServer(t, tc.next)
			p := callflow.Pivot(next.URL).ReqTimeoutMS(100)
			if tc.cdrURL {
				p.CDRURL(next.URL + "/cdr")
			}
			first, _ := brokenServer(t, func(w http.ResponseWriter, r *http.Request) {
				writeFlow(t, w, p.Then(callflow.TTS("Sorry, try later.").Then(callflow.Hangup())))
			})
			res := simulate(t, Config{URL: first.URL})
			wantOutcome(t, res, tc.outcome)
			if !strings.Contains(res.Text(), tc.want) {
				t.Errorf("transcript does not mention %q:\n%s", tc.want, res.Text())
			}
		})
	}
}

// TestPivotWithoutReqFormatSendsTwiML checks the follow-up naming when the
// pivot node has no req_format, and the twiml naming of a first request.
func TestPivotWithoutReqFormatSendsTwiML(t *testing.T) {
	next, nextRec := brokenServer(t, respond(200, "application/json", `{"module":"hangup","data":{}}`))
	first, firstRec := brokenServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeFlow(t, w, callflow.CollectDTMF().Then(callflow.Pivot(next.URL+"/next?step=2")))
	})
	res := simulate(t, Config{URL: first.URL + "/start?tenant=acme", Format: wire.FormatTwiML, Method: "post", Digits: NewEntries("5")})
	wantOutcome(t, res, OutcomeHangup)
	checkGolden(t, "twiml-naming", res)

	firsts, _ := firstRec.all()
	if r := firsts[0]; r.Format != wire.FormatTwiML || r.Method != http.MethodPost || r.BodyFormat != wire.BodyForm || r.URLQuery().Get("tenant") != "acme" {
		t.Errorf("first request: %v %s %v query %v", r.Format, r.Method, r.BodyFormat, r.URLQuery())
	}
	nexts, _ := nextRec.all()
	r := nexts[0]
	if r.Format != wire.FormatTwiML || r.Method != http.MethodGet || r.CallID != testCallID || r.APIVersion != wire.TwiMLAPIVersion {
		t.Errorf("follow-up: %v %s CallSid %q ApiVersion %q, want twiml GET", r.Format, r.Method, r.CallID, r.APIVersion)
	}
	if d, _ := r.Digits.Collection("default"); d != "5" {
		t.Errorf("follow-up Digits[default] = %q, want 5", d)
	}
	if r.Get("step") != "2" {
		t.Errorf("voice_url's own query lost: step = %q", r.Get("step"))
	}
}

func TestLoopIsCutShort(t *testing.T) {
	var srv string
	loop, _ := brokenServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeFlow(t, w, callflow.TTS("again").Then(callflow.Pivot(srv).ReqFormat(callflow.PivotReqFormatKazoo)))
	})
	srv = loop.URL
	res := simulate(t, Config{URL: srv, MaxRequests: 5})
	wantOutcome(t, res, OutcomeLimit)
	if !strings.Contains(res.Events[len(res.Events)-1].Text, "more than 5 Pivot requests") {
		t.Errorf("verdict: %s", res.Events[len(res.Events)-1].Text)
	}

	// A flow that loops without requests is bounded by MaxSteps.
	res = simulate(t, Config{URL: srv, MaxSteps: 7})
	wantOutcome(t, res, OutcomeLimit)
}

func TestSetCIDAndVariablesReachLaterRequests(t *testing.T) {
	next, rec := brokenServer(t, respond(200, "application/json", `{"module":"hangup","data":{}}`))
	first, _ := brokenServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeFlow(t, w, callflow.SetCID().CallerIDName("Front Desk").CallerIDNumber("+15550001").Then(
			callflow.SetVariables().CustomApplicationVars(map[string]json.RawMessage{"lang": json.RawMessage(`"fr"`), "tier": json.RawMessage(`2`)}).Then(
				callflow.Pivot(next.URL).ReqFormat(callflow.PivotReqFormatKazoo))))
	})
	res := simulate(t, Config{URL: first.URL})
	wantOutcome(t, res, OutcomeHangup)
	reqs, _ := rec.all()
	r := reqs[0]
	if r.CallerIDName != "Front Desk" || r.CallerIDNumber != "+15550001" {
		t.Errorf("follow-up caller ID %q <%s>", r.CallerIDName, r.CallerIDNumber)
	}
	if r.CustomApplicationVars["lang"] != "fr" || r.CustomApplicationVars["tier"] != "2" {
		t.Errorf("follow-up Custom-Application-Vars %v", r.CustomApplicationVars)
	}
}

func TestCheckCIDBranches(t *testing.T) {
	flow := func(regex string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			writeFlow(t, w, callflow.CheckCID().Regex(regex).
				Branch("match", callflow.TTS("vip").Then(callflow.Hangup())).
				Branch("nomatch", callflow.Hangup()))
		}
	}
	for regex, want := range map[string][]string{"^10": {"check_cid", "tts", "hangup"}, "^9": {"check_cid", "hangup"}} {
		srv, _ := brokenServer(t, flow(regex))
		res := simulate(t, Config{URL: srv.URL})
		if got := modules(res); !slices.Equal(got, want) {
			t.Errorf("regex %s: modules %v, want %v", regex, got, want)
		}
	}
}

func TestSkipModuleTakesDefault(t *testing.T) {
	srv, _ := brokenServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeFlow(t, w, callflow.User().ID(testUser).SkipModule(true).Then(callflow.Hangup()))
	})
	res := simulate(t, Config{URL: srv.URL})
	wantOutcome(t, res, OutcomeHangup)
	if ev := res.Events[2]; !strings.Contains(ev.Text, "skipped") || ev.Branch != "_" {
		t.Errorf("user node: %+v", ev)
	}
}

// TestEveryModuleHasALine runs each of Kazoo's modules, with empty data,
// through the node executor: each gets a transcript line and a decision.
func TestEveryModuleHasALine(t *testing.T) {
	names := callflow.Modules().Names()
	if len(names) != 78 {
		t.Errorf("%d modules, want Kazoo's 78", len(names))
	}
	for _, name := range names {
		if name == "pivot" {
			continue // makes a request; covered above
		}
		data, _ := callflow.NewData(name)
		n := &callflow.Node{Module: name, Data: data, Children: map[string]*callflow.Node{"_": {Module: "hangup", Data: new(callflow.HangupData)}}}
		cfg := Config{URL: "http://x", Bridges: []Bridge{busy}}
		w, _, err := newWalker(&cfg)
		if err != nil {
			t.Fatal(err)
		}
		st, err := w.execute(context.Background(), n, "")
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		ev := w.res.Events[0]
		t.Logf("%s", strings.TrimSpace(FormatText(ev)))
		if ev.Module != name || ev.Text == "" {
			t.Errorf("%s: event %+v", name, ev)
		}
		if st.end == nil && st.next == nil {
			t.Errorf("%s: neither ends nor continues, though a \"_\" child exists", name)
		}
	}
}

func TestCutEntry(t *testing.T) {
	tests := []struct {
		entry, terms string
		max          int
		digits, rest string
	}{
		{"42#", "#", 4, "42", ""},
		{"42#9", "#", 4, "42", "9"},
		{"12345", "#", 4, "1234", "5"},
		{"42#", "#", 1, "4", "2#"},
		{"#1", "#", 4, "", "1"},
		{"1*2", "#*", 4, "1", "2"},
		{"", "#", 4, "", ""},
	}
	for _, tc := range tests {
		d, r := cutEntry(tc.entry, tc.terms, tc.max)
		if d != tc.digits || r != tc.rest {
			t.Errorf("cutEntry(%q, %q, %d) = %q, %q; want %q, %q", tc.entry, tc.terms, tc.max, d, r, tc.digits, tc.rest)
		}
	}
}

func TestParseEntries(t *testing.T) {
	got, err := ParseEntries("1, 42#,,*9")
	if err != nil || !slices.Equal(got, []string{"1", "42#", "", "*9"}) {
		t.Errorf("ParseEntries = %q, %v", got, err)
	}
	if _, err := ParseEntries("1,4a"); err == nil {
		t.Error("ParseEntries accepted a letter")
	}
}

func TestKeyboard(t *testing.T) {
	var prompts strings.Builder
	k := NewKeyboard(strings.NewReader("12#\nx\n\n7"), &prompts)
	for i, want := range []struct {
		entry string
		ok    bool
	}{{"12#", true}, {"", false}, {"7", true}, {"", false}} {
		entry, ok := k.NextEntry("menu")
		if entry != want.entry || ok != want.ok {
			t.Errorf("entry %d: %q %v, want %q %v", i, entry, ok, want.entry, want.ok)
		}
	}
	if !strings.Contains(prompts.String(), "not a keypad key") {
		t.Errorf("prompts: %q", prompts.String())
	}
}

func TestRunRejectsBadConfig(t *testing.T) {
	for _, cfg := range []Config{{URL: "ftp://x"}, {URL: "http://x", Method: "PUT"}, {URL: "http://x", Timeout: -1}} {
		if _, err := Run(context.Background(), cfg); err == nil {
			t.Errorf("Run(%+v) accepted", cfg)
		}
	}
}
