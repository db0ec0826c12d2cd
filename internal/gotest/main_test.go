package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/internal/kazootest"
)

// fakeGoEnv makes this test binary stand in for the go command: its value
// is "STREAM EXIT", a recorded stream to print and the status to exit with.
const fakeGoEnv = "GOTEST_FAKE_GO"

func TestMain(m *testing.M) {
	if fake := os.Getenv(fakeGoEnv); fake != "" {
		name, code, _ := strings.Cut(fake, " ")
		fmt.Printf("args: %s\n", strings.Join(os.Args[1:], " "))
		data, err := os.ReadFile(filepath.Join("testdata", name+".jsonl"))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		os.Stdout.Write(data)
		fmt.Fprintln(os.Stderr, "fake go: done")
		status, _ := strconv.Atoi(code)
		os.Exit(status)
	}
	os.Exit(m.Run())
}

// TestRunPassesArgsAndStatus: go test gets -json and the arguments as
// given, its standard error is passed on, and its exit status is returned.
func TestRunPassesArgsAndStatus(t *testing.T) {
	for _, tc := range []struct {
		stream string
		status int
		args   []string
		first  string
	}{
		{"pass", 0, []string{"-short", "./..."}, "args: test -json -short ./...\n"},
		{"fail", 1, []string{"-run", "TestBad", "./fail"}, "args: test -json -run TestBad ./fail\n"},
		{"build-fail", 1, []string{"-json", "./broken"}, "args: test -json ./broken\n"},
		{"pass", 2, nil, "args: test -json\n"},
	} {
		t.Run(tc.stream+"/"+strconv.Itoa(tc.status), func(t *testing.T) {
			t.Setenv(fakeGoEnv, tc.stream+" "+strconv.Itoa(tc.status))
			var stdout, stderr bytes.Buffer
			if got := run([]string{os.Args[0]}, tc.args, &stdout, &stderr); got != tc.status {
				t.Errorf("exit status %d, want %d", got, tc.status)
			}
			if !strings.HasPrefix(stdout.String(), tc.first) {
				t.Errorf("stdout does not start with %q:\n%s", tc.first, stdout.String())
			}
			if !strings.HasSuffix(stderr.String(), "fake go: done\n") {
				t.Errorf("go test's standard error is not passed on: %q", stderr.String())
			}
		})
	}
}

func TestRunWithoutGo(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if got := run([]string{filepath.Join(t.TempDir(), "no-go")}, []string{"./..."}, &stdout, &stderr); got != 2 {
		t.Errorf("exit status %d, want 2", got)
	}
	if !strings.Contains(stderr.String(), "gotest: running go test:") {
		t.Errorf("stderr = %q", stderr.String())
	}
}

// TestEndToEnd runs the real go test on kazootest's own tests, one of
// which needs Kazoo's schema set: pointed at a directory that is not
// there, the run passes and ends with the line.
func TestEndToEnd(t *testing.T) {
	t.Setenv(kazootest.EnvVar, filepath.Join(t.TempDir(), "missing"))
	var stdout, stderr bytes.Buffer
	status := run([]string{"go"}, []string{"-count=1", "github.com/kzgen/kzgen/internal/kazootest"}, &stdout, &stderr)
	if status != 0 {
		t.Fatalf("exit status %d\nstdout:\n%s\nstderr:\n%s", status, stdout.String(), stderr.String())
	}
	lines := strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n")
	want := []string{"ok  \tgithub.com/kzgen/kzgen/internal/kazootest\t", "kzgen: 1 test skipped: " + kazootest.SkipReason}
	if len(lines) != 2 || !strings.HasPrefix(lines[0], want[0]) || lines[1] != want[1] {
		t.Errorf("stdout:\n%s\nwant a line starting %q, then\n%s", stdout.String(), want[0], want[1])
	}
}
