package crossbartest_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kzgen/kzgen/runtime/crossbar/crossbartest"
)

// hook is a valid webhook document.
func hook(name string) map[string]any {
	return map[string]any{"name": name, "hook": "channel_destroy", "uri": "https://hooks.example.com/kazoo", "http_verb": "post",
		"custom_data": map[string]any{"hook_secret": "s3cret"}}
}

func TestHookTypesNeedNoToken(t *testing.T) {
	srv := crossbartest.NewServer(crossbartest.Options{})
	defer srv.Close()
	status, env, _ := wire(t, srv, "GET", "/v2/webhooks", nil, "")
	if status != 200 {
		t.Fatalf("%d %v", status, env)
	}
	var ids []string
	for _, row := range env["data"].([]any) {
		ids = append(ids, row.(map[string]any)["id"].(string))
	}
	if !slices.Contains(ids, "channel_destroy") || !slices.Contains(ids, "object") {
		t.Errorf("hook types %v", ids)
	}
	if status, _, _ := wire(t, srv, "PUT", "/v2/webhooks", nil, `{"data":{}}`); status != http.StatusMethodNotAllowed {
		t.Errorf("PUT /v2/webhooks: %d", status)
	}
}

func TestWebhookRules(t *testing.T) {
	srv := crossbartest.NewServer(crossbartest.Options{})
	defer srv.Close()
	a := srv.AddAccount("Example")
	for _, tc := range []struct {
		name  string
		edit  func(map[string]any)
		where string // the refused key path and code
	}{
		{"blacklisted uri", func(d map[string]any) { d["uri"] = "http://127.0.0.1:8080/hook" }, `"uri":{"error"`},
		{"not http", func(d map[string]any) { d["uri"] = "ftp://hooks.example.com/" }, `"uri":{"error"`},
		{"no name", func(d map[string]any) { delete(d, "name") }, `"name":{"required"`},
		{"unknown hook", func(d map[string]any) { d["hook"] = "channel_destory" }, `"hook":{"enum"`},
		{"bad verb", func(d map[string]any) { d["http_verb"] = "patch" }, `"http_verb":{"enum"`},
		{"too many retries", func(d map[string]any) { d["retries"] = 9 }, `"retries":{"maximum"`},
		{"custom_data not text", func(d map[string]any) { d["custom_data"] = map[string]any{"n": 1} }, `"custom_data.n":{"type"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := hook("h")
			tc.edit(doc)
			_, err := a.AddWebhook(doc)
			if err == nil || !strings.Contains(err.Error(), tc.where) {
				t.Errorf("got %v, want a refusal at %s", err, tc.where)
			}
		})
	}
	for _, h := range []string{"all", "object"} {
		doc := hook(h)
		doc["hook"] = h
		if _, err := a.AddWebhook(doc); err != nil {
			t.Errorf("hook %q: %v", h, err)
		}
	}
}

func TestWebhookCRUD(t *testing.T) {
	srv := crossbartest.NewServer(crossbartest.Options{})
	defer srv.Close()
	a := srv.AddAccount("Example")
	auth := map[string]string{"X-Auth-Token": login(t, srv, a)}
	base := "/v2/accounts/" + a.ID + "/webhooks"

	status, env, _ := wire(t, srv, "PUT", base, auth, `{"data":{"name":"cdr","hook":"channel_destroy","uri":"https://h.example.com/","http_verb":"get"}}`)
	if status != 201 {
		t.Fatalf("create: %d %v", status, env)
	}
	id := env["data"].(map[string]any)["id"].(string)
	if _, err := a.AddWebhook(hook("second")); err != nil {
		t.Fatal(err)
	}

	// The listing has Kazoo's row fields: no http_verb, enabled defaulted.
	_, env, _ = wire(t, srv, "GET", base, auth, "")
	rows := env["data"].([]any)
	if len(rows) != 2 {
		t.Fatalf("listing %v", rows)
	}
	for _, r := range rows {
		row := r.(map[string]any)
		if row["enabled"] != true || row["http_verb"] != nil || row["uri"] == nil || row["disable_reason"] != nil {
			t.Errorf("row %v", row)
		}
	}

	// PATCH merges; POST replaces; DELETE removes.
	status, env, _ = wire(t, srv, "PATCH", base+"/"+id, auth, `{"data":{"retries":3}}`)
	if d := env["data"].(map[string]any); status != 200 || d["retries"] != 3.0 || d["http_verb"] != "get" {
		t.Errorf("patch: %d %v", status, env)
	}
	status, env, _ = wire(t, srv, "PATCH", base+"/"+id, auth, `{"data":{"uri":"http://localhost/"}}`)
	if status != 400 {
		t.Errorf("patch to a blacklisted uri: %d %v", status, env)
	}
	status, env, _ = wire(t, srv, "POST", base+"/"+id, auth, `{"data":{"name":"cdr","hook":"channel_create","uri":"https://h.example.com/"}}`)
	if d := env["data"].(map[string]any); status != 200 || d["hook"] != "channel_create" || d["retries"] != nil {
		t.Errorf("post: %d %v", status, env)
	}
	if status, _, _ := wire(t, srv, "DELETE", base+"/"+id, auth, ""); status != 200 {
		t.Errorf("delete: %d", status)
	}
	if status, _, _ := wire(t, srv, "GET", base+"/"+id, auth, ""); status != 404 {
		t.Errorf("get after delete: %d", status)
	}
	if status, _, _ := wire(t, srv, "GET", base, nil, ""); status != 401 {
		t.Errorf("an account's webhooks without a token: %d", status)
	}
}

func TestWebhookAutoDisableAndReenable(t *testing.T) {
	clock := crossbartest.NewManualClock(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	srv := crossbartest.NewServer(crossbartest.Options{Clock: clock})
	defer srv.Close()
	a := srv.AddAccount("Example")
	auth := map[string]string{"X-Auth-Token": login(t, srv, a)}
	base := "/v2/accounts/" + a.ID + "/webhooks"
	failing, _ := a.AddWebhook(hook("failing"))
	manual := hook("manual")
	manual["enabled"] = false
	manualID, _ := a.AddWebhook(manual)
	healthy, _ := a.AddWebhook(hook("healthy"))

	// Five failures within the minute, and old ones, do not disable it.
	var attempts []crossbartest.WebhookAttempt
	for i := range 5 {
		attempts = append(attempts,
			crossbartest.WebhookAttempt{HookID: failing, StatusCode: 503, Time: clock.Now().Add(-time.Duration(i) * time.Second)},
			crossbartest.WebhookAttempt{HookID: failing, ClientError: "econnrefused", Time: clock.Now().Add(-time.Hour)})
	}
	attempts = append(attempts, crossbartest.WebhookAttempt{HookID: healthy, StatusCode: 200})
	if err := a.AddWebhookAttempts(attempts...); err != nil {
		t.Fatal(err)
	}
	if _, disabled := a.WebhookDisabled(failing); disabled {
		t.Fatal("disabled after 5 recent failures")
	}
	if err := a.AddWebhookAttempts(crossbartest.WebhookAttempt{HookID: failing, ClientError: "timeout"}); err != nil {
		t.Fatal(err)
	}
	if reason, disabled := a.WebhookDisabled(failing); !disabled || reason != crossbartest.WebhookDisabledReason {
		t.Fatalf("after 6 failures within a minute: %q %v", reason, disabled)
	}
	_, env, _ := wire(t, srv, "GET", base+"/"+failing, auth, "")
	if d := env["data"].(map[string]any); d["enabled"] != false || d["disable_reason"] != crossbartest.WebhookDisabledReason {
		t.Errorf("disabled hook %v", d)
	}
	if err := a.AddWebhookAttempts(crossbartest.WebhookAttempt{HookID: "nope"}); err == nil {
		t.Error("an attempt of an unknown hook was recorded")
	}

	// The attempt log: newest first, per hook, with Kazoo's fields.
	_, env, _ = wire(t, srv, "GET", base+"/"+failing+"/attempts", auth, "")
	rows := env["data"].([]any)
	if len(rows) != 11 {
		t.Fatalf("%d attempts of the failing hook, want 11", len(rows))
	}
	first := rows[0].(map[string]any)
	if first["client_error"] != "timeout" || first["reason"] != "kazoo http client error" || first["result"] != "failure" || first["uri"] == nil {
		t.Errorf("newest attempt %v", first)
	}
	second := rows[1].(map[string]any)
	if second["resp_status_code"] != "503" || second["reason"] != "bad response code" {
		t.Errorf("second attempt %v", second)
	}
	_, env, _ = wire(t, srv, "GET", base+"/attempts", auth, "")
	if n := len(env["data"].([]any)); n != 12 {
		t.Errorf("%d attempts in the account's log, want 12", n)
	}
	_, env, _ = wire(t, srv, "GET", fmt.Sprintf("%s/attempts?created_from=%d", base, clock.Now().Add(-time.Minute).Unix()+62167219200), auth, "")
	if n := len(env["data"].([]any)); n != 7 {
		t.Errorf("%d attempts in the last minute, want 7", n)
	}

	// The bulk re-enable needs "re-enable": true, and enables only what
	// Kazoo disabled.
	if status, env, _ := wire(t, srv, "PATCH", base, auth, `{"data":{}}`); status != 400 || !strings.Contains(fmt.Sprint(env["data"]), "required") {
		t.Errorf("PATCH without re-enable: %d %v", status, env)
	}
	if status, _, _ := wire(t, srv, "PATCH", base, auth, `{"data":{"re-enable":false}}`); status != 400 {
		t.Errorf("re-enable false: %d", status)
	}
	status, env, _ := wire(t, srv, "PATCH", base, auth, `{"data":{"re-enable":true}}`)
	if status != 200 || env["data"] != "hooks updated" {
		t.Errorf("re-enable: %d %v", status, env)
	}
	if _, disabled := a.WebhookDisabled(failing); disabled {
		t.Error("still disabled after the bulk re-enable")
	}
	if doc, _, _ := a.Doc(crossbartest.Webhooks, failing); doc["enabled"] != true {
		t.Errorf("re-enabled hook %v", doc)
	}
	if doc, _, _ := a.Doc(crossbartest.Webhooks, manualID); doc["enabled"] != false {
		t.Errorf("a hook disabled by hand was re-enabled: %v", doc)
	}

	// Saving a disabled hook enabled clears Kazoo's mark.
	for range 6 {
		a.AddWebhookAttempts(crossbartest.WebhookAttempt{HookID: healthy, StatusCode: 500})
	}
	if _, disabled := a.WebhookDisabled(healthy); !disabled {
		t.Fatal("not disabled")
	}
	wire(t, srv, "PATCH", base+"/"+healthy, auth, `{"data":{"enabled":true}}`)
	if _, disabled := a.WebhookDisabled(healthy); disabled {
		t.Error("PATCH enabled:true left the hook marked disabled")
	}
}
