package crossbar_test

import (
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/runtime/crossbar"
	"github.com/kzgen/kzgen/runtime/crossbar/crossbartest"
)

func TestFileTokenCache(t *testing.T) {
	srv, acct := fake(t, crossbartest.Options{})
	if _, err := acct.AddUser("alice", "correct horse", nil); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "tokens")
	cache := crossbar.FileTokenCache{Dir: dir}
	for _, creds := range []crossbar.Credentials{
		crossbar.APIKey(acct.APIKey),
		crossbar.UserCredentials{Username: "alice", Password: "correct horse", AccountName: "Example Corp"},
	} {
		before := srv.Logins()
		for range 3 { // three processes, one after the other
			c := client(t, srv, creds, func(cfg *crossbar.Config) { cfg.TokenCache = cache })
			if _, err := crossbar.ListAll[user](ctx, c, crossbar.Users, nil); err != nil {
				t.Fatal(err)
			}
		}
		if n := srv.Logins() - before; n != 1 {
			t.Errorf("%s: %d logins for 3 clients sharing a cache, want 1", creds.Identity(), n)
		}
	}
	files, _ := os.ReadDir(dir)
	if len(files) != 2 {
		t.Fatalf("%d cache files, want one per credentials", len(files))
	}
	for _, f := range files {
		info, _ := f.Info()
		if runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", f.Name(), info.Mode().Perm())
		}
		data, _ := os.ReadFile(filepath.Join(dir, f.Name()))
		for _, secret := range []string{acct.APIKey, "correct horse", crossbar.CredentialsHash("alice", "correct horse", false)} {
			if strings.Contains(string(data), secret) {
				t.Errorf("%s holds a secret: %s", f.Name(), data)
			}
		}
	}
	if info, _ := os.Stat(dir); runtime.GOOS != "windows" && info.Mode().Perm() != 0o700 {
		t.Errorf("cache directory mode %v, want 0700", info.Mode().Perm())
	}
}

func TestFileTokenCacheIgnoresForeignFiles(t *testing.T) {
	cache := crossbar.FileTokenCache{Dir: t.TempDir()}
	if err := cache.StoreToken("a", crossbar.Token{Value: "t"}); err != nil {
		t.Fatal(err)
	}
	if tok, ok := cache.LoadToken("a"); !ok || tok.Value != "t" {
		t.Errorf("LoadToken(a) = %v, %v", tok, ok)
	}
	if _, ok := cache.LoadToken("b"); ok {
		t.Error("LoadToken(b) found a token")
	}
	files, _ := os.ReadDir(cache.Dir)
	os.WriteFile(filepath.Join(cache.Dir, files[0].Name()), []byte("not json"), 0o600)
	if _, ok := cache.LoadToken("a"); ok {
		t.Error("a corrupt file gave a token")
	}
}

func TestRevokedCachedTokenIsReplaced(t *testing.T) {
	srv, acct := fake(t, crossbartest.Options{})
	cache := crossbar.FileTokenCache{Dir: t.TempDir()}
	first := client(t, srv, crossbar.APIKey(acct.APIKey), func(cfg *crossbar.Config) { cfg.TokenCache = cache })
	if _, err := first.Do(ctx, http.MethodDelete, "token_auth", nil, nil); err != nil { // revokes the cached token
		t.Fatal(err)
	}
	second := client(t, srv, crossbar.APIKey(acct.APIKey), func(cfg *crossbar.Config) { cfg.TokenCache = cache })
	if _, err := crossbar.ListAll[user](ctx, second, crossbar.Users, nil); err != nil {
		t.Fatalf("with a revoked token in the cache: %v", err)
	}
	third := client(t, srv, crossbar.APIKey(acct.APIKey), func(cfg *crossbar.Config) { cfg.TokenCache = cache })
	if _, err := crossbar.ListAll[user](ctx, third, crossbar.Users, nil); err != nil {
		t.Fatal(err)
	}
	if n := srv.Logins(); n != 2 {
		t.Errorf("%d logins, want 2: the new token is cached", n)
	}
}
