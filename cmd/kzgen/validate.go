package main

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/kzgen/kzgen/generator/validate"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

func runValidate(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("kzgen validate", flag.ContinueOnError)
	fl.SetOutput(stderr)
	as := fl.String("as", "", "check every file as `MODE`: pivot (an answer) or callflow (a stored document); default: from each file's shape")
	schemaDir := fl.String("schemas", "", "check against the Kazoo schema directory `DIR` (custom modules included) instead of the embedded callflow schemas")
	blacklist := fl.String("url-blacklist", "", "`LIST` of hosts, IP addresses and CIDR networks, comma-separated, added to Kazoo's default client blacklist")
	stability := fl.String("stability-level", "", "the system's stability `LEVEL` (stable, beta, alpha) Crossbar checks callflow documents with")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "Usage: kzgen validate [flags] FILE... (- reads standard input)")
		fmt.Fprintln(stderr, "Checks callflow JSON exactly as Kazoo does. A file holding one node is checked as")
		fmt.Fprintln(stderr, "a Pivot answer (the node against callflows.action, every node's data against")
		fmt.Fprintln(stderr, "callflows.<module>); an object with \"flow\" as a callflow document as Crossbar")
		fmt.Fprintln(stderr, "stores it (against callflows, with Crossbar's type conversions). Kazoo's semantics")
		fmt.Fprintln(stderr, "apply: defaults are filled in before required is checked, patterns are PCRE,")
		fmt.Fprintln(stderr, "duplicate keys keep their first copy, client URLs are checked against the blacklist")
		fmt.Fprintln(stderr, "(default: localhost, 127.0.0.1/32, 0.0.0.0/32).")
		fmt.Fprintln(stderr, "Prints one line per problem, FILE:/json/pointer: message [Kazoo's error code], in")
		fmt.Fprintln(stderr, "the order Kazoo's validator meets them; the mode used and warnings go to standard error.")
		fmt.Fprintln(stderr, "Warnings include children Kazoo never takes (a key the module never reads, such as")
		fmt.Fprintln(stderr, "\"matched\" under check_cid): Kazoo accepts them, so they do not make a file invalid.")
		fmt.Fprintln(stderr, "Exit status: 0 all valid, 1 problems found, 2 usage or read error.")
		fmt.Fprintln(stderr)
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return flagExit(err)
	}
	if fl.NArg() == 0 {
		fl.Usage()
		return 2
	}
	mode, err := validate.ParseMode(*as)
	if err != nil {
		fmt.Fprintf(stderr, "kzgen validate: -as: %v\n", err)
		return 2
	}
	v, err := newValidator(*schemaDir, *blacklist, *stability)
	if err != nil {
		fmt.Fprintf(stderr, "kzgen validate: %v\n", err)
		return 2
	}
	status := 0
	for _, name := range fl.Args() {
		data, err := readInput(name)
		if err != nil {
			fmt.Fprintf(stderr, "kzgen validate: %v\n", err)
			return 2
		}
		label := inputLabel(name)
		res := v.Validate(data, mode)
		fmt.Fprintf(stderr, "%s: checked as a %s%s\n", label, res.Mode, modeReason(mode, res.Mode))
		for _, w := range res.Warnings {
			fmt.Fprintf(stderr, "%s: warning: %s\n", label, w)
		}
		printProblems(stdout, label, res.Problems)
		if !res.Valid() {
			status = 1
		}
	}
	return status
}

// newValidator builds the validator the flags ask for.
func newValidator(schemaDir, blacklist, stability string) (*validate.Validator, error) {
	var opts []validate.Option
	if blacklist != "" {
		b, err := validate.DefaultBlacklist().With(strings.Split(blacklist, ",")...)
		if err != nil {
			return nil, fmt.Errorf("-url-blacklist: %w", err)
		}
		opts = append(opts, validate.WithBlacklist(b))
	}
	if stability != "" {
		opts = append(opts, validate.WithStabilityLevel(stability))
	}
	if schemaDir == "" {
		return validate.New(opts...)
	}
	fsys, name, err := schemaDirFS("-schemas", schemaDir)
	if err != nil {
		return nil, err
	}
	v, err := validate.FromFS(fsys, append(opts, validate.WithName(name))...)
	if err != nil {
		return nil, err
	}
	if err := v.CheckModes(); err != nil {
		return nil, fmt.Errorf("-schemas %s: %w", schemaDir, err)
	}
	return v, nil
}

// modeReason says why a mode was picked when the user did not choose it.
func modeReason(asked, used validate.Mode) string {
	switch {
	case asked != validate.Auto:
		return " (-as)"
	case used == validate.Callflow:
		return ` (it has "flow" and no "module"; -as pivot checks it as an answer)`
	default:
		return ""
	}
}

// printProblems writes one line per problem: FILE:/pointer: message
// [code], or FILE: message [code] for the document as a whole. A pointer
// holding a control character (a key "1\n") is printed as a quoted Go
// string, so that each problem stays on one line.
func printProblems(w io.Writer, file string, problems kzrt.Errors) {
	for _, p := range problems {
		msg := strings.ReplaceAll(p.Message, "\n", `\n`)
		if p.Code != "" {
			msg += " [" + p.Code + "]"
		}
		if p.Pointer == "" {
			fmt.Fprintf(w, "%s: %s\n", file, msg)
		} else {
			fmt.Fprintf(w, "%s:%s: %s\n", file, printablePointer(p.Pointer), msg)
		}
	}
}

// printablePointer is a JSON pointer as messages print it: quoted as a Go
// string when it holds a control character (a key "1\n"), so that each
// message stays on one line.
func printablePointer(ptr string) string {
	if strings.ContainsFunc(ptr, unicode.IsControl) {
		return strconv.Quote(ptr)
	}
	return ptr
}
