// Package crossbar is a client for Crossbar, Kazoo's REST API: logging in,
// reading and writing the account's documents (callflows, users, devices,
// groups, voicemail boxes, conferences, media, menus, temporal rules),
// deploying a callflow tree (a *kzrt.Node) idempotently, validating a document without saving
// it, and reading the Pivot debug log.
//
// # Logging in
//
// New takes a Config: the base URL, the account, and Credentials — an
// account API key (APIKey, the method Kazoo recommends for servers) or a
// user's credentials (UserCredentials, sent as Kazoo's md5 hash, never as
// the password). The client logs in on its first request and keeps the
// token (a JWT) until its exp claim; it logs in again when the token has
// expired or Crossbar answers 401. Each login costs 35 of the 100 tokens of
// Crossbar's rate-limit bucket, so a TokenCache (FileTokenCache) can keep
// the token between processes.
//
//	c, err := crossbar.New(crossbar.Config{
//		BaseURL:     "https://kazoo.example.com:8443",
//		Credentials: crossbar.APIKey(os.Getenv("KAZOO_API_KEY")),
//	})
//
// # Documents
//
// Documents are read and written by generic functions whose type parameter
// is the document's Go type: Get, List (an iterator over every page),
// ListAll, Create, Update, Patch and Delete, each naming the Resource
// ("callflows", "users", …). Any type encoding/json can decode works. The
// package github.com/kzgen/kzgen/gen/kazoodoc, generated from Kazoo's
// schemas, has a type per document, whose Validate checks it as Kazoo
// does and whose callflow flow is gen/callflow's typed tree:
//
//	user, err := crossbar.Get[kazoodoc.Users](ctx, c, crossbar.Users, id)
//
// A listing's rows are Crossbar's summaries of the documents (an ID, a
// name, a few fields), so read them into a struct with the fields you
// need, map[string]any or json.RawMessage:
//
//	for row, err := range crossbar.List[UserRow](ctx, c, crossbar.Users, nil) {
//		…
//	}
//
// Every request carries the token in X-Auth-Token, the body in Crossbar's
// {"data": …} envelope, and an X-Request-ID (WithRequestID sets it; a random
// one otherwise), which errors report.
//
// # Errors
//
// A refused request returns an *Error: the HTTP status, Crossbar's message,
// the request ID, and for validation errors (400) every Problem with its
// JSON pointer and Kazoo's code ("required", "minLength", "unique", …).
// errors.Is matches the status classes (ErrUnauthorized, ErrForbidden,
// ErrNotFound, ErrConflict, ErrRateLimited, ErrValidation), and errors.As
// finds the two errors a deploy tool acts on: *NumberTakenError (a number
// already routed by another callflow, with that callflow's ID) and
// *NumbersNotOwnedError (403: numbers that belong to another account).
// Requests refused with 429 are retried after a growing wait, since
// Crossbar sends no Retry-After.
//
// Errors never contain the token, the API key, the password or its hash.
//
// # Rules Crossbar applies
//
// A few of Crossbar's rules are exported so tools can apply them before
// sending: NormalizeNumber (how Crossbar rewrites numbers to E.164 before
// saving them) and FlowURLs with kzrt.Blacklist (the check on every URL a
// callflow hands to Kazoo's HTTP client, such as a pivot's voice_url). The
// subpackage crossbartest is a fake Crossbar built on the same rules.
package crossbar
