package golang

import (
	"strings"
	"testing"

	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/generator/model"
	"github.com/kzgen/kzgen/schemas"
)

// treeWriter is a TreeWriter for the embedded callflow schemas.
func treeWriter(t *testing.T) *TreeWriter {
	t.Helper()
	set, err := load.Read(schemas.FS, load.Options{Match: schemas.CallflowMatch})
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Build(set)
	if err != nil {
		t.Fatal(err)
	}
	w, err := NewTreeWriter(m, Options{Package: "callflow", TrimPrefix: DefaultTrimPrefix, TypeSuffix: DefaultTypeSuffix, Nodes: true})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// The docs' tests compile and run the code on the reference pages against
// gen/callflow; here: each kind of key gets its method, in Kazoo's order.
func TestTreeCode(t *testing.T) {
	w := treeWriter(t)
	for _, c := range []struct{ tree, want string }{
		{`{"module":"menu","data":{"id":"m1"},"children":{
			"_":{"module":"hangup","data":{}},
			"timeout":{"module":"tts","data":{"text":"late"}},
			"1":{"module":"tts","data":{"text":"one"}},
			"other":{"module":"hangup"}}}`,
			`Menu().ID("m1").
	OnDigits("1", TTS("one")).
	OnTimeout(TTS("late")).
	Branch("other", Hangup()).
	Then(Hangup()).Node()`},
		// a cause by its constant, a SIP code by number; a key written
		// with a leading zero stays a Branch, which writes it as it is
		{`{"module":"ring_group","data":{"endpoints":[{"id":"u1","endpoint_type":"user"}]},"children":{
			"USER_BUSY":{"module":"hangup"},"MEDIA_TIMEOUT":{"module":"hangup"},"sip:486":{"module":"hangup"},"sip:0487":{"module":"hangup"}}}`,
			`OnCause(Cause("MEDIA_TIMEOUT"), Hangup()).
	OnCause(Busy, Hangup()).
	OnSIPCode(486, Hangup()).
	Branch("sip:0487", Hangup())`},
	} {
		got, err := w.Code([]byte(c.tree))
		if err != nil {
			t.Errorf("%s: %v", c.tree, err)
			continue
		}
		if !strings.Contains(got, c.want) {
			t.Errorf("got\n%s\nwant it to contain\n%s", got, c.want)
		}
	}
}

func TestTreeCodeErrors(t *testing.T) {
	w := treeWriter(t)
	deep := strings.Repeat(`{"module":"noop","children":{"_":`, 2000) + `{"module":"noop"}` + strings.Repeat(`}}`, 2000)
	for tree, want := range map[string]string{
		`[]`:                "the root: a node is a JSON object",
		`{"module":"nope"}`: `/module: the package has no builder for module "nope"`,
		`{"module":"tts","data":{"text":"a","bogus":1}}`:    `/data: the builder has no way to set ["bogus"]`,
		`{"module":"menu","children":{"1":{"module":"x"}}}`: `/children/1/module: the package has no builder`,
		`{"module":"menu","children":{"a/b":{"data":[]}}}`:  `/children/a~1b/module`,
		`{"module":"menu","children":[]}`:                   `/children: the children are no JSON object`,
		deep:                                                "deeper than",
	} {
		_, err := w.Code([]byte(tree))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%.60s: error %v, want %q", tree, err, want)
		}
	}
}
