package kazoo

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/kzgen/kzgen/runtime/kzrt"
)

// Table is the loaded table. Treat it, and everything it points to, as
// read-only: Embedded returns one Table shared by all callers.
type Table struct {
	// Source names the Kazoo code the facts were read from.
	Source string
	// DefaultCause and DefaultCode are the keys Kazoo tries when a failure
	// event carries no cause or no SIP code.
	DefaultCause, DefaultCode string
	// Causes are the common bridge-failure causes, in table order.
	Causes []*Cause
	// Families are the key families, by name.
	Families map[string]*Family

	modules     map[string]*Module
	units       map[string]map[string]UnitInfo
	unitUnknown map[string]map[string]string
	rules       *kzrt.BranchRules
}

// FixedKeys returns one entry per distinct fixed key of all modules (the
// first module's, by module name), sorted by key: the keys to declare as
// constants.
func (t *Table) FixedKeys() []*Key {
	byKey := map[string]*Key{}
	for _, m := range t.Modules() {
		for _, k := range m.Keys {
			if _, ok := byKey[k.Fixed]; k.Family == nil && !ok {
				byKey[k.Fixed] = k
			}
		}
	}
	out := make([]*Key, 0, len(byKey))
	for _, key := range slices.Sorted(maps.Keys(byKey)) {
		out = append(out, byKey[key])
	}
	return out
}

// Module returns the module called name, and false when the table does not
// know it.
func (t *Table) Module(name string) (*Module, bool) {
	m, ok := t.modules[name]
	return m, ok
}

// Modules returns every module, sorted by name.
func (t *Table) Modules() []*Module {
	names := slices.Sorted(maps.Keys(t.modules))
	out := make([]*Module, len(names))
	for i, name := range names {
		out[i] = t.modules[name]
	}
	return out
}

// Unit returns the unit of the field declared at pointer (a JSON pointer
// such as "/properties/timeout") in the schema schemaID, and false when the
// field has no known unit.
func (t *Table) Unit(schemaID, pointer string) (UnitInfo, bool) {
	u, ok := t.units[schemaID][pointer]
	return u, ok
}

// Units returns the fields of schema schemaID that have a known unit, by
// JSON pointer. The map is a copy.
func (t *Table) Units(schemaID string) map[string]UnitInfo {
	return maps.Clone(t.units[schemaID])
}

// UnitSchemas returns the ids of the schemas that have duration fields with
// a known unit or a reason for having none, sorted.
func (t *Table) UnitSchemas() []string {
	ids := slices.AppendSeq(slices.Collect(maps.Keys(t.units)), maps.Keys(t.unitUnknown))
	slices.Sort(ids)
	return slices.Compact(ids)
}

// UnitUnknown reports whether the field at pointer in schema schemaID is a
// duration whose unit the table leaves open on purpose, and why.
func (t *Table) UnitUnknown(schemaID, pointer string) (reason string, ok bool) {
	reason, ok = t.unitUnknown[schemaID][pointer]
	return reason, ok
}

// UnitsUnknown returns the duration fields of schema schemaID whose unit the
// table leaves open, by JSON pointer, with the reason. The map is a copy.
func (t *Table) UnitsUnknown(schemaID string) map[string]string {
	return maps.Clone(t.unitUnknown[schemaID])
}

// Cause is one FreeSWITCH hangup cause a failed call can report.
type Cause struct {
	// Cause is the key, e.g. "USER_BUSY".
	Cause string
	// Name is the Go name for a constant, e.g. "Busy".
	Name string
	// SIPCodes are the SIP statuses that typically come with the cause (a
	// failed call's code key is "sip:" followed by one); may be empty.
	SIPCodes []int
	// Meaning says what the cause means; Source where the codes come from.
	Meaning, Source string
}

// Module is what one callflow module does with the node's children.
type Module struct {
	// Name is the module name, e.g. "check_cid".
	Name string
	// Keys are the keys the module itself can select, in the order Kazoo
	// tries them; empty for modules that only use "_".
	Keys []*Key
	// Default says when "_" runs.
	Default Default
	// Notes adds what a developer should know beyond the keys; DocsDiffer
	// says where Kazoo's own documentation disagrees with its code. Either
	// may be empty.
	Notes, DocsDiffer string
}

// Match returns the entry of m.Keys that covers key, ignoring conditions on
// the node's data, or nil.
func (m *Module) Match(key string) *Key {
	for _, k := range m.Keys {
		if k.Matches(key) {
			return k
		}
	}
	return nil
}

// Key is one fixed key or key family a module reads.
type Key struct {
	// Fixed is the exact key, e.g. "match"; empty for a family.
	Fixed string
	// Family is the family of keys, nil for a fixed key.
	Family *Family
	// Method is the name of the builder method that attaches a child for
	// this key, e.g. "OnMatch" or "OnCause".
	Method string
	// When says when the module takes this key; Missing what Kazoo does
	// when the node has no such child.
	When, Missing string
	// OnlyIf are conditions on the node's data, all of which must hold for
	// the module to take this key.
	OnlyIf []Condition
}

// Const is the name of a fixed key's constant: its method without "On"
// ("OnNoMatch" gives "NoMatch"). Empty for a family.
func (k *Key) Const() string {
	if k.Family != nil {
		return ""
	}
	return strings.TrimPrefix(k.Method, "On")
}

// Matches reports whether key is this fixed key, or belongs to this family
// (its pattern and the argument's limits).
func (k *Key) Matches(key string) bool {
	if k.Family == nil {
		return key == k.Fixed
	}
	return k.Family.Matches(key)
}

// String names the key for messages: the fixed key quoted, or the family's
// noun.
func (k *Key) String() string {
	if k.Family == nil {
		return fmt.Sprintf("%q", k.Fixed)
	}
	return k.Family.Noun
}

// Family is a set of keys that share a form, e.g. menu digits or SIP codes.
type Family struct {
	// Name is the family's name in the table, e.g. "sip_code".
	Name string
	// Pattern matches every key of the family (anchored).
	Pattern *regexp.Regexp
	// Method is the builder method for one key of the family.
	Method string
	// Arg is the method's argument and how it becomes the key.
	Arg Arg
	// Example is one key of the family.
	Example string
	// Noun names the family in a list, e.g. "SIP codes such as sip:486".
	Noun string
	// Meaning says what the keys stand for.
	Meaning string

	// when and missing are the defaults of Key.When and Key.Missing for
	// modules whose entry leaves them out.
	when, missing string
	// rule is the family for kzrt's checks, made once by the loader.
	rule *kzrt.KeyFamily
}

// Matches reports whether key is one of the family's keys: it matches the
// pattern and, for a numeric argument, lies within its limits. "_" is never
// one: it is the default child.
func (f *Family) Matches(key string) bool { return f.Rule().Matches(key) }

// Rule returns the family as runtime/kzrt's lint rules hold it.
func (f *Family) Rule() *kzrt.KeyFamily {
	if f.rule == nil { // a Family not made by the loader
		return f.Arg.family(f.Name, f.Pattern, f.Noun)
	}
	return f.rule
}

// ArgType is the Go type of a builder method's argument.
type ArgType string

// The argument types.
const (
	// ArgString is a string used as the key itself.
	ArgString ArgType = "string"
	// ArgInteger is an integer written into the key with Arg.Format.
	ArgInteger ArgType = "integer"
	// ArgDuration is a time.Duration, counted in Arg.Unit and written into
	// the key with Arg.Format.
	ArgDuration ArgType = "duration"
	// ArgCause is a hangup cause (see Table.Causes) used as the key.
	ArgCause ArgType = "cause"
)

// Arg describes a family method's argument.
type Arg struct {
	// Type is the argument's type.
	Type ArgType
	// Format turns the number into the key (fmt syntax with one %d), for
	// ArgInteger and ArgDuration; e.g. "sip:%d".
	Format string
	// Min and Max bound the number; nil when unbounded.
	Min, Max *int64
	// Unit counts an ArgDuration.
	Unit Unit
}

// Key returns the key for the number n.
func (a Arg) Key(n int64) string { return a.family("", nil, "").Key(n) }

// Parse reads the number out of a key of Format's shape ("sip:486" gives
// 486). Leading zeros are accepted, as Kazoo's integer conversion accepts
// them; a family's pattern rejects them where Kazoo does not.
func (a Arg) Parse(key string) (int64, bool) { return a.family("", nil, "").Number(key) }

// InRange reports whether n lies within Min and Max.
func (a Arg) InRange(n int64) bool { return a.family("", nil, "").InRange(n) }

// family is the argument's part of a kzrt.KeyFamily.
func (a Arg) family(name string, pattern *regexp.Regexp, noun string) *kzrt.KeyFamily {
	return &kzrt.KeyFamily{Name: name, Pattern: pattern, Noun: noun,
		Numeric: a.Type == ArgInteger || a.Type == ArgDuration, Format: a.Format, Min: a.Min, Max: a.Max}
}

// Outcome is what happens after a module's work, as far as "_" is
// concerned.
type Outcome string

// The outcomes.
const (
	// Continue runs "_" next.
	Continue Outcome = "continue"
	// Stop ends the flow: the call is hung up, or a flow saved by an
	// earlier branching node resumes. "_" does not run.
	Stop Outcome = "stop"
	// Usurp hands the call to another application or process; the flow
	// does not go on here.
	Usurp Outcome = "usurp"
	// Branch runs another flow first; "_" runs when that flow ends.
	Branch Outcome = "branch"
	// Replace swaps the rest of the flow for a new one (a Pivot answer);
	// "_" does not run.
	Replace Outcome = "replace"
)

// RunsDefault reports whether "_" runs, now or later, after this outcome.
func (o Outcome) RunsDefault() bool { return o == Continue || o == Branch }

// Default says when a module runs its "_" child.
type Default struct {
	// Used is false for modules that never take "_" themselves (only
	// skip_module, or a crash, would).
	Used bool
	// AfterSuccess is what follows the module's normal finish: for a module
	// that chooses a named child, what follows when none is taken.
	AfterSuccess Outcome
	// AfterFailure is what follows a failed call attempt that no cause or
	// code child handles; empty for modules that make no call attempt.
	AfterFailure Outcome
	// About says it in words.
	About string
}

// Condition is a test on a node's data: a field that must be present or
// absent, or whose value (or default, when absent) must be one of a list.
// It is kzrt's type, so the conditions generated packages lint with are
// the table's own.
type Condition = kzrt.BranchCondition

// Unit is the unit a duration field counts in.
type Unit string

// The units.
const (
	Milliseconds Unit = "ms"
	Seconds      Unit = "s"
)

// Duration returns the length of one unit.
func (u Unit) Duration() time.Duration {
	if u == Milliseconds {
		return time.Millisecond
	}
	return time.Second
}

// Word returns the unit's name in prose: "milliseconds" or "seconds".
func (u Unit) Word() string {
	if u == Milliseconds {
		return "milliseconds"
	}
	return "seconds"
}

// UnitInfo is the unit of one field and the evidence for it.
type UnitInfo struct {
	Unit     Unit
	Evidence string
}
