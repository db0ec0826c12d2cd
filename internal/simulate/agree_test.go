package simulate

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/pivot/pivottest"
)

// answers are the ways a pivot server can answer, for TestOneFakeKazoo.
var answers = []struct {
	name              string
	status            int
	contentType, body string // contentType "-": no header
}{
	{"valid", 200, "application/json", `{"module":"hangup","data":{}}`},
	{"206", 206, "application/json", `{"module":"hangup","data":{}}`},
	{"charset", 200, "application/json; charset=utf-8", `{"module":"hangup","data":{}}`},
	{"other case", 200, "Application/JSON", `{"module":"hangup","data":{}}`},
	{"text/plain", 200, "text/plain", `{"module":"hangup","data":{}}`},
	{"no Content-Type", 200, "-", `{"module":"hangup","data":{}}`},
	{"JSON as text/xml", 200, "text/xml", `{"module":"hangup","data":{}}`},
	{"TwiML", 200, "text/xml", `<Response><Hangup/></Response>`},
	{"TwiML without Content-Type", 200, "-", `<?xml version="1.0"?><Response><Say>hi</Say></Response>`},
	{"TwiML as JSON", 200, "application/json", `<Response><Hangup/></Response>`},
	{"XML, not TwiML", 200, "application/xml", `<Other/>`},
	{"broken XML", 200, "text/xml", `<Response><Say>hi</Response>`},
	{"500", 500, "application/json", `{"module":"hangup","data":{}}`},
	{"204", 204, "application/json", ""},
	{"404", 404, "text/plain", "not found"},
	{"302", 302, "text/html", ""},
	{"empty", 200, "application/json", ""},
	{"empty as text/xml", 200, "text/xml", ""},
	{"whitespace", 200, "application/json", "  \n"},
	{"invalid JSON", 200, "application/json", `{"module":"hangup"`},
	{"trailing data", 200, "application/json", `{"module":"hangup","data":{}} x`},
	{"array", 200, "application/json", `[{"module":"hangup","data":{}}]`},
	{"document", 200, "application/json", `{"flow":{"module":"hangup","data":{}},"numbers":["1"]}`},
	{"schema-invalid", 200, "application/json", `{"module":"tts","data":{"text":""}}`},
	{"unknown module", 200, "application/json", `{"module":"say","data":{}}`},
	{"data filled in", 200, "application/json", `{"module":"hangup"}`},
	{"cut", 200, "application/json", `{"module":"tts","data":{"text":"` + strings.Repeat("a", 2000) + `"}}`},
}

// maxBodyForAnswers is the MaxBody both readers get, below the "cut"
// answer's length.
const maxBodyForAnswers = 1024

// TestOneFakeKazoo runs the same answers through pivottest and through a
// simulated call that reaches them from a pivot node, with and without
// cdr_url: what simulate narrates is what pivottest decides (verdict,
// reason, problems, what the call does next).
func TestOneFakeKazoo(t *testing.T) {
	for _, a := range answers {
		for _, cdr := range []bool{false, true} {
			name := a.name
			if cdr {
				name += " with cdr_url"
			}
			t.Run(name, func(t *testing.T) {
				next, _ := brokenServer(t, respond(a.status, a.contentType, a.body))
				header := http.Header{}
				if a.contentType != "-" {
					header.Set("Content-Type", a.contentType)
				}
				c := pivottest.Call{MaxBody: maxBodyForAnswers}
				p := callflow.Pivot(next.URL).ReqFormat(callflow.PivotReqFormatKazoo)
				if cdr {
					c.CDRURL = next.URL + "/cdr"
					p.CDRURL(c.CDRURL)
				}
				body := []byte(a.body)
				cut := len(body) > maxBodyForAnswers
				if cut {
					body = body[:maxBodyForAnswers]
				}
				want := c.Interpret(a.status, header, body)
				if cut {
					want = &pivottest.Result{Verdict: pivottest.VerdictNotJudged, Then: pivottest.EffectUnknown}
				}

				first, _ := brokenServer(t, func(w http.ResponseWriter, r *http.Request) {
					writeFlow(t, w, p.Then(callflow.TTS("fallback").Then(callflow.Hangup())))
				})
				res := simulate(t, Config{URL: first.URL, MaxBody: maxBodyForAnswers})
				// request, response, pivot, request, response
				if len(res.Events) < 5 || res.Events[4].Kind != KindResponse {
					t.Fatalf("event 5 is no response:\n%s", res.Text())
				}
				ev := res.Events[4]
				if got := effectOf(res); got != want.Then {
					t.Errorf("simulate: %v, pivottest: %v (%s)\n%s", got, want.Then, want.Reason, res.Text())
				}
				if want.Reason != "" && !strings.Contains(ev.Text, want.Reason) {
					t.Errorf("response event %q does not give pivottest's reason %q", ev.Text, want.Reason)
				}
				if want.ThenReason != "" && want.Then != pivottest.EffectRun && !slices.Contains(ev.Notes, want.ThenReason) {
					t.Errorf("response notes %q lack pivottest's %q", ev.Notes, want.ThenReason)
				}
				if len(ev.Problems) != len(want.Problems) {
					t.Errorf("problems %v, pivottest's %v", ev.Problems, want.Problems)
				}
			})
		}
	}
}

// effectOf says what a simulated call did after the second answer, in
// pivottest's terms.
func effectOf(res *Result) pivottest.Effect {
	switch {
	case slices.ContainsFunc(res.Events, func(ev Event) bool { return ev.Kind == KindNode && ev.Flow == 2 }):
		return pivottest.EffectRun
	case slices.Contains(spoken(res), "fallback"):
		return pivottest.EffectDefaultChild
	case res.Outcome == OutcomeTwiML:
		return pivottest.EffectTwiML
	case res.Outcome == OutcomeLimit:
		return pivottest.EffectUnknown
	case res.Outcome == OutcomeFailed && strings.Contains(res.Events[len(res.Events)-1].Text, "silence"):
		return pivottest.EffectSilence
	case res.Outcome == OutcomeFailed:
		return pivottest.EffectHangup
	}
	return 0
}
