package crossbar_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/runtime/crossbar"
	"github.com/kzgen/kzgen/runtime/crossbar/crossbartest"
)

const pivotFlow = `{"module":"pivot","data":{"voice_url":"https://pivot.example.com/start","req_format":"kazoo"}}`

func TestDeployIsIdempotent(t *testing.T) {
	srv, acct := fake(t, crossbartest.Options{})
	c := client(t, srv, crossbar.APIKey(acct.APIKey))
	spec := crossbar.DeploySpec{Name: "hello", Numbers: []string{"4155550100", "1001"}, Flow: json.RawMessage(pivotFlow)}

	d, err := c.Deploy(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	if d.Action != crossbar.DeployCreated || d.ID == "" || !slices.Equal(d.Numbers, []string{"+14155550100", "1001"}) {
		t.Fatalf("first deploy: %+v", d)
	}
	_, rev, _ := acct.Doc(crossbar.Callflows, d.ID)

	// The same again, with the number as Crossbar saved it and in another
	// order: nothing to change, nothing written.
	spec.Numbers = []string{"1001", "+14155550100"}
	again, err := c.Deploy(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	if again.Action != crossbar.DeployUnchanged || again.ID != d.ID {
		t.Errorf("second deploy: %+v", again)
	}
	if _, rev2, _ := acct.Doc(crossbar.Callflows, d.ID); rev2 != rev {
		t.Errorf("revision %s → %s: the unchanged callflow was written", rev, rev2)
	}

	// Fields set elsewhere (the UI's flags) survive an update.
	if _, err := crossbar.Patch[map[string]any](ctx, c, crossbar.Callflows, d.ID, map[string]any{"flags": []string{"ui"}}); err != nil {
		t.Fatal(err)
	}
	spec.Flow = json.RawMessage(`{"module":"pivot","data":{"voice_url":"https://pivot.example.com/v2","req_format":"kazoo"}}`)
	spec.Patterns = []string{"^\\*7(\\d+)$"}
	up, err := c.Deploy(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	if up.Action != crossbar.DeployUpdated || !slices.Equal(up.Changed, []string{"flow", "patterns"}) {
		t.Errorf("update: %+v", up)
	}
	doc, _, _ := acct.Doc(crossbar.Callflows, d.ID)
	if flags, _ := doc["flags"].([]any); len(flags) != 1 {
		t.Errorf("the update dropped other fields: %v", doc)
	}
	if ids := acct.IDs(crossbar.Callflows); len(ids) != 1 {
		t.Errorf("%d callflows, want 1", len(ids))
	}
}

func TestDeployRefusals(t *testing.T) {
	srv, acct := fake(t, crossbartest.Options{})
	c := client(t, srv, crossbar.APIKey(acct.APIKey))
	holder, err := acct.Create(crossbar.Callflows, map[string]any{"name": "main", "numbers": []string{"+14155550100"}, "flow": map[string]any{"module": "hangup", "data": map[string]any{}}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Deploy(ctx, crossbar.DeploySpec{Name: "hello", Numbers: []string{"4155550100"}, Flow: json.RawMessage(pivotFlow)})
	var taken *crossbar.NumberTakenError
	if !errors.As(err, &taken) || taken.CallflowID != holder || taken.CallflowName != "main" {
		t.Errorf("taken number: %v", err)
	}
	for _, spec := range []crossbar.DeploySpec{
		{Numbers: []string{"2000"}, Flow: json.RawMessage(pivotFlow)},
		{Name: "x", Flow: json.RawMessage(pivotFlow)},
		{Name: "x", Numbers: []string{"2000"}, Flow: json.RawMessage(`[` + pivotFlow + `]`)},
	} {
		if _, err := c.Deploy(ctx, spec); err == nil {
			t.Errorf("Deploy(%+v) accepted", spec)
		}
	}
	if _, err := acct.Create(crossbar.Callflows, map[string]any{"name": "main", "numbers": []string{"2001"}, "flow": map[string]any{"module": "hangup", "data": map[string]any{}}}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Deploy(ctx, crossbar.DeploySpec{Name: "main", Numbers: []string{"2002"}, Flow: json.RawMessage(pivotFlow)})
	if !errors.Is(err, crossbar.ErrNameNotUnique) || !strings.Contains(err.Error(), `2 callflows are named "main"`) {
		t.Errorf("two callflows of one name: %v", err)
	}
}

func TestPlanDeploySavesNothing(t *testing.T) {
	srv, acct := fake(t, crossbartest.Options{})
	c := client(t, srv, crossbar.APIKey(acct.APIKey))
	spec := crossbar.DeploySpec{Name: "hello", Numbers: []string{"4155550100"}, Flow: json.RawMessage(pivotFlow)}
	plan, err := c.PlanDeploy(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Action != crossbar.DeployCreated || !plan.DryRun || !slices.Equal(plan.Numbers, []string{"+14155550100"}) {
		t.Errorf("plan: %+v", plan)
	}
	if ids := acct.IDs(crossbar.Callflows); len(ids) != 0 {
		t.Fatalf("a dry run saved %v", ids)
	}

	// A schema problem comes from Crossbar's validation endpoint; a taken
	// number from the listing, since that endpoint does not check it.
	if _, err := c.Deploy(ctx, spec); err != nil {
		t.Fatal(err)
	}
	bad := crossbar.DeploySpec{Name: "other", Numbers: []string{"+14155550100"}, Flow: json.RawMessage(`{"module":"pivot","data":{"voice_url":"http://127.0.0.1/"}}`)}
	_, err = c.PlanDeploy(ctx, bad)
	var e *crossbar.Error
	var taken *crossbar.NumberTakenError
	if !errors.As(err, &e) || len(e.Problems) != 1 || e.Problems[0].Pointer != "/flow/data/voice_url" {
		t.Errorf("validation: %v", err)
	}
	if !errors.As(err, &taken) || taken.CallflowName != "hello" {
		t.Errorf("taken: %v", err)
	}
	if ids := acct.IDs(crossbar.Callflows); len(ids) != 1 {
		t.Errorf("a dry run saved: %v", ids)
	}
}
