package crossbartest_test

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kzgen/kzgen/runtime/crossbar"
	"github.com/kzgen/kzgen/runtime/crossbar/crossbartest"
)

// wire sends one raw request and decodes the envelope.
func wire(t *testing.T, srv *crossbartest.Server, method, path string, header map[string]string, body string) (int, map[string]any, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var env map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		t.Fatalf("%s %s: answer is not JSON: %v", method, path, err)
	}
	return resp.StatusCode, env, resp.Header
}

// login logs in with the account's API key and returns the token.
func login(t *testing.T, srv *crossbartest.Server, a *crossbartest.Account) string {
	t.Helper()
	status, env, _ := wire(t, srv, "PUT", "/v2/api_auth", nil, `{"data":{"api_key":"`+a.APIKey+`"}}`)
	if status != 201 {
		t.Fatalf("api_auth: %d %v", status, env)
	}
	return env["auth_token"].(string)
}

func TestEnvelope(t *testing.T) {
	srv := crossbartest.NewServer(crossbartest.Options{})
	defer srv.Close()
	a := srv.AddAccount("Example")
	status, env, header := wire(t, srv, "PUT", "/v2/api_auth", map[string]string{"X-Request-ID": "req-1"}, `{"data":{"api_key":"`+a.APIKey+`"}}`)
	if status != 201 || env["status"] != "success" || env["request_id"] != "req-1" || header.Get("X-Request-ID") != "req-1" {
		t.Fatalf("login: %d %v %v", status, env, header)
	}
	if tokens := env["tokens"].(map[string]any); tokens["consumed"] != 35.0 || tokens["remaining"] != 65.0 {
		t.Errorf("a login took %v", tokens)
	}
	data := env["data"].(map[string]any)
	if data["account_id"] != a.ID {
		t.Errorf("login data %v", data)
	}
	token := env["auth_token"].(string)

	status, env, header = wire(t, srv, "GET", "/v2/accounts/"+a.ID+"/users", map[string]string{"X-Auth-Token": token}, "")
	if status != 200 || env["auth_token"] != token || env["version"] == nil || header.Get("X-Request-ID") == "" || env["request_id"] != header.Get("X-Request-ID") {
		t.Errorf("listing: %d %v", status, env)
	}
	if tokens := env["tokens"].(map[string]any); tokens["consumed"] != 1.0 || tokens["remaining"] != 64.0 {
		t.Errorf("a request took %v", tokens)
	}

	status, env, _ = wire(t, srv, "GET", "/v2/accounts/"+a.ID+"/users", nil, "")
	if status != 401 || env["status"] != "error" || env["error"] != "401" || env["message"] != "invalid_credentials" {
		t.Errorf("no token: %d %v", status, env)
	}
	status, _, _ = wire(t, srv, "GET", "/v2/accounts/"+a.ID+"/users?auth_token="+token, nil, "")
	if status != 200 {
		t.Errorf("token in the query: %d", status)
	}
	status, env, _ = wire(t, srv, "PUT", "/v2/accounts/"+a.ID+"/devices", map[string]string{"X-Auth-Token": token}, `{"data":`)
	if status != 400 || env["message"] != "parse_error" {
		t.Errorf("bad JSON: %d %v", status, env)
	}
	status, env, _ = wire(t, srv, "POST", "/v2/accounts/"+a.ID+"/devices?verb=PUT", map[string]string{"X-Auth-Token": token}, `{"data":{"name":"desk"}}`)
	if status != 201 {
		t.Errorf("PUT tunnelled through POST: %d %v", status, env)
	}
	other := srv.AddAccount("Other")
	status, _, _ = wire(t, srv, "GET", "/v2/accounts/"+other.ID+"/users", map[string]string{"X-Auth-Token": token}, "")
	if status != 403 {
		t.Errorf("another account's documents: %d, want 403", status)
	}
}

func TestTokens(t *testing.T) {
	clock := crossbartest.NewManualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	srv := crossbartest.NewServer(crossbartest.Options{Clock: clock, TokenLifetime: 10 * time.Minute})
	defer srv.Close()
	a := srv.AddAccount("Example")
	token := login(t, srv, a)
	auth := map[string]string{"X-Auth-Token": token}
	status, env, _ := wire(t, srv, "GET", "/v2/token_auth", auth, "")
	exp := env["data"].(map[string]any)["exp"].(float64)
	if status != 200 || int64(exp) != clock.Now().Add(10*time.Minute).Unix() {
		t.Errorf("token_auth: %d %v", status, env)
	}
	parts := strings.Split(token, ".")
	forged := parts[0] + "." + parts[1] + ".AAAA"
	if status, _, _ := wire(t, srv, "GET", "/v2/token_auth", map[string]string{"X-Auth-Token": forged}, ""); status != 401 {
		t.Errorf("forged token: %d", status)
	}
	clock.Advance(10 * time.Minute)
	if status, _, _ := wire(t, srv, "GET", "/v2/token_auth", auth, ""); status != 401 {
		t.Errorf("expired token: %d", status)
	}
	token = login(t, srv, a)
	auth = map[string]string{"X-Auth-Token": token}
	wire(t, srv, "DELETE", "/v2/token_auth", auth, "")
	if status, _, _ := wire(t, srv, "GET", "/v2/token_auth", auth, ""); status != 401 {
		t.Errorf("revoked token: %d", status)
	}
}

func TestUserAuthMD5(t *testing.T) {
	srv := crossbartest.NewServer(crossbartest.Options{BucketTokens: -1}) // four logins in a burst
	defer srv.Close()
	a := srv.AddAccount("Example Corp")
	id, err := a.AddUser("Alice", "s3cret", nil)
	if err != nil {
		t.Fatal(err)
	}
	sum := md5.Sum([]byte("alice:s3cret")) // lowercase(username):password
	creds := hex.EncodeToString(sum[:])
	for _, account := range []string{`"account_name":"Example Corp"`, `"account_name":"example-corp"`, `"account_realm":"` + a.Realm + `"`} {
		status, env, _ := wire(t, srv, "PUT", "/v2/user_auth", nil, `{"data":{"credentials":"`+creds+`","method":"md5",`+account+`}}`)
		if status != 201 || env["data"].(map[string]any)["owner_id"] != id {
			t.Errorf("%s: %d %v", account, status, env)
		}
	}
	status, _, _ := wire(t, srv, "PUT", "/v2/user_auth", nil, `{"data":{"credentials":"`+creds+`","account_name":"Nobody"}}`)
	if status != 401 {
		t.Errorf("unknown account: %d", status)
	}
	doc, _, _ := a.Doc(crossbar.Users, id)
	if _, ok := doc["password"]; ok {
		t.Errorf("the password is stored: %v", doc)
	}
}

func TestCallflowRules(t *testing.T) {
	srv := crossbartest.NewServer(crossbartest.Options{Wording: crossbartest.Wording43})
	defer srv.Close()
	a := srv.AddAccount("Example")
	hangup := map[string]any{"module": "hangup", "data": map[string]any{}}
	id, err := a.Create(crossbar.Callflows, map[string]any{"name": "intl", "numbers": []string{"011442071234567", "1001"}, "flow": hangup})
	if err != nil {
		t.Fatal(err)
	}
	doc, _, _ := a.Doc(crossbar.Callflows, id)
	if got := doc["numbers"].([]any); got[0] != "+442071234567" || got[1] != "1001" {
		t.Errorf("saved numbers %v", got)
	}
	_, err = a.Create(crossbar.Callflows, map[string]any{"name": "dup", "numbers": []string{"00442071234567"}, "flow": hangup})
	if err == nil || !strings.Contains(err.Error(), "+442071234567 exists in callflow "+id+" (intl)") {
		t.Errorf("4.3 wording: %v", err)
	}
	// Updating a callflow does not conflict with itself.
	token := login(t, srv, a)
	status, env, _ := wire(t, srv, "POST", "/v2/accounts/"+a.ID+"/callflows/"+id, map[string]string{"X-Auth-Token": token},
		`{"data":{"name":"intl","numbers":["+442071234567","1001"],"flow":{"module":"hangup","data":{}}}}`)
	if status != 200 || env["revision"] == nil {
		t.Errorf("update: %d %v", status, env)
	}
	// PATCH merges, and null deletes.
	status, env, _ = wire(t, srv, "PATCH", "/v2/accounts/"+a.ID+"/callflows/"+id, map[string]string{"X-Auth-Token": token},
		`{"data":{"ringback":{"early":"m1","transfer":"m2"},"name":null}}`)
	if status != 200 || env["data"].(map[string]any)["name"] != nil {
		t.Errorf("patch: %d %v", status, env)
	}
	wire(t, srv, "PATCH", "/v2/accounts/"+a.ID+"/callflows/"+id, map[string]string{"X-Auth-Token": token}, `{"data":{"ringback":{"early":null}}}`)
	doc, _, _ = a.Doc(crossbar.Callflows, id)
	if rb := doc["ringback"].(map[string]any); len(rb) != 1 || rb["transfer"] != "m2" {
		t.Errorf("nested patch: %v", doc)
	}
}

func TestListingRows(t *testing.T) {
	srv := crossbartest.NewServer(crossbartest.Options{})
	defer srv.Close()
	a := srv.AddAccount("Example")
	_, err := a.Create(crossbar.Callflows, map[string]any{"name": "ivr", "numbers": []string{"2000"}, "owner_id": "u1", "flow": map[string]any{
		"module": "tts", "data": map[string]any{"text": "hi"},
		"children": map[string]any{
			"_": map[string]any{"module": "record_call", "data": map[string]any{"action": "start", "skip_module": true},
				"children": map[string]any{"_": map[string]any{"module": "pivot", "data": map[string]any{"voice_url": "https://p.example/"}}}},
		},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Create(crossbar.Groups, map[string]any{"name": "sales", "endpoints": map[string]any{"u1": map[string]any{"type": "user"}, "u2": map[string]any{"type": "user"}}}); err != nil {
		t.Fatal(err)
	}
	token := login(t, srv, a)
	_, env, _ := wire(t, srv, "GET", "/v2/accounts/"+a.ID+"/callflows", map[string]string{"X-Auth-Token": token}, "")
	row := env["data"].([]any)[0].(map[string]any)
	modules := []string{}
	for _, m := range row["modules"].([]any) {
		modules = append(modules, m.(string))
	}
	if !slices.Equal(modules, []string{"tts", "pivot"}) || row["owner_id"] != "u1" || row["flow"] != nil {
		t.Errorf("callflow row %v", row)
	}
	_, env, _ = wire(t, srv, "GET", "/v2/accounts/"+a.ID+"/groups", map[string]string{"X-Auth-Token": token}, "")
	if row := env["data"].([]any)[0].(map[string]any); row["endpoints"] != 2.0 {
		t.Errorf("group row %v", row)
	}
}

func TestSchemaValidationEndpoint(t *testing.T) {
	srv := crossbartest.NewServer(crossbartest.Options{})
	defer srv.Close()
	a := srv.AddAccount("Example")
	auth := map[string]string{"X-Auth-Token": login(t, srv, a)}
	status, env, _ := wire(t, srv, "PUT", "/v2/schemas/callflows/validation", auth, `{"data":{"flow":{"module":"pivot","data":{"voice_url":"http://0.0.0.0/"}}}}`)
	data, _ := env["data"].(map[string]any)
	if status != 400 || env["message"] != "validation error" || data["flow.data.voice_url"] == nil {
		t.Errorf("blacklisted URL: %d %v", status, env)
	}
	status, _, _ = wire(t, srv, "PUT", "/v2/schemas/callflows/validation", auth, `{"data":{"flow":{"module":"pivot","data":{"voice_url":"https://p.example/"}}}}`)
	if status != 200 {
		t.Errorf("valid callflow (numbers are not a schema matter): %d", status)
	}
	status, env, _ = wire(t, srv, "PUT", "/v2/schemas/nosuch/validation", auth, `{"data":{}}`)
	if status != 404 || env["message"] != "bad_identifier" {
		t.Errorf("unknown schema: %d %v", status, env)
	}
	var buf bytes.Buffer
	json.NewEncoder(&buf).Encode(map[string]any{"data": map[string]any{"numbers": []string{"1", "1"}, "flow": map[string]any{"module": "tts", "data": map[string]any{"text": ""}}}})
	_, env, _ = wire(t, srv, "PUT", "/v2/schemas/callflows/validation", auth, buf.String())
	data, _ = env["data"].(map[string]any)
	text, _ := data["flow.data.text"].(map[string]any)
	if _, ok := data["numbers"].(map[string]any)["uniqueItems"]; !ok || text["minLength"] == nil {
		t.Errorf("keyword codes: %v", data)
	}
}

func TestFailNext(t *testing.T) {
	srv := crossbartest.NewServer(crossbartest.Options{})
	defer srv.Close()
	srv.FailNext(503, "datastore_unreachable", nil)
	status, env, _ := wire(t, srv, "GET", "/v2/token_auth", nil, "")
	if status != 503 || env["message"] != "datastore_unreachable" || env["error"] != "503" {
		t.Errorf("%d %v", status, env)
	}
	if status, _, _ := wire(t, srv, "GET", "/v2/token_auth", nil, ""); status != 401 {
		t.Errorf("the failure was not used up: %d", status)
	}
}

// TestDocumentsAreValidatedAsKazooDoes: saves go through kzgen's Kazoo
// validator: a callflow in stored-callflow mode (each node's data against
// its module, Crossbar's conversions), other documents against their
// schema, with Kazoo's codes and the value at each pointer.
func TestDocumentsAreValidatedAsKazooDoes(t *testing.T) {
	srv := crossbartest.NewServer(crossbartest.Options{StabilityLevel: "stable"})
	defer srv.Close()
	a := srv.AddAccount("Example")
	auth := map[string]string{"X-Auth-Token": login(t, srv, a)}
	base := "/v2/accounts/" + a.ID

	// "20" where the user module wants an integer: Crossbar converts it
	// and saves the callflow.
	status, env, _ := wire(t, srv, "PUT", base+"/callflows", auth,
		`{"data":{"numbers":["2000"],"flow":{"module":"user","data":{"id":"4b1a1f61ac2e35ab7d7ba9a8d3c10e4c","timeout":"20"}}}}`)
	if status != 201 {
		t.Errorf("converted value: %d %v", status, env)
	}

	status, env, _ = wire(t, srv, "PUT", base+"/callflows", auth,
		`{"data":{"numbers":["2001"],"flow":{"module":"menu","data":{},"children":{"1":{"module":"transfer_to_mars","data":{}},"2":{"module":"ring_group","data":{"endpoints":[{"id":"x","endpoint_type":"fax"}]}}}}}}`)
	data, _ := env["data"].(map[string]any)
	module, _ := data["flow.children.1.module"].(map[string]any)
	endpoint, _ := data["flow.children.2.data.endpoints.0.endpoint_type"].(map[string]any)
	if status != 400 || module["error"] == nil || endpoint["enum"] == nil || endpoint["enum"].(map[string]any)["value"] != "fax" {
		t.Errorf("nested problems: %d %v", status, data)
	}

	status, env, _ = wire(t, srv, "PUT", base+"/users", auth, `{"data":{"first_name":"Alice","priv_level":"root"}}`)
	data, _ = env["data"].(map[string]any)
	lastName, _ := data["last_name"].(map[string]any)
	if status != 400 || data["priv_level"].(map[string]any)["enum"] == nil || lastName["required"].(map[string]any)["message"] != "Field is required but missing" {
		t.Errorf("user: %d %v", status, data)
	}
	if ids := a.IDs(crossbar.Users); len(ids) != 0 {
		t.Errorf("a refused user was saved: %v", ids)
	}

	bad := crossbartest.NewServer(crossbartest.Options{StabilityLevel: "gamma"})
	defer bad.Close()
	b := bad.AddAccount("Example")
	if _, err := b.Create(crossbar.Menus, map[string]any{"name": "Main"}); err == nil || !strings.Contains(err.Error(), "unknown stability level") || !strings.Contains(err.Error(), "gamma") {
		t.Errorf("a bad stability level: %v", err)
	}
}

// TestRequestsAreCounted: every request that reaches the fake counts,
// refused or not.
func TestRequestsAreCounted(t *testing.T) {
	srv := crossbartest.NewServer(crossbartest.Options{})
	defer srv.Close()
	if srv.Requests() != 0 {
		t.Fatal("requests before any")
	}
	wire(t, srv, "GET", "/v2/token_auth", nil, "")
	login(t, srv, srv.AddAccount("Example"))
	if n := srv.Requests(); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}
