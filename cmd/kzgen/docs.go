package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/kzgen/kzgen/generator/docs"
	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/generator/model"
	"github.com/kzgen/kzgen/schemas"
)

// runDocs implements `kzgen docs`: the callflow reference pages, rendered
// from the embedded schemas, the examples sampled from the same model.
func runDocs(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("kzgen docs", flag.ContinueOnError)
	fl.SetOutput(stderr)
	out := fl.String("out", "docs/ref", "output `directory` for the Markdown pages")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "Usage: kzgen docs [-out DIR]")
		fmt.Fprintln(stderr, "Renders the callflow reference from the embedded schemas: one Markdown page")
		fmt.Fprintln(stderr, "per callflow module (schema table in Kazoo's layout, branch keys, Go builder,")
		fmt.Fprintln(stderr, "examples Kazoo accepts) and a README.md index. Pages are replaced")
		fmt.Fprintln(stderr, "atomically; generated pages of modules that no longer exist are removed.")
		fmt.Fprintln(stderr)
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return flagExit(err)
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "kzgen docs: unexpected argument %q\n", fl.Arg(0))
		fl.Usage()
		return 2
	}
	files, err := docsFiles()
	if err != nil {
		fmt.Fprintf(stderr, "kzgen docs: %v\n", err)
		return 1
	}
	if err := docs.WriteDir(*out, files); err != nil {
		fmt.Fprintf(stderr, "kzgen docs: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "kzgen docs: wrote %d pages to %s\n", len(files), *out)
	return 0
}

// docsFiles renders the pages from the schemas gen/callflow is generated
// from: the embedded callflow schemas and what they reference.
func docsFiles() ([]docs.File, error) {
	set, err := load.Load(schemas.FS, load.Options{Match: schemas.CallflowMatch, Name: "embedded schemas"})
	if err != nil {
		return nil, fmt.Errorf("loading schemas: %w", err)
	}
	m, err := model.Build(set)
	if err != nil {
		return nil, fmt.Errorf("modelling schemas: %w", err)
	}
	return docs.Generate(m, docs.Options{})
}
