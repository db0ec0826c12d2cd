package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/examples/internal/exampletest"
	"github.com/kzgen/kzgen/examples/internal/serve"
	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/crossbar"
	"github.com/kzgen/kzgen/runtime/crossbar/crossbartest"
	"github.com/kzgen/kzgen/runtime/pivot/pivottest"
)

var discard = slog.New(slog.DiscardHandler)

// fakeKazoo points the KAZOO_* environment at a fake Crossbar and the
// token cache at a temporary directory.
func fakeKazoo(t *testing.T) (*crossbartest.Server, *crossbartest.Account) {
	t.Helper()
	srv := crossbartest.NewServer(crossbartest.Options{})
	t.Cleanup(srv.Close)
	acct := srv.AddAccount("Example Corp")
	t.Setenv(crossbar.EnvURL, srv.URL)
	t.Setenv(crossbar.EnvAPIKey, acct.APIKey)
	t.Setenv(crossbar.EnvAccountID, "")
	t.Setenv("XDG_CACHE_HOME", t.TempDir()) // os.UserCacheDir on Linux
	t.Setenv("HOME", t.TempDir())           // and elsewhere
	return srv, acct
}

func TestHandler(t *testing.T) {
	_, node := exampletest.Send(t, newHandler(discard), pivottest.Call{CallID: "c1", CallerIDNumber: "+15551234567"})
	if got := exampletest.Path(node); len(got) != 2 || got[0] != "tts" || got[1] != "hangup" {
		t.Errorf("path %v", got)
	}
}

func TestDeployAtStartUp(t *testing.T) {
	srv, acct := fakeKazoo(t)
	s := settings{name: "hello", numbers: "4155550100, 1001", publicURL: "https://pivot.example.com", debug: true}
	for range 2 { // a restart changes nothing
		if _, err := setUp(context.Background(), s, discard); err != nil {
			t.Fatal(err)
		}
	}
	ids := acct.IDs(crossbar.Callflows)
	if len(ids) != 1 {
		t.Fatalf("%d callflows", len(ids))
	}
	doc, rev, _ := acct.Doc(crossbar.Callflows, ids[0])
	if rev[:2] != "1-" {
		t.Errorf("revision %s: the restart wrote the callflow again", rev)
	}
	numbers, _ := json.Marshal(doc["numbers"])
	flow, _ := json.Marshal(doc["flow"])
	// The callflow kzgen deploy -pivot-url deploys, key for key.
	wantFlow := `{"data":{"debug":true,"method":"get","req_format":"kazoo","voice_url":"https://pivot.example.com/"},"module":"pivot"}`
	if doc["name"] != "hello" || string(numbers) != `["+14155550100","1001"]` || string(flow) != wantFlow {
		t.Errorf("deployed %v\nflow %s\nwant %s", doc, flow, wantFlow)
	}
	if n := srv.Logins(); n != 1 {
		t.Errorf("%d logins for two start-ups, want 1 (the token is cached)", n)
	}
	// The deployed flow is what Kazoo runs on a call: valid for the
	// generated validator too.
	tree, err := callflow.Parse(flow)
	if err != nil || tree.Validate() != nil {
		t.Errorf("deployed flow: %v %v", err, tree.Validate())
	}
}

func TestStartUpRefusals(t *testing.T) {
	srv, acct := fakeKazoo(t)
	for _, tc := range []struct {
		s    settings
		want string
	}{
		{settings{name: "x", numbers: "2000", publicURL: "http://127.0.0.1:8080"}, "-public-url: invalid client URL"},
		{settings{name: "x", publicURL: "https://pivot.example.com"}, "-numbers is needed"},
	} {
		_, err := setUp(context.Background(), tc.s, discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("setUp(%+v) = %v, want %q", tc.s, err, tc.want)
		}
	}
	if srv.Logins() != 0 || len(acct.IDs(crossbar.Callflows)) != 0 {
		t.Error("a refused start-up talked to Crossbar")
	}
	t.Setenv(crossbar.EnvURL, "")
	if _, err := setUp(context.Background(), settings{}, discard); err != nil {
		t.Errorf("without KAZOO_URL: %v", err)
	}
}

// TestReadmeCommand runs the README's command line for this example
// against the fake Crossbar: its flags parse, and it deploys the callflow
// the README describes.
func TestReadmeCommand(t *testing.T) {
	_, acct := fakeKazoo(t)
	f, err := os.Open(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var args []string
	for sc := bufio.NewScanner(f); sc.Scan(); {
		if rest, ok := strings.CutPrefix(sc.Text(), "$ go run ./examples/deploy-pivot "); ok {
			args = strings.Fields(rest)
		}
	}
	if args == nil {
		t.Fatal("README.md shows no go run ./examples/deploy-pivot command")
	}
	if err := flag.CommandLine.Parse(args); err != nil {
		t.Fatalf("README flags %q: %v", args, err)
	}
	if _, err := setUp(context.Background(), settings{name: *name, numbers: *numbers, publicURL: serve.PublicURL(), debug: *pivotDebug}, discard); err != nil {
		t.Fatal(err)
	}
	if ids := acct.IDs(crossbar.Callflows); len(ids) != 1 {
		t.Fatalf("%d callflows", len(ids))
	}
}
