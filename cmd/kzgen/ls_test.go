package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/runtime/crossbar"
	"github.com/kzgen/kzgen/runtime/crossbar/crossbartest"
)

func TestLs(t *testing.T) {
	_, acct := kazooEnv(t, crossbartest.Options{})
	ids := seedAccount(t, acct)
	for _, tc := range []struct {
		kind string
		want []string
	}{
		{"users", []string{"ID  NAME  USERNAME  EMAIL  NUMBERS", ids["alice"] + "  Alice Liddell  alice  alice@example.com  1001, +14155550101"}},
		{"devices", []string{"ID  NAME  SIP USERNAME  TYPE  OWNER  ENABLED", ids["desk"] + "  Alice's desk  user_x7k2  sip_device  Alice Liddell  yes"}},
		{"groups", []string{"ID  NAME  ENDPOINTS  NUMBERS", ids["sales"] + "  Sales  1  2000"}},
		{"vmboxes", []string{"ID  NAME  MAILBOX  OWNER  MESSAGES", ids["vm"] + "  Alice's box  1001  Alice Liddell  0"}},
		{"conferences", []string{"ID  NAME  NUMBERS  OWNER", ids["conf"] + "  Standup  3000  -"}},
		{"media", []string{"ID  NAME  SOURCE  LANGUAGE", ids["media"] + "  Welcome  upload  en-us"}},
		{"callflows", []string{"ID  NAME  NUMBERS  MODULES", ids["alice-cf"] + "  Alice  1001, +14155550101  user", ids["sales-cf"] + "  Sales line  2000  ring_group"}},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			code, stdout, stderr := kzgen(t, "ls", tc.kind)
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
			for i, l := range lines {
				lines[i] = squeeze(l)
			}
			if strings.Join(lines, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(tc.want, "\n"))
			}

			code, stdout, _ = kzgen(t, "ls", "-json", tc.kind)
			var rows []map[string]any
			if err := json.Unmarshal([]byte(stdout), &rows); code != 0 || err != nil || len(rows) != len(tc.want)-1 {
				t.Errorf("-json: exit %d, %v, %d rows:\n%s", code, err, len(rows), stdout)
			}
		})
	}
}

// squeeze collapses the table's column padding to two spaces.
func squeeze(line string) string {
	fields := strings.Split(strings.TrimRight(line, " "), "  ")
	var kept []string
	for _, f := range fields {
		if f = strings.TrimSpace(f); f != "" {
			kept = append(kept, f)
		}
	}
	return strings.Join(kept, "  ")
}

func TestLsEveryPage(t *testing.T) {
	_, acct := kazooEnv(t, crossbartest.Options{BucketTokens: -1})
	for i := range 120 {
		if _, err := acct.Create(crossbar.Devices, map[string]any{"name": fmt.Sprintf("phone %03d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	code, stdout, stderr := kzgen(t, "ls", "devices")
	if n := strings.Count(stdout, "phone "); code != 0 || n != 120 {
		t.Errorf("exit %d, %d devices listed, want 120", code, n)
	}
	if !strings.Contains(stderr, "reading the next page") {
		t.Errorf("no progress for further pages:\n%s", stderr)
	}
	if strings.Index(stdout, "phone 000") > strings.Index(stdout, "phone 119") {
		t.Error("not sorted by name")
	}
}

func TestLsBadInput(t *testing.T) {
	kazooEnv(t, crossbartest.Options{})
	if code, _, stderr := kzgen(t, "ls", "phones"); code != 2 || !strings.Contains(stderr, `unknown kind "phones": want one of callflows, conferences, devices, groups, media, users, vmboxes`) {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	if code, _, stderr := kzgen(t, "ls"); code != 2 || !strings.Contains(stderr, "give one kind") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	t.Setenv(crossbar.EnvURL, "")
	if code, _, stderr := kzgen(t, "ls", "users"); code != 2 || !strings.Contains(stderr, "no Crossbar URL: set -url or KAZOO_URL") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
}
