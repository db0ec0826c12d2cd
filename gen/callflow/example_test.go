package callflow_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// show validates a node as Kazoo would, then prints its JSON.
func show(node callflow.Builder) {
	if err := node.Node().Validate(); err != nil {
		fmt.Println("invalid:", err)
	}
	b, err := json.Marshal(node)
	if err != nil {
		fmt.Println("marshal:", err)
		return
	}
	fmt.Println(string(b))
}

// showIndent is show with indented JSON, for trees.
func showIndent(node callflow.Builder) {
	if err := node.Node().Validate(); err != nil {
		fmt.Println("invalid:", err)
	}
	b, err := json.MarshalIndent(node, "", "  ")
	if err != nil {
		fmt.Println("marshal:", err)
		return
	}
	fmt.Println(string(b))
}

// Say hi with text-to-speech. The text is the constructor's argument
// because the schema requires it; the rest are optional setters.
func ExampleTTS() {
	show(callflow.TTS("Hi! Thanks for calling Acme.").
		Voice("female").
		Language("en-us").
		Engine(callflow.TTSEngineFlite))
	// Output:
	// {"module":"tts","data":{"engine":"flite","language":"en-us","text":"Hi! Thanks for calling Acme.","voice":"female"}}
}

// Play an MP3 from a URL: play's id takes a media document id or a URL.
func ExamplePlay() {
	show(callflow.Play().
		ID("https://media.example.com/greetings/welcome.mp3").
		Answer(true).
		Terminators("#"))
	// Output:
	// {"module":"play","data":{"answer":true,"id":"https://media.example.com/greetings/welcome.mp3","terminators":["#"]}}
}

// Ring a user's devices for 20 seconds, not the device that is calling.
// A busy user gets a message; any other failure falls through to the
// user's voicemail box. Kazoo tries the child named after the hangup cause
// first, then the one named after the SIP code, then "_".
func ExampleUser() {
	showIndent(callflow.User().
		ID("6f0c1d5a8b2e4c7d9e3f1a2b3c4d5e6f").
		TimeoutDuration(20*time.Second).
		CanCallSelf(false).
		OnCause(callflow.Busy, callflow.TTS("Alice is on the phone.").Then(callflow.Hangup())).
		Then(callflow.Voicemail().ID("b1c2d3e4f5a60718293a4b5c6d7e8f90")))
	// Output:
	// {
	//   "module": "user",
	//   "data": {
	//     "can_call_self": false,
	//     "id": "6f0c1d5a8b2e4c7d9e3f1a2b3c4d5e6f",
	//     "timeout": 20
	//   },
	//   "children": {
	//     "USER_BUSY": {
	//       "module": "tts",
	//       "data": {
	//         "text": "Alice is on the phone."
	//       },
	//       "children": {
	//         "_": {
	//           "module": "hangup",
	//           "data": {}
	//         }
	//       }
	//     },
	//     "_": {
	//       "module": "voicemail",
	//       "data": {
	//         "id": "b1c2d3e4f5a60718293a4b5c6d7e8f90"
	//       }
	//     }
	//   }
	// }
}

// A field Kazoo counts in milliseconds or seconds has a setter taking a
// time.Duration beside the one taking the number. A duration the field
// cannot hold is not rounded: Validate reports it.
func ExampleCollectDTMFBuilder_TimeoutDuration() {
	show(callflow.CollectDTMF().TimeoutDuration(5 * time.Second).InterdigitTimeoutDuration(1500 * time.Millisecond))
	show(callflow.User().ID("6f0c1d5a8b2e4c7d9e3f1a2b3c4d5e6f").TimeoutDuration(2500 * time.Millisecond))
	// Output:
	// {"module":"collect_dtmf","data":{"interdigit_timeout":1500,"timeout":5000}}
	// invalid: /data/timeout: 2.5s is not a whole number of seconds, the unit Kazoo counts this in
	// {"module":"user","data":{"id":"6f0c1d5a8b2e4c7d9e3f1a2b3c4d5e6f"}}
}

// Send callers on a list to one place and everyone else to another:
// check_cid continues to "match" or "nomatch".
func ExampleCheckCID() {
	show(callflow.CheckCID().
		Regex(`^\+1415`).
		OnMatch(callflow.Hangup()).
		OnNoMatch(callflow.User().ID("6f0c1d5a8b2e4c7d9e3f1a2b3c4d5e6f")))
	// Output:
	// {"module":"check_cid","data":{"regex":"^\\+1415"},"children":{"match":{"module":"hangup","data":{}},"nomatch":{"module":"user","data":{"id":"6f0c1d5a8b2e4c7d9e3f1a2b3c4d5e6f"}}}}
}

// Ring a user at once, and a desk phone and a group after 5 seconds; the
// members are built with UserEndpoint, DeviceEndpoint and GroupEndpoint,
// which page groups take too.
func ExampleRingGroup() {
	show(callflow.RingGroup(
		callflow.UserEndpoint("6f0c1d5a8b2e4c7d9e3f1a2b3c4d5e6f").TimeoutDuration(30*time.Second),
		callflow.DeviceEndpoint("3c2b1a09f8e7d6c5b4a3928170615243").DelayDuration(5*time.Second),
		callflow.GroupEndpoint("9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b").Delay(5),
	).Strategy(callflow.RingGroupStrategySimultaneous).
		OnCause(callflow.NoAnswer, callflow.Voicemail().ID("b1c2d3e4f5a60718293a4b5c6d7e8f90")))
	// Output:
	// {"module":"ring_group","data":{"endpoints":[{"endpoint_type":"user","id":"6f0c1d5a8b2e4c7d9e3f1a2b3c4d5e6f","timeout":30},{"delay":5,"endpoint_type":"device","id":"3c2b1a09f8e7d6c5b4a3928170615243"},{"delay":5,"endpoint_type":"group","id":"9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b"}],"strategy":"simultaneous"},"children":{"NO_ANSWER":{"module":"voicemail","data":{"id":"b1c2d3e4f5a60718293a4b5c6d7e8f90"}}}}
}

// Lint finds the children Kazoo never takes; Kazoo accepts any key, so
// Validate does not.
func ExampleLint() {
	flow := callflow.CheckCID().
		Branch("matched", callflow.Hangup()).
		OnNoMatch(callflow.User().ID("6f0c1d5a8b2e4c7d9e3f1a2b3c4d5e6f").
			Branch("486", callflow.Voicemail().ID("b1c2d3e4f5a60718293a4b5c6d7e8f90")))
	fmt.Println("Validate:", flow.Validate())
	for _, w := range callflow.Lint(flow) {
		fmt.Println(w)
	}
	// Output:
	// Validate: <nil>
	// /children/matched: check_cid never takes this child; it reads "match", "nomatch", caller-ID numbers (with use_absolute_mode) and "_"; did you mean "match"?
	// /children/nomatch/children/486: user never takes this child; it reads hangup causes in upper case such as USER_BUSY, SIP codes such as sip:486 and "_"; did you mean "sip:486"?
}

// Bridge to a carrier. use_local_resources false routes through the
// system-wide (global) carriers, true through the account's own; to_did
// dials a fixed number instead of the one the caller dialed.
func ExampleResources() {
	// Global carriers.
	show(callflow.Resources().UseLocalResources(false))
	// The account's local carriers, with caller ID and a ring timeout.
	show(callflow.Resources().
		UseLocalResources(true).
		CallerIDType("external").
		Timeout(60))
	// Always dial the same number.
	show(callflow.Resources().
		ToDID("+14155550123").
		UseLocalResources(false))
	// Output:
	// {"module":"resources","data":{"use_local_resources":false}}
	// {"module":"resources","data":{"caller_id_type":"external","timeout":60,"use_local_resources":true}}
	// {"module":"resources","data":{"to_did":"+14155550123","use_local_resources":false}}
}

// What a pivot server answers to collect digits and be asked again: a
// prompt, then collect_dtmf into a named collection, then a new pivot
// node. The digits reach the server as Digits[account_number].
func ExampleCollectDTMF() {
	showIndent(callflow.TTS("Please enter your account number, then press pound.").
		Then(callflow.CollectDTMF().
			CollectionName("account_number").
			MaxDigits(8).
			Terminators(callflow.CollectDTMFTerminatorHash).
			Then(callflow.Pivot("https://ivr.example.com/kazoo/account").
				Method(callflow.PivotMethodPost).
				ReqBodyFormat(callflow.PivotReqBodyFormatJSON).
				ReqFormat(callflow.PivotReqFormatKazoo))))
	// Output:
	// {
	//   "module": "tts",
	//   "data": {
	//     "text": "Please enter your account number, then press pound."
	//   },
	//   "children": {
	//     "_": {
	//       "module": "collect_dtmf",
	//       "data": {
	//         "collection_name": "account_number",
	//         "max_digits": 8,
	//         "terminators": [
	//           "#"
	//         ]
	//       },
	//       "children": {
	//         "_": {
	//           "module": "pivot",
	//           "data": {
	//             "method": "post",
	//             "req_body_format": "json",
	//             "req_format": "kazoo",
	//             "voice_url": "https://ivr.example.com/kazoo/account"
	//           }
	//         }
	//       }
	//     }
	//   }
	// }
}

// Set a presence (BLF) lamp by hand: idle, ringing or busy.
func ExampleManualPresence() {
	for _, status := range []callflow.ManualPresenceStatus{
		callflow.ManualPresenceStatusIdle,
		callflow.ManualPresenceStatusRinging,
		callflow.ManualPresenceStatusBusy,
	} {
		show(callflow.ManualPresence("1001@realm").Status(status))
	}
	// Output:
	// {"module":"manual_presence","data":{"presence_id":"1001@realm","status":"idle"}}
	// {"module":"manual_presence","data":{"presence_id":"1001@realm","status":"ringing"}}
	// {"module":"manual_presence","data":{"presence_id":"1001@realm","status":"busy"}}
}

// A menu whose digits lead to different places. Without a "timeout" or
// "max_retries" child, the menu plays again until its retries are used up,
// then continues to "_".
func ExampleMenu() {
	showIndent(callflow.Menu().
		ID("7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d").
		OnDigits("1", callflow.User().ID("6f0c1d5a8b2e4c7d9e3f1a2b3c4d5e6f")).
		OnDigits("2", callflow.Voicemail().ID("b1c2d3e4f5a60718293a4b5c6d7e8f90")).
		OnDigits("0", callflow.RingGroup(callflow.GroupEndpoint("9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b"))).
		Then(callflow.TTS("Goodbye.").Then(callflow.Hangup())))
	// Output:
	// {
	//   "module": "menu",
	//   "data": {
	//     "id": "7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d"
	//   },
	//   "children": {
	//     "0": {
	//       "module": "ring_group",
	//       "data": {
	//         "endpoints": [
	//           {
	//             "endpoint_type": "group",
	//             "id": "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b"
	//           }
	//         ]
	//       }
	//     },
	//     "1": {
	//       "module": "user",
	//       "data": {
	//         "id": "6f0c1d5a8b2e4c7d9e3f1a2b3c4d5e6f"
	//       }
	//     },
	//     "2": {
	//       "module": "voicemail",
	//       "data": {
	//         "id": "b1c2d3e4f5a60718293a4b5c6d7e8f90"
	//       }
	//     },
	//     "_": {
	//       "module": "tts",
	//       "data": {
	//         "text": "Goodbye."
	//       },
	//       "children": {
	//         "_": {
	//           "module": "hangup",
	//           "data": {}
	//         }
	//       }
	//     }
	//   }
	// }
}

// Parse a pivot server's answer and validate it as Kazoo would: every
// problem comes with the JSON pointer of the offending value. Then fix it
// through the typed data and validate again.
func ExampleParse() {
	answer := []byte(`{
		"module": "pivot",
		"data": {"voice_url": "https://ivr.example.com/next", "req_timeout_ms": 8000},
		"children": {"_": {"module": "tts", "data": {"text": ""}}}
	}`)
	tree, err := callflow.Parse(answer)
	if err != nil {
		fmt.Println("parse:", err)
		return
	}
	for _, e := range kzrt.AsErrors(tree.Validate()) {
		fmt.Printf("%s: %s\n", e.Pointer, e.Message)
	}

	root := tree.Root()
	root.Data.(*callflow.PivotData).ReqTimeoutMS = new(int64(3000))
	root.Next("_").Data.(*callflow.TTSData).Text = new("One moment, please.")
	if err := tree.Validate(); err != nil {
		fmt.Println("still invalid:", err)
		return
	}
	b, _ := json.Marshal(tree)
	fmt.Println(string(b))
	// Output:
	// /data/req_timeout_ms: 8000 is greater than the maximum 5000
	// /children/_/data/text: length 0, minimum 1
	// {"module":"pivot","data":{"req_timeout_ms":3000,"voice_url":"https://ivr.example.com/next"},"children":{"_":{"module":"tts","data":{"text":"One moment, please."}}}}
}
