package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kzgen/kzgen/runtime/crossbar"
	"github.com/kzgen/kzgen/runtime/crossbar/crossbartest"
)

// readmeStep is a command of a README code block and the output lines it
// shows.
type readmeStep struct {
	command string
	output  []string
}

// readmeSection returns the commands ("$ …" lines) of the README section
// with the given heading, in order.
func readmeSection(t *testing.T, heading string) []readmeStep {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "\n## "+heading+"\n")
	if !ok {
		t.Fatalf("README.md has no section %q", heading)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var steps []readmeStep
	inCode := false
	for line := range strings.SplitSeq(section, "\n") {
		switch {
		case strings.HasPrefix(line, "```"):
			inCode = !inCode
		case !inCode:
		case strings.HasPrefix(line, "$ "):
			steps = append(steps, readmeStep{command: strings.TrimPrefix(line, "$ ")})
		case len(steps) > 0 && line != "":
			steps[len(steps)-1].output = append(steps[len(steps)-1].output, line)
		}
	}
	return steps
}

var (
	hexID     = regexp.MustCompile(`\b[0-9a-f]{32}\b`)
	timestamp = regexp.MustCompile(`\b\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\b`)
)

// normalizeIDs replaces what differs from run to run: IDs and times.
func normalizeIDs(s string) string {
	return timestamp.ReplaceAllString(hexID.ReplaceAllString(s, "<ID>"), "<TIME>")
}

// TestReadmeFromZeroToARingingPhone runs the kzgen commands of README.md's
// section "From zero to a ringing phone", in order, against a fake
// Crossbar, and checks that each prints every line the README shows (IDs
// and times aside). The deploy-pivot example's own test runs its command.
func TestReadmeFromZeroToARingingPhone(t *testing.T) {
	_, acct := kazooEnv(t, crossbartest.Options{})
	alice, err := acct.AddUser("alice", "correct horse", map[string]any{"first_name": "Alice", "last_name": "Liddell", "email": "alice@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := acct.Create(crossbar.Callflows, map[string]any{"name": "Alice", "numbers": []string{"1001", "+14155550101"}, "owner_id": alice,
		"flow": map[string]any{"module": "user", "data": map[string]any{"id": alice}}}); err != nil {
		t.Fatal(err)
	}
	// The call the README debugs: the server answered tts without text.
	err = acct.AddPivotDebug(crossbar.PivotDebugRecord{
		CallID: "2c4f6a8e-1b3d@10.26.0.5", Created: crossbar.Timestamp{Time: time.Now().Add(-time.Hour)}, Node: "kazoo_apps@kz1.example.com",
		Method: "get", URI: "https://pivot.example.com/", StatusCode: 200,
		ResponseHeaders: map[string]string{"content-type": "application/json"}, ResponseBody: `{"module":"tts","data":{}}`,
		SchemaErrors: json.RawMessage(`{"data.text":{"required":{"message":"Field is required but missing"}}}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	// The server kzgen simulate rehearses with stands at 127.0.0.1:8080 in
	// the README.
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"module":"tts","data":{"text":"Hello!"},"children":{"_":{"module":"hangup","data":{}}}}`)
	}))
	defer server.Close()

	ran := 0
	for _, step := range readmeSection(t, "From zero to a ringing phone") {
		rest, ok := strings.CutPrefix(step.command, "go run ./cmd/kzgen ")
		if !ok {
			continue
		}
		if strings.ContainsAny(rest, `'"\`) {
			t.Fatalf("README command %q: quoting is not supported by this test", step.command)
		}
		args := strings.Fields(strings.ReplaceAll(rest, "http://127.0.0.1:8080", server.URL))
		code, stdout, stderr := kzgen(t, args...)
		ran++
		wantCode := 0
		if slices.ContainsFunc(step.output, func(l string) bool { return strings.HasPrefix(l, "kzgen deploy: Crossbar refused it") }) {
			wantCode = 1
		}
		if code != wantCode {
			t.Errorf("$ %s\nexit %d, want %d\n%s%s", step.command, code, wantCode, stdout, stderr)
		}
		printed := strings.Split(normalizeIDs(stdout+stderr), "\n")
		for _, want := range step.output {
			if !slices.Contains(printed, normalizeIDs(want)) {
				t.Errorf("$ %s\ndoes not print the README's line\n%s\nit printed:\n%s%s", step.command, want, stdout, stderr)
			}
		}
	}
	if ran < 7 {
		t.Errorf("%d kzgen commands in the section, want at least 7", ran)
	}
}
