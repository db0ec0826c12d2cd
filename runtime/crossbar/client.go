package crossbar

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Defaults of Config.
const (
	// DefaultRateLimitRetries is how many times a request refused with 429
	// is sent again.
	DefaultRateLimitRetries = 5
	// DefaultRateLimitDelay is the wait before the first retry. Crossbar's
	// bucket refills 10 tokens a second, so 500 ms buys 5 requests; the wait
	// doubles on each retry (0.5 s, 1 s, 2 s, 4 s, 8 s), enough for the 35
	// tokens a login costs.
	DefaultRateLimitDelay = 500 * time.Millisecond
	// maxRateLimitDelay caps one wait.
	maxRateLimitDelay = 16 * time.Second
	// maxResponseBytes bounds a response body.
	maxResponseBytes = 64 << 20
)

// Config configures a Client.
type Config struct {
	// BaseURL is Crossbar's address, such as
	// "https://kazoo.example.com:8443"; a trailing "/v2" is accepted.
	BaseURL string
	// AccountID is the account whose documents the client reads and writes:
	// 32 lowercase hexadecimal characters. Empty means the account the
	// credentials log in to.
	AccountID string
	// Credentials log the client in: APIKey or UserCredentials.
	Credentials Credentials
	// HTTPClient sends the requests; nil means http.DefaultClient.
	HTTPClient *http.Client
	// TokenCache keeps tokens between processes; nil keeps them in memory.
	TokenCache TokenCache
	// Logger receives progress: logins, rate-limit waits and further pages
	// at Info, every request at Debug. Nil discards it. Nothing logged
	// contains a secret.
	Logger *slog.Logger
	// RateLimitRetries is how many times a request refused with 429 is sent
	// again: 0 means DefaultRateLimitRetries, a negative number none.
	RateLimitRetries int
	// RateLimitDelay is the wait before the first retry, doubled for each
	// further one: 0 means DefaultRateLimitDelay.
	RateLimitDelay time.Duration
	// Now returns the current time (default time.Now); tests replace it to
	// expire tokens.
	Now func() time.Time
	// Sleep waits d or until ctx is done (default: a timer); tests replace
	// it to wait without waiting.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Client talks to one Crossbar as one set of credentials. It is safe for
// concurrent use.
type Client struct {
	base      string // scheme://host[:port][/prefix], no trailing slash
	accountID string
	creds     Credentials
	http      *http.Client
	cache     TokenCache
	log       *slog.Logger
	retries   int
	delay     time.Duration
	now       func() time.Time
	sleep     func(context.Context, time.Duration) error

	loginMu sync.Mutex // one login at a time
	mu      sync.Mutex // guards token
	token   Token
}

// accountIDPattern is the shape of Kazoo account and document IDs (§1.1).
var accountIDPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// New returns a client for cfg. It sends nothing: the first request logs
// in, unless the token cache holds a valid token.
func New(cfg Config) (*Client, error) {
	base, err := parseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if cfg.AccountID != "" && !accountIDPattern.MatchString(cfg.AccountID) {
		return nil, fmt.Errorf("crossbar: account ID %q: want 32 lowercase hexadecimal characters", cfg.AccountID)
	}
	if cfg.Credentials == nil {
		return nil, errors.New("crossbar: no credentials: set an API key or a user's credentials")
	}
	if err := cfg.Credentials.check(); err != nil {
		return nil, fmt.Errorf("crossbar: %w", err)
	}
	c := &Client{
		base:      base,
		accountID: cfg.AccountID,
		creds:     cfg.Credentials,
		http:      cfg.HTTPClient,
		cache:     cfg.TokenCache,
		log:       cfg.Logger,
		retries:   cfg.RateLimitRetries,
		delay:     cfg.RateLimitDelay,
		now:       cfg.Now,
		sleep:     cfg.Sleep,
	}
	if c.http == nil {
		c.http = http.DefaultClient
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	switch {
	case c.retries == 0:
		c.retries = DefaultRateLimitRetries
	case c.retries < 0:
		c.retries = 0
	}
	if c.delay <= 0 {
		c.delay = DefaultRateLimitDelay
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.sleep == nil {
		c.sleep = sleep
	}
	return c, nil
}

// parseBaseURL checks a base URL and returns it without a trailing "/v2"
// or slash.
func parseBaseURL(raw string) (string, error) {
	if raw == "" {
		return "", errors.New("crossbar: no base URL (such as https://kazoo.example.com:8443)")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("crossbar: base URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return "", fmt.Errorf("crossbar: base URL %q: want http(s)://host[:port]", u.Redacted())
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("crossbar: base URL %q: remove the query or fragment", u.Redacted())
	}
	base := strings.TrimRight(u.String(), "/")
	base = strings.TrimSuffix(base, "/v2")
	return base, nil
}

// BaseURL returns Crossbar's address as configured, without "/v2".
func (c *Client) BaseURL() string { return c.base }

// AccountID returns the account the client works on: the configured one,
// or else the one its credentials log in to (logging in if needed).
func (c *Client) AccountID(ctx context.Context) (string, error) {
	if c.accountID != "" {
		return c.accountID, nil
	}
	tok, err := c.currentToken(ctx)
	if err != nil {
		return "", err
	}
	if tok.AccountID == "" {
		return "", errors.New("crossbar: the login answer names no account_id: set the account ID")
	}
	return tok.AccountID, nil
}

// Response is a successful Crossbar answer, its envelope decoded.
type Response struct {
	// StatusCode is the HTTP status: 201 for a creating PUT, 200 otherwise.
	StatusCode int
	// Data is the envelope's "data": a document, a list of rows, or null.
	Data json.RawMessage
	// RequestID is the request's ID as Crossbar echoed it.
	RequestID string
	// Revision is the document's revision, for single documents.
	Revision string
	// NextStartKey is the start_key of the next page of a listing, empty on
	// the last page.
	NextStartKey string
	// TokensRemaining is what is left in the rate-limit bucket, or -1 when
	// Crossbar does not say (4.3 does not).
	TokensRemaining int
}

// requestIDKey is the context key of WithRequestID.
type requestIDKey struct{}

// WithRequestID returns a context whose requests carry id as X-Request-ID,
// which Crossbar logs and echoes; without it each request gets a random one.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

func requestID(ctx context.Context) string {
	if id, ok := ctx.Value(requestIDKey{}).(string); ok && id != "" {
		return id
	}
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Do sends one request to path, relative to /v2/ ("accounts/{id}/callflows",
// "schemas"), with data wrapped in the {"data": …} envelope (nil sends no
// body). It logs in first when needed, logs in again once on 401, and
// retries on 429 with a growing wait. A refused request returns an *Error.
func (c *Client) Do(ctx context.Context, method, path string, query url.Values, data any) (*Response, error) {
	body, err := envelopeBody(data)
	if err != nil {
		return nil, fmt.Errorf("crossbar: %s %s: %w", method, path, err)
	}
	relogged := false
	for {
		tok, err := c.currentToken(ctx)
		if err != nil {
			return nil, err
		}
		a, err := c.send(ctx, method, path, query, body, tok.Value)
		if errors.Is(err, ErrUnauthorized) && !relogged {
			relogged = true
			c.log.Info("Crossbar refused the token; logging in again")
			if _, err := c.renew(ctx, tok); err != nil {
				return nil, err
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		return a.resp, nil
	}
}

// envelopeBody encodes data in Crossbar's request envelope.
func envelopeBody(data any) ([]byte, error) {
	if data == nil {
		return nil, nil
	}
	raw, ok := data.(json.RawMessage)
	if !ok {
		var err error
		if raw, err = json.Marshal(data); err != nil {
			return nil, fmt.Errorf("encoding the request data: %w", err)
		}
	}
	return json.Marshal(struct {
		Data json.RawMessage `json:"data"`
	}{raw})
}

// answer is a successful answer and the auth_token of its envelope, kept
// out of Response so that printing a Response never shows a token.
type answer struct {
	resp      *Response
	authToken string
}

// send sends one request with the given token (none when empty), retrying
// on 429.
func (c *Client) send(ctx context.Context, method, path string, query url.Values, body []byte, token string) (*answer, error) {
	delay := c.delay
	for attempt := 0; ; attempt++ {
		a, err := c.roundTrip(ctx, method, path, query, body, token)
		if !errors.Is(err, ErrRateLimited) || attempt >= c.retries {
			return a, err
		}
		c.log.Info("Crossbar's rate limit is reached; waiting", "wait", delay, "retry", fmt.Sprintf("%d/%d", attempt+1, c.retries))
		if err := c.sleep(ctx, delay); err != nil {
			return nil, fmt.Errorf("crossbar: %s %s: waiting for the rate limit: %w", method, path, err)
		}
		delay = min(2*delay, maxRateLimitDelay)
	}
}

// roundTrip sends one HTTP request and decodes the envelope.
func (c *Client) roundTrip(ctx context.Context, method, path string, query url.Values, body []byte, token string) (*answer, error) {
	target := c.base + "/v2/" + path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	var reader io.Reader
	if body != nil {
		reader = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, reader)
	if err != nil {
		return nil, fmt.Errorf("crossbar: %s %s: %w", method, path, err)
	}
	id := requestID(ctx)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-Request-ID", id)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("X-Auth-Token", token)
	}
	c.log.Debug("crossbar request", "method", method, "path", path, "request_id", id)
	hr, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("crossbar: %s %s: %w", method, path, err)
	}
	defer hr.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(hr.Body, maxResponseBytes+1))
	if err != nil {
		return nil, fmt.Errorf("crossbar: %s %s: reading the answer: %w", method, path, err)
	}
	if len(raw) > maxResponseBytes {
		return nil, fmt.Errorf("crossbar: %s %s: answer larger than %d bytes", method, path, maxResponseBytes)
	}
	if echoed := hr.Header.Get("X-Request-ID"); echoed != "" {
		id = echoed
	}
	var env envelope
	decodeErr := json.Unmarshal(raw, &env)
	if env.RequestID != "" {
		id = env.RequestID
	}
	if hr.StatusCode < 200 || hr.StatusCode > 299 {
		return nil, newError(method, path, hr.StatusCode, id, &env, raw, decodeErr)
	}
	if decodeErr != nil {
		return nil, fmt.Errorf("crossbar: %s %s: answer is not Crossbar's JSON envelope (request %s): %w", method, path, id, decodeErr)
	}
	return &answer{resp: &Response{
		StatusCode:      hr.StatusCode,
		Data:            env.Data,
		RequestID:       id,
		Revision:        env.Revision,
		NextStartKey:    startKey(env.NextStartKey),
		TokensRemaining: env.remaining(),
	}, authToken: env.AuthToken}, nil
}

// envelope is Crossbar's response envelope (§1.4).
type envelope struct {
	Status       string          `json:"status"`
	Data         json.RawMessage `json:"data"`
	Message      string          `json:"message"`
	RequestID    string          `json:"request_id"`
	Revision     string          `json:"revision"`
	AuthToken    string          `json:"auth_token"`
	NextStartKey json.RawMessage `json:"next_start_key"`
	Tokens       *struct {
		Remaining *int `json:"remaining"`
	} `json:"tokens"`
}

func (e *envelope) remaining() int {
	if e.Tokens == nil || e.Tokens.Remaining == nil {
		return -1
	}
	return *e.Tokens.Remaining
}

// startKey turns a next_start_key into the value to send back: a string as
// it is (4.2 and later send opaque strings), any other JSON as its text.
func startKey(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// accountPath returns the path of an account resource: accounts/{A}/r[/id…],
// each id escaped as one path segment.
func (c *Client) accountPath(ctx context.Context, r Resource, ids ...string) (string, error) {
	account, err := c.AccountID(ctx)
	if err != nil {
		return "", err
	}
	p := "accounts/" + account + "/" + string(r)
	for _, id := range ids {
		if id == "" {
			return "", fmt.Errorf("crossbar: %s: empty ID", r)
		}
		p += "/" + escapeSegment(id)
	}
	return p, nil
}

// escapeSegment escapes an ID as one path segment, "@" included: Kazoo's
// call IDs often hold one, and Crossbar wants it as %40 (§1.12).
func escapeSegment(id string) string {
	return strings.ReplaceAll(url.QueryEscape(id), "+", "%20")
}
