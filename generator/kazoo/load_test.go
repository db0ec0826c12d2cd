package kazoo_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/generator/kazoo"
)

// smallTable is a valid table with one module of each kind.
const smallTable = `{
	"source": "test",
	"bridge_failure": {
		"default_cause": "UNSPECIFIED",
		"default_code": "sip:600",
		"causes": [
			{"cause": "USER_BUSY", "name": "Busy", "sip_codes": [486], "meaning": "busy", "source": "FreeSWITCH"},
			{"cause": "UNSPECIFIED", "name": "Unspecified", "sip_codes": [], "meaning": "none", "source": "Kazoo"}
		]
	},
	"families": {
		"cause": {"pattern": "^[A-Z][A-Z0-9_]*$", "method": "OnCause", "arg": {"type": "cause"}, "example": "USER_BUSY",
			"noun": "causes", "meaning": "m", "when": "w", "missing": "x"},
		"sip_code": {"pattern": "^sip:[3-6][0-9]{2}$", "method": "OnSIPCode", "arg": {"type": "integer", "format": "sip:%d", "min": 300, "max": 699},
			"example": "sip:486", "noun": "codes", "meaning": "m", "when": "w"}
	},
	"modules": {
		"user": {
			"keys": [{"family": "cause"}, {"family": "sip_code", "missing": "x"}],
			"default": {"used": true, "after_success": "stop", "after_failure": "continue", "about": "a"}
		},
		"check_cid": {
			"keys": [
				{"key": "match", "method": "OnMatch", "when": "w", "missing": "x",
					"only_if": [{"field": "use_absolute_mode", "in": [false], "default": false}]},
				{"key": "nomatch", "method": "OnNoMatch", "when": "w", "missing": "x"}
			],
			"default": {"used": true, "after_success": "continue", "about": "a"}
		},
		"hangup": {"keys": [], "default": {"used": false, "after_success": "stop", "about": "a"}}
	},
	"units": {"callflows.user": {"/properties/timeout": {"unit": "s", "evidence": "e"}}},
	"unit_unknown": {"callflows.sleep": {"/properties/duration": "r"}}
}`

// edit decodes smallTable, applies change to it and encodes it again.
func edit(t *testing.T, change func(doc map[string]any)) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal([]byte(smallTable), &doc); err != nil {
		t.Fatal(err)
	}
	change(doc)
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// at walks doc along the path of object members and array indexes.
func at(doc any, path ...any) map[string]any {
	for _, p := range path {
		switch p := p.(type) {
		case string:
			doc = doc.(map[string]any)[p]
		case int:
			doc = doc.([]any)[p]
		}
	}
	return doc.(map[string]any)
}

func TestParseSmall(t *testing.T) {
	tab, err := kazoo.Parse([]byte(smallTable), "small.json")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(tab.Modules()); n != 3 {
		t.Errorf("%d modules, want 3", n)
	}
	m, ok := tab.Module("user")
	if !ok || len(m.Keys) != 2 || m.Keys[0].Method != "OnCause" || m.Keys[0].When != "w" || m.Keys[1].Missing != "x" {
		t.Errorf("user module: %+v", m)
	}
	if _, ok := tab.Module("nope"); ok {
		t.Error("unknown module found")
	}
	if u, ok := tab.Unit("callflows.user", "/properties/timeout"); !ok || u.Unit != kazoo.Seconds {
		t.Errorf("unit: %+v %v", u, ok)
	}
	if r, ok := tab.UnitUnknown("callflows.sleep", "/properties/duration"); !ok || r != "r" {
		t.Errorf("unit unknown: %q %v", r, ok)
	}
	if len(tab.Causes) != 2 || tab.Causes[0].SIPCodes[0] != 486 || tab.DefaultCode != "sip:600" {
		t.Errorf("causes: %+v", tab.Causes)
	}
}

// TestParseErrors checks that each problem is reported with the file and
// the JSON pointer of the offending value.
func TestParseErrors(t *testing.T) {
	for _, c := range []struct {
		name   string
		change func(doc map[string]any)
		want   []string // "pointer: fragment"
	}{
		{"unknown top-level member", func(d map[string]any) { d["modulez"] = map[string]any{} },
			[]string{`#/modulez: unknown member "modulez"`}},
		{"unknown key member", func(d map[string]any) { at(d, "modules", "check_cid", "keys", 0)["methd"] = "x" },
			[]string{`#/modules/check_cid/keys/0/methd: unknown member`}},
		{"bad pattern", func(d map[string]any) { at(d, "families", "cause")["pattern"] = "^[A-Z$" },
			[]string{`#/families/cause/pattern: error parsing regexp`}},
		{"unanchored pattern", func(d map[string]any) { at(d, "families", "cause")["pattern"] = "[A-Z]+" },
			[]string{`#/families/cause/pattern: "[A-Z]+" must be anchored`}},
		{"example outside the family", func(d map[string]any) { at(d, "families", "sip_code")["example"] = "sip:200" },
			[]string{`#/families/sip_code/example: "sip:200" is not a key`}},
		{"format without %d", func(d map[string]any) { at(d, "families", "sip_code", "arg")["format"] = "sip:%s" },
			[]string{`#/families/sip_code/arg/format: "sip:%s": want a format with exactly one %d`}},
		{"bad method", func(d map[string]any) { at(d, "modules", "check_cid", "keys", 0)["method"] = "match" },
			[]string{`#/modules/check_cid/keys/0/method: "match": want On followed by an exported Go name`}},
		{"one key, two methods", func(d map[string]any) {
			at(d, "modules", "hangup")["keys"] = []any{map[string]any{"key": "match", "method": "OnMatched", "when": "w", "missing": "x"}}
		}, []string{`#/modules/hangup/keys/0/method: key "match" has method OnMatch elsewhere`}},
		{"one method, two keys", func(d map[string]any) { at(d, "modules", "check_cid", "keys", 1)["method"] = "OnMatch" },
			[]string{`#/modules/check_cid/keys/1: method OnMatch is used twice`}},
		{"fixed key inside a family", func(d map[string]any) {
			keys := at(d, "modules", "user")["keys"].([]any)
			at(d, "modules", "user")["keys"] = append(keys, map[string]any{"key": "USER_BUSY", "method": "OnBusy", "when": "w", "missing": "x"})
		}, []string{`#/modules/user/keys/2/key: "USER_BUSY" is also covered by causes`}},
		{"both key and family", func(d map[string]any) { at(d, "modules", "check_cid", "keys", 0)["family"] = "cause" },
			[]string{`#/modules/check_cid/keys/0: want exactly one of "key" and "family"`}},
		{"unknown family", func(d map[string]any) { at(d, "modules", "user", "keys", 0)["family"] = "causes" },
			[]string{`#/modules/user/keys/0/family: no family "causes"`}},
		{"missing when", func(d map[string]any) { delete(at(d, "modules", "check_cid", "keys", 1), "when") },
			[]string{`#/modules/check_cid/keys/1/when: missing`}},
		{"family without missing", func(d map[string]any) { delete(at(d, "modules", "user", "keys", 1), "missing") },
			[]string{`#/modules/user/keys/1/missing: missing (and the family gives none)`}},
		{"bad outcome", func(d map[string]any) { at(d, "modules", "user", "default")["after_success"] = "hangup" },
			[]string{`#/modules/user/default/after_success: "hangup": want one of`}},
		{"unused default that runs", func(d map[string]any) { at(d, "modules", "hangup", "default")["after_success"] = "continue" },
			[]string{`#/modules/hangup/default/used: false, but an outcome runs "_"`}},
		{"condition with both tests", func(d map[string]any) {
			at(d, "modules", "check_cid", "keys", 0, "only_if", 0)["present"] = true
		}, []string{`#/modules/check_cid/keys/0/only_if/0: want exactly one of "present" and "in"`}},
		{"condition on a number", func(d map[string]any) {
			at(d, "modules", "check_cid", "keys", 0, "only_if", 0)["in"] = []any{1}
		}, []string{`#/modules/check_cid/keys/0/only_if/0/in/0: want a boolean or a string, have a number`}},
		{"bad unit", func(d map[string]any) { at(d, "units", "callflows.user", "/properties/timeout")["unit"] = "sec" },
			[]string{`#/units/callflows.user/~1properties~1timeout/unit: unit "sec"`}},
		{"unit pointer", func(d map[string]any) {
			at(d, "units", "callflows.user")["timeout"] = map[string]any{"unit": "s", "evidence": "e"}
		}, []string{`#/units/callflows.user/timeout: "timeout": want the JSON pointer`}},
		{"unit and unknown", func(d map[string]any) {
			at(d, "unit_unknown")["callflows.user"] = map[string]any{"/properties/timeout": "r"}
		},
			[]string{`#/unit_unknown/callflows.user/~1properties~1timeout: the field also has a unit`}},
		{"cause not upper case", func(d map[string]any) { at(d, "bridge_failure", "causes", 0)["cause"] = "user_busy" },
			[]string{`#/bridge_failure/causes/0/cause: "user_busy" is not an upper-case hangup cause`}},
		{"default cause not listed", func(d map[string]any) { at(d, "bridge_failure")["default_cause"] = "NO_ANSWER" },
			[]string{`#/bridge_failure/default_cause: "NO_ANSWER" is not among the causes`}},
		{"success code", func(d map[string]any) { at(d, "bridge_failure", "causes", 0)["sip_codes"] = []any{200} },
			[]string{`#/bridge_failure/causes/0/sip_codes/0: 200 is not a failure status`}},
		{"several problems at once", func(d map[string]any) {
			at(d, "modules", "user", "default")["used"] = "yes"
			at(d, "families", "cause")["method"] = "Cause"
		}, []string{
			`#/families/cause/method: "Cause": want On`,
			`#/modules/user/default/used: want a boolean, have a string`,
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := kazoo.Parse(edit(t, c.change), "t.json")
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), "t.json"+w) {
					t.Errorf("error lacks %q:\n%v", "t.json"+w, err)
				}
			}
			var e *kazoo.Error
			if !errors.As(err, &e) || e.File != "t.json" {
				t.Errorf("error is not a *kazoo.Error for t.json: %#v", err)
			}
		})
	}
}

func TestParseSyntaxError(t *testing.T) {
	_, err := kazoo.Parse([]byte("{\n  \"source\": \"x\",\n  oops\n}"), "bad.json")
	if err == nil || !strings.Contains(err.Error(), "bad.json: line 3, column 3") {
		t.Errorf("error %v, want the file, line and column", err)
	}
	for _, doc := range []string{`[]`, `"x"`, `null`} {
		if _, err := kazoo.Parse([]byte(doc), "bad.json"); err == nil || !strings.Contains(err.Error(), "bad.json#: want an object") {
			t.Errorf("%s: error %v", doc, err)
		}
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "modules.json"), []byte(smallTable), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := kazoo.Load(os.DirFS(dir), "modules.json"); err != nil {
		t.Error(err)
	}
	if _, err := kazoo.Load(os.DirFS(dir), "missing.json"); err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Errorf("missing file: %v", err)
	}
}

// FuzzParse checks that no input makes Parse panic, and that a table it
// accepts answers Lint and Reachable for its own keys.
func FuzzParse(f *testing.F) {
	f.Add([]byte(smallTable))
	f.Add([]byte(`{"modules": {"x": {"keys": [{"family": "y"}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := kazoo.Parse(data, "f.json")
		if err != nil {
			return
		}
		for _, m := range tab.Modules() {
			for _, k := range m.Keys {
				key := k.Fixed
				if k.Family != nil {
					key = k.Family.Example
				}
				if !tab.Reachable(m.Name, key) {
					t.Errorf("%s: own key %q unreachable", m.Name, key)
				}
				tab.Lint(m.Name, []byte(`{"action": "x"}`), []string{key, "_", ""})
			}
		}
	})
}
