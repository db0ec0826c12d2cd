// Command gotest is the project's test command: go test, ending with one
// line that says how many tests skipped because Kazoo's schema set was not
// found, and how to provide it. Without that line a contributor who lacks
// the set sees only "ok" for every package and never learns that part of
// the suite did not run.
//
//	go run ./internal/gotest ./...
//	go run ./internal/gotest -short -run TestGolden ./generator/...
//
// It takes go test's flags and package patterns unchanged and runs
// go test -json with them, then prints what go test prints: the "ok" line
// of a passing package; for a failing one the output of its failing tests
// and of the package itself; build errors on standard error. It exits with
// go test's status. With -v, -bench or -list it prints every test's output
// as it comes, as go test -v does; with -json it passes the events through
// unchanged and writes its line to standard error.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

func main() {
	os.Exit(run([]string{"go"}, os.Args[1:], os.Stdout, os.Stderr))
}

// run runs goCmd (the go command and any arguments before "test") as
// go test -json with args, prints the report to stdout and stderr and
// returns the exit status: go test's, or 2 when it could not be run.
func run(goCmd, args []string, stdout, stderr io.Writer) int {
	mode := modeOf(args)
	cmdArgs := append(append([]string{}, goCmd[1:]...), "test")
	if mode != modeJSON {
		cmdArgs = append(cmdArgs, "-json")
	}
	cmd := exec.Command(goCmd[0], append(cmdArgs, args...)...)
	cmd.Stderr = stderr
	events, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintf(stderr, "gotest: %v\n", err)
		return 2
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(stderr, "gotest: running go test: %v\n", err)
		return 2
	}
	stop := forwardSignals(cmd.Process)
	defer stop()

	r := newReport(stdout, stderr, mode)
	readErr := r.Read(events)
	waitErr := cmd.Wait()
	r.Finish()
	if readErr != nil {
		fmt.Fprintf(stderr, "gotest: reading go test's output: %v\n", readErr)
	}
	var exit *exec.ExitError
	switch {
	case waitErr == nil && readErr == nil:
		return 0
	case errors.As(waitErr, &exit) && exit.ExitCode() > 0:
		return exit.ExitCode()
	case waitErr != nil:
		fmt.Fprintf(stderr, "gotest: go test: %v\n", waitErr)
	}
	return 1
}

// forwardSignals passes an interrupt or termination request on to go test,
// so that it stops its tests and reports them, while this program keeps
// reading until go test exits. The returned function stops forwarding.
func forwardSignals(p *os.Process) (stop func()) {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-signals:
				_ = p.Signal(s) // it may have exited already
			case <-done:
				return
			}
		}
	}()
	return func() {
		signal.Stop(signals)
		close(done)
	}
}
