package wire

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

func TestAppendQuery(t *testing.T) {
	tests := []struct{ url, query, want string }{
		{"http://h/p", "a=1", "http://h/p?a=1"},
		{"http://h/p?x=y", "a=1", "http://h/p?x=y&a=1"},
		{"http://h/p?", "a=1", "http://h/p?a=1"},
		{"http://h/p#frag", "a=1", "http://h/p?a=1#frag"},
		{"http://h/p?x=y#frag", "a=1", "http://h/p?x=y&a=1#frag"},
		{"http://h/p", "", "http://h/p"},
		{"http://h/p?x=y", "", "http://h/p?x=y&"},
	}
	for _, tt := range tests {
		if got := AppendQuery(tt.url, tt.query); got != tt.want {
			t.Errorf("AppendQuery(%q, %q) = %q, want %q", tt.url, tt.query, got, tt.want)
		}
	}
}

func TestNewHTTPRequest(t *testing.T) {
	ctx := context.Background()
	p := Params{
		{Key: "Call-ID", Value: String("c 1")},
		{Key: "Digits", Value: Object(Params{{Key: "default", Value: String("1")}})},
	}

	get, err := NewHTTPRequest(ctx, "get", "http://pivot.test/cb?tenant=acme", BodyJSON, p)
	if err != nil {
		t.Fatal(err)
	}
	if get.Method != "GET" || get.URL.String() != "http://pivot.test/cb?tenant=acme&Call-ID=c+1&Digits[default]=1" {
		t.Errorf("GET: %s %s", get.Method, get.URL)
	}
	if get.Body != nil || len(get.Header) != 0 {
		t.Errorf("GET has body %v or headers %v", get.Body, get.Header)
	}

	for _, tt := range []struct {
		body     BodyFormat
		wantType string
		wantBody string
	}{
		{BodyForm, "application/x-www-form-urlencoded", "Call-ID=c+1&Digits[default]=1"},
		{0, "application/x-www-form-urlencoded", "Call-ID=c+1&Digits[default]=1"},
		{BodyJSON, "application/json", `{"Call-ID":"c 1","Digits":{"default":"1"}}`},
	} {
		post, err := NewHTTPRequest(ctx, "POST", "http://pivot.test/cb?tenant=acme", tt.body, p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(post.Body)
		if post.URL.String() != "http://pivot.test/cb?tenant=acme" || string(body) != tt.wantBody ||
			!reflect.DeepEqual(post.Header, http.Header{"Content-Type": {tt.wantType}}) {
			t.Errorf("POST %v: url %s headers %v body %s", tt.body, post.URL, post.Header, body)
		}
	}

	if _, err := NewHTTPRequest(ctx, "PUT", "http://pivot.test/", BodyForm, p); err == nil {
		t.Error("PUT accepted")
	}
	if _, err := NewHTTPRequest(ctx, "GET", "http://bad host/", BodyForm, p); err == nil || !strings.Contains(err.Error(), "pivot: building GET request") {
		t.Errorf("bad URL: err = %v", err)
	}
}

// TestRoundTrip sends a full request over a real loopback HTTP connection in
// each method, body format and naming, and parses it back.
func TestRoundTrip(t *testing.T) {
	got := make(chan *Request, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := ParseRequest(r)
		if err != nil {
			t.Errorf("server: ParseRequest: %v", err)
		}
		got <- req
	}))
	defer srv.Close()

	cases := []struct {
		method string
		body   BodyFormat
		want   BodyFormat
	}{
		{"GET", BodyForm, BodyQuery},
		{"POST", BodyForm, BodyForm},
		{"POST", BodyJSON, BodyJSON},
	}
	for _, c := range cases {
		for _, format := range []Format{FormatKazoo, FormatTwiML} {
			t.Run(c.method+"/"+c.want.String()+"/"+format.String(), func(t *testing.T) {
				want := fullRequest()
				if format == FormatTwiML {
					// Fields the twiml naming lacks, or shares with a base parameter.
					want.RequestUser, want.RequestRealm, want.Language = "", "", ""
					want.UserIDs, want.CustomApplicationVars, want.CustomSIPHeaders = nil, nil, nil
					want.Vars.RecordingURL, want.Vars.RecordingDuration, want.Vars.CallStatus = "", "", ""
					want.APIVersion = TwiMLAPIVersion
				}
				httpReq, err := NewHTTPRequest(context.Background(), c.method, srv.URL+"/pivot?tenant=acme", c.body, want.Params(format))
				if err != nil {
					t.Fatal(err)
				}
				resp, err := srv.Client().Do(httpReq)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				r := <-got
				if r == nil {
					t.FailNow()
				}
				want.Method, want.BodyFormat, want.Format = c.method, c.want, format
				if g := typed(r); !reflect.DeepEqual(g, *want) {
					t.Errorf("round trip:\n got %+v\nwant %+v", g, *want)
				}
				tenant := r.Get("tenant")
				if c.method == "POST" {
					tenant = r.URLQuery().Get("tenant")
				}
				if tenant != "acme" {
					t.Errorf("voice_url's own parameter lost: %q", tenant)
				}
			})
		}
	}
}
