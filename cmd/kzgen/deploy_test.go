package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/runtime/crossbar"
	"github.com/kzgen/kzgen/runtime/crossbar/crossbartest"
	"github.com/kzgen/kzgen/runtime/kzrt"
	"github.com/kzgen/kzgen/schemas"
)

const helloFlow = `{"module": "pivot", "data": {"voice_url": "https://pivot.example.com/hello", "req_format": "kazoo"}}`

func TestDeployTwiceChangesNothingTheSecondTime(t *testing.T) {
	srv, acct := kazooEnv(t, crossbartest.Options{})
	file := writeFile(t, "hello.json", helloFlow)

	code, stdout, stderr := kzgen(t, "deploy", "-name", "hello", "-numbers", "4155550100,1001", file)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	ids := acct.IDs(crossbar.Callflows)
	if len(ids) != 1 {
		t.Fatalf("%d callflows", len(ids))
	}
	want := `created callflow ` + ids[0] + ` "hello" for +14155550100, 1001
note: 4155550100 is saved as +14155550100 (Crossbar writes numbers in E.164)
`
	if stdout != want {
		t.Errorf("first deploy:\n%s\nwant:\n%s", stdout, want)
	}
	if !strings.Contains(stderr, "deploy: logging in to Crossbar") {
		t.Errorf("no progress on stderr: %q", stderr)
	}
	doc, rev, _ := acct.Doc(crossbar.Callflows, ids[0])

	code, stdout, stderr = kzgen(t, "deploy", "-name", "hello", "-numbers", "+14155550100", "-numbers", "1001", file)
	if code != 0 || stdout != `callflow `+ids[0]+` "hello" is up to date: nothing changed`+"\n" {
		t.Errorf("second deploy: exit %d\n%s%s", code, stdout, stderr)
	}
	if _, rev2, _ := acct.Doc(crossbar.Callflows, ids[0]); rev2 != rev {
		t.Errorf("the second deploy wrote the callflow (revision %s → %s)", rev, rev2)
	}
	if n := srv.Logins(); n != 1 {
		t.Errorf("%d logins for two deploys, want 1 (the token is cached)", n)
	}
	flow, _ := json.Marshal(doc["flow"])
	if string(flow) != `{"data":{"req_format":"kazoo","voice_url":"https://pivot.example.com/hello"},"module":"pivot"}` {
		t.Errorf("stored flow %s", flow)
	}

	file2 := writeFile(t, "hello.json", `{"module": "pivot", "data": {"voice_url": "https://pivot.example.com/v2", "req_format": "kazoo"}}`)
	code, stdout, _ = kzgen(t, "deploy", "-name", "hello", "-numbers", "+14155550100,1001", file2)
	if code != 0 || stdout != `updated callflow `+ids[0]+` "hello" (changed: flow)`+"\n" {
		t.Errorf("third deploy: exit %d %q", code, stdout)
	}
}

func TestDeployDocumentFile(t *testing.T) {
	_, acct := kazooEnv(t, crossbartest.Options{})
	file := writeFile(t, "doc.json", `{"name": "ignored", "numbers": ["2000"], "ringback": {"early": "m1"}, "flow": `+helloFlow+`}`)
	code, stdout, stderr := kzgen(t, "deploy", "-name", "main", file)
	if code != 0 || !strings.HasSuffix(stdout, `"main" for 2000`+"\n") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	doc, _, _ := acct.Doc(crossbar.Callflows, acct.IDs(crossbar.Callflows)[0])
	if doc["name"] != "main" || doc["ringback"] == nil {
		t.Errorf("stored %v", doc)
	}
}

func TestDeployPivotURL(t *testing.T) {
	_, acct := kazooEnv(t, crossbartest.Options{})
	code, stdout, stderr := kzgen(t, "deploy", "-name", "entry", "-numbers", "2000", "-pivot-url", "https://pivot.example.com/start", "-pivot-debug")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	doc, _, _ := acct.Doc(crossbar.Callflows, acct.IDs(crossbar.Callflows)[0])
	flow, _ := json.Marshal(doc["flow"])
	want := `{"data":{"debug":true,"method":"get","req_format":"kazoo","voice_url":"https://pivot.example.com/start"},"module":"pivot"}`
	if string(flow) != want {
		t.Errorf("flow %s\nwant %s", flow, want)
	}
}

func TestDeployTakenNumber(t *testing.T) {
	for _, wording := range []crossbartest.UniqueWording{crossbartest.WordingMaster, crossbartest.Wording43} {
		_, acct := kazooEnv(t, crossbartest.Options{Wording: wording})
		holder, err := acct.Create(crossbar.Callflows, map[string]any{"name": "Main line", "numbers": []string{"+14155550100"}, "flow": map[string]any{"module": "hangup", "data": map[string]any{}}})
		if err != nil {
			t.Fatal(err)
		}
		file := writeFile(t, "hello.json", helloFlow)
		code, stdout, stderr := kzgen(t, "deploy", "-name", "hello", "-numbers", "4155550100", file)
		want := `  -numbers: number +14155550100 is already used by callflow ` + holder + ` ("Main line"); remove it there, or deploy under that callflow's name`
		if code != 1 || stdout != "" || !strings.Contains(stderr, "Crossbar refused it (400 validation error") || !strings.Contains(stderr, want+"\n") {
			t.Errorf("exit %d\nstdout %q\nstderr:\n%s\nwant the line:\n%s", code, stdout, stderr, want)
		}

		// A dry run finds it in the account's callflows.
		code, _, stderr = kzgen(t, "deploy", "-dry-run", "-name", "hello", "-numbers", "4155550100", file)
		if want := `deploy: -numbers: number +14155550100 is already used by callflow ` + holder; code != 1 || !strings.Contains(stderr, want) {
			t.Errorf("dry run: exit %d\n%s", code, stderr)
		}
	}
}

func TestDeployNumberOfAnotherAccount(t *testing.T) {
	srv, _ := kazooEnv(t, crossbartest.Options{})
	srv.SetNumberOwner("+14155550123", srv.AddAccount("Other"))
	code, _, stderr := kzgen(t, "deploy", "-name", "hello", "-numbers", "4155550123", writeFile(t, "f.json", helloFlow))
	if code != 1 || !strings.Contains(stderr, "403 forbidden") || !strings.Contains(stderr, "  -numbers: numbers owned by another account: +14155550123\n") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
}

func TestDeployBlacklistedURL(t *testing.T) {
	srv, acct := kazooEnv(t, crossbartest.Options{})
	file := writeFile(t, "local.json", `{"module": "tts", "data": {"text": "hi"}, "children": {"_": {"module": "pivot", "data": {"voice_url": "http://127.0.0.1:8080/"}}}}`)
	code, _, stderr := kzgen(t, "deploy", "-name", "local", "-numbers", "2000", file)
	want := file + `:/children/_/data/voice_url: invalid client URL: host 127.0.0.1 is on the client blacklist (127.0.0.1/32) (error); Kazoo must reach your server at a public address`
	if code != 1 || !strings.Contains(stderr, want) || !strings.Contains(stderr, "nothing was sent") {
		t.Errorf("exit %d\n%s\nwant %s", code, stderr, want)
	}
	code, _, stderr = kzgen(t, "deploy", "-name", "local", "-numbers", "2000", "-pivot-url", "http://localhost:8080/")
	if code != 1 || !strings.Contains(stderr, `  -pivot-url: invalid client URL: host localhost is on the client blacklist (error)`) {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	// The cluster's own blacklist, as kzgen validate takes it.
	lan := writeFile(t, "lan.json", `{"module": "pivot", "data": {"voice_url": "http://10.1.2.3/ivr"}}`)
	code, _, stderr = kzgen(t, "deploy", "-name", "lan", "-numbers", "2000", "-url-blacklist", "10.0.0.0/8", lan)
	if code != 1 || !strings.Contains(stderr, lan+`:/data/voice_url: invalid client URL: host 10.1.2.3 is on the client blacklist (10.0.0.0/8) (error)`) {
		t.Errorf("-url-blacklist: exit %d\n%s", code, stderr)
	}
	if code, _, stderr = kzgen(t, "deploy", "-name", "lan", "-numbers", "2000", "-url-blacklist", "10.0.0.0/33", lan); code != 2 || !strings.Contains(stderr, "-url-blacklist") {
		t.Errorf("a bad -url-blacklist: exit %d\n%s", code, stderr)
	}
	if n := srv.Requests(); n != 0 || len(acct.IDs(crossbar.Callflows)) != 0 {
		t.Errorf("refused flows sent %d requests", n)
	}
}

// TestDeployRefusesInvalidFlowLocally: the document is checked as Crossbar
// stores it, every node's data against its module's schema at every
// depth, and nothing is sent when it fails.
func TestDeployRefusesInvalidFlowLocally(t *testing.T) {
	srv, _ := kazooEnv(t, crossbartest.Options{})
	file := writeFile(t, "menu.json", `{"flow": {"module": "menu", "data": {"id": 7}, "children": {
		"1": {"module": "user", "data": {"id": "4b1a1f61ac2e35ab7d7ba9a8d3c10e4c", "strategy": "round_robin"}},
		"2": {"module": "transfer_to_mars", "data": {}},
		"_": {"module": "tts", "data": {}}}}, "numbers": ["2000", "2000"]}`)
	code, stdout, stderr := kzgen(t, "deploy", "-name", "menu", file)
	for _, want := range []string{
		"kzgen deploy: Crossbar would refuse the callflow; nothing was sent:\n",
		"  " + file + ":/numbers: items 0 and 1 are equal; items must be unique (uniqueItems)\n",
		"  " + file + ":/flow/data/id: got integer, want string (type)\n",
		"  " + file + `:/flow/children/1/data/strategy: "round_robin" is not one of "simultaneous", "single" (enum)` + "\n",
		"  " + file + ":/flow/children/2/module: unable to find callflow schema for module transfer_to_mars (error)\n",
		"  " + file + ":/flow/children/_/data/text: required property is missing (required)\n",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if code != 1 || stdout != "" {
		t.Errorf("exit %d, stdout %q", code, stdout)
	}
	if n := srv.Requests(); n != 0 {
		t.Errorf("an invalid flow sent %d requests", n)
	}
}

// TestDeployCustomModule: with -schemas, a module of the cluster's own
// schemas passes the local check, and Crossbar has the last word.
func TestDeployCustomModule(t *testing.T) {
	srv, _ := kazooEnv(t, crossbartest.Options{})
	custom := `{"_id":"callflows.queue_callback","type":"object","required":["queue_id"],"properties":{"queue_id":{"type":"string"}}}`
	dir := schemaCopy(t, schemas.FS, map[string]string{"callflows.queue_callback.json": custom})
	file := writeFile(t, "queue.json", `{"module": "queue_callback", "data": {"queue_id": "q1"}}`)
	code, _, stderr := kzgen(t, "deploy", "-name", "queue", "-numbers", "2000", file)
	if code != 1 || !strings.Contains(stderr, "nothing was sent") || srv.Requests() != 0 {
		t.Errorf("without -schemas: exit %d\n%s", code, stderr)
	}
	// The fake Crossbar has kzgen's schemas only: it refuses the module.
	code, _, stderr = kzgen(t, "deploy", "-name", "queue", "-numbers", "2000", "-schemas", dir, file)
	if code != 1 || !strings.Contains(stderr, "Crossbar refused it") || !strings.Contains(stderr, file+":/module: unable to find callflow schema") {
		t.Errorf("with -schemas: exit %d\n%s", code, stderr)
	}
}

func TestDeployPrivateURL(t *testing.T) {
	// An operator who blacklisted the private ranges, as Kazoo's pivot
	// guide advises: kzgen warns, Crossbar refuses.
	strict, err := kzrt.NewBlacklist("10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	_, acct := kazooEnv(t, crossbartest.Options{URLBlacklist: strict})
	file := writeFile(t, "lan.json", `{"module": "pivot", "data": {"voice_url": "http://10.1.2.3/ivr"}}`)
	code, _, stderr := kzgen(t, "deploy", "-name", "lan", "-numbers", "2000", file)
	for _, want := range []string{
		"deploy: warning: " + file + ":/data/voice_url: http://10.1.2.3/ivr is a private address",
		"  " + file + ":/data/voice_url: invalid client URL (error)\n",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if code != 1 || len(acct.IDs(crossbar.Callflows)) != 0 {
		t.Errorf("exit %d", code)
	}
}

func TestDeployDryRun(t *testing.T) {
	_, acct := kazooEnv(t, crossbartest.Options{})
	file := writeFile(t, "hello.json", helloFlow)
	code, stdout, stderr := kzgen(t, "deploy", "-dry-run", "-name", "hello", "-numbers", "4155550100", file)
	if code != 0 || stdout != `dry run: Crossbar accepts the callflow; deploying would create callflow "hello" for +14155550100`+"\n"+
		`note: 4155550100 is saved as +14155550100 (Crossbar writes numbers in E.164)`+"\n" {
		t.Errorf("exit %d\n%s%s", code, stdout, stderr)
	}
	if ids := acct.IDs(crossbar.Callflows); len(ids) != 0 {
		t.Fatalf("a dry run saved %v", ids)
	}
	if code, _, _ := kzgen(t, "deploy", "-name", "hello", "-numbers", "4155550100", file); code != 0 {
		t.Fatal("deploy failed")
	}
	code, stdout, _ = kzgen(t, "deploy", "-dry-run", "-name", "hello", "-numbers", "+14155550100", file)
	if code != 0 || !strings.HasPrefix(stdout, "dry run: callflow ") || !strings.Contains(stdout, "deploying would change nothing") {
		t.Errorf("exit %d %q", code, stdout)
	}
	if ids := acct.IDs(crossbar.Callflows); len(ids) != 1 {
		t.Errorf("dry runs saved: %v", ids)
	}
}

// TestDeployDryRunCrossbarRefuses: what only the cluster knows (here, its
// blacklist of private ranges) comes from Crossbar's validation.
func TestDeployDryRunCrossbarRefuses(t *testing.T) {
	strict, err := kzrt.NewBlacklist("10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	_, acct := kazooEnv(t, crossbartest.Options{URLBlacklist: strict})
	file := writeFile(t, "lan.json", `{"flow": {"module": "pivot", "data": {"voice_url": "http://10.1.2.3/ivr"}}, "numbers": ["2001"]}`)
	code, _, stderr := kzgen(t, "deploy", "-dry-run", "-name", "lan", file)
	if code != 1 || !strings.Contains(stderr, "Crossbar refused it (400 validation error") || !strings.Contains(stderr, "  "+file+":/flow/data/voice_url: invalid client URL (error)\n") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	if ids := acct.IDs(crossbar.Callflows); len(ids) != 0 {
		t.Errorf("a dry run saved: %v", ids)
	}
}

func TestDeployRefusesBadInput(t *testing.T) {
	srv, _ := kazooEnv(t, crossbartest.Options{})
	for _, tc := range []struct {
		name    string
		args    []string
		code    int
		message string
	}{
		{"no name", []string{"-numbers", "2000", "-pivot-url", "https://p.example/"}, 2, "-name is required"},
		{"file and -pivot-url", []string{"-name", "x", "-numbers", "2000", "-pivot-url", "https://p.example/", "f.json"}, 2, "not both"},
		{"no flow", []string{"-name", "x", "-numbers", "2000"}, 2, "give one FILE, or -pivot-url"},
		{"no number", []string{"-name", "x", "-pivot-url", "https://p.example/"}, 1, "-numbers: a callflow needs at least one number or pattern (required)"},
		{"ftp", []string{"-name", "x", "-numbers", "1", "-pivot-url", "ftp://p.example/"}, 1, "-pivot-url: invalid client URL: scheme \"ftp\", only http and https are allowed (error)"},
		{"missing file", []string{"-name", "x", "-numbers", "1", "nosuch.json"}, 2, "nosuch.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := kzgen(t, append([]string{"deploy"}, tc.args...)...)
			if code != tc.code || !strings.Contains(stderr, tc.message) {
				t.Errorf("exit %d, want %d; stderr:\n%s\nwant %q", code, tc.code, stderr, tc.message)
			}
		})
	}
	for name, content := range map[string]string{
		"broken.json": "{\"module\": \"tts\",\n \"data\": {\"text\": \"hi\"\n}",
		"list.json":   `[` + helloFlow + `]`,
		"other.json":  `{"type": "main"}`,
		"nested.json": `{"flow": {"flow": ` + helloFlow + `}, "numbers": ["1"]}`,
		"module.json": `{"data": {}, "module": 7}`,
	} {
		t.Run(name, func(t *testing.T) {
			file := writeFile(t, name, content)
			code, _, stderr := kzgen(t, "deploy", "-name", "x", "-numbers", "2000", file)
			if code != 1 || !strings.Contains(stderr, file) {
				t.Errorf("exit %d\n%s", code, stderr)
			}
		})
	}
	if n := srv.Requests(); n != 0 {
		t.Errorf("bad input sent %d requests", n)
	}
	file := writeFile(t, "broken.json", "{\"module\": \"tts\",\n \"data\": {\"text\": \"hi\"\n}")
	_, _, stderr := kzgen(t, "deploy", "-name", "x", "-numbers", "2000", file)
	if !regexp.MustCompile(`invalid JSON at line 3, column \d+`).MatchString(stderr) {
		t.Errorf("no position: %s", stderr)
	}
}
