package main

import (
	"encoding/json"
	"net/netip"
	"regexp"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/runtime/crossbar"
	"github.com/kzgen/kzgen/runtime/crossbar/crossbartest"
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
	want := file + `:/children/_/data/voice_url: invalid client URL: address 127.0.0.1 is on Crossbar's URL blacklist (127.0.0.1/32)`
	if code != 1 || !strings.Contains(stderr, want) || !strings.Contains(stderr, "nothing was sent") {
		t.Errorf("exit %d\n%s\nwant %s", code, stderr, want)
	}
	code, _, stderr = kzgen(t, "deploy", "-name", "local", "-numbers", "2000", "-pivot-url", "http://localhost:8080/")
	if code != 1 || !strings.Contains(stderr, `  -pivot-url: invalid client URL: host "localhost" is on Crossbar's URL blacklist`) {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	if srv.Logins() != 0 || len(acct.IDs(crossbar.Callflows)) != 0 {
		t.Error("a refused flow was sent")
	}
}

func TestDeployPrivateURL(t *testing.T) {
	// An operator who blacklisted the private ranges, as Kazoo's pivot
	// guide advises: kzgen warns, Crossbar refuses.
	strict := crossbar.URLBlacklist{Networks: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}
	_, acct := kazooEnv(t, crossbartest.Options{URLBlacklist: &strict})
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
	bad := writeFile(t, "bad.json", `{"flow": {"module": "tts", "data": {"voice": "female"}}, "numbers": ["2001"]}`)
	code, _, stderr = kzgen(t, "deploy", "-dry-run", "-name", "bad", bad)
	if code != 1 || !strings.Contains(stderr, "  "+bad+":/flow/data/text: Field is required but missing (required)\n") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	if ids := acct.IDs(crossbar.Callflows); len(ids) != 1 {
		t.Errorf("dry runs saved: %v", ids)
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
		{"no number", []string{"-name", "x", "-pivot-url", "https://p.example/"}, 1, "-numbers: Crossbar needs at least one number or pattern"},
		{"ftp", []string{"-name", "x", "-numbers", "1", "-pivot-url", "ftp://p.example/"}, 1, "-pivot-url: invalid client URL: \"ftp://p.example/\": the scheme must be http or https"},
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
	if srv.Logins() != 0 {
		t.Error("bad input was sent")
	}
	file := writeFile(t, "broken.json", "{\"module\": \"tts\",\n \"data\": {\"text\": \"hi\"\n}")
	_, _, stderr := kzgen(t, "deploy", "-name", "x", "-numbers", "2000", file)
	if !regexp.MustCompile(`invalid JSON at line 3, column \d+`).MatchString(stderr) {
		t.Errorf("no position: %s", stderr)
	}
}
