package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/kzgen/kzgen/internal/kazootest"
)

// mode is how much of the tests' output the report prints.
type mode int

const (
	// modeQuiet prints as go test does in package list mode: a passing
	// package's "ok" line, a failing package's failures.
	modeQuiet mode = iota
	// modeStream prints all output as it comes, as go test -v does.
	modeStream
	// modeJSON passes go test -json's events through unchanged.
	modeJSON
)

// modeOf chooses the mode from go test's arguments: -json asks for the
// events, -v for every test's output, and -bench and -list print results
// that go test shows for passing packages too. Arguments after -args go to
// the test binaries and are not looked at, nor is the value of a flag that
// takes one ("-run -v" runs tests matching "-v").
func modeOf(args []string) mode {
	m := modeQuiet
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "-args" || a == "--args" {
			break
		}
		if !strings.HasPrefix(a, "-") {
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		name = strings.TrimPrefix(name, "test.")
		if !hasValue && valueFlags[name] {
			i++ // the next argument is this flag's value
		}
		on := !hasValue || value != "false"
		switch name {
		case "json":
			if on {
				return modeJSON
			}
		case "v":
			if on {
				m = modeStream
			}
		case "bench", "list":
			m = modeStream
		}
	}
	return m
}

// valueFlags are the go test and build flags that take a value, which may
// be the next argument (go help testflag, go help build).
var valueFlags = map[string]bool{
	"bench": true, "benchtime": true, "blockprofile": true, "blockprofilerate": true,
	"count": true, "coverpkg": true, "covermode": true, "coverprofile": true, "cpu": true,
	"cpuprofile": true, "exec": true, "fuzz": true, "fuzzminimizetime": true, "fuzztime": true,
	"list": true, "memprofile": true, "memprofilerate": true, "mutexprofile": true,
	"mutexprofilefraction": true, "o": true, "outputdir": true, "parallel": true, "run": true,
	"shuffle": true, "skip": true, "timeout": true, "trace": true, "vet": true,
	"C": true, "asmflags": true, "buildmode": true, "compiler": true, "gccgoflags": true,
	"gcflags": true, "installsuffix": true, "ldflags": true, "mod": true, "modfile": true,
	"overlay": true, "p": true, "pgo": true, "pkgdir": true, "tags": true, "toolexec": true,
}

// event is one line of go test -json: a test event (cmd/test2json) or a
// build event (go help buildjson).
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

// pkgRun is what the report keeps of a package until its result comes.
type pkgRun struct {
	// outputs are the package's output events, in order, and results
	// maps each finished test to its final action (pass, fail, skip or
	// bench): kept in quiet mode only, which prints a package when it ends.
	outputs []event
	results map[string]string
	// schemaSkip holds the tests whose output gave kazootest.SkipReason
	// (test2json sends output a line an event; the reason is one line).
	schemaSkip map[string]bool
}

// report turns go test -json's events into go test's text output and
// counts the tests skipped for want of Kazoo's schema set.
type report struct {
	out, errOut io.Writer
	mode        mode
	packages    map[string]*pkgRun
	// schemaSkips counts the tests that skipped with kazootest.SkipReason.
	schemaSkips int
	// failed is set once a package fails.
	failed bool
}

func newReport(out, errOut io.Writer, m mode) *report {
	return &report{out: out, errOut: errOut, mode: m, packages: map[string]*pkgRun{}}
}

// Read handles every line of r, go test -json's standard output, until it
// ends.
func (r *report) Read(in io.Reader) error {
	lines := bufio.NewReader(in)
	for {
		line, err := lines.ReadBytes('\n')
		if len(line) > 0 {
			r.line(line)
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// Finish prints what comes after the last package: go test's closing
// "FAIL" when a package failed, then the line on skipped tests.
func (r *report) Finish() {
	if r.failed && r.mode != modeJSON {
		fmt.Fprintln(r.out, "FAIL")
	}
	if line := r.SkipLine(); line != "" {
		if r.mode == modeJSON {
			fmt.Fprintln(r.errOut, line)
		} else {
			fmt.Fprintln(r.out, line)
		}
	}
}

// SkipLine is the closing line on the tests skipped because Kazoo's schema
// set was not found, empty when none were.
func (r *report) SkipLine() string {
	switch r.schemaSkips {
	case 0:
		return ""
	case 1:
		return "kzgen: 1 test skipped: " + kazootest.SkipReason
	}
	return fmt.Sprintf("kzgen: %d tests skipped: %s", r.schemaSkips, kazootest.SkipReason)
}

// line handles one line of go test's standard output.
func (r *report) line(line []byte) {
	var e event
	if !bytes.HasPrefix(line, []byte("{")) || json.Unmarshal(line, &e) != nil || e.Action == "" {
		// Not an event: go test wrote it as text, and so do we.
		r.out.Write(line)
		return
	}
	if r.mode == modeJSON {
		r.out.Write(line)
	}
	switch e.Action {
	case "build-output":
		if r.mode != modeJSON {
			io.WriteString(r.errOut, e.Output) // go test prints build errors on standard error
		}
		return
	case "build-fail":
		return // the package's own "fail" event follows
	}

	p := r.packages[e.Package]
	if p == nil {
		p = &pkgRun{results: map[string]string{}, schemaSkip: map[string]bool{}}
		r.packages[e.Package] = p
	}
	switch e.Action {
	case "output":
		if r.mode == modeStream {
			io.WriteString(r.out, e.Output)
		}
		if r.mode == modeQuiet {
			p.outputs = append(p.outputs, e)
		}
		if e.Test != "" && strings.Contains(e.Output, kazootest.SkipReason) {
			p.schemaSkip[e.Test] = true
		}
	case "pass", "fail", "skip", "bench":
		if e.Test != "" {
			if r.mode == modeQuiet {
				p.results[e.Test] = e.Action
			}
			if e.Action == "skip" && p.schemaSkip[e.Test] {
				r.schemaSkips++
			}
			return
		}
		if e.Action == "fail" {
			r.failed = true
		}
		if r.mode == modeQuiet {
			r.printPackage(p, e.Action == "fail")
		}
		delete(r.packages, e.Package)
	}
}

// printPackage prints a finished package as go test does in package list
// mode: its result line when it passed; when it failed, its own output
// and that of every test that did not pass or skip, without the lines
// that only mark where a test starts or resumes.
func (r *report) printPackage(p *pkgRun, failed bool) {
	if !failed {
		for i := len(p.outputs) - 1; i >= 0; i-- {
			if p.outputs[i].Test == "" {
				io.WriteString(r.out, p.outputs[i].Output) // "ok  \tpkg\t0.1s", "?   \tpkg\t[no test files]"
				return
			}
		}
		return
	}
	for _, e := range p.outputs {
		if e.Test != "" {
			switch p.results[e.Test] {
			case "pass", "skip", "bench":
				continue
			}
			if isFraming(e.Output) {
				continue
			}
		}
		io.WriteString(r.out, e.Output)
	}
}

// isFraming reports whether a test's output line only marks where it
// starts, pauses or resumes (go test -v's "=== RUN" lines).
func isFraming(output string) bool {
	for _, prefix := range []string{"=== RUN ", "=== PAUSE ", "=== CONT ", "=== NAME "} {
		if strings.HasPrefix(output, prefix) {
			return true
		}
	}
	return false
}
