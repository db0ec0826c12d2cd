package wire

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// differentialMethods are the methods the differential fuzz target sends;
// the fuzzer picks one by index.
var differentialMethods = []string{"GET", "POST", "HEAD", "post", "PUT", ""}

// differentialRequest builds the server-side request for a differential
// fuzz input, bypassing URL parsing so that any bytes may arrive.
func differentialRequest(method byte, contentType, query, body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/pivot", strings.NewReader(body))
	r.Method = differentialMethods[int(method)%len(differentialMethods)]
	r.URL.RawQuery = query
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	return r
}

// differentialSeeds are the realistic requests plus the odd ones the
// behaviour hinges on: content types, escapes, nesting, collisions, JSON
// the fast path leaves to encoding/json.
var differentialSeeds = []struct {
	method                   byte
	contentType, query, body string
}{
	{1, "application/x-www-form-urlencoded; charset=UTF-8", "a=1&&b[c]=2", "Call-ID=c1&Digits[lang]=1&User-ID[]=u1&User-ID[]=u2"},
	{1, "Application/JSON; charset=utf-8", "", ` {"Call-ID":"c1","User-ID":"u1","Digits":"7"} `},
	{1, "application/vnd.kazoo+json", "", `{"a":{"b":[1,true,null,"x\"y\\\\z\/"]},"a":-1.5e+3}`},
	{1, "application/json", "", `{"x":"\u00e9\ud800","y":"\ud83d\ude00","z":"` + "\xff" + `"}`},
	{1, "application/json", "", `{"a":01}`},
	{1, "application/json", "", `{"a":[` + strings.Repeat("[", 70) + `}`},
	{1, "application/json", "", "  "},
	{1, "text/plain", "", `{"Call-ID":"c1"}`},
	{1, "", "", `{"Call-ID"`},
	{1, "bogus/;;", "", "Call-ID=c1&a=1&a[x]=2&a[]=3&a[x][]=4"},
	{1, "application/x-www-form-urlencoded", "", "%5Ba%5D=1&a%5Bb%5D=2&odd[=x&a[b]c=1&a[]b=2&+=3&%zz=%4"},
	{0, "", "tenant=acme&From=spoofed&Call-ID=c1&From=1001&Digits%5Bdefault%5D=9&Caller-ID-Name=%c3%a9+x%2b", ""},
	{0, "", "CallSid=c1&AccountSid=a1&Digits=5&DialCallStatus=busy&RecordingUrl=r&CallStatus=x", ""},
	{2, "", "CallSid=c1", ""},
	{3, "application/json", "k=v", `{"Call-ID":"c1"}`},
	{4, "", "", ""},
	{5, "", "Call-ID=c1", ""},
}

// FuzzParseRequestDifferential checks that ParseRequest gives exactly what
// the implementation it replaced (refParseRequest, in reference_test.go)
// gives, for any method, Content-Type, query and body: the same Request,
// field by field and parameter by parameter, or the same error.
func FuzzParseRequestDifferential(f *testing.F) {
	for _, c := range benchCases(f) {
		f.Add(byte(strings.Index("GETPOST", c.req.Method)/3), c.req.Header.Get("Content-Type"), c.req.URL.RawQuery, string(c.body))
	}
	for _, s := range differentialSeeds {
		f.Add(s.method, s.contentType, s.query, s.body)
	}
	f.Fuzz(func(t *testing.T, method byte, contentType, query, body string) {
		got, gotErr := ParseRequest(differentialRequest(method, contentType, query, body))
		want, wantErr := refParseRequest(differentialRequest(method, contentType, query, body))
		if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
			t.Fatalf("errors differ:\n got %v\nwant %v", gotErr, wantErr)
		}
		if wantErr != nil {
			var gotBody, wantBody *BodyError
			if errors.As(gotErr, &gotBody) != errors.As(wantErr, &wantBody) ||
				gotBody != nil && !sameBodyError(gotBody, wantBody) {
				t.Fatalf("body errors differ:\n got %#v\nwant %#v", gotBody, wantBody)
			}
			if errors.Is(gotErr, ErrUnsupportedMethod) != errors.Is(wantErr, ErrUnsupportedMethod) {
				t.Fatalf("ErrUnsupportedMethod: got %v, want %v", gotErr, wantErr)
			}
			return
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("requests differ:\n got %#v\nwant %#v", got, want)
		}
		var wantValues, wantURLQuery url.Values
		if want.BodyFormat != BodyJSON {
			_, wantValues = refDecodeForm(want.form)
		}
		if want.urlQuery != "" {
			_, wantURLQuery = refDecodeForm(want.urlQuery)
		}
		if got := got.Values(); !reflect.DeepEqual(got, wantValues) {
			t.Fatalf("Values differ:\n got %#v\nwant %#v", got, wantValues)
		}
		if got := got.URLQuery(); !reflect.DeepEqual(got, wantURLQuery) {
			t.Fatalf("URLQuery differs:\n got %#v\nwant %#v", got, wantURLQuery)
		}
	})
}

// sameBodyError compares two *BodyError values field by field, their
// underlying errors by text.
func sameBodyError(a, b *BodyError) bool {
	return a.Format == b.Format && a.Offset == b.Offset && a.Field == b.Field && a.Err.Error() == b.Err.Error()
}
