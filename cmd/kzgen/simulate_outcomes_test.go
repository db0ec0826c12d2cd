package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/internal/golden"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/internal/kazootest"
	"github.com/kzgen/kzgen/schemas"
)

// Temporal rule IDs of the outcomes server.
const (
	officeHours = "0123456789abcdef0123456789abcdef"
	christmas   = "fedcba9876543210fedcba9876543210"
)

// outcomesServer answers one flow per path, each with a branch for every
// outcome of one module, so that the simulator's flags can take each.
func outcomesServer(t *testing.T) *httptest.Server {
	t.Helper()
	say := func(text string) callflow.Builder { return callflow.TTS(text).Then(callflow.Hangup()) }
	flows := map[string]callflow.Builder{
		"/user": callflow.User().ID("4b1a1f61ac2e35ab7d7ba9a8d3c10e4c").
			Branch("USER_BUSY", say("busy")).
			Branch("sip:404", say("not found")).
			Then(say("other failure")),
		"/offnet": callflow.Offnet().ToDID("+14155550123").
			Branch("NO_ROUTE_DESTINATION", say("no route")).
			Then(say("never after a failure")),
		"/temporal": callflow.TemporalRoute().Rules(christmas).Timezone("America/New_York").
			Branch(officeHours, say("open")).
			Branch(christmas, say("holiday")).
			Then(say("closed")),
		"/cidlist": callflow.CIDListMatch().ID("blocked").
			Branch("match", callflow.Hangup()).
			Branch("nomatch", say("welcome")),
		"/checkcid": callflow.CheckCID().Regex(`^\+1415`).
			Branch("match", say("local")).
			Branch("nomatch", say("elsewhere")),
	}
	mux := http.NewServeMux()
	for path, flow := range flows {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			data, err := json.Marshal(flow.Node())
			if err != nil {
				t.Error(err)
			}
			w.Header().Set("Content-Type", "application/json")
			w.Write(data)
		})
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// serverAddress matches a test server's address in a transcript.
var serverAddress = regexp.MustCompile(`http://127\.0\.0\.1:[0-9]+`)

// TestSimulateOutcomeFlags takes every outcome of the modules whose branch
// depends on the world outside the flow, one flag each, and compares the
// transcripts with golden files (go test ./cmd/kzgen -run
// TestSimulateOutcomeFlags -update rewrites them).
func TestSimulateOutcomeFlags(t *testing.T) {
	srv := outcomesServer(t)
	rules := filepath.Join(t.TempDir(), "rules.json")
	if err := os.WriteFile(rules, []byte(`{"data":[
		{"id":"`+officeHours+`","name":"Office hours","cycle":"weekly","wdays":["monday","tuesday","wednesday","thursday","friday"],"time_window_start":32400,"time_window_stop":61200},
		{"id":"`+christmas+`","name":"Christmas","cycle":"yearly","month":12,"days":[25]}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		golden string
		args   []string
		said   string
	}{
		{"bridge-answered", []string{"/user"}, ""},
		{"bridge-cause", []string{"/user", "-bridge", "busy"}, "busy"},
		{"bridge-code", []string{"/user", "-bridge", "sip:404"}, "not found"},
		{"bridge-other", []string{"/user", "-bridge", "CALL_REJECTED"}, "other failure"},
		{"offnet-cause", []string{"/offnet", "-bridge", "NO_ROUTE_DESTINATION/sip:404"}, "no route"},
		{"offnet-stops", []string{"/offnet", "-bridge", "no-answer"}, ""},
		{"temporal-forced", []string{"/temporal", "-temporal", officeHours}, "open"},
		{"temporal-none", []string{"/temporal", "-temporal", "none"}, "closed"},
		{"temporal-at-open", []string{"/temporal", "-rules", rules, "-at", "2024-03-12T10:00"}, "open"},
		{"temporal-at-closed", []string{"/temporal", "-rules", rules, "-at", "2024-03-12T23:30:00Z"}, "closed"},
		{"temporal-at-holiday", []string{"/temporal", "-rules", rules, "-at", "2024-12-25T10:00:00-05:00"}, "holiday"},
		{"cidlist-match", []string{"/cidlist", "-cidlist", "match"}, ""},
		{"cidlist-nomatch", []string{"/cidlist"}, "welcome"},
		{"checkcid-match", []string{"/checkcid", "-caller-number", "+14155550100"}, "local"},
		{"checkcid-nomatch", []string{"/checkcid", "-from", "+12125550100"}, "elsewhere"},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			args := append([]string{"simulate", "-call-id", "c1", "-url", srv.URL + tc.args[0]}, tc.args[1:]...)
			code, out, errOut := runKzgen(args...)
			if code != 0 {
				t.Fatalf("exit %d\n%s%s", code, out, errOut)
			}
			if tc.said != "" && !strings.Contains(out, `tts: says "`+tc.said+`"`) {
				t.Errorf("the call does not reach %q:\n%s", tc.said, out)
			}
			checkGolden(t, filepath.Join("testdata", "simulate", tc.golden+".golden"), serverAddress.ReplaceAllString(out, "http://SERVER"))
		})
	}
}

// checkGolden compares got with the file at path; -update rewrites it.
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if want := golden.Want(t, path, []byte(got)); got != string(want) {
		t.Errorf("output differs from %s (rerun with -update, then review)\n--- got ---\n%s--- want ---\n%s", path, got, want)
	}
}

// surveySchema is a made-up callflow module of a site's own Kazoo.
const surveySchema = `{
    "$schema": "http://json-schema.org/draft-04/schema#",
    "_id": "callflows.acme_survey",
    "description": "Asks the caller one survey question.",
    "properties": {
        "question": {"description": "The question asked.", "minLength": 1, "type": "string"},
        "scale": {"default": 5, "description": "Highest answer.", "type": "integer"}
    },
    "required": ["question"],
    "type": "object"
}
`

// TestSimulateCustomModule runs kzgen simulate -schemas DIR against a
// server answering with a module only DIR's schemas know: it is accepted,
// checked against its own schema and walked, where the embedded schemas
// refuse it. Kazoo's real schema set is used too when present.
func TestSimulateCustomModule(t *testing.T) {
	t.Parallel()
	const flow = `{"module":"acme_survey","data":{"question":"How was your call?"},"children":{"_":` +
		`{"module":"tts","data":{"text":"Thank you."},"children":{"_":{"module":"hangup","data":{}}}}}}`
	answer := flow
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, answer)
	}))
	defer srv.Close()

	dirs := map[string]func(t *testing.T) string{
		"embedded": func(t *testing.T) string {
			return schemaCopy(t, schemas.FS, map[string]string{"callflows.acme_survey.json": surveySchema})
		},
		"kazoo": func(t *testing.T) string {
			return schemaCopy(t, os.DirFS(kazootest.SchemaDir(t)), map[string]string{"callflows.acme_survey.json": surveySchema})
		},
	}
	for name, dir := range dirs {
		t.Run(name, func(t *testing.T) {
			dir := dir(t)
			answer = flow
			code, out, errOut := runKzgen("simulate", "-call-id", "c1", "-url", srv.URL, "-schemas", dir)
			if code != 0 {
				t.Fatalf("exit %d\n%s%s", code, out, errOut)
			}
			for _, want := range []string{
				`[3] acme_survey: runs custom module acme_survey with question="How was your call?"`,
				`kzgen knows nothing of what acme_survey does: it assumes the module finishes and Kazoo continues with "_"`,
				`[4] tts: says "Thank you."`,
				"verdict: call completed: hung up by a hangup node",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("transcript lacks %q:\n%s", want, out)
				}
			}
			if name == "embedded" {
				checkGolden(t, filepath.Join("testdata", "simulate", "custom-module.golden"), serverAddress.ReplaceAllString(out, "http://SERVER"))
			}

			// The module's own schema is applied.
			answer = `{"module":"acme_survey","data":{"question":""}}`
			code, out, _ = runKzgen("simulate", "-url", srv.URL, "-schemas", dir)
			if code != 1 || !strings.Contains(out, "/data/question:") {
				t.Errorf("invalid custom data: exit %d\n%s", code, out)
			}
		})
	}

	// The embedded schemas do not know the module.
	answer = flow
	code, out, _ := runKzgen("simulate", "-url", srv.URL)
	if code != 1 || !strings.Contains(out, "/module: unable to find callflow schema for module acme_survey") {
		t.Errorf("without -schemas: exit %d\n%s", code, out)
	}

	// A directory without Kazoo's node schema is refused.
	partial := t.TempDir()
	if err := os.WriteFile(filepath.Join(partial, "callflows.acme_survey.json"), []byte(surveySchema), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runKzgen("simulate", "-url", srv.URL, "-schemas", partial); code != 2 || !strings.Contains(errOut, "no callflows.action") {
		t.Errorf("-schemas without callflows.action: exit %d\n%s", code, errOut)
	}

	// A missing directory is named.
	code, _, errOut := runKzgen("simulate", "-url", srv.URL, "-schemas", filepath.Join(t.TempDir(), "nope"))
	if code != 2 || !strings.Contains(errOut, "nope does not exist") {
		t.Errorf("missing -schemas: exit %d\n%s", code, errOut)
	}
}

func TestSimulateFlagErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "rules.json")
	if err := os.WriteFile(bad, []byte(`[{"id":"r1","cycle":"hourly"}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-bridge", "486"}, "-bridge"},
		{[]string{"-bridge", "busy,sip:99"}, "sip:99"},
		{[]string{"-cidlist", "yes"}, "-cidlist"},
		{[]string{"-at", "tomorrow"}, "-at"},
		{[]string{"-rules", filepath.Join(t.TempDir(), "none.json")}, "none.json"},
		{[]string{"-rules", bad}, `cycle "hourly"`},
	} {
		code, _, errOut := runKzgen(append([]string{"simulate", "-url", "http://example.com"}, tc.args...)...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("simulate %q: exit %d, stderr lacks %q:\n%s", tc.args, code, tc.want, errOut)
		}
	}
}
