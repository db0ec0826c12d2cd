package docs

// Group is a heading of the reference index: modules that do related
// jobs.
type Group struct {
	// Title is the heading ("Bridging").
	Title string
	// About says in one sentence what the modules have in common.
	About string
	// Modules lists the module names, in index order.
	Modules []string
}

// Groups is the index's table of contents. Every callflow module is in
// exactly one group; a test fails when a module is in none, so a new
// schema has to be placed here. Misc takes what fits nowhere else.
var Groups = []Group{
	{
		Title: "Bridging",
		About: "Ring endpoints and connect the call: devices, users, groups, carriers, pages, conferences.",
		Modules: []string{
			"device", "user", "group", "ring_group", "page_group", "intercom",
			"resources", "offnet", "conference", "transfer",
		},
	},
	{
		Title: "Caller ID",
		About: "Read, match, change or hide the caller's name and number.",
		Modules: []string{
			"set_cid", "prepend_cid", "check_cid", "cidlistmatch", "dynamic_cid",
			"lookupcidname", "route_to_cid", "privacy", "nomorobo",
		},
	},
	{
		Title: "Features",
		About: "Star-code style features: hot desking, pickup, call forwarding, do not disturb, parking, presence.",
		Modules: []string{
			"hotdesk", "intercept", "intercept_feature", "eavesdrop", "eavesdrop_feature",
			"group_pickup", "group_pickup_feature", "call_forward", "do_not_disturb",
			"call_waiting", "park", "disa", "directory", "camping_feature",
			"conference_feature", "ring_group_toggle", "manual_presence", "move",
		},
	},
	{
		Title: "Media",
		About: "Play, speak, record and collect audio and DTMF; voicemail and fax.",
		Modules: []string{
			"play", "tts", "audio_macro", "record_call", "record_caller", "collect_dtmf",
			"send_dtmf", "flush_dtmf", "menu", "voicemail", "faxbox", "receive_fax",
			"fax_detect", "dead_air",
		},
	},
	{
		Title: "Routing",
		About: "Decide where the call goes next, hand it to another callflow or ask a web server, and control the call's life.",
		Modules: []string{
			"temporal_route", "branch_bnumber", "branch_variable", "callflow", "pivot",
			"webhook", "language", "after_bridge", "answer", "hangup", "response",
			"sleep", "wait_for_hangup",
		},
	},
	{
		Title: miscGroup,
		About: "Call center (ACDC), variables, notifications and everything else.",
		Modules: []string{
			"acdc_agent", "acdc_member", "acdc_queue", "acdc_wait_time",
			"set", "set_variable", "set_variables", "set_alert_info",
			"notification", "missed_call_alert", "edr", "function", "noop", "skel",
		},
	},
}

// miscGroup is the title of the group that takes what fits nowhere else.
const miscGroup = "Misc"

// groupOf maps each grouped module to its group's title.
func groupOf() map[string]string {
	out := map[string]string{}
	for _, g := range Groups {
		for _, m := range g.Modules {
			out[m] = g.Title
		}
	}
	return out
}
