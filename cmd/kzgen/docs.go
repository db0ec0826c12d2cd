package main

import (
	"flag"
	"fmt"
	"go/token"
	"io"
	"path"

	"github.com/kzgen/kzgen/generator/docs"
	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/generator/model"
	"github.com/kzgen/kzgen/schemas"
)

// runDocs implements `kzgen docs`: the callflow reference pages, rendered
// from the embedded schemas or a user's own schema directory, the
// examples sampled from the same model. No generated package is involved.
func runDocs(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("kzgen docs", flag.ContinueOnError)
	fl.SetOutput(stderr)
	out := fl.String("out", "docs/ref", "output `directory` for the Markdown pages")
	schemaDir := fl.String("schemas", "", "Kazoo schema `directory` to document, custom modules included (default: the schemas embedded in kzgen)")
	match := fl.String("match", schemas.CallflowMatch, "only schemas whose id matches one of these comma-separated `globs`, plus what they reference")
	goPackage := fl.String("go-package", docs.GoPackage, "import `path` of the Go package kzgen gen made from these schemas, as the pages name it; its last element is the package name")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "Usage: kzgen docs [-out DIR] [-schemas DIR] [-go-package PATH]")
		fmt.Fprintln(stderr, "Renders the callflow reference: one Markdown page per callflow module (schema")
		fmt.Fprintln(stderr, "table in Kazoo's layout, branch keys, the Go builder kzgen gen makes with its")
		fmt.Fprintln(stderr, "default options, examples Kazoo accepts) and a README.md index. Pages are")
		fmt.Fprintln(stderr, "replaced atomically; generated pages of modules that no longer exist are removed.")
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
	files, err := docsFiles(*schemaDir, *match, *goPackage)
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

// docsFiles renders the pages of the schemas of schemaDir ("" for the
// embedded ones, which gen/callflow is generated from) that match, and
// what they reference.
func docsFiles(schemaDir, match, goPackage string) ([]docs.File, error) {
	pkg := path.Base(goPackage)
	if !token.IsIdentifier(pkg) {
		return nil, fmt.Errorf("-go-package %q: the last element must be the package name, a Go identifier", goPackage)
	}
	m, _, err := loadModel(schemaDir, match)
	if err != nil {
		return nil, err
	}
	source := ""
	if schemaDir != "" {
		source = fmt.Sprintf("the schemas in `%s`", schemaDir)
	}
	opts := docs.Options{GoPackage: goPackage, Source: source}
	opts.Go = docs.GoOptions
	opts.Go.Package = pkg
	return docs.Generate(m, opts)
}

// loadModel reads the schemas of schemaDir ("" for the schemas embedded in
// kzgen) whose ids match, with what they reference, and builds their
// model. It returns the name messages use for the set too.
func loadModel(schemaDir, match string) (*model.Set, string, error) {
	fsys, name, err := schemaDirFS("-schemas", schemaDir)
	if err != nil {
		return nil, "", err
	}
	set, err := load.Read(fsys, load.Options{Match: match, Name: name})
	if err != nil {
		return nil, "", fmt.Errorf("loading schemas: %w", err)
	}
	m, err := model.Build(set)
	if err != nil {
		return nil, "", fmt.Errorf("modelling schemas: %w", err)
	}
	return m, name, nil
}
