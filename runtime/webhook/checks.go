package webhook

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/netip"

	"github.com/kzgen/kzgen/runtime/internal/access"
)

// This file holds the checks a receiver can make in place of a signature;
// the package documentation says what each is worth.

// check inspects a decoded delivery; a non-zero status refuses it, with a
// reason for the log. A check may remove fields (the secret).
type check func(d *Delivery) (status int, why string)

// WithBasicAuth admits deliveries with HTTP Basic credentials username and
// password, compared in constant time, and answers others 401. Give them in
// the hook's uri, "https://username:password@hooks.example.com/kazoo":
// Kazoo's HTTP client is expected to send them as an Authorization header
// (common practice, unverified against Kazoo's source; the rules are
// runtime/pivot's BasicAuth, the challenge's realm "webhook"). Use user
// names and passwords of letters, digits, "-", ".", "_" and "~" only.
func WithBasicAuth(username, password string) Option {
	return func(c *config) {
		if username == "" || password == "" {
			c.fail(errors.New("webhook: WithBasicAuth: empty user name or password"))
			return
		}
		c.middleware = append(c.middleware, access.BasicAuth("webhook", username, password))
	}
}

// WithAllowedIPs admits deliveries whose client address is in one of the
// allow prefixes (the addresses Kazoo's webhooks app sends from) and
// answers others 403. X-Forwarded-For is read only from trustedProxies, from
// right to left; see runtime/pivot's AllowIPs for the exact rules.
func WithAllowedIPs(allow []netip.Prefix, trustedProxies ...netip.Prefix) Option {
	return func(c *config) {
		if len(allow) == 0 {
			c.fail(errors.New("webhook: WithAllowedIPs: no prefix allowed"))
			return
		}
		c.middleware = append(c.middleware, access.AllowIPs(allow, trustedProxies...))
	}
}

// WithSecret admits deliveries whose top-level field named field equals one
// of secrets (several allow rotation), compared in constant time, and answers
// others 403. Put the secret in the hook's custom_data, which Kazoo merges
// into every payload: {"custom_data": {"field": "secret"}}. The field is
// removed from Raw and Values before the receiver sees the event, and so
// never reaches Extra.
//
// Use a long random secret (at least 128 bits), http_verb post and https,
// and rotate it: see the notes on checks in the package documentation.
func WithSecret(field string, secrets ...string) Option {
	return func(c *config) {
		if field == "" || len(secrets) == 0 {
			c.fail(errors.New("webhook: WithSecret: need a field name and at least one secret"))
			return
		}
		want := make([][sha256.Size]byte, len(secrets))
		for i, s := range secrets {
			if s == "" {
				c.fail(errors.New("webhook: WithSecret: empty secret"))
				return
			}
			want[i] = sha256.Sum256([]byte(s))
		}
		c.checks = append(c.checks, func(d *Delivery) (int, string) {
			v, ok := d.Raw.Lookup(field)
			ok = ok && d.Raw.Has(field) && oneOf(want, v.Text())
			removeField(d, field)
			if !ok {
				return http.StatusForbidden, "missing or wrong secret in field " + clipped(field)
			}
			return 0, ""
		})
	}
}

// WithAccounts admits deliveries for the given account IDs and answers
// others 403. The account is the X-Account-ID header (the account owning
// the hook); when a delivery has no such header, the payload's account_id.
// The header is preferred because with include_subaccounts the payload's
// account_id is the sub-account's. Account IDs are not secrets: this guards
// against a misdirected hook, not an attacker.
func WithAccounts(ids ...string) Option {
	return func(c *config) {
		if len(ids) == 0 {
			c.fail(errors.New("webhook: WithAccounts: no account ID"))
			return
		}
		want := make([][sha256.Size]byte, len(ids))
		for i, id := range ids {
			if id == "" {
				c.fail(errors.New("webhook: WithAccounts: empty account ID"))
				return
			}
			want[i] = sha256.Sum256([]byte(id))
		}
		c.checks = append(c.checks, func(d *Delivery) (int, string) {
			account := d.HookAccountID
			if account == "" {
				account = d.Get("account_id")
			}
			if account == "" || !oneOf(want, account) {
				return http.StatusForbidden, "account not allowed"
			}
			return 0, ""
		})
	}
}

// oneOf reports whether got hashes to one of want, comparing with every one
// in constant time; hashing first makes the time independent of lengths.
func oneOf(want [][sha256.Size]byte, got string) bool {
	sum := sha256.Sum256([]byte(got))
	ok := 0
	for i := range want {
		ok |= subtle.ConstantTimeCompare(sum[:], want[i][:])
	}
	return ok == 1
}

// removeField drops a top-level field from d.Raw and d.Values.
func removeField(d *Delivery, field string) {
	kept := d.Raw[:0:0]
	for _, kv := range d.Raw {
		if kv.Key != field {
			kept = append(kept, kv)
		}
	}
	d.Raw = kept
	delete(d.Values, field)
}
