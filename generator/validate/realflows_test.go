package validate_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/generator/validate"
	"github.com/kzgen/kzgen/internal/conformance"
	"github.com/kzgen/kzgen/internal/kazootest"
)

// TestDocumentedFlows: flows Kazoo's own documentation shows, as the fact
// sheets quote them, are valid Pivot answers.
func TestDocumentedFlows(t *testing.T) {
	v, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	for name, flow := range map[string]string{
		// The facts' part d, behaviour 1.
		"record_call doc": `{"module":"record_call","data":{}}`,
		"answer":          `{"module":"answer"}`,
		// pivot/doc/kazoo/collect.md: collect_dtmf whose "_" child pivots again.
		"collect then pivot": `{"module":"collect_dtmf","data":{"collection_name":"pin","max_digits":4},
			"children":{"_":{"module":"pivot","data":{"voice_url":"https://pivot.example.com/pin",
			"method":"get","req_format":"kazoo","debug":false}}}}`,
		// callflow/doc/README.md: bridge failures keyed by SIP code.
		"bridge failures": `{"module":"resources","data":{},"children":{"sip:404":{"module":"play","data":{"id":"not-found"}},
			"sip:486":{"module":"voicemail","data":{"id":"4b1a1f61ac2e35ab7d7ba9a8d3c10e4c"}},"_":{"module":"hangup","data":{}}}}`,
		// callflow/doc/pivot.md: "req_timeout" is no key of the schema
		// (req_timeout_ms is); it is kept and ignored.
		"pivot doc": `{"module":"pivot","data":{"voice_url":"https://pivot.example.com/","req_timeout":"5"}}`,
		// A menu with digit branches, timeout and max_retries.
		"menu": `{"module":"menu","data":{"id":"4b1a1f61ac2e35ab7d7ba9a8d3c10e4c"},"children":{"1":{"module":"user","data":{"id":"4b1a1f61ac2e35ab7d7ba9a8d3c10e4c"}},
			"timeout":{"module":"tts","data":{"text":"Goodbye"}},"max_retries":{"module":"hangup","data":{}}}}`,
	} {
		if res := v.Validate([]byte(flow), validate.Pivot); !res.Valid() {
			t.Errorf("%s: %v", name, res.Problems)
		}
	}
	// The fact sheets' counter-examples: pivot/doc/kazoo/recording.md uses
	// "say", which has no schema; a voice_url on the loopback address.
	for name, flow := range map[string]string{
		"say has no schema":  `{"module":"say","data":{"text":"hello"}}`,
		"loopback voice_url": `{"module":"pivot","data":{"voice_url":"http://127.0.0.1:8080/"}}`,
	} {
		if res := v.Validate([]byte(flow), validate.Pivot); res.Valid() {
			t.Errorf("%s: valid, Kazoo refuses it", name)
		}
	}
}

// docsKnownRefused are the reference pages whose example Kazoo refuses
// today, with the reason; the page generator is to fix them.
var docsKnownRefused = map[string]string{}

var jsonBlock = regexp.MustCompile("(?s)```json\n(.*?)\n```")

// TestReferencePageExamples: every example of the generated reference
// pages (docs/ref) is a flow Kazoo accepts.
func TestReferencePageExamples(t *testing.T) {
	root, ok := kazootest.ModuleRoot()
	if !ok {
		t.Fatal("no module root")
	}
	pages, err := filepath.Glob(filepath.Join(root, "docs", "ref", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, page := range pages {
		data, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(page)
		var refused []string
		for _, block := range jsonBlock.FindAllSubmatch(data, -1) {
			checked++
			if res := v.Validate(block[1], validate.Auto); !res.Valid() {
				refused = append(refused, res.Problems.Error())
			}
		}
		why, known := docsKnownRefused[name]
		switch {
		case known && len(refused) == 0:
			t.Errorf("%s: Kazoo accepts its examples now; remove it from docsKnownRefused", name)
		case known:
			t.Logf("%s: known to be refused (%s): %s", name, why, strings.Join(refused, "; "))
		case len(refused) > 0:
			t.Errorf("%s: Kazoo refuses an example: %s", name, strings.Join(refused, "; "))
		}
	}
	if checked < 78 {
		t.Errorf("only %d examples checked", checked)
	}
}

// TestConformanceOnKazooSchemas runs the suite against a validator built
// from Kazoo's own schema directory, as `kzgen validate -schemas DIR` does:
// its 777 schemas give the same verdicts as the embedded callflow closure.
func TestConformanceOnKazooSchemas(t *testing.T) {
	dir := kazootest.SchemaDir(t)
	kazoo, err := validate.FromFS(os.DirFS(dir), validate.WithName("kazoo-schemas"))
	if err != nil {
		t.Fatal(err)
	}
	conformance.Run(t, func(c conformance.Case) conformance.Verdict {
		v := kazoo
		if len(c.URLBlacklist) > 0 {
			b, err := validate.DefaultBlacklist().With(c.URLBlacklist...)
			if err != nil {
				t.Fatal(err)
			}
			if v, err = validate.FromFS(os.DirFS(dir), validate.WithBlacklist(b)); err != nil {
				t.Fatal(err)
			}
		}
		mode, _ := validate.ParseMode(c.Mode)
		res := v.Validate([]byte(c.Input), mode)
		return conformance.FromErrors(res.Problems, duplicateKeys(res))
	})
}
