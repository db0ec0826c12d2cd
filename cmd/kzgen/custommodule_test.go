package main

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/internal/kazootest"
	"github.com/kzgen/kzgen/internal/tempmod"
	"github.com/kzgen/kzgen/schemas"
)

// holdMusicSchema is a made-up, site-specific callflow module, as a Kazoo
// installation may add one: its data schema callflows.hold_music.
const holdMusicSchema = `{
    "$schema": "http://json-schema.org/draft-04/schema#",
    "_id": "callflows.hold_music",
    "description": "Loops the site's hold music until the caller presses a key.",
    "properties": {
        "media_id": {
            "description": "The media document to loop.",
            "maxLength": 32,
            "minLength": 1,
            "type": "string"
        },
        "volume": {
            "default": 50,
            "description": "Loudness, in percent.",
            "maximum": 100,
            "minimum": 0,
            "type": "integer"
        }
    },
    "required": [
        "media_id"
    ],
    "type": "object"
}
`

// holdMusicSite is a test program in the scratch module: it builds a flow
// with the generated builder of the custom module, serves it with
// pivot.Handler and writes the answer to answer.json beside it. Its
// text is the same every run, so that with the module's stable directory
// (internal/tempmod) a warm run's go vet and test build hit the cache.
const holdMusicSite = `package site

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"testing"

	"example.com/site/mycallflow"
	"github.com/kzgen/kzgen/runtime/pivot"
	"github.com/kzgen/kzgen/runtime/pivot/pivottest"
)

const answerFile = "answer.json"

// holdFlow greets the caller, then plays the site's hold music.
func holdFlow(volume int64) mycallflow.Builder {
	return mycallflow.TTS("Please hold.").Then(mycallflow.HoldMusic("m1").Volume(volume))
}

// ask sends a Pivot request as Kazoo's GET does to a server answering
// holdFlow(volume) and returns the status and the answer.
func ask(t *testing.T, volume int64) (int, string) {
	t.Helper()
	h := pivot.Handler(func(ctx context.Context, r *pivot.Request) (mycallflow.Builder, error) {
		return holdFlow(volume), nil
	}, pivot.WithLogger(slog.New(slog.DiscardHandler)))
	srv := httptest.NewServer(h)
	defer srv.Close()
	q := url.Values{"Call-ID": {"c1"}, "Account-ID": {"a1"}, "Caller-ID-Number": {"+15550100"}, "To": {"1000"}}
	resp, err := http.Get(srv.URL + "/pivot?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

func TestHoldMusicIsAnswered(t *testing.T) {
	want, err := holdFlow(30).Node().MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	status, body := ask(t, 30)
	if status != http.StatusOK || body != string(want) {
		t.Fatalf("status %d, answer %s; want the flow %s", status, body, want)
	}
	if err := os.WriteFile(answerFile, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBadHoldMusicGetsTheFallback: a volume over the schema's maximum is
// refused by the generated Validate, so the Handler answers its fallback.
func TestBadHoldMusicGetsTheFallback(t *testing.T) {
	fallback, err := pivot.DefaultFallback().MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if status, body := ask(t, 150); status != http.StatusOK || body != string(fallback) {
		t.Fatalf("status %d, answer %s; want the fallback", status, body)
	}
}

// TestFakeKazooRunsTheAnswer: pivottest, the fake Kazoo, given the
// package's modules, sends the request as Kazoo does, accepts the answer
// and reads the custom module's node into its own type.
func TestFakeKazooRunsTheAnswer(t *testing.T) {
	h := pivot.Handler(func(ctx context.Context, r *pivot.Request) (mycallflow.Builder, error) {
		return holdFlow(30), nil
	}, pivot.WithLogger(slog.New(slog.DiscardHandler)))
	res, err := pivottest.Call{CallID: "c1", Modules: mycallflow.Modules()}.Send(h)
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != pivottest.VerdictRun {
		t.Fatalf("verdict %v: %s %v", res.Verdict, res.Reason, res.Problems)
	}
	if _, ok := res.Node.Next(mycallflow.DefaultChild).Data.(*mycallflow.HoldMusicData); !ok {
		t.Fatalf("hold_music data %#v", res.Node.Next(mycallflow.DefaultChild).Data)
	}
}

// TestAnswerParsesBack: the package reads the answer back with the custom
// module's own data type.
func TestAnswerParsesBack(t *testing.T) {
	_, body := ask(t, 30)
	n, err := mycallflow.ParseAnswer([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Validate(); err != nil {
		t.Fatal(err)
	}
	hold, ok := n.Next(mycallflow.DefaultChild).Data.(*mycallflow.HoldMusicData)
	if !ok || hold.GetMediaID() != "m1" || hold.GetVolume() != 30 {
		t.Fatalf("hold_music data %#v", n.Next(mycallflow.DefaultChild).Data)
	}
}
`

// TestCustomModuleEndToEnd plays a user whose Kazoo has one site-specific
// callflow module: kzgen's embedded schemas plus callflows.hold_music in
// a directory of their own. kzgen gen makes a callflow package of it,
// which compiles alone in a scratch module; a program there answers a
// Pivot request with the custom module through pivot.Handler, checked by
// pivottest given the package's Modules(), and kzgen
// validate, docs, graph and fmt understand the answer with -schemas.
func TestCustomModuleEndToEnd(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("generates a callflow package with go run ./cmd/kzgen and builds it in a scratch module; skipped in -short mode")
	}
	root, ok := kazootest.ModuleRoot()
	if !ok {
		t.Fatal("cannot find the module root")
	}
	schemaDir := schemaCopy(t, schemas.FS, map[string]string{"callflows.hold_music.json": holdMusicSchema})

	// The user's go generate line, run from their module's package.
	mod := tempmod.NewModule(t, "example.com/site")
	tempmod.MustGo(t, root, "run", "./cmd/kzgen", "gen", "-schemas", schemaDir, "-out", filepath.Join(mod, "mycallflow"), "-pkg", "mycallflow")

	// The generated package builds alone: nothing of kzgen's own
	// generated packages.
	deps := tempmod.MustGo(t, mod, "list", "-deps", "./mycallflow")
	if strings.Contains(deps, "github.com/kzgen/kzgen/gen/") {
		t.Errorf("the generated package depends on kzgen's generated packages:\n%s", deps)
	}

	// The site's program and the generated package vet cleanly (one go
	// vet for both: each go command costs a few tenths of a second before
	// it finds its work in the build cache), and the program's test runs.
	answerFile := filepath.Join(mod, "answer.json") // go test runs the site's test in mod
	if err := os.Remove(answerFile); err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err) // the last run's answer, in the scratch module
	}
	tempmod.WriteFile(t, mod, "site_test.go", []byte(holdMusicSite))
	tempmod.MustGo(t, mod, "vet", "./...")
	out := tempmod.MustGo(t, mod, "test", "-count=1", "-v", ".")
	t.Logf("the site's tests:\n%s", out)
	answer, err := os.ReadFile(answerFile)
	if err != nil {
		t.Fatalf("the site's test wrote no answer: %v", err)
	}
	if want := `{"module":"tts","data":{"text":"Please hold."},"children":{"_":{"module":"hold_music","data":{"media_id":"m1","volume":30}}}}`; string(answer) != want {
		t.Fatalf("answer %s, want %s", answer, want)
	}

	// kzgen validate: Kazoo with the custom module accepts the answer;
	// kzgen's embedded schemas, as a Kazoo without it, refuse it; the
	// module's own limits apply.
	if code, stdout, stderr := kzgen(t, "validate", "-schemas", schemaDir, answerFile); code != 0 || stdout != "" {
		t.Errorf("validate -schemas: exit %d, %s%s", code, stdout, stderr)
	}
	if code, stdout, _ := kzgen(t, "validate", answerFile); code != 1 || !strings.Contains(stdout, answerFile+":/children/_/module: unable to find callflow schema for module hold_music") {
		t.Errorf("validate without -schemas: exit %d, %s", code, stdout)
	}
	loud := writeFile(t, "loud.json", strings.Replace(string(answer), `"volume":30`, `"volume":150`, 1))
	if code, stdout, _ := kzgen(t, "validate", "-schemas", schemaDir, loud); code != 1 || !strings.Contains(stdout, loud+":/children/_/data/volume: ") {
		t.Errorf("validate -schemas, volume 150: exit %d, %s", code, stdout)
	}

	// kzgen docs: a page for the module, naming the user's package, whose
	// example Kazoo with the module accepts.
	docsDir := filepath.Join(t.TempDir(), "ref")
	if code, _, stderr := kzgen(t, "docs", "-schemas", schemaDir, "-go-package", "example.com/site/mycallflow", "-out", docsDir); code != 0 {
		t.Fatalf("docs -schemas: exit %d: %s", code, stderr)
	}
	page, err := os.ReadFile(filepath.Join(docsDir, "hold_music.md"))
	if err != nil {
		t.Fatalf("no page for hold_music: %v", err)
	}
	for _, want := range []string{
		"Module `hold_music`, data schema `callflows.hold_music`",
		"Loops the site's hold music until the caller presses a key.",
		"In package `example.com/site/mycallflow`",
		"func HoldMusic(mediaID string) *HoldMusicBuilder",
		"func (b *HoldMusicBuilder) Volume(v int64) *HoldMusicBuilder",
	} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("hold_music.md lacks %q:\n%s", want, page)
		}
	}
	example := regexp.MustCompile("(?s)```json\n(.*?)```").FindSubmatch(page)
	if example == nil {
		t.Fatalf("hold_music.md has no JSON example:\n%s", page)
	}
	if code, stdout, stderr := kzgen(t, "validate", "-schemas", schemaDir, writeFile(t, "example.json", string(example[1]))); code != 0 {
		t.Errorf("the page's example is refused: exit %d, %s%s", code, stdout, stderr)
	}

	// kzgen graph and fmt: the module is drawn and formatted, without a
	// warning with -schemas, with one naming the node without.
	code, graph, stderr := kzgen(t, "graph", "-schemas", schemaDir, answerFile)
	if code != 0 || stderr != "" || !strings.Contains(graph, `n1["hold_music<br/>media_id: m1<br/>volume: 30"]`) || !strings.Contains(graph, `n0 -->|"next"| n1`) {
		t.Errorf("graph -schemas: exit %d, stderr %q, output:\n%s", code, stderr, graph)
	}
	if _, _, stderr := kzgen(t, "graph", answerFile); !strings.Contains(stderr, "/children/_/module: no schema callflows.hold_music") {
		t.Errorf("graph without -schemas: stderr %q", stderr)
	}
	code, formatted, stderr := kzgen(t, "fmt", "-schemas", schemaDir, answerFile)
	if code != 0 || stderr != "" || !strings.Contains(formatted, "\"module\": \"hold_music\",\n            \"data\": {\n                \"media_id\": \"m1\",\n                \"volume\": 30\n") {
		t.Errorf("fmt -schemas: exit %d, stderr %q, output:\n%s", code, stderr, formatted)
	}
}
