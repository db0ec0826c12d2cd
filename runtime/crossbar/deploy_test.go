package crossbar_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/crossbar"
	"github.com/kzgen/kzgen/runtime/crossbar/crossbartest"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// pivotFlow is a pivot node asking url with kazoo parameter names.
func pivotFlow(url string) *kzrt.Node {
	return callflow.Pivot(url).ReqFormat(callflow.PivotReqFormatKazoo).Node()
}

const startURL = "https://pivot.example.com/start"

func TestDeployIsIdempotent(t *testing.T) {
	srv, acct := fake(t, crossbartest.Options{})
	c := client(t, srv, crossbar.APIKey(acct.APIKey))
	spec := crossbar.DeploySpec{Name: "hello", Numbers: []string{"4155550100", "1001"}, Flow: pivotFlow(startURL)}

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
	spec.Flow = pivotFlow("https://pivot.example.com/v2")
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
	_, err = c.Deploy(ctx, crossbar.DeploySpec{Name: "hello", Numbers: []string{"4155550100"}, Flow: pivotFlow(startURL)})
	var taken *crossbar.NumberTakenError
	if !errors.As(err, &taken) || taken.CallflowID != holder || taken.CallflowName != "main" {
		t.Errorf("taken number: %v", err)
	}
	for _, spec := range []crossbar.DeploySpec{
		{Numbers: []string{"2000"}, Flow: pivotFlow(startURL)},
		{Name: "x", Flow: pivotFlow(startURL)},
		{Name: "x", Numbers: []string{"2000"}},
	} {
		if _, err := c.Deploy(ctx, spec); err == nil {
			t.Errorf("Deploy(%+v) accepted", spec)
		}
	}
	if _, err := acct.Create(crossbar.Callflows, map[string]any{"name": "main", "numbers": []string{"2001"}, "flow": map[string]any{"module": "hangup", "data": map[string]any{}}}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Deploy(ctx, crossbar.DeploySpec{Name: "main", Numbers: []string{"2002"}, Flow: pivotFlow(startURL)})
	if !errors.Is(err, crossbar.ErrNameNotUnique) || !strings.Contains(err.Error(), `2 callflows are named "main"`) {
		t.Errorf("two callflows of one name: %v", err)
	}
}

func TestPlanDeploySavesNothing(t *testing.T) {
	srv, acct := fake(t, crossbartest.Options{})
	c := client(t, srv, crossbar.APIKey(acct.APIKey))
	spec := crossbar.DeploySpec{Name: "hello", Numbers: []string{"4155550100"}, Flow: pivotFlow(startURL)}
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
	bad := crossbar.DeploySpec{Name: "other", Numbers: []string{"+14155550100"}, Flow: callflow.Pivot("http://127.0.0.1/").Node()}
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

// TestDeployFlowIsATree: the stored flow is the tree's JSON, every node at
// every depth; a tree that cannot be encoded (a loop) is refused with its
// JSON pointer before any request.
func TestDeployFlowIsATree(t *testing.T) {
	srv, acct := fake(t, crossbartest.Options{})
	c := client(t, srv, crossbar.APIKey(acct.APIKey))
	flow := callflow.TTS("Welcome.").Then(callflow.Menu().ID("a1b2c3d4e5f60718293a4b5c6d7e8f90").
		Branch("1", pivotFlow(startURL)).
		Then(callflow.Hangup()))
	d, err := c.Deploy(ctx, crossbar.DeploySpec{Name: "menu", Numbers: []string{"2000"}, Flow: flow.Node()})
	if err != nil {
		t.Fatal(err)
	}
	doc, _, _ := acct.Doc(crossbar.Callflows, d.ID)
	stored, _ := json.Marshal(doc["flow"])
	want := `{"children":{"_":{"children":{"1":{"data":{"req_format":"kazoo","voice_url":"https://pivot.example.com/start"},"module":"pivot"},` +
		`"_":{"data":{},"module":"hangup"}},"data":{"id":"a1b2c3d4e5f60718293a4b5c6d7e8f90"},"module":"menu"}},"data":{"text":"Welcome."},"module":"tts"}`
	if string(stored) != want {
		t.Errorf("stored flow\n%s\nwant\n%s", stored, want)
	}

	loop := callflow.Menu().Node()
	loop.SetChild("0", loop)
	before := srv.Requests()
	_, err = c.Deploy(ctx, crossbar.DeploySpec{Name: "loop", Numbers: []string{"2001"}, Flow: loop})
	if err == nil || !strings.Contains(err.Error(), "/children/0: loop back to the root") {
		t.Errorf("a looping flow: %v", err)
	}
	if n := srv.Requests() - before; n != 0 {
		t.Errorf("a looping flow sent %d requests", n)
	}
}

// TestDeploySpecDocument: the document Deploy sends for a new callflow,
// which tools check before deploying; the spec's name, numbers, patterns
// and flow win over Fields.
func TestDeploySpecDocument(t *testing.T) {
	spec := crossbar.DeploySpec{Name: "hello", Numbers: []string{"2000"}, Flow: callflow.Hangup().Node(),
		Fields: map[string]json.RawMessage{"name": json.RawMessage(`"other"`), "ringback": json.RawMessage(`{"early": "m1"}`)}}
	doc, err := spec.Document()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"flow":{"module":"hangup","data":{}},"name":"hello","numbers":["2000"],"patterns":[],"ringback":{"early":"m1"}}`
	if string(doc) != want {
		t.Errorf("Document:\n%s\nwant\n%s", doc, want)
	}
	loop := callflow.TTS("again").Node()
	loop.SetChild(callflow.DefaultChild, loop)
	spec.Flow = loop
	if _, err := spec.Document(); err == nil || !strings.Contains(err.Error(), "loop back to the root") {
		t.Errorf("a looping flow: %v", err)
	}
}
