package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// readInput reads a file, or standard input for "-".
func readInput(name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(os.Stdin)
	}
	return os.ReadFile(name)
}

// parseCallflow reads callflow JSON into the typed tree. Problems in the
// JSON itself come back as located problems, not as an error.
func parseCallflow(data []byte) (callflow.Tree, kzrt.Errors) {
	if !json.Valid(data) {
		_, err := load.Decode(data) // says where the syntax breaks
		var de *load.DecodeError
		if errors.As(err, &de) {
			return nil, kzrt.Errors{{Message: fmt.Sprintf("invalid JSON at line %d, column %d: %v", de.Line, de.Column, de.Err)}}
		}
		return nil, kzrt.Errors{{Message: fmt.Sprintf("invalid JSON: %v", err)}}
	}
	tree, err := callflow.Parse(data)
	if err != nil {
		return nil, kzrt.AsErrors(err)
	}
	return tree, nil
}

func runFmt(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("kzgen fmt", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() {
		fmt.Fprintln(stderr, "Usage: kzgen fmt FILE (- reads standard input)")
		fmt.Fprintln(stderr, "Prints the canonical JSON of a callflow: parsed into the typed tree and")
		fmt.Fprintln(stderr, "written back with Kazoo's layout (sorted data keys, 4-space indent).")
		fmt.Fprintln(stderr, "Unknown modules and properties are kept.")
	}
	if err := fl.Parse(args); err != nil {
		return flagExit(err)
	}
	if fl.NArg() != 1 {
		fl.Usage()
		return 2
	}
	data, err := readInput(fl.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "kzgen fmt: %v\n", err)
		return 2
	}
	tree, problems := parseCallflow(data)
	if tree == nil {
		printProblems(stderr, fl.Arg(0), problems)
		return 1
	}
	out, err := json.Marshal(tree)
	if err != nil {
		fmt.Fprintf(stderr, "kzgen fmt: %v\n", err)
		return 1
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, out, "", "    "); err != nil {
		fmt.Fprintf(stderr, "kzgen fmt: %v\n", err)
		return 1
	}
	buf.WriteByte('\n')
	stdout.Write(buf.Bytes())
	return 0
}
