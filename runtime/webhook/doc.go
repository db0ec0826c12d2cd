// Package webhook receives the webhooks Kazoo (2600Hz) fires for channel
// events, document changes and notifications: typed events in, exactly the
// answer Kazoo counts as success out.
//
// # Receiving
//
// Handler turns a Receiver into an http.Handler. On dispatches by hook:
//
//	h := webhook.Handler(webhook.On{
//		ChannelDestroy: func(ctx context.Context, e *webhook.ChannelEvent) error {
//			log.Printf("%s hung up: %s after %v", e.CallID, e.HangupCause, e.Duration)
//			return nil
//		},
//	}, webhook.WithSecret("hook_secret", secret))
//
// or a ReceiverFunc takes every event for a type switch. Parse decodes one
// request for servers with their own handling.
//
// # Deliveries
//
// Kazoo delivers the same payload three ways, chosen by the hook document's
// http_verb and format: GET puts it in the query string, POST or PUT in a
// form body ("form-data", the default) or a JSON body ("json"). Forms use
// Kazoo's encoding (kz_http_util:json_to_querystring, the one Pivot uses):
// nested objects as bracketed keys, "custom_channel_vars[Bridge-ID]=…",
// lists as "key[]=…", every value as text. So a number such as
// duration_seconds, a flag such as call_forwarded or a timestamp arrives as
// a JSON number or boolean in one format and as a string in the others. The
// typed fields accept both, and more:
//
//   - numbers: a JSON number or a decimal string;
//   - booleans: true/false, or the strings "true", "false", "1", "0" in any
//     case;
//   - durations (duration_seconds, ringing_seconds, billing_seconds): a
//     number of seconds, as a time.Duration;
//   - timestamps: Gregorian seconds, Kazoo's epoch (seconds since
//     0000-01-01 UTC, that is Unix seconds + 62167219200, see
//     GregorianUnixOffset), as a number or a string, converted to a UTC
//     time.Time. A value below 62167219200 cannot be a Gregorian time after
//     1970, so it is read as Unix seconds; RFC 3339 text is accepted too.
//
// A value that fits none of these leaves its typed field zero and is
// reported in Delivery.Problems; the handler logs it and calls the receiver
// anyway. Nothing a delivery carries is lost: Delivery.Raw holds every
// field, Delivery.Extra the ones no typed field holds (the hook's
// custom_data lands there), Delivery.Values the form pairs as sent.
//
// # Events
//
// One URL may serve several hooks, so the event type comes from the payload:
// ChannelEvent for channel_create, channel_answer, channel_bridge and
// channel_destroy (with hangup cause, hangup code and durations on destroy);
// ObjectEvent for document changes; NotificationEvent for notifications
// (voicemail_new, missed_call, …; the fields particular to each in Extra);
// ParkingEvent for parking; CallflowEvent for a callflow's "webhook" action;
// UnknownEvent for the rest (sms, mms, newer events).
//
// For IVR analytics, tag each step of the phone tree with set_variables
// (custom_application_vars, exported to bridged legs) or with a webhook
// action whose custom_data names the step, then join on the call ID:
// CallflowEvent.CallID and ChannelEvent.CallID are the same leg's ID, and
// channel_destroy carries the final custom_application_vars, the hangup
// cause and the durations.
//
// # Answers
//
// Kazoo counts only status 200 as a successful attempt. It retries only when
// it gets no answer at all, after 2 seconds, while the hook's retries last;
// any answer other than 200 is a failed attempt that is not retried. 6
// failed attempts within a minute (the default) disable the hook, and
// every later event is lost until someone re-enables it.
//
// So Handler answers exactly 200 once the receiver returns nil, and a
// receiver error or panic is logged and, by default, still answered 200: a
// failure status would not bring the event back, only bring the hook closer
// to being disabled. WithFailureStatus answers a failure status instead;
// returning ErrRetry closes the connection unanswered so that Kazoo
// delivers again. Deliveries are bounded (WithMaxBytes, DefaultMaxBytes):
// a larger body gets 413, a larger query 414. Logs go to log/slog
// (WithLogger), values a sender controls cut to 200 bytes, query strings
// never logged.
//
// # Checks
//
// Kazoo signs no webhook and sends no credential of its own. What is left
// to check: WithBasicAuth (credentials in the hook's uri), WithSecret (a
// shared secret in its custom_data, removed before the receiver sees the
// event), WithAccounts (the X-Account-ID header or the payload's
// account_id) and WithAllowedIPs (with trusted proxies). All compare in
// constant time; each raises the bar, none proves that a delivery comes
// from Kazoo:
//
//   - the hook document, uri and custom_data included, is readable by
//     anyone who can read the account's webhooks through Crossbar, and the
//     attempt log keeps request details;
//   - with http_verb get the whole payload, custom_data and its secret
//     included, is in the URL, which proxies and servers routinely log:
//     prefer post;
//   - over plain http everything crosses the network in clear text: use
//     https;
//   - account IDs are identifiers, not secrets;
//   - Kazoo's outbound address may be shared (NAT, a hosted Kazoo), so an
//     IP allowlist admits everything behind it.
//
// A refused delivery gets 401 or 403, a failed attempt for Kazoo: a hook
// refused 6 times within a minute is disabled, the wanted outcome for a
// misconfigured hook.
//
// # Testing
//
// Subpackage webhooktest plays Kazoo's part: sample payloads for every hook,
// delivered to a handler or a URL exactly as Kazoo would, with Kazoo's
// verdict on the answer. kzgen trigger does the same from the command line.
package webhook
