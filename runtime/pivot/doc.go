// Package pivot serves Kazoo's Pivot application (2600Hz): typed requests in,
// typed, validated callflows out.
//
// # Requests
//
// On the receiving side, ParseRequest turns a GET query, a form body or a
// JSON body into a typed Request. Every parameter Kazoo sends has a field,
// in either parameter naming: "kazoo" (Call-ID, Caller-ID-Name, User-ID, …)
// or "twiml" (CallSid, CallerName, …). Digits may be a plain string or named
// DTMF collections. Parameters the package does not know stay reachable
// through Request.Raw, Request.Values and Request.Get.
//
// The request types and their decoding live in runtime/wire, below the
// generated callflow package; this package names them (Request is
// wire.Request, and so on), so a server needs no other import. The sending
// side is runtime/wire's alone: Request.Params builds Kazoo's parameter set
// for a naming, wire.EncodeForm and wire.EncodeJSON reproduce Kazoo's own
// encodings byte for byte, and wire.NewHTTPRequest builds the GET or POST
// request with Kazoo's Content-Type. The subpackage pivottest builds on
// them: a fake Kazoo for tests that sends a call's request to a handler and
// reads the answer by Kazoo's rules.
//
// # Handlers
//
// Handler turns a HandlerFunc into an http.Handler:
//
//	h := pivot.Handler(func(ctx context.Context, r *pivot.Request) (callflow.Builder, error) {
//		return callflow.TTS("Hello " + r.CallerIDName).Then(callflow.Hangup()), nil
//	})
//
// It parses the request, calls the function with the request's context,
// validates the callflow as Kazoo validates a Pivot answer (Node.Validate,
// with Kazoo's default client URL blacklist, or a site's with
// WithURLBlacklist), and answers status 200 with the bare node as JSON and the header
// "Content-Type: application/json", exactly. Kazoo picks its reader by that
// header alone, comparing the media type case-sensitively: with no
// Content-Type it expects TwiML and does not read JSON at all.
//
// # Failures and the fallback
//
// A handler error, a nil callflow (typed nils included), a panic (recovered
// in the handler and in everything done with its callflow afterwards: Node,
// Validate, encoding), a callflow that fails Validate or cannot be encoded,
// a request that does not parse, and a refused continuation are logged with
// log/slog (WithLogger) and answered with the fallback, never with a broken
// callflow. The log never holds the URL's query (tokens, continuations,
// every GET parameter), and values the client controls are clipped: the
// method, path, remote address, user agent, Call-ID and step name to
// MaxLogValueBytes, error texts to MaxLogErrorBytes. What Kazoo does with an answer decides the choice:
//
//   - status 200 with a valid callflow: Kazoo runs it in place of the
//     current callflow;
//   - any status but 200 and 206: Kazoo publishes pivot.failed and
//     continues with the pivot node's "_" child, or hangs up when it has
//     none;
//   - status 200 with an empty body, invalid JSON or a callflow that fails
//     Kazoo's schemas: no pivot.failed; the call ends.
//
// The default fallback is therefore a callflow: an apology spoken with tts,
// then hangup (DefaultFallback), with status 200, so that the caller always
// hears something. WithFallback sets another callflow. WithFailureStatus
// answers a bare error status instead (e.g. 503), so that Kazoo takes the
// pivot node's "_" child: use it when the static callflow has its own plan
// for failures.
//
// Three answers are not the fallback, because they concern requests Kazoo
// does not send: a method other than GET, HEAD or POST gets 405, a URL
// whose query is over the parameter bound (WithMaxBodyBytes,
// DefaultMaxBodyBytes by default) gets 414, and a POST body over it 413.
// All are non-200, so Kazoo would take the "_" child.
//
// # Serving
//
// NewServer returns an http.Server hardened for the open internet: read,
// write and idle timeouts sized for Kazoo's 5 s request timeout, a bound on
// the request line and headers (beyond it net/http answers 431 having read
// no more), and errors logged through slog. ListenAndServe and Serve run
// it until a context is cancelled, then shut down gracefully:
//
//	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
//	defer stop()
//	if err := pivot.ListenAndServe(ctx, ":8080", h); err != nil {
//		log.Fatal(err)
//	}
//
// A bare http.ListenAndServe has no timeouts and reads request lines of up
// to 1 MiB: a handful of slow or oversized clients can hold its memory and
// connections. AccessLog adds one log line per request, without the query
// and without allocating.
//
// # Multi-step IVRs
//
// Kazoo has no implicit follow-up for Kazoo JSON: to collect digits and ask
// again, a callflow ends with collect_dtmf whose "_" child is another pivot
// node. A Router serves each such step with its own handler and writes those
// nodes: Step.Gather returns the collect_dtmf → pivot pair, Step.Next the
// pivot node alone. They set req_format "kazoo", the method and body format
// explicitly (Kazoo's pivot_call falls back to the twiml naming when
// req_format is missing), so every step reads its request the same way.
//
//	rt, err := pivot.NewRouter("https://ivr.example.com/ivr", keys)
//	rt.Entry("start", func(ctx context.Context, s *pivot.Step) (callflow.Builder, error) {
//		return callflow.TTS("For English press 1").Then(s.Gather("lang", "menu", nil).MaxDigits(1)), nil
//	})
//	rt.Step("menu", func(ctx context.Context, s *pivot.Step) (callflow.Builder, error) {
//		lang, _ := s.Digits.Collection("lang")
//		return callflow.TTS("Sales press 1").Then(s.Gather("dept", "dept", s.State.With("lang", lang))), nil
//	})
//
// # Continuations
//
// Per-call state travels without a shared store: Next signs the step name,
// the call's Call-ID, an expiry and the State with HMAC-SHA256 and puts the
// result in the follow-up voice_url's query as
// kzc=v1.KEYID.EXPIRY.STATE.MAC (see Router). On arrival the Router checks
// it against the step requested and the request's Call-ID, and refuses a
// tampered, expired, cross-step or cross-call continuation with the
// fallback. Any number of replicas sharing the keys can serve one call; keys
// have IDs, so they can be rotated. A follow-up that cannot be made (state
// over 4 KiB, an unknown step) is an error: Router.Next returns it,
// Step.Next records it for Step.Err, and the request gets the fallback. The state is signed, not encrypted, and
// a continuation can be replayed for the same Call-ID until it expires.
//
// # Security
//
// Kazoo does not sign Pivot requests and sends no credential of its own. A
// server can only check what the voice_url carries and where requests come
// from: BasicAuth (credentials as https://user:pass@host/… in the
// voice_url, sent by Kazoo's HTTP client as an Authorization header —
// common practice, unverified against Kazoo's source), TokenAuth (a query
// parameter, compared in constant time), and AllowIPs (CIDR allowlist,
// X-Forwarded-For trusted only from given proxies). None of them proves that
// a request comes from Kazoo: the voice_url and its secrets are readable by
// anyone who can read the account's callflows or pivot debug records, URLs
// (and so tokens) end up in access logs, plain http exposes everything on
// the wire, and an allowed address may be shared. Use https, keep query
// strings out of logs, and rotate secrets. A Router copies its base URL's
// credentials and query into every follow-up voice_url, so the middleware
// keeps admitting later steps.
//
// The package follows Kazoo's source rather than its documentation where
// the two differ. Where the source leaves a point open, the package takes
// the lenient reading and says so in the doc comment concerned.
package pivot
