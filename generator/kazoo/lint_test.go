package kazoo_test

import (
	"strings"
	"testing"
)

// TestReachable covers each key family and the fixed keys: what Kazoo can
// take, whatever the node's data.
func TestReachable(t *testing.T) {
	tab := embedded(t)
	for _, c := range []struct {
		module, key string
		want        bool
	}{
		// menu: digits 1 to 6 long (max_extension_length is at most 6),
		// 0-9 and *; "#" ends an entry and is never part of it.
		{"menu", "1", true},
		{"menu", "0", true},
		{"menu", "*9", true},
		{"menu", "1234", true},
		{"menu", "123456", true},
		{"menu", "1234567", false},
		{"menu", "#", false},
		{"menu", "1#", false},
		{"menu", "", false},
		{"menu", "a", false},
		{"menu", "timeout", true},
		{"menu", "max_retries", true},
		{"menu", "Timeout", false},
		{"menu", "_", true},
		// bridge failures: upper-case causes, then lower-case sip:NNN.
		{"user", "USER_BUSY", true},
		{"user", "NO_ANSWER", true},
		{"user", "user_busy", false},
		{"user", "sip:486", true},
		{"user", "486", false},
		{"user", "SIP:486", false},
		{"user", "sip:200", false},
		{"user", "sip:4860", false},
		{"user", "sip:600", true},
		{"user", "UNSPECIFIED", true},
		{"device", "sip:404", true},
		{"ring_group", "CALL_REJECTED", true},
		{"group", "sip:603", true},
		{"route_to_cid", "NO_USER_RESPONSE", true},
		{"hotdesk", "USER_BUSY", true},
		{"resources", "NO_ROUTE_DESTINATION", true},
		{"offnet", "sip:503", true},
		{"play", "USER_BUSY", false},
		// check_cid: "match", "nomatch", caller-ID numbers.
		{"check_cid", "match", true},
		{"check_cid", "nomatch", true},
		{"check_cid", "+14158867900", true},
		{"check_cid", "4158867900", true},
		{"check_cid", "matched", false},
		{"check_cid", "Match", false},
		{"check_cid", "no_match", false},
		{"cidlistmatch", "match", true},
		{"cidlistmatch", "+14158867900", false},
		// temporal_route: rule and rule-set IDs, "rule_set".
		{"temporal_route", "b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6", true},
		{"temporal_route", "rule_set", true},
		{"temporal_route", "business_hours", false},
		// branch_variable and branch_bnumber: any value, any number.
		{"branch_variable", "sales", true},
		{"branch_variable", "true", true},
		{"branch_variable", "", false},
		{"branch_bnumber", "1000", true},
		{"branch_bnumber", "+14158867900", true},
		// park: slot numbers and "MAX_SLOT_EXCEEDED".
		{"park", "100", true},
		{"park", "1", true},
		{"park", "MAX_SLOT_EXCEEDED", true},
		{"park", "max_slot_exceeded", false},
		{"park", "slot1", false},
		// fax_detect.
		{"fax_detect", "ON_FAX", true},
		{"fax_detect", "ON_VOICE", true},
		{"fax_detect", "on_fax", false},
		// nomorobo: thresholds 0 to 10, no leading zero.
		{"nomorobo", "0", true},
		{"nomorobo", "3", true},
		{"nomorobo", "10", true},
		{"nomorobo", "11", false},
		{"nomorobo", "05", false},
		{"nomorobo", "-1", false},
		{"nomorobo", "high", false},
		// acdc_wait_time: integer seconds.
		{"acdc_wait_time", "30", true},
		{"acdc_wait_time", "0", true},
		{"acdc_wait_time", "30s", false},
		// "_" and modules that never use it.
		{"tts", "_", true},
		{"user", "_", true},
		{"hangup", "_", false},
		{"response", "_", false},
		{"transfer", "_", false},
		{"resources", "_", false},
		{"offnet", "_", false},
		{"conference", "_", false},
		{"callflow", "_", true},
		{"tts", "next", false},
		// A module the table does not know may take anything.
		{"my_module", "anything", true},
		{"my_module", "_", true},
	} {
		if got := tab.Reachable(c.module, c.key); got != c.want {
			t.Errorf("Reachable(%q, %q) = %v, want %v", c.module, c.key, got, c.want)
		}
	}
}

// TestLint checks the warnings, their messages and suggestions, and the
// conditions on the node's data.
func TestLint(t *testing.T) {
	tab := embedded(t)
	for _, c := range []struct {
		name   string
		module string
		data   string
		keys   []string
		want   []string // per warning (sorted by key): key, then fragments of the message
	}{
		{
			name: "check_cid matched", module: "check_cid",
			keys: []string{"matched", "nomatch", "_"},
			want: []string{`matched|never takes this child|"match", "nomatch"|did you mean "match"?`},
		},
		{
			name: "check_cid absolute mode", module: "check_cid", data: `{"use_absolute_mode": true}`,
			keys: []string{"match", "+14158867900", "nomatch"},
			want: []string{`match|only when use_absolute_mode is false (the default)|sets it to true`},
		},
		{
			name: "check_cid default mode", module: "check_cid", data: `{"regex": "^\\+1"}`,
			keys: []string{"match", "+14158867900"},
			want: []string{`+14158867900|only when use_absolute_mode is true|leaves it at its default, false`},
		},
		{
			name: "SIP code spellings", module: "user",
			keys: []string{"486", "SIP:486", "sip:486", "user_busy", "USER_BUSY", "_"},
			want: []string{
				`486|never takes this child|did you mean "sip:486"?`,
				`SIP:486|did you mean "sip:486"?`,
				`user_busy|did you mean "USER_BUSY"?`,
			},
		},
		{
			name: "resources default after failure", module: "resources", data: `{}`,
			keys: []string{"_", "NO_ROUTE_DESTINATION", "sip:404"},
			want: []string{`_|resources never takes "_"|failure with no child for its cause or code stops the flow`},
		},
		{
			name: "skip_module makes _ reachable", module: "resources", data: `{"skip_module": true}`,
			keys: []string{"_"},
		},
		{
			name: "hangup", module: "hangup", data: `{}`,
			keys: []string{"_", "next"},
			want: []string{`_|hangup never takes "_"`, `next|it reads no child at all`},
		},
		{
			name: "hotdesk bridge only", module: "hotdesk", data: `{"action": "login"}`,
			keys: []string{"USER_BUSY", "_"},
			want: []string{`USER_BUSY|only when action is "bridge"|sets it to "login"`},
		},
		{
			name: "hotdesk without action", module: "hotdesk", data: `{"id": "x"}`,
			keys: []string{"sip:486"},
			want: []string{`sip:486|only when action is "bridge"|does not set it`},
		},
		{
			name: "hotdesk bridge", module: "hotdesk", data: `{"action": "bridge"}`,
			keys: []string{"USER_BUSY", "sip:486", "_"},
		},
		{
			name: "menu", module: "menu",
			keys: []string{"1", "1234567", "Timeout", "#", "max_retries", "_"},
			want: []string{`#|digit strings`, `1234567|never takes this child`, `Timeout|did you mean "timeout"?`},
		},
		{
			name: "temporal_route action", module: "temporal_route", data: `{"action": "menu", "rule_set": "r"}`,
			keys: []string{"b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6", "rule_set"},
			want: []string{`b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6|only when action is not set|sets it to "menu"`, `rule_set|only when action is not set`},
		},
		{
			name: "temporal_route rule_set unset", module: "temporal_route", data: `{"rules": []}`,
			keys: []string{"rule_set", "business_hours"},
			want: []string{`business_hours|never takes this child`, `rule_set|only when rule_set is set|does not set it`},
		},
		{
			name: "park", module: "park", data: `{"action": "park"}`,
			keys: []string{"100", "MAX_SLOT_EXCEEDED"},
			want: []string{`MAX_SLOT_EXCEEDED|only when action is "direct_park"`},
		},
		{
			name: "park default action", module: "park", data: `{}`,
			keys: []string{"MAX_SLOT_EXCEEDED"},
			want: []string{`MAX_SLOT_EXCEEDED|leaves it at its default, "park"`},
		},
		{
			name: "branch_bnumber hunt", module: "branch_bnumber", data: `{"hunt": true}`,
			keys: []string{"1000", "_"},
			want: []string{`1000|only when hunt is false (the default)`},
		},
		{
			name: "nomorobo", module: "nomorobo",
			keys: []string{"0", "05", "11", "_"},
			want: []string{`05|did you mean "5"?`, `11|score thresholds 0 to 10`},
		},
		{
			name: "unknown data is not judged", module: "check_cid", data: `not json`,
			keys: []string{"match", "+14158867900"},
		},
		{
			name: "unknown module", module: "my_module", data: `{}`,
			keys: []string{"anything"},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			var data []byte
			if c.data != "" {
				data = []byte(c.data)
			}
			got := tab.Lint(c.module, data, c.keys)
			if len(got) != len(c.want) {
				t.Fatalf("got %d warnings, want %d:\n%v", len(got), len(c.want), got)
			}
			for i, w := range got {
				parts := strings.Split(c.want[i], "|")
				if w.Key != parts[0] || w.Module != c.module {
					t.Errorf("warning %d is for %s %q, want %s %q", i, w.Module, w.Key, c.module, parts[0])
				}
				for _, frag := range parts[1:] {
					if !strings.Contains(w.Message, frag) {
						t.Errorf("warning for %q: %q lacks %q", w.Key, w.Message, frag)
					}
				}
				if s := w.String(); !strings.Contains(s, w.Message) || !strings.Contains(s, c.module) {
					t.Errorf("String() = %q", s)
				}
			}
		})
	}
}

// TestLintAllExamples checks that no module warns about its own fixed keys
// and family examples, nor about "_" when it uses it, without data.
func TestLintAllExamples(t *testing.T) {
	tab := embedded(t)
	for _, m := range tab.Modules() {
		var keys []string
		for _, k := range m.Keys {
			if k.Family != nil {
				keys = append(keys, k.Family.Example)
			} else {
				keys = append(keys, k.Fixed)
			}
		}
		if m.Default.Used {
			keys = append(keys, "_")
		}
		if w := tab.Lint(m.Name, nil, keys); len(w) > 0 {
			t.Errorf("%s: %v", m.Name, w)
		}
	}
}
