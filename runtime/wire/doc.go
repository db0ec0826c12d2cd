// Package wire holds what crosses HTTP between Kazoo and a developer's
// server: the parameters of a Pivot request, and the fields of a webhook
// delivery, which travel in the same encodings. It sits below the generated
// callflow package and imports nothing of this module, so that servers
// (runtime/pivot, runtime/webhook) and tools playing Kazoo's part
// (runtime/pivot/pivottest, kzgen simulate) share one copy of every rule.
//
// The rules follow Kazoo's source rather than its documentation where the
// two differ; where the source leaves a point open, the package takes the
// lenient reading and says so in the doc comment concerned.
//
// # Values
//
// Value and Params form an ordered JSON-like tree, as Kazoo's kz_json holds
// it: strings, numbers (kept as their literal text), booleans, lists and
// objects, members in arrival order. Params.Lookup walks into it with the
// bracketed names of the form encoding ("Digits[pin]").
//
// # Form and query encoding
//
// A GET carries its parameters in the query string, a POST with
// req_body_format "form" (the default) in an
// application/x-www-form-urlencoded body, both written by Kazoo's
// kz_http_util:json_to_querystring: keys as they are, values in the
// "legacy" percent-encoding, lists as "key[]", objects as "key[sub]".
// EncodeForm writes that byte for byte and DecodeForm reads it back, nesting
// bracketed keys into objects and lists. On GET, Kazoo's parameters follow
// the voice_url's own query (pivot_call uri/2; AppendQuery).
//
// # JSON bodies
//
// A POST with req_body_format "json" carries one JSON object, written by
// kz_json:encode (jiffy). EncodeJSON writes it as Kazoo does; DecodeJSON
// reads any JSON object, keeping member order and number literals, and
// reports failures as a *BodyError naming the byte offset and the field.
// DecodeBody picks the decoder by Content-Type, for Pivot requests and
// webhook deliveries alike.
//
// # Requests Kazoo sends
//
// Request is one Pivot request with every parameter in a typed field, in
// either naming: "kazoo" (kzt_kazoo req_params/1: Call-ID, Caller-ID-Name,
// User-ID, Custom-SIP-Headers, …) or "twiml" (kzt_twiml req_params/1:
// CallSid, CallerName, …), plus the variables kzt_translator get_user_vars
// merges into every request (DialCallStatus, QueueSid, …). Digits is a plain
// string or DTMF collections by name (cf_collect_dtmf). ParseRequest reads a
// request as a server receives it; Request.Params and NewHTTPRequest go the
// other way, sending a request exactly as Kazoo's pivot_call would.
//
// # Speed
//
// A server parses every request, so ParseRequest does the least work that
// gives every field: one pass over the query or body building Raw (Values
// and URLQuery are decoded only when asked), Kazoo's exact Content-Types compared before any media
// type parsing, the JSON Kazoo writes read without encoding/json's token
// machinery (anything else still goes to encoding/json), and parameter
// names matched against the field tables without hashing. Its results are
// those of the straightforward implementation it replaced, which the
// package's tests keep as a reference and compare with on fuzzed input.
package wire
