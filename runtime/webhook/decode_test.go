package webhook

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Sample IDs, made up.
const (
	testAccount = "3c9f1e2a7b8d4c6e9f0a1b2c3d4e5f60"
	testCall    = "2f6c1b9e-8d4a-4e3b-a7c5-0d9e8f7a6b5c"
)

// serverRequest builds the request a server receives.
func serverRequest(method, target, contentType, body string) *http.Request {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	return r
}

func mustParse(t *testing.T, r *http.Request) Event {
	t.Helper()
	ev, err := Parse(r)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return ev
}

// destroyWant is the channel_destroy event every format below carries.
func destroyWant() ChannelEvent {
	return ChannelEvent{
		Call: Call{
			CallID:                testCall,
			OtherLegCallID:        "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
			AccountID:             testAccount,
			CallerIDName:          "Alice Example",
			CallerIDNumber:        "+15555550123",
			CalleeIDName:          "Example Support",
			CalleeIDNumber:        "+15555550188",
			From:                  "+15555550123@sip.example.com",
			To:                    "+15555550188@sip.example.com",
			Request:               "+15555550188@sip.example.com",
			Inception:             "+15555550123@sip.example.com",
			AuthorizingID:         "a1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6",
			AuthorizingType:       "device",
			OwnerID:               "b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7",
			CustomApplicationVars: map[string]string{"ivr_step": "main_menu", "menu_choice": "2"},
		},
		ResellerID:        "7d2e4f6a8b0c1d3e5f7a9b1c3d5e7f90",
		CallDirection:     "inbound",
		CallForwarded:     false,
		CustomChannelVars: map[string]string{"Bridge-ID": testCall},
		LocalResourceUsed: true,
		LocalResourceID:   "c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8",
		Timestamp:         time.Date(2025, 1, 15, 14, 31, 12, 0, time.UTC),
		HangupCause:       "NORMAL_CLEARING",
		HangupCode:        "sip:200",
		Duration:          72 * time.Second,
		RingingDuration:   4 * time.Second,
		BillingDuration:   68 * time.Second,
	}
}

// destroyForm is destroyWant as Kazoo form-encodes it: keys raw, values
// legacy-escaped ("+" for space, %XX upper case), nested objects bracketed,
// numbers and booleans as text.
const destroyForm = "account_id=3c9f1e2a7b8d4c6e9f0a1b2c3d4e5f60&authorizing_id=a1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6" +
	"&authorizing_type=device&call_direction=inbound&call_forwarded=false" +
	"&call_id=2f6c1b9e-8d4a-4e3b-a7c5-0d9e8f7a6b5c&callee_id_name=Example+Support&callee_id_number=%2B15555550188" +
	"&caller_id_name=Alice+Example&caller_id_number=%2B15555550123" +
	"&custom_application_vars[ivr_step]=main_menu&custom_application_vars[menu_choice]=2" +
	"&custom_channel_vars[Bridge-ID]=2f6c1b9e-8d4a-4e3b-a7c5-0d9e8f7a6b5c&emergency_resource_used=false" +
	"&from=%2B15555550123%40sip.example.com&inception=%2B15555550123%40sip.example.com&is_internal_leg=false" +
	"&local_resource_id=c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8&local_resource_used=true" +
	"&other_leg_call_id=9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d&owner_id=b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7" +
	"&request=%2B15555550188%40sip.example.com&reseller_id=7d2e4f6a8b0c1d3e5f7a9b1c3d5e7f90" +
	"&timestamp=63904170672&to=%2B15555550188%40sip.example.com&hook_event=channel_destroy" +
	"&hangup_cause=NORMAL_CLEARING&hangup_code=sip%3A200&duration_seconds=72&ringing_seconds=4&billing_seconds=68" +
	"&cluster_id=e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0&team=support"

// destroyJSON is the same event as Kazoo's pretty-printed JSON body:
// numbers and booleans typed, the timestamp a string as in Kazoo's samples.
const destroyJSON = `{
  "account_id": "3c9f1e2a7b8d4c6e9f0a1b2c3d4e5f60",
  "authorizing_id": "a1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6",
  "authorizing_type": "device",
  "call_direction": "inbound",
  "call_forwarded": false,
  "call_id": "2f6c1b9e-8d4a-4e3b-a7c5-0d9e8f7a6b5c",
  "callee_id_name": "Example Support",
  "callee_id_number": "+15555550188",
  "caller_id_name": "Alice Example",
  "caller_id_number": "+15555550123",
  "custom_application_vars": {"ivr_step": "main_menu", "menu_choice": 2},
  "custom_channel_vars": {"Bridge-ID": "2f6c1b9e-8d4a-4e3b-a7c5-0d9e8f7a6b5c"},
  "emergency_resource_used": false,
  "from": "+15555550123@sip.example.com",
  "inception": "+15555550123@sip.example.com",
  "is_internal_leg": false,
  "local_resource_id": "c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8",
  "local_resource_used": true,
  "other_leg_call_id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
  "owner_id": "b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7",
  "request": "+15555550188@sip.example.com",
  "reseller_id": "7d2e4f6a8b0c1d3e5f7a9b1c3d5e7f90",
  "timestamp": "63904170672",
  "to": "+15555550188@sip.example.com",
  "hook_event": "channel_destroy",
  "hangup_cause": "NORMAL_CLEARING",
  "hangup_code": "sip:200",
  "duration_seconds": 72,
  "ringing_seconds": 4,
  "billing_seconds": 68,
  "cluster_id": "e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0",
  "team": "support"
}`

// typed returns the typed fields of a channel event, delivery details
// cleared, for comparison.
func typed(e *ChannelEvent) ChannelEvent {
	c := *e
	c.Delivery = Delivery{}
	return c
}

func TestParseChannelDestroyInEveryFormat(t *testing.T) {
	tests := []struct {
		name   string
		req    *http.Request
		format Format
		method string
	}{
		{"GET query", serverRequest(http.MethodGet, "/hooks?"+destroyForm, "", ""), FormatQuery, "GET"},
		{"POST form", serverRequest(http.MethodPost, "/hooks", "application/x-www-form-urlencoded", destroyForm), FormatForm, "POST"},
		{"PUT form", serverRequest(http.MethodPut, "/hooks", "application/x-www-form-urlencoded; charset=UTF-8", destroyForm), FormatForm, "PUT"},
		{"POST json", serverRequest(http.MethodPost, "/hooks", "application/json", destroyJSON), FormatJSON, "POST"},
		{"POST json, no content type", serverRequest(http.MethodPost, "/hooks", "", destroyJSON), FormatJSON, "POST"},
		{"POST form, no content type", serverRequest(http.MethodPost, "/hooks", "", destroyForm), FormatForm, "POST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.Header.Set("X-Hook-ID", "d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9")
			tt.req.Header.Set("X-Account-ID", testAccount)
			ev := mustParse(t, tt.req)
			e, ok := ev.(*ChannelEvent)
			if !ok {
				t.Fatalf("got %T, want *ChannelEvent", ev)
			}
			if got, want := typed(e), destroyWant(); !reflect.DeepEqual(got, want) {
				t.Errorf("typed fields:\n got %+v\nwant %+v", got, want)
			}
			if e.Hook() != HookChannelDestroy || e.Format != tt.format || e.Method != tt.method {
				t.Errorf("hook %q, format %v, method %q", e.Hook(), e.Format, e.Method)
			}
			if e.HookID != "d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9" || e.HookAccountID != testAccount ||
				e.ClusterID != "e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0" {
				t.Errorf("delivery: hook ID %q, account %q, cluster %q", e.HookID, e.HookAccountID, e.ClusterID)
			}
			if len(e.Problems) != 0 {
				t.Errorf("problems: %v", e.Problems)
			}
			// custom_data ("team") is not a typed field: it is in Extra.
			if len(e.Extra) != 1 || e.Extra[0].Key != "team" || e.Get("team") != "support" {
				t.Errorf("Extra = %v", e.Extra)
			}
			if got := e.Get("custom_channel_vars[Bridge-ID]"); got != testCall {
				t.Errorf(`Get("custom_channel_vars[Bridge-ID]") = %q`, got)
			}
			if len(e.Raw) != 32 {
				t.Errorf("Raw has %d fields, want all 32", len(e.Raw))
			}
		})
	}
}

func TestParseNestedFormKeys(t *testing.T) {
	body := "call_id=c1&custom_channel_vars[a][b][c]=deep&custom_channel_vars[list][]=x&custom_channel_vars[list][]=y" +
		"&custom_application_vars%5Bstep%5D=menu+2&tags[]=one&tags[]=two&tags[]=two"
	ev := mustParse(t, serverRequest(http.MethodPost, "/", "application/x-www-form-urlencoded", body))
	d := ev.Info()
	for name, want := range map[string]string{
		"custom_channel_vars[a][b][c]":  "deep",
		"custom_channel_vars[list][0]":  "x",
		"custom_channel_vars[list][1]":  "y",
		"custom_application_vars[step]": "menu 2",
		"tags[2]":                       "two",
	} {
		if got := d.Get(name); got != want {
			t.Errorf("Get(%q) = %q, want %q", name, got, want)
		}
	}
	if got := d.Values["tags[]"]; len(got) != 3 {
		t.Errorf("Values[tags[]] = %v, want the three pairs as sent", got)
	}
	// A callflow event (a call_id and nothing else that names an event):
	// nested non-strings become their JSON text.
	e := ev.(*CallflowEvent)
	if got := e.CustomApplicationVars["step"]; got != "menu 2" {
		t.Errorf("CAV step = %q", got)
	}
}

func TestParseGETWithURIQuery(t *testing.T) {
	// The hook uri "https://hooks.example.com/k?token=abc" gets Kazoo's
	// payload after a second "?".
	r := serverRequest(http.MethodGet, "/k?token=abc?call_id=c1&hook_event=channel_create&timestamp=63904170600", "", "")
	e := mustParse(t, r).(*ChannelEvent)
	if e.Get("token") != "abc" || e.CallID != "c1" || e.Hook() != HookChannelCreate {
		t.Errorf("token %q, call %q, hook %q", e.Get("token"), e.CallID, e.Hook())
	}
	if !e.Timestamp.Equal(time.Date(2025, 1, 15, 14, 30, 0, 0, time.UTC)) {
		t.Errorf("timestamp %v", e.Timestamp)
	}
}

func TestParsePOSTKeepsURLQuery(t *testing.T) {
	r := serverRequest(http.MethodPost, "/k?team=support", "application/json", `{"call_id":"c1","hook_event":"channel_answer"}`)
	r.SetBasicAuth("kazoo", "s3cret")
	e := mustParse(t, r).(*ChannelEvent)
	if e.URLQuery.Get("team") != "support" || e.Raw.Has("team") {
		t.Errorf("URLQuery %v, Raw %v", e.URLQuery, e.Raw)
	}
	if e.Header.Get("Authorization") != "" {
		t.Error("Header keeps Authorization")
	}
}

func TestParseScalarsLeniently(t *testing.T) {
	gregorian := func(unix int64) time.Time { return time.Unix(unix, 0).UTC() }
	tests := []struct {
		json    string // a JSON value for the field
		field   string // timestamp, duration_seconds or call_forwarded
		want    any
		problem bool
	}{
		{`"63904170672"`, "timestamp", gregorian(1736951472), false},
		{`63904170672`, "timestamp", gregorian(1736951472), false},
		{`" 63904170672 "`, "timestamp", gregorian(1736951472), false},
		{`"1736951472"`, "timestamp", gregorian(1736951472), false},
		{`1736951472.25`, "timestamp", time.Unix(1736951472, 250_000_000).UTC(), false},
		{`"63904170672.5"`, "timestamp", time.Unix(1736951472, 500_000_000).UTC(), false},
		{`"2025-01-15T14:31:12Z"`, "timestamp", gregorian(1736951472), false},
		{`""`, "timestamp", time.Time{}, false},
		{`0`, "timestamp", time.Time{}, false},
		{`null`, "timestamp", time.Time{}, false},
		{`"soon"`, "timestamp", time.Time{}, true},
		{`-5`, "timestamp", time.Time{}, true},
		{`1e300`, "timestamp", time.Time{}, true},
		{`"1e14"`, "timestamp", time.Time{}, true},
		{`true`, "timestamp", time.Time{}, true},
		{`{"a":1}`, "timestamp", time.Time{}, true},

		{`72`, "duration_seconds", 72 * time.Second, false},
		{`"72"`, "duration_seconds", 72 * time.Second, false},
		{`"1.5"`, "duration_seconds", 1500 * time.Millisecond, false},
		{`7.2e1`, "duration_seconds", 72 * time.Second, false},
		{`"seventy"`, "duration_seconds", time.Duration(0), true},
		{`-1`, "duration_seconds", time.Duration(0), true},
		{`"1e300"`, "duration_seconds", time.Duration(0), true},
		{`"NaN"`, "duration_seconds", time.Duration(0), true},
		{`["1"]`, "duration_seconds", time.Duration(0), true},

		{`true`, "call_forwarded", true, false},
		{`"true"`, "call_forwarded", true, false},
		{`"TRUE"`, "call_forwarded", true, false},
		{`"1"`, "call_forwarded", true, false},
		{`1`, "call_forwarded", true, false},
		{`"false"`, "call_forwarded", false, false},
		{`"0"`, "call_forwarded", false, false},
		{`""`, "call_forwarded", false, false},
		{`"yes"`, "call_forwarded", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.field+"="+tt.json, func(t *testing.T) {
			body := `{"hook_event":"channel_destroy","` + tt.field + `":` + tt.json + `}`
			e := mustParse(t, serverRequest(http.MethodPost, "/", "application/json", body)).(*ChannelEvent)
			var got any
			switch tt.field {
			case "timestamp":
				got = e.Timestamp
			case "duration_seconds":
				got = e.Duration
			default:
				got = e.CallForwarded
			}
			if got != tt.want {
				t.Errorf("%s = %v, want %v", tt.field, got, tt.want)
			}
			if (len(e.Problems) > 0) != tt.problem {
				t.Fatalf("problems %v, want a problem: %v", e.Problems, tt.problem)
			}
			if tt.problem {
				var fe *FieldError
				if !errors.As(e.Problems[0], &fe) || fe.Field != tt.field || !strings.Contains(fe.Error(), tt.field) {
					t.Errorf("problem %v does not name %s", e.Problems[0], tt.field)
				}
				// The value is still reachable as received.
				if _, ok := e.Lookup(tt.field); !ok {
					t.Errorf("%s missing from Raw", tt.field)
				}
			}
		})
	}
}

func TestParseMapsOfText(t *testing.T) {
	body := `{"hook_event":"channel_create","custom_channel_vars":{"n":12,"b":true,"o":{"k":"v"},"nil":null,"s":"x"},` +
		`"custom_application_vars":"not an object"}`
	e := mustParse(t, serverRequest(http.MethodPost, "/", "application/json", body)).(*ChannelEvent)
	want := map[string]string{"n": "12", "b": "true", "o": `{"k":"v"}`, "s": "x"}
	if !reflect.DeepEqual(e.CustomChannelVars, want) {
		t.Errorf("CCVs = %v, want %v", e.CustomChannelVars, want)
	}
	if e.CustomApplicationVars != nil || len(e.Problems) != 1 || e.Problems[0].Field != "custom_application_vars" {
		t.Errorf("CAVs %v, problems %v", e.CustomApplicationVars, e.Problems)
	}
}

func TestParseEventTypes(t *testing.T) {
	tests := []struct {
		name string
		json string
		hook string
		typ  Event
	}{
		{"channel create", `{"hook_event":"channel_create","call_id":"c1"}`, HookChannelCreate, &ChannelEvent{}},
		{"channel answer", `{"hook_event":"channel_answer"}`, HookChannelAnswer, &ChannelEvent{}},
		{"channel bridge", `{"hook_event":"channel_bridge"}`, HookChannelBridge, &ChannelEvent{}},
		{"a channel event of a newer Kazoo", `{"hook_event":"channel_park"}`, "channel_park", &ChannelEvent{}},
		{"object", `{"id":"d1","account_id":"a1","action":"doc_created","type":"user"}`, HookObject, &ObjectEvent{}},
		{"object named", `{"hook_event":"object","id":"d1","action":"doc_deleted"}`, HookObject, &ObjectEvent{}},
		{"notification", `{"event_category":"notification","event_name":"missed_call","account_id":"a1"}`, HookNotifications, &NotificationEvent{}},
		{"notification with a type filter merged in", `{"event_category":"notification","event_name":"voicemail_new","type":"voicemail_new","action":"doc_x","id":"i"}`, HookNotifications, &NotificationEvent{}},
		{"parking", `{"event_name":"PARK_RETRIEVED","parking_slot":1}`, HookParking, &ParkingEvent{}},
		{"callflow action", `{"call_id":"c1","account_id":"a1","ivr_step":"menu"}`, HookCallflow, &CallflowEvent{}},
		{"sms", `{"event_name":"inbound","message_id":"m1"}`, "inbound", &UnknownEvent{}},
		{"unknown hook_event", `{"hook_event":"sms","call_id":"c1"}`, "sms", &UnknownEvent{}},
		{"nothing", `{}`, "", &UnknownEvent{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := mustParse(t, serverRequest(http.MethodPost, "/", "application/json", tt.json))
			if reflect.TypeOf(ev) != reflect.TypeOf(tt.typ) || ev.Hook() != tt.hook {
				t.Errorf("got %T hook %q, want %T hook %q", ev, ev.Hook(), tt.typ, tt.hook)
			}
		})
	}

	// The typed fields of each type.
	n := mustParse(t, serverRequest(http.MethodPost, "/", "application/x-www-form-urlencoded",
		"account_id=a1&app_name=callflow&app_version=4.3.0&event_category=notification&event_name=voicemail_new"+
			"&msg_id=m1&node=kazoo_apps%40apps1&call_id=c1&timestamp=63904170701&voicemail_box=b1")).(*NotificationEvent)
	if n.Name != "voicemail_new" || n.Category != "notification" || n.AccountID != "a1" || n.CallID != "c1" ||
		n.AppName != "callflow" || n.AppVersion != "4.3.0" || n.Node != "kazoo_apps@apps1" || n.MsgID != "m1" ||
		!n.Timestamp.Equal(time.Unix(1736951501, 0)) || n.Get("voicemail_box") != "b1" || len(n.Extra) != 1 {
		t.Errorf("notification %+v", n)
	}
	o := mustParse(t, serverRequest(http.MethodGet, "/?id=d1&account_id=a1&action=doc_edited&type=callflow", "", "")).(*ObjectEvent)
	if o.ID != "d1" || o.AccountID != "a1" || o.Action != ObjectEdited || o.Type != "callflow" || len(o.Extra) != 0 {
		t.Errorf("object %+v", o)
	}
	p := mustParse(t, serverRequest(http.MethodPost, "/", "application/json",
		`{"account_id":"a1","call_id":"c1","caller_id_name":"A","caller_id_number":"1","callee_id_name":"B","callee_id_number":"2","event_name":"PARK_PARKED","parking_slot":3}`)).(*ParkingEvent)
	if p.Name != "PARK_PARKED" || p.ParkingSlot != "3" || p.CallID != "c1" || p.CallerIDName != "A" || p.CalleeIDNumber != "2" {
		t.Errorf("parking %+v", p)
	}
	c := mustParse(t, serverRequest(http.MethodPost, "/", "application/json",
		`{"call_id":"c1","language":"en-us","custom_application_vars":{"ivr_step":"menu"},"step":"welcome"}`)).(*CallflowEvent)
	if c.CallID != "c1" || c.Language != "en-us" || c.CustomApplicationVars["ivr_step"] != "menu" ||
		len(c.Extra) != 1 || c.Extra[0].Key != "step" {
		t.Errorf("callflow %+v", c)
	}
}

func TestParseErrors(t *testing.T) {
	_, err := Parse(serverRequest(http.MethodPost, "/", "application/json", `{"call_id": "c1", "custom_channel_vars": {"a": }`))
	var be *BodyError
	if !errors.As(err, &be) || be.Field != "custom_channel_vars[a]" || be.Offset == 0 ||
		!strings.Contains(err.Error(), `"custom_channel_vars[a]"`) {
		t.Errorf("error %v, want a *BodyError naming the field", err)
	}
	if _, err := Parse(serverRequest(http.MethodPost, "/", "application/json", `["not","an","object"]`)); !errors.As(err, &be) {
		t.Errorf("a JSON list: error %v", err)
	}
	if _, err := Parse(serverRequest(http.MethodDelete, "/", "", "")); !errors.Is(err, ErrUnsupportedMethod) {
		t.Errorf("DELETE: error %v", err)
	}
	if _, err := Parse(nil); err == nil {
		t.Error("nil request: no error")
	}
	// An empty body is a delivery with no fields.
	ev := mustParse(t, serverRequest(http.MethodPost, "/", "application/json", "  "))
	if _, ok := ev.(*UnknownEvent); !ok || len(ev.Info().Raw) != 0 {
		t.Errorf("empty body: %T %v", ev, ev.Info().Raw)
	}
}

func TestGregorianSeconds(t *testing.T) {
	at := time.Date(2025, 1, 15, 14, 31, 12, 0, time.UTC)
	if got := GregorianSeconds(at); got != 63904170672 {
		t.Errorf("GregorianSeconds = %d", got)
	}
	// Kazoo's epoch: 0000-01-01 in the proleptic Gregorian calendar.
	if got := time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC).Unix(); -got != GregorianUnixOffset {
		t.Errorf("offset %d, Go says %d", GregorianUnixOffset, -got)
	}
}
