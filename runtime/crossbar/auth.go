package crossbar

import (
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Credentials log a Client in: APIKey or UserCredentials. Their String and
// LogValue methods never reveal a secret.
type Credentials interface {
	// Identity names the credentials without a secret, such as
	// "API key sha256:1f2e3d4c5b6a7988" or "user alice of account Example";
	// token caches use it as part of their key.
	Identity() string
	// login returns the auth endpoint and its request data.
	login() (path string, data any)
	// check reports missing fields, naming no secret.
	check() error
}

// APIKey is an account's API key (64 characters, read once with a token
// at GET /v2/accounts/{id}/api_key), logged in with PUT /v2/api_auth
// (§1.2). Printing it shows only a fingerprint.
type APIKey string

// Identity returns "API key sha256:" and the first 16 hexadecimal digits of
// the key's SHA-256.
func (k APIKey) Identity() string {
	sum := sha256.Sum256([]byte(k))
	return "API key sha256:" + hex.EncodeToString(sum[:8])
}

// String returns Identity, never the key.
func (k APIKey) String() string { return k.Identity() }

// GoString returns Identity, never the key.
func (k APIKey) GoString() string { return k.Identity() }

// LogValue returns Identity, never the key.
func (k APIKey) LogValue() slog.Value { return slog.StringValue(k.Identity()) }

func (k APIKey) login() (string, any) {
	return "api_auth", map[string]string{"api_key": string(k)}
}

func (k APIKey) check() error {
	if k == "" {
		return errors.New("empty API key")
	}
	return nil
}

// UserCredentials are a user's username and password and the account they
// belong to, logged in with PUT /v2/user_auth (§1.2). Only a hash of
// lowercase(username):password is sent. Printing them shows no password.
type UserCredentials struct {
	Username string
	Password string
	// AccountName identifies the account by name; alternatively set
	// AccountRealm (its SIP realm) or PhoneNumber (a number it owns).
	AccountName  string
	AccountRealm string
	PhoneNumber  string
	// SHA1 sends the SHA-1 hash (method "sha") instead of MD5.
	SHA1 bool
}

// Identity returns "user NAME of account ACCOUNT".
func (u UserCredentials) Identity() string {
	account := u.AccountName
	switch {
	case account != "":
	case u.AccountRealm != "":
		account = "realm " + u.AccountRealm
	case u.PhoneNumber != "":
		account = "number " + u.PhoneNumber
	}
	return fmt.Sprintf("user %s of account %s", strings.ToLower(u.Username), account)
}

// String returns Identity, never the password.
func (u UserCredentials) String() string { return u.Identity() }

// GoString returns Identity, never the password.
func (u UserCredentials) GoString() string { return u.Identity() }

// LogValue returns Identity, never the password.
func (u UserCredentials) LogValue() slog.Value { return slog.StringValue(u.Identity()) }

// CredentialsHash returns what Kazoo stores and user_auth compares: the hex
// MD5 (or, with sha1, SHA-1) of lowercase(username) + ":" + password.
// It is as secret as the password.
func CredentialsHash(username, password string, sha1Hash bool) string {
	in := []byte(strings.ToLower(username) + ":" + password)
	if sha1Hash {
		sum := sha1.Sum(in)
		return hex.EncodeToString(sum[:])
	}
	sum := md5.Sum(in)
	return hex.EncodeToString(sum[:])
}

func (u UserCredentials) login() (string, any) {
	data := map[string]string{
		"credentials": CredentialsHash(u.Username, u.Password, u.SHA1),
		"method":      "md5",
	}
	if u.SHA1 {
		data["method"] = "sha"
	}
	switch {
	case u.AccountName != "":
		data["account_name"] = u.AccountName
	case u.AccountRealm != "":
		data["account_realm"] = u.AccountRealm
	default:
		data["phone_number"] = u.PhoneNumber
	}
	return "user_auth", data
}

func (u UserCredentials) check() error {
	var missing []string
	if u.Username == "" {
		missing = append(missing, "username")
	}
	if u.Password == "" {
		missing = append(missing, "password")
	}
	if u.AccountName == "" && u.AccountRealm == "" && u.PhoneNumber == "" {
		missing = append(missing, "account name (or realm, or phone number)")
	}
	if len(missing) > 0 {
		return fmt.Errorf("user credentials: missing %s", strings.Join(missing, ", "))
	}
	return nil
}

// Token is a Crossbar auth token and what the login said about it. Printing
// it shows only its expiry.
type Token struct {
	// Value is the token, a JWT sent as X-Auth-Token.
	Value string
	// Expires is the token's exp claim; zero when it has none, and the
	// token is then used until Crossbar refuses it.
	Expires time.Time
	// AccountID is the account the credentials belong to.
	AccountID string
	// OwnerID is the user who logged in (user credentials only).
	OwnerID string
}

// String describes the token without its value.
func (t Token) String() string {
	if t.Value == "" {
		return "no token"
	}
	if t.Expires.IsZero() {
		return "token (no expiry)"
	}
	return "token expiring " + t.Expires.UTC().Format(time.RFC3339)
}

// GoString describes the token without its value.
func (t Token) GoString() string { return t.String() }

// LogValue describes the token without its value.
func (t Token) LogValue() slog.Value { return slog.StringValue(t.String()) }

// expirySkew is how long before its exp a token is replaced, so that a
// request never leaves with a token about to expire.
const expirySkew = 30 * time.Second

// validAt reports whether the token can still be sent at now.
func (t Token) validAt(now time.Time) bool {
	return t.Value != "" && (t.Expires.IsZero() || now.Before(t.Expires.Add(-expirySkew)))
}

// Login logs in now, whatever token the client holds, and returns the new
// token. Requests log in by themselves; Login is for checking credentials
// early.
func (c *Client) Login(ctx context.Context) (Token, error) {
	c.loginMu.Lock()
	defer c.loginMu.Unlock()
	return c.login(ctx)
}

// currentToken returns a valid token: the one held, the cached one, or a
// new login.
func (c *Client) currentToken(ctx context.Context) (Token, error) {
	c.mu.Lock()
	tok := c.token
	c.mu.Unlock()
	if tok.validAt(c.now()) {
		return tok, nil
	}
	c.loginMu.Lock()
	defer c.loginMu.Unlock()
	c.mu.Lock()
	tok = c.token // another goroutine may have logged in meanwhile
	c.mu.Unlock()
	if tok.validAt(c.now()) {
		return tok, nil
	}
	if c.cache != nil {
		if cached, ok := c.cache.LoadToken(c.cacheKey()); ok && cached.validAt(c.now()) {
			c.log.Debug("using the cached Crossbar token", "token", cached)
			c.setToken(cached)
			return cached, nil
		}
	}
	return c.login(ctx)
}

// renew replaces a token Crossbar refused: it logs in, unless another
// request already did since. The cache is not consulted: it may hold the
// refused token.
func (c *Client) renew(ctx context.Context, refused Token) (Token, error) {
	c.loginMu.Lock()
	defer c.loginMu.Unlock()
	c.mu.Lock()
	tok := c.token
	c.mu.Unlock()
	if tok.Value != refused.Value && tok.validAt(c.now()) {
		return tok, nil
	}
	return c.login(ctx)
}

func (c *Client) setToken(tok Token) {
	c.mu.Lock()
	c.token = tok
	c.mu.Unlock()
}

// cacheKey identifies the credentials at this Crossbar and account.
func (c *Client) cacheKey() string {
	return c.base + "|" + c.accountID + "|" + c.creds.Identity()
}

// login sends the credentials; the caller holds loginMu.
func (c *Client) login(ctx context.Context) (Token, error) {
	path, data := c.creds.login()
	body, err := envelopeBody(data)
	if err != nil {
		return Token{}, fmt.Errorf("crossbar: login: %w", err)
	}
	c.log.Info("logging in to Crossbar", "url", c.base, "as", c.creds.Identity())
	resp, err := c.sendLogin(ctx, path, body)
	if err != nil {
		return Token{}, loginError(c.creds, err)
	}
	tok, err := tokenFrom(resp)
	if err != nil {
		return Token{}, fmt.Errorf("crossbar: login as %s: %w", c.creds.Identity(), err)
	}
	c.setToken(tok)
	if c.cache != nil {
		if err := c.cache.StoreToken(c.cacheKey(), tok); err != nil {
			c.log.Warn("could not cache the Crossbar token", "error", err)
		}
	}
	return tok, nil
}

// loginAnswer is what the login endpoints answer besides the envelope.
type loginAnswer struct {
	AuthToken string `json:"auth_token"`
	Data      struct {
		AccountID string `json:"account_id"`
		OwnerID   string `json:"owner_id"`
	} `json:"data"`
}

// sendLogin sends a login request and returns its raw answer: the token is
// outside the envelope's data.
func (c *Client) sendLogin(ctx context.Context, path string, body []byte) (*loginAnswer, error) {
	ans, err := c.send(ctx, "PUT", path, nil, body, "")
	if err != nil {
		return nil, err
	}
	a := loginAnswer{AuthToken: ans.authToken}
	if len(ans.resp.Data) > 0 {
		if err := json.Unmarshal(ans.resp.Data, &a.Data); err != nil {
			return nil, fmt.Errorf("reading the login answer: %w", err)
		}
	}
	return &a, nil
}

// tokenFrom builds the token of a login answer, reading exp from the JWT.
func tokenFrom(a *loginAnswer) (Token, error) {
	if a.AuthToken == "" {
		return Token{}, errors.New("the answer holds no auth_token")
	}
	return Token{
		Value:     a.AuthToken,
		Expires:   jwtExpiry(a.AuthToken),
		AccountID: a.Data.AccountID,
		OwnerID:   a.Data.OwnerID,
	}, nil
}

// jwtExpiry reads the exp claim of a JWT without verifying it (only Kazoo
// can). It returns zero when the token is not a JWT or has no exp. An exp
// in Gregorian seconds, Kazoo's usual clock, is accepted too.
func jwtExpiry(token string) time.Time {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return time.Time{}
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return time.Time{}
	}
	var claims struct {
		Exp json.Number `json:"exp"`
	}
	if json.Unmarshal(payload, &claims) != nil {
		return time.Time{}
	}
	exp, err := claims.Exp.Float64()
	if err != nil || exp <= 0 {
		return time.Time{}
	}
	if exp > GregorianOffset {
		exp -= GregorianOffset
	}
	return time.Unix(int64(exp), 0)
}

// ErrMFARequired is returned by a login the account's multi-factor
// authentication stops; the client cannot answer its challenge, so use an
// API key.
var ErrMFARequired = errors.New("the account requires multi-factor authentication, which this client does not support: log in with an API key")

// loginError turns a refused login into an error that names the
// credentials by identity only. Crossbar's validation errors echo the value
// sent (the API key or the credentials hash), so a refused login keeps only
// the status, message, request ID and the problems' pointers and codes.
func loginError(creds Credentials, err error) error {
	var e *Error
	if !errors.As(err, &e) {
		return fmt.Errorf("crossbar: login as %s: %w", creds.Identity(), err)
	}
	clean := &Error{Method: e.Method, Path: e.Path, StatusCode: e.StatusCode, Message: e.Message, RequestID: e.RequestID}
	for _, p := range e.Problems {
		clean.Problems = append(clean.Problems, Problem{Pointer: p.Pointer, Code: p.Code, Message: p.Message})
	}
	if e.StatusCode == 401 && strings.Contains(string(e.Data), "multi_factor_request") {
		return fmt.Errorf("crossbar: login as %s: %w (%w)", creds.Identity(), ErrMFARequired, clean)
	}
	if e.StatusCode == 401 {
		return fmt.Errorf("crossbar: login as %s: wrong credentials: %w", creds.Identity(), clean)
	}
	return fmt.Errorf("crossbar: login as %s: %w", creds.Identity(), clean)
}
