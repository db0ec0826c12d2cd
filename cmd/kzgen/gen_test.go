package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kzgen/kzgen/generator"
	"github.com/kzgen/kzgen/internal/outdir"
	"github.com/kzgen/kzgen/internal/tempmod"
)

func TestGenEmbeddedSchemas(t *testing.T) {
	out := filepath.Join(t.TempDir(), "kzcallflow")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"gen", "-out", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	generated, err := filepath.Glob(filepath.Join(out, "*.kz.go"))
	if err != nil {
		t.Fatal(err)
	}
	if len(generated) != 91 {
		t.Errorf("%d files, want one per embedded schema (88), modules.kz.go and the builder helpers' branches.kz.go and helpers.kz.go", len(generated))
	}
	if entries, _ := os.ReadDir(out); len(entries) != len(generated)+1 {
		t.Errorf("%d entries, want the generated files and %s", len(entries), generator.StampFile)
	}
	data, err := os.ReadFile(filepath.Join(out, "callflows_tts.kz.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte("package kzcallflow")) {
		t.Error("package name should default to the output directory's name")
	}
}

func TestGenBadSchemaExitsNonZeroAndWritesNothing(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.json"), []byte(`{"type":"object","properties":{"x":{"$ref":"b"}}}`), 0o644)
	os.WriteFile(filepath.Join(dir, "b.json"), []byte(`{"type":"object",`), 0o644)
	out := filepath.Join(t.TempDir(), "out")
	var stdout, stderr bytes.Buffer
	code := run([]string{"gen", "-schemas", dir, "-match", "*", "-out", out, "-pkg", "p"}, &stdout, &stderr)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if !strings.Contains(stderr.String(), "b.json: line 1, column 18: invalid JSON") {
		t.Errorf("stderr %q should name the file and position", stderr.String())
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("output directory was created: %v", err)
	}
}

func TestGenUsage(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"gen"}, &stdout, &stderr); code != 2 {
		t.Errorf("no -out: exit %d, want 2", code)
	}
	stderr.Reset()
	if code := run([]string{"gen", "-h"}, &stdout, &stderr); code != 0 || !strings.Contains(stderr.String(), "-match") {
		t.Errorf("-h: exit %d, %q", code, stderr.String())
	}
	if code := run([]string{"gen", "-out", t.TempDir(), "-pkg", "p", "-match", "["}, &stdout, &stderr); code != 1 {
		t.Errorf("bad -match: exit %d, want 1", code)
	}
	stdout.Reset()
	if code := run([]string{"version"}, &stdout, &stderr); code != 0 || !strings.HasPrefix(stdout.String(), "kzgen ") {
		t.Errorf("version: %d %q", code, stdout.String())
	}
}

// kzgenCommand returns a command running kzgen with args in a separate
// process: the test binary itself, made a kzgen process by
// TestKzgenProcess, so that tests can kill it.
func kzgenCommand(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestKzgenProcess$", "--"}, args...)...)
	cmd.Env = append(os.Environ(), "KZGEN_TEST_PROCESS=1")
	return cmd
}

// TestKzgenProcess is not a test: it turns the test binary started by
// kzgenCommand into a kzgen process.
func TestKzgenProcess(t *testing.T) {
	if os.Getenv("KZGEN_TEST_PROCESS") != "1" {
		t.Skip("the kzgen process of TestGenSurvivesKill and TestGenIntoMountPoint")
	}
	args := os.Args[slices.Index(os.Args, "--")+1:]
	os.Exit(run(args, os.Stdout, os.Stderr))
}

// userFiles are files a user keeps beside the generated ones.
var userFiles = map[string]string{
	"doc.go":            "// Package kzcallflow is generated.\npackage kzcallflow\n",
	"extra.go":          "package kzcallflow\n\n// Mine is the user's own.\nconst Mine = 1\n",
	"notes.txt":         "mine\n",
	"sub/keep.kz.go":    "package sub\n", // a subdirectory is never touched
	"zz_handmade.go.md": "notes\n",
}

// TestGenSurvivesKill kills kzgen gen with SIGKILL at random points while
// it regenerates an existing package (every file changes, two generated
// files are no longer produced, the user's files are beside them), then
// recovers the directory (it must then hold the old generation or the new
// one, never a mix) and runs kzgen gen again normally: the directory must
// then hold exactly a clean generation plus the user's files, byte for
// byte, and nothing else.
//
// A third of the kills land anywhere in the run, a third once the update
// has started staging files, a third once it has committed. The run is seeded: KZGEN_CRASH_SEED replays a
// failure, KZGEN_CRASH_ITERATIONS runs more (CI runs a few).
func TestGenSurvivesKill(t *testing.T) {
	t.Parallel()
	iterations := 6
	if testing.Short() {
		iterations = 3
	}
	if s := os.Getenv("KZGEN_CRASH_ITERATIONS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("KZGEN_CRASH_ITERATIONS: %v", err)
		}
		iterations = n
	}
	seed := int64(1)
	if s := os.Getenv("KZGEN_CRASH_SEED"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			t.Fatalf("KZGEN_CRASH_SEED: %v", err)
		}
		seed = n
	}
	t.Logf("seed %d, %d iterations (KZGEN_CRASH_SEED, KZGEN_CRASH_ITERATIONS)", seed, iterations)
	rng := rand.New(rand.NewPCG(uint64(seed), 0))

	// The directories are the test's scratch directories (tempmod.Dir),
	// reset with tempmod.Mirror: a warm run finds want and start current
	// and creates only the files a kill left missing, so that the time
	// goes to the kills, not to this filesystem's cost of new inodes.
	genArgs := []string{"gen", "-pkg", "kzcallflow", "-nodes"}
	// want: a clean generation plus the user's files.
	want := filepath.Join(tempmod.Dir(t, "want"), "kzcallflow")
	mustGen(t, append(genArgs, "-out", want)...)
	writeFiles(t, want, userFiles)
	// start: an older generation (another package name, two more files)
	// plus the user's files.
	start := filepath.Join(tempmod.Dir(t, "start"), "kzcallflow")
	mustGen(t, "gen", "-pkg", "old", "-out", start)
	writeFiles(t, start, map[string]string{"removed_a.kz.go": "package old\n", "removed_b.kz.go": "package old\n"})
	writeFiles(t, start, userFiles)
	wantFiles, startFiles := tempmod.Tree(t, want), tempmod.Tree(t, start)

	// How long an uninterrupted run takes.
	startTree := map[string]string{"kzcallflow/": ""} // parent/kzcallflow holding startFiles
	for name, content := range startFiles {
		startTree["kzcallflow/"+name] = content
	}
	probe := tempmod.Dir(t, "probe")
	tempmod.Mirror(t, probe, startTree)
	probe = filepath.Join(probe, "kzcallflow")
	began := time.Now()
	if out, err := kzgenCommand(append(genArgs, "-out", probe)...).CombinedOutput(); err != nil {
		t.Fatalf("kzgen gen: %v\n%s", err, out)
	}
	runTime := time.Since(began)

	var killedBefore, killedStaging, killedCommitted, finished int
	for i := range iterations {
		parent := tempmod.Dir(t, fmt.Sprintf("run%d", i))
		tempmod.Mirror(t, parent, startTree)
		dir := filepath.Join(parent, "kzcallflow")
		cmd := kzgenCommand(append(genArgs, "-out", dir)...)
		must(t, cmd.Start())
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		switch i % 3 {
		case 0: // anywhere
			sleepOrExit(exited, time.Duration(rng.Int64N(int64(runTime*6/5))))
		case 1: // while staging
			waitFor(exited, filepath.Join(dir, outdir.UpdateDir))
			sleepOrExit(exited, time.Duration(rng.Int64N(int64(4*time.Millisecond))))
		case 2: // while moving files into place
			waitFor(exited, filepath.Join(dir, outdir.UpdateDir, "commit"))
			sleepOrExit(exited, time.Duration(rng.Int64N(int64(time.Millisecond))))
		}
		if closed(exited) {
			finished++
		} else {
			cmd.Process.Kill()
			<-exited
			switch {
			case exists(filepath.Join(dir, outdir.UpdateDir, "commit")):
				killedCommitted++
			case exists(filepath.Join(dir, outdir.UpdateDir)):
				killedStaging++
			default:
				killedBefore++
			}
		}
		// Recovery alone finishes or undoes the update: the directory holds
		// the old generation or the new one, never a mix.
		d, err := outdir.Open(dir)
		if err != nil {
			t.Fatalf("iteration %d: %v", i, err)
		}
		d.Close()
		if got := tempmod.Tree(t, dir); !maps.Equal(got, startFiles) && !maps.Equal(got, wantFiles) {
			t.Fatalf("iteration %d: after recovery the directory is neither the old generation nor the new one:\nagainst the old:\n%s\nagainst the new:\n%s",
				i, treeDiff(got, startFiles), treeDiff(got, wantFiles))
		}
		var stdout, stderr bytes.Buffer
		if code := run(append(genArgs, "-out", dir), &stdout, &stderr); code != 0 {
			t.Fatalf("iteration %d: the run after the kill failed: %s", i, stderr.String())
		}
		if got := tempmod.Tree(t, dir); !maps.Equal(got, wantFiles) {
			t.Fatalf("iteration %d: the directory differs from a clean generation:\n%s", i, treeDiff(got, wantFiles))
		}
		if siblings, _ := os.ReadDir(parent); len(siblings) != 1 {
			t.Fatalf("iteration %d: left beside the output: %v", i, siblings)
		}
	}
	t.Logf("killed before writing %d, while staging %d, after committing %d; finished %d",
		killedBefore, killedStaging, killedCommitted, finished)
}

// TestGenIntoMountPoint generates into a directory that is a mount point (a
// tmpfs in a private mount namespace), first fresh and then over an older
// generation: every rename must stay on that filesystem. Skipped where the
// test cannot mount (no unshare, no user namespaces).
func TestGenIntoMountPoint(t *testing.T) {
	t.Parallel()
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("needs unshare(1) to mount a tmpfs in a private namespace")
	}
	tmp := t.TempDir()
	mnt := filepath.Join(tmp, "kzcallflow")
	copied := filepath.Join(tmp, "copied")
	must(t, os.Mkdir(mnt, 0o755))
	must(t, os.Mkdir(copied, 0o755))
	script := `
mnt=$1 copied=$2
mount -t tmpfs tmpfs "$mnt" || exit 99
[ "$(stat -c %d "$mnt")" != "$(stat -c %d "$mnt/..")" ] || exit 98
kz() { KZGEN_TEST_PROCESS=1 "$0" -test.run='^TestKzgenProcess$' -- "$@"; }
kz gen -out "$mnt" -pkg old >/dev/null &&
kz gen -out "$mnt" -pkg kzcallflow -nodes >/dev/null &&
cp -a "$mnt/." "$copied/"`
	out, err := exec.Command(unshare, "-rm", "sh", "-c", script, os.Args[0], mnt, copied).CombinedOutput()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit) && exit.ExitCode() == 99, err != nil && strings.Contains(string(out), "unshare"):
		t.Skipf("cannot mount a tmpfs here: %s", out)
	case err != nil:
		t.Fatalf("%v\n%s", err, out)
	}
	want := filepath.Join(tmp, "want", "kzcallflow")
	mustGen(t, "gen", "-out", want, "-pkg", "kzcallflow", "-nodes")
	if got, w := tempmod.Tree(t, copied), tempmod.Tree(t, want); !maps.Equal(got, w) {
		t.Fatalf("the mount point holds something else than a clean generation:\n%s", treeDiff(got, w))
	}
}

func mustGen(t *testing.T, args ...string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := run(args, &stdout, &stderr); code != 0 {
		t.Fatalf("kzgen %v: exit %d: %s", args, code, stderr.String())
	}
}

// treeDiff names the files that are missing, extra or different.
func treeDiff(got, want map[string]string) string {
	var lines []string
	for _, name := range slices.Sorted(maps.Keys(want)) {
		g, ok := got[name]
		switch {
		case !ok:
			lines = append(lines, "missing "+name)
		case g != want[name]:
			lines = append(lines, "different "+name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[name]; !ok {
			lines = append(lines, "extra "+name)
		}
	}
	return strings.Join(lines, "\n")
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		must(t, os.MkdirAll(filepath.Dir(path), 0o755))
		must(t, os.WriteFile(path, []byte(content), 0o644))
	}
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// waitFor polls until path exists or exited is closed. It sleeps
// pollInterval between looks rather than spinning: a spinning parent takes
// a core from the kzgen process it waits for (and from the rest of the
// test suite), while the kill points are random delays of milliseconds
// after the path appears, far longer than the interval.
func waitFor(exited <-chan struct{}, path string) {
	for !exists(path) && !closed(exited) {
		time.Sleep(pollInterval)
	}
}

// pollInterval is how often waitFor looks.
const pollInterval = 50 * time.Microsecond

func closed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// sleepOrExit waits for d or until exited is closed.
func sleepOrExit(exited <-chan struct{}, d time.Duration) {
	select {
	case <-exited:
	case <-time.After(d):
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestGenBadFlags: a package name or type suffix that cannot be Go is a
// one-line error before any work, and nothing is written.
func TestGenBadFlags(t *testing.T) {
	tests := []struct {
		args []string // after -out
		dir  string   // the -out directory's name
		want string
	}{
		{nil, "out-embedded", `kzgen gen: package name "out-embedded" is not a Go identifier (taken from the -out directory's name): name the package with -pkg`},
		{nil, "type", `kzgen gen: package name "type" is a Go keyword (taken from the -out directory's name): name the package with -pkg`},
		{[]string{"-pkg", "func"}, "out", `kzgen gen: -pkg: package name "func" is a Go keyword`},
		{[]string{"-pkg", "_"}, "out", `kzgen gen: -pkg: package name "_" is the blank identifier`},
		{[]string{"-pkg", "9lives"}, "out", `kzgen gen: -pkg: package name "9lives" is not a Go identifier`},
		{[]string{"-pkg", "p", "-type-suffix", "-Data"}, "out", `kzgen gen: -type-suffix "-Data": only letters, digits and underscores can end a type name`},
	}
	for _, tt := range tests {
		out := filepath.Join(t.TempDir(), tt.dir)
		var stdout, stderr bytes.Buffer
		code := run(append([]string{"gen", "-out", out}, tt.args...), &stdout, &stderr)
		if code != 2 || stderr.String() != tt.want+"\n" {
			t.Errorf("%v: exit %d, stderr %q\nwant exit 2, %q", tt.args, code, stderr.String(), tt.want)
		}
		if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%v: the output directory was created", tt.args)
		}
	}
}

// TestGenSkipsWhenUpToDate: a second run with the same build, flags and
// schemas does nothing (and repeats the first run's warnings); anything
// that would change the output makes it regenerate.
func TestGenSkipsWhenUpToDate(t *testing.T) {
	schemaDir := t.TempDir()
	writeFiles(t, schemaDir, map[string]string{
		"a.json": `{"type":"object","properties":{"name":{"type":"string","pattern":"(?!x)^.+$"},"b":{"$ref":"b"}}}`,
		"b.json": `{"type":"object","properties":{"n":{"type":"integer"}}}`,
	})
	out := filepath.Join(t.TempDir(), "p")
	args := []string{"gen", "-schemas", schemaDir, "-match", "*", "-out", out}
	gen := func(extra ...string) (stdout, stderr string) {
		t.Helper()
		var o, e bytes.Buffer
		if code := run(append(append([]string(nil), args...), extra...), &o, &e); code != 0 {
			t.Fatalf("exit %d: %s", code, e.String())
		}
		return o.String(), e.String()
	}
	upToDate := func(what string, extra ...string) {
		t.Helper()
		if stdout, _ := gen(extra...); !strings.Contains(stdout, "is up to date (2 files; -force regenerates)") {
			t.Errorf("%s: regenerated: %q", what, stdout)
		}
	}
	regenerates := func(what string, extra ...string) {
		t.Helper()
		if stdout, _ := gen(extra...); !strings.Contains(stdout, "wrote") {
			t.Errorf("%s: did not regenerate: %q", what, stdout)
		}
	}

	_, firstWarnings := gen()
	if !strings.Contains(firstWarnings, "lookaround") {
		t.Fatalf("want a warning about the pattern, got %q", firstWarnings)
	}
	first := tempmod.Tree(t, out)
	old := time.Now().Add(-time.Hour)
	for name := range first {
		os.Chtimes(filepath.Join(out, name), old, old)
	}
	stdout, warnings := gen()
	if !strings.Contains(stdout, "up to date") || warnings != firstWarnings {
		t.Fatalf("second run: stdout %q, stderr %q; want up to date with the first run's warnings %q", stdout, warnings, firstWarnings)
	}
	for name := range first {
		if fi, _ := os.Stat(filepath.Join(out, name)); !fi.ModTime().Equal(old) {
			t.Errorf("%s was rewritten by an up-to-date run", name)
		}
	}
	if got := tempmod.Tree(t, out); !maps.Equal(got, first) {
		t.Fatalf("an up-to-date run changed the directory:\n%s", treeDiff(got, first))
	}

	// The user's own files do not matter.
	writeFiles(t, out, map[string]string{"mine.go": "package p\n"})
	upToDate("a user's file added")

	// Generated files changed, deleted or added.
	writeFiles(t, out, map[string]string{"a.kz.go": "package p\n"})
	regenerates("a generated file edited")
	must(t, os.Remove(filepath.Join(out, "b.kz.go")))
	regenerates("a generated file deleted")
	writeFiles(t, out, map[string]string{"old.kz.go": "package p\n"})
	regenerates("a generated file no longer produced")
	if _, err := os.Stat(filepath.Join(out, "old.kz.go")); err == nil {
		t.Error("old.kz.go survived the regeneration")
	}
	upToDate("after regenerating")

	// Flags, schemas, the stamp itself.
	regenerates("another flag", "-type-suffix", "X")
	upToDate("the same flag again", "-type-suffix", "X")
	regenerates("back to the first flags")
	writeFiles(t, schemaDir, map[string]string{"b.json": `{"type":"object","properties":{"n":{"type":"number"}}}`})
	regenerates("a schema edited")
	writeFiles(t, schemaDir, map[string]string{"c.json": `{"type":"string"}`})
	if stdout, _ := gen(); !strings.Contains(stdout, "wrote 3 files") {
		t.Errorf("a schema added: %q", stdout)
	}
	stampPath := filepath.Join(out, generator.StampFile)
	data, err := os.ReadFile(stampPath)
	must(t, err)
	var stamp map[string]any
	must(t, json.Unmarshal(data, &stamp))
	stamp["kzgen"] = "go1.0 another build"
	edited, _ := json.Marshal(stamp)
	must(t, os.WriteFile(stampPath, edited, 0o644))
	regenerates("another kzgen build")
	if again, _ := os.ReadFile(stampPath); !bytes.Equal(again, data) {
		t.Error("the stamp is not the same after the same run")
	}
	must(t, os.WriteFile(stampPath, []byte("{"), 0o644))
	regenerates("a damaged stamp")
	must(t, os.Remove(stampPath))
	regenerates("no stamp")
	regenerates("-force", "-force")
}
