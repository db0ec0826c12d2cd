package docs

import "github.com/kzgen/kzgen/gen/callflow"

// Branching is a hand-written example of a module whose children matter:
// a small tree built with gen/callflow's builders. Its page shows the JSON
// and a Mermaid diagram of it.
type Branching struct {
	// About says what the tree does, in one or two sentences.
	About string
	// Build builds the tree.
	Build func() *callflow.Node
}

// Sample document ids for the branching examples: 32 hex digits, as Kazoo's.
const (
	salesUserID     = "5d0a0cd1c0b1e5e2b3a4f6a7b8c9d0e1"
	supportGroupID  = "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d"
	operatorDevice  = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	mainMenuID      = "3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f"
	voicemailBoxID  = "7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b"
	openHoursRuleID = "b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6"
	holidayRuleID   = "c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7"
	closedMediaID   = "d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8"
)

// BranchingExamples are the modules whose pages show a tree as well as
// the minimal example: the modules that choose a child by key (menu digits,
// rule ids, "match"/"nomatch", variable values) and two that are usually
// followed by a fallback.
var BranchingExamples = map[string]Branching{
	"menu": {
		About: `Digits 1 and 2 lead to sales and support, 0 to the operator's phone; ` +
			`the default child "_" (drawn as "next") takes any other outcome, here voicemail.`,
		Build: func() *callflow.Node {
			return callflow.Menu().ID(mainMenuID).
				Branch("1", callflow.User().ID(salesUserID)).
				Branch("2", callflow.RingGroup(
					callflow.RingGroupEndpointsItem{
						EndpointType: new(callflow.RingGroupEndpointsItemEndpointTypeGroup),
						ID:           new(supportGroupID),
					},
				)).
				Branch("0", callflow.Device().ID(operatorDevice)).
				Then(callflow.Voicemail().ID(voicemailBoxID)).
				Node()
		},
	},
	"temporal_route": {
		About: `Children are keyed by the id of the time-of-day rule that matches; ` +
			`"_" runs when none does.`,
		Build: func() *callflow.Node {
			return callflow.TemporalRoute().Rules(openHoursRuleID, holidayRuleID).
				Branch(openHoursRuleID, callflow.Menu().ID(mainMenuID)).
				Branch(holidayRuleID, callflow.TTS("We are closed for the holiday.")).
				Then(callflow.Play().ID(closedMediaID).Then(callflow.Voicemail().ID(voicemailBoxID))).
				Node()
		},
	},
	"check_cid": {
		About: `Callers whose number matches the regex take the "match" child, the others "nomatch".`,
		Build: func() *callflow.Node {
			return callflow.CheckCID().Regex(`^\+1415`).
				Branch("match", callflow.User().ID(salesUserID)).
				Branch("nomatch", callflow.Menu().ID(mainMenuID)).
				Node()
		},
	},
	"branch_variable": {
		About: `The child is chosen by the value of the variable; "_" takes any other value.`,
		Build: func() *callflow.Node {
			return callflow.BranchVariable().Variable("department").
				Branch("sales", callflow.User().ID(salesUserID)).
				Branch("support", callflow.Device().ID(operatorDevice)).
				Then(callflow.Voicemail().ID(voicemailBoxID)).
				Node()
		},
	},
	"collect_dtmf": {
		About: `Collect up to six digits into the collection "account", then ask a Pivot server ` +
			`what to do with them; the digits reach it in the request's Digits parameter.`,
		Build: func() *callflow.Node {
			return callflow.TTS("Please enter your account number.").
				Then(callflow.CollectDTMF().CollectionName("account").MaxDigits(6).
					Then(callflow.Pivot("https://example.com/pivot/account"))).
				Node()
		},
	},
	"pivot": {
		About: `If the request fails (an error status such as 404 or 500, say), Kazoo continues ` +
			`with the pivot node's "_" child; a valid answer replaces the rest of the callflow instead.`,
		Build: func() *callflow.Node {
			return callflow.Pivot("https://example.com/pivot").
				Then(callflow.TTS("Sorry, please try again later.")).
				Node()
		},
	},
	"user": {
		About: `Ring a user; when nobody answers, continue with the "_" child: the user's voicemail box.`,
		Build: func() *callflow.Node {
			return callflow.User().ID(salesUserID).Timeout(20).
				Then(callflow.Voicemail().ID(voicemailBoxID)).
				Node()
		},
	},
}
