// Package pivot reads and writes the HTTP requests that Kazoo's Pivot
// application (2600Hz) sends to a voice_url.
//
// On the receiving side, ParseRequest turns a GET query, a form body or a
// JSON body into a typed Request. Every parameter Kazoo sends has a field,
// in either parameter naming: "kazoo" (Call-ID, Caller-ID-Name, User-ID, …)
// or "twiml" (CallSid, CallerName, …). Digits may be a plain string or named
// DTMF collections. Parameters the package does not know stay reachable
// through Request.Raw, Request.Values and Request.Get.
//
// On the sending side, the same parameters can be written exactly as Kazoo
// writes them, for a fake Kazoo or a simulator. Params and Value form an
// ordered JSON-like tree. Request.Params builds Kazoo's parameter set for a
// naming. EncodeForm and EncodeJSON reproduce Kazoo's own encodings byte for
// byte. NewHTTPRequest builds the GET or POST request with Kazoo's
// Content-Type. DecodeForm and DecodeJSON are the matching decoders.
//
// The package follows Kazoo's source rather than its documentation where
// the two differ. Where the source leaves a point open, the package takes
// the lenient reading and says so in the doc comment concerned.
package pivot
