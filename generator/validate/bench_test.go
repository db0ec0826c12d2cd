package validate_test

import (
	"testing"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/generator/load/reference"
	"github.com/kzgen/kzgen/generator/validate"
	"github.com/kzgen/kzgen/internal/kazootest"
	"github.com/kzgen/kzgen/schemas"
)

// benchAnswer is a realistic Pivot answer: an IVR menu with a greeting,
// user and voicemail branches, a follow-up pivot and an audio macro.
var benchAnswer = []byte(`{"module":"tts","data":{"text":"Welcome to Example Corp. For sales, press 1. For support, press 2.","voice":"female","language":"en-US"},
"children":{"_":{"module":"menu","data":{"id":"4b1a1f61ac2e35ab7d7ba9a8d3c10e4c","max_retries":3,"timeout":"5000"},
"children":{"1":{"module":"ring_group","data":{"endpoints":[{"id":"4b1a1f61ac2e35ab7d7ba9a8d3c10e4c","endpoint_type":"user","delay":0,"timeout":20},
{"id":"e3b0c44298fc1c149afbf4c8996fb924","endpoint_type":"device","delay":5,"timeout":20}],"strategy":"simultaneous","timeout":30},
"children":{"_":{"module":"voicemail","data":{"id":"e3b0c44298fc1c149afbf4c8996fb924"}}}},
"2":{"module":"collect_dtmf","data":{"collection_name":"ticket","max_digits":8,"terminators":["#"]},
"children":{"_":{"module":"pivot","data":{"voice_url":"https://ivr.example.com/ticket","method":"post","req_format":"kazoo","req_timeout_ms":3000}}}},
"0":{"module":"audio_macro","data":{"macros":[{"macro":"play","id":"4b1a1f61ac2e35ab7d7ba9a8d3c10e4c"},{"macro":"tone","frequencies":[440,480],"duration_on":2000},{"macro":"tts","text":"Goodbye"}]},
"children":{"_":{"module":"hangup","data":{}}}}}}}}`)

// BenchmarkValidate checks one Pivot answer with a validator built once.
func BenchmarkValidate(b *testing.B) {
	v, err := validate.New()
	if err != nil {
		b.Fatal(err)
	}
	if res := v.Validate(benchAnswer, validate.Pivot); !res.Valid() {
		b.Fatal(res.Problems)
	}
	b.SetBytes(int64(len(benchAnswer)))
	b.ReportAllocs()
	for b.Loop() {
		v.Validate(benchAnswer, validate.Pivot)
	}
}

// BenchmarkGeneratedParseValidate is a baseline: the generated code's
// Parse and Validate on the same answer (its verdict on audio_macro items
// differs, which costs it nothing here).
func BenchmarkGeneratedParseValidate(b *testing.B) {
	b.SetBytes(int64(len(benchAnswer)))
	b.ReportAllocs()
	for b.Loop() {
		tree, err := callflow.Parse(benchAnswer)
		if err == nil {
			_ = tree.Validate()
		}
	}
}

// BenchmarkDraft04Tree is a baseline: santhosh-tekuri's draft-04
// validator applied node by node, as the tests used it.
func BenchmarkDraft04Tree(b *testing.B) {
	set, err := reference.Load(schemas.FS, load.Options{Name: "schemas"})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(benchAnswer)))
	b.ReportAllocs()
	for b.Loop() {
		kazootest.Draft04Tree(set, benchAnswer, "pivot")
	}
}

// BenchmarkNew builds the validator over the embedded schemas.
func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := validate.New(); err != nil {
			b.Fatal(err)
		}
	}
}
