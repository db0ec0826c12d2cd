package wire

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// The ParseRequest benchmarks parse the requests Kazoo sends, built with
// NewHTTPRequest from one realistic call:
//
//	go test -run '^$' -bench ParseRequest -benchmem ./runtime/wire

// benchRequest is a call as Kazoo's pivot_call describes it after a
// collect_dtmf, in the kazoo naming.
func benchRequest() *Request {
	return &Request{
		CallID: "5c4a9f0e-2b1d-4d38-9a7e-8f5b2c1d0e3f", AccountID: "3f1c5e2a9b8d7c6e5f4a3b2c1d0e9f8a",
		From: "1001", FromRealm: "acme.sip.example.com", To: "2000", ToRealm: "acme.sip.example.com",
		RequestUser: "2000", RequestRealm: "acme.sip.example.com",
		CallerIDName: "Alice Example", CallerIDNumber: "+15551234567",
		UserIDs: []string{"8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b"}, Language: "en-us",
		Direction: DirectionInbound, APIVersion: KazooAPIVersion,
		Digits: DigitCollections(map[string]string{"lang": "1"}),
	}
}

// benchVoiceURL is a follow-up's voice_url, with a Router's continuation.
const benchVoiceURL = "http://127.0.0.1:8080/ivr/language?kzc=v1.bench.1795578185..n55avBx9uRtdHCWv0yDm9HrCaWCVy0pvvYyWzpKJtSM"

// rewindBody is a request body that can be read again without allocating.
type rewindBody struct{ bytes.Reader }

func (*rewindBody) Close() error { return nil }

// benchCase is one server-side request and the body to send with it.
type benchCase struct {
	name string
	req  *http.Request
	body []byte
}

// benchEntryURL is the voice_url of a call's first pivot node.
const benchEntryURL = "http://127.0.0.1:8080/ivr/start"

// benchCases returns the realistic requests: a call's first request (GET,
// kazoo naming, no digits yet), then follow-ups with digits and a
// continuation, GET in each naming, POST form and POST JSON in the kazoo
// naming.
func benchCases(tb testing.TB) []benchCase {
	call := benchRequest()
	entry := benchRequest()
	entry.Digits = Digits{}
	twiml := benchRequest()
	twiml.APIVersion = TwiMLAPIVersion
	var cases []benchCase
	for _, c := range []struct {
		name, method, url string
		body              BodyFormat
		params            Params
	}{
		{"entry-get", "GET", benchEntryURL, BodyQuery, entry.Params(FormatKazoo)},
		{"get-kazoo", "GET", benchVoiceURL, BodyQuery, call.Params(FormatKazoo)},
		{"post-form", "POST", benchVoiceURL, BodyForm, call.Params(FormatKazoo)},
		{"post-json", "POST", benchVoiceURL, BodyJSON, call.Params(FormatKazoo)},
		{"get-twiml", "GET", benchVoiceURL, BodyQuery, twiml.Params(FormatTwiML)},
	} {
		out, err := NewHTTPRequest(context.Background(), c.method, c.url, c.body, c.params)
		if err != nil {
			tb.Fatal(err)
		}
		var body []byte
		if out.Body != nil {
			body, _ = io.ReadAll(out.Body)
		}
		in := httptest.NewRequest(c.method, out.URL.RequestURI(), nil)
		in.Header = out.Header.Clone()
		in.ContentLength = int64(len(body)) // as a server reads it from the header
		cases = append(cases, benchCase{c.name, in, body})
	}
	return cases
}

func BenchmarkParseRequest(b *testing.B) {
	for _, c := range benchCases(b) {
		b.Run(c.name, func(b *testing.B) {
			body := new(rewindBody)
			c.req.Body = body
			b.ReportAllocs()
			for b.Loop() {
				body.Reset(c.body)
				r, err := ParseRequest(c.req)
				if err != nil || r.CallID == "" {
					b.Fatalf("ParseRequest: %v, %+v", err, r)
				}
			}
		})
	}
}
