package pivot_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/pivot"
	"github.com/kzgen/kzgen/runtime/pivot/pivottest"
)

func ExampleHandler() {
	h := pivot.Handler(func(ctx context.Context, r *pivot.Request) (callflow.Builder, error) {
		return callflow.TTS("Hello " + r.CallerIDName).Then(callflow.Hangup()), nil
	})

	// A fake Kazoo sends the request a pivot node would send.
	res, err := pivottest.Call{CallID: "c1", CallerIDName: "Alice"}.Send(h)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Status, res.Header.Get("Content-Type"), res.Verdict)
	fmt.Println(string(res.Body))
	// Output:
	// 200 application/json run
	// {"module":"tts","data":{"text":"Hello Alice"},"children":{"_":{"module":"hangup","data":{}}}}
}

func ExampleRouter() {
	keys := []pivot.Key{{ID: "k1", Secret: []byte("use 32 or more random bytes here")}}
	rt, err := pivot.NewRouter("https://ivr.example.com/ivr", keys)
	if err != nil {
		log.Fatal(err)
	}
	rt.Entry("start", func(ctx context.Context, s *pivot.Step) (callflow.Builder, error) {
		return callflow.TTS("Enter your PIN").Then(
			s.Gather("pin", "check", pivot.State{"attempt": "1"}).MaxDigits(4)), nil
	})
	rt.Step("check", func(ctx context.Context, s *pivot.Step) (callflow.Builder, error) {
		pin, _ := s.Digits.Collection("pin")
		return callflow.TTS("PIN " + pin + ", attempt " + s.State["attempt"]), nil
	})
	mux := http.NewServeMux()
	mux.Handle("/ivr/", rt)

	// Modules reads the answers into gen/callflow's types.
	call := pivottest.Call{VoiceURL: rt.URL("start"), CallID: "c1", Modules: callflow.Modules()}
	res, _ := call.Send(mux)
	next, _ := call.Next(res, "1234") // the caller presses 1234
	res, _ = next.Send(mux)
	fmt.Println(res.Node.Data.(*callflow.TTSData).GetText())
	// Output:
	// PIN 1234, attempt 1
}

// The README's server: a handler behind the hardened server, stopped
// gracefully on Ctrl-C or SIGTERM.
func ExampleListenAndServe() {
	h := pivot.Handler(func(ctx context.Context, r *pivot.Request) (callflow.Builder, error) {
		return callflow.TTS("Hello " + r.CallerIDName).Then(callflow.Hangup()), nil
	})
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := pivot.ListenAndServe(ctx, ":8080", h); err != nil {
		log.Fatal(err)
	}
}
