package wire

import (
	"encoding/json"
	"testing"
)

func TestParamsAndValueJSONMethods(t *testing.T) {
	var p Params
	if err := json.Unmarshal([]byte(`{"z":1,"a":[{"k":"v"}]}`), &p); err != nil {
		t.Fatal(err)
	}
	if p[0].Key != "z" || p.Get("a[0][k]") != "v" {
		t.Errorf("Unmarshal lost order or content: %s", EncodeJSON(p))
	}
	out, err := json.Marshal(p)
	if err != nil || string(out) != `{"z":1,"a":[{"k":"v"}]}` {
		t.Errorf("Marshal = %s, %v", out, err)
	}
	var v Value
	if err := json.Unmarshal([]byte(`[1,"x"]`), &v); err != nil || v.Kind() != KindList || len(v.Items()) != 2 {
		t.Errorf("Value Unmarshal = %v, %v", v, err)
	}
	if err := v.UnmarshalJSON([]byte(`[1] 2`)); err == nil {
		t.Error("Value.UnmarshalJSON accepted trailing data")
	}
	if err := p.UnmarshalJSON([]byte(`[]`)); err == nil {
		t.Error("Params.UnmarshalJSON accepted a list")
	}
	if v.Equal(String("[1,\"x\"]")) || !v.Equal(List(Number("1"), String("x"))) {
		t.Error("Value.Equal wrong")
	}
	if got := Object(Params{{Key: "k", Value: Number("1")}}).Members().Get("k"); got != "1" {
		t.Errorf("Members().Get = %q", got)
	}

	var set Params
	set.Set("a", String("1"))
	set.Set("b", String("2"))
	set.Set("a", String("3"))
	if EncodeForm(set) != "a=3&b=2" {
		t.Errorf("Set: %s", EncodeForm(set))
	}
}
