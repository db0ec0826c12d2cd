package kzrt

import (
	"fmt"
	"maps"
	"slices"
)

// Modules is the set of callflow modules a generated package has a schema
// for, each with its data type. A generated package builds one with
// NewModules and returns it from its Modules function; it types callflow
// JSON node by node (ParseNode, ParseTree), and answers which modules
// exist.
type Modules struct {
	types map[string]ModuleType // by module name
	names []string              // sorted
	// nonModules are the names of the package's schemas callflows.<name>
	// that are no callflow module.
	nonModules map[string]bool
}

// ModuleType is one module's data type, as NewModules lists it; make one
// with DataType.
type ModuleType struct {
	name    string
	newData func() Data
}

// DataType returns the ModuleType whose data is a *T (DataType[TTSData]()),
// for the module *T's ModuleName names.
func DataType[T any, P interface {
	*T
	Data
}]() ModuleType {
	return ModuleType{name: P(new(T)).ModuleName(), newData: func() Data { return P(new(T)) }}
}

// NewModules lists the modules of a generated package, one ModuleType per
// module data type. It panics on two types of the same module: a mistake
// in the generated code, not in a user's input.
func NewModules(types ...ModuleType) *Modules {
	m := &Modules{types: make(map[string]ModuleType, len(types))}
	for _, t := range types {
		if _, dup := m.types[t.name]; dup {
			panic(fmt.Sprintf("kzrt.NewModules: module %q listed twice", t.name))
		}
		m.types[t.name] = t
	}
	m.names = slices.Sorted(maps.Keys(m.types))
	return m
}

// NonModules records the names under which the package has a schema
// callflows.<name> that is no callflow module: the node schema ("action")
// and item schemas ("audio_macro.prompt"). Kazoo's schema check accepts
// such a module name, since the schema exists, but the call fails when it
// runs; Parse marks their data NotAModule, so that Validate says so. It
// returns m, for a generated package's declaration.
func (m *Modules) NonModules(names ...string) *Modules {
	if m.nonModules == nil {
		m.nonModules = make(map[string]bool, len(names))
	}
	for _, n := range names {
		m.nonModules[n] = true
	}
	return m
}

// Names lists the modules, sorted.
func (m *Modules) Names() []string { return slices.Clone(m.names) }

// Has reports whether module is one of the modules.
func (m *Modules) Has(module string) bool {
	_, ok := m.types[module]
	return ok
}

// NewData returns empty typed data for a module, or false when the
// package has no schema for it.
func (m *Modules) NewData(module string) (Data, bool) {
	t, ok := m.types[module]
	if !ok {
		return nil, false
	}
	return t.newData(), true
}
