package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/kzgen/kzgen/runtime/flowgraph"
)

// runGraph implements `kzgen graph`: a callflow drawn as Mermaid or DOT.
func runGraph(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("kzgen graph", flag.ContinueOnError)
	fl.SetOutput(stderr)
	format := fl.String("format", "mermaid", "output `format`: mermaid or dot")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "Usage: kzgen graph [-format mermaid|dot] FILE (- reads standard input)")
		fmt.Fprintln(stderr, "Draws a callflow (a bare node, or a callflow document with \"flow\") as a")
		fmt.Fprintln(stderr, "Mermaid flowchart or a Graphviz DOT graph: one box per node with its module")
		fmt.Fprintln(stderr, "and key data, one edge per child labelled with its branch key (\"_\" reads")
		fmt.Fprintln(stderr, "\"next\"). The output depends only on the tree.")
		fmt.Fprintln(stderr, "Exit status: 0 drawn, 1 the JSON is not a callflow, 2 usage or read error.")
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
	name := fl.Arg(0)
	data, err := readInput(name)
	if err != nil {
		fmt.Fprintf(stderr, "kzgen graph: %v\n", err)
		return 2
	}
	tree, problems := parseCallflow(data)
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintf(stderr, "kzgen graph: %s: %s\n", name, p.Error())
		}
		return 1
	}
	root := tree.Root()
	if root == nil {
		fmt.Fprintf(stderr, "kzgen graph: %s: the callflow document has no flow\n", name)
		return 1
	}
	g, err := flowgraph.New(root)
	if err != nil {
		fmt.Fprintf(stderr, "kzgen graph: %s: %v\n", name, err)
		return 1
	}
	if *format == "dot" {
		fmt.Fprint(stdout, g.DOT())
	} else {
		fmt.Fprint(stdout, g.Mermaid())
	}
	return 0
}
