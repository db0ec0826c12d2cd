package webhook_test

import (
	"context"
	"fmt"
	"log"
	"net/http"

	"github.com/kzgen/kzgen/runtime/webhook"
	"github.com/kzgen/kzgen/runtime/webhook/webhooktest"
)

func ExampleHandler() {
	h := webhook.Handler(webhook.On{
		ChannelDestroy: func(ctx context.Context, e *webhook.ChannelEvent) error {
			fmt.Printf("call %s ended: %s (%s) after %v, last IVR step %q\n",
				e.CallID, e.HangupCause, e.HangupCode, e.Duration, e.CustomApplicationVars["ivr_step"])
			return nil
		},
	}, webhook.WithSecret("hook_secret", "use-a-long-random-secret"))

	// A fake Kazoo delivers a channel_destroy the way a hook with this
	// custom_data would: a form POST.
	hook := webhooktest.Hook{CustomData: map[string]string{"hook_secret": "use-a-long-random-secret"}}
	res, err := hook.Send(h, webhooktest.MustSample("channel_destroy"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Status, res.Verdict)
	// Output:
	// call 2f6c1b9e-8d4a-4e3b-a7c5-0d9e8f7a6b5c ended: NORMAL_CLEARING (sip:200) after 1m12s, last IVR step "main_menu"
	// 200 success
}

func ExampleReceiverFunc() {
	h := webhook.Handler(webhook.ReceiverFunc(func(ctx context.Context, ev webhook.Event) error {
		switch e := ev.(type) {
		case *webhook.ChannelEvent:
			fmt.Println(e.Hook(), e.CallerIDNumber, "→", e.CalleeIDNumber, e.Timestamp.Format("2006-01-02 15:04:05"))
		case *webhook.ObjectEvent:
			fmt.Println(e.Type, e.ID, e.Action)
		default:
			fmt.Println("ignored:", ev.Hook())
		}
		return nil
	}))

	// The same events, delivered as GET, form and JSON.
	for _, d := range []struct {
		sample string
		hook   webhooktest.Hook
	}{
		{"channel_create", webhooktest.Hook{HTTPVerb: "get"}},
		{"object", webhooktest.Hook{HTTPVerb: "post"}},
		{"parking", webhooktest.Hook{HTTPVerb: "put", Format: webhook.FormatJSON}},
	} {
		if _, err := d.hook.Send(h, webhooktest.MustSample(d.sample)); err != nil {
			log.Fatal(err)
		}
	}
	// Output:
	// channel_create +15555550123 → +15555550188 2025-01-15 14:30:00
	// callflow 6e5d4c3b2a1908172635445362718190 doc_edited
	// ignored: parking
}

func ExampleParse() {
	// Kazoo's GET delivery: the payload in the query string, nested
	// objects as bracketed keys, every value as text.
	r, _ := http.NewRequest(http.MethodGet, "https://hooks.example.com/kazoo?"+
		"hook_event=channel_destroy&call_id=c1&duration_seconds=72&timestamp=63904170672"+
		"&custom_application_vars[ivr_step]=sales&team=support", nil)
	ev, err := webhook.Parse(r)
	if err != nil {
		log.Fatal(err)
	}
	e := ev.(*webhook.ChannelEvent)
	fmt.Println(e.Duration, e.Timestamp, e.CustomApplicationVars["ivr_step"])
	fmt.Println("custom_data:", e.Extra[0].Key, "=", e.Get("team"))
	// Output:
	// 1m12s 2025-01-15 14:31:12 +0000 UTC sales
	// custom_data: team = support
}
