package pivottest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/generator/validate"
	"github.com/kzgen/kzgen/runtime/kzrt"
	"github.com/kzgen/kzgen/runtime/pivot"
	"github.com/kzgen/kzgen/runtime/pivot/pivottest"
	"github.com/kzgen/kzgen/schemas"
)

var call = pivottest.Call{
	CallID: "abc@10.0.0.1", AccountID: "acc1",
	From: "1001", FromRealm: "example.com", To: "2000", ToRealm: "example.com",
	RequestUser: "2000", RequestRealm: "example.com",
	CallerIDName: "Zoë O'Neil", CallerIDNumber: "+15551234567",
	UserIDs:               []string{"u1", "u2"},
	Language:              "en-us",
	Digits:                map[string]string{"pin": "12#", "default": "7"},
	CustomApplicationVars: map[string]string{"tier": "gold"},
}

// capture returns a handler that records the parsed request.
func capture(got **pivot.Request) http.Handler {
	return pivot.Handler(func(ctx context.Context, r *pivot.Request) (callflow.Builder, error) {
		*got = r
		return callflow.Hangup(), nil
	})
}

func TestSendMethodsBodiesFormats(t *testing.T) {
	for _, method := range []string{"", "get", "POST", "post"} {
		for _, body := range []pivot.BodyFormat{0, pivot.BodyForm, pivot.BodyJSON} {
			for _, format := range []pivot.Format{0, pivot.FormatKazoo, pivot.FormatTwiML} {
				c := call
				c.Method, c.Body, c.Format = method, body, format
				name := strings.Join([]string{"method=" + method, body.String(), format.String()}, "/")
				t.Run(name, func(t *testing.T) {
					var got *pivot.Request
					res, err := c.Send(capture(&got))
					if err != nil {
						t.Fatal(err)
					}
					if err := res.Err(); err != nil {
						t.Fatal(err)
					}
					wantMethod, wantBody := "POST", pivot.BodyForm
					switch {
					case method == "" || method == "get":
						wantMethod, wantBody = "GET", pivot.BodyQuery
					case body == pivot.BodyJSON:
						wantBody = pivot.BodyJSON
					}
					wantFormat := pivot.FormatKazoo
					if format == pivot.FormatTwiML {
						wantFormat = pivot.FormatTwiML
					}
					if got.Method != wantMethod || got.BodyFormat != wantBody || got.Format != wantFormat {
						t.Errorf("received %s/%v/%v, want %s/%v/%v", got.Method, got.BodyFormat, got.Format, wantMethod, wantBody, wantFormat)
					}
					if res.Request.Method != wantMethod {
						t.Errorf("Result.Request.Method %q", res.Request.Method)
					}
					// Fields both namings carry.
					if got.CallID != c.CallID || got.AccountID != c.AccountID || got.From != c.From ||
						got.ToRealm != c.ToRealm || got.CallerIDName != c.CallerIDName ||
						got.CallerIDNumber != c.CallerIDNumber || got.Direction != "inbound" {
						t.Errorf("call fields lost: %+v", got)
					}
					if pin, _ := got.Digits.Collection("pin"); pin != "12#" || got.Digits.String() != "7" {
						t.Errorf("digits %v", got.Digits.Names())
					}
					if wantFormat == pivot.FormatKazoo {
						if !reflect.DeepEqual(got.UserIDs, c.UserIDs) || got.Language != "en-us" ||
							got.RequestUser != "2000" || got.CustomApplicationVars["tier"] != "gold" || got.APIVersion != "4.x" {
							t.Errorf("kazoo fields lost: %+v", got)
						}
					} else if got.UserIDs != nil || got.Language != "" || got.APIVersion != "2010-04-01" {
						t.Errorf("twiml request carries kazoo-only fields: %+v", got)
					}
				})
			}
		}
	}
}

func TestSendWireFormat(t *testing.T) {
	c := pivottest.Call{VoiceURL: "https://u:p@pivot.example.com/x?tenant=a", CallID: "c1", Digits: map[string]string{"pin": "1 2"}}
	var raw *http.Request
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { raw = r })
	if _, err := c.Send(h); err != nil {
		t.Fatal(err)
	}
	if want := "/x?tenant=a&Api-Version=4.x&Call-ID=c1&Digits[pin]=1+2&Direction=inbound"; raw.RequestURI != want {
		t.Errorf("RequestURI %q\nwant       %q", raw.RequestURI, want)
	}
	if u, p, ok := raw.BasicAuth(); !ok || u != "u" || p != "p" {
		t.Errorf("basic auth %q %q %v", u, p, ok)
	}
	if raw.URL.User != nil || raw.RemoteAddr != pivottest.DefaultRemoteAddr {
		t.Errorf("URL user %v, remote %q", raw.URL.User, raw.RemoteAddr)
	}

	c.Method, c.Body = "post", pivot.BodyJSON
	if _, err := c.Send(h); err != nil {
		t.Fatal(err)
	}
	if raw.Header.Get("Content-Type") != "application/json" || raw.RequestURI != "/x?tenant=a" {
		t.Errorf("POST json: %q %q", raw.Header.Get("Content-Type"), raw.RequestURI)
	}
}

func TestInterpret(t *testing.T) {
	valid := `{"module":"tts","data":{"text":"hi"},"children":{"_":{"module":"hangup","data":{}}}}`
	json := http.Header{"Content-Type": {"application/json"}}
	const (
		run     = pivottest.EffectRun
		dflt    = pivottest.EffectDefaultChild
		hangup  = pivottest.EffectHangup
		silence = pivottest.EffectSilence
		twiml   = pivottest.EffectTwiML
	)
	for _, tc := range []struct {
		name     string
		status   int
		header   http.Header
		body     string
		want     pivottest.Verdict
		warnings int
		then     pivottest.Effect // without cdr_url
		cdrThen  pivottest.Effect // with cdr_url
	}{
		{"valid", 200, json, valid, pivottest.VerdictRun, 0, run, run},
		{"206 is read like 200", 206, json, valid, pivottest.VerdictRun, 1, run, run},
		{"charset parameter dropped", 200, http.Header{"Content-Type": {"application/json; charset=utf-8"}}, valid, pivottest.VerdictRun, 0, run, run},
		{"spaces trimmed", 200, http.Header{"Content-Type": {" application/json ;charset=utf-8"}}, valid, pivottest.VerdictRun, 0, run, run},
		{"case differs: TwiML first, then JSON", 200, http.Header{"Content-Type": {"Application/JSON"}}, valid, pivottest.VerdictRun, 1, run, run},
		{"text/plain: TwiML first, then JSON", 200, http.Header{"Content-Type": {"text/plain"}}, valid, pivottest.VerdictRun, 1, run, run},
		{"empty Content-Type: TwiML first, then JSON", 200, http.Header{"Content-Type": {""}}, valid, pivottest.VerdictRun, 1, run, run},
		{"no Content-Type is text/xml", 200, http.Header{}, valid, pivottest.VerdictUnrecognized, 0, hangup, dflt},
		{"JSON as text/xml", 200, http.Header{"Content-Type": {"text/xml"}}, valid, pivottest.VerdictUnrecognized, 0, hangup, dflt},
		{"TwiML", 200, http.Header{"Content-Type": {"text/xml"}}, `<?xml version="1.0"?><Response><Say>hi</Say></Response>`, pivottest.VerdictTwiML, 0, twiml, twiml},
		{"TwiML without Content-Type", 200, http.Header{}, `<Response><Hangup/></Response>`, pivottest.VerdictTwiML, 0, twiml, twiml},
		{"TwiML as text/plain", 200, http.Header{"Content-Type": {"text/plain"}}, `<Response><Hangup/></Response>`, pivottest.VerdictTwiML, 1, twiml, twiml},
		{"TwiML as application/json is not read", 200, json, `<Response><Hangup/></Response>`, pivottest.VerdictCallEnds, 0, hangup, dflt},
		{"XML that is not TwiML", 200, http.Header{"Content-Type": {"application/xml"}}, `<Other/>`, pivottest.VerdictUnrecognized, 0, hangup, dflt},
		{"Response root, broken XML", 200, http.Header{"Content-Type": {"text/xml"}}, `<Response><Say>hi</Response>`, pivottest.VerdictUnrecognized, 0, hangup, dflt},
		{"503", 503, json, valid, pivottest.VerdictFailed, 0, dflt, dflt},
		{"404", 404, nil, "not found", pivottest.VerdictFailed, 0, dflt, dflt},
		{"204", 204, nil, "", pivottest.VerdictFailed, 0, dflt, dflt},
		{"302", 302, nil, "", pivottest.VerdictFailed, 0, dflt, dflt},
		{"empty body", 200, json, "", pivottest.VerdictCallEnds, 0, hangup, dflt},
		{"empty body, whatever the Content-Type", 200, http.Header{"Content-Type": {"text/xml"}}, "", pivottest.VerdictCallEnds, 0, hangup, dflt},
		{"whitespace is invalid JSON", 200, json, " \n", pivottest.VerdictCallEnds, 0, hangup, dflt},
		{"invalid JSON", 200, json, `{"module":"tts"`, pivottest.VerdictCallEnds, 0, hangup, dflt},
		{"trailing data", 200, json, valid + "x", pivottest.VerdictCallEnds, 0, hangup, dflt},
		{"array", 200, json, "[" + valid + "]", pivottest.VerdictCallEnds, 0, hangup, silence},
		{"document, not a node", 200, json, `{"flow":` + valid + `,"numbers":["1"]}`, pivottest.VerdictCallEnds, 0, hangup, silence},
		{"schema-invalid", 200, json, `{"module":"tts","data":{"text":""}}`, pivottest.VerdictCallEnds, 0, hangup, silence},
		// Kazoo fills in data's default, {}, then checks it.
		{"missing data, filled in", 200, json, `{"module":"hangup"}`, pivottest.VerdictRun, 0, run, run},
		{"missing data, filled in and refused", 200, json, `{"module":"pivot"}`, pivottest.VerdictCallEnds, 0, hangup, silence},
		{"wrong type", 200, json, `{"module":"tts","data":{"text":5}}`, pivottest.VerdictCallEnds, 0, hangup, silence},
		{"unknown module", 200, json, `{"module":"say","data":{}}`, pivottest.VerdictCallEnds, 0, hangup, silence},
		{"invalid child", 200, json, `{"module":"tts","data":{"text":"a"},"children":{"_":{"module":"tts","data":{}}}}`, pivottest.VerdictCallEnds, 0, hangup, silence},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Both ways of checking the schema give the same verdict.
			for _, c := range []pivottest.Call{{}, {Modules: callflow.Modules()}, {CDRURL: "https://cdr.example.com/"}} {
				res := c.Interpret(tc.status, tc.header, []byte(tc.body))
				then := tc.then
				if c.CDRURL != "" {
					then = tc.cdrThen
				}
				if res.Verdict != tc.want || len(res.Warnings) != tc.warnings || res.Then != then {
					t.Errorf("%+v: verdict %v (%s), then %v, warnings %q; want %v then %v with %d warnings",
						c, res.Verdict, res.Reason, res.Then, res.Warnings, tc.want, then, tc.warnings)
				}
				if (res.Err() == nil) != (tc.want == pivottest.VerdictRun) || (res.Node != nil) != (tc.want == pivottest.VerdictRun) {
					t.Errorf("Err %v, Node %v", res.Err(), res.Node)
				}
				if tc.want != pivottest.VerdictRun && res.Reason == "" || res.ThenReason == "" {
					t.Errorf("no reason: %q, then %q", res.Reason, res.ThenReason)
				}
			}
		})
	}
}

// TestInterpretNodes checks the tree Kazoo runs: typed by the Modules given,
// else data kept as JSON that validates on its own.
func TestInterpretNodes(t *testing.T) {
	body := []byte(`{"module":"tts","data":{"text":"hi"},"children":{"_":{"module":"hangup","data":{}}}}`)
	header := http.Header{"Content-Type": {"application/json"}}

	typed := pivottest.Call{Modules: callflow.Modules()}.Interpret(200, header, body)
	if d, ok := typed.Node.Data.(*callflow.TTSData); !ok || d.GetText() != "hi" {
		t.Errorf("with Modules: data %T", typed.Node.Data)
	}

	raw := pivottest.Interpret(200, header, body)
	d, ok := raw.Node.Data.(*kzrt.RawData)
	if !ok || string(d.JSON) != `{"text":"hi"}` || d.Unknown {
		t.Fatalf("without Modules: data %#v", raw.Node.Data)
	}
	if err := raw.Node.Validate(); err != nil {
		t.Errorf("the untyped tree does not validate: %v", err)
	}
	if out, err := json.Marshal(raw.Node); err != nil || string(out) != string(body) {
		t.Errorf("round trip: %s, %v", out, err)
	}
}

// TestInterpretProblems checks that schema problems keep their pointers and
// Kazoo's codes, and that a wrapped document is named.
func TestInterpretProblems(t *testing.T) {
	header := http.Header{"Content-Type": {"application/json"}}
	for _, c := range []pivottest.Call{{}, {Modules: callflow.Modules()}} {
		res := c.Interpret(200, header, []byte(`{"module":"tts","data":{"text":"a"},"children":{"1":{"module":"tts","data":{"text":""}}}}`))
		if len(res.Problems) != 1 || res.Problems[0].Pointer != "/children/1/data/text" || res.Problems[0].Code != "minLength" {
			t.Errorf("problems %v", res.Problems)
		}
		res = c.Interpret(200, header, []byte(`{"flow":{"module":"hangup","data":{}}}`))
		if !strings.Contains(res.Reason, `callflow document ({"flow":…})`) {
			t.Errorf("reason %q does not name the document", res.Reason)
		}
	}
	res := pivottest.Interpret(200, header, []byte("{\n  \"module\": tts\n}"))
	if !strings.Contains(res.Reason, "line 2, column 14") {
		t.Errorf("invalid JSON reason %q has no position", res.Reason)
	}
	// Kazoo reads the first copy of a key written twice.
	res = pivottest.Interpret(200, header, []byte(`{"module":"hangup","data":{},"data":{"x":1}}`))
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "first copy") {
		t.Errorf("warnings %q", res.Warnings)
	}
}

// TestCustomSchemas checks answers against a user's own Kazoo schemas: a
// module the embedded schemas lack is accepted and read.
func TestCustomSchemas(t *testing.T) {
	header := http.Header{"Content-Type": {"application/json"}}
	body := []byte(`{"module":"acme_survey","data":{"question":"How was it?"},"children":{"_":{"module":"hangup","data":{}}}}`)
	if res := pivottest.Interpret(200, header, body); res.Verdict != pivottest.VerdictCallEnds ||
		!strings.Contains(res.Problems.Error(), "unable to find callflow schema for module") {
		t.Fatalf("embedded schemas: %v %v", res.Verdict, res.Problems)
	}
	v, err := validate.FromFS(customSchemas(t), validate.WithName("custom"))
	if err != nil {
		t.Fatal(err)
	}
	c := pivottest.Call{Validator: v}
	res := c.Interpret(200, header, body)
	if err := res.Err(); err != nil {
		t.Fatal(err)
	}
	if res.Node.Module != "acme_survey" || res.Node.Next("_").Module != "hangup" {
		t.Errorf("tree %s", res.Body)
	}
	if res := c.Interpret(200, header, []byte(`{"module":"acme_survey","data":{}}`)); len(res.Problems) != 1 || res.Problems[0].Pointer != "/data/question" {
		t.Errorf("the custom schema is not applied: %v", res.Problems)
	}
}

// customSchemas is kzgen's embedded schema set plus a made-up module,
// callflows.acme_survey, which requires a question.
func customSchemas(t *testing.T) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	err := fs.WalkDir(schemas.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(schemas.FS, path)
		fsys[path] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	fsys["callflows.acme_survey.json"] = &fstest.MapFile{Data: []byte(`{
    "$schema": "http://json-schema.org/draft-04/schema#",
    "_id": "callflows.acme_survey",
    "description": "Asks a survey question.",
    "properties": {
        "question": {"description": "What to ask.", "minLength": 1, "type": "string"}
    },
    "required": ["question"],
    "type": "object"
}
`)}
	return fsys
}

func TestCutAnswerIsNotJudged(t *testing.T) {
	big := `{"module":"tts","data":{"text":"` + strings.Repeat("a", 100) + `"}}`
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, big)
	})
	c := pivottest.Call{CallID: "c1", MaxBody: 64}
	res, err := c.Send(h)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Cut || len(res.Body) != 64 || res.Verdict != pivottest.VerdictNotJudged || res.Then != pivottest.EffectUnknown || !strings.Contains(res.Reason, "64 bytes") {
		t.Errorf("Send: cut %v, %d bytes, verdict %v (%s)", res.Cut, len(res.Body), res.Verdict, res.Reason)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	c.VoiceURL = srv.URL
	if res, err = c.Do(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if !res.Cut || len(res.Body) != 64 || res.Verdict != pivottest.VerdictNotJudged {
		t.Errorf("Do: cut %v, %d bytes, verdict %v (%s)", res.Cut, len(res.Body), res.Verdict, res.Reason)
	}
	c.MaxBody = int64(len(big))
	if res, err = c.Do(context.Background(), nil); err != nil || res.Cut || res.Verdict != pivottest.VerdictRun {
		t.Errorf("exactly MaxBody: cut %v, verdict %v, %v", res.Cut, res.Verdict, err)
	}
}

// TestHugeAndDeepAnswers checks that answers built to exhaust a reader are
// verdicts, not crashes.
func TestHugeAndDeepAnswers(t *testing.T) {
	deepTree := strings.Repeat(`{"module":"answer","data":{},"children":{"_":`, 3000) + `{"module":"hangup","data":{}}` + strings.Repeat("}}", 3000)
	for _, tc := range []struct {
		name, contentType, body string
		want                    pivottest.Verdict
	}{
		{"deep arrays", "application/json", strings.Repeat("[", 1<<20) + strings.Repeat("]", 1<<20), pivottest.VerdictCallEnds},
		{"deep tree", "application/json", deepTree, pivottest.VerdictCallEnds},
		{"deep XML", "text/xml", "<Response>" + strings.Repeat("<a>", 1<<16) + strings.Repeat("</a>", 1<<16) + "</Response>", pivottest.VerdictTwiML},
		{"deep broken XML", "text/xml", "<Response>" + strings.Repeat("<a>", 1<<16), pivottest.VerdictUnrecognized},
		{"long text", "application/json", `{"module":"tts","data":{"text":"` + strings.Repeat("x", 1<<20) + `"}}`, pivottest.VerdictCallEnds},
	} {
		for _, c := range []pivottest.Call{{}, {Modules: callflow.Modules()}} {
			res := c.Interpret(200, http.Header{"Content-Type": {tc.contentType}}, []byte(tc.body))
			if res.Verdict != tc.want || res.Then == 0 {
				t.Errorf("%s: verdict %v (%.200s), then %v; want %v", tc.name, res.Verdict, res.Reason, res.Then, tc.want)
			}
		}
	}
}

// flow returns a handler answering b.
func flow(b callflow.Builder) http.Handler {
	return pivot.Handler(func(context.Context, *pivot.Request) (callflow.Builder, error) { return b, nil })
}

func TestNext(t *testing.T) {
	base := pivottest.Call{CallID: "c1", From: "1001", Digits: map[string]string{"first": "1"}}
	pv := func(url string) *callflow.PivotBuilder { return callflow.Pivot(url) }
	for _, tc := range []struct {
		name    string
		flow    callflow.Builder
		digits  string
		want    pivottest.Call
		wantErr string
	}{
		{
			name: "named collection, POST json kazoo",
			flow: callflow.TTS("pin?").Then(callflow.CollectDTMF().CollectionName("pin").Then(
				pv("https://p.example.com/pin").Method(callflow.PivotMethodPost).ReqFormat(callflow.PivotReqFormatKazoo).
					ReqBodyFormat(callflow.PivotReqBodyFormatJSON).ReqTimeoutMS(3000))),
			digits: "1234",
			want: pivottest.Call{VoiceURL: "https://p.example.com/pin", Method: "post", Body: pivot.BodyJSON,
				Format: pivot.FormatKazoo, Timeout: 3 * time.Second, CallID: "c1", From: "1001",
				Digits: map[string]string{"first": "1", "pin": "1234"}},
		},
		{
			name:   "default collection, node defaults: GET, form, twiml",
			flow:   callflow.CollectDTMF().Then(pv("https://p.example.com/d")),
			digits: "9",
			want: pivottest.Call{VoiceURL: "https://p.example.com/d", Body: pivot.BodyForm,
				Format: pivot.FormatTwiML, CallID: "c1", From: "1001",
				Digits: map[string]string{"first": "1", "default": "9"}},
		},
		{
			name: "last collect_dtmf wins; no digits adds none",
			flow: callflow.CollectDTMF().CollectionName("a").Then(callflow.CollectDTMF().CollectionName("b").Then(
				pv("https://p.example.com/d").ReqFormat(callflow.PivotReqFormatKazoo))),
			digits: "",
			want: pivottest.Call{VoiceURL: "https://p.example.com/d", Body: pivot.BodyForm,
				Format: pivot.FormatKazoo, CallID: "c1", From: "1001", Digits: map[string]string{"first": "1"}},
		},
		{
			name:    "no pivot",
			flow:    callflow.TTS("bye").Then(callflow.Hangup()),
			wantErr: "no pivot node",
		},
		{
			name:    "digits without collect_dtmf",
			flow:    callflow.TTS("hold on").Then(pv("https://p.example.com/d")),
			digits:  "1",
			wantErr: "no collect_dtmf",
		},
		{
			name:    "pivot off the default path",
			flow:    callflow.CollectDTMF().Branch("1", pv("https://p.example.com/d")),
			wantErr: "no pivot node",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := base.Send(flow(tc.flow))
			if err != nil {
				t.Fatal(err)
			}
			got, err := base.Next(res, tc.digits)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
	if base.Digits["pin"] != "" || len(base.Digits) != 1 {
		t.Errorf("Next changed the original call's digits: %v", base.Digits)
	}

	// Next refuses a response Kazoo does not run.
	failed := pivottest.Interpret(503, nil, nil)
	if _, err := base.Next(failed, "1"); err == nil {
		t.Error("Next followed a failed response")
	}
}

func TestSendTimeout(t *testing.T) {
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(30 * time.Millisecond)
		flow(callflow.Hangup()).ServeHTTP(w, r)
	})
	c := pivottest.Call{CallID: "c1", Timeout: 5 * time.Millisecond}
	res, err := c.Send(slow)
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != pivottest.VerdictFailed || !strings.Contains(res.Reason, "timeout") {
		t.Errorf("verdict %v %q", res.Verdict, res.Reason)
	}
}

func TestDo(t *testing.T) {
	var got *pivot.Request
	srv := httptest.NewServer(pivot.BasicAuth("u", "p")(capture(&got)))
	defer srv.Close()
	c := pivottest.Call{VoiceURL: strings.Replace(srv.URL, "://", "://u:p@", 1) + "/x", CallID: "c1", Method: "post", Body: pivot.BodyJSON}
	res, err := c.Do(context.Background(), srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	if err := res.Err(); err != nil {
		t.Fatal(err)
	}
	if got.CallID != "c1" || got.BodyFormat != pivot.BodyJSON {
		t.Errorf("received %+v", got)
	}
	if res.Node.Module != "hangup" {
		t.Errorf("node %s", res.Body)
	}

	srv.Close()
	res, err = c.Do(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != pivottest.VerdictFailed || res.Status != 0 {
		t.Errorf("closed server: verdict %v, status %d", res.Verdict, res.Status)
	}

	if _, err := (pivottest.Call{VoiceURL: "://bad"}).Do(context.Background(), nil); err == nil {
		t.Error("bad voice_url: no error")
	}
}

func TestVerdictString(t *testing.T) {
	for v, want := range map[pivottest.Verdict]string{
		pivottest.VerdictRun: "run", pivottest.VerdictFailed: "failed", pivottest.VerdictCallEnds: "call ends",
		pivottest.VerdictUnrecognized: "unrecognized", pivottest.VerdictTwiML: "twiml", 0: "Verdict(0)",
	} {
		if v.String() != want {
			t.Errorf("%d: %q, want %q", v, v.String(), want)
		}
	}
}

// TestDoSendsAsKazoo checks the client side: no redirect followed (a 3xx
// fails the pivot), even with a client of the caller's; no User-Agent, no
// compression asked for; a timeout and a refused connection are failed
// pivots, the caller's own cancellation an error.
func TestDoSendsAsKazoo(t *testing.T) {
	var userAgent, encoding []string
	mux := http.NewServeMux()
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/flow", http.StatusFound)
	})
	mux.HandleFunc("/flow", func(w http.ResponseWriter, r *http.Request) {
		userAgent, encoding = r.Header.Values("User-Agent"), r.Header.Values("Accept-Encoding")
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"module":"hangup","data":{}}`)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	for _, client := range []*http.Client{nil, srv.Client()} {
		res, err := pivottest.Call{VoiceURL: srv.URL + "/moved", CallID: "c1"}.Do(context.Background(), client)
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != http.StatusFound || res.Verdict != pivottest.VerdictFailed || res.Then != pivottest.EffectDefaultChild {
			t.Errorf("redirect: status %d, verdict %v, then %v", res.Status, res.Verdict, res.Then)
		}
	}
	res, err := pivottest.Call{VoiceURL: srv.URL + "/flow", CallID: "c1"}.Do(context.Background(), nil)
	if err != nil || res.Err() != nil {
		t.Fatal(err, res.Err())
	}
	if len(userAgent) > 0 && userAgent[0] != "" || len(encoding) > 0 {
		t.Errorf("User-Agent %q, Accept-Encoding %q: Kazoo's httpc sends neither", userAgent, encoding)
	}

	res, err = pivottest.Call{VoiceURL: srv.URL + "/slow", CallID: "c1", Timeout: 50 * time.Millisecond}.Do(context.Background(), nil)
	if err != nil || res.Verdict != pivottest.VerdictFailed || res.Reason != "no answer within 50 ms (req_timeout_ms)" || res.Then != pivottest.EffectDefaultChild {
		t.Errorf("timeout: %v %v %q %v", err, res.Verdict, res.Reason, res.Then)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (pivottest.Call{VoiceURL: srv.URL + "/slow"}).Do(ctx, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestFollowUp(t *testing.T) {
	base := pivottest.Call{CallID: "c1", Digits: map[string]string{"pin": "1"}, CDRURL: "https://old.example.com/cdr", Timeout: time.Second}
	for _, tc := range []struct {
		name  string
		data  string
		want  pivottest.Call
		notes []string // a word each note must hold, in order
	}{
		{"all set", `{"voice_url":"https://p.example.com/a","method":"POST","req_body_format":"json","req_format":"kazoo","req_timeout_ms":2500,"cdr_url":"https://p.example.com/cdr"}`,
			pivottest.Call{VoiceURL: "https://p.example.com/a", Method: "POST", Body: pivot.BodyJSON, Format: pivot.FormatKazoo, Timeout: 2500 * time.Millisecond, CDRURL: "https://p.example.com/cdr"}, nil},
		{"defaults", `{"voice_url":"https://p.example.com/a"}`,
			pivottest.Call{VoiceURL: "https://p.example.com/a", Body: pivot.BodyForm, Format: pivot.FormatTwiML}, []string{"twiml"}},
		{"odd method, bad timeout", `{"voice_url":"https://p.example.com/a","method":"put","req_format":"twiml","req_timeout_ms":0}`,
			pivottest.Call{VoiceURL: "https://p.example.com/a", Method: "put", Body: pivot.BodyForm, Format: pivot.FormatTwiML}, []string{"POST", "not positive"}},
		{"timeout over the maximum", `{"voice_url":"https://p.example.com/a","req_format":"kazoo","req_timeout_ms":9000}`,
			pivottest.Call{VoiceURL: "https://p.example.com/a", Body: pivot.BodyForm, Format: pivot.FormatKazoo, Timeout: 9 * time.Second}, []string{"maximum"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := &kzrt.Node{Module: "pivot", Data: &kzrt.RawData{Module: "pivot", JSON: json.RawMessage(tc.data)}}
			got, notes, err := base.FollowUp(n)
			if err != nil {
				t.Fatal(err)
			}
			tc.want.CallID, tc.want.Digits = "c1", map[string]string{"pin": "1"}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
			if len(notes) != len(tc.notes) {
				t.Fatalf("notes %q, want %d", notes, len(tc.notes))
			}
			for i, word := range tc.notes {
				if !strings.Contains(notes[i], word) {
					t.Errorf("note %q does not say %q", notes[i], word)
				}
			}
		})
	}
	for _, n := range []*kzrt.Node{nil, callflow.Hangup().Node(), {Module: "pivot", Data: &kzrt.RawData{Module: "pivot", JSON: json.RawMessage(`{}`)}}} {
		if _, _, err := base.FollowUp(n); err == nil {
			t.Errorf("FollowUp(%v) accepted", n)
		}
	}
}

// TestNextRefusesALoop: a tree built in Go can loop; Next says where
// instead of running forever.
func TestNextRefusesALoop(t *testing.T) {
	loop := callflow.TTS("again").Node()
	loop.SetChild("_", callflow.Answer().Then(loop))
	res := &pivottest.Result{Verdict: pivottest.VerdictRun, Node: loop}
	_, err := pivottest.Call{}.Next(res, "")
	if err == nil || !strings.Contains(err.Error(), "the node at /children/_/children/_ is the one at (root)") {
		t.Errorf("err %v", err)
	}
}
