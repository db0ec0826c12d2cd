package crossbar_test

import (
	"encoding/json"
	"testing"

	"github.com/kzgen/kzgen/runtime/crossbar"
	"github.com/kzgen/kzgen/runtime/crossbar/crossbartest"
)

// group encodes itself with a pointer receiver, as generated document
// types do, and keeps a property it has no field for.
type group struct {
	Name  string
	Extra map[string]json.RawMessage
}

func (g *group) MarshalJSON() ([]byte, error) {
	m := map[string]any{"name": g.Name, "endpoints": map[string]any{}}
	for k, v := range g.Extra {
		m[k] = v
	}
	return json.Marshal(m)
}

func (g *group) UnmarshalJSON(data []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	*g = group{Extra: map[string]json.RawMessage{}}
	for k, v := range m {
		switch k {
		case "name":
			json.Unmarshal(v, &g.Name)
		case "endpoints", "id":
		default:
			g.Extra[k] = v
		}
	}
	return nil
}

// TestCreateEncodesThroughThePointer: a document type whose MarshalJSON
// has a pointer receiver is encoded by it when passed by value too, so
// nothing it keeps outside its fields is lost.
func TestCreateEncodesThroughThePointer(t *testing.T) {
	srv, acct := fake(t, crossbartest.Options{})
	c := client(t, srv, crossbar.APIKey(acct.APIKey))
	saved, err := crossbar.Create(ctx, c, crossbar.Groups, group{Name: "Sales", Extra: map[string]json.RawMessage{"flags": json.RawMessage(`["queue"]`)}})
	if err != nil {
		t.Fatal(err)
	}
	if saved.Name != "Sales" || string(saved.Extra["flags"]) != `["queue"]` {
		t.Fatalf("saved %+v", saved)
	}
	ids := acct.IDs(crossbar.Groups)
	saved.Name = "Sales team"
	updated, err := crossbar.Update(ctx, c, crossbar.Groups, ids[0], saved)
	if err != nil {
		t.Fatal(err)
	}
	doc, _, _ := acct.Doc(crossbar.Groups, ids[0])
	if updated.Name != "Sales team" || doc["flags"] == nil || doc["name"] != "Sales team" {
		t.Errorf("updated %+v, stored %v", updated, doc)
	}
}
