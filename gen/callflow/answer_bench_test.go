package callflow_test

import (
	"testing"
	"time"

	"github.com/kzgen/kzgen/gen/callflow"
)

// The tree's share of a pivot server's answer, on the trees of
// bench_test.go (kept apart so that bench_test.go also runs against
// older versions of the package, which lack AppendValidJSON).

// BenchmarkAnswer is the tree's share of a pivot server's answer, past
// the builders: validate the tree and encode it, as two walks (Validate
// then MarshalJSON, what pivot.Handler did) and as one (AppendValidJSON
// into nil, what it does; into a reused buffer, for a caller with a pool).
func BenchmarkAnswer(b *testing.B) {
	for _, bt := range benchTrees {
		var nodes []*callflow.Node
		for _, t := range bt.build() {
			nodes = append(nodes, t.Node())
		}
		b.Run(bt.name+"/two-walks", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, n := range nodes {
					if err := n.Validate(); err != nil {
						b.Fatal(err)
					}
					if _, err := n.MarshalJSON(); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
		b.Run(bt.name+"/one-walk", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, n := range nodes {
					if _, err := n.AppendValidJSON(nil); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
		b.Run(bt.name+"/one-walk-buffer", func(b *testing.B) {
			buf := make([]byte, 0, 64<<10)
			b.ReportAllocs()
			for b.Loop() {
				for _, n := range nodes {
					if _, err := n.AppendValidJSON(buf[:0]); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkAnswerRatio states what one walk saves: AppendValidJSON into a
// reused buffer against Validate then MarshalJSON, on the same trees,
// measured alternately in the same loop (metric "one/two").
func BenchmarkAnswerRatio(b *testing.B) {
	for _, bt := range benchTrees {
		var nodes []*callflow.Node
		for _, t := range bt.build() {
			nodes = append(nodes, t.Node())
		}
		b.Run(bt.name, func(b *testing.B) {
			buf := make([]byte, 0, 64<<10)
			var one, two time.Duration
			for b.Loop() {
				start := time.Now()
				for _, n := range nodes {
					if _, err := n.AppendValidJSON(buf[:0]); err != nil {
						b.Fatal(err)
					}
				}
				mid := time.Now()
				for _, n := range nodes {
					if err := n.Validate(); err != nil {
						b.Fatal(err)
					}
					if _, err := n.MarshalJSON(); err != nil {
						b.Fatal(err)
					}
				}
				one += mid.Sub(start)
				two += time.Since(mid)
			}
			b.ReportMetric(float64(one)/float64(two), "one/two")
		})
	}
}
