package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/runtime/crossbar/crossbartest"
)

func TestHooksAddRefusedBeforeAnyRequest(t *testing.T) {
	srv, acct := kazooEnv(t, crossbartest.Options{})
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"loopback", []string{"-url", "http://127.0.0.1:8080/hook"}, "  -url: invalid client URL: host 127.0.0.1 is on the client blacklist (127.0.0.1/32); Kazoo must reach"},
		{"localhost", []string{"-url", "https://localhost/hook"}, "  -url: invalid client URL: host localhost is on the client blacklist;"},
		{"scheme", []string{"-url", "ftp://hooks.example.com/"}, `  -url: invalid client URL: scheme "ftp", only http and https are allowed`},
		{"retries", []string{"-url", "https://hooks.example.com/", "-retries", "9"}, "  -retries: 9 is greater than the maximum 4 (maximum)"},
		{"verb", []string{"-url", "https://hooks.example.com/", "-verb", "patch"}, `  -verb: "patch" is not one of "get", "post", "put" (enum)`},
		{"format", []string{"-url", "https://hooks.example.com/", "-format", "xml"}, `  -format: "xml" is not one of "form-data", "json" (enum)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"hooks", "add", "-name", "h", "-hook", "channel_destroy"}, tc.args...)
			code, stdout, stderr := kzgen(t, args...)
			if code != 1 || !strings.Contains(stderr, tc.want) || !strings.Contains(stderr, "nothing was sent") || stdout != "" {
				t.Errorf("exit %d\nstdout: %s\nstderr: %s\nwant: %s", code, stdout, stderr, tc.want)
			}
		})
	}
	if srv.Logins() != 0 || len(acct.IDs(crossbartest.Webhooks)) != 0 {
		t.Error("a refused webhook was sent")
	}
	code, _, stderr := kzgen(t, "hooks", "add", "-name", "h", "-url", "https://hooks.example.com/")
	if code != 2 || !strings.Contains(stderr, "-name, -hook and -url are required") {
		t.Errorf("missing -hook: exit %d\n%s", code, stderr)
	}
	code, _, stderr = kzgen(t, "hooks", "add", "-name", "h", "-hook", "object", "-url", "https://h.example/", "-custom-data", "novalue")
	if code != 2 || !strings.Contains(stderr, `-custom-data: "novalue": want key=value`) {
		t.Errorf("bad -custom-data: exit %d\n%s", code, stderr)
	}
}

// TestHooksRoundTrip adds, lists, breaks, re-enables and removes webhooks
// against the fake Crossbar, and finds no secret in anything printed.
func TestHooksRoundTrip(t *testing.T) {
	srv, acct := kazooEnv(t, crossbartest.Options{})
	const (
		secret   = "hook-secret-7f3a9c"
		password = "pa55w0rd-e21b"
	)
	var printed []string
	run := func(wantCode int, args ...string) (string, string) {
		t.Helper()
		code, stdout, stderr := kzgen(t, args...)
		printed = append(printed, stdout, stderr)
		if code != wantCode {
			t.Fatalf("kzgen %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, wantCode, stdout, stderr)
		}
		return stdout, stderr
	}

	stdout, _ := run(0, "hooks", "add", "-v", "-name", "ivr-analytics", "-hook", "channel_destroy",
		"-url", "https://kazoo:"+password+"@hooks.example.com/kazoo", "-custom-data", "hook_secret="+secret+",site=paris", "-retries", "3")
	ids := acct.IDs(crossbartest.Webhooks)
	if len(ids) != 1 {
		t.Fatalf("%d webhooks stored", len(ids))
	}
	analytics := ids[0]
	want := "created webhook " + analytics + ` "ivr-analytics": channel_destroy → POST https://kazoo:xxxxx@hooks.example.com/kazoo
  body form-data; 3 retries; custom_data hook_secret, site (values not shown)
`
	if stdout != want {
		t.Errorf("add printed\n%s\nwant\n%s", stdout, want)
	}
	doc, _, _ := acct.Doc(crossbartest.Webhooks, analytics)
	if cd := doc["custom_data"].(map[string]any); cd["hook_secret"] != secret || doc["http_verb"] != "post" || doc["format"] != "form-data" {
		t.Errorf("stored %v", doc)
	}

	// The name is taken; the cluster offers no such hook.
	_, stderr := run(1, "hooks", "add", "-name", "ivr-analytics", "-hook", "object", "-url", "https://h.example.com/")
	if !strings.Contains(stderr, `-name: the account already has a webhook named "ivr-analytics" (`+analytics+")") {
		t.Errorf("duplicate name:\n%s", stderr)
	}
	_, stderr = run(1, "hooks", "add", "-name", "typo", "-hook", "channel_destory", "-url", "https://h.example.com/")
	if !strings.Contains(stderr, `-hook: this cluster offers no hook "channel_destory"; it offers channel_answer, channel_bridge, channel_create, channel_destroy,`) {
		t.Errorf("unknown hook:\n%s", stderr)
	}
	run(0, "hooks", "add", "-name", "audit", "-hook", "object", "-verb", "get", "-url", "https://audit.example.com/")
	manual, err := acct.AddWebhook(map[string]any{"name": "old", "hook": "all", "uri": "https://old.example.com/", "enabled": false})
	if err != nil {
		t.Fatal(err)
	}

	// Kazoo disables the analytics hook after 6 failures within a minute.
	var attempts []crossbartest.WebhookAttempt
	for i := range 6 {
		at := crossbartest.WebhookAttempt{HookID: analytics, StatusCode: 503, ResponseBody: "busy", RetriesLeft: 2}
		if i == 5 {
			at = crossbartest.WebhookAttempt{HookID: analytics, ClientError: "econnrefused", RetriesLeft: 1}
		}
		attempts = append(attempts, at)
	}
	if err := acct.AddWebhookAttempts(attempts...); err != nil {
		t.Fatal(err)
	}

	stdout, _ = run(0, "hooks", "ls")
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	for i, l := range lines {
		lines[i] = squeeze(l)
	}
	audit := ""
	for _, id := range acct.IDs(crossbartest.Webhooks) {
		if id != analytics && id != manual {
			audit = id
		}
	}
	wantLines := []string{
		"ID  NAME  HOOK  VERB  URL  ENABLED  DISABLED BECAUSE",
		audit + "  audit  object  get  https://audit.example.com/  yes  -",
		analytics + "  ivr-analytics  channel_destroy  post  https://kazoo:xxxxx@hooks.example.com/kazoo  no  too many failed attempts",
		manual + "  old  all  post  https://old.example.com/  no  disabled through the API",
	}
	if strings.Join(lines, "\n") != strings.Join(wantLines, "\n") {
		t.Errorf("ls printed\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(wantLines, "\n"))
	}
	stdout, _ = run(0, "hooks", "ls", "-json")
	var rows []hookRow
	if err := json.Unmarshal([]byte(stdout), &rows); err != nil || len(rows) != 3 || rows[1].URI != "https://kazoo:xxxxx@hooks.example.com/kazoo" || *rows[1].Retries != 3 || rows[1].enabled() {
		t.Errorf("ls -json: %v\n%s", err, stdout)
	}

	stdout, _ = run(0, "hooks", "attempts", "ivr-analytics")
	if n := strings.Count(squeezeAll(stdout), "ivr-analytics  failure  bad response code: status 503  2"); n != 5 {
		t.Errorf("%d failed attempts with status 503 shown, want 5:\n%s", n, stdout)
	}
	for _, want := range []string{
		"ivr-analytics  failure  kazoo http client error: econnrefused  1",
		`webhook ` + analytics + ` "ivr-analytics" is disabled: too many failed attempts; once the receiver answers 200, run: kzgen hooks reenable ` + analytics,
	} {
		if !strings.Contains(squeezeAll(stdout), want) {
			t.Errorf("attempts does not print %q:\n%s", want, stdout)
		}
	}
	stdout, _ = run(0, "hooks", "attempts")
	if strings.Count(stdout, "failure") != 6 {
		t.Errorf("the account's attempts:\n%s", stdout)
	}
	_, stderr = run(0, "hooks", "attempts", "audit")
	if !strings.Contains(stderr, "no delivery attempt in the log") {
		t.Errorf("a hook without attempts:\n%s", stderr)
	}

	// -all re-enables what Kazoo disabled, not what was disabled by hand.
	stdout, _ = run(0, "hooks", "reenable", "-all")
	want = "asked Kazoo to re-enable the 1 webhook(s) it disabled:\n  " + analytics + ` "ivr-analytics" (too many failed attempts)` + "\n" +
		"disabled through the API, so left disabled (kzgen hooks reenable ID enables one):\n  " + manual + ` "old"` + "\n"
	if stdout != want {
		t.Errorf("reenable -all printed\n%s\nwant\n%s", stdout, want)
	}
	if _, disabled := acct.WebhookDisabled(analytics); disabled {
		t.Error("the analytics hook is still disabled")
	}
	stdout, _ = run(0, "hooks", "reenable", "-all")
	if !strings.HasPrefix(stdout, "no webhook of the account was disabled by Kazoo: nothing to re-enable\n") {
		t.Errorf("second reenable -all:\n%s", stdout)
	}
	stdout, _ = run(0, "hooks", "reenable", "old")
	if stdout != "re-enabled webhook "+manual+` "old" (it had been disabled through the API)`+"\n" {
		t.Errorf("reenable old: %s", stdout)
	}
	if doc, _, _ := acct.Doc(crossbartest.Webhooks, manual); doc["enabled"] != true {
		t.Errorf("old: %v", doc)
	}
	stdout, _ = run(0, "hooks", "reenable", manual)
	if !strings.HasSuffix(stdout, "is enabled already\n") {
		t.Errorf("reenable an enabled hook: %s", stdout)
	}

	// rm by name; a name two hooks share asks for the ID.
	if _, err := acct.AddWebhook(map[string]any{"name": "old", "hook": "object", "uri": "https://old2.example.com/"}); err != nil {
		t.Fatal(err)
	}
	_, stderr = run(1, "hooks", "rm", "old")
	if !strings.Contains(stderr, `2 webhooks are named "old"`) || !strings.Contains(stderr, "give the ID") {
		t.Errorf("ambiguous rm:\n%s", stderr)
	}
	stdout, _ = run(0, "hooks", "rm", "ivr-analytics")
	if stdout != "removed webhook "+analytics+` "ivr-analytics"`+"\n" {
		t.Errorf("rm printed %s", stdout)
	}
	_, stderr = run(1, "hooks", "rm", "ivr-analytics")
	if !strings.Contains(stderr, `the account has no webhook with the ID or name "ivr-analytics"`) {
		t.Errorf("rm of a removed hook:\n%s", stderr)
	}
	if len(acct.IDs(crossbartest.Webhooks)) != 3 {
		t.Errorf("webhooks left: %v", acct.IDs(crossbartest.Webhooks))
	}

	all := strings.Join(printed, "\n")
	for _, s := range []string{secret, password, acct.APIKey} {
		if strings.Contains(all, s) {
			t.Errorf("a secret is printed: %.12s…", s)
		}
	}
	if strings.Contains(all, "site=paris") || strings.Contains(all, "paris") {
		t.Error("a custom_data value is printed")
	}
	if srv.Logins() != 1 {
		t.Errorf("%d logins, want 1 (the token is cached)", srv.Logins())
	}
}

// squeezeAll squeezes every line of a table.
func squeezeAll(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = squeeze(l)
	}
	return strings.Join(lines, "\n")
}

func TestHooksUsage(t *testing.T) {
	code, stdout, _ := kzgen(t, "hooks", "-h")
	if code != 0 || !strings.Contains(stdout, "reenable") || !strings.Contains(stdout, "attempts") {
		t.Errorf("exit %d\n%s", code, stdout)
	}
	if code, _, stderr := kzgen(t, "hooks", "nope"); code != 2 || !strings.Contains(stderr, `unknown subcommand "nope"`) {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	if code, _, stderr := kzgen(t, "hooks", "reenable", "-all", "x"); code != 2 || !strings.Contains(stderr, "not several") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	if code, _, stderr := kzgen(t, "hooks", "add", "-h"); code != 0 || !strings.Contains(stderr, "-kazoo-url") || !strings.Contains(stderr, "-include-subaccounts") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
}

// TestReadmeSeeWhatCallersDo runs the kzgen hooks commands of README.md's
// section "See what callers do", in order, against a fake Crossbar, and
// checks that each prints every line the README shows (IDs aside). The
// ivr-analytics example's own test runs the section's other commands.
func TestReadmeSeeWhatCallersDo(t *testing.T) {
	_, acct := kazooEnv(t, crossbartest.Options{})
	ran := 0
	for _, step := range readmeSection(t, "See what callers do") {
		rest, ok := strings.CutPrefix(step.command, "go run ./cmd/kzgen hooks ")
		if !ok {
			continue
		}
		if strings.ContainsAny(rest, `'"\`) {
			t.Fatalf("README command %q: quoting is not supported by this test", step.command)
		}
		code, stdout, stderr := kzgen(t, append([]string{"hooks"}, strings.Fields(rest)...)...)
		ran++
		if code != 0 {
			t.Errorf("$ %s\nexit %d\n%s%s", step.command, code, stdout, stderr)
		}
		printed := strings.Split(normalizeIDs(stdout+stderr), "\n")
		for _, want := range step.output {
			if !slices.Contains(printed, normalizeIDs(want)) {
				t.Errorf("$ %s\ndoes not print the README's line\n%s\nit printed:\n%s%s", step.command, want, stdout, stderr)
			}
		}
	}
	if ran != 2 {
		t.Errorf("ran %d kzgen hooks commands of the README, want 2", ran)
	}
	if ids := acct.IDs(crossbartest.Webhooks); len(ids) != 1 {
		t.Errorf("%d webhooks after the README's commands, want 1", len(ids))
	}
}
