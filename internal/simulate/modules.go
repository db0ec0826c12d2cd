package simulate

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/kzgen/kzgen/generator/kazoo"
	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/runtime/kzrt"
	"github.com/kzgen/kzgen/runtime/pivot/pivottest"
)

// features names what the feature modules do, for the transcript; what
// follows them comes from generator/kazoo's table.
var features = map[string]string{
	"acdc_agent":           "the ACDc agent feature",
	"acdc_member":          "an ACDc queue",
	"acdc_queue":           "the ACDc queue feature",
	"call_forward":         "the call-forward feature",
	"call_waiting":         "the call-waiting feature",
	"camping_feature":      "the camping feature",
	"conference_feature":   "the conference feature",
	"dead_air":             "dead air until the caller hangs up",
	"directory":            "the company directory",
	"disa":                 "DISA (dial-out after a PIN)",
	"do_not_disturb":       "the do-not-disturb feature",
	"dynamic_cid":          "the dynamic caller-ID feature",
	"eavesdrop":            "eavesdropping on another call",
	"eavesdrop_feature":    "the eavesdrop feature",
	"faxbox":               "a fax box",
	"group_pickup":         "the pickup of a ringing call",
	"group_pickup_feature": "the group pickup feature",
	"intercept":            "the interception of a ringing call",
	"intercept_feature":    "the intercept feature",
	"intercom":             "an intercom call to the dialled extension",
	"move":                 "a move of the call to another device",
	"park":                 "call parking",
	"privacy":              "the callflow of the number dialled after the privacy prefix",
	"receive_fax":          "fax reception",
	"ring_group_toggle":    "the ring-group toggle feature",
	"wait_for_hangup":      "a wait for the caller to hang up",
}

// execute runs one node and says where the call goes next.
func (w *walker) execute(ctx context.Context, n *kzrt.Node, path string) (step, error) {
	ev := Event{Kind: KindNode, Flow: w.flow, Path: path, Module: n.Module}
	d := dataOf(w.set, n)
	if d.boolean("skip_module") {
		ev.Text = "skipped (skip_module is true)"
		st := cont(n, kzrt.DefaultChild, &ev)
		w.emit(ev)
		return st, nil
	}
	if n.Module == "pivot" {
		return w.pivotNode(ctx, n, ev)
	}
	st := w.module(n, d, &ev)
	w.emit(ev)
	return st, nil
}

// module runs every module but pivot, describing it on ev.
func (w *walker) module(n *kzrt.Node, d data, ev *Event) step {
	switch n.Module {
	case "tts":
		ev.Text = fmt.Sprintf("says %q (%s)", truncate(d.str("text"), 300), joinNonEmpty(
			prefixed("voice ", d.str("voice")), prefixed("language ", d.str("language")), prefixed("engine ", d.str("engine")),
			when(d.boolean("endless_playback"), "repeating until a key is pressed")))
	case "play":
		ev.Text = "plays " + media(d.str("id"))
		if d.boolean("endless_playback") {
			ev.Text += ", repeating until a key is pressed"
		} else if c, _ := d.integer("loop_count"); c > 1 {
			ev.Text += fmt.Sprintf(" %d times", c)
		}
	case "answer":
		ev.Text = "answers the call"
	case "noop":
		ev.Text = "does nothing"
	case "sleep":
		duration, _ := d.integer("duration")
		ev.Text = fmt.Sprintf("waits %d %s", duration, d.str("unit"))
	case "send_dtmf":
		ev.Text = fmt.Sprintf("sends DTMF %q", d.str("digits"))
	case "hangup":
		ev.Text = "hangs up"
		return step{end: &ending{OutcomeHangup, "call completed: hung up by a hangup node"}}
	case "response":
		code, _ := d.integer("code")
		ev.Text = fmt.Sprintf("answers the SIP call with %s", strings.TrimSpace(fmt.Sprintf("%d %s", code, d.str("message"))))
		if m := d.str("media"); m != "" {
			ev.Text += ", playing " + media(m)
		}
		return step{end: &ending{OutcomeHangup, "call completed: ended with a SIP response by a response node"}}
	case "manual_presence":
		ev.Text = fmt.Sprintf("sets %s to %s", d.str("presence_id"), d.str("status"))
	case "set_cid":
		return w.setCID(n, d, ev)
	case "prepend_cid":
		return w.prependCID(n, d, ev)
	case "set_alert_info":
		ev.Text = fmt.Sprintf("sets Alert-Info to %q for the calls it places", d.str("alert_info"))
	case "language":
		w.call.Language = d.str("language")
		ev.Text = fmt.Sprintf("sets the call's language to %q", w.call.Language)
		ev.note("later Pivot requests send it as Language (kazoo naming)")
	case "set_variable":
		name, value := d.str("variable"), d.str("value")
		ev.Text = fmt.Sprintf("sets variable %s = %q", name, value)
		w.call.vars[name] = value
	case "set_variables":
		return w.setVariables(n, d, ev)
	case "flush_dtmf":
		name := collectionName(d)
		ev.Text = fmt.Sprintf("clears the DTMF collection %q", name)
		delete(w.call.dtmf, name)
	case "record_call":
		ev.Text = "starts recording the call"
		if d.str("action") == "stop" {
			ev.Text = "stops recording the call"
		} else if u := d.str("url"); u != "" {
			ev.Text += ", storing it at " + u
		}
	case "webhook":
		ev.Text = fmt.Sprintf("sends a webhook to %s", d.str("uri"))
		ev.note("the webhook is not sent by kzgen simulate")
	case "collect_dtmf":
		return w.collectDTMF(n, d, ev)
	case "menu":
		return w.menu(n, d, ev)
	case "check_cid":
		return w.checkCID(n, d, ev)
	case "cidlistmatch":
		return w.cidListMatch(n, d, ev)
	case "fax_detect":
		ev.Text = "listens for fax tones: none (the simulated caller is a voice call)"
		return cont(n, "ON_VOICE", ev)
	case "temporal_route":
		return w.temporalRoute(n, d, ev)
	case "branch_variable":
		return w.branchVariable(n, d, ev)
	case "branch_bnumber":
		ev.Text = "branches on the dialled number's capture group"
		ev.note("the capture group comes from Kazoo's number matching, not simulated: taking \"_\"")
	case "nomorobo":
		ev.Text = "looks up the caller's Nomorobo spam score"
		ev.note("the score is not available offline: taking \"_\"")
	case "acdc_wait_time":
		ev.Text = fmt.Sprintf("checks the wait time of queue %s", d.str("id"))
		ev.note("the wait time is not available offline: taking \"_\"")
	case "user":
		timeout, _ := d.integer("timeout")
		return w.callAttempt(n, d, ev, fmt.Sprintf("rings user %s (%d s, %s)", d.str("id"), timeout, d.str("strategy")), 1)
	case "device":
		what := "rings device " + d.str("id")
		if t, ok := d.integer("timeout"); ok {
			what += fmt.Sprintf(" (%d s)", t)
		}
		return w.callAttempt(n, d, ev, what, 1)
	case "group":
		what := fmt.Sprintf("rings group %s (%s)", d.str("id"), d.str("strategy"))
		if eps := d.strs("endpoints"); len(eps) > 0 {
			what = fmt.Sprintf("rings group %s, endpoints %s (%s)", d.str("id"), list(eps), d.str("strategy"))
		}
		return w.callAttempt(n, d, ev, what, repeats(d))
	case "ring_group":
		var members []string
		for _, e := range d.objects("endpoints") {
			members = append(members, strings.TrimSpace(e.str("endpoint_type")+" "+e.str("id")))
		}
		timeout, _ := d.integer("timeout")
		what := fmt.Sprintf("rings %d %s: %s (%s, %d s)", len(members), plural(len(members), "endpoint", "endpoints"), list(members), d.str("strategy"), timeout)
		return w.callAttempt(n, d, ev, what, repeats(d))
	case "page_group":
		eps := d.objects("endpoints")
		return w.callAttempt(n, d, ev, fmt.Sprintf("pages %d %s (%s audio)", len(eps), plural(len(eps), "endpoint", "endpoints"), d.str("audio")), 1)
	case "route_to_cid":
		return w.callAttempt(n, d, ev, fmt.Sprintf("rings the endpoints of caller ID %s", w.call.CallerIDNumber), 1)
	case "hotdesk":
		if d.str("action") == "bridge" {
			return w.callAttempt(n, d, ev, "rings the phones the hotdesk user is logged in to", 1)
		}
		ev.Text = fmt.Sprintf("runs the hotdesk feature (action %s)", d.str("action"))
		return cont(n, kzrt.DefaultChild, ev)
	case "resources":
		return w.callAttempt(n, d, ev, w.dialOut(d, d.boolean("use_local_resources")), 1)
	case "offnet":
		// cf_offnet runs cf_resources with use_local_resources false,
		// whatever the node says.
		if d.has("use_local_resources") && d.boolean("use_local_resources") {
			ev.note("offnet ignores use_local_resources: it always dials through the system's carriers")
		}
		return w.callAttempt(n, d, ev, w.dialOut(d, false), 1)
	case "voicemail":
		ev.Text = fmt.Sprintf("takes a message for voicemail box %s", d.str("id"))
		if d.str("action") == "check" {
			ev.Text = fmt.Sprintf("lets the caller check voicemail box %s", d.str("id"))
		}
		ev.note("the simulated caller leaves the box normally")
	case "conference":
		ev.Text = "puts the caller into a conference"
		if id := d.str("id"); id != "" {
			ev.Text = "puts the caller into conference " + id
		}
		if d.boolean("moderator") {
			ev.Text += " as moderator"
		}
	case "callflow":
		ev.Text = "branches to stored callflow " + d.str("id")
		ev.note("stored callflows are not available offline")
	case "transfer":
		ev.Text = "transfers the call to " + d.str("target")
	default:
		if what, ok := features[n.Module]; ok {
			ev.Text = "runs " + what
		} else {
			ev.Text = "runs" + withData(d)
		}
	}
	return w.afterModule(n, d, ev)
}

// afterModule follows a module's normal finish as generator/kazoo's table
// gives it: "_" next, the flow stops, the call is handed over, or another
// flow runs first. A module the table does not know (a custom module of
// the user's schemas) is assumed to finish and continue with "_".
func (w *walker) afterModule(n *kzrt.Node, d data, ev *Event) step {
	m, known := w.table.Module(n.Module)
	if !known {
		ev.Text = "runs custom module " + n.Module + withData(d)
		ev.note("kzgen knows nothing of what %s does: it assumes the module finishes and Kazoo continues with \"_\"", n.Module)
		return cont(n, kzrt.DefaultChild, ev)
	}
	switch m.Default.AfterSuccess {
	case kazoo.Stop:
		return step{end: &ending{OutcomeEnd, fmt.Sprintf("call completed: %s ends the flow", n.Module)}}
	case kazoo.Usurp:
		return w.handoff(n, ev, m, "Kazoo hands the call over")
	case kazoo.Branch:
		return w.handoff(n, ev, m, "Kazoo branches to another callflow, not available offline, and runs \"_\" when it ends")
	}
	return cont(n, kzrt.DefaultChild, ev)
}

// handoff ends the walk at a module that takes the call elsewhere.
func (w *walker) handoff(n *kzrt.Node, ev *Event, m *kazoo.Module, how string) step {
	ev.note("%s; the walk ends here (%s)", how, m.Default.About)
	if len(n.Children) > 0 && m.Default.AfterSuccess == kazoo.Usurp {
		ev.note("the node's children are not followed")
	}
	return step{end: &ending{OutcomeHandoff, "call completed: handed over by " + n.Module}}
}

// pivotNode makes the follow-up request of a pivot node met in a flow.
func (w *walker) pivotNode(ctx context.Context, n *kzrt.Node, ev Event) (step, error) {
	c, notes, err := w.pivotCall(pivottest.Call{}).FollowUp(n)
	if err != nil {
		ev.Text = "cannot make the request: " + err.Error()
		w.emit(ev)
		return step{end: &ending{OutcomeFailed, "call failed: a pivot node without a usable voice_url"}}, nil
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	method, _, _ := c.Target()
	desc := method
	if method == "POST" {
		desc += " " + c.Body.String()
	}
	ev.Text = fmt.Sprintf("asks %s (%s, %s names, timeout %d ms)", c.VoiceURL, desc, c.Format, c.Timeout.Milliseconds())
	ev.Notes = append(ev.Notes, notes...)
	if err := CheckURL(c.VoiceURL); err != nil {
		ev.note("%v", err)
	} else if kzrt.DefaultBlacklist().CheckURL(c.VoiceURL) != nil {
		ev.note("Kazoo's default voice_url blacklist (localhost, 127.0.0.1/32, 0.0.0.0/32) would reject this URL when validating the flow; kzgen simulate allows it for local testing")
	}
	w.emit(ev)

	x, err := w.exchange(ctx, c, n)
	switch {
	case err != nil:
		return step{}, err
	case x.end != nil:
		return step{end: x.end}, nil
	case x.flow != nil:
		return step{flow: x.flow}, nil
	}
	if next := child(n, kzrt.DefaultChild); next != nil {
		return step{next: next, key: kzrt.DefaultChild}, nil
	}
	return step{end: &ending{OutcomeFailed, fmt.Sprintf("call failed: %s, and the pivot node has no \"_\" child", x.why)}}, nil
}

// dialOut describes a resources or offnet node's outbound call.
func (w *walker) dialOut(d data, local bool) string {
	number := w.call.To
	if d.has("to_did") {
		number = d.str("to_did")
	}
	via := "the system's carriers"
	if local {
		via = "the account's local carriers"
		if hunt := d.str("hunt_account_id"); hunt != "" {
			via = fmt.Sprintf("account %s's local carriers", hunt)
		}
	}
	return fmt.Sprintf("dials %s via %s", number, via)
}

// repeats is how many times a group rings, at least once.
func repeats(d data) int64 {
	n, _ := d.integer("repeats")
	return max(n, 1)
}

// setCID changes the caller ID that later requests send.
func (w *walker) setCID(n *kzrt.Node, d data, ev *Event) step {
	if d.has("caller_id_name") {
		w.call.CallerIDName = d.str("caller_id_name")
	}
	if d.has("caller_id_number") {
		w.call.CallerIDNumber = d.str("caller_id_number")
	}
	ev.Text = fmt.Sprintf("sets the caller ID to %q <%s>", w.call.CallerIDName, w.call.CallerIDNumber)
	ev.note("later Pivot requests carry the new caller ID")
	return cont(n, kzrt.DefaultChild, ev)
}

// prependCID adds prefixes to the caller ID, or resets it.
func (w *walker) prependCID(n *kzrt.Node, d data, ev *Event) step {
	if d.str("action") == "reset" {
		w.call.CallerIDName, w.call.CallerIDNumber = w.call.origName, w.call.origNumber
		ev.Text = fmt.Sprintf("resets the caller ID to %q <%s>", w.call.CallerIDName, w.call.CallerIDNumber)
	} else {
		w.call.CallerIDName = d.str("caller_id_name_prefix") + w.call.CallerIDName
		w.call.CallerIDNumber = d.str("caller_id_number_prefix") + w.call.CallerIDNumber
		ev.Text = fmt.Sprintf("prepends to the caller ID: now %q <%s>", w.call.CallerIDName, w.call.CallerIDNumber)
	}
	ev.note("later Pivot requests carry the new caller ID")
	return cont(n, kzrt.DefaultChild, ev)
}

// setVariables stores custom application variables, sent in later
// requests as Custom-Application-Vars.
func (w *walker) setVariables(n *kzrt.Node, d data, ev *Event) step {
	vars := d.texts("custom_application_vars")
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(vars)) {
		if w.call.cavs == nil {
			w.call.cavs = map[string]string{}
		}
		w.call.cavs[k] = vars[k]
		parts = append(parts, fmt.Sprintf("%s=%q", k, vars[k]))
	}
	ev.Text = "sets custom application variables " + strings.Join(parts, ", ")
	ev.note("later Pivot requests send them as Custom-Application-Vars (kazoo naming)")
	return cont(n, kzrt.DefaultChild, ev)
}

// collectionName is a collect_dtmf or flush_dtmf node's collection,
// "default" when it names none.
func collectionName(d data) string {
	if name := d.str("collection_name"); name != "" {
		return name
	}
	return "default"
}

// collectDTMF is cf_collect_dtmf: digits up to a terminator, at most
// max_digits, into a named collection; then always "_".
func (w *walker) collectDTMF(n *kzrt.Node, d data, ev *Event) step {
	name := collectionName(d)
	maxDigits64, _ := d.integer("max_digits")
	maxDigits := int(max(min(maxDigits64, 1<<16), 1))
	terms := d.str("terminator")
	if !d.has("terminator") && d.has("terminators") {
		terms = strings.Join(d.strs("terminators"), "")
	}

	// cf_collect_dtmf takes over what the "default" collection holds
	// (early DTMF) and clears it.
	already := w.call.dtmf["default"]
	delete(w.call.dtmf, "default")
	if i := strings.IndexAny(already, terms); terms != "" && i >= 0 {
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
			timeout, _ := d.integer("timeout")
			ev.note("no entry: the collection times out after %d ms", timeout)
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
	return cont(n, kzrt.DefaultChild, ev)
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
func (w *walker) menu(n *kzrt.Node, d data, ev *Event) step {
	id := d.str("id")
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
	return cont(n, kzrt.DefaultChild, ev)
}

// checkCID is cf_check_cid: the caller ID number against regex, a PCRE
// pattern run with Kazoo's verdicts (load.TranslatePattern); on a match
// the "match" child (or, in absolute mode, the child named after the
// number), else the "nomatch" child; failing those, "_".
func (w *walker) checkCID(n *kzrt.Node, d data, ev *Event) step {
	num := w.call.CallerIDNumber
	pattern := d.str("regex")
	matched := false
	if p, err := load.TranslatePattern(pattern); err != nil {
		ev.note("regex %q cannot be run here (%v): assuming no match", pattern, err)
	} else {
		matched = regexp.MustCompile(p.Go).MatchString(num)
	}
	if !matched {
		ev.Text = fmt.Sprintf("caller ID %q does not match /%s/", num, pattern)
		return w.tryThenDefault(n, "nomatch", ev)
	}
	key := "match"
	if d.boolean("use_absolute_mode") {
		key = num
	}
	ev.Text = fmt.Sprintf("caller ID %q matches /%s/", num, pattern)
	st := w.tryThenDefault(n, key, ev)
	if st.key == key {
		if ext := d.object("caller_id").object("external"); ext.str("name") != "" && ext.str("number") != "" && d.str("user_id") != "" {
			w.call.CallerIDName, w.call.CallerIDNumber = ext.str("name"), ext.str("number")
			ev.note("sets the caller ID to %q <%s> and the owner to %s", w.call.CallerIDName, w.call.CallerIDNumber, d.str("user_id"))
		}
	}
	return st
}

// cidListMatch is cf_cidlistmatch: "match" when the caller ID fits the
// list (as Config.CIDListMatch says: the list is a stored document), else
// "nomatch"; failing that child, "_".
func (w *walker) cidListMatch(n *kzrt.Node, d data, ev *Event) step {
	ev.Text = fmt.Sprintf("checks caller ID %q against list %s", w.call.CallerIDNumber, d.str("id"))
	key := "nomatch"
	if w.cfg.CIDListMatch {
		key = "match"
	}
	ev.Text += ": " + key
	ev.note("the list is a stored document, not available offline: the caller ID is taken to %s, as configured", map[bool]string{true: "be on it", false: "be off it"}[w.cfg.CIDListMatch])
	return w.tryThenDefault(n, key, ev)
}

// tryThenDefault is cf_exe:attempt(key) and, when that child is missing,
// continue("_"): how check_cid and cidlistmatch branch.
func (w *walker) tryThenDefault(n *kzrt.Node, key string, ev *Event) step {
	if st, ok := attempt(n, key); ok {
		ev.Text += fmt.Sprintf(" -> child %q", key)
		ev.Branch = key
		return st
	}
	ev.note("no %q child: Kazoo continues with \"_\"", key)
	return cont(n, kzrt.DefaultChild, ev)
}

// branchVariable continues with the child named after a variable's value
// when a set_variable earlier in the walk set it; otherwise "_".
func (w *walker) branchVariable(n *kzrt.Node, d data, ev *Event) step {
	name := d.str("variable")
	ev.Text = fmt.Sprintf("branches on variable %q", name)
	if v, ok := w.call.vars[name]; ok {
		ev.Text += fmt.Sprintf(" = %q", v)
		ev.note("value set earlier in this walk by set_variable")
		return cont(n, v, ev)
	}
	ev.note("its value lives in the call, account, user or device, not available offline: taking \"_\"")
	return cont(n, kzrt.DefaultChild, ev)
}
