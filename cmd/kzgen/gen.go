package main

import (
	"flag"
	"fmt"
	"go/token"
	"io"
	"path/filepath"
	"runtime/debug"

	"github.com/kzgen/kzgen/generator"
	"github.com/kzgen/kzgen/generator/golang"
	"github.com/kzgen/kzgen/schemas"
)

func runGen(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("kzgen gen", flag.ContinueOnError)
	fl.SetOutput(stderr)
	schemaDir := fl.String("schemas", "", "schema `directory` (default: the schemas embedded in kzgen)")
	out := fl.String("out", "", "output `directory` for the Go package (required)")
	pkg := fl.String("pkg", "", "Go package `name` (default: the output directory's name)")
	match := fl.String("match", schemas.CallflowMatch, "only schemas whose id matches one of these comma-separated `globs`, plus what they reference; the default is the callflow set, '*' takes every schema")
	trim := fl.String("trim-prefix", golang.DefaultTrimPrefix, "`prefix` removed from schema ids when naming types")
	suffix := fl.String("type-suffix", golang.DefaultTypeSuffix, "`suffix` added to the root type names of schemas with -trim-prefix")
	nodes := fl.Bool("nodes", true, "when the set has the node schema (<trim-prefix>action), generate a callflow package like gen/callflow: the tree, a builder per module, Parse, the module registry")
	force := fl.Bool("force", false, "generate even when the output directory's "+generator.StampFile+" shows it is up to date")
	nodesFrom := fl.String("nodes-from", "", "import `path` of the callflow package that types the callflow trees, for a set with the node schema that is no callflow package (Crossbar's documents): every $ref to the node schema becomes *kzrt.Node, decoded through that package's Modules(); default: the package itself when the set has callflow modules, else "+golang.DefaultNodesFrom)
	fl.Usage = func() {
		fmt.Fprintln(stderr, "Usage: kzgen gen -out DIR [-schemas DIR] [-pkg NAME] [-match GLOB] [-nodes-from PATH] [-force]")
		fmt.Fprintln(stderr, "Generates a Go package of typed structs, enums, unions, defaults and validation")
		fmt.Fprintln(stderr, "from Kazoo JSON schemas: one .kz.go file per schema. Nothing is written unless")
		fmt.Fprintln(stderr, "every schema loads and generates. When the output directory's "+generator.StampFile)
		fmt.Fprintln(stderr, "shows that this kzgen build, with the same flags and schema files, wrote")
		fmt.Fprintln(stderr, "the generated files there and they are unchanged, nothing is done.")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "The default -match makes a callflow package like gen/callflow. A set of Crossbar")
		fmt.Fprintln(stderr, "documents, as gen/kazoodoc is generated from,")
		fmt.Fprintln(stderr, "  -match "+schemas.DocumentMatch)
		fmt.Fprintln(stderr, "has the node schema but no module: its callflow trees are then gen/callflow's,")
		fmt.Fprintln(stderr, "each node typed by its module; -nodes-from names another callflow package.")
		fmt.Fprintln(stderr)
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return flagExit(err)
	}
	if *out == "" || fl.NArg() > 0 {
		fl.Usage()
		return 2
	}
	if err := checkGenFlags(out, pkg, *suffix); err != nil {
		fmt.Fprintf(stderr, "kzgen gen: %v\n", err)
		return 2
	}
	// kzgen gen is a short batch job that allocates a lot and frees it all
	// at exit: collecting garbage less often makes it faster for a little
	// more peak memory (see BENCHMARKS.md).
	debug.SetGCPercent(400)
	fsys, name, err := schemaDirFS("-schemas", *schemaDir)
	if err != nil {
		fmt.Fprintf(stderr, "kzgen gen: %v\n", err)
		return 2
	}
	res, err := generator.Run(generator.Config{
		Schemas: fsys, Name: name, Match: *match,
		Go: golang.Options{Package: *pkg, TrimPrefix: *trim, TypeSuffix: *suffix, Nodes: *nodes, NodesFrom: *nodesFrom},
	}, generator.RunOptions{Dir: *out, Args: stampArgs(fl), Force: *force})
	if err != nil {
		fmt.Fprintf(stderr, "kzgen gen: %v\n", err)
		return 1
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(stderr, "kzgen gen: warning: %s\n", w)
	}
	if res.UpToDate {
		fmt.Fprintf(stdout, "kzgen gen: %s is up to date (%d files; -force regenerates)\n", *out, res.Files)
		return 0
	}
	fmt.Fprintf(stdout, "kzgen gen: wrote %d files for %d schemas to %s\n", res.Files, res.Schemas, *out)
	return 0
}

// checkGenFlags checks the flags before any work, so that a bad one is a
// one-line error rather than a failure of generated code. A missing -pkg
// becomes the output directory's name, which must then be a package name.
func checkGenFlags(out, pkg *string, typeSuffix string) error {
	if *pkg != "" {
		if err := generator.CheckPackageName(*pkg); err != nil {
			return fmt.Errorf("-pkg: %w", err)
		}
	} else {
		abs, err := filepath.Abs(*out)
		if err != nil {
			return err
		}
		*pkg = filepath.Base(abs)
		if err := generator.CheckPackageName(*pkg); err != nil {
			return fmt.Errorf("%w (taken from the -out directory's name): name the package with -pkg", err)
		}
	}
	if typeSuffix != "" && !token.IsIdentifier("T"+typeSuffix) {
		return fmt.Errorf("-type-suffix %q: only letters, digits and underscores can end a type name", typeSuffix)
	}
	return nil
}

// stampArgs lists the flags that shape the output, defaults included, for
// the stamp: every flag but -out and -force.
func stampArgs(fl *flag.FlagSet) []string {
	var args []string
	fl.VisitAll(func(f *flag.Flag) {
		if f.Name != "out" && f.Name != "force" {
			args = append(args, "-"+f.Name+"="+f.Value.String())
		}
	})
	return args
}
