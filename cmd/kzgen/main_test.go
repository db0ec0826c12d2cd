package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// TestUsageGoesToStderrOnError: kzgen with no command is a usage error,
// printed on standard error; -h asks for the same text on standard output.
func TestUsageGoesToStderrOnError(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(nil, &stdout, &stderr); code != 2 || stdout.Len() != 0 || !strings.Contains(stderr.String(), "Usage: kzgen") {
		t.Errorf("no command: exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
	stdout.Reset()
	stderr.Reset()
	if code := run([]string{"-h"}, &stdout, &stderr); code != 0 || stderr.Len() != 0 || !strings.Contains(stdout.String(), "Usage: kzgen") {
		t.Errorf("-h: exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
	stdout.Reset()
	stderr.Reset()
	if code := run([]string{"nope"}, &stdout, &stderr); code != 2 || stdout.Len() != 0 || !strings.Contains(stderr.String(), `unknown command "nope"`) {
		t.Errorf("unknown command: exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
}

// TestVersionLine: the module version, the commit and the Go version, each
// when the build information has it.
func TestVersionLine(t *testing.T) {
	info := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.4.0"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "true"},
	}}
	if got, want := versionLine(info, true), "kzgen v0.4.0 (commit 0123456789ab, modified) go1.26.8"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	info = &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}}
	if got, want := versionLine(info, true), "kzgen devel go1.26.8"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"version"}, &stdout, &stderr); code != 0 || !strings.HasPrefix(stdout.String(), "kzgen ") || !strings.Contains(stdout.String(), " go1.") {
		t.Errorf("kzgen version: exit %d, %q", code, stdout.String())
	}
}

// TestMissingSchemaDirIsNamed: every command that reads a schema directory
// names it when it is missing, before doing any work.
func TestMissingSchemaDirIsNamed(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-such-dir")
	input := filepath.Join(t.TempDir(), "answer.json")
	if err := os.WriteFile(input, []byte(`{"module":"hangup","data":{}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"gen", "-schemas", missing, "-out", t.TempDir(), "-pkg", "p"},
		{"validate", "-schemas", missing, input},
		{"docs", "-schemas", missing, "-out", t.TempDir()},
		{"schemas", "diff", "-against", missing},
	} {
		var stdout, stderr bytes.Buffer
		code := run(args, &stdout, &stderr)
		if code == 0 || !strings.Contains(stderr.String(), missing) || !strings.Contains(stderr.String(), "does not exist") {
			t.Errorf("%v: exit %d, stderr %q: want the missing directory named", args[0], code, stderr.String())
		}
	}
}
