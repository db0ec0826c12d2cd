package simulate

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/crossbar"
	"github.com/kzgen/kzgen/runtime/wire"
)

// handoffModules take the call over and do not come back to the flow in a
// way the walk can follow: the caller is in voicemail, a conference, a
// queue, a feature-code dialogue, another stored callflow… The walk ends
// there, as a completed call.
var handoffModules = map[string]string{
	"acdc_agent":           "the ACDc agent feature",
	"acdc_member":          "an ACDc queue",
	"acdc_queue":           "the ACDc queue feature",
	"call_forward":         "the call-forward feature",
	"call_waiting":         "the call-waiting feature",
	"callflow":             "another stored callflow",
	"camping_feature":      "the camping feature",
	"conference":           "a conference",
	"conference_feature":   "the conference feature",
	"dead_air":             "dead air until the caller hangs up",
	"directory":            "the company directory",
	"disa":                 "DISA (dial-out after a PIN)",
	"do_not_disturb":       "the do-not-disturb feature",
	"dynamic_cid":          "the dynamic caller-ID feature, which dials on",
	"eavesdrop":            "eavesdropping on another call",
	"eavesdrop_feature":    "the eavesdrop feature",
	"faxbox":               "a fax box",
	"group_pickup":         "the pickup of a ringing call",
	"group_pickup_feature": "the group pickup feature",
	"hotdesk":              "the hotdesk feature",
	"intercept":            "the interception of a ringing call",
	"intercept_feature":    "the intercept feature",
	"move":                 "a move of the call to another device",
	"park":                 "call parking",
	"privacy":              "the callflow of the number dialled after the privacy prefix",
	"receive_fax":          "fax reception",
	"ring_group_toggle":    "the ring-group toggle feature",
	"transfer":             "a transfer",
	"voicemail":            "voicemail",
	"wait_for_hangup":      "a wait for the caller to hang up",
}

// execute runs one node and says where the call goes next.
func (w *walker) execute(ctx context.Context, n *callflow.Node, path string) (step, error) {
	ev := Event{Kind: KindNode, Flow: w.flow, Path: path, Module: n.Module}
	if s, ok := n.Data.(interface{ GetSkipModule() bool }); ok && s.GetSkipModule() {
		ev.Text = "skipped (skip_module is true)"
		st := cont(n, callflow.DefaultChild, &ev)
		w.emit(ev)
		return st, nil
	}
	if d, ok := n.Data.(*callflow.PivotData); ok {
		return w.pivotNode(ctx, n, d, ev)
	}
	st := w.module(n, &ev)
	w.emit(ev)
	return st, nil
}

// module runs every module but pivot, describing it on ev.
func (w *walker) module(n *callflow.Node, ev *Event) step {
	switch d := n.Data.(type) {
	case *callflow.TTSData:
		ev.Text = fmt.Sprintf("says %q (%s)", d.GetText(), joinNonEmpty(
			"voice "+d.GetVoice(), prefixed("language ", d.GetLanguage()), prefixed("engine ", string(d.GetEngine())),
			when(d.GetEndlessPlayback(), "repeating until a key is pressed")))
	case *callflow.PlayData:
		ev.Text = "plays " + media(d.GetID())
		if d.GetEndlessPlayback() {
			ev.Text += ", repeating until a key is pressed"
		} else if c := d.GetLoopCount(); c > 1 {
			ev.Text += fmt.Sprintf(" %d times", c)
		}
	case *callflow.AnswerData:
		ev.Text = "answers the call"
	case *callflow.NoopData:
		ev.Text = "does nothing"
	case *callflow.SleepData:
		ev.Text = fmt.Sprintf("waits %d %s", d.GetDuration(), d.GetUnit())
	case *callflow.SendDTMFData:
		ev.Text = fmt.Sprintf("sends DTMF %q", d.GetDigits())
	case *callflow.HangupData:
		ev.Text = "hangs up"
		return step{end: &ending{OutcomeHangup, "call completed: hung up by a hangup node"}}
	case *callflow.ResponseData:
		ev.Text = fmt.Sprintf("answers the SIP call with %s", strings.TrimSpace(fmt.Sprintf("%d %s", d.GetCode(), d.GetMessage())))
		if m := d.GetMedia(); m != "" {
			ev.Text += ", playing " + media(m)
		}
		return step{end: &ending{OutcomeHangup, "call completed: ended with a SIP response by a response node"}}
	case *callflow.ManualPresenceData:
		ev.Text = fmt.Sprintf("sets %s to %s", d.GetPresenceID(), d.GetStatus())
	case *callflow.SetCIDData:
		return w.setCID(n, d, ev)
	case *callflow.PrependCIDData:
		return w.prependCID(n, d, ev)
	case *callflow.SetAlertInfoData:
		ev.Text = fmt.Sprintf("sets Alert-Info to %q for the calls it places", deref(d.AlertInfo))
	case *callflow.LanguageData:
		ev.Text = fmt.Sprintf("sets the call's language to %q", deref(d.Language))
		w.call.Language = deref(d.Language)
		ev.note("later Pivot requests send it as Language (kazoo naming)")
	case *callflow.SetVariableData:
		ev.Text = fmt.Sprintf("sets variable %s = %q", deref(d.Variable), deref(d.Value))
		w.call.vars[deref(d.Variable)] = deref(d.Value)
	case *callflow.SetVariablesData:
		return w.setVariables(n, d, ev)
	case *callflow.FlushDTMFData:
		name := d.GetCollectionName()
		if name == "" {
			name = "default"
		}
		ev.Text = fmt.Sprintf("clears the DTMF collection %q", name)
		delete(w.call.dtmf, name)
	case *callflow.RecordCallData:
		ev.Text = "starts recording the call"
		if d.GetAction() == callflow.RecordCallActionStop {
			ev.Text = "stops recording the call"
		} else if d.URL != nil {
			ev.Text += ", storing it at " + *d.URL
		}
	case *callflow.WebhookData:
		ev.Text = fmt.Sprintf("sends a webhook to %s", deref(d.URI))
		ev.note("the webhook is not sent by kzgen simulate")
	case *callflow.CollectDTMFData:
		return w.collectDTMF(n, d, ev)
	case *callflow.MenuData:
		return w.menu(n, d, ev)
	case *callflow.CheckCIDData:
		return w.checkCID(n, d, ev)
	case *callflow.CIDListMatchData:
		ev.Text = fmt.Sprintf("checks the caller ID against list %s", deref(d.ID))
		ev.note("the list is a stored document, not available offline: kzgen assumes no match")
		return cont(n, "nomatch", ev)
	case *callflow.FaxDetectData:
		ev.Text = "listens for fax tones: none (the simulated caller is a voice call)"
		return cont(n, "ON_VOICE", ev)
	case *callflow.TemporalRouteData:
		return w.temporalRoute(n, d, ev)
	case *callflow.BranchVariableData:
		return w.branchVariable(n, d, ev)
	case *callflow.BranchBnumberData:
		ev.Text = "branches on the dialled number's capture group"
		ev.note("the capture group comes from Kazoo's number matching, not simulated: taking \"_\"")
	case *callflow.NomoroboData:
		ev.Text = "looks up the caller's Nomorobo spam score"
		ev.note("the score is not available offline: taking \"_\"")
	case *callflow.ACDCWaitTimeData:
		ev.Text = fmt.Sprintf("checks the wait time of queue %s", deref(d.ID))
		ev.note("the wait time is not available offline: taking \"_\"")
	case *callflow.UserData:
		return w.bridge(n, ev, fmt.Sprintf("rings user %s (%d s, %s)", d.GetID(), d.GetTimeout(), d.GetStrategy()), false, 0)
	case *callflow.DeviceData:
		return w.bridge(n, ev, fmt.Sprintf("rings device %s%s", d.GetID(), seconds(d.Timeout)), false, 0)
	case *callflow.GroupData:
		what := fmt.Sprintf("rings group %s (%s)", d.GetID(), d.GetStrategy())
		if len(d.Endpoints) > 0 {
			what = fmt.Sprintf("rings group %s, endpoints %s (%s)", d.GetID(), list(d.Endpoints), d.GetStrategy())
		}
		return w.bridge(n, ev, what, false, d.GetRepeats())
	case *callflow.RingGroupData:
		ids := make([]string, len(d.Endpoints))
		for i := range d.Endpoints {
			ids[i] = fmt.Sprintf("%s %s", d.Endpoints[i].GetEndpointType(), d.Endpoints[i].GetID())
		}
		what := fmt.Sprintf("rings %d %s: %s (%s, %d s)", len(ids), plural(len(ids), "endpoint", "endpoints"), list(ids), d.GetStrategy(), d.GetTimeout())
		return w.bridge(n, ev, what, false, d.GetRepeats())
	case *callflow.PageGroupData:
		return w.bridge(n, ev, fmt.Sprintf("pages %d %s (%s audio)", len(d.Endpoints), plural(len(d.Endpoints), "endpoint", "endpoints"), d.GetAudio()), false, 0)
	case *callflow.RouteToCIDData:
		return w.bridge(n, ev, fmt.Sprintf("rings the endpoints of caller ID %s", w.call.CallerIDNumber), false, 0)
	case *callflow.IntercomData:
		return w.bridge(n, ev, "calls the dialled extension as an intercom (auto-answer)", false, 0)
	case *callflow.VoicemailData:
		ev.Text = fmt.Sprintf("takes a message for voicemail box %s", d.GetID())
		if d.GetAction() == callflow.VoicemailActionCheck {
			ev.Text = fmt.Sprintf("lets the caller check voicemail box %s", d.GetID())
		}
		return w.handoff(n, ev, "voicemail")
	case *callflow.ConferenceData:
		ev.Text = "puts the caller into a conference"
		if id := d.GetID(); id != "" {
			ev.Text = "puts the caller into conference " + id
		}
		if d.GetModerator() {
			ev.Text += " as moderator"
		}
		return w.handoff(n, ev, "a conference")
	case *callflow.CallflowData:
		ev.Text = "branches to stored callflow " + deref(d.ID)
		ev.note("stored callflows are not available offline")
		return w.handoff(n, ev, "another stored callflow")
	case *callflow.TransferData:
		ev.Text = "transfers the call to " + deref(d.Target)
		return w.handoff(n, ev, "a transfer")
	case *callflow.ResourcesData:
		return w.bridge(n, ev, w.dialOut(d.ToDID, d.GetUseLocalResources(), d.GetHuntAccountID()), true, 0)
	case *callflow.OffnetData:
		return w.bridge(n, ev, w.dialOut(d.ToDID, d.GetUseLocalResources(), d.GetHuntAccountID()), true, 0)
	default:
		ev.Text = generic(n.Data)
		if what, ok := handoffModules[n.Module]; ok {
			return w.handoff(n, ev, what)
		}
	}
	return cont(n, callflow.DefaultChild, ev)
}

// handoff ends the walk at a module that takes the call over.
func (w *walker) handoff(n *callflow.Node, ev *Event, what string) step {
	ev.note("Kazoo hands the call to %s; the walk ends here", what)
	if len(n.Children) > 0 {
		ev.note("the node's children are not followed")
	}
	return step{end: &ending{OutcomeHandoff, "call completed: handed over to " + what}}
}

// pivotNode makes the follow-up request of a pivot node met in a flow.
func (w *walker) pivotNode(ctx context.Context, n *callflow.Node, d *callflow.PivotData, ev Event) (step, error) {
	r := request{url: d.GetVoiceURL(), method: http.MethodGet, body: wire.BodyForm, format: wire.FormatTwiML, timeout: DefaultTimeout, cdrURL: d.GetCDRURL()}
	if d.Method != nil {
		r.method = strings.ToUpper(string(*d.Method))
		if r.method != http.MethodGet && r.method != http.MethodPost {
			ev.note("method %q is not get or post: Kazoo falls back to POST", *d.Method)
			r.method = http.MethodPost
		}
	}
	if d.GetReqBodyFormat() == callflow.PivotReqBodyFormatJSON {
		r.body = wire.BodyJSON
	}
	if d.ReqFormat == nil {
		ev.note("req_format is not set: cf_pivot sends no Request-Format and pivot_call falls back to twiml parameter names (the schema's default \"kazoo\" applies only if stored with the flow); set req_format to be sure")
	} else if *d.ReqFormat == callflow.PivotReqFormatKazoo {
		r.format = wire.FormatKazoo
	}
	if d.ReqTimeoutMS != nil {
		if ms := *d.ReqTimeoutMS; ms > 0 {
			r.timeout = time.Duration(ms) * time.Millisecond
		} else {
			ev.note("req_timeout_ms %d is not positive: using the default 5000 ms", ms)
		}
	}
	desc := r.method
	if r.method == http.MethodPost {
		desc += " " + r.body.String()
	}
	ev.Text = fmt.Sprintf("asks %s (%s, %s names, timeout %d ms)", r.url, desc, r.format, r.timeout.Milliseconds())
	if blacklisted(r.url) {
		ev.note("Kazoo's default voice_url blacklist (127.0.0.1/32, 0.0.0.0/32) would reject this URL when validating the flow; kzgen simulate allows it for local testing")
	}
	if err := CheckURL(r.url); err != nil {
		// Validation has already rejected such a flow; keep going safely.
		ev.note("%v", err)
	}
	w.emit(ev)

	x, err := w.exchange(ctx, r, n)
	switch {
	case err != nil:
		return step{}, err
	case x.end != nil:
		return step{end: x.end}, nil
	case x.flow != nil:
		return step{flow: x.flow}, nil
	}
	if c := child(n, callflow.DefaultChild); c != nil {
		return step{next: c, key: callflow.DefaultChild}, nil
	}
	return step{end: &ending{OutcomeFailed, fmt.Sprintf("call failed: %s, and the pivot node has no \"_\" child", x.why)}}, nil
}

// blacklisted reports whether a voice_url's host is on Kazoo's default
// blacklist (the scheme is CheckURL's concern).
func blacklisted(u string) bool {
	return CheckURL(u) == nil && crossbar.DefaultURLBlacklist.Check(u) != nil
}

// bridge reports a bridge attempt and follows the configured outcome.
// endsOnFailure is true for resources and offnet, which end the call when
// no child handles the failure; the endpoint modules continue with "_".
// repeat is how many times a group rings before giving up (0 or 1: once).
func (w *walker) bridge(n *callflow.Node, ev *Event, what string, endsOnFailure bool, repeat int64) step {
	ev.Text = what
	if w.cfg.Bridge == BridgeAnswered {
		ev.Text += ": answered, call bridged"
		return step{end: &ending{OutcomeBridged, "call completed: bridged by " + n.Module + "; the flow ends when the bridged call does"}}
	}
	cause, code := w.cfg.Bridge.failure()
	ev.Text += fmt.Sprintf(": %s (%s, %s)", strings.ReplaceAll(w.cfg.Bridge.String(), "-", " "), cause, code)
	if repeat > 1 {
		ev.note("rings %d times (repeats), with the same outcome each time", repeat)
	}
	for _, key := range []string{cause, code} {
		if st, ok := attempt(n, key); ok {
			ev.Branch = key
			ev.note("cf_util:handle_bridge_failure tries %q, then %q: child %q", cause, code, key)
			return st
		}
	}
	ev.note("no %q or %q child", cause, code)
	if endsOnFailure {
		ev.note("%s plays the failure response and ends the call", n.Module)
		return step{end: &ending{OutcomeEnd, fmt.Sprintf("call completed: %s could not connect and no child handles %s", n.Module, cause)}}
	}
	return cont(n, callflow.DefaultChild, ev)
}

// dialOut describes a resources or offnet node's outbound call.
func (w *walker) dialOut(toDID *string, local bool, huntAccount string) string {
	number := w.call.To
	if toDID != nil {
		number = *toDID
	}
	via := "global carriers"
	if local {
		via = "the account's local carriers"
		if huntAccount != "" {
			via = fmt.Sprintf("account %s's local carriers", huntAccount)
		}
	}
	return fmt.Sprintf("dials %s via %s", number, via)
}

// setCID changes the caller ID that later requests send.
func (w *walker) setCID(n *callflow.Node, d *callflow.SetCIDData, ev *Event) step {
	if d.CallerIDName != nil {
		w.call.CallerIDName = *d.CallerIDName
	}
	if d.CallerIDNumber != nil {
		w.call.CallerIDNumber = *d.CallerIDNumber
	}
	ev.Text = fmt.Sprintf("sets the caller ID to %q <%s>", w.call.CallerIDName, w.call.CallerIDNumber)
	ev.note("later Pivot requests carry the new caller ID")
	return cont(n, callflow.DefaultChild, ev)
}

// prependCID adds prefixes to the caller ID, or resets it.
func (w *walker) prependCID(n *callflow.Node, d *callflow.PrependCIDData, ev *Event) step {
	if d.Action != nil && *d.Action == "reset" {
		w.call.CallerIDName, w.call.CallerIDNumber = w.call.origName, w.call.origNumber
		ev.Text = fmt.Sprintf("resets the caller ID to %q <%s>", w.call.CallerIDName, w.call.CallerIDNumber)
	} else {
		w.call.CallerIDName = deref(d.CallerIDNamePrefix) + w.call.CallerIDName
		w.call.CallerIDNumber = deref(d.CallerIDNumberPrefix) + w.call.CallerIDNumber
		ev.Text = fmt.Sprintf("prepends to the caller ID: now %q <%s>", w.call.CallerIDName, w.call.CallerIDNumber)
	}
	ev.note("later Pivot requests carry the new caller ID")
	return cont(n, callflow.DefaultChild, ev)
}

// setVariables stores custom application variables, sent in later
// requests as Custom-Application-Vars.
func (w *walker) setVariables(n *callflow.Node, d *callflow.SetVariablesData, ev *Event) step {
	keys := make([]string, 0, len(d.CustomApplicationVars))
	for k := range d.CustomApplicationVars {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		v := jsonText(d.CustomApplicationVars[k])
		if w.call.cavs == nil {
			w.call.cavs = map[string]string{}
		}
		w.call.cavs[k] = v
		parts = append(parts, fmt.Sprintf("%s=%q", k, v))
	}
	ev.Text = "sets custom application variables " + strings.Join(parts, ", ")
	ev.note("later Pivot requests send them as Custom-Application-Vars (kazoo naming)")
	return cont(n, callflow.DefaultChild, ev)
}

// collectDTMF is cf_collect_dtmf: digits up to a terminator, at most
// max_digits, into a named collection; then always "_".
func (w *walker) collectDTMF(n *callflow.Node, d *callflow.CollectDTMFData, ev *Event) step {
	name := d.GetCollectionName()
	if name == "" {
		name = "default"
	}
	maxDigits := int(d.GetMaxDigits())
	if maxDigits < 1 {
		maxDigits = 1
	}
	terms := "#"
	switch {
	case d.Terminator != nil:
		terms = string(*d.Terminator)
	case d.Terminators != nil:
		terms = ""
		for _, t := range d.Terminators {
			terms += string(t)
		}
	}

	// cf_collect_dtmf takes over what the "default" collection holds
	// (early DTMF) and clears it.
	already := w.call.dtmf["default"]
	delete(w.call.dtmf, "default")
	if i := strings.IndexAny(already, terms); i >= 0 {
		already = already[:i]
	}
	if already != "" {
		ev.note("the \"default\" collection held %q: cf_collect_dtmf moves it into %q and clears \"default\"", already, name)
	}

	collected := already
	if len(already) >= maxDigits {
		collected = already[:maxDigits]
		ev.note("those digits already fill max_digits %d: no prompt", maxDigits)
	} else {
		want := maxDigits - len(already)
		entry, ok := w.nextEntry(fmt.Sprintf("collect_dtmf into %q: up to %d %s, ended by %s", name, want, plural(want, "digit", "digits"), listChars(terms)))
		switch {
		case !ok || entry == "":
			ev.note("no entry: the collection times out after %d ms", d.GetTimeout())
		default:
			got, rest := cutEntry(entry, terms, want)
			collected += got
			if rest != "" {
				ev.note("keys %q after the entry are ignored (terminator or max_digits %d reached)", rest, maxDigits)
			}
		}
	}
	w.call.dtmf[name] = collected
	if collected == "" {
		ev.Text = fmt.Sprintf("collects nothing into %q", name)
	} else {
		ev.Text = fmt.Sprintf("collects %q into %q", collected, name)
	}
	ev.note("later Pivot requests send it as Digits[%s]", name)
	return cont(n, callflow.DefaultChild, ev)
}

// Kazoo's menu defaults (cf_menu's record), used because the menu document
// a menu node names is not available offline.
const (
	menuRetries   = 3
	menuMaxLength = 4
)

// menu is cf_menu: up to three tries; digits with a child of their own go
// there; no entry tries the "timeout" child; an invalid entry asks again;
// after the last try the "max_retries" child, else "_".
func (w *walker) menu(n *callflow.Node, d *callflow.MenuData, ev *Event) step {
	id := d.GetID()
	if !w.menuNoted {
		w.menuNoted = true
		ev.note("menu documents are not available offline: Kazoo's defaults are assumed (%d tries, up to %d digits ended by #, hunting off)", menuRetries, menuMaxLength)
	}
	for try := 1; try <= menuRetries; try++ {
		entry, ok := w.nextEntry(fmt.Sprintf("menu %q, try %d of %d: up to %d digits, ended by #", id, try, menuRetries, menuMaxLength))
		digits := ""
		if ok {
			var rest string
			digits, rest = cutEntry(entry, "#", menuMaxLength)
			if rest != "" {
				ev.note("try %d: keys %q after the entry are ignored", try, rest)
			}
		}
		if digits == "" {
			if st, ok := attempt(n, "timeout"); ok {
				ev.Text = fmt.Sprintf("menu %q: no entry (timeout) -> child \"timeout\"", id)
				ev.Branch = "timeout"
				return st
			}
			ev.note("try %d: no entry (timeout) and no \"timeout\" child: Kazoo asks again", try)
			continue
		}
		if st, ok := attempt(n, digits); ok {
			ev.Text = fmt.Sprintf("menu %q: caller presses %q -> child %q", id, digits, digits)
			ev.Branch = digits
			return st
		}
		ev.note("try %d: caller presses %q: no child %q, Kazoo plays \"invalid entry\" and asks again", try, digits, digits)
	}
	if st, ok := attempt(n, "max_retries"); ok {
		ev.Text = fmt.Sprintf("menu %q: no valid entry in %d tries -> child \"max_retries\"", id, menuRetries)
		ev.Branch = "max_retries"
		return st
	}
	ev.Text = fmt.Sprintf("menu %q: no valid entry in %d tries", id, menuRetries)
	ev.note("no \"max_retries\" child: Kazoo continues with \"_\"")
	return cont(n, callflow.DefaultChild, ev)
}

// checkCID is cf_check_cid: the caller ID number against regex; on a match
// the "match" child (or, in absolute mode, the child named after the
// number), else the "nomatch" child; failing those, "_".
func (w *walker) checkCID(n *callflow.Node, d *callflow.CheckCIDData, ev *Event) step {
	num := w.call.CallerIDNumber
	pattern := d.GetRegex()
	re, err := regexp.Compile(pattern)
	matched := false
	if err != nil {
		ev.note("regex %q is not valid in Go's RE2 syntax, so kzgen cannot evaluate it: assuming no match", pattern)
	} else {
		matched = re.MatchString(num)
	}
	if !matched {
		ev.Text = fmt.Sprintf("caller ID %q does not match /%s/", num, pattern)
		if st, ok := attempt(n, "nomatch"); ok {
			ev.Branch = "nomatch"
			ev.Text += ` -> child "nomatch"`
			return st
		}
		ev.note("no \"nomatch\" child: Kazoo continues with \"_\"")
		return cont(n, callflow.DefaultChild, ev)
	}
	key := "match"
	if d.GetUseAbsoluteMode() {
		key = num
	}
	ev.Text = fmt.Sprintf("caller ID %q matches /%s/", num, pattern)
	st, ok := attempt(n, key)
	if !ok {
		ev.note("no %q child: Kazoo continues with \"_\"", key)
		return cont(n, callflow.DefaultChild, ev)
	}
	ev.Text += fmt.Sprintf(" -> child %q", key)
	ev.Branch = key
	if cid := d.CallerID; cid != nil && cid.External != nil && cid.External.GetName() != "" && cid.External.GetNumber() != "" && d.GetUserID() != "" {
		w.call.CallerIDName, w.call.CallerIDNumber = cid.External.GetName(), cid.External.GetNumber()
		ev.note("sets the caller ID to %q <%s> and the owner to %s", w.call.CallerIDName, w.call.CallerIDNumber, d.GetUserID())
	}
	return st
}

// temporalRoute cannot evaluate stored time rules: it takes "_", the
// branch Kazoo takes when no rule matches.
func (w *walker) temporalRoute(n *callflow.Node, d *callflow.TemporalRouteData, ev *Event) step {
	if a := d.GetAction(); a != "" {
		ev.Text = fmt.Sprintf("manages temporal rules (action %s)", a)
		return w.handoff(n, ev, "the temporal route feature")
	}
	ev.Text = "checks temporal rules"
	switch {
	case len(d.Rules) > 0:
		ev.Text += " " + list(d.Rules)
	case d.RuleSet != nil:
		ev.Text += " of rule set " + *d.RuleSet
	}
	if tz := d.GetTimezone(); tz != "" {
		ev.Text += " (timezone " + tz + ")"
	}
	ev.note("temporal rules are stored documents, not available offline: kzgen assumes none matches, and Kazoo then continues with \"_\"")
	return cont(n, callflow.DefaultChild, ev)
}

// branchVariable continues with the child named after a variable's value
// when a set_variable earlier in the walk set it; otherwise "_".
func (w *walker) branchVariable(n *callflow.Node, d *callflow.BranchVariableData, ev *Event) step {
	name := deref(d.Variable)
	ev.Text = fmt.Sprintf("branches on variable %q", name)
	if v, ok := w.call.vars[name]; ok {
		ev.Text += fmt.Sprintf(" = %q", v)
		ev.note("value set earlier in this walk by set_variable")
		return cont(n, v, ev)
	}
	ev.note("its value lives in the call, account, user or device, not available offline: taking \"_\"")
	return cont(n, callflow.DefaultChild, ev)
}

// generic describes data of any module: its set properties, key=value.
func generic(d callflow.Data) string {
	raw, err := json.Marshal(d)
	var members map[string]json.RawMessage
	if err != nil || json.Unmarshal(raw, &members) != nil {
		return "runs"
	}
	delete(members, "skip_module")
	if len(members) == 0 {
		return "runs with its defaults"
	}
	keys := make([]string, 0, len(members))
	for k := range members {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		v := string(members[k])
		if s, ok := jsonString(members[k]); ok {
			v = strconv.Quote(s)
		}
		parts[i] = k + "=" + truncate(v, 60)
	}
	return "runs with " + truncate(strings.Join(parts, ", "), 200)
}

// jsonString returns a JSON string's value.
func jsonString(raw json.RawMessage) (string, bool) {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// jsonText returns a JSON value as Kazoo's form encoding writes a scalar:
// a string's own text, anything else its JSON.
func jsonText(raw json.RawMessage) string {
	if s, ok := jsonString(raw); ok {
		return s
	}
	return string(raw)
}

// truncate shortens s to at most n runes, marking the cut with "…".
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// media names a play target: a URL as it is, else a media ID.
func media(id string) string {
	if strings.Contains(id, "://") {
		return id
	}
	return fmt.Sprintf("media %q", id)
}

// list writes up to five items, "a, b, c".
func list(items []string) string {
	if len(items) == 0 {
		return "(none)"
	}
	if len(items) > 5 {
		return strings.Join(items[:5], ", ") + fmt.Sprintf(" and %d more", len(items)-5)
	}
	return strings.Join(items, ", ")
}

// listChars writes the terminator keys, "# or *".
func listChars(s string) string {
	if s == "" {
		return "no terminator"
	}
	parts := strings.Split(s, "")
	return strings.Join(parts, " or ")
}

// joinNonEmpty joins the non-empty parts with ", ".
func joinNonEmpty(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, ", ")
}

// prefixed returns prefix+s, or "" when s is empty.
func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

// when returns s if cond holds, else "".
func when(cond bool, s string) string {
	if cond {
		return s
	}
	return ""
}

// deref returns *p, or "" for nil.
func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// seconds writes " (N s)" for a set timeout.
func seconds(p *int64) string {
	if p == nil {
		return ""
	}
	return fmt.Sprintf(" (%d s)", *p)
}
