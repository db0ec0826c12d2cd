// Command kzgen generates typed Go from Kazoo's callflow JSON schemas and
// offers tools around them: validation, formatting, docs and simulation.
//
// Each subcommand lives in its own file as a run function with the shape
// func(args []string, stdout, stderr io.Writer) int; main only dispatches.
package main

import (
	"fmt"
	"io"
	"os"
)

// command is one kzgen subcommand.
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

// commands lists every subcommand in the order `kzgen -h` shows them.
var commands []command

func init() {
	commands = []command{
		{"gen", "generate a Go package from JSON schemas", runGen},
		{"validate", "check callflow JSON files as Kazoo would", runValidate},
		{"fmt", "print the canonical JSON of a callflow", runFmt},
		{"simulate", "play Kazoo's part against a pivot server and walk its callflows", runSimulate},
		{"trigger", "send a Kazoo-shaped webhook event to a receiver and read Kazoo's verdict", runTrigger},
		{"schemas", "inspect the embedded schema set (schemas list, schemas diff)", runSchemas},
		{"docs", "render the callflow reference pages (Markdown) from the schemas", runDocs},
		{"graph", "draw a callflow as a Mermaid or Graphviz DOT diagram", runGraph},
		{"deploy", "create or update a callflow in Kazoo through Crossbar", runDeploy},
		{"ls", "list the account's users, devices, groups, callflows… with their IDs", runLs},
		{"debug", "read Kazoo's Pivot debug log: calls, requests, answers, errors", runDebug},
		{"hooks", "manage the account's webhooks: add, ls, rm, reenable, attempts", runHooks},
		{"version", "print kzgen's version", runVersion},
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches to a subcommand and returns the process exit code:
// 0 success, 1 the command's own failure verdict, 2 usage or I/O error.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	if args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		return 0
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "kzgen: unknown command %q\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: kzgen <command> [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'kzgen <command> -h' for a command's flags.")
}
