package crossbar_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kzgen/kzgen/runtime/crossbar"
	"github.com/kzgen/kzgen/runtime/crossbar/crossbartest"
)

var ctx = context.Background()

// fake starts a fake Crossbar with one account.
func fake(t *testing.T, opts crossbartest.Options) (*crossbartest.Server, *crossbartest.Account) {
	t.Helper()
	srv := crossbartest.NewServer(opts)
	t.Cleanup(srv.Close)
	return srv, srv.AddAccount("Example Corp")
}

// client returns a client of srv; edit changes its config.
func client(t *testing.T, srv *crossbartest.Server, creds crossbar.Credentials, edit ...func(*crossbar.Config)) *crossbar.Client {
	t.Helper()
	cfg := crossbar.Config{BaseURL: srv.URL, Credentials: creds}
	for _, e := range edit {
		e(&cfg)
	}
	c, err := crossbar.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type user struct {
	ID        string `json:"id"`
	FirstName string `json:"first_name"`
	Username  string `json:"username"`
}

func TestLoginWithAPIKey(t *testing.T) {
	srv, acct := fake(t, crossbartest.Options{})
	if _, err := acct.AddUser("alice", "secret", nil); err != nil {
		t.Fatal(err)
	}
	c := client(t, srv, crossbar.APIKey(acct.APIKey))
	for range 3 {
		users, err := crossbar.ListAll[user](ctx, c, crossbar.Users, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(users) != 1 || users[0].Username != "alice" {
			t.Fatalf("users = %+v", users)
		}
	}
	if n := srv.Logins(); n != 1 {
		t.Errorf("%d logins for 3 requests, want 1", n)
	}
	id, err := c.AccountID(ctx)
	if err != nil || id != acct.ID {
		t.Errorf("AccountID = %q, %v; want %q from the login", id, err, acct.ID)
	}
}

func TestLoginWithUserCredentials(t *testing.T) {
	srv, acct := fake(t, crossbartest.Options{})
	owner, err := acct.AddUser("Alice", "correct horse", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		creds crossbar.UserCredentials
	}{
		{"md5, account name", crossbar.UserCredentials{Username: "ALICE", Password: "correct horse", AccountName: "example corp"}},
		{"sha, account realm", crossbar.UserCredentials{Username: "alice", Password: "correct horse", AccountRealm: acct.Realm, SHA1: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := client(t, srv, tc.creds)
			tok, err := c.Login(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if tok.AccountID != acct.ID || tok.OwnerID != owner {
				t.Errorf("token for account %q owner %q, want %q %q", tok.AccountID, tok.OwnerID, acct.ID, owner)
			}
			if time.Until(tok.Expires) < 59*time.Minute || time.Until(tok.Expires) > time.Hour {
				t.Errorf("token expires %v, want in an hour (the JWT's exp)", tok.Expires)
			}
			if _, err := crossbar.ListAll[user](ctx, c, crossbar.Users, nil); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestLoginRefusedNamesNoSecret(t *testing.T) {
	srv, acct := fake(t, crossbartest.Options{})
	if _, err := acct.AddUser("alice", "correct horse", nil); err != nil {
		t.Fatal(err)
	}
	wrongKey := strings.Repeat("ab", 32)
	shortKey := "0123456789abcdef" // Crossbar echoes it in its validation error
	for _, tc := range []struct {
		name    string
		creds   crossbar.Credentials
		secrets []string
		want    error
	}{
		{"unknown API key", crossbar.APIKey(wrongKey), []string{wrongKey}, crossbar.ErrUnauthorized},
		{"API key of the wrong length", crossbar.APIKey(shortKey), []string{shortKey}, crossbar.ErrValidation},
		{"wrong password", crossbar.UserCredentials{Username: "alice", Password: "wrong horse", AccountName: "Example Corp"},
			[]string{"wrong horse", crossbar.CredentialsHash("alice", "wrong horse", false)}, crossbar.ErrUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := client(t, srv, tc.creds)
			_, err := crossbar.ListAll[user](ctx, c, crossbar.Users, nil)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			var e *crossbar.Error
			if !errors.As(err, &e) {
				t.Fatalf("err %T is not an *Error", err)
			}
			text := fmt.Sprintf("%v %+v %#v %s", err, e, e, e.Data)
			for _, secret := range tc.secrets {
				if strings.Contains(text, secret) {
					t.Errorf("the error shows a secret: %s", text)
				}
			}
			if !strings.Contains(err.Error(), tc.creds.Identity()) {
				t.Errorf("the error does not name the credentials: %v", err)
			}
		})
	}
}

func TestSecretsNeverPrinted(t *testing.T) {
	key := crossbar.APIKey(strings.Repeat("9f", 32))
	user := crossbar.UserCredentials{Username: "bob", Password: "hunter2", AccountName: "Example"}
	tok := crossbar.Token{Value: "header.payload.signature", Expires: time.Unix(2e9, 0)}
	text := fmt.Sprintf("%v %+v %#v %s | %v %+v %#v %s | %v %+v %#v", key, key, key, key, user, user, user, user, tok, tok, tok)
	for _, secret := range []string{string(key), "hunter2", tok.Value} {
		if strings.Contains(text, secret) {
			t.Errorf("printing shows %q: %s", secret, text)
		}
	}
	if !strings.Contains(text, "API key sha256:") || !strings.Contains(text, "user bob of account Example") {
		t.Errorf("printing does not identify the credentials: %s", text)
	}
}

func TestTokenRenewedAtExpiry(t *testing.T) {
	clock := crossbartest.NewManualClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	srv, acct := fake(t, crossbartest.Options{Clock: clock})
	c := client(t, srv, crossbar.APIKey(acct.APIKey), func(cfg *crossbar.Config) { cfg.Now = clock.Now })
	list := func() {
		t.Helper()
		if _, err := crossbar.ListAll[user](ctx, c, crossbar.Users, nil); err != nil {
			t.Fatal(err)
		}
	}
	list()
	clock.Advance(59 * time.Minute)
	list()
	if n := srv.Logins(); n != 1 {
		t.Fatalf("%d logins before the token expires, want 1", n)
	}
	clock.Advance(2 * time.Minute) // past exp
	list()
	if n := srv.Logins(); n != 2 {
		t.Fatalf("%d logins after the token expired, want 2", n)
	}
}

func TestTokenRenewedOn401(t *testing.T) {
	srv, acct := fake(t, crossbartest.Options{})
	c := client(t, srv, crossbar.APIKey(acct.APIKey))
	if _, err := c.Login(ctx); err != nil {
		t.Fatal(err)
	}
	// Revoke the token behind the client's back: its next request gets
	// 401, logs in again and succeeds.
	if _, err := c.Do(ctx, http.MethodDelete, "token_auth", nil, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := crossbar.ListAll[user](ctx, c, crossbar.Users, nil); err != nil {
		t.Fatalf("after a 401: %v", err)
	}
	if n := srv.Logins(); n != 2 {
		t.Errorf("%d logins, want 2", n)
	}
}

func TestCRUD(t *testing.T) {
	srv, acct := fake(t, crossbartest.Options{})
	c := client(t, srv, crossbar.APIKey(acct.APIKey))
	type device struct {
		ID      string `json:"id,omitempty"`
		Name    string `json:"name"`
		OwnerID string `json:"owner_id,omitempty"`
	}
	created, err := crossbar.Create(ctx, c, crossbar.Devices, device{Name: "desk"})
	if err != nil || created.ID == "" || created.Name != "desk" {
		t.Fatalf("Create: %+v, %v", created, err)
	}
	got, err := crossbar.Get[device](ctx, c, crossbar.Devices, created.ID)
	if err != nil || got != created {
		t.Fatalf("Get: %+v, %v", got, err)
	}
	got.Name = "front desk"
	updated, err := crossbar.Update(ctx, c, crossbar.Devices, got.ID, got)
	if err != nil || updated.Name != "front desk" {
		t.Fatalf("Update: %+v, %v", updated, err)
	}
	patched, err := crossbar.Patch[device](ctx, c, crossbar.Devices, got.ID, map[string]any{"owner_id": "0123456789abcdef0123456789abcdef"})
	if err != nil || patched.Name != "front desk" || patched.OwnerID == "" {
		t.Fatalf("Patch: %+v, %v", patched, err)
	}
	if err := crossbar.Delete(ctx, c, crossbar.Devices, got.ID); err != nil {
		t.Fatal(err)
	}
	_, err = crossbar.Get[device](ctx, c, crossbar.Devices, got.ID)
	if !errors.Is(err, crossbar.ErrNotFound) {
		t.Errorf("Get after Delete: %v, want ErrNotFound", err)
	}
}

func TestRequestID(t *testing.T) {
	srv, acct := fake(t, crossbartest.Options{})
	c := client(t, srv, crossbar.APIKey(acct.APIKey))
	_, err := crossbar.Get[user](crossbar.WithRequestID(ctx, "trace-42"), c, crossbar.Users, "0123456789abcdef0123456789abcdef")
	var e *crossbar.Error
	if !errors.As(err, &e) || e.RequestID != "trace-42" || !strings.Contains(err.Error(), "request trace-42") {
		t.Errorf("err = %v, want request trace-42 reported", err)
	}
	resp, err := c.Do(crossbar.WithRequestID(ctx, "trace-43"), http.MethodGet, "token_auth", nil, nil)
	if err != nil || resp.RequestID != "trace-43" || resp.TokensRemaining < 0 {
		t.Errorf("Do: %+v, %v", resp, err)
	}
}

func TestNewChecksConfig(t *testing.T) {
	for _, tc := range []struct {
		cfg  crossbar.Config
		want string
	}{
		{crossbar.Config{Credentials: crossbar.APIKey("k")}, "no base URL"},
		{crossbar.Config{BaseURL: "kazoo.example.com", Credentials: crossbar.APIKey("k")}, "want http(s)://host"},
		{crossbar.Config{BaseURL: "https://kazoo.example.com", AccountID: "ABC", Credentials: crossbar.APIKey("k")}, "32 lowercase hexadecimal"},
		{crossbar.Config{BaseURL: "https://kazoo.example.com"}, "no credentials"},
		{crossbar.Config{BaseURL: "https://kazoo.example.com", Credentials: crossbar.UserCredentials{Username: "a"}}, "missing password, account name"},
	} {
		_, err := crossbar.New(tc.cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%+v) = %v, want %q", tc.cfg, err, tc.want)
		}
	}
	c, err := crossbar.New(crossbar.Config{BaseURL: "https://kazoo.example.com:8443/v2/", Credentials: crossbar.APIKey("k")})
	if err != nil || c.BaseURL() != "https://kazoo.example.com:8443" {
		t.Errorf("base URL with /v2/: %v, %v", c, err)
	}
}
