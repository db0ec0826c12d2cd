package wire

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
)

// newServerRequest builds an incoming request as a server sees it.
func newServerRequest(method, target, contentType, body string) *http.Request {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r := httptest.NewRequest(method, target, rd)
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	return r
}

// typed returns a copy of r without the raw parameter views, for comparing
// the typed fields only.
func typed(r *Request) Request {
	c := *r
	c.Raw, c.form, c.urlQuery = nil, "", ""
	return c
}

// content returns the typed parameter fields of r, without Method,
// BodyFormat, Format or the raw views.
func content(r *Request) Request {
	c := typed(r)
	c.Method, c.BodyFormat, c.Format = "", 0, FormatUnknown
	return c
}

func TestParseRequest(t *testing.T) {
	tests := []struct {
		name        string
		method      string
		target      string
		contentType string
		body        string
		want        Request
	}{
		{
			name: "GET kazoo, one User-ID, plain Digits",
			target: "/pivot?Account-ID=acc1&Api-Version=4.x&Call-ID=abc%40host&Caller-ID-Name=John+Doe" +
				"&Caller-ID-Number=%2B15551234567&Digits=12%23&Direction=inbound&From=1001&From-Realm=example.com" +
				"&Language=en-us&Request=2000&Request-Realm=example.com&To=2000&To-Realm=example.com&User-ID=u1",
			want: Request{
				Method: "GET", BodyFormat: BodyQuery, Format: FormatKazoo,
				AccountID: "acc1", APIVersion: "4.x", CallID: "abc@host", CallerIDName: "John Doe",
				CallerIDNumber: "+15551234567", Digits: PlainDigits("12#"), Direction: "inbound",
				From: "1001", FromRealm: "example.com", Language: "en-us", RequestUser: "2000",
				RequestRealm: "example.com", To: "2000", ToRealm: "example.com", UserIDs: []string{"u1"},
			},
		},
		{
			name: "GET kazoo, several User-ID, collections, nested Custom-*",
			target: "/?Call-ID=c1&Custom-Application-Vars[foo]=bar&Custom-Application-Vars[n][deep]=x" +
				"&Custom-SIP-Headers[X-Tag]=a+b&Digits[default]=1234&Digits[pin]=42&User-ID[]=u1&User-ID[]=u2",
			want: Request{
				Method: "GET", BodyFormat: BodyQuery, Format: FormatKazoo, CallID: "c1",
				CustomApplicationVars: map[string]string{"foo": "bar", "n": `{"deep":"x"}`},
				CustomSIPHeaders:      map[string]string{"X-Tag": "a b"},
				Digits:                DigitCollections(map[string]string{"default": "1234", "pin": "42"}),
				UserIDs:               []string{"u1", "u2"},
			},
		},
		{
			name:   "GET voice_url's own params come first; Kazoo's later values win",
			target: "/pivot?tenant=acme&From=spoofed&Call-ID=c1&From=1001",
			want: Request{
				Method: "GET", BodyFormat: BodyQuery, Format: FormatKazoo, CallID: "c1", From: "1001",
			},
		},
		{
			name:   "GET stray & from empty objects, percent-encoded brackets, lower-case hex",
			target: "/?&Call-ID=c1&&Digits%5Bdefault%5D=9&Caller-ID-Name=%c3%a9+x%2b&",
			want: Request{
				Method: "GET", BodyFormat: BodyQuery, Format: FormatKazoo, CallID: "c1",
				Digits: DigitCollections(map[string]string{"default": "9"}), CallerIDName: "é x+",
			},
		},
		{
			name:   "GET malformed escape kept literally",
			target: "/?Call-ID=50%25off%zz%4",
			want:   Request{Method: "GET", BodyFormat: BodyQuery, Format: FormatKazoo, CallID: "50%off%zz%4"},
		},
		{
			name:   "GET twiml",
			target: "/?CallSid=c1&AccountSid=a1&From=1001&FromRealm=r&To=2000&ToRealm=r&CallStatus=in-progress&ApiVersion=2010-04-01&Direction=inbound&CallerName=Bob&CallerNumber=1001&Digits=5",
			want: Request{
				Method: "GET", BodyFormat: BodyQuery, Format: FormatTwiML, CallID: "c1", AccountID: "a1",
				From: "1001", FromRealm: "r", To: "2000", ToRealm: "r", CallStatus: "in-progress",
				APIVersion: "2010-04-01", Direction: "inbound", CallerIDName: "Bob", CallerIDNumber: "1001",
				Digits: PlainDigits("5"),
			},
		},
		{
			name:   "GET neither naming",
			target: "/?From=1001&To=2000&RecordingUrl=http%3A%2F%2Fr",
			want: Request{
				Method: "GET", BodyFormat: BodyQuery, From: "1001", To: "2000", RecordingURL: "http://r",
			},
		},
		{
			name:        "POST form kazoo with request vars",
			method:      "POST",
			contentType: "application/x-www-form-urlencoded",
			body: "Call-ID=c1&Call-Status=ringing&Recording-Url=http%3A%2F%2Fbase&Transcription-Text=hello+world" +
				"&Transcription-ID=t1&Transcription-Status=completed&Transcription-Url=http%3A%2F%2Ft&Recording-ID=r1" +
				"&Recording-Duration=7&DialCallStatus=completed&DialCallSid=d1&DialCallDuration=30&QueueSid=q1" +
				"&RecordingUrl=http%3A%2F%2Fvar&RecordingDuration=8&CallStatus=answered",
			want: Request{
				Method: "POST", BodyFormat: BodyForm, Format: FormatKazoo, CallID: "c1", CallStatus: "ringing",
				RecordingURL: "http://base", RecordingID: "r1", RecordingDuration: "7",
				TranscriptionText: "hello world", TranscriptionID: "t1", TranscriptionStatus: "completed",
				TranscriptionURL: "http://t",
				Vars: RequestVars{
					DialCallStatus: "completed", DialCallSid: "d1", DialCallDuration: "30", QueueSid: "q1",
					RecordingURL: "http://var", RecordingDuration: "8", CallStatus: "answered",
				},
			},
		},
		{
			name:        "POST form twiml: shared names fill the base fields",
			method:      "POST",
			contentType: "application/x-www-form-urlencoded; charset=UTF-8",
			body:        "CallSid=c1&RecordingUrl=http%3A%2F%2Fr&RecordingDuration=8&RecordingSid=r1&CallStatus=completed&DialCallStatus=busy&TranscriptionSid=t1&TranscriptionText=hi&TranscriptionStatus=completed&TranscriptionUrl=u",
			want: Request{
				Method: "POST", BodyFormat: BodyForm, Format: FormatTwiML, CallID: "c1",
				RecordingURL: "http://r", RecordingDuration: "8", RecordingID: "r1", CallStatus: "completed",
				TranscriptionID: "t1", TranscriptionText: "hi", TranscriptionStatus: "completed", TranscriptionURL: "u",
				Vars: RequestVars{DialCallStatus: "busy"},
			},
		},
		{
			name:        "POST JSON kazoo, User-ID list, Digits object, non-string values",
			method:      "POST",
			contentType: "application/json",
			body: `{"Call-ID":"c1","User-ID":["u1","u2"],"Digits":{"default":"1234","n":5},` +
				`"Custom-Application-Vars":{"s":"x","n":1.5,"b":true,"o":{"k":"v"},"l":[1,"2"],"z":null},` +
				`"Custom-SIP-Headers":{"X-A":"1"},"Recording-Duration":12,"Language":null}`,
			want: Request{
				Method: "POST", BodyFormat: BodyJSON, Format: FormatKazoo, CallID: "c1",
				UserIDs: []string{"u1", "u2"},
				Digits:  DigitCollections(map[string]string{"default": "1234", "n": "5"}),
				CustomApplicationVars: map[string]string{
					"s": "x", "n": "1.5", "b": "true", "o": `{"k":"v"}`, "l": `[1,"2"]`,
				},
				CustomSIPHeaders:  map[string]string{"X-A": "1"},
				RecordingDuration: "12",
			},
		},
		{
			name:        "POST JSON kazoo, User-ID string, Digits string",
			method:      "POST",
			contentType: "Application/JSON; charset=utf-8",
			body:        ` {"Call-ID":"c1","User-ID":"u1","Digits":"7"} `,
			want: Request{
				Method: "POST", BodyFormat: BodyJSON, Format: FormatKazoo, CallID: "c1",
				UserIDs: []string{"u1"}, Digits: PlainDigits("7"),
			},
		},
		{
			name:        "POST JSON twiml",
			method:      "POST",
			contentType: "application/json",
			body:        `{"CallSid":"c1","CallerName":"Ann","ApiVersion":"2010-04-01","QueueSid":"q"}`,
			want: Request{
				Method: "POST", BodyFormat: BodyJSON, Format: FormatTwiML, CallID: "c1",
				CallerIDName: "Ann", APIVersion: "2010-04-01", Vars: RequestVars{QueueSid: "q"},
			},
		},
		{
			name:   "POST unknown content type, JSON body",
			method: "POST", contentType: "text/plain",
			body: `{"Call-ID":"c1"}`,
			want: Request{Method: "POST", BodyFormat: BodyJSON, Format: FormatKazoo, CallID: "c1"},
		},
		{
			name:   "POST no content type, form body",
			method: "POST",
			body:   "Call-ID=c1",
			want:   Request{Method: "POST", BodyFormat: BodyForm, Format: FormatKazoo, CallID: "c1"},
		},
		{
			name:   "POST unknown content type, broken JSON falls back to form",
			method: "POST", contentType: "bogus/;;",
			body: `{"Call-ID"`,
			want: Request{Method: "POST", BodyFormat: BodyForm},
		},
		{
			name:   "POST empty JSON body",
			method: "POST", contentType: "application/json",
			want: Request{Method: "POST", BodyFormat: BodyJSON},
		},
		{
			name:   "HEAD reads the query like GET",
			method: "HEAD", target: "/?CallSid=c1",
			want: Request{Method: "HEAD", BodyFormat: BodyQuery, Format: FormatTwiML, CallID: "c1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method, target := tt.method, tt.target
			if method == "" {
				method = "GET"
			}
			if target == "" {
				target = "/pivot"
			}
			got, err := ParseRequest(newServerRequest(method, target, tt.contentType, tt.body))
			if err != nil {
				t.Fatalf("ParseRequest: %v", err)
			}
			if g := typed(got); !reflect.DeepEqual(g, tt.want) {
				t.Errorf("typed fields:\n got %+v\nwant %+v", g, tt.want)
			}
		})
	}
}

func TestParseRequestRawAccess(t *testing.T) {
	r, err := ParseRequest(newServerRequest("GET",
		"/?tenant=acme&Call-ID=c1&User-ID[]=u1&User-ID[]=u2&X-Custom=a+b&Custom-SIP-Headers[X-A]=1&odd[=x", "", ""))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"tenant":                  "acme",
		"X-Custom":                "a b",
		"Custom-SIP-Headers[X-A]": "1",
		"User-ID":                 `["u1","u2"]`,
		"User-ID[1]":              "u2",
		"User-ID[]":               `["u1","u2"]`,
		"odd[":                    "x",
		"missing":                 "",
		"Call-ID[x]":              "",
	} {
		if got := r.Get(name); got != want {
			t.Errorf("Get(%q) = %q, want %q", name, got, want)
		}
	}
	if got := r.Values()["User-ID[]"]; !reflect.DeepEqual(got, []string{"u1", "u2"}) {
		t.Errorf(`Values["User-ID[]"] = %q`, got)
	}
	if v, ok := r.Lookup("Custom-SIP-Headers"); !ok || v.Kind() != KindObject {
		t.Errorf("Lookup(Custom-SIP-Headers) = %v, %v; want an object", v, ok)
	}
	wantKeys := []string{"tenant", "Call-ID", "User-ID", "X-Custom", "Custom-SIP-Headers", "odd["}
	var keys []string
	for _, kv := range r.Raw {
		keys = append(keys, kv.Key)
	}
	if !reflect.DeepEqual(keys, wantKeys) {
		t.Errorf("Raw keys = %q, want %q", keys, wantKeys)
	}
}

// TestURLParam: a voice_url's own query parameter reads the same whatever
// the method and body Kazoo uses, and comes before a Kazoo parameter of the
// same name on a GET.
func TestURLParam(t *testing.T) {
	for _, tc := range []struct{ method, target, contentType, body string }{
		{"GET", "/start?lang=fr&To=1&Call-ID=c1&To=2000", "", ""},
		{"POST", "/start?lang=fr&To=1", ContentTypeForm, "Call-ID=c1&To=2000&lang=de"},
		{"POST", "/start?lang=fr&To=1", ContentTypeJSON, `{"Call-ID":"c1","To":"2000","lang":"de"}`},
	} {
		r, err := ParseRequest(newServerRequest(tc.method, tc.target, tc.contentType, tc.body))
		if err != nil {
			t.Fatal(err)
		}
		if got, to := r.URLParam("lang"), r.URLParam("To"); got != "fr" || to != "1" {
			t.Errorf("%s %s: URLParam(lang) = %q, URLParam(To) = %q; want fr and 1", tc.method, tc.contentType, got, to)
		}
		if got := r.URLParam("absent"); got != "" {
			t.Errorf("%s %s: URLParam(absent) = %q", tc.method, tc.contentType, got)
		}
	}
}

func TestParseRequestPOSTKeepsURLQuery(t *testing.T) {
	r, err := ParseRequest(newServerRequest("POST", "/pivot?tenant=acme", ContentTypeJSON, `{"Call-ID":"c1","Extra":{"a":[1]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := r.URLQuery().Get("tenant"); got != "acme" {
		t.Errorf("URLQuery tenant = %q", got)
	}
	if v := r.Values(); v != nil {
		t.Errorf("Values = %v, want nil for JSON", v)
	}
	if got := r.Get("Extra[a][0]"); got != "1" {
		t.Errorf("Get(Extra[a][0]) = %q", got)
	}
	if r.Get("tenant") != "" {
		t.Errorf("URL query leaked into Raw for POST")
	}
}

func TestParseRequestErrors(t *testing.T) {
	tests := []struct {
		name       string
		body       string
		wantOffset int64
		wantField  string
		wantText   string
	}{
		{"missing value", `{"Call-ID": }`, 12, "Call-ID", "invalid character '}'"},
		{"nested field", `{"Custom-SIP-Headers":{"X-A": tru}}`, 30, "Custom-SIP-Headers[X-A]", "invalid character '}'"},
		{"list item", `{"User-ID":["a",}`, 16, "User-ID[1]", "invalid character '}'"},
		{"not an object", `["a"]`, 5, "", "not an object"},
		{"trailing data", `{"a":1} {"b":2}`, 9, "", "trailing data"},
		{"truncated", `{"a":`, 5, "a", "unexpected EOF"},
		{"too deep", `{"a":` + strings.Repeat("[", 70), 68, "a[0][0]", "deeper than 64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseRequest(newServerRequest("POST", "/", ContentTypeJSON, tt.body))
			var be *BodyError
			if !errors.As(err, &be) {
				t.Fatalf("error %v (%T), want *BodyError", err, err)
			}
			if be.Format != BodyJSON || be.Offset != tt.wantOffset || !strings.HasPrefix(be.Field, tt.wantField) {
				t.Errorf("BodyError{Format:%v Offset:%d Field:%q}, want offset %d field %q",
					be.Format, be.Offset, be.Field, tt.wantOffset, tt.wantField)
			}
			if !strings.Contains(err.Error(), tt.wantText) || !strings.HasPrefix(err.Error(), "pivot: json body: at byte") {
				t.Errorf("error text %q, want it to contain %q", err, tt.wantText)
			}
		})
	}
}

func TestParseRequestMethodAndReadErrors(t *testing.T) {
	if _, err := ParseRequest(newServerRequest("PUT", "/", "", "")); !errors.Is(err, ErrUnsupportedMethod) {
		t.Errorf("PUT: err = %v, want ErrUnsupportedMethod", err)
	}
	if _, err := ParseRequest(nil); err == nil {
		t.Error("nil request: no error")
	}

	r := newServerRequest("POST", "/", ContentTypeForm, "Call-ID="+strings.Repeat("x", 100))
	r.Body = http.MaxBytesReader(httptest.NewRecorder(), r.Body, 10)
	_, err := ParseRequest(r)
	var tooBig *http.MaxBytesError
	if !errors.As(err, &tooBig) || tooBig.Limit != 10 {
		t.Errorf("MaxBytesReader: err = %v, want *http.MaxBytesError", err)
	}
	if err != nil && !strings.HasPrefix(err.Error(), "pivot: reading POST body: ") {
		t.Errorf("error text %q lacks context", err)
	}

	r = newServerRequest("POST", "/", ContentTypeForm, "")
	r.Body = io.NopCloser(io.MultiReader(strings.NewReader("Call-"), errReader{}))
	if _, err := ParseRequest(r); !errors.Is(err, errBroken) {
		t.Errorf("broken body: err = %v, want errBroken", err)
	}

	// A GET body is never read, so a failing one does no harm.
	r = newServerRequest("GET", "/?Call-ID=c1", "", "")
	r.Body = io.NopCloser(errReader{})
	if got, err := ParseRequest(r); err != nil || got.CallID != "c1" {
		t.Errorf("GET with failing body: %v, %v", got, err)
	}
}

var errBroken = errors.New("broken pipe")

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errBroken }

func TestDigits(t *testing.T) {
	var zero Digits
	if !zero.IsZero() || zero.String() != "" || zero.IsCollections() || len(zero.Names()) != 0 {
		t.Errorf("zero Digits misbehaves: %+v", zero)
	}
	if v := zero.Value(); v.Kind() != KindNull {
		t.Errorf("zero Digits Value kind = %v", v.Kind())
	}

	plain := PlainDigits("1234")
	if plain.String() != "1234" || plain.IsCollections() || plain.IsZero() {
		t.Errorf("plain Digits misbehaves: %+v", plain)
	}
	if _, ok := plain.Collection("default"); ok {
		t.Error("plain Digits reports a collection")
	}

	src := map[string]string{"pin": "42", "default": "1234", "acct": ""}
	c := DigitCollections(src)
	src["pin"] = "changed"
	if c.String() != "1234" || !c.IsCollections() {
		t.Errorf("collections String = %q", c.String())
	}
	if got, ok := c.Collection("pin"); !ok || got != "42" {
		t.Errorf("Collection(pin) = %q, %v (input map must be copied)", got, ok)
	}
	if got, ok := c.Collection("acct"); !ok || got != "" {
		t.Errorf("Collection(acct) = %q, %v", got, ok)
	}
	if _, ok := c.Collection("nope"); ok {
		t.Error("Collection(nope) found")
	}
	if got := c.Names(); !reflect.DeepEqual(got, []string{"acct", "default", "pin"}) {
		t.Errorf("Names = %q", got)
	}
	if got := string(EncodeJSON(Params{{Key: "Digits", Value: c.Value()}})); got != `{"Digits":{"acct":"","default":"1234","pin":"42"}}` {
		t.Errorf("Value JSON = %s", got)
	}
	if !DigitCollections(nil).IsZero() {
		t.Error("DigitCollections(nil) is not zero")
	}
	if c := DigitCollections(map[string]string{"x": "1"}); c.String() != "" {
		t.Errorf("String without a default collection = %q", c.String())
	}

	// Received collections, in any order, a name repeated (the last wins)
	// and a null (left out), equal the same collections built from a map.
	want := DigitCollections(map[string]string{"a": "1", "b": "3", "default": "9"})
	for _, body := range []string{
		`{"Digits":{"b":"2","default":"9","a":"1","b":"3","c":null}}`,
		`{"Digits":{"default":9,"b":"3","a":"1"}}`,
	} {
		req, err := ParseRequest(newServerRequest("POST", "/", ContentTypeJSON, body))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(req.Digits, want) || req.Digits.String() != "9" {
			t.Errorf("%s: Digits %+v, want %+v", body, req.Digits, want)
		}
	}
	req, err := ParseRequest(newServerRequest("GET", "/?Digits[b]=2&Digits[default]=9&Digits[a]=1&Digits[b]=3", "", ""))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(req.Digits, want) {
		t.Errorf("form: Digits %+v, want %+v", req.Digits, want)
	}
	if req, _ := ParseRequest(newServerRequest("POST", "/", ContentTypeJSON, `{"Digits":{"c":null}}`)); req.Digits.IsCollections() || !req.Digits.IsZero() {
		t.Errorf("an object of nulls gives Digits %+v, want zero", req.Digits)
	}
}

// fullRequest sets every typed field, as a simulator would.
func fullRequest() *Request {
	return &Request{
		CallID: "abc123@10.0.0.1", AccountID: "acc0001", From: "1001", FromRealm: "example.com",
		To: "2000", ToRealm: "example.com", RequestUser: "2000", RequestRealm: "example.com",
		CallerIDName: "Zoë O'Brien & Co", CallerIDNumber: "+1 555 0100", UserIDs: []string{"u1", "u2"},
		Language: "en-us", Direction: DirectionInbound, APIVersion: KazooAPIVersion, CallStatus: "in-progress",
		Digits:                DigitCollections(map[string]string{"default": "1234", "pin": "#42*"}),
		CustomApplicationVars: map[string]string{"tenant": "acme", "note": "x=y&z"},
		CustomSIPHeaders:      map[string]string{"X-Account": "ac/1", "X-Empty": ""},
		RecordingDuration:     "12", RecordingID: "rec1", RecordingURL: "https://rec.example/1.mp3?x=1",
		TranscriptionID: "tr1", TranscriptionStatus: "completed", TranscriptionText: "hello\nworld \"quoted\"",
		TranscriptionURL: "https://tr.example/1",
		Vars: RequestVars{
			DialCallStatus: "completed", DialCallSid: "dial1", DialCallDuration: "30", QueueSid: "q1",
			RecordingURL: "https://var.example/r", RecordingDuration: "9", CallStatus: "answered",
		},
	}
}

func TestRequestParams(t *testing.T) {
	r := fullRequest()
	r.CustomApplicationVars = map[string]string{"tenant": "acme"}
	r.UserIDs = []string{"u1"}

	kazoo := EncodeForm(r.Params(FormatKazoo))
	wantKazoo := "Account-ID=acc0001&Api-Version=4.x&Call-ID=abc123%4010.0.0.1&Call-Status=in-progress" +
		"&Caller-ID-Name=Zo%C3%AB+O%27Brien+%26+Co&Caller-ID-Number=%2B1+555+0100" +
		"&Custom-Application-Vars[tenant]=acme&Custom-SIP-Headers[X-Account]=ac%2F1&Custom-SIP-Headers[X-Empty]=" +
		"&Digits[default]=1234&Digits[pin]=%2342%2A&Direction=inbound&From=1001&From-Realm=example.com" +
		"&Language=en-us&Recording-Duration=12&Recording-ID=rec1&Recording-Url=https%3A%2F%2Frec.example%2F1.mp3%3Fx%3D1" +
		"&Request=2000&Request-Realm=example.com&To=2000&To-Realm=example.com&Transcription-ID=tr1" +
		"&Transcription-Status=completed&Transcription-Text=hello%0Aworld+%22quoted%22" +
		"&Transcription-Url=https%3A%2F%2Ftr.example%2F1&User-ID=u1" +
		"&DialCallStatus=completed&DialCallSid=dial1&DialCallDuration=30&QueueSid=q1" +
		"&RecordingUrl=https%3A%2F%2Fvar.example%2Fr&RecordingDuration=9&CallStatus=answered"
	if kazoo != wantKazoo {
		t.Errorf("kazoo params:\n got %s\nwant %s", kazoo, wantKazoo)
	}

	r.APIVersion = TwiMLAPIVersion
	twiml := EncodeForm(r.Params(FormatTwiML))
	wantTwiML := "CallSid=abc123%4010.0.0.1&AccountSid=acc0001&From=1001&FromRealm=example.com&To=2000" +
		"&ToRealm=example.com&CallStatus=in-progress&ApiVersion=2010-04-01&Direction=inbound" +
		"&CallerName=Zo%C3%AB+O%27Brien+%26+Co&CallerNumber=%2B1+555+0100" +
		"&RecordingUrl=https%3A%2F%2Frec.example%2F1.mp3%3Fx%3D1&RecordingDuration=12&RecordingSid=rec1" +
		"&Digits[default]=1234&Digits[pin]=%2342%2A&TranscriptionSid=tr1&TranscriptionText=hello%0Aworld+%22quoted%22" +
		"&TranscriptionStatus=completed&TranscriptionUrl=https%3A%2F%2Ftr.example%2F1" +
		"&DialCallStatus=completed&DialCallSid=dial1&DialCallDuration=30&QueueSid=q1"
	if twiml != wantTwiML {
		t.Errorf("twiml params:\n got %s\nwant %s", twiml, wantTwiML)
	}

	if got := r.Params(FormatUnknown); !got.Equal(r.Params(FormatTwiML)) {
		t.Error("FormatUnknown does not build the twiml naming")
	}
	if got := (&Request{}).Params(FormatKazoo); got != nil {
		t.Errorf("empty request gives params %v", got)
	}
	several := &Request{UserIDs: []string{"u1", "u2"}}
	if got := EncodeForm(several.Params(FormatKazoo)); got != "User-ID[]=u1&User-ID[]=u2" {
		t.Errorf("several User-IDs: %s", got)
	}
	if got := string(EncodeJSON(several.Params(FormatKazoo))); got != `{"User-ID":["u1","u2"]}` {
		t.Errorf("several User-IDs JSON: %s", got)
	}
}

func TestFormatAndBodyFormatStrings(t *testing.T) {
	for v, want := range map[interface{ String() string }]string{
		FormatKazoo: "kazoo", FormatTwiML: "twiml", FormatUnknown: "unknown",
		BodyQuery: "query", BodyForm: "form", BodyJSON: "json", BodyFormat(0): "unset",
		KindObject: "object", Kind(99): "kind(99)",
	} {
		if got := v.String(); got != want {
			t.Errorf("%#v.String() = %q, want %q", v, got, want)
		}
	}
}

// TestParseRequestLinearInSize sends bodies of many distinct and repeated
// parameters, flat and nested, in each format. Decoding must stay linear in
// the number of pairs: at this size a quadratic decoder takes minutes.
func TestParseRequestLinearInSize(t *testing.T) {
	if testing.Short() {
		t.Skip("large bodies")
	}
	const n = 100_000
	var form, nested, dups strings.Builder
	for i := range n {
		fmt.Fprintf(&form, "p%d=%d&", i, i)
		fmt.Fprintf(&nested, "Custom-SIP-Headers[X-%d]=%d&", i, i)
		fmt.Fprintf(&dups, "Call-ID=%d&User-ID[]=%d&", i, i)
	}
	bodies := []struct{ contentType, body string }{
		{ContentTypeForm, form.String()},
		{ContentTypeForm, nested.String()},
		{ContentTypeForm, dups.String()},
		{ContentTypeJSON, "{" + manyMembers(n) + "}"},
		{ContentTypeJSON, `{"Custom-SIP-Headers":{` + manyMembers(n) + "}}"},
	}
	for _, b := range bodies {
		start := time.Now()
		r, err := ParseRequest(newServerRequest("POST", "/", b.contentType, b.body))
		if err != nil || len(r.Raw) == 0 {
			t.Fatalf("%.40s…: %v", b.body, err)
		}
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("%.40s…: %v for %d pairs", b.body, d, n)
		}
	}
}

// TestParseRequestKeepsNoBodyBytes: bodies are read into pooled buffers,
// so a request must keep copies of what it decoded: parsing other bodies,
// in every format, leaves an earlier request as it was.
func TestParseRequestKeepsNoBodyBytes(t *testing.T) {
	bodies := []struct{ contentType, body string }{
		{ContentTypeForm, "Call-ID=aaaa&Digits[x]=1111&From=%2Bbbbb"},
		{ContentTypeJSON, `{"Call-ID":"aaaa","Digits":{"x":"1111"},"From":"+bbbb"}`},
		{"", `{"Call-ID":"aaaa","Digits":{"x":"1111"},"From":"+bbbb"}`},
		{"", "Call-ID=aaaa&Digits[x]=1111&From=%2Bbbbb"},
	}
	for _, first := range bodies {
		req, err := ParseRequest(newServerRequest("POST", "/pivot?kzc=t", first.contentType, first.body))
		if err != nil {
			t.Fatal(err)
		}
		before := fmt.Sprint(content(req), req.Values())
		for _, other := range bodies {
			zs := strings.NewReplacer("a", "z", "b", "z", "1", "9", "+", "-")
			if _, err := ParseRequest(newServerRequest("POST", "/pivot", other.contentType, zs.Replace(other.body))); err != nil {
				t.Fatal(err)
			}
		}
		if after := fmt.Sprint(content(req), req.Values()); after != before || req.CallID != "aaaa" {
			t.Errorf("%q body: the request changed after other bodies were parsed:\n%s\nwas\n%s", first.contentType, after, before)
		}
	}
}
