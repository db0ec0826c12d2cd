package callflow_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/generator/validate"
)

// lintCases are callflows, as JSON, and the children Kazoo never takes in
// each, as pointer and a fragment of the message. Both Lint and kzgen
// validate judge them from the one table of Kazoo's modules.
var lintCases = []struct {
	name string
	json string
	want map[string]string
}{
	{"check_cid matched", `{"module":"check_cid","data":{},"children":{"matched":{"module":"hangup","data":{}},"nomatch":{"module":"hangup","data":{}}}}`,
		map[string]string{"/children/matched": `did you mean "match"?`}},
	{"check_cid match in absolute mode", `{"module":"check_cid","data":{"use_absolute_mode":true},"children":{"match":{"module":"hangup","data":{}},"+14155550100":{"module":"hangup","data":{}}}}`,
		map[string]string{"/children/match": "only when use_absolute_mode is false (the default)"}},
	{"bridge keys", `{"module":"user","data":{"id":"u"},"children":{"486":{"module":"hangup","data":{}},"sip:486":{"module":"hangup","data":{}},"USER_BUSY":{"module":"hangup","data":{}},"_":{"module":"voicemail","data":{"id":"v"}}}}`,
		map[string]string{"/children/486": `did you mean "sip:486"?`}},
	{"resources never continues after a failure", `{"module":"resources","data":{},"children":{"_":{"module":"hangup","data":{}},"NO_ROUTE_DESTINATION":{"module":"hangup","data":{}}}}`,
		map[string]string{"/children/_": `resources never takes "_"`}},
	{"nested menu", `{"module":"tts","data":{"text":"Hi"},"children":{"_":{"module":"menu","data":{},"children":{"1":{"module":"hangup","data":{}},"#":{"module":"hangup","data":{}},"Timeout":{"module":"hangup","data":{}}}}}}`,
		map[string]string{"/children/_/children/#": "digit strings", "/children/_/children/Timeout": `did you mean "timeout"?`}},
	{"a stored callflow", `{"numbers":["1000"],"flow":{"module":"hangup","data":{},"children":{"_":{"module":"tts","data":{"text":"x"}}}}}`,
		map[string]string{"/flow/children/_": `hangup never takes "_"`}},
	{"all fine", `{"module":"menu","data":{},"children":{"1":{"module":"hangup","data":{}},"timeout":{"module":"hangup","data":{}},"max_retries":{"module":"hangup","data":{}},"_":{"module":"hangup","data":{}}}}`,
		nil},
	{"unknown module", `{"module":"my_module","data":{},"children":{"anything":{"module":"hangup","data":{}}}}`, nil},
}

// TestLintAgreesWithValidate runs the generated Lint and kzgen validate's
// branch warnings on the same callflows: one table, the same verdicts.
func TestLintAgreesWithValidate(t *testing.T) {
	v, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range lintCases {
		t.Run(c.name, func(t *testing.T) {
			tree, err := callflow.Parse([]byte(c.json))
			if err != nil {
				t.Fatal(err)
			}
			var fromLint []callflow.LintWarning
			if doc, ok := tree.(*callflow.Document); ok {
				fromLint = doc.Lint()
			} else {
				fromLint = callflow.Lint(tree.Root())
			}
			var fromValidate []string
			for _, w := range v.Validate([]byte(c.json), validate.Auto).Warnings {
				if w.Kind == validate.UnreachableChild {
					fromValidate = append(fromValidate, w.Pointer+": "+w.Message)
				}
			}
			var lint []string
			for _, w := range fromLint {
				lint = append(lint, w.String())
				if !strings.Contains(w.Message, c.want[w.Pointer]) || c.want[w.Pointer] == "" {
					t.Errorf("Lint: %s; want %q", w, c.want[w.Pointer])
				}
			}
			if len(lint) != len(c.want) {
				t.Errorf("Lint: %d warnings %q, want %d", len(lint), lint, len(c.want))
			}
			if fmt.Sprint(sorted(lint)) != fmt.Sprint(sorted(fromValidate)) {
				t.Errorf("Lint and kzgen validate disagree:\nLint:     %q\nvalidate: %q", lint, fromValidate)
			}
		})
	}
}

func sorted(s []string) []string { return slices.Sorted(slices.Values(s)) }

// TestTypedBranchesEncodeKazoosKeys: each On… method writes the child
// under the key Kazoo's module reads, and Lint has nothing to say about
// them.
func TestTypedBranchesEncodeKazoosKeys(t *testing.T) {
	hangup := callflow.Hangup()
	for _, c := range []struct {
		b    callflow.Builder
		want []string
	}{
		{callflow.Menu().OnDigits("1", hangup).OnDigits("*9", hangup).OnTimeout(hangup).OnMaxRetries(hangup),
			[]string{"*9", "1", "max_retries", "timeout"}},
		{callflow.CheckCID().OnMatch(hangup).OnNoMatch(hangup), []string{"match", "nomatch"}},
		{callflow.CheckCID().UseAbsoluteMode(true).OnCallerID("+14155550100", hangup), []string{"+14155550100"}},
		{callflow.CIDListMatch().OnMatch(hangup).OnNoMatch(hangup), []string{"match", "nomatch"}},
		{callflow.User().ID(userID).OnCause(callflow.Busy, hangup).OnCause(callflow.Cause("MEDIA_TIMEOUT"), hangup).OnSIPCode(486, hangup),
			[]string{"MEDIA_TIMEOUT", "USER_BUSY", "sip:486"}},
		{callflow.RingGroup(callflow.UserEndpoint(userID)).OnCause(callflow.NoAnswer, hangup).OnSIPCode(603, hangup),
			[]string{"NO_ANSWER", "sip:603"}},
		{callflow.Resources().OnCause(callflow.NoRouteDestination, hangup).OnSIPCode(404, hangup), []string{"NO_ROUTE_DESTINATION", "sip:404"}},
		{callflow.FaxDetect().OnFax(hangup).OnVoice(hangup), []string{"ON_FAX", "ON_VOICE"}},
		{callflow.TemporalRoute().OnRule(ruleDayID, hangup).RuleSet("business").OnRuleSet(hangup), []string{ruleDayID, "rule_set"}},
		{callflow.Park().Action(callflow.ParkActionDirectPark).OnSlot(100, hangup).OnMaxSlotExceeded(hangup), []string{"100", "MAX_SLOT_EXCEEDED"}},
		{callflow.Nomorobo("nomorobo-api-key").OnScoreAtLeast(6, hangup), []string{"6"}},
		{callflow.ACDCWaitTime().OnWaitAtLeast(2*time.Minute, hangup), []string{"120"}},
		{callflow.BranchVariable().Variable("tier").OnValue("gold", hangup), []string{"gold"}},
		{callflow.BranchBnumber().OnNumber("1000", hangup), []string{"1000"}},
	} {
		n := c.b.Node()
		var keys []string
		for k := range n.Children {
			keys = append(keys, k)
		}
		if got := sorted(keys); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: keys %q, want %q", n.Module, got, c.want)
		}
		if ws := callflow.Lint(n); len(ws) > 0 {
			t.Errorf("%s: Lint: %v", n.Module, ws)
		}
		if err := n.Validate(); err != nil {
			t.Errorf("%s: %v", n.Module, err)
		}
	}
	// Keys the argument checks of the table refuse: Lint warns, Validate
	// does not (Kazoo accepts any key).
	bad := callflow.Menu().OnDigits("12a", hangup).OnDigits("1234567", hangup)
	if ws := callflow.Lint(bad); len(ws) != 2 {
		t.Errorf("Lint of bad digits: %v", ws)
	}
	if err := bad.Validate(); err != nil {
		t.Errorf("Validate of bad digits: %v", err)
	}
	if ws := callflow.Lint(callflow.User().OnSIPCode(200, hangup).OnSIPCode(486, hangup)); len(ws) != 1 || ws[0].Key != "sip:200" {
		t.Errorf("Lint of sip:200: %v", ws)
	}
	// A wait that is no whole number of seconds cannot be a key: no child,
	// and Validate says why.
	w := callflow.ACDCWaitTime().OnWaitAtLeast(1500*time.Millisecond, hangup)
	if len(w.Node().Children) != 0 || !strings.Contains(fmt.Sprint(w.Validate()), "OnWaitAtLeast(1.5s)") {
		t.Errorf("OnWaitAtLeast(1.5s): children %v, %v", w.Node().Children, w.Validate())
	}
}
