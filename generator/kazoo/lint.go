package kazoo

import (
	"encoding/json"

	"github.com/kzgen/kzgen/runtime/kzrt"
)

// Warning is a child of a node that Kazoo never takes, or takes only under
// conditions the node does not meet. Kazoo accepts any child key, so these
// are warnings, not errors. It is kzrt's type: generated packages lint
// with the same rules (Table.Rules).
type Warning = kzrt.BranchWarning

// Rules returns the table's branch rules as runtime/kzrt holds them: the
// rules generated callflow packages declare (their Lint), and the ones
// Reachable and Lint apply here. One copy of the checks, in kzrt, serves
// both.
func (t *Table) Rules() *kzrt.BranchRules { return t.rules }

// Reachable reports whether the module itself can take the child key, for
// some node data: key is "_" and the module uses it, or key is one of the
// module's fixed keys or belongs to one of its families (within the
// family's limits). Setting skip_module makes any module take "_"; that is
// not counted. A module the table does not know may take anything, so the
// answer for it is true.
func (t *Table) Reachable(module, key string) bool { return t.rules.Reachable(module, key) }

// Lint checks the child keys of one node of module, whose data is the
// node's "data" object (nil when unknown: conditions on the data are then
// not checked). It returns a warning, sorted by key, for every child the
// module never takes or would not take with this data, with pointers
// relative to the node ("/children/matched"). It says nothing about
// modules the table does not know.
func (t *Table) Lint(module string, data json.RawMessage, keys []string) []Warning {
	return t.rules.CheckNode(module, data, keys)
}

// buildRules turns the loaded modules into kzrt's rules.
func (t *Table) buildRules() *kzrt.BranchRules {
	var mods []*kzrt.ModuleBranches
	for _, m := range t.Modules() {
		mb := &kzrt.ModuleBranches{Module: m.Name, UsesDefault: m.Default.Used, DefaultAbout: m.Default.About}
		for _, k := range m.Keys {
			bk := kzrt.BranchKey{Key: k.Fixed, OnlyIf: k.OnlyIf}
			if k.Family != nil {
				bk.Family = k.Family.Rule()
			}
			mb.Keys = append(mb.Keys, bk)
		}
		mods = append(mods, mb)
	}
	return kzrt.NewBranchRules(mods...)
}
