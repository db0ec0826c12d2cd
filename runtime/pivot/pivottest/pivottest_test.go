package pivottest_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/pivot"
	"github.com/kzgen/kzgen/runtime/pivot/pivottest"
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
	for _, tc := range []struct {
		name     string
		status   int
		header   http.Header
		body     string
		want     pivottest.Verdict
		warnings int
	}{
		{"valid", 200, json, valid, pivottest.VerdictRun, 0},
		{"206 is read like 200", 206, json, valid, pivottest.VerdictRun, 0},
		{"charset parameter dropped", 200, http.Header{"Content-Type": {"application/json; charset=utf-8"}}, valid, pivottest.VerdictRun, 0},
		{"spaces trimmed", 200, http.Header{"Content-Type": {" application/json ;charset=utf-8"}}, valid, pivottest.VerdictRun, 0},
		{"case differs: TwiML first, then JSON", 200, http.Header{"Content-Type": {"Application/JSON"}}, valid, pivottest.VerdictRun, 1},
		{"text/plain: TwiML first, then JSON", 200, http.Header{"Content-Type": {"text/plain"}}, valid, pivottest.VerdictRun, 1},
		{"no Content-Type is text/xml", 200, http.Header{}, valid, pivottest.VerdictUnrecognized, 0},
		{"JSON as text/xml", 200, http.Header{"Content-Type": {"text/xml"}}, valid, pivottest.VerdictUnrecognized, 0},
		{"TwiML", 200, http.Header{"Content-Type": {"text/xml"}}, `<?xml version="1.0"?><Response><Say>hi</Say></Response>`, pivottest.VerdictTwiML, 0},
		{"TwiML without Content-Type", 200, http.Header{}, `<Response><Hangup/></Response>`, pivottest.VerdictTwiML, 0},
		{"XML that is not TwiML", 200, http.Header{"Content-Type": {"application/xml"}}, `<Other/>`, pivottest.VerdictUnrecognized, 0},
		{"503", 503, json, valid, pivottest.VerdictFailed, 0},
		{"404", 404, nil, "not found", pivottest.VerdictFailed, 0},
		{"204", 204, nil, "", pivottest.VerdictFailed, 0},
		{"302", 302, nil, "", pivottest.VerdictFailed, 0},
		{"empty body", 200, json, "", pivottest.VerdictCallEnds, 0},
		{"invalid JSON", 200, json, `{"module":"tts"`, pivottest.VerdictCallEnds, 0},
		{"trailing data", 200, json, valid + "x", pivottest.VerdictCallEnds, 0},
		{"array", 200, json, "[" + valid + "]", pivottest.VerdictCallEnds, 0},
		{"document, not a node", 200, json, `{"flow":` + valid + `,"numbers":["1"]}`, pivottest.VerdictCallEnds, 0},
		{"schema-invalid", 200, json, `{"module":"tts","data":{"text":""}}`, pivottest.VerdictCallEnds, 0},
		// Kazoo fills in data's default, {}, then checks it.
		{"missing data, filled in", 200, json, `{"module":"hangup"}`, pivottest.VerdictRun, 0},
		{"missing data, filled in and refused", 200, json, `{"module":"pivot"}`, pivottest.VerdictCallEnds, 0},
		{"wrong type", 200, json, `{"module":"tts","data":{"text":5}}`, pivottest.VerdictCallEnds, 0},
		{"unknown module", 200, json, `{"module":"say","data":{}}`, pivottest.VerdictCallEnds, 0},
		{"invalid child", 200, json, `{"module":"tts","data":{"text":"a"},"children":{"_":{"module":"tts","data":{}}}}`, pivottest.VerdictCallEnds, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := pivottest.Interpret(tc.status, tc.header, []byte(tc.body))
			if res.Verdict != tc.want || len(res.Warnings) != tc.warnings {
				t.Errorf("verdict %v (%s), warnings %q; want %v with %d warnings", res.Verdict, res.Reason, res.Warnings, tc.want, tc.warnings)
			}
			if (res.Err() == nil) != (tc.want == pivottest.VerdictRun) || (res.Node != nil) != (tc.want == pivottest.VerdictRun) {
				t.Errorf("Err %v, Node %v", res.Err(), res.Node)
			}
			if tc.want != pivottest.VerdictRun && res.Reason == "" {
				t.Error("no reason")
			}
		})
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
			want: pivottest.Call{VoiceURL: "https://p.example.com/d", Method: "get", Body: pivot.BodyForm,
				Format: pivot.FormatTwiML, CallID: "c1", From: "1001",
				Digits: map[string]string{"first": "1", "default": "9"}},
		},
		{
			name: "last collect_dtmf wins; no digits adds none",
			flow: callflow.CollectDTMF().CollectionName("a").Then(callflow.CollectDTMF().CollectionName("b").Then(
				pv("https://p.example.com/d").ReqFormat(callflow.PivotReqFormatKazoo))),
			digits: "",
			want: pivottest.Call{VoiceURL: "https://p.example.com/d", Method: "get", Body: pivot.BodyForm,
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
