package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/runtime/crossbar"
	"github.com/kzgen/kzgen/runtime/crossbar/crossbartest"
)

// kazooEnv starts a fake Crossbar with one account, points the KAZOO_*
// environment at it with the account's API key, and the token cache at a
// temporary directory.
func kazooEnv(t *testing.T, opts crossbartest.Options) (*crossbartest.Server, *crossbartest.Account) {
	t.Helper()
	srv := crossbartest.NewServer(opts)
	t.Cleanup(srv.Close)
	acct := srv.AddAccount("Example Corp")
	for k, v := range map[string]string{
		crossbar.EnvURL: srv.URL, crossbar.EnvAccountID: acct.ID, crossbar.EnvAPIKey: acct.APIKey,
		crossbar.EnvUsername: "", crossbar.EnvPassword: "", crossbar.EnvAccountName: "",
	} {
		t.Setenv(k, v)
	}
	dir := filepath.Join(t.TempDir(), "tokens")
	saved := tokenCacheDir
	tokenCacheDir = func() (string, error) { return dir, nil }
	t.Cleanup(func() { tokenCacheDir = saved })
	return srv, acct
}

// kzgen runs a command and returns its exit code, stdout and stderr.
func kzgen(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// writeFile writes a file in a temporary directory and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// seedAccount gives the account one document of each kind ls lists.
func seedAccount(t *testing.T, acct *crossbartest.Account) map[string]string {
	t.Helper()
	ids := map[string]string{}
	add := func(key string, r crossbar.Resource, doc map[string]any) {
		id, err := acct.Create(r, doc)
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		ids[key] = id
	}
	var err error
	if ids["alice"], err = acct.AddUser("alice", "correct horse", map[string]any{"first_name": "Alice", "last_name": "Liddell", "email": "alice@example.com"}); err != nil {
		t.Fatal(err)
	}
	add("desk", crossbar.Devices, map[string]any{"name": "Alice's desk", "username": "user_x7k2", "device_type": "sip_device", "owner_id": ids["alice"]})
	add("sales", crossbar.Groups, map[string]any{"name": "Sales", "endpoints": map[string]any{ids["alice"]: map[string]any{"type": "user"}}})
	add("vm", crossbar.VMBoxes, map[string]any{"name": "Alice's box", "mailbox": "1001", "owner_id": ids["alice"]})
	add("conf", crossbar.Conferences, map[string]any{"name": "Standup", "conference_numbers": []string{"3000"}})
	add("media", crossbar.Media, map[string]any{"name": "Welcome", "media_source": "upload", "language": "en-us"})
	add("alice-cf", crossbar.Callflows, map[string]any{"name": "Alice", "numbers": []string{"1001", "+14155550101"}, "owner_id": ids["alice"],
		"flow": map[string]any{"module": "user", "data": map[string]any{"id": ids["alice"]}}})
	add("sales-cf", crossbar.Callflows, map[string]any{"name": "Sales line", "numbers": []string{"2000"}, "group_id": ids["sales"],
		"flow": map[string]any{"module": "ring_group", "data": map[string]any{"endpoints": []any{map[string]any{"id": ids["sales"], "endpoint_type": "group"}}}}})
	return ids
}

// TestCommandsShareOneLogin runs four commands back to back: the first
// logs in, the others use the cached token.
func TestCommandsShareOneLogin(t *testing.T) {
	srv, acct := kazooEnv(t, crossbartest.Options{})
	seedAccount(t, acct)
	file := writeFile(t, "hello.json", helloFlow)
	for _, args := range [][]string{
		{"deploy", "-name", "hello", "-numbers", "2001", file},
		{"ls", "users"},
		{"debug"},
		{"deploy", "-name", "hello", "-numbers", "2001", file},
	} {
		if code, _, stderr := kzgen(t, args...); code != 0 {
			t.Fatalf("%v: exit %d\n%s", args, code, stderr)
		}
	}
	if n := srv.Logins(); n != 1 {
		t.Errorf("%d logins for four commands, want 1", n)
	}
	dir, _ := tokenCacheDir()
	files, _ := os.ReadDir(dir)
	if len(files) != 1 {
		t.Fatalf("%d cache files", len(files))
	}
	info, _ := files[0].Info()
	if runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
		t.Errorf("cache file mode %v", info.Mode().Perm())
	}
	data, _ := os.ReadFile(filepath.Join(dir, files[0].Name()))
	if strings.Contains(string(data), acct.APIKey) {
		t.Error("the cache holds the API key")
	}
}

// TestNoSecretInOutput runs commands that succeed and fail, verbose or
// not, with an API key and with a user's credentials, and finds no secret
// in anything they print.
func TestNoSecretInOutput(t *testing.T) {
	srv, acct := kazooEnv(t, crossbartest.Options{BucketTokens: -1}) // refused logins, many of them
	seedAccount(t, acct)
	file := writeFile(t, "hello.json", helloFlow)
	secrets := []string{acct.APIKey, "correct horse", crossbar.CredentialsHash("alice", "correct horse", false), "wrong horse"}
	var outputs []string
	runAll := func() {
		for _, args := range [][]string{
			{"deploy", "-v", "-name", "hello", "-numbers", "2001", file},
			{"deploy", "-name", "taken", "-numbers", "2001", file},
			{"ls", "-v", "users"},
			{"ls", "-json", "devices"},
			{"debug", "-v"},
			{"debug", "-call-id", "nobody"},
		} {
			_, stdout, stderr := kzgen(t, args...)
			outputs = append(outputs, stdout, stderr)
		}
	}
	cacheDir, _ := tokenCacheDir()
	runAll()
	t.Setenv(crossbar.EnvAPIKey, "")
	t.Setenv(crossbar.EnvUsername, "alice")
	t.Setenv(crossbar.EnvPassword, "correct horse")
	t.Setenv(crossbar.EnvAccountName, "Example Corp")
	runAll()
	t.Setenv(crossbar.EnvPassword, "wrong horse")
	tokenCacheDir = func() (string, error) { return t.TempDir(), nil } // no valid token to fall back on
	runAll()
	t.Setenv(crossbar.EnvUsername, "")
	t.Setenv(crossbar.EnvAPIKey, acct.APIKey[:20]) // refused, and echoed in Crossbar's validation error
	runAll()

	tokens := cachedTokens(t, cacheDir) // the tokens issued are secrets too
	if len(tokens) != 2 {
		t.Fatalf("%d tokens cached, want 2 (API key, user)", len(tokens))
	}
	secrets = append(secrets, tokens...)
	all := strings.Join(outputs, "\n")
	for _, s := range secrets {
		if strings.Contains(all, s) {
			t.Errorf("a secret is printed: %.12s…", s)
		}
	}
	for _, want := range []string{"wrong credentials", "API key sha256:", "user alice of account Example Corp", "String must be at least 64 characters"} {
		if !strings.Contains(all, want) {
			t.Errorf("the output never says %q", want)
		}
	}
	if n := srv.Logins(); n != 2 {
		t.Errorf("%d logins, want 2", n)
	}
}

// cachedTokens returns the tokens in a token cache directory.
func cachedTokens(t *testing.T, dir string) []string {
	t.Helper()
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var tokens []string
	for _, f := range files {
		data, _ := os.ReadFile(filepath.Join(dir, f.Name()))
		var c struct {
			Token string `json:"token"`
		}
		if json.Unmarshal(data, &c) == nil && c.Token != "" {
			tokens = append(tokens, c.Token)
		}
	}
	return tokens
}
