package webhooktest_test

import (
	"context"
	"fmt"
	"log"
	"net/http"

	"github.com/kzgen/kzgen/runtime/webhook"
	"github.com/kzgen/kzgen/runtime/webhook/webhooktest"
)

func ExampleHook_Send() {
	var causes []string
	h := webhook.Handler(webhook.On{
		ChannelDestroy: func(ctx context.Context, e *webhook.ChannelEvent) error {
			causes = append(causes, e.HangupCause)
			return nil
		},
	})

	// A busy callee, delivered as Kazoo's JSON POST.
	busy := webhooktest.MustSample("channel_destroy")
	if err := busy.SetText("hangup_cause", "USER_BUSY"); err != nil {
		log.Fatal(err)
	}
	res, err := webhooktest.Hook{Format: webhook.FormatJSON}.Send(h, busy)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Status, res.Verdict, causes)

	// A receiver that answers 204 fails Kazoo's check.
	res, _ = webhooktest.Hook{}.Send(webhook204{}, busy)
	fmt.Println(res.Verdict, res.Err())
	// Output:
	// 200 success [USER_BUSY]
	// failed webhooktest: Kazoo's verdict: failed: status 204: Kazoo counts only 200 as success; a failed attempt, not retried; it counts toward disabling the hook (6 failed attempts within 60 s by default)
}

// webhook204 answers every delivery "204 No Content".
type webhook204 struct{}

func (webhook204) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusNoContent)
}
