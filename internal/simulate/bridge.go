package simulate

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/kzgen/kzgen/generator/kazoo"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// Bridge is how a call attempt ends: answered (the zero value), or failed
// with the hangup cause and the SIP code Kazoo receives. Kazoo tries a
// child named after the cause, then one named after the code, in that
// order, wherever the module reads failure keys (generator/kazoo's table).
type Bridge struct {
	// Cause is the hangup cause of a failed attempt, e.g. "USER_BUSY".
	Cause string
	// Code is its SIP code as Kazoo writes the key, e.g. "sip:486".
	Code string
}

// Answered reports whether the callee answers.
func (b Bridge) Answered() bool { return b.Cause == "" && b.Code == "" }

// String returns "answered", or "USER_BUSY/sip:486".
func (b Bridge) String() string {
	if b.Answered() {
		return "answered"
	}
	return b.Cause + "/" + b.Code
}

// check reports a Bridge whose cause or code is not of Kazoo's form.
func (b Bridge) check() error {
	if b.Answered() {
		return nil
	}
	t, err := kazoo.Embedded()
	if err != nil {
		return err
	}
	if f := t.Families["cause"]; f != nil && !f.Matches(b.Cause) {
		return fmt.Errorf("bridge cause %q: want a hangup cause in upper case such as USER_BUSY", b.Cause)
	}
	if f := t.Families["sip_code"]; f != nil && !f.Matches(b.Code) {
		return fmt.Errorf("bridge SIP code %q: want sip:300 to sip:699, such as sip:486", b.Code)
	}
	return nil
}

// ParseBridge reads one call-attempt outcome:
//
//   - "answered";
//   - a hangup cause, as Kazoo writes it ("USER_BUSY") or by its name in
//     kzgen's table of causes in lower case ("busy", "no-answer",
//     "call-rejected", …), with the SIP code FreeSWITCH usually gives it
//     (sip:600, Kazoo's literal default, for a cause with none);
//   - a SIP code, "sip:486", with the cause FreeSWITCH gives it (the first
//     cause of the table with that code; UNSPECIFIED, Kazoo's literal
//     default, for a code with none);
//   - both, "USER_BUSY/sip:486".
func ParseBridge(s string) (Bridge, error) {
	t, err := kazoo.Embedded()
	if err != nil {
		return Bridge{}, err
	}
	s = strings.TrimSpace(s)
	var b Bridge
	switch cause, code, both := strings.Cut(s, "/"); {
	case s == "answered":
		return Bridge{}, nil
	case both:
		b = Bridge{Cause: cause, Code: code}
	case strings.HasPrefix(s, "sip:"):
		b = Bridge{Cause: t.DefaultCause, Code: s}
		if n, err := strconv.Atoi(strings.TrimPrefix(s, "sip:")); err == nil {
			for _, c := range t.Causes {
				if slices.Contains(c.SIPCodes, n) {
					b.Cause = c.Cause
					break
				}
			}
		}
	default:
		b = Bridge{Cause: s, Code: t.DefaultCode}
		for _, c := range t.Causes {
			if c.Cause == s || causeWord(c.Name) == s {
				b.Cause = c.Cause
				if len(c.SIPCodes) > 0 {
					b.Code = fmt.Sprintf("sip:%d", c.SIPCodes[0])
				}
				break
			}
		}
	}
	if err := b.check(); err != nil {
		return Bridge{}, fmt.Errorf("%w; or answered, or a cause by name (%s)", err, strings.Join(CauseWords(), ", "))
	}
	return b, nil
}

// ParseBridges reads a comma-separated list of outcomes, one per call
// attempt ("no-answer,answered").
func ParseBridges(s string) ([]Bridge, error) {
	var out []Bridge
	for item := range strings.SplitSeq(s, ",") {
		b, err := ParseBridge(item)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// CauseWords lists the names ParseBridge reads for the causes of kzgen's
// table, in its order: "busy", "no-answer", ….
func CauseWords() []string {
	t, err := kazoo.Embedded()
	if err != nil {
		return nil
	}
	var out []string
	for _, c := range t.Causes {
		out = append(out, causeWord(c.Name))
	}
	return out
}

// causeWord turns a cause's Go name into a word for the command line:
// "NoAnswer" gives "no-answer".
func causeWord(name string) string {
	var b strings.Builder
	for i, r := range name {
		if i > 0 && r >= 'A' && r <= 'Z' && !(name[i-1] >= 'A' && name[i-1] <= 'Z') {
			b.WriteByte('-')
		}
		b.WriteString(strings.ToLower(string(r)))
	}
	return b.String()
}

// nextBridge returns the outcome of the next call attempt.
func (w *walker) nextBridge() Bridge {
	list := w.cfg.Bridges
	if len(list) == 0 {
		return Bridge{}
	}
	b := list[min(w.bridges, len(list)-1)]
	w.bridges++
	return b
}

// callAttempt runs a module that places a call (user, device, group,
// ring_group, route_to_cid, page_group, hotdesk's bridge, resources,
// offnet), described by what; repeats is how many times it rings before
// giving up (ring_group's repeats). Each try takes the next Bridge outcome.
// What follows comes from the module's entry in generator/kazoo's table:
// an answered call is followed by its after_success (the flow ends with the
// bridged call, or continues to "_" when the call ends); a failed one tries
// the module's failure keys in the table's order, cause then SIP code, and
// then its after_failure ("_", or the flow stops with the cause).
func (w *walker) callAttempt(n *kzrt.Node, d data, ev *Event, what string, repeats int64) step {
	m, _ := w.table.Module(n.Module)
	ev.Text = what
	var b Bridge
	for try := int64(1); ; try++ {
		b = w.nextBridge()
		if b.Answered() {
			break
		}
		if repeats > 1 {
			ev.note("try %d of %d: %s (%s)", try, repeats, b.Cause, b.Code)
		}
		if st, ok := w.failureKey(n, m, d, b, ev); ok {
			ev.Text += fmt.Sprintf(": fails (%s, %s)", b.Cause, b.Code)
			return st
		}
		if try >= repeats {
			break
		}
	}
	if b.Answered() {
		ev.Text += ": answered, call bridged"
		if m != nil && m.Default.AfterSuccess == kazoo.Continue {
			ev.note("when the bridged call ends, Kazoo continues with \"_\"")
			return cont(n, kzrt.DefaultChild, ev)
		}
		return step{end: &ending{OutcomeBridged, "call completed: bridged by " + n.Module + "; the flow ends when the bridged call does"}}
	}
	ev.Text += fmt.Sprintf(": fails (%s, %s)", b.Cause, b.Code)
	if m != nil && m.Default.AfterFailure == kazoo.Stop {
		ev.note("%s does not run \"_\" after a failure: %s", n.Module, m.Default.About)
		return step{end: &ending{OutcomeEnd, fmt.Sprintf("call completed: %s could not connect (%s) and no child handles it: Kazoo hangs up with that cause", n.Module, b.Cause)}}
	}
	return cont(n, kzrt.DefaultChild, ev)
}

// failureKey tries the module's failure keys for b in the table's order
// (Kazoo's: the cause, then the SIP code), as cf_exe:attempt does: the
// first child that exists is taken, with no fallback.
func (w *walker) failureKey(n *kzrt.Node, m *kazoo.Module, d data, b Bridge, ev *Event) (step, bool) {
	if m == nil {
		return step{}, false
	}
	values := d.values()
	var tried []string
	for _, k := range m.Keys {
		if !k.Matches(b.Cause) && !k.Matches(b.Code) || !holds(k.OnlyIf, values) {
			continue
		}
		key := b.Code
		if k.Matches(b.Cause) {
			key = b.Cause
		}
		if st, ok := attempt(n, key); ok {
			ev.Branch = key
			if len(tried) == 0 {
				ev.note("Kazoo tries the failure's children cause first, then SIP code: child %q exists", key)
			} else {
				ev.note("no %s child; Kazoo then tries the SIP code's: child %q exists", strings.Join(tried, " or "), key)
			}
			return st, true
		}
		tried = append(tried, strconv.Quote(key))
	}
	if len(tried) > 0 {
		ev.note("no %s child", strings.Join(tried, " or "))
	}
	return step{}, false
}

// holds reports whether every condition of a table key holds for the
// node's data.
func holds(conds []kazoo.Condition, values map[string]any) bool {
	for _, c := range conds {
		if !c.Holds(values) {
			return false
		}
	}
	return true
}

// values returns the node's data decoded for the table's conditions.
func (d data) values() map[string]any {
	out := make(map[string]any, len(d.members))
	for k, raw := range d.members {
		var v any
		if json.Unmarshal(raw, &v) == nil {
			out[k] = v
		}
	}
	return out
}
