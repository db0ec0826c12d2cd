package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/kzgen/kzgen/runtime/flowgraph"
	"github.com/kzgen/kzgen/runtime/kzrt"
	"github.com/kzgen/kzgen/schemas"
)

// runGraph implements `kzgen graph`: a callflow drawn as Mermaid or DOT.
func runGraph(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("kzgen graph", flag.ContinueOnError)
	fl.SetOutput(stderr)
	format := fl.String("format", "mermaid", "output `format`: mermaid or dot")
	schemaDir := fl.String("schemas", "", "Kazoo schema `directory` whose callflow modules, custom ones included, the warnings check against (default: the schemas embedded in kzgen)")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "Usage: kzgen graph [-format mermaid|dot] [-schemas DIR] FILE (- reads standard input)")
		fmt.Fprintln(stderr, "Draws a callflow (a bare node, or a callflow document with \"flow\") as a")
		fmt.Fprintln(stderr, "Mermaid flowchart or a Graphviz DOT graph: one box per node with its module")
		fmt.Fprintln(stderr, "and key data, one edge per child labelled with its branch key (\"_\" reads")
		fmt.Fprintln(stderr, "\"next\"). The output depends only on the tree. A key written twice counts")
		fmt.Fprintln(stderr, "with its first copy, as Kazoo reads it. Warnings go to standard error: keys")
		fmt.Fprintf(stderr, "written twice, modules without a schema. At most %d nodes are drawn.\n", flowgraph.MaxNodes)
		fmt.Fprintln(stderr, "Exit status: 0 drawn, 1 the JSON is not a callflow or too large to draw, 2 usage")
		fmt.Fprintln(stderr, "or read error.")
		fmt.Fprintln(stderr)
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return flagExit(err)
	}
	if fl.NArg() != 1 {
		fl.Usage()
		return 2
	}
	if *format != "mermaid" && *format != "dot" {
		fmt.Fprintf(stderr, "kzgen graph: unknown format %q (want mermaid or dot)\n", *format)
		return 2
	}
	set, setName, err := loadModel(*schemaDir, schemas.CallflowMatch)
	if err != nil {
		fmt.Fprintf(stderr, "kzgen graph: %v\n", err)
		return 2
	}
	data, err := readInput(fl.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "kzgen graph: %v\n", err)
		return 2
	}
	label := inputLabel(fl.Arg(0))
	cf, problems := readCallflow(data)
	if problems != nil {
		printProblems(stderr, label, problems)
		return 1
	}
	g, err := flowgraph.New(cf.tree)
	if err != nil {
		problems := kzrt.AsErrors(err)
		for i := range problems {
			problems[i].Pointer = cf.pointer + problems[i].Pointer
		}
		printProblems(stderr, label, problems)
		return 1
	}
	cf.warnings(set, setName).print(stderr, label)
	if *format == "dot" {
		fmt.Fprint(stdout, g.DOT())
	} else {
		fmt.Fprint(stdout, g.Mermaid())
	}
	return 0
}
