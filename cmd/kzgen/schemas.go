package main

import (
	"flag"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/kzgen/kzgen/generator/load"

	"github.com/kzgen/kzgen/internal/schemadiff"
	"github.com/kzgen/kzgen/schemas"
)

// schemasUsage prints the help of `kzgen schemas`.
func schemasUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: kzgen schemas <subcommand> [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Inspect the schema set embedded in kzgen: our copy of Kazoo's callflow")
	fmt.Fprintln(w, "and Crossbar document schemas and everything they reference, with our")
	fmt.Fprintln(w, "own descriptions.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Subcommands:")
	fmt.Fprintln(w, "  list       print the embedded schema ids, one per line")
	fmt.Fprintln(w, "  diff       compare the embedded set with a Kazoo schema directory")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'kzgen schemas <subcommand> -h' for its flags.")
}

// runSchemas implements `kzgen schemas`: it dispatches to list or diff.
func runSchemas(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		schemasUsage(stderr)
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		schemasUsage(stderr)
		return 0
	case "list":
		return runSchemasList(args[1:], stdout, stderr)
	case "diff":
		return runSchemasDiff(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "kzgen schemas: unknown subcommand %q\n", args[0])
	schemasUsage(stderr)
	return 2
}

// runSchemasList implements `kzgen schemas list`.
func runSchemasList(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("kzgen schemas list", flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.Usage = func() {
		fmt.Fprintln(stderr, "Usage: kzgen schemas list")
		fmt.Fprintln(stderr, "Prints the id of every schema embedded in kzgen, sorted, one per line.")
	}
	if err := fset.Parse(args); err != nil {
		return flagExit(err)
	}
	if fset.NArg() > 0 {
		fmt.Fprintf(stderr, "kzgen schemas list: unexpected argument %q\n", fset.Arg(0))
		fset.Usage()
		return 2
	}
	names, err := fs.Glob(schemas.FS, "*.json")
	if err != nil {
		fmt.Fprintf(stderr, "kzgen schemas list: %v\n", err)
		return 2
	}
	for _, name := range names {
		fmt.Fprintln(stdout, strings.TrimSuffix(name, ".json"))
	}
	return 0
}

// runSchemasDiff implements `kzgen schemas diff -against DIR`.
func runSchemasDiff(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("kzgen schemas diff", flag.ContinueOnError)
	fset.SetOutput(stderr)
	against := fset.String("against", "", "Kazoo schema `directory` to compare with (required)")
	fset.Usage = func() {
		fmt.Fprintln(stderr, "Usage: kzgen schemas diff -against DIR")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Compares the embedded schema set with the same closure of DIR")
		fmt.Fprintln(stderr, "(callflows.json, every callflows.*.json, the Crossbar document schemas")
		fmt.Fprintln(stderr, "and all they $ref), ignoring descriptions. Prints files added in DIR,")
		fmt.Fprintln(stderr, "files of the embedded set missing from it (removed), and each changed")
		fmt.Fprintln(stderr, "fact by JSON pointer.")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Exit status: 0 when the facts match, 1 when they differ, 2 on a usage")
		fmt.Fprintln(stderr, "or I/O error.")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Flags:")
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		return flagExit(err)
	}
	if fset.NArg() > 0 {
		fmt.Fprintf(stderr, "kzgen schemas diff: unexpected argument %q\n", fset.Arg(0))
		fset.Usage()
		return 2
	}
	if *against == "" {
		fmt.Fprintln(stderr, "kzgen schemas diff: -against DIR is required")
		fset.Usage()
		return 2
	}
	report, err := diffAgainst(*against)
	if err != nil {
		fmt.Fprintf(stderr, "kzgen schemas diff: %v\n", err)
		return 2
	}
	if !report.HasFactChanges() {
		fmt.Fprintf(stdout, "no fact changes against %s", *against)
		if n := len(report.DescriptionsOnly); n > 0 {
			fmt.Fprintf(stdout, " (descriptions differ in %d files, ignored)", n)
		}
		fmt.Fprintln(stdout)
		return 0
	}
	fmt.Fprint(stdout, report.String())
	return 1
}

// diffAgainst compares the embedded set (old) with the same closure of dir
// (new): the schemas schemas.EmbeddedMatch selects and all they reference.
func diffAgainst(dir string) (*schemadiff.Report, error) {
	theirs, _, err := schemaDirFS("-against", dir)
	if err != nil {
		return nil, err
	}
	set, err := load.Read(theirs, load.Options{Match: schemas.EmbeddedMatch, Name: dir})
	if err != nil {
		return nil, err
	}
	theirNames := make([]string, len(set.IDs))
	for i, id := range set.IDs {
		theirNames[i] = id + ".json"
	}
	ourNames, err := fs.Glob(schemas.FS, "*.json")
	if err != nil {
		return nil, fmt.Errorf("embedded set: %w", err)
	}
	report, err := schemadiff.CompareFiles(schemas.FS, ourNames, theirs, theirNames)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	return report, nil
}
