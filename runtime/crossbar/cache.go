package crossbar

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// TokenCache keeps tokens between processes, so that a command run many
// times logs in once an hour rather than every time (a login costs 35 of
// Crossbar's 100 rate-limit tokens). Keys name the Crossbar, the account
// and the credentials' Identity, never a secret.
type TokenCache interface {
	// LoadToken returns the token stored under key, if any.
	LoadToken(key string) (Token, bool)
	// StoreToken stores tok under key, replacing what was there.
	StoreToken(key string, tok Token) error
}

// FileTokenCache keeps each token in its own file of Dir, readable by its
// owner only (mode 0600, directory 0700). A file holds the key, the token
// and its expiry; never a password, API key or credentials hash.
type FileTokenCache struct {
	Dir string
}

// DefaultTokenCacheDir returns the kzgen directory of the user's cache
// directory (os.UserCacheDir), such as ~/.cache/kzgen/crossbar-tokens.
func DefaultTokenCacheDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("token cache: %w", err)
	}
	return filepath.Join(dir, "kzgen", "crossbar-tokens"), nil
}

// cachedToken is the file format of FileTokenCache.
type cachedToken struct {
	Key       string    `json:"key"`
	Token     string    `json:"token"`
	Expires   time.Time `json:"expires,omitzero"`
	AccountID string    `json:"account_id,omitempty"`
	OwnerID   string    `json:"owner_id,omitempty"`
}

// file returns the file of key: a hash, so that the name shows nothing.
func (c FileTokenCache) file(key string) string {
	sum := sha256.Sum256([]byte(key))
	return filepath.Join(c.Dir, hex.EncodeToString(sum[:16])+".json")
}

// LoadToken reads the token of key; a missing, unreadable or foreign file
// is no token.
func (c FileTokenCache) LoadToken(key string) (Token, bool) {
	data, err := os.ReadFile(c.file(key))
	if err != nil {
		return Token{}, false
	}
	var ct cachedToken
	if json.Unmarshal(data, &ct) != nil || ct.Key != key || ct.Token == "" {
		return Token{}, false
	}
	return Token{Value: ct.Token, Expires: ct.Expires, AccountID: ct.AccountID, OwnerID: ct.OwnerID}, true
}

// StoreToken writes the token of key atomically: a temporary file of mode
// 0600, renamed into place.
func (c FileTokenCache) StoreToken(key string, tok Token) error {
	if c.Dir == "" {
		return errors.New("token cache: no directory")
	}
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		return fmt.Errorf("token cache: %w", err)
	}
	data, err := json.Marshal(cachedToken{Key: key, Token: tok.Value, Expires: tok.Expires, AccountID: tok.AccountID, OwnerID: tok.OwnerID})
	if err != nil {
		return fmt.Errorf("token cache: %w", err)
	}
	f, err := os.CreateTemp(c.Dir, ".token-*")
	if err != nil {
		return fmt.Errorf("token cache: %w", err)
	}
	defer os.Remove(f.Name()) // fails harmlessly once renamed
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return fmt.Errorf("token cache: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("token cache: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("token cache: %w", err)
	}
	if err := os.Rename(f.Name(), c.file(key)); err != nil {
		return fmt.Errorf("token cache: %w", err)
	}
	return nil
}
