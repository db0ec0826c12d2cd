package kazoo_test

import (
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/generator/kazoo"
	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/generator/model"
	"github.com/kzgen/kzgen/internal/kazootest"
	"github.com/kzgen/kzgen/schemas"
)

func embedded(t *testing.T) *kazoo.Table {
	t.Helper()
	tab, err := kazoo.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// schemaModules returns the callflow modules that have a schema of their
// own: every callflows.<module>.json except the generic node schema
// (callflows.action) and the parts of audio_macro (callflows.audio_macro.*).
func schemaModules(t *testing.T) []string {
	t.Helper()
	files, err := fs.Glob(schemas.FS, "callflows.*.json")
	if err != nil {
		t.Fatal(err)
	}
	var mods []string
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(f, "callflows."), ".json")
		if name == "action" || strings.Contains(name, ".") {
			continue
		}
		mods = append(mods, name)
	}
	return mods
}

// TestModulesMatchSchemas checks that the table covers exactly the modules
// that have a schema.
func TestModulesMatchSchemas(t *testing.T) {
	tab := embedded(t)
	want := schemaModules(t)
	var got []string
	for _, m := range tab.Modules() {
		got = append(got, m.Name)
	}
	if !slices.Equal(got, want) {
		t.Errorf("table modules differ from the schemas:\n only in the table: %v\n only in schemas/: %v",
			minus(got, want), minus(want, got))
	}
	if len(want) != 78 {
		t.Errorf("%d callflow module schemas, want 78", len(want))
	}
}

// TestMethodsFreeInBuilders checks that no module schema has a property
// whose setter could be named like a branch method ("On…").
func TestMethodsFreeInBuilders(t *testing.T) {
	set := modelSet(t, "callflows.*")
	for _, name := range schemaModules(t) {
		s := set.Schema("callflows." + name)
		for _, f := range s.Root.Resolve().Fields {
			if f.Name == "on" || strings.HasPrefix(f.Name, "on_") || strings.HasPrefix(f.Name, "on-") {
				t.Errorf("callflows.%s has a property %q whose setter would clash with the On… branch methods", name, f.Name)
			}
		}
	}
}

// TestFamilyExamples checks that each family's example is a key of every
// module using the family, and that the argument's format round-trips.
func TestFamilyExamples(t *testing.T) {
	tab := embedded(t)
	for _, m := range tab.Modules() {
		for _, k := range m.Keys {
			if k.Family != nil && !tab.Reachable(m.Name, k.Family.Example) {
				t.Errorf("%s: example %q of family %s is not reachable", m.Name, k.Family.Example, k.Family.Name)
			}
		}
	}
	for _, f := range tab.Families {
		if f.Arg.Type != kazoo.ArgInteger && f.Arg.Type != kazoo.ArgDuration {
			continue
		}
		n, ok := f.Arg.Parse(f.Example)
		if !ok || f.Arg.Key(n) != f.Example {
			t.Errorf("family %s: example %q does not round-trip through format %q (got %d, %v)", f.Name, f.Example, f.Arg.Format, n, ok)
		}
	}
}

// TestCausesAreKeys checks that the causes, the default cause and the
// default code are keys of every module that reads failure keys.
func TestCausesAreKeys(t *testing.T) {
	tab := embedded(t)
	bridging := 0
	for _, m := range tab.Modules() {
		if !hasFamily(m, "cause") {
			continue
		}
		bridging++
		for _, c := range tab.Causes {
			if m.Match(c.Cause) == nil {
				t.Errorf("%s: cause %s is not a key", m.Name, c.Cause)
			}
			for _, code := range c.SIPCodes {
				if key := tab.Families["sip_code"].Arg.Key(int64(code)); m.Match(key) == nil {
					t.Errorf("%s: code %s of %s is not a key", m.Name, key, c.Cause)
				}
			}
		}
		if m.Match(tab.DefaultCode) == nil {
			t.Errorf("%s: default code %s is not a key", m.Name, tab.DefaultCode)
		}
	}
	if bridging != 8 {
		t.Errorf("%d modules read failure keys, want 8 (user, device, ring_group, group, route_to_cid, hotdesk, resources, offnet)", bridging)
	}
}

// TestModulesMatchFacts compares each module's keys with the fact sheet's
// tables of sections 3 (modules that continue to a named child) and 4
// (modules that only use "_"). A quoted key in backticks in a row's key
// column must be a key of the module (a fixed key, or an example of one of
// its families), every fixed key of the module must be quoted there, and a
// row that speaks of failure keys must have the cause and SIP-code
// families.
func TestModulesMatchFacts(t *testing.T) {
	root, ok := kazootest.ModuleRoot()
	if !ok {
		t.Skip("module root not found")
	}
	path := filepath.Join(root, "..", "shared", "kazoo-branch-keys.md")
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		t.Skipf("Kazoo's branch-key facts not found at ../shared/kazoo-branch-keys.md beside the module root: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	named := factRows(t, string(data), "## 3.")
	onlyDefault := factRows(t, string(data), "## 4.")
	if len(named) != 18 || len(onlyDefault) != 60 {
		t.Errorf("fact sheet: %d rows in section 3 and %d in section 4, want 18 and 60", len(named), len(onlyDefault))
	}

	tab := embedded(t)
	seen := map[string]bool{}
	for _, row := range append(slices.Clone(named), onlyDefault...) {
		if seen[row.module] {
			t.Errorf("fact sheet lists %s twice", row.module)
		}
		seen[row.module] = true
	}
	for _, m := range tab.Modules() {
		if !seen[m.Name] {
			t.Errorf("%s: not in the fact sheet's sections 3 and 4", m.Name)
		}
	}

	byModule := map[string]factRow{}
	for _, row := range named {
		byModule[row.module] = row
	}
	for _, row := range named {
		// "Same as resources": the row of the module named.
		if other, ok := strings.CutPrefix(row.keys, "Same as "); ok {
			if same, ok := byModule[strings.Trim(other, "` .")]; ok {
				row.keys, row.quoted = same.keys, same.quoted
			}
		}
		m, ok := tab.Module(row.module)
		if !ok {
			t.Errorf("fact sheet module %s is not in the table", row.module)
			continue
		}
		if len(m.Keys) == 0 {
			t.Errorf("%s: the fact sheet gives named children, the table none", m.Name)
		}
		for _, q := range row.quoted {
			if q != "_" && m.Match(q) == nil {
				t.Errorf("%s: the fact sheet's key %q is not a key in the table", m.Name, q)
			}
		}
		for _, k := range m.Keys {
			if k.Family == nil && !slices.Contains(row.quoted, k.Fixed) {
				t.Errorf("%s: the table's fixed key %q is not in the fact sheet's row (%v)", m.Name, k.Fixed, row.quoted)
			}
		}
		failure := strings.Contains(strings.ToLower(row.keys), "failure keys")
		hasFailure := hasFamily(m, "cause") && hasFamily(m, "sip_code")
		if failure != hasFailure {
			t.Errorf("%s: the fact sheet's row speaks of failure keys: %v; the table has the cause and SIP-code families: %v", m.Name, failure, hasFailure)
		}
	}
	for _, row := range onlyDefault {
		m, ok := tab.Module(row.module)
		if !ok {
			t.Errorf("fact sheet module %s is not in the table", row.module)
			continue
		}
		if len(m.Keys) != 0 {
			t.Errorf("%s: the fact sheet says it only uses \"_\", the table lists %d keys", m.Name, len(m.Keys))
		}
		never := strings.Contains(row.keys, "never used") || strings.TrimSpace(row.keys) == "none"
		if never && m.Default.Used {
			t.Errorf("%s: the fact sheet says \"_\" is never used (%q); the table says it is", m.Name, row.keys)
		}
	}
}

func hasFamily(m *kazoo.Module, name string) bool {
	return slices.ContainsFunc(m.Keys, func(k *kazoo.Key) bool { return k.Family != nil && k.Family.Name == name })
}

// factRow is one row of a fact-sheet table: the module, its key column, and
// the quoted strings in backticks of that column ("timeout" in `"timeout"`).
type factRow struct {
	module, keys string
	quoted       []string
}

var (
	backtickSpan = regexp.MustCompile("`([^`]*)`")
	quotedKey    = regexp.MustCompile(`^"([^"]*)"$`)
	moduleName   = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
)

// factRows returns the rows of the first table after the heading that
// starts with heading.
func factRows(t *testing.T, doc, heading string) []factRow {
	t.Helper()
	lines := strings.Split(doc, "\n")
	start := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, heading) })
	if start < 0 {
		t.Fatalf("fact sheet: no heading %q", heading)
	}
	var rows []factRow
	for _, line := range lines[start+1:] {
		if strings.HasPrefix(line, "## ") {
			break
		}
		if !strings.HasPrefix(line, "|") {
			if len(rows) > 0 {
				break // the table ended
			}
			continue
		}
		cells := splitRow(line)
		if len(cells) < 2 {
			continue
		}
		name := strings.Trim(strings.TrimSpace(cells[0]), "`*")
		if !moduleName.MatchString(name) || name == "module" {
			continue // header or separator
		}
		row := factRow{module: name, keys: cells[1]}
		for _, span := range backtickSpan.FindAllStringSubmatch(cells[1], -1) {
			if q := quotedKey.FindStringSubmatch(span[1]); q != nil {
				row.quoted = append(row.quoted, q[1])
			}
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		t.Fatalf("fact sheet: no table rows after %q", heading)
	}
	return rows
}

// splitRow splits a Markdown table row into cells, ignoring "|" inside
// backticks and escaped as "\|".
func splitRow(line string) []string {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "|")
	line = strings.TrimSuffix(line, "|")
	var cells []string
	var cell strings.Builder
	inCode := false
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == '`':
			inCode = !inCode
			cell.WriteByte(c)
		case c == '\\' && i+1 < len(line) && line[i+1] == '|':
			cell.WriteByte('|')
			i++
		case c == '|' && !inCode:
			cells = append(cells, strings.TrimSpace(cell.String()))
			cell.Reset()
		default:
			cell.WriteByte(c)
		}
	}
	return append(cells, strings.TrimSpace(cell.String()))
}

func minus(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}

// ---- units ----

// modelSet builds the model of the embedded schemas match selects, with
// their closure.
func modelSet(t *testing.T, match string) *model.Set {
	t.Helper()
	set, err := load.Read(schemas.FS, load.Options{Match: match, Name: "schemas"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Build(set)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// intField is an integer-valued property declared in a schema of the
// callflow closure.
type intField struct {
	schema, pointer, name, doc string
}

// integerFields returns every property of the callflow modules' schemas, and
// of the schemas they reference, whose value can be an integer, by schema id
// and pointer.
func integerFields(t *testing.T) map[[2]string]intField {
	t.Helper()
	out := map[[2]string]intField{}
	var walk func(*model.Type)
	walk = func(ty *model.Type) {
		if ty == nil {
			return
		}
		for _, f := range ty.Fields {
			if acceptsInteger(f.Type) {
				out[[2]string{f.Type.Schema.ID, f.Type.Pointer}] = intField{f.Type.Schema.ID, f.Type.Pointer, f.Name, f.Type.Doc}
			}
			walk(f.Type)
		}
		for _, p := range ty.PatternProps {
			walk(p.Type)
		}
		walk(ty.Additional)
		walk(ty.Items)
		walk(ty.Shared)
		for _, v := range ty.Variants {
			walk(v)
		}
	}
	for _, s := range modelSet(t, "callflows.*").Schemas {
		walk(s.Root)
	}
	return out
}

func acceptsInteger(ty *model.Type) bool {
	if ty.Kind == model.Integer {
		return true
	}
	return ty.Kind == model.Union && slices.ContainsFunc(ty.Variants, func(v *model.Type) bool { return v.Kind == model.Integer })
}

// timeLike matches property names that may hold a duration.
var timeLike = regexp.MustCompile(`timeout|_ms$|_sec$|_s$|delay|interval|duration|^ring|_time$|^time_|length|^max[_-]|^min[_-]|window|limit|wait|period|ttl|interdigit`)

// notDurations are time-like names of the callflow closure that count
// something else.
var notDurations = map[string]string{
	"max_digits":        "a number of digits",
	"min_digits":        "a number of digits",
	"max_participants":  "a number of callers",
	"max-members":       "a number of callers",
	"max_slot_number":   "a slot number",
	"ring_repeat_count": "a number of rings",
}

// TestUnits checks the units against the callflow schemas: each entry names
// an integer property; a unit agrees with the property's name (_ms, _sec)
// and with our description; and every time-like integer property has a
// unit, a reason for having none, or counts something else.
func TestUnits(t *testing.T) {
	tab := embedded(t)
	fields := integerFields(t)
	words := regexp.MustCompile(`(?i)\b(milliseconds?|seconds?)\b`)
	for _, id := range tab.UnitSchemas() {
		for ptr := range tab.UnitsUnknown(id) {
			if _, ok := fields[[2]string{id, ptr}]; !ok {
				t.Errorf("%s#%s: no integer property there in the callflow schemas", id, ptr)
			}
		}
		units := tab.Units(id)
		for _, ptr := range slices.Sorted(maps.Keys(units)) {
			u := units[ptr]
			f, ok := fields[[2]string{id, ptr}]
			if !ok {
				t.Errorf("%s#%s: no integer property there in the callflow schemas", id, ptr)
				continue
			}
			if (strings.HasSuffix(f.name, "_ms") && u.Unit != kazoo.Milliseconds) ||
				((strings.HasSuffix(f.name, "_sec") || strings.HasSuffix(f.name, "_s")) && u.Unit != kazoo.Seconds) {
				t.Errorf("%s#%s: unit %s contradicts the name %q", id, ptr, u.Unit, f.name)
			}
			// The first unit our description names is the field's; later
			// ones explain a default ("5000 (5 seconds)").
			if w := words.FindString(f.doc); w != "" {
				if said := strings.TrimSuffix(strings.ToLower(w), "s") + "s"; said != u.Unit.Word() {
					t.Errorf("%s#%s: unit %s, but our description says %q", id, ptr, u.Unit, w)
				}
			}
		}
	}
	for _, key := range slices.SortedFunc(maps.Keys(fields), func(a, b [2]string) int { return strings.Compare(a[0]+a[1], b[0]+b[1]) }) {
		f := fields[key]
		if !timeLike.MatchString(f.name) || notDurations[f.name] != "" {
			continue
		}
		_, hasUnit := tab.Unit(f.schema, f.pointer)
		_, unknown := tab.UnitUnknown(f.schema, f.pointer)
		if hasUnit == unknown {
			t.Errorf("%s#%s (%s): want exactly one of a unit or a reason for none (unit %v, reason %v)", f.schema, f.pointer, f.name, hasUnit, unknown)
		}
	}
}

// TestUnitFacts spot-checks the units the issue names.
func TestUnitFacts(t *testing.T) {
	tab := embedded(t)
	for _, c := range []struct {
		schema, pointer string
		want            kazoo.Unit
	}{
		{"callflows.collect_dtmf", "/properties/timeout", kazoo.Milliseconds},
		{"callflows.collect_dtmf", "/properties/interdigit_timeout", kazoo.Milliseconds},
		{"callflows.user", "/properties/timeout", kazoo.Seconds},
		{"callflows.ring_group", "/properties/endpoints/items/properties/timeout", kazoo.Seconds},
		{"callflows.pivot", "/properties/req_timeout_ms", kazoo.Milliseconds},
		{"callflows.send_dtmf", "/properties/duration_ms", kazoo.Milliseconds},
		{"callflows.audio_macro.tone", "/properties/duration_on", kazoo.Milliseconds},
		{"conferences.profile", "/properties/interval", kazoo.Milliseconds},
	} {
		u, ok := tab.Unit(c.schema, c.pointer)
		if !ok || u.Unit != c.want || u.Evidence == "" {
			t.Errorf("%s#%s: unit %q (known %v, evidence %q), want %q", c.schema, c.pointer, u.Unit, ok, u.Evidence, c.want)
		}
	}
	if _, ok := tab.Unit("callflows.sleep", "/properties/duration"); ok {
		t.Error("sleep's duration has a unit, but its unit is the field unit")
	}
	if got := kazoo.Milliseconds.Duration() * 5000; got.Seconds() != 5 {
		t.Errorf("5000 ms = %v", got)
	}
}

// TestFixedKeys checks the keys that become constants.
func TestFixedKeys(t *testing.T) {
	var got []string
	for _, k := range embedded(t).FixedKeys() {
		got = append(got, k.Fixed+"="+k.Const())
	}
	want := []string{"MAX_SLOT_EXCEEDED=MaxSlotExceeded", "ON_FAX=Fax", "ON_VOICE=Voice", "match=Match",
		"max_retries=MaxRetries", "nomatch=NoMatch", "rule_set=RuleSet", "timeout=Timeout"}
	if !slices.Equal(got, want) {
		t.Errorf("fixed keys %v, want %v", got, want)
	}
}
