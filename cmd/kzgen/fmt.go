package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/kzgen/kzgen/generator/model"
	"github.com/kzgen/kzgen/runtime/kzrt"
	"github.com/kzgen/kzgen/schemas"
)

// maxInputBytes bounds what kzgen reads from one file or standard input.
// A callflow takes a few KiB; Kazoo stores none near this size.
const maxInputBytes = 16 << 20

// readInput reads a file, or standard input for "-", of at most
// maxInputBytes.
func readInput(name string) ([]byte, error) {
	var r io.Reader = os.Stdin
	label := "standard input"
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r, label = f, name
	}
	data, err := io.ReadAll(io.LimitReader(r, maxInputBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", label, err)
	}
	if len(data) > maxInputBytes {
		return nil, fmt.Errorf("%s: larger than %d MiB, which kzgen reads at most; a callflow takes a few KiB", label, maxInputBytes>>20)
	}
	return data, nil
}

// inputLabel names an input file in messages: "<stdin>" for "-".
func inputLabel(name string) string {
	if name == "-" {
		return "<stdin>"
	}
	return name
}

// callflowText is a callflow as fmt and graph read it: a bare node, or a
// stored callflow document whose tree is its "flow".
type callflowText struct {
	text *flatJSON
	// document is set for a stored callflow document.
	document bool
	// tree is the callflow tree, each node's data kept as its JSON
	// (kzrt.RawData), read by kzrt's rules; pointer is its JSON pointer
	// in the text ("" or "/flow").
	tree    *kzrt.Node
	pointer string
}

// readCallflow reads callflow JSON. Kazoo reads the first copy of a key
// written twice, and so does readCallflow: the later copies are left out
// of the text and the tree and listed in text.duplicates. Problems that
// make the JSON no callflow tree (malformed, nested deeper than
// maxNesting, a node or its children not an object…) come back as
// problems with their JSON pointer.
func readCallflow(data []byte) (*callflowText, kzrt.Errors) {
	text, err := readFlatJSON(data)
	if err != nil {
		es := kzrt.AsErrors(err)
		for i := range es {
			es[i].Code = kzrt.CodeJSON
		}
		return nil, es
	}
	cf := &callflowText{text: text}
	if text.vals[0].kind == '{' && text.member(0, "module") < 0 && text.member(0, "flow") >= 0 {
		cf.document, cf.pointer = true, "/flow"
	}
	// The tree is read by kzrt's rules from the input itself, well formed
	// and within maxNesting as readFlatJSON found it. Its nodes' data is
	// kept as JSON (RawData), which keeps the later copies of a key:
	// those inputs are read from their canonical compact JSON instead,
	// which holds the first copy of every key only.
	if len(text.duplicates) > 0 {
		var compact bytes.Buffer
		w := flatWriter{w: bufio.NewWriter(&compact), text: text}
		w.write(0, 0, rolePlain)
		w.w.Flush()
		data = compact.Bytes()
	}
	modules := kzrt.NewModules()
	if cf.document {
		err = modules.Unmarshal(data, func(d *kzrt.Decoder) {
			for d.OpenObject(); d.NextMember(); {
				if string(d.Key()) == "flow" {
					cf.tree = d.Node()
				} else {
					d.Skip()
				}
			}
		})
	} else {
		cf.tree, err = modules.ParseNode(data)
	}
	if err != nil {
		return nil, kzrt.AsErrors(err)
	}
	return cf, nil
}

// maxWarnings is how many warnings of a kind fmt and graph print about
// one file; the rest are counted.
const maxWarnings = 20

// warnings is what fmt and graph say about a callflow they do not refuse.
type warnings struct {
	list kzrt.Errors // the first maxWarnings of each kind
	more int         // how many more there are
}

func (ws *warnings) add(pointer func() string, msg string) {
	if len(ws.list) >= maxWarnings {
		ws.more++
		return
	}
	ws.list = append(ws.list, kzrt.Error{Pointer: pointer(), Message: msg})
}

// print writes one line per warning, "FILE: warning: /pointer: message",
// and how many more there are.
func (ws *warnings) print(w io.Writer, file string) {
	for _, p := range ws.list {
		fmt.Fprintf(w, "%s: warning: %s: %s\n", file, printablePointer(p.Pointer), strings.ReplaceAll(p.Message, "\n", `\n`))
	}
	if ws.more > 0 {
		fmt.Fprintf(w, "%s: warning: %d more like these\n", file, ws.more)
	}
}

// warnings lists what Kazoo would make of the callflow that fmt and graph
// do not refuse: keys written twice (Kazoo reads the first copy) and
// nodes whose module has no data schema in set, which Kazoo refuses.
// setName names the set (embeddedSchemasName for kzgen's own).
func (cf *callflowText) warnings(set *model.Set, setName string) *warnings {
	ws := &warnings{more: cf.text.moreDuplicates}
	for _, ptr := range cf.text.duplicates {
		ws.list = append(ws.list, kzrt.Error{Pointer: ptr, Message: "duplicate key: Kazoo reads the first copy and ignores this one"})
	}
	hint := ""
	if setName == embeddedSchemasName {
		hint = "; -schemas DIR reads a Kazoo schema directory with custom modules"
	}
	// The nodes are listed in the order fmt writes them: by their branch
	// keys, sorted. Only the nodes with a problem are sorted, not every
	// node's children: a callflow of many nodes has few such nodes.
	type problem struct {
		keys []string // the branch keys from the root
		msg  string
	}
	var problems []problem
	messages := map[string]string{} // by module
	var keys []string
	var visit func(n *kzrt.Node)
	visit = func(n *kzrt.Node) {
		if !n.NoModuleKey {
			msg, seen := messages[n.Module]
			if !seen {
				msg = moduleProblem(set, setName, n.Module)
				messages[n.Module] = msg
			}
			if msg != "" {
				problems = append(problems, problem{slices.Clone(keys), msg + hint})
			}
		}
		for k, child := range n.Children {
			keys = append(keys, k)
			visit(child)
			keys = keys[:len(keys)-1]
		}
	}
	visit(cf.tree)
	slices.SortFunc(problems, func(a, b problem) int { return slices.Compare(a.keys, b.keys) })
	modules := &warnings{}
	for _, p := range problems {
		modules.add(func() string { return cf.pointer + childrenPointer(p.keys) + "/module" }, p.msg)
	}
	ws.list = append(ws.list, modules.list...)
	ws.more += modules.more
	return ws
}

// moduleProblem says why Kazoo refuses a node of module, given the schema
// set, or returns "".
func moduleProblem(set *model.Set, setName, module string) string {
	switch schema, isModule := set.Module(model.CallflowFamily, module); {
	case schema == nil:
		where := "kzgen's embedded schemas"
		if setName != embeddedSchemasName {
			where = "the schema directory " + setName
		}
		return fmt.Sprintf("no schema %s%s in %s: Kazoo refuses the node (unable to find callflow schema)", model.CallflowFamily, module, where)
	case !isModule:
		return fmt.Sprintf("%s%s is no callflow module: Kazoo's schema check accepts it, but the call fails when it runs", model.CallflowFamily, module)
	}
	return ""
}

// childrenPointer renders the JSON pointer of a node below the root from
// its branch keys.
func childrenPointer(keys []string) string {
	var b strings.Builder
	for _, k := range keys {
		b.WriteString("/children/")
		b.WriteString(kzrt.EscapeToken(k))
	}
	return b.String()
}

func runFmt(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("kzgen fmt", flag.ContinueOnError)
	fl.SetOutput(stderr)
	schemaDir := fl.String("schemas", "", "Kazoo schema `directory` whose callflow modules, custom ones included, the warnings check against (default: the schemas embedded in kzgen)")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "Usage: kzgen fmt [-schemas DIR] FILE (- reads standard input)")
		fmt.Fprintln(stderr, "Prints the canonical JSON of a callflow (a bare node, or a callflow document")
		fmt.Fprintln(stderr, "with \"flow\"): a node's keys module, data, children first, every other object's")
		fmt.Fprintln(stderr, "keys sorted, 4-space indent; values, numbers as written, unknown modules and")
		fmt.Fprintln(stderr, "properties are kept. A key written twice keeps its first copy, the one Kazoo")
		fmt.Fprintln(stderr, "reads. Values nested more than 32 levels deep are written on one line, so the")
		fmt.Fprintln(stderr, "output stays within a small factor of the input's size.")
		fmt.Fprintln(stderr, "Warnings go to standard error: keys written twice, modules without a schema.")
		fmt.Fprintln(stderr, "Exit status: 0 printed, 1 the JSON is not a callflow, 2 usage or read error.")
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
	set, setName, err := loadModel(*schemaDir, schemas.CallflowMatch)
	if err != nil {
		fmt.Fprintf(stderr, "kzgen fmt: %v\n", err)
		return 2
	}
	data, err := readInput(fl.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "kzgen fmt: %v\n", err)
		return 2
	}
	label := inputLabel(fl.Arg(0))
	cf, problems := readCallflow(data)
	if problems != nil {
		printProblems(stderr, label, problems)
		return 1
	}
	cf.warnings(set, setName).print(stderr, label)
	out := bufio.NewWriter(stdout)
	w := flatWriter{w: out, text: cf.text, indent: true}
	role := roleNode
	if cf.document {
		role = roleDocument
	}
	w.write(0, 0, role)
	out.WriteByte('\n')
	if err := out.Flush(); err != nil {
		fmt.Fprintf(stderr, "kzgen fmt: %v\n", err)
		return 2
	}
	return 0
}
