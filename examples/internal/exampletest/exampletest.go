// Package exampletest holds the checks every example's test makes on a
// Pivot answer: Kazoo runs it, its own Validate accepts it, and Kazoo's real
// schemas accept it.
package exampletest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/internal/kazootest"
	"github.com/kzgen/kzgen/runtime/pivot/pivottest"
)

// Send sends c to h through the fake Kazoo and returns the callflow Kazoo
// runs, after Check. The answer is read into gen/callflow's types unless c
// names other Modules.
func Send(t *testing.T, h http.Handler, c pivottest.Call) (*pivottest.Result, *callflow.Node) {
	t.Helper()
	if c.Modules == nil {
		c.Modules = callflow.Modules()
	}
	res, err := c.Send(h)
	if err != nil {
		t.Fatal(err)
	}
	return res, Check(t, res)
}

// Check fails the test unless Kazoo runs the answer (status 200,
// Content-Type exactly application/json, one schema-valid node) without
// warnings, Node.Validate accepts it, and Kazoo's real schemas accept it
// (checked in a subtest, which skips when the schemas are absent).
func Check(t *testing.T, res *pivottest.Result) *callflow.Node {
	t.Helper()
	if err := res.Err(); err != nil {
		t.Fatalf("%v\nbody: %s", err, res.Body)
	}
	if len(res.Warnings) > 0 {
		t.Errorf("warnings: %q", res.Warnings)
	}
	if err := res.Node.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	t.Run("kazoo-schemas", func(t *testing.T) {
		set := kazootest.Oracle(t)
		if problems := kazootest.KazooTree(set, res.Body); len(problems) > 0 {
			t.Errorf("Kazoo's schemas reject the answer:\n%s\nbody: %s", strings.Join(problems, "\n"), res.Body)
		}
	})
	return res.Node
}

// Path returns the modules along the "_" children from n, e.g.
// ["tts", "collect_dtmf", "pivot"].
func Path(n *callflow.Node) []string {
	var mods []string
	for ; n != nil; n = n.Children[callflow.DefaultChild] {
		mods = append(mods, n.Module)
	}
	return mods
}
