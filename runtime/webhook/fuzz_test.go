package webhook

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/runtime/wire"
)

// Fuzz modes: how the fuzzed string reaches Parse.
const (
	modeQuery   = iota // GET, the string is the raw query
	modeForm           // POST, form content type
	modeJSON           // PUT, JSON content type
	modeSniffed        // POST, no content type: Parse decides
	numModes
)

// fuzzRequest builds the server-side request for a fuzz input.
func fuzzRequest(mode byte, data string) *http.Request {
	switch mode % numModes {
	case modeQuery:
		r := httptest.NewRequest(http.MethodGet, "/hooks", nil)
		r.URL.RawQuery = data // bypass URL parsing: any bytes may arrive
		return r
	case modeForm:
		return serverRequest(http.MethodPost, "/hooks", wire.ContentTypeForm, data)
	case modeJSON:
		return serverRequest(http.MethodPut, "/hooks", wire.ContentTypeJSON, data)
	}
	return serverRequest(http.MethodPost, "/hooks", "", data)
}

// resend encodes ev's fields again as Kazoo would, in the format they came
// in, and parses the result.
func resend(t *testing.T, ev Event) Event {
	t.Helper()
	d := ev.Info()
	var r *http.Request
	switch d.Format {
	case FormatQuery:
		r = httptest.NewRequest(http.MethodGet, "/hooks", nil)
		r.URL.RawQuery = wire.EncodeForm(d.Raw)
	case FormatJSON:
		r = serverRequest(d.Method, "/hooks", wire.ContentTypeJSON, string(wire.EncodeJSON(d.Raw)))
	default:
		r = serverRequest(d.Method, "/hooks", wire.ContentTypeForm, wire.EncodeForm(d.Raw))
	}
	again, err := Parse(r)
	if err != nil {
		t.Fatalf("re-parsing our own %s encoding: %v", d.Format, err)
	}
	return again
}

// comparable returns ev with the parts that depend on the wire (headers,
// pairs as sent) cleared.
func comparable(ev Event) Event {
	v := reflect.New(reflect.TypeOf(ev).Elem())
	v.Elem().Set(reflect.ValueOf(ev).Elem())
	c := v.Interface().(Event)
	d := c.Info()
	d.Header, d.Values, d.URLQuery = nil, nil, nil
	return c
}

// wireSafe reports whether the form encoding of p decodes back to p. Kazoo
// writes keys unencoded, so a key holding "&", "=", "%", "+", "#", "?", a
// space, a control byte or a non-ASCII byte (possible only through %XX
// escapes in what was received) does not survive; Kazoo's keys never hold
// those.
func wireSafe(p Params) bool {
	for _, kv := range p {
		if kv.Key == "" || strings.ContainsFunc(kv.Key, func(r rune) bool {
			return r <= ' ' || r >= 0x7f || strings.ContainsRune("&=%+#?", r)
		}) {
			return false
		}
		if kv.Value.Kind() == wire.KindObject && !wireSafe(kv.Value.Members()) {
			return false
		}
	}
	return true
}

var fuzzSeeds = []struct {
	mode byte
	data string
}{
	{modeQuery, destroyForm},
	{modeQuery, "token=abc?call_id=c1&hook_event=channel_create&timestamp=63904170600"},
	{modeQuery, "id=d1&account_id=a1&action=doc_edited&type=callflow&cluster_id=x"},
	{modeForm, destroyForm},
	{modeForm, "event_category=notification&event_name=voicemail_new&timestamp=1736951501.5&voicemail_length=17"},
	{modeForm, "call_id=c1&custom_channel_vars[a][b][c]=deep&custom_channel_vars[list][]=x&tags[]=1&&a=1&a[b]=2"},
	{modeForm, "hook_event=channel_destroy&duration_seconds=lots&call_forwarded=maybe&timestamp=-1"},
	{modeJSON, destroyJSON},
	{modeJSON, `{"event_name":"PARK_PARKED","parking_slot":3,"caller_id_name":"Zo\u00eb"}`},
	{modeJSON, `{"hook_event":"channel_create","custom_channel_vars":{"n":1.5,"b":true,"o":{"k":null}},"timestamp":1e300}`},
	{modeJSON, `{"call_id": }`},
	{modeSniffed, `{"call_id":"c1","ivr_step":"menu"}`},
	{modeSniffed, "hook_event=channel_answer&call_id=c1"},
	{modeSniffed, `{"call_id"`},
}

// FuzzParse checks that Parse never panics, that only JSON bodies fail and
// then with a *BodyError, that Extra holds only fields of Raw, that what
// parses is stable (re-encoding Raw in the same format gives the same
// event), and that Handler answers it 200 (400 for a JSON body that does not
// decode) when the receiver succeeds.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s.mode, s.data)
	}
	h := Handler(ReceiverFunc(func(context.Context, Event) error { return nil }), WithLogger(discardLogger))
	f.Fuzz(func(t *testing.T, mode byte, data string) {
		ev, err := Parse(fuzzRequest(mode, data))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, fuzzRequest(mode, data))
		if err != nil {
			var be *BodyError
			if !errors.As(err, &be) || mode%numModes != modeJSON {
				t.Fatalf("unexpected error for mode %d: %v", mode%numModes, err)
			}
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("handler answered %d to an undecodable body, want 400", rec.Code)
			}
			return
		}
		if rec.Code != http.StatusOK {
			t.Fatalf("handler answered %d, want 200", rec.Code)
		}

		d := ev.Info()
		for _, kv := range d.Extra {
			if v, ok := d.Raw.Lookup(kv.Key); !ok || !v.Equal(kv.Value) {
				t.Fatalf("Extra field %q is not in Raw", kv.Key)
			}
		}
		if d.Format != FormatJSON && !wireSafe(d.Raw) {
			return
		}
		got, again := comparable(ev), comparable(resend(t, ev))
		if !reflect.DeepEqual(got, again) {
			t.Fatalf("not stable under re-encoding:\nfirst  %+v\nsecond %+v", got, again)
		}
	})
}

// discardLogger drops log output.
var discardLogger = slog.New(slog.DiscardHandler)
