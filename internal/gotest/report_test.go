package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kzgen/kzgen/internal/kazootest"
)

// stream reads a recorded go test -json stream from testdata. Recordings
// say {{SkipReason}} where a test skipped with kazootest.SkipReason, so
// that the message has one copy.
func stream(t *testing.T, names ...string) string {
	t.Helper()
	var out strings.Builder
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join("testdata", name+".jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		out.Write(data)
	}
	quoted, _ := json.Marshal(kazootest.SkipReason)
	return strings.ReplaceAll(out.String(), "{{SkipReason}}", string(quoted[1:len(quoted)-1]))
}

// render runs a report in mode m over the recorded streams and returns
// what it printed on standard output and standard error.
func render(t *testing.T, m mode, names ...string) (stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	r := newReport(&out, &errOut, m)
	if err := r.Read(strings.NewReader(stream(t, names...))); err != nil {
		t.Fatal(err)
	}
	r.Finish()
	return out.String(), errOut.String()
}

var schemaSkipLine = "kzgen: 3 tests skipped: " + kazootest.SkipReason + "\n"

func TestQuietOutput(t *testing.T) {
	for _, tc := range []struct {
		name           string
		streams        []string
		stdout, stderr string
	}{{
		name:    "pass: only the result lines",
		streams: []string{"pass"},
		stdout:  "?   \texample.com/demo/notests\t[no test files]\nok  \texample.com/demo/pass\t0.008s\n",
	}, {
		name:    "fail: the failing tests' output, not the passing ones'",
		streams: []string{"fail"},
		stdout: "    fail_test.go:8: got 1, want 2\n" +
			"--- FAIL: TestBad/broken (0.00s)\n" +
			"--- FAIL: TestBad (0.00s)\n" +
			"FAIL\n" +
			"FAIL\texample.com/demo/fail\t0.003s\n" +
			"FAIL\n",
	}, {
		name:    "panic: the whole trace",
		streams: []string{"panic"},
		stdout: "--- FAIL: TestPanics (0.00s)\n" +
			"panic: assignment to entry in nil map [recovered, repanicked]\n" +
			"\n" +
			"goroutine 21 [running]:\n" +
			"testing.tRunner.func1.2({0x55a7a0, 0x6cac60})\n" +
			"\tGOROOT/src/testing/testing.go:1974 +0x232\n" +
			"testing.tRunner.func1()\n" +
			"\tGOROOT/src/testing/testing.go:1977 +0x349\n" +
			"panic({0x55a7a0?, 0x6cac60?})\n" +
			"\tGOROOT/src/runtime/panic.go:860 +0x13a\n" +
			"example.com/demo/panics.TestPanics(0x2776bde286c8?)\n" +
			"\tDEMO/panics/p_test.go:8 +0x28\n" +
			"testing.tRunner(0x2776bde286c8, 0x592e40)\n" +
			"\tGOROOT/src/testing/testing.go:2036 +0xea\n" +
			"created by testing.(*T).Run in goroutine 1\n" +
			"\tGOROOT/src/testing/testing.go:2101 +0x4c5\n" +
			"FAIL\texample.com/demo/panics\t0.015s\n" +
			"FAIL\n",
	}, {
		name:    "build failure: the compiler's errors on standard error",
		streams: []string{"build-fail"},
		stdout:  "FAIL\texample.com/demo/broken [build failed]\nFAIL\n",
		stderr: "# example.com/demo/broken [example.com/demo/broken.test]\n" +
			"broken/broken_test.go:5:28: undefined: undefined\n",
	}, {
		name:    "skips for Kazoo's schema set: counted, subtests included, other skips not",
		streams: []string{"skips"},
		stdout:  "ok  \texample.com/demo/skips\t0.004s\n" + schemaSkipLine,
	}, {
		name:    "skips for another reason: no line",
		streams: []string{"skip-other"},
		stdout:  "ok  \texample.com/demo/short\t0.003s\n",
	}, {
		name:    "a failure among skips: the line comes last",
		streams: []string{"skips", "fail"},
		stdout: "ok  \texample.com/demo/skips\t0.004s\n" +
			"    fail_test.go:8: got 1, want 2\n" +
			"--- FAIL: TestBad/broken (0.00s)\n" +
			"--- FAIL: TestBad (0.00s)\n" +
			"FAIL\n" +
			"FAIL\texample.com/demo/fail\t0.003s\n" +
			"FAIL\n" +
			schemaSkipLine,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr := render(t, modeQuiet, tc.streams...)
			if stdout != tc.stdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", stdout, tc.stdout)
			}
			if stderr != tc.stderr {
				t.Errorf("stderr:\n%s\nwant:\n%s", stderr, tc.stderr)
			}
		})
	}
}

// TestStreamOutput: with -v every output event is printed as it comes,
// which is go test -v's output, and the line still closes it.
func TestStreamOutput(t *testing.T) {
	var want strings.Builder
	for line := range strings.Lines(stream(t, "skips", "fail")) {
		var e event
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatal(err)
		}
		if e.Action == "output" {
			want.WriteString(e.Output)
		}
	}
	want.WriteString("FAIL\n" + schemaSkipLine)
	stdout, stderr := render(t, modeStream, "skips", "fail")
	if stdout != want.String() {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want.String())
	}
	if stderr != "" {
		t.Errorf("stderr: %q", stderr)
	}
	if !strings.Contains(stdout, "=== RUN   TestGood\n    fail_test.go:5: not shown\n") {
		t.Errorf("a passing test's log is missing from the -v output:\n%s", stdout)
	}
}

// TestJSONOutput: with -json the events pass through unchanged and the
// line goes to standard error, so that standard output stays JSON.
func TestJSONOutput(t *testing.T) {
	in := stream(t, "skips", "build-fail")
	stdout, stderr := render(t, modeJSON, "skips", "build-fail")
	if stdout != in {
		t.Errorf("stdout differs from the events:\n%s", stdout)
	}
	if stderr != schemaSkipLine {
		t.Errorf("stderr = %q, want %q", stderr, schemaSkipLine)
	}
}

// TestTextLinesPassThrough: a line that is no event (go test writes some
// errors as text) is printed as it is.
func TestTextLinesPassThrough(t *testing.T) {
	var out bytes.Buffer
	r := newReport(&out, &out, modeQuiet)
	text := "go: warning: \"./nothing/...\" matched no packages\n{not json\n"
	if err := r.Read(strings.NewReader(text)); err != nil {
		t.Fatal(err)
	}
	r.Finish()
	if out.String() != text {
		t.Errorf("got %q, want %q", out.String(), text)
	}
}

func TestModeOf(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want mode
	}{
		{nil, modeQuiet},
		{[]string{"./...", "-short", "-run", "TestX"}, modeQuiet},
		{[]string{"-v", "./..."}, modeStream},
		{[]string{"./...", "-test.v=true"}, modeStream},
		{[]string{"-v=false", "./..."}, modeQuiet},
		{[]string{"-bench", ".", "./..."}, modeStream},
		{[]string{"-list=.", "./..."}, modeStream},
		{[]string{"-v", "-json", "./..."}, modeJSON},
		{[]string{"./...", "-args", "-v"}, modeQuiet},
		{[]string{"-run", "-v", "./..."}, modeQuiet},
		{[]string{"-count", "1", "-v", "./..."}, modeStream},
		{[]string{"-test.run", "-json", "./..."}, modeQuiet},
		{[]string{"-run=-v", "./..."}, modeQuiet},
	} {
		if got := modeOf(tc.args); got != tc.want {
			t.Errorf("modeOf(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}
