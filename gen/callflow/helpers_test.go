package callflow_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// encodes checks that b validates and encodes to want.
func encodes(t *testing.T, b callflow.Builder, want string) {
	t.Helper()
	if err := b.Node().Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	got, err := b.Node().MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestDurationSetters: each unit the table knows, a union field's integer
// alternative, and what a Duration setter refuses.
func TestDurationSetters(t *testing.T) {
	encodes(t, callflow.CollectDTMF().TimeoutDuration(5*time.Second),
		`{"module":"collect_dtmf","data":{"timeout":5000}}`)
	encodes(t, callflow.User().ID(userID).TimeoutDuration(time.Minute).DelayDuration(0),
		`{"module":"user","data":{"delay":0,"id":"`+userID+`","timeout":60}}`)
	encodes(t, callflow.Pivot("https://ivr.example.com/").ReqTimeoutDuration(3*time.Second),
		`{"module":"pivot","data":{"req_timeout_ms":3000,"voice_url":"https://ivr.example.com/"}}`)
	encodes(t, callflow.SendDTMF("123").Duration(250*time.Millisecond),
		`{"module":"send_dtmf","data":{"digits":"123","duration_ms":250}}`)

	for _, c := range []struct {
		b       callflow.Builder
		pointer string
		message string
	}{
		{callflow.User().TimeoutDuration(1500 * time.Millisecond), "/data/timeout", "1.5s is not a whole number of seconds"},
		{callflow.User().TimeoutDuration(-time.Second), "/data/timeout", "-1s is negative"},
		{callflow.CollectDTMF().InterdigitTimeoutDuration(time.Microsecond), "/data/interdigit_timeout", "not a whole number of milliseconds"},
		{callflow.RingGroup(callflow.UserEndpoint(userID).DelayDuration(500 * time.Millisecond)), "/data/endpoints/0/delay", "not a whole number of seconds"},
		{callflow.Menu().OnDigits("1", callflow.User().ID(userID).TimeoutDuration(time.Millisecond)), "/children/1/data/timeout", "not a whole number"},
	} {
		problems := kzrt.AsErrors(c.b.Node().Validate())
		if len(problems) != 1 || problems[0].Pointer != c.pointer || !strings.Contains(problems[0].Message, c.message) {
			t.Errorf("%s: %v, want %s: …%s…", c.b.Node().Module, problems, c.pointer, c.message)
		}
		if _, err := json.Marshal(c.b); err != nil {
			t.Errorf("%s: encoding fails: %v", c.b.Node().Module, err)
		}
	}
	// The last setter call decides.
	if err := callflow.User().TimeoutDuration(time.Millisecond).Timeout(20).Validate(); err != nil {
		t.Errorf("raw setter after a refused duration: %v", err)
	}
	if err := callflow.User().TimeoutDuration(time.Millisecond).TimeoutDuration(time.Second).Validate(); err != nil {
		t.Errorf("a valid duration after a refused one: %v", err)
	}
	m := callflow.UserEndpoint(userID).TimeoutDuration(time.Millisecond)
	if err := callflow.RingGroup(m.Timeout(20)).Validate(); err != nil {
		t.Errorf("member: raw setter after a refused duration: %v", err)
	}
}

// TestGroupMembers: one member builder for ring and page groups, mixed
// with literal members.
func TestGroupMembers(t *testing.T) {
	const dev = "3c2b1a09f8e7d6c5b4a3928170615243"
	encodes(t, callflow.PageGroup(callflow.DeviceEndpoint(dev), callflow.UserEndpoint(userID).DelayDuration(2*time.Second)),
		`{"module":"page_group","data":{"endpoints":[{"endpoint_type":"device","id":"`+dev+`"},{"delay":2,"endpoint_type":"user","id":"`+userID+`"}]}}`)
	encodes(t, callflow.RingGroup(
		callflow.GroupEndpoint(groupID).Weight(10),
		callflow.RingGroupEndpoint{ID: new(dev), EndpointType: new(callflow.RingGroupEndpointEndpointTypeDevice)},
	), `{"module":"ring_group","data":{"endpoints":[{"endpoint_type":"group","id":"`+groupID+`","weight":10},{"endpoint_type":"device","id":"`+dev+`"}]}}`)
	// A member given to a group is stored as it was.
	member := callflow.UserEndpoint(userID)
	group := callflow.RingGroup(member)
	member.Timeout(99)
	if got := group.Node().Data.(*callflow.RingGroupData).Endpoints[0].Timeout; got != nil {
		t.Errorf("changing the member builder changed the group: timeout %d", *got)
	}
	// Schema problems of a member are Validate's, at the member.
	problems := kzrt.AsErrors(callflow.RingGroup(callflow.UserEndpoint("")).Validate())
	if len(problems) != 1 || problems[0].Pointer != "/data/endpoints/0/id" {
		t.Errorf("empty id: %v", problems)
	}
}

// TestUnionConstructors: one call per alternative.
func TestUnionConstructors(t *testing.T) {
	encodes(t, callflow.Conference().PlayEntryTone(callflow.ConferencePlayEntryToneFromBool(false)).
		PlayExitTone(callflow.ConferencePlayExitToneFromString("tone_stream://%(200,0,500)")),
		`{"module":"conference","data":{"play_entry_tone":false,"play_exit_tone":"tone_stream://%(200,0,500)"}}`)
	encodes(t, callflow.SendDTMF("1").DurationMS(callflow.SendDTMFDurationMSFromString("200")),
		`{"module":"send_dtmf","data":{"digits":"1","duration_ms":"200"}}`)
}

// TestCustomSIPHeaders: every module with custom SIP headers takes the same
// CustomSIPHeaders; the per-leg form of resources and offnet is one call
// away.
func TestCustomSIPHeaders(t *testing.T) {
	h := callflow.CustomSIPHeaders{"X-Account-Tier": "gold <vip>"}
	encodes(t, callflow.User().ID(userID).CustomSIPHeaders(h),
		`{"module":"user","data":{"custom_sip_headers":{"X-Account-Tier":"gold <vip>"},"id":"`+userID+`"}}`)
	encodes(t, callflow.Device().ID(deviceID).CustomSIPHeaders(h),
		`{"module":"device","data":{"custom_sip_headers":{"X-Account-Tier":"gold <vip>"},"id":"`+deviceID+`"}}`)
	encodes(t, callflow.Resources().CustomSIPHeaders(h),
		`{"module":"resources","data":{"custom_sip_headers":{"X-Account-Tier":"gold <vip>"}}}`)
	encodes(t, callflow.Offnet().CustomSIPHeaders(h),
		`{"module":"offnet","data":{"custom_sip_headers":{"X-Account-Tier":"gold <vip>"}}}`)
	encodes(t, callflow.Offnet().CustomSIPHeadersValue(callflow.OffnetCustomSIPHeadersFromObject(callflow.OffnetCustomSIPHeadersObject{Out: h})),
		`{"module":"offnet","data":{"custom_sip_headers":{"out":{"X-Account-Tier":"gold <vip>"}}}}`)
	// The type's own check: header names. (resources and offnet accept
	// any name, since their per-leg form takes any object.)
	if err := h.Validate(); err != nil {
		t.Error(err)
	}
	if err := (callflow.CustomSIPHeaders{"X Bad": "1"}).Validate(); err == nil {
		t.Error("a header name with a space passed")
	}
}

// TestItemBuilderDurations: an audio_macro tone counts milliseconds; what
// its Duration setters cannot store is reported at the item.
func TestItemBuilderDurations(t *testing.T) {
	encodes(t, callflow.AudioMacro(callflow.ToneMacro().Frequencies(440).DurationOnDuration(time.Second).DurationOffDuration(250*time.Millisecond)),
		`{"module":"audio_macro","data":{"macros":[{"duration_off":250,"duration_on":1000,"frequencies":[440],"macro":"tone"}]}}`)
	tone := callflow.ToneMacro().Frequencies(440).DurationOnDuration(time.Microsecond)
	problems := kzrt.AsErrors(callflow.AudioMacro(callflow.TTSMacro("Hi"), tone).Validate())
	if len(problems) != 1 || problems[0].Pointer != "/data/macros/1/duration_on" {
		t.Errorf("problems: %v", problems)
	}
	if err := callflow.AudioMacro(tone.DurationOn(100)).Validate(); err != nil {
		t.Errorf("after the raw setter: %v", err)
	}
}
