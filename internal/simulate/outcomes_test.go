package simulate

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// walk runs cfg over the flow built in Go, without a first request.
func walk(t *testing.T, cfg Config, flow callflow.Builder) *Result {
	t.Helper()
	cfg.Flow = flow.Node()
	return simulate(t, cfg)
}

// raw is a node of module with data written as JSON.
func raw(module, data string) *kzrt.Node {
	return &kzrt.Node{Module: module, Data: &kzrt.RawData{Module: module, JSON: json.RawMessage(data)}}
}

// with sets n's child under key and returns n.
func with(n *kzrt.Node, key string, child callflow.Builder) *kzrt.Node {
	n.SetChild(key, child)
	return n
}

// ringGroup rings the test user repeats times.
func ringGroup(repeats int) *kzrt.Node {
	return raw("ring_group", fmt.Sprintf(`{"endpoints":[{"id":%q,"endpoint_type":"user"}],"repeats":%d}`, testUser, repeats))
}

// say is a leaf that names where the call went.
func say(text string) callflow.Builder { return callflow.TTS(text).Then(callflow.Hangup()) }

// spoken returns the texts of the tts nodes executed.
func spoken(res *Result) []string {
	var out []string
	for _, ev := range res.Events {
		if ev.Module == "tts" {
			text, _, _ := strings.Cut(strings.TrimPrefix(ev.Text, `says "`), `"`)
			out = append(out, text)
		}
	}
	return out
}

func TestParseBridge(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Bridge
	}{
		{"answered", Bridge{}},
		{"busy", busy},
		{"no-answer", noAnswer},
		{"USER_BUSY", busy},
		{"call-rejected", Bridge{"CALL_REJECTED", "sip:603"}},
		{"sip:486", busy},
		{"sip:404", Bridge{"UNALLOCATED_NUMBER", "sip:404"}},
		{"sip:488", Bridge{"UNSPECIFIED", "sip:488"}},
		{"RECOVERY_ON_TIMER_EXPIRE", Bridge{"RECOVERY_ON_TIMER_EXPIRE", "sip:600"}},
		{"unspecified", Bridge{"UNSPECIFIED", "sip:600"}},
		{"NORMAL_TEMPORARY_FAILURE/sip:503", Bridge{"NORMAL_TEMPORARY_FAILURE", "sip:503"}},
	} {
		got, err := ParseBridge(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseBridge(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"maybe", "486", "SIP:486", "sip:86", "user_busy", "USER_BUSY/486", "/sip:486", ""} {
		if _, err := ParseBridge(bad); err == nil {
			t.Errorf("ParseBridge(%q) accepted", bad)
		}
	}
	list, err := ParseBridges("no-answer, answered")
	if err != nil || !slices.Equal(list, []Bridge{noAnswer, {}}) {
		t.Errorf("ParseBridges = %v, %v", list, err)
	}
}

// TestBridgeOutcomes follows failed call attempts as Kazoo does: the
// child named after the cause first, then the SIP code's, then "_" only
// where the module runs it after a failure.
func TestBridgeOutcomes(t *testing.T) {
	user := func() *callflow.UserBuilder { return callflow.User().ID(testUser) }
	for _, tc := range []struct {
		name    string
		flow    callflow.Builder
		bridges []Bridge
		said    []string // tts texts, in order
		outcome Outcome
	}{
		{"answered", user().Then(say("after")), nil, nil, OutcomeBridged},
		{"cause before code", user().Branch("USER_BUSY", say("cause")).Branch("sip:486", say("code")).Then(say("default")),
			[]Bridge{busy}, []string{"cause"}, OutcomeHangup},
		{"code when no cause child", user().Branch("sip:486", say("code")).Then(say("default")),
			[]Bridge{busy}, []string{"code"}, OutcomeHangup},
		{"code alone given", user().Branch("USER_BUSY", say("cause")).Then(say("default")),
			[]Bridge{{Cause: "UNSPECIFIED", Code: "sip:486"}}, []string{"default"}, OutcomeHangup},
		{"neither: default", user().Branch("USER_BUSY", say("cause")).Then(say("default")),
			[]Bridge{noAnswer}, []string{"default"}, OutcomeHangup},
		{"neither, no default: hang up", user().Branch("USER_BUSY", say("cause")),
			[]Bridge{noAnswer}, nil, OutcomeEnd},
		{"resources stops, never \"_\"", callflow.Resources().Then(say("default")),
			[]Bridge{busy}, nil, OutcomeEnd},
		{"resources by cause", callflow.Resources().Branch("NO_ROUTE_DESTINATION", say("no route")).Then(say("default")),
			[]Bridge{{Cause: "NO_ROUTE_DESTINATION", Code: "sip:404"}}, []string{"no route"}, OutcomeHangup},
		{"offnet by code", callflow.Offnet().Branch("sip:503", say("code")),
			[]Bridge{{Cause: "NORMAL_TEMPORARY_FAILURE", Code: "sip:503"}}, []string{"code"}, OutcomeHangup},
		{"ring_group repeats until answered", with(ringGroup(3), "_", say("default")),
			[]Bridge{noAnswer, noAnswer, {}}, nil, OutcomeBridged},
		{"ring_group repeats then default", with(ringGroup(2), "_", say("default")),
			[]Bridge{noAnswer}, []string{"default"}, OutcomeHangup},
		{"ring_group failure key ends the repeats", with(with(ringGroup(3), "NO_ANSWER", say("cause")), "_", say("default")),
			[]Bridge{noAnswer}, []string{"cause"}, OutcomeHangup},
		{"hotdesk bridge continues after the call", callflow.Hotdesk().Action("bridge").Then(say("after")),
			nil, []string{"after"}, OutcomeHangup},
		{"hotdesk login ignores failure keys", callflow.Hotdesk().Action("login").Branch("USER_BUSY", say("cause")).Then(say("default")),
			[]Bridge{busy}, []string{"default"}, OutcomeHangup},
		{"each attempt takes the next outcome", user().Branch("NO_ANSWER", callflow.Device().ID(testUser).Then(say("default"))),
			[]Bridge{noAnswer, busy}, []string{"default"}, OutcomeHangup},
		{"page_group failure continues", with(raw("page_group", `{"endpoints":[{"id":"`+testUser+`","endpoint_type":"user"}]}`), "_", say("default")),
			[]Bridge{busy}, []string{"default"}, OutcomeHangup},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := walk(t, Config{Call: testCall(), Bridges: tc.bridges}, tc.flow)
			wantOutcome(t, res, tc.outcome)
			if got := spoken(res); !slices.Equal(got, tc.said) {
				t.Errorf("said %q, want %q\n%s", got, tc.said, res.Text())
			}
		})
	}
}

func TestOffnetUsesTheSystemsCarriers(t *testing.T) {
	for _, flow := range []callflow.Builder{callflow.Offnet(), callflow.Offnet().UseLocalResources(true)} {
		res := walk(t, Config{Call: testCall()}, flow)
		text := res.Text()
		if !strings.Contains(text, "offnet: dials 2000 via the system's carriers") || strings.Contains(text, "local carriers") {
			t.Errorf("transcript:\n%s", text)
		}
	}
	res := walk(t, Config{Call: testCall()}, callflow.Resources().HuntAccountID("a1"))
	if !strings.Contains(res.Text(), "via account a1's local carriers") {
		t.Errorf("resources with local carriers:\n%s", res.Text())
	}
	res = walk(t, Config{Call: testCall()}, callflow.Resources().UseLocalResources(false))
	if !strings.Contains(res.Text(), "via the system's carriers") {
		t.Errorf("resources without local carriers:\n%s", res.Text())
	}
}

func TestCheckCIDRegex(t *testing.T) {
	flow := func(regex string, absolute bool) callflow.Builder {
		return callflow.CheckCID().Regex(regex).UseAbsoluteMode(absolute).
			Branch("match", say("match")).Branch("nomatch", say("nomatch")).
			Branch("+15551234567", say("number")).
			Then(say("default"))
	}
	for _, tc := range []struct {
		regex    string
		absolute bool
		number   string
		want     string
	}{
		{"^\\+1555", false, "+15551234567", "match"},
		{"^\\+1666", false, "+15551234567", "nomatch"},
		{"^\\+1555", true, "+15551234567", "number"},
		{"^\\+1555", true, "+15559999999", "default"}, // absolute mode: no child for the number
		{"^\\+1666", true, "+15551234567", "nomatch"}, // a miss tries "nomatch" in both modes
		{"^[0-9]{4}$", false, "1001\n", "match"},      // PCRE's $ before a final newline
		{"^(?i)VIP", false, "vip-1", "match"},
	} {
		call := testCall()
		call.CallerIDNumber = tc.number
		res := walk(t, Config{Call: call}, flow(tc.regex, tc.absolute))
		if got := spoken(res); len(got) != 1 || got[0] != tc.want {
			t.Errorf("regex %q absolute %v on %q: said %q, want %q\n%s", tc.regex, tc.absolute, tc.number, got, tc.want, res.Text())
		}
	}
}

func TestCIDListMatch(t *testing.T) {
	flow := callflow.CIDListMatch().ID("list1").Branch("match", say("match")).Branch("nomatch", say("nomatch")).Then(say("default"))
	for match, want := range map[bool]string{true: "match", false: "nomatch"} {
		res := walk(t, Config{Call: testCall(), CIDListMatch: match}, flow)
		if got := spoken(res); len(got) != 1 || got[0] != want {
			t.Errorf("CIDListMatch %v: said %q", match, got)
		}
	}
	res := walk(t, Config{Call: testCall(), CIDListMatch: true}, callflow.CIDListMatch().ID("list1").Then(say("default")))
	if got := spoken(res); len(got) != 1 || got[0] != "default" {
		t.Errorf("no match child: said %q", got)
	}
}

func TestTemporalRouteChoice(t *testing.T) {
	const (
		hours   = "0123456789abcdef0123456789abcdef"
		holiday = "fedcba9876543210fedcba9876543210"
	)
	flow := callflow.TemporalRoute().Rules(holiday).
		Branch(hours, say("open")).
		Branch(holiday, say("holiday")).
		Then(say("closed"))
	for temporal, want := range map[string]string{hours: "open", holiday: "holiday", "none": "closed", "": "closed", "rule_set": "closed"} {
		res := walk(t, Config{Call: testCall(), Temporal: temporal}, flow)
		if got := spoken(res); len(got) != 1 || got[0] != want {
			t.Errorf("Temporal %q: said %q, want %q\n%s", temporal, got, want, res.Text())
		}
	}
}

func TestTemporalRouteRules(t *testing.T) {
	const (
		hours   = "0123456789abcdef0123456789abcdef"
		holiday = "fedcba9876543210fedcba9876543210"
		setID   = "00000000000000000000000000000001"
	)
	rules, err := ReadTemporalRules([]byte(`{"data":[
		{"id":"` + hours + `","name":"Office hours","cycle":"weekly","wdays":["monday","tuesday","wednesday","thursday","friday"],
		 "time_window_start":32400,"time_window_stop":61200},
		{"id":"` + holiday + `","name":"Christmas","cycle":"yearly","month":12,"days":[25]},
		{"id":"` + setID + `","name":"Both","temporal_rules":["` + holiday + `"]}
	]}`))
	if err != nil {
		t.Fatal(err)
	}
	flow := callflow.TemporalRoute().Rules(holiday).Timezone("America/New_York").
		Branch(hours, say("open")).
		Branch(holiday, say("holiday")).
		Then(say("closed"))
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skipf("no time zone data: %v", err)
	}
	for _, tc := range []struct {
		at   time.Time
		wall bool
		want string
	}{
		{time.Date(2024, 3, 12, 10, 0, 0, 0, ny), false, "open"},         // a Tuesday, 10:00
		{time.Date(2024, 3, 12, 8, 59, 59, 0, ny), false, "closed"},      // before the window
		{time.Date(2024, 3, 12, 17, 0, 0, 0, ny), false, "open"},         // the window's end is included
		{time.Date(2024, 3, 16, 10, 0, 0, 0, ny), false, "closed"},       // a Saturday
		{time.Date(2024, 12, 25, 10, 0, 0, 0, ny), false, "holiday"},     // data.rules come first
		{time.Date(2024, 3, 12, 15, 0, 0, 0, time.UTC), false, "open"},   // 11:00 in New York
		{time.Date(2024, 3, 12, 20, 0, 0, 0, time.UTC), false, "open"},   // 16:00 in New York
		{time.Date(2024, 3, 12, 22, 0, 0, 0, time.UTC), false, "closed"}, // 18:00 in New York
		{time.Date(2024, 3, 12, 10, 0, 0, 0, time.UTC), true, "open"},    // wall clock: 10:00 in New York
		{time.Date(2024, 3, 12, 8, 0, 0, 0, time.FixedZone("X", 3600)), true, "closed"},
	} {
		res := walk(t, Config{Call: testCall(), Rules: rules, At: tc.at, AtWallClock: tc.wall}, flow)
		if got := spoken(res); len(got) != 1 || got[0] != tc.want {
			t.Errorf("at %v (wall clock %v): said %q, want %q\n%s", tc.at, tc.wall, got, tc.want, res.Text())
		}
	}

	// A rule set named by data.rule_set leads to "rule_set".
	setFlow := callflow.TemporalRoute().RuleSet(setID).Branch("rule_set", say("set")).Then(say("closed"))
	res := walk(t, Config{Call: testCall(), Rules: rules, At: time.Date(2030, 12, 25, 12, 0, 0, 0, time.UTC)}, setFlow)
	if got := spoken(res); len(got) != 1 || got[0] != "set" {
		t.Errorf("rule set: said %q\n%s", got, res.Text())
	}
	// A rule without its document is skipped, and said so.
	res = walk(t, Config{Call: testCall(), At: time.Date(2024, 3, 12, 10, 0, 0, 0, ny)}, flow)
	if got := spoken(res); len(got) != 1 || got[0] != "closed" || !strings.Contains(res.Text(), "no document for") {
		t.Errorf("no documents: said %q\n%s", got, res.Text())
	}
}

func TestTemporalRuleActiveAt(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }
	start := func(t time.Time) int64 { return t.Unix() + gregorianUnix }
	for _, tc := range []struct {
		name string
		rule TemporalRule
		at   time.Time
		want bool
	}{
		{"date", TemporalRule{Cycle: "date", StartDate: start(day(2024, 7, 4))}, day(2024, 7, 4), true},
		{"date, other day", TemporalRule{Cycle: "date", StartDate: start(day(2024, 7, 4))}, day(2024, 7, 5), false},
		{"daily every 2nd day", TemporalRule{Cycle: "daily", Interval: 2, StartDate: start(day(2024, 1, 1))}, day(2024, 1, 3), true},
		{"daily, off day", TemporalRule{Cycle: "daily", Interval: 2, StartDate: start(day(2024, 1, 1))}, day(2024, 1, 4), false},
		{"before the start", TemporalRule{Cycle: "daily", StartDate: start(day(2024, 1, 1))}, day(2023, 12, 31), false},
		{"weekly every 2nd week", TemporalRule{Cycle: "weekly", Interval: 2, WDays: []string{"monday"}, StartDate: start(day(2024, 1, 1))}, day(2024, 1, 15), true},
		{"weekly, off week", TemporalRule{Cycle: "weekly", Interval: 2, WDays: []string{"monday"}, StartDate: start(day(2024, 1, 1))}, day(2024, 1, 8), false},
		{"wensday", TemporalRule{Cycle: "weekly", WDays: []string{"wensday"}}, day(2024, 1, 3), true},
		{"monthly days", TemporalRule{Cycle: "monthly", Days: []int{1, 15}}, day(2024, 2, 15), true},
		{"monthly, other day", TemporalRule{Cycle: "monthly", Days: []int{1, 15}}, day(2024, 2, 16), false},
		{"monthly every 3rd month", TemporalRule{Cycle: "monthly", Interval: 3, Days: []int{1}, StartDate: start(day(2024, 1, 1))}, day(2024, 4, 1), true},
		{"monthly, off month", TemporalRule{Cycle: "monthly", Interval: 3, Days: []int{1}, StartDate: start(day(2024, 1, 1))}, day(2024, 3, 1), false},
		{"first monday", TemporalRule{Cycle: "monthly", Ordinal: "first", WDays: []string{"monday"}}, day(2024, 9, 2), true},
		{"second monday is not first", TemporalRule{Cycle: "monthly", Ordinal: "first", WDays: []string{"monday"}}, day(2024, 9, 9), false},
		{"last friday", TemporalRule{Cycle: "monthly", Ordinal: "last", WDays: []string{"friday"}}, day(2024, 5, 31), true},
		{"not the last friday", TemporalRule{Cycle: "monthly", Ordinal: "last", WDays: []string{"friday"}}, day(2024, 5, 24), false},
		{"every tuesday of the month", TemporalRule{Cycle: "monthly", Ordinal: "every", WDays: []string{"tuesday"}}, day(2024, 5, 28), true},
		{"yearly fourth thursday of november", TemporalRule{Cycle: "yearly", Month: 11, Ordinal: "fourth", WDays: []string{"thursday"}}, day(2024, 11, 28), true},
		{"yearly, other month", TemporalRule{Cycle: "yearly", Month: 11, Days: []int{28}}, day(2024, 10, 28), false},
		{"every 7th day, five centuries on: a Monday", TemporalRule{Cycle: "daily", Interval: 7, StartDate: start(day(2024, 1, 1))}, day(2524, 1, 3), true},
		{"every 7th day, five centuries on: a Saturday", TemporalRule{Cycle: "daily", Interval: 7, StartDate: start(day(2024, 1, 1))}, day(2524, 1, 1), false},
		{"forced on", TemporalRule{Cycle: "date", Enabled: new(true)}, day(1999, 1, 1), true},
		{"forced off", TemporalRule{Cycle: "daily", Enabled: new(false)}, day(2024, 1, 1), false},
		{"window", TemporalRule{Cycle: "daily", TimeWindowStart: new(int64(43200)), TimeWindowStop: new(int64(43200))}, day(2024, 1, 1), true},
		{"outside the window", TemporalRule{Cycle: "daily", TimeWindowStart: new(int64(43201))}, day(2024, 1, 1), false},
	} {
		if got := tc.rule.ActiveAt(tc.at); got != tc.want {
			t.Errorf("%s: ActiveAt(%v) = %v, want %v", tc.name, tc.at, got, tc.want)
		}
	}
}

func TestReadTemporalRulesErrors(t *testing.T) {
	for _, bad := range []string{
		`[{"cycle":"daily"}]`,
		`{"id":"r1","cycle":"hourly"}`,
		`{"id":"r1","cycle":"weekly","wdays":["mon"]}`,
		`{"id":"r1","cycle":"monthly","ordinal":"sixth"}`,
		`{"id":"r1","cycle":"daily","interval":-1}`,
		`{"id":"r1","cycle":"daily","days":"1"}`,
		`{"id":"r1","cycle":"daily","start_date":-1}`,
		`{"id":"r1","cycle":"daily","start_date":9223372036854775807}`,
		`"rules"`,
	} {
		if _, err := ReadTemporalRules([]byte(bad)); err == nil {
			t.Errorf("ReadTemporalRules(%s) accepted", bad)
		}
	}
	rules, err := ReadTemporalRules([]byte(`[{"_id":"r1","cycle":"daily"},{"id":"s1","temporal_rules":["r1"]}]`))
	if err != nil || len(rules) != 2 || rules[0].ID != "r1" {
		t.Errorf("stored documents: %+v, %v", rules, err)
	}
}

// TestFlowGivenThatLoops: a tree built in Go can loop; the walk refuses it
// with the path where the loop closes, instead of running until a limit.
func TestFlowGivenThatLoops(t *testing.T) {
	// Builders store their children as copies, so a loop is made of nodes.
	menu := callflow.Menu().ID("main").Node()
	menu.SetChild("timeout", callflow.TTS("again").Then(menu))
	res, err := Run(context.Background(), Config{Call: testCall(), Flow: menu})
	if err != nil {
		t.Fatal(err)
	}
	wantOutcome(t, res, OutcomeFailed)
	ev := res.Events[0]
	if ev.Kind != KindFlow || len(ev.Problems) != 1 || ev.Problems[0].Pointer != "/children/timeout/children/_" ||
		!strings.Contains(ev.Problems[0].Message, "loop back to the root") {
		t.Errorf("flow event %+v", ev)
	}
}

// TestHostileAnswers: answers built to exhaust a reader end the walk with a
// verdict that says what happened, never a crash or a claim of success.
func TestHostileAnswers(t *testing.T) {
	deepTree := strings.Repeat(`{"module":"answer","data":{},"children":{"_":`, 3000) + `{"module":"hangup","data":{}}` + strings.Repeat("}}", 3000)
	for _, tc := range []struct {
		name, contentType, body string
		outcome                 Outcome
		text                    string // in the response event
	}{
		{"over the size limit", "application/json", `{"module":"tts","data":{"text":"` + strings.Repeat("a", DefaultMaxBody) + `"}}`,
			OutcomeLimit, "more than 4194304 bytes"},
		{"deep arrays", "application/json", strings.Repeat("[", 1<<20) + strings.Repeat("]", 1<<20), OutcomeFailed, "invalid JSON"},
		{"deep tree", "application/json", deepTree, OutcomeFailed, "fails Kazoo's schema"},
		{"deep XML", "text/xml", "<Response>" + strings.Repeat("<a>", 1<<16) + strings.Repeat("</a>", 1<<16) + "</Response>", OutcomeTwiML, "TwiML"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := brokenServer(t, respond(200, tc.contentType, tc.body))
			res := simulate(t, Config{URL: srv.URL})
			wantOutcome(t, res, tc.outcome)
			if ev := res.Events[1]; !strings.Contains(ev.Text, tc.text) {
				t.Errorf("response event %.300q lacks %q", ev.Text, tc.text)
			}
			if tc.outcome == OutcomeLimit && !strings.Contains(res.Events[2].Text, "does not judge") {
				t.Errorf("verdict %q does not say the answer was not judged", res.Events[2].Text)
			}
		})
	}
}

// TestPivotCycleNamesThePath: a flow that pivots back to where it came
// from is stopped, and the verdict names the requests that repeat.
func TestPivotCycleNamesThePath(t *testing.T) {
	var base string
	srv, _ := brokenServer(t, func(w http.ResponseWriter, r *http.Request) {
		next := "/b"
		if r.URL.Path == "/b" {
			next = "/a"
		}
		writeFlow(t, w, callflow.TTS("at "+r.URL.Path).Then(callflow.Pivot(base+next+"?n=1").ReqFormat(callflow.PivotReqFormatKazoo)))
	})
	base = srv.URL
	res := simulate(t, Config{URL: srv.URL + "/a", MaxRequests: 6})
	wantOutcome(t, res, OutcomeLimit)
	verdict := localServer.ReplaceAllString(res.Events[len(res.Events)-1].Text, "http://SERVER")
	if want := "walk stopped: more than 6 Pivot requests; the requests repeat: GET http://SERVER/a → GET http://SERVER/b → GET http://SERVER/a"; verdict != want {
		t.Errorf("verdict %q\nwant    %q", verdict, want)
	}

	res = simulate(t, Config{URL: srv.URL + "/a", MaxSteps: 5})
	wantOutcome(t, res, OutcomeLimit)
	if verdict := res.Events[len(res.Events)-1].Text; !strings.Contains(verdict, "more than 5 nodes executed; the nodes repeat: pivot at /children/_ → tts at (root) → pivot at /children/_") {
		t.Errorf("verdict %q", verdict)
	}
}
