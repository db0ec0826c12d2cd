package kzrt_test

import (
	"encoding/json"

	"github.com/kzgen/kzgen/runtime/kzrt"
)

// The module data types of these tests, written as kzgen generates them:
// "say" has a required "text" of 1 to 10 characters, "bye" nothing.

type sayData struct {
	Text  *string                    `json:"text,omitempty"`
	Extra map[string]json.RawMessage `json:"-"`
}

func (x *sayData) ModuleName() string { return "say" }

func (x *sayData) MarshalJSON() ([]byte, error) {
	var e kzrt.Encoder
	x.KzrtEncode(&e)
	return e.Bytes()
}

func (x *sayData) KzrtEncode(e *kzrt.Encoder) {
	e.OpenObject()
	if x.Text != nil {
		e.Key("text")
		e.String(*x.Text)
	}
	e.Extra(x.Extra)
	e.CloseObject()
}

func (x *sayData) UnmarshalJSON(data []byte) error {
	return kzrt.Unmarshal(data, x.KzrtDecode)
}

func (x *sayData) KzrtDecode(d *kzrt.Decoder) {
	*x = sayData{}
	if !d.OpenObject() {
		return
	}
	for d.NextMember() {
		switch string(d.Key()) {
		case "text":
			x.Text = new(d.String())
		default:
			d.Extra(&x.Extra)
		}
	}
}

func (x *sayData) Validate() error {
	var v kzrt.Validator
	x.KzrtValidate(&v)
	return v.Err()
}

func (x *sayData) KzrtValidate(v *kzrt.Validator) {
	if x.Text == nil {
		v.Missing("text")
		return
	}
	v.Push("text")
	v.Length(*x.Text, 1, 10)
	v.Pop()
}

type byeData struct {
	Extra map[string]json.RawMessage `json:"-"`
}

func (x *byeData) ModuleName() string { return "bye" }

func (x *byeData) MarshalJSON() ([]byte, error) {
	var e kzrt.Encoder
	x.KzrtEncode(&e)
	return e.Bytes()
}

func (x *byeData) KzrtEncode(e *kzrt.Encoder) {
	e.OpenObject()
	e.Extra(x.Extra)
	e.CloseObject()
}

func (x *byeData) UnmarshalJSON(data []byte) error {
	return kzrt.Unmarshal(data, x.KzrtDecode)
}

func (x *byeData) KzrtDecode(d *kzrt.Decoder) {
	*x = byeData{}
	if !d.OpenObject() {
		return
	}
	for d.NextMember() {
		d.Extra(&x.Extra)
	}
}

func (x *byeData) Validate() error                { return nil }
func (x *byeData) KzrtValidate(v *kzrt.Validator) {}

var testModules = kzrt.NewModules(kzrt.DataType[sayData](), kzrt.DataType[byeData]()).NonModules("action", "say.part")

func say(text string) *kzrt.Node { return kzrt.NewNode(&sayData{Text: &text}) }

func bye() *kzrt.Node { return kzrt.NewNode(&byeData{}) }

// then sets n's default child and returns n.
func then(n, next *kzrt.Node) *kzrt.Node {
	n.SetChild(kzrt.DefaultChild, next)
	return n
}

// pointers lists the JSON pointers of the problems in err.
func pointers(err error) []string {
	var out []string
	for _, e := range kzrt.AsErrors(err) {
		out = append(out, e.Pointer)
	}
	return out
}
