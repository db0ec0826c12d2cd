// Package crossbartest is a fake Crossbar (Kazoo's REST API) for tests:
// an httptest server with accounts, API keys, users, tokens that expire,
// Crossbar's rate limit, its envelope and paging, callflow rules, schema
// validation, the Pivot debug log and the lookup collections.
//
//	srv := crossbartest.NewServer(crossbartest.Options{})
//	defer srv.Close()
//	acct := srv.AddAccount("Example")
//	c, _ := crossbar.New(crossbar.Config{BaseURL: srv.URL, Credentials: crossbar.APIKey(acct.APIKey)})
//
// What it implements, each rule as the Kazoo Crossbar fact sheet states it
// (rules.go names the section of each):
//
//   - PUT /v2/api_auth (an account's 64-character API key) and PUT
//     /v2/user_auth (md5 or sha hash of lowercase(username):password, with
//     account_name, account_realm or phone_number), each costing 35
//     rate-limit tokens; the token is a JWT whose exp is the login time
//     plus Options.TokenLifetime, read from X-Auth-Token (or auth_token in
//     the query or envelope); GET and DELETE /v2/token_auth.
//   - The envelope both ways, X-Request-ID echoed in the header and in
//     request_id, tokens {consumed, remaining} in every answer, PUT and
//     DELETE tunnelled through POST with verb.
//   - A token bucket per client IP and account: 100 tokens, 10 a second,
//     429 too_many_requests when empty, no Retry-After.
//   - Under /v2/accounts/{ID}/: callflows, users, devices, groups, vmboxes,
//     conferences, media, menus, temporal_rules and temporal_rules_sets,
//     with GET (listing rows of the crossbar_listing views), PUT (201), and
//     GET, POST, PATCH (merge; null deletes), DELETE by ID; listings page
//     with page_size, start_key and next_start_key, order descending unless
//     ascending=true, filter_*, has_key and key_missing.
//   - Callflow rules on save: a number or pattern required, E.164
//     normalisation, the embedded schemas checked as Kazoo checks them
//     (generator/validate in stored-callflow mode: each node's data
//     against its module, the client-URL blacklist on voice_url and the
//     other URL fields, the stability level, Crossbar's type conversions),
//     numbers and patterns unique within the account (either wording),
//     numbers owned by another account refused with 403. Other documents
//     are checked against their schema.
//   - PUT /v2/schemas/{name}/validation (the schemas only), GET
//     /v2/schemas[/{name}].
//   - GET /v2/accounts/{ID}/pivot/debug[/{call ID or debug ID}] over seeded
//     records (Account.AddPivotDebug), or 404 with Options.NoPivotDebug.
//   - Webhooks (webhooks.go): GET /v2/webhooks without a token, the
//     account's webhooks with Crossbar's checks (schema, URL blacklist,
//     offered hooks), the attempt log (Account.AddWebhookAttempts), Kazoo's
//     auto-disable of failing hooks and the bulk re-enable.
//
// Validation errors have Kazoo's shape (dotted key path → code →
// {message, value…}) with Kazoo's codes; their message texts are the
// validator's, apart from "invalid client URL" and "Field is required but
// missing", Kazoo's own. The clock (Options.Clock, ManualClock) drives token
// expiry, the bucket's refill and the debug log's time range.
package crossbartest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/kzgen/kzgen/generator/validate"
	"github.com/kzgen/kzgen/runtime/crossbar"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// Clock tells the fake the time.
type Clock interface {
	Now() time.Time
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

// ManualClock is a Clock that moves only when told to. It is safe for
// concurrent use.
type ManualClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewManualClock returns a clock stopped at start.
func NewManualClock(start time.Time) *ManualClock { return &ManualClock{now: start} }

// Now returns the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Sleep advances the clock by d at once, unless ctx is done: give it to
// crossbar.Config.Sleep, and a client's waits take no time while the fake's
// bucket refills as if they had.
func (c *ManualClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.Advance(d)
	return nil
}

// Options configures a Server; the zero value is Kazoo's defaults.
type Options struct {
	// Clock is the time (default: the real clock).
	Clock Clock
	// TokenLifetime is how long a token is valid (default
	// DefaultTokenLifetime).
	TokenLifetime time.Duration
	// BucketTokens and FillPerSecond size the rate-limit bucket (defaults
	// DefaultBucketTokens, DefaultFillPerSecond). A negative BucketTokens
	// turns rate limiting off.
	BucketTokens  int
	FillPerSecond float64
	// PageSize is the default page size (default DefaultPageSize).
	PageSize int
	// Wording is the text of the "unique" problem (default WordingMaster).
	Wording UniqueWording
	// URLBlacklist is the client URL blacklist, as an operator's
	// configuration sets it; nil is Kazoo's default.
	URLBlacklist *kzrt.Blacklist
	// StabilityLevel is the system's stability level ("stable", "beta" or
	// "alpha") stored callflows are checked with: a property of a lower
	// level is refused. Empty, nothing is checked, as Kazoo does when the
	// system has none. Another value makes every save fail with a 500
	// naming it.
	StabilityLevel string
	// NoPivotDebug answers 404 for the Pivot debug endpoint, as a cluster
	// without cb_pivot does.
	NoPivotDebug bool
}

// Server is a running fake Crossbar. Its methods are safe for concurrent
// use with the requests it serves.
type Server struct {
	// URL is the base URL to give a client, http://127.0.0.1:PORT.
	URL string

	ts     *httptest.Server
	opts   Options
	secret []byte
	// validator checks documents as Kazoo does, built on first use.
	validator func() (*validate.Validator, error)
	// blacklist is the client-URL blacklist the server applies.
	blacklist *kzrt.Blacklist

	mu       sync.Mutex
	accounts []*Account
	owners   map[string]string // number → owning account ID
	buckets  map[string]*bucket
	revoked  map[string]bool
	logins   int
	requests int
	failures []*apiError
}

// Account is an account of the fake, with its API key and documents.
type Account struct {
	// ID is the account's 32-character ID.
	ID string
	// Name and Realm identify the account in user_auth.
	Name, Realm string
	// APIKey logs in as the account through api_auth.
	APIKey string

	s      *Server
	docs   map[crossbar.Resource]map[string]*document
	hashes map[string]userHashes // user ID → password hashes
	debug  []map[string]any      // pivot debug records
	hooks  *hookState            // webhook state outside the documents (webhooks.go)
}

// document is a stored document and its revision.
type document struct {
	fields map[string]any
	rev    int
}

func (d *document) revision() string { return fmt.Sprintf("%d-%032x", d.rev, d.rev) }

// NewServer starts a fake Crossbar. Close it when done.
func NewServer(opts Options) *Server {
	if opts.Clock == nil {
		opts.Clock = realClock{}
	}
	if opts.TokenLifetime <= 0 {
		opts.TokenLifetime = DefaultTokenLifetime
	}
	if opts.BucketTokens == 0 {
		opts.BucketTokens = DefaultBucketTokens
	}
	if opts.FillPerSecond <= 0 {
		opts.FillPerSecond = DefaultFillPerSecond
	}
	if opts.PageSize <= 0 {
		opts.PageSize = DefaultPageSize
	}
	s := &Server{
		opts:    opts,
		secret:  []byte(randomHex(32)),
		owners:  map[string]string{},
		buckets: map[string]*bucket{},
		revoked: map[string]bool{},
	}
	s.blacklist = opts.URLBlacklist
	s.validator = sync.OnceValues(func() (*validate.Validator, error) {
		return newValidator(s.blacklist, opts.StabilityLevel)
	})
	s.ts = httptest.NewServer(s)
	s.URL = s.ts.URL
	return s
}

// Close shuts the server down.
func (s *Server) Close() { s.ts.Close() }

// Requests returns how many requests reached the server so far, whatever
// their outcome.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// Logins returns how many logins succeeded so far.
func (s *Server) Logins() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logins
}

// FailNext makes the next request fail with status, Crossbar's message and
// data as details, before anything else is checked: for testing how a
// client handles 409 datastore_conflict, 500, 503 and the like. Calls
// queue up.
func (s *Server) FailNext(status int, message string, data any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, &apiError{status, message, data})
}

// AddAccount creates an account named name, with a realm derived from it
// and a random API key.
func (s *Server) AddAccount(name string) *Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := &Account{
		ID:     randomHex(16),
		Name:   name,
		Realm:  normalizeAccountName(name) + ".sip.example.com",
		APIKey: randomHex(apiKeyLength / 2),
		s:      s,
		docs:   map[crossbar.Resource]map[string]*document{},
		hashes: map[string]userHashes{},
	}
	s.accounts = append(s.accounts, a)
	return a
}

// SetNumberOwner records in the number database that owner holds number
// (as saved, e.g. "+14155550100"): other accounts' callflows are refused
// it with 403.
func (s *Server) SetNumberOwner(number string, owner *Account) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.owners[crossbar.NormalizeNumber(number)] = owner.ID
}

// Create stores a document in collection r through Crossbar's rules, as a
// PUT would, and returns its ID; a refused document returns the error
// Crossbar would answer.
func (a *Account) Create(r crossbar.Resource, doc map[string]any) (string, error) {
	a.s.mu.Lock()
	defer a.s.mu.Unlock()
	fields, err := roundTrip(doc)
	if err != nil {
		return "", err
	}
	id, apiErr := a.s.save(a, r, "", fields)
	if apiErr != nil {
		return "", apiErr
	}
	return id, nil
}

// AddUser creates a user who can log in with username and password;
// fields adds to the document (first_name and last_name default to the
// username, as the users schema requires them).
func (a *Account) AddUser(username, password string, fields map[string]any) (string, error) {
	doc := map[string]any{"first_name": username, "last_name": username}
	maps.Copy(doc, fields)
	doc["username"] = username
	doc["password"] = password
	return a.Create(crossbar.Users, doc)
}

// Doc returns a copy of the stored document r/id and its revision.
func (a *Account) Doc(r crossbar.Resource, id string) (map[string]any, string, bool) {
	a.s.mu.Lock()
	defer a.s.mu.Unlock()
	d, ok := a.docs[r][id]
	if !ok {
		return nil, "", false
	}
	fields, _ := roundTrip(d.fields)
	return fields, d.revision(), true
}

// IDs returns the IDs of collection r, sorted.
func (a *Account) IDs(r crossbar.Resource) []string {
	a.s.mu.Lock()
	defer a.s.mu.Unlock()
	return a.sortedIDs(r)
}

func (a *Account) sortedIDs(r crossbar.Resource) []string {
	return slices.Sorted(maps.Keys(a.docs[r]))
}

// AddPivotDebug stores Pivot debug records, as Kazoo does for a pivot node
// with "debug": true. Zero fields get defaults: Created the clock's time,
// Iteration 1, Node "crossbartest@localhost"; DebugID is derived from
// Created and CallID.
func (a *Account) AddPivotDebug(records ...crossbar.PivotDebugRecord) error {
	a.s.mu.Lock()
	defer a.s.mu.Unlock()
	for _, r := range records {
		if r.CallID == "" {
			return fmt.Errorf("crossbartest: pivot debug record without a call ID")
		}
		if r.Created.IsZero() {
			r.Created = crossbar.Timestamp{Time: a.s.opts.Clock.Now()}
		}
		if r.Iteration == 0 {
			r.Iteration = 1
		}
		if r.Node == "" {
			r.Node = "crossbartest@localhost"
		}
		r.DebugID = debugID(r.Created.Time, r.CallID)
		doc, err := roundTrip(r)
		if err != nil {
			return err
		}
		if r.StatusCode != 0 {
			doc["resp_status_code"] = fmt.Sprint(r.StatusCode) // Kazoo stores it as text
		}
		a.debug = append(a.debug, doc)
	}
	return nil
}

// roundTrip turns a Go value into decoded JSON (numbers as json.Number),
// the form documents are stored and validated in.
func roundTrip(v any) (map[string]any, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("crossbartest: %w", err)
	}
	var doc map[string]any
	if err := decodeJSON(data, &doc); err != nil {
		return nil, fmt.Errorf("crossbartest: %w", err)
	}
	return doc, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// accountByID returns the account with the ID, or nil.
func (s *Server) accountByID(id string) *Account {
	for _, a := range s.accounts {
		if a.ID == id {
			return a
		}
	}
	return nil
}

// accountForLogin finds the account user_auth names.
func (s *Server) accountForLogin(data map[string]any) *Account {
	name, _ := data["account_name"].(string)
	realm, _ := data["account_realm"].(string)
	number, _ := data["phone_number"].(string)
	for _, a := range s.accounts {
		switch {
		case name != "" && normalizeAccountName(name) == normalizeAccountName(a.Name),
			realm != "" && strings.EqualFold(realm, a.Realm),
			number != "" && s.owners[crossbar.NormalizeNumber(number)] == a.ID:
			return a
		}
	}
	return nil
}
