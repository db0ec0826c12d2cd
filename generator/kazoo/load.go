package kazoo

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"go/token"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/runtime/kzrt"
	"github.com/kzgen/kzgen/schemas"
)

// Error is one problem in the table, located by file and JSON pointer.
type Error struct {
	File, Pointer string
	Msg           string
}

// Error describes the problem, with its location.
func (e *Error) Error() string { return fmt.Sprintf("%s#%s: %s", e.File, e.Pointer, e.Msg) }

// embeddedFile is how errors name the embedded table: its path in the
// repository.
const embeddedFile = "schemas/" + schemas.ModulesTable

var embedded = sync.OnceValues(func() (*Table, error) {
	data, err := fs.ReadFile(schemas.Tables, schemas.ModulesTable)
	if err != nil {
		return nil, err
	}
	return Parse(data, embeddedFile)
})

// Embedded returns the table kzgen ships (schemas/kzgen/modules.json),
// loaded once.
func Embedded() (*Table, error) { return embedded() }

// Load reads and checks the table file name from fsys.
func Load(fsys fs.FS, name string) (*Table, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	return Parse(data, name)
}

// Parse checks and loads a table; file names it in errors. It reports every
// problem it finds, each an *Error, joined.
func Parse(data []byte, file string) (*Table, error) {
	doc, err := load.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	r := &reader{file: file}
	t := r.table(doc)
	if len(r.errs) > 0 {
		return nil, errors.Join(r.errs...)
	}
	return t, nil
}

// reader turns the decoded JSON into a Table, collecting every problem.
type reader struct {
	file string
	errs []error
}

func (r *reader) errorf(ptr, format string, args ...any) {
	r.errs = append(r.errs, &Error{File: r.file, Pointer: ptr, Msg: fmt.Sprintf(format, args...)})
}

func child(ptr, name string) string { return ptr + "/" + kzrt.EscapeToken(name) }

// object returns v as a JSON object; it reports another kind, and members
// not named in allowed.
func (r *reader) object(ptr string, v any, allowed ...string) map[string]any {
	obj, ok := v.(map[string]any)
	if !ok {
		r.errorf(ptr, "want an object, have %s", kind(v))
		return nil
	}
	for _, name := range slices.Sorted(maps.Keys(obj)) {
		if !slices.Contains(allowed, name) {
			r.errorf(child(ptr, name), "unknown member %q (allowed: %s)", name, strings.Join(allowed, ", "))
		}
	}
	return obj
}

// text returns the string member name of obj; required ones must be
// non-empty.
func (r *reader) text(ptr string, obj map[string]any, name string, required bool) string {
	v, ok := obj[name]
	if !ok {
		if required {
			r.errorf(child(ptr, name), "missing")
		}
		return ""
	}
	s, ok := v.(string)
	if !ok {
		r.errorf(child(ptr, name), "want a string, have %s", kind(v))
		return ""
	}
	if required && strings.TrimSpace(s) == "" {
		r.errorf(child(ptr, name), "empty")
	}
	return s
}

// boolean returns the required boolean member name of obj.
func (r *reader) boolean(ptr string, obj map[string]any, name string) bool {
	v, ok := obj[name]
	if !ok {
		r.errorf(child(ptr, name), "missing")
		return false
	}
	b, ok := v.(bool)
	if !ok {
		r.errorf(child(ptr, name), "want a boolean, have %s", kind(v))
	}
	return b
}

// integer returns the optional integer member name of obj.
func (r *reader) integer(ptr string, obj map[string]any, name string) *int64 {
	v, ok := obj[name]
	if !ok {
		return nil
	}
	n, err := jsonInt(v)
	if err != nil {
		r.errorf(child(ptr, name), "%v", err)
		return nil
	}
	return &n
}

// array returns the optional array member name of obj.
func (r *reader) array(ptr string, obj map[string]any, name string) []any {
	v, ok := obj[name]
	if !ok {
		return nil
	}
	a, ok := v.([]any)
	if !ok {
		r.errorf(child(ptr, name), "want an array, have %s", kind(v))
	}
	return a
}

func (r *reader) table(doc any) *Table {
	top := r.object("", doc, "about", "source", "bridge_failure", "families", "modules", "units", "unit_unknown")
	if top == nil {
		return nil
	}
	t := &Table{Source: r.text("", top, "source", true)}
	r.text("", top, "about", false)
	t.Families = r.families(top["families"])
	r.bridgeFailure(t, top["bridge_failure"])
	t.modules = r.modules(t, top["modules"])
	t.units = r.units(top["units"])
	t.unitUnknown = r.unitUnknown(top["unit_unknown"], t.units)
	t.rules = t.buildRules()
	return t
}

var (
	causePattern = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
	namePattern  = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	codePattern  = regexp.MustCompile(`^sip:[1-6][0-9]{2}$`)
)

func (r *reader) bridgeFailure(t *Table, v any) {
	const ptr = "/bridge_failure"
	obj := r.object(ptr, v, "default_cause", "default_code", "causes")
	if obj == nil {
		return
	}
	t.DefaultCause = r.text(ptr, obj, "default_cause", true)
	t.DefaultCode = r.text(ptr, obj, "default_code", true)
	if t.DefaultCode != "" && !codePattern.MatchString(t.DefaultCode) {
		r.errorf(ptr+"/default_code", "%q is not a SIP code key (sip:NNN)", t.DefaultCode)
	}
	seenCause, seenName := map[string]bool{}, map[string]bool{}
	for i, cv := range r.array(ptr, obj, "causes") {
		cptr := fmt.Sprintf("%s/causes/%d", ptr, i)
		cobj := r.object(cptr, cv, "cause", "name", "sip_codes", "meaning", "source")
		if cobj == nil {
			continue
		}
		c := &Cause{
			Cause:   r.text(cptr, cobj, "cause", true),
			Name:    r.text(cptr, cobj, "name", true),
			Meaning: r.text(cptr, cobj, "meaning", true),
			Source:  r.text(cptr, cobj, "source", true),
		}
		if c.Cause != "" && !causePattern.MatchString(c.Cause) {
			r.errorf(cptr+"/cause", "%q is not an upper-case hangup cause", c.Cause)
		}
		if seenCause[c.Cause] {
			r.errorf(cptr+"/cause", "%q listed twice", c.Cause)
		}
		if c.Name != "" && (!token.IsIdentifier(c.Name) || !token.IsExported(c.Name)) {
			r.errorf(cptr+"/name", "%q is not an exported Go identifier", c.Name)
		}
		if seenName[c.Name] {
			r.errorf(cptr+"/name", "name %q used twice", c.Name)
		}
		seenCause[c.Cause], seenName[c.Name] = true, true
		if _, ok := cobj["sip_codes"]; !ok {
			r.errorf(cptr+"/sip_codes", "missing (use [] when no code is typical)")
		}
		for j, code := range r.array(cptr, cobj, "sip_codes") {
			n, err := jsonInt(code)
			switch {
			case err != nil:
				r.errorf(fmt.Sprintf("%s/sip_codes/%d", cptr, j), "%v", err)
			case n < 300 || n > 699:
				r.errorf(fmt.Sprintf("%s/sip_codes/%d", cptr, j), "%d is not a failure status (300 to 699)", n)
			default:
				c.SIPCodes = append(c.SIPCodes, int(n))
			}
		}
		t.Causes = append(t.Causes, c)
	}
	if t.DefaultCause != "" && !seenCause[t.DefaultCause] {
		r.errorf(ptr+"/default_cause", "%q is not among the causes", t.DefaultCause)
	}
	// Every cause must be a key of the families that take a cause.
	for _, f := range t.sortedFamilies() {
		if f.Arg.Type != ArgCause {
			continue
		}
		for i, c := range t.Causes {
			if !f.Matches(c.Cause) {
				r.errorf(fmt.Sprintf("%s/causes/%d/cause", ptr, i), "%q does not match family %q", c.Cause, f.Name)
			}
		}
	}
}

func (r *reader) families(v any) map[string]*Family {
	const ptr = "/families"
	obj := r.object(ptr, v, keysOf(v)...)
	out := map[string]*Family{}
	methods := map[string]string{}
	for _, name := range slices.Sorted(maps.Keys(obj)) {
		fptr := child(ptr, name)
		fobj := r.object(fptr, obj[name], "pattern", "method", "arg", "example", "noun", "meaning", "when", "missing")
		if fobj == nil {
			continue
		}
		if !namePattern.MatchString(name) {
			r.errorf(fptr, "family name %q: want lower case, digits and _", name)
		}
		f := &Family{
			Name:    name,
			Method:  r.method(fptr, fobj),
			Example: r.text(fptr, fobj, "example", true),
			Noun:    r.text(fptr, fobj, "noun", true),
			Meaning: r.text(fptr, fobj, "meaning", true),
		}
		if other, ok := methods[f.Method]; ok {
			r.errorf(fptr+"/method", "%s is also the method of family %q", f.Method, other)
		}
		methods[f.Method] = name
		f.Pattern = r.pattern(fptr, fobj)
		f.Arg = r.arg(fptr+"/arg", fobj["arg"])
		f.when = r.text(fptr, fobj, "when", false)
		f.missing = r.text(fptr, fobj, "missing", false)
		if f.Pattern == nil {
			continue
		}
		f.rule = f.Arg.family(f.Name, f.Pattern, f.Noun)
		if f.Example != "" && !f.Matches(f.Example) {
			r.errorf(fptr+"/example", "%q is not a key of the family (pattern and limits)", f.Example)
		}
		out[name] = f
	}
	return out
}

// sortedFamilies returns the families sorted by name, so that problems are
// reported in a stable order.
func (t *Table) sortedFamilies() []*Family {
	out := make([]*Family, 0, len(t.Families))
	for _, name := range slices.Sorted(maps.Keys(t.Families)) {
		out = append(out, t.Families[name])
	}
	return out
}

// pattern compiles the anchored regular expression member "pattern".
func (r *reader) pattern(ptr string, obj map[string]any) *regexp.Regexp {
	src := r.text(ptr, obj, "pattern", true)
	if src == "" {
		return nil
	}
	if !strings.HasPrefix(src, "^") || !strings.HasSuffix(src, "$") {
		r.errorf(ptr+"/pattern", "%q must be anchored with ^ and $", src)
		return nil
	}
	re, err := regexp.Compile(src)
	if err != nil {
		r.errorf(ptr+"/pattern", "%v", err)
		return nil
	}
	if re.MatchString("") {
		r.errorf(ptr+"/pattern", "%q matches the empty key", src)
	}
	return re
}

// method returns the member "method": an exported Go identifier starting
// with "On".
func (r *reader) method(ptr string, obj map[string]any) string {
	m := r.text(ptr, obj, "method", true)
	if m != "" && (!token.IsIdentifier(m) || !strings.HasPrefix(m, "On") || !token.IsExported(strings.TrimPrefix(m, "On"))) {
		r.errorf(ptr+"/method", "%q: want On followed by an exported Go name", m)
	}
	return m
}

func (r *reader) arg(ptr string, v any) Arg {
	obj := r.object(ptr, v, "type", "format", "min", "max", "unit")
	if obj == nil {
		return Arg{}
	}
	a := Arg{
		Type:   ArgType(r.text(ptr, obj, "type", true)),
		Format: r.text(ptr, obj, "format", false),
		Min:    r.integer(ptr, obj, "min"),
		Max:    r.integer(ptr, obj, "max"),
		Unit:   Unit(r.text(ptr, obj, "unit", false)),
	}
	numeric := a.Type == ArgInteger || a.Type == ArgDuration
	switch {
	case !slices.Contains([]ArgType{ArgString, ArgInteger, ArgDuration, ArgCause}, a.Type):
		r.errorf(ptr+"/type", "%q: want string, integer, duration or cause", a.Type)
	case numeric && (strings.Count(a.Format, "%") != 1 || !strings.Contains(a.Format, "%d")):
		r.errorf(ptr+"/format", "%q: want a format with exactly one %%d", a.Format)
	case !numeric && (a.Format != "" || a.Min != nil || a.Max != nil):
		r.errorf(ptr, "format, min and max apply only to integer and duration arguments")
	}
	if a.Min != nil && a.Max != nil && *a.Min > *a.Max {
		r.errorf(ptr, "min %d is above max %d", *a.Min, *a.Max)
	}
	if (a.Type == ArgDuration) != (a.Unit != "") {
		r.errorf(ptr+"/unit", "a duration argument needs a unit, and only it")
	} else if a.Unit != "" {
		r.unit(ptr+"/unit", a.Unit)
	}
	return a
}

func (r *reader) unit(ptr string, u Unit) {
	if u != Milliseconds && u != Seconds {
		r.errorf(ptr, "unit %q: want \"ms\" or \"s\"", u)
	}
}

func (r *reader) modules(t *Table, v any) map[string]*Module {
	const ptr = "/modules"
	obj := r.object(ptr, v, keysOf(v)...)
	out := map[string]*Module{}
	// Across modules, one fixed key has one method and one method one
	// fixed key, so each can become one constant.
	methodOf, keyOf := map[string]string{}, map[string]string{}
	for _, name := range slices.Sorted(maps.Keys(obj)) {
		mptr := child(ptr, name)
		mobj := r.object(mptr, obj[name], "keys", "default", "notes", "docs_differ")
		if mobj == nil {
			continue
		}
		if !namePattern.MatchString(name) {
			r.errorf(mptr, "module name %q: want lower case, digits and _", name)
		}
		m := &Module{
			Name:       name,
			Notes:      r.text(mptr, mobj, "notes", false),
			DocsDiffer: r.text(mptr, mobj, "docs_differ", false),
		}
		if _, ok := mobj["keys"]; !ok {
			r.errorf(mptr+"/keys", "missing (use [] for a module that only uses \"_\")")
		}
		methods := map[string]bool{}
		for i, kv := range r.array(mptr, mobj, "keys") {
			kptr := fmt.Sprintf("%s/keys/%d", mptr, i)
			k := r.key(t, kptr, kv)
			if k == nil {
				continue
			}
			if methods[k.Method] {
				r.errorf(kptr, "method %s is used twice in module %s", k.Method, name)
			}
			methods[k.Method] = true
			if k.Fixed != "" {
				for _, other := range m.Keys {
					if other.Matches(k.Fixed) {
						r.errorf(kptr+"/key", "%q is also covered by %s", k.Fixed, other)
					}
				}
				if prev, ok := methodOf[k.Fixed]; ok && prev != k.Method {
					r.errorf(kptr+"/method", "key %q has method %s elsewhere", k.Fixed, prev)
				}
				if prev, ok := keyOf[k.Method]; ok && prev != k.Fixed {
					r.errorf(kptr+"/method", "method %s belongs to key %q elsewhere", k.Method, prev)
				}
				methodOf[k.Fixed], keyOf[k.Method] = k.Method, k.Fixed
			} else {
				for _, other := range m.Keys {
					if other.Family == nil && k.Matches(other.Fixed) {
						r.errorf(kptr+"/family", "family %s also covers the fixed key %q", k.Family.Name, other.Fixed)
					}
				}
			}
			m.Keys = append(m.Keys, k)
		}
		m.Default = r.defaultChild(mptr+"/default", mobj["default"])
		out[name] = m
	}
	// A family's method must not collide with a fixed key's anywhere.
	for _, f := range t.sortedFamilies() {
		if key, ok := keyOf[f.Method]; ok {
			r.errorf(child("/families", f.Name)+"/method", "%s is also the method of the fixed key %q", f.Method, key)
		}
	}
	return out
}

func (r *reader) key(t *Table, ptr string, v any) *Key {
	obj := r.object(ptr, v, "key", "family", "method", "when", "missing", "only_if")
	if obj == nil {
		return nil
	}
	_, isFixed := obj["key"]
	_, isFamily := obj["family"]
	k := &Key{}
	switch {
	case isFixed == isFamily:
		r.errorf(ptr, "want exactly one of \"key\" and \"family\"")
		return nil
	case isFixed:
		k.Fixed = r.text(ptr, obj, "key", true)
		k.Method = r.method(ptr, obj)
		if k.Fixed == "_" {
			r.errorf(ptr+"/key", "\"_\" is every module's default child, not a key to list")
		}
	default:
		name := r.text(ptr, obj, "family", true)
		k.Family = t.Families[name]
		if k.Family == nil {
			r.errorf(ptr+"/family", "no family %q", name)
			return nil
		}
		if _, ok := obj["method"]; ok {
			r.errorf(ptr+"/method", "a family key takes its method from the family")
		}
		k.Method = k.Family.Method
	}
	k.When = r.text(ptr, obj, "when", false)
	k.Missing = r.text(ptr, obj, "missing", false)
	if k.Family != nil {
		k.When = cmp.Or(k.When, k.Family.when)
		k.Missing = cmp.Or(k.Missing, k.Family.missing)
	}
	if k.When == "" {
		r.errorf(ptr+"/when", "missing (and the family gives none)")
	}
	if k.Missing == "" {
		r.errorf(ptr+"/missing", "missing (and the family gives none)")
	}
	for i, cv := range r.array(ptr, obj, "only_if") {
		if c, ok := r.condition(fmt.Sprintf("%s/only_if/%d", ptr, i), cv); ok {
			k.OnlyIf = append(k.OnlyIf, c)
		}
	}
	return k
}

func (r *reader) condition(ptr string, v any) (Condition, bool) {
	obj := r.object(ptr, v, "field", "present", "in", "default")
	if obj == nil {
		return Condition{}, false
	}
	c := Condition{Field: r.text(ptr, obj, "field", true)}
	_, hasPresent := obj["present"]
	_, hasIn := obj["in"]
	c.Default, c.HasDefault = obj["default"]
	switch {
	case hasPresent == hasIn:
		r.errorf(ptr, "want exactly one of \"present\" and \"in\"")
		return Condition{}, false
	case hasPresent:
		p := r.boolean(ptr, obj, "present")
		c.Present = &p
		if c.HasDefault {
			r.errorf(ptr+"/default", "a default applies only to \"in\"")
		}
	default:
		c.In = r.array(ptr, obj, "in")
		if len(c.In) == 0 {
			r.errorf(ptr+"/in", "empty")
		}
		for i, v := range c.In {
			r.conditionValue(fmt.Sprintf("%s/in/%d", ptr, i), v)
		}
		if c.HasDefault {
			r.conditionValue(ptr+"/default", c.Default)
		}
	}
	return c, true
}

// conditionValue checks a value a condition compares with: the conditions
// Kazoo's modules need test booleans and strings.
func (r *reader) conditionValue(ptr string, v any) {
	switch v.(type) {
	case bool, string:
	default:
		r.errorf(ptr, "want a boolean or a string, have %s", kind(v))
	}
}

var outcomes = []Outcome{Continue, Stop, Usurp, Branch, Replace}

func (r *reader) defaultChild(ptr string, v any) Default {
	obj := r.object(ptr, v, "used", "after_success", "after_failure", "about")
	if obj == nil {
		return Default{}
	}
	d := Default{
		Used:         r.boolean(ptr, obj, "used"),
		AfterSuccess: Outcome(r.text(ptr, obj, "after_success", true)),
		AfterFailure: Outcome(r.text(ptr, obj, "after_failure", false)),
		About:        r.text(ptr, obj, "about", true),
	}
	if d.AfterSuccess != "" && !slices.Contains(outcomes, d.AfterSuccess) {
		r.errorf(ptr+"/after_success", "%q: want one of %v", d.AfterSuccess, outcomes)
	}
	if d.AfterFailure != "" && !slices.Contains(outcomes, d.AfterFailure) {
		r.errorf(ptr+"/after_failure", "%q: want one of %v", d.AfterFailure, outcomes)
	}
	if !d.Used && (d.AfterSuccess.RunsDefault() || d.AfterFailure.RunsDefault()) {
		r.errorf(ptr+"/used", "false, but an outcome runs \"_\"")
	}
	return d
}

// schemaFields reads a map from schema id to JSON pointer to entry, calling
// visit for each entry, in sorted order.
func (r *reader) schemaFields(ptr string, v any, visit func(ptr, schema, field string, entry any)) {
	obj := r.object(ptr, v, keysOf(v)...)
	for _, schema := range slices.Sorted(maps.Keys(obj)) {
		sptr := child(ptr, schema)
		if schema == "" {
			r.errorf(sptr, "empty schema id")
		}
		fields := r.object(sptr, obj[schema], keysOf(obj[schema])...)
		for _, field := range slices.Sorted(maps.Keys(fields)) {
			fptr := child(sptr, field)
			if !strings.HasPrefix(field, "/properties/") {
				r.errorf(fptr, "%q: want the JSON pointer of a property declaration, starting /properties/", field)
			}
			visit(fptr, schema, field, fields[field])
		}
	}
}

func (r *reader) units(v any) map[string]map[string]UnitInfo {
	out := map[string]map[string]UnitInfo{}
	r.schemaFields("/units", v, func(ptr, schema, field string, entry any) {
		obj := r.object(ptr, entry, "unit", "evidence")
		if obj == nil {
			return
		}
		u := UnitInfo{Unit: Unit(r.text(ptr, obj, "unit", true)), Evidence: r.text(ptr, obj, "evidence", true)}
		r.unit(ptr+"/unit", u.Unit)
		if out[schema] == nil {
			out[schema] = map[string]UnitInfo{}
		}
		out[schema][field] = u
	})
	return out
}

func (r *reader) unitUnknown(v any, units map[string]map[string]UnitInfo) map[string]map[string]string {
	out := map[string]map[string]string{}
	r.schemaFields("/unit_unknown", v, func(ptr, schema, field string, entry any) {
		reason, ok := entry.(string)
		switch {
		case !ok:
			r.errorf(ptr, "want the reason as a string, have %s", kind(entry))
			return
		case strings.TrimSpace(reason) == "":
			r.errorf(ptr, "empty reason")
		}
		if _, dup := units[schema][field]; dup {
			r.errorf(ptr, "the field also has a unit in /units")
		}
		if out[schema] == nil {
			out[schema] = map[string]string{}
		}
		out[schema][field] = reason
	})
	return out
}

// kind names the JSON kind of a decoded value, for messages.
func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// jsonInt reads an integer decoded as json.Number.
func jsonInt(v any) (int64, error) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, fmt.Errorf("want an integer, have %s", kind(v))
	}
	i, err := n.Int64()
	if err != nil {
		return 0, fmt.Errorf("want an integer, have %s", n)
	}
	return i, nil
}

// keysOf returns the member names of v when it is an object: for maps whose
// keys are data, every name is allowed.
func keysOf(v any) []string {
	obj, _ := v.(map[string]any)
	return slices.Sorted(maps.Keys(obj))
}
