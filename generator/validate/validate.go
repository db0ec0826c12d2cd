// Package validate checks callflow JSON exactly as Kazoo does, driven by a
// schema set's model (generator/model) rather than by generated code.
//
// Kazoo validates with its fork of the Erlang library jesse plus an
// extension module of its own, and differs from a draft-04 validator in
// ways that decide verdicts: defaults are filled in before "required" is
// checked, keywords beside "$ref" apply, patterns are PCRE, only some
// formats are checked, duplicate keys keep the first copy, client URLs are
// checked against a blacklist, module names and module data are resolved
// through "callflows.<module>". The model states each of these facts; this
// package applies them to raw JSON bytes, with a decoding of its own that
// keeps key order, duplicate keys and number literals as written.
//
// A Validator is built once from a schema set (the embedded callflow
// schemas, a directory of a user's own Kazoo schemas with custom modules,
// or a model) and is safe for concurrent use. It checks a document in one
// of two modes: a Pivot answer (one bare node, against callflows.action)
// or a callflow document as Crossbar stores it (against callflows, with
// Crossbar's lenient second pass). Every problem is reported with its JSON
// pointer and the error code Kazoo reports for it, in the order Kazoo's
// validator meets them (schema order, not document order).
//
// Where the facts are unverified, the lenient choice is made: formats
// "ipv4", "ipv6" and "regex" are not checked; numbers beyond float64 are
// not compared with bounds; an escaped lone surrogate decodes to U+FFFD;
// hosts such as "127.1" or "::ffff:127.0.0.1" are compared as written;
// jesse's apply_defaults_to_empty_objects is not modelled; Kazoo's checks
// that need its database (storage references) are not run. Kazoo's
// validator also crashes on a non-string "module" where kzgen reports a
// type problem, and Crossbar stops at a missing number or pattern where
// kzgen also reports the schema's problems.
package validate

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"

	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/generator/model"
	"github.com/kzgen/kzgen/runtime/kzrt"
	"github.com/kzgen/kzgen/schemas"
)

// CodeJSON is the code of a problem with the JSON text itself (malformed,
// or nested too deep); Kazoo records those as "json_errors" and never
// reaches its schemas.
const CodeJSON = "json"

// Mode says what a document is and so how Kazoo checks it.
type Mode int

// The modes.
const (
	// Auto picks Callflow for an object with "flow" and no "module",
	// Pivot for anything else (see DetectMode).
	Auto Mode = iota
	// Pivot is the answer of a Pivot server: one bare node checked
	// against callflows.action, every node's data against
	// callflows.<module>. A document wrapped in {"flow": …} is no answer.
	Pivot
	// Callflow is a callflow document as Crossbar stores it: checked
	// against callflows, with at least one number or pattern, and, when a
	// first pass fails, Crossbar's type conversions ("2000" → 2000, 2000.0
	// → 2000, "true" → true) and a second pass. Stored callflows are more
	// lenient than Pivot answers.
	Callflow
)

// String names the mode for messages: "Pivot answer", "callflow document".
func (m Mode) String() string {
	switch m {
	case Pivot:
		return "Pivot answer"
	case Callflow:
		return "callflow document"
	}
	return "auto"
}

// ParseMode reads a mode's short name: "pivot", "callflow" or "auto".
func ParseMode(s string) (Mode, error) {
	switch s {
	case "pivot":
		return Pivot, nil
	case "callflow":
		return Callflow, nil
	case "auto", "":
		return Auto, nil
	}
	return Auto, fmt.Errorf("unknown mode %q: want pivot, callflow or auto", s)
}

// Result is what one validation found.
type Result struct {
	// Mode is the mode the document was checked in (never Auto).
	Mode Mode
	// Problems lists every problem, each with its JSON pointer, Kazoo's
	// error code and a message; empty when the document is valid.
	Problems kzrt.Errors
	// Warnings are findings that do not make the document invalid: a key
	// written twice (Kazoo reads the first copy), a value Crossbar
	// converts before accepting it, a child Kazoo never takes.
	Warnings []Warning
}

// Valid reports whether Kazoo accepts the document.
func (r *Result) Valid() bool { return len(r.Problems) == 0 }

// Err returns the problems as a kzrt.Errors error, nil when valid.
func (r *Result) Err() error {
	if r.Valid() {
		return nil
	}
	return r.Problems
}

// The kinds of Warning.
const (
	// DuplicateKey: a key written twice in one object; Kazoo reads the
	// first copy.
	DuplicateKey = "duplicate_key"
	// Converted: a value Crossbar converts to the type its schema wants
	// before storing a callflow ("2000" → 2000).
	Converted = "converted"
)

// Warning is a finding that does not make the document invalid.
type Warning struct {
	// Kind is DuplicateKey, Converted or UnreachableChild.
	Kind string
	// Pointer is the JSON pointer of the value concerned.
	Pointer string
	// Line and Column locate it in the text (1-based; 0 when unknown).
	Line, Column int
	// Message says what was found.
	Message string
}

// String renders the warning: "/data/text (line 3, column 5): message".
func (w Warning) String() string {
	where := w.Pointer
	if where == "" {
		where = "(root)"
	}
	if w.Line > 0 {
		where += fmt.Sprintf(" (line %d, column %d)", w.Line, w.Column)
	}
	return where + ": " + w.Message
}

// Option configures a Validator.
type Option func(*config) error

type config struct {
	blacklist *Blacklist
	stability int
	strict    bool
	maxDepth  int
	name      string
}

// WithBlacklist sets the client blacklist Kazoo's URL check uses; the
// default is DefaultBlacklist. Build an extended one with
// DefaultBlacklist().With(…).
func WithBlacklist(b *Blacklist) Option {
	return func(c *config) error {
		if b == nil {
			return errors.New("nil blacklist")
		}
		c.blacklist = b
		return nil
	}
}

// WithStabilityLevel sets the system's stability level Crossbar checks
// stored callflows with ("stable", "beta" or "alpha"): a property whose
// schema has a lower "stability_level" is refused. Unset (the default),
// nothing is checked, as Kazoo does when the system has no level.
func WithStabilityLevel(level string) Option {
	return func(c *config) error {
		n, ok := stabilityLevels[level]
		if !ok {
			return fmt.Errorf("unknown stability level %q: want stable, beta or alpha", level)
		}
		c.stability = n
		return nil
	}
}

// WithStrict turns Crossbar's strict validation on: a stored callflow
// that fails gets no type conversion and no second pass.
func WithStrict() Option {
	return func(c *config) error {
		c.strict = true
		return nil
	}
}

// WithMaxDepth limits how deeply arrays and objects may nest (default
// 1000, about 500 callflow nodes chained); deeper input is a problem, never
// a crash.
func WithMaxDepth(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("max depth %d: must be at least 1", n)
		}
		c.maxDepth = n
		return nil
	}
}

// WithName sets how FromFS names the schema directory in errors.
func WithName(name string) Option {
	return func(c *config) error {
		c.name = name
		return nil
	}
}

// stabilityLevels orders Kazoo's stability levels.
var stabilityLevels = map[string]int{"alpha": 1, "beta": 2, "stable": 3}

// Validator checks documents against one schema set. Build it once; it is
// safe for concurrent use.
type Validator struct {
	set       *model.Set
	cfg       config
	nodes     map[*model.Type]*node
	action    *node // callflows.action
	document  *node // callflows
	metaflows bool  // the set has metaflows.<module> schemas
}

// New returns a validator over kzgen's embedded callflow schemas.
func New(opts ...Option) (*Validator, error) {
	c := config{name: embeddedName}
	for _, o := range opts {
		if err := o(&c); err != nil {
			return nil, err
		}
	}
	if c.name != embeddedName {
		return FromFS(schemas.FS, append([]Option{WithName(embeddedName)}, opts...)...)
	}
	set, err := embeddedSet()
	if err != nil {
		return nil, err
	}
	return FromSet(set, opts...)
}

// embeddedName is how errors name the embedded schema directory.
const embeddedName = "schemas"

// embeddedSet is the model of the embedded schemas, read and built once
// per process: nothing changes a model after model.Build, so every
// validator New returns shares it (test kits build many).
var embeddedSet = sync.OnceValues(func() (*model.Set, error) {
	set, err := load.Read(schemas.FS, load.Options{Name: embeddedName})
	if err != nil {
		return nil, err
	}
	return model.Build(set)
})

// FromFS returns a validator over every schema of fsys, a directory of
// Kazoo schema files (<id>.json): the callflow schemas, custom modules
// included, metaflows and anything else ValidateSchema may be asked for.
func FromFS(fsys fs.FS, opts ...Option) (*Validator, error) {
	var c config
	for _, o := range opts {
		if err := o(&c); err != nil {
			return nil, err
		}
	}
	set, err := load.Read(fsys, load.Options{Name: c.name})
	if err != nil {
		return nil, err
	}
	m, err := model.Build(set)
	if err != nil {
		return nil, err
	}
	return FromSet(m, opts...)
}

// FromSet returns a validator over a schema set's model. Pivot answers
// need callflows.action in the set and callflow documents need callflows
// (see CheckModes); ValidateSchema works with any set.
func FromSet(set *model.Set, opts ...Option) (*Validator, error) {
	v := &Validator{set: set, cfg: config{blacklist: DefaultBlacklist(), maxDepth: 1000}}
	for _, o := range opts {
		if err := o(&v.cfg); err != nil {
			return nil, err
		}
	}
	if err := v.compile(); err != nil {
		return nil, err
	}
	if s := set.Schema("callflows.action"); s != nil {
		v.action = v.nodes[s.Root]
	}
	if s := set.Schema("callflows"); s != nil {
		v.document = v.nodes[s.Root]
	}
	v.metaflows = set.HasFamily(model.MetaflowFamily)
	return v, nil
}

// CheckModes reports whether the set holds the schemas both modes check
// against: callflows.action for Pivot answers, callflows for callflow
// documents. Without them Validate reports a problem instead.
func (v *Validator) CheckModes() error {
	var missing []string
	if v.action == nil {
		missing = append(missing, "callflows.action")
	}
	if v.document == nil {
		missing = append(missing, "callflows")
	}
	if len(missing) > 0 {
		return fmt.Errorf("the schema set has no %s", strings.Join(missing, " and no "))
	}
	return nil
}

// Blacklist returns the client blacklist the validator checks URLs with.
func (v *Validator) Blacklist() *Blacklist { return v.cfg.blacklist }

// DetectMode says how Auto reads data: Callflow for a JSON object with a
// "flow" key and no "module" key, Pivot for anything else (malformed JSON
// included).
func DetectMode(data []byte) Mode {
	root, _, err := decode(data, 1000)
	if err != nil {
		return Pivot
	}
	return detect(root)
}

func detect(root *value) Mode {
	if root.kind == kindObject && root.get("flow") != nil && root.get("module") == nil {
		return Callflow
	}
	return Pivot
}

// Validate checks data, the bytes of one JSON document, in mode.
func (v *Validator) Validate(data []byte, mode Mode) *Result {
	root, res := v.decode(data)
	if root == nil {
		if mode == Auto {
			mode = Pivot
		}
		res.Mode = mode
		return res
	}
	if mode == Auto {
		mode = detect(root)
	}
	res.Mode = mode
	switch {
	case mode == Callflow && v.document != nil:
		v.validateDocument(root, res)
	case mode == Pivot && v.action != nil:
		res.Problems = v.run(v.action, root).problems
	default:
		res.Problems = kzrt.Errors{{Code: model.CodeError, Message: v.CheckModes().Error()}}
	}
	lintBranches(root, mode, res)
	return res
}

// ValidateSchema checks data against the schema id alone, with Kazoo's
// semantics (defaults, PCRE patterns, extra checks…) but no mode of its
// own: it is how Kazoo checks a module's data against callflows.<module>.
func (v *Validator) ValidateSchema(id string, data []byte) (*Result, error) {
	s := v.set.Schema(id)
	if s == nil {
		return nil, fmt.Errorf("no schema %s in the set", id)
	}
	root, res := v.decode(data)
	if root != nil {
		res.Problems = v.run(v.nodes[s.Root], root).problems
	}
	return res, nil
}

// DefaultProblems returns what Kazoo finds in the default of a property of
// type t when it fills it in for a missing property: it checks an
// inserted default like any value, and a default can break its own schema
// (callflows.audio_macro's macros defaults to [] but needs one item). The
// pointers are relative to the property; nil when the default passes, or
// when t has none. t must be a type of the validator's model.
func (v *Validator) DefaultProblems(t *model.Type) (kzrt.Errors, error) {
	if t.Default == nil {
		return nil, nil
	}
	n := v.nodes[t]
	if n == nil {
		return nil, fmt.Errorf("%s %s: not a type of the validator's schema set", t.Schema.ID, t.Pointer)
	}
	val, err := decodeSchemaValue(t.Default)
	if err != nil {
		return nil, fmt.Errorf("%s %s: default: %w", t.Schema.ID, t.Pointer, err)
	}
	return v.run(n, val).problems, nil
}

// decode reads data, returning nil and a Result holding the problem when
// it is not JSON, else the value and a Result holding the duplicate-key
// warnings.
func (v *Validator) decode(data []byte) (*value, *Result) {
	res := &Result{}
	root, dups, err := decode(data, v.cfg.maxDepth)
	if err != nil {
		res.Problems = kzrt.Errors{{Code: CodeJSON, Message: err.Error()}}
		return nil, res
	}
	for _, d := range dups {
		res.Warnings = append(res.Warnings, Warning{Kind: DuplicateKey, Pointer: d.pointer, Line: d.line, Column: d.column,
			Message: fmt.Sprintf("duplicate key: Kazoo reads the first copy (line %d) and ignores this one", d.firstLine)})
	}
	return root, res
}
