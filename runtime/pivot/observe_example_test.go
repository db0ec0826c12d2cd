package pivot_test

import (
	"context"
	"fmt"
	"log"
	"sync"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/pivot"
	"github.com/kzgen/kzgen/runtime/pivot/pivottest"
)

// A step observer counting the requests to each step by outcome, and the
// keys callers press at the PIN prompt. Label sets stay bounded: step names
// are the Router's own, outcomes three words.
func ExampleWithStepObserver() {
	var (
		mu     sync.Mutex
		counts = map[string]int{} // "step outcome" → requests
		pins   int
	)
	observe := func(ctx context.Context, ev pivot.StepEvent) {
		mu.Lock() // called from many goroutines at once
		defer mu.Unlock()
		counts[ev.Step+" "+ev.Outcome.String()]++
		if _, ok := ev.Digits.Collection("pin"); ok {
			pins++
		}
	}
	keys := []pivot.Key{{ID: "k1", Secret: []byte("use 32 or more random bytes here")}}
	rt, err := pivot.NewRouter("https://ivr.example.com/ivr", keys, pivot.WithStepObserver(observe))
	if err != nil {
		log.Fatal(err)
	}
	rt.Entry("start", func(ctx context.Context, s *pivot.Step) (callflow.Builder, error) {
		return callflow.TTS("Enter your PIN").Then(s.Gather("pin", "check", nil).MaxDigits(4)), nil
	})
	rt.Step("check", func(ctx context.Context, s *pivot.Step) (callflow.Builder, error) {
		if pin, _ := s.Digits.Collection("pin"); pin != "1234" {
			return nil, fmt.Errorf("wrong PIN")
		}
		return callflow.TTS("Welcome back"), nil
	})

	for _, pin := range []string{"1234", "0000"} {
		call := pivottest.Call{VoiceURL: rt.URL("start"), CallID: "c-" + pin}
		res, _ := call.Send(rt)
		next, _ := call.Next(res, pin)
		next.Send(rt)
	}
	fmt.Println(counts["start answered"], counts["check answered"], counts["check fallback"], pins)
	// Output:
	// 2 1 1 2
}
