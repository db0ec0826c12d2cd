package callflow_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/kzgen/kzgen/gen/callflow"
)

// FuzzParse feeds arbitrary bytes to Parse, Validate and MarshalJSON: none
// may panic, and whatever parses must encode to JSON that parses again to
// the same encoding.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"module":"tts","data":{"text":"hi"},"children":{"_":{"module":"hangup","data":{}}}}`))
	f.Add([]byte(`{"flow":{"module":"pivot","data":{"voice_url":"https://x"}},"numbers":["1000"]}`))
	f.Add([]byte(`{"module":"send_dtmf","data":{"digits":"1","duration_ms":"2000"}}`))
	f.Add([]byte(`{"module":"resources","data":{"custom_sip_headers":{"in":{"X":"1"}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tree, err := callflow.Parse(data)
		if err != nil {
			return
		}
		_ = tree.Validate()
		out, err := json.Marshal(tree)
		if err != nil {
			return // e.g. a union with no alternative a decoder could set
		}
		again, err := callflow.Parse(out)
		if err != nil {
			t.Fatalf("re-parsing our own output: %v\n%s", err, out)
		}
		out2, err := json.Marshal(again)
		if err != nil || string(out2) != string(out) {
			t.Fatalf("encoding is not stable:\n%s\n%s", out, out2)
		}
	})
}
