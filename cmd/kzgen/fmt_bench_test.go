package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// wideCallflow is a menu whose children are n small tts nodes: about 50
// bytes a node, so 260,000 nodes make 13 MB, below maxInputBytes.
func wideCallflow(n int) string {
	var b strings.Builder
	b.WriteString(`{"module":"menu","data":{"id":"m"},"children":{`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"%07d":{"module":"tts","data":{"text":"%d"}}`, i, i)
	}
	b.WriteString(`}}`)
	return b.String()
}

// BenchmarkLargeInput runs kzgen fmt and kzgen graph, as a user does, on
// a 13 MB callflow of 260,000 nodes (graph reads it whole, then refuses
// to draw more than flowgraph.MaxNodes nodes).
//
//	go test ./cmd/kzgen -run '^$' -bench LargeInput -benchmem
func BenchmarkLargeInput(b *testing.B) {
	in := wideCallflow(260_000)
	path := filepath.Join(b.TempDir(), "wide.json")
	if err := os.WriteFile(path, []byte(in), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"fmt", []string{"fmt", path}, 0},
		{"graph", []string{"graph", path}, 1},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				if code := run(tc.args, io.Discard, io.Discard); code != tc.code {
					b.Fatalf("exit %d, want %d", code, tc.code)
				}
			}
		})
	}
}
