package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/generator/validate"
	"github.com/kzgen/kzgen/runtime/crossbar"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// commaList is a flag of comma-separated values, repeatable.
type commaList []string

// String returns the values, comma-separated.
func (l *commaList) String() string { return strings.Join(*l, ",") }

// Set adds the comma-separated values of one occurrence.
func (l *commaList) Set(v string) error {
	for item := range strings.SplitSeq(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			*l = append(*l, item)
		}
	}
	return nil
}

func deployUsage(w io.Writer, fl *flag.FlagSet) {
	fmt.Fprintln(w, "Usage: kzgen deploy -name NAME -numbers N1,N2 [-patterns RE] [-dry-run] FILE")
	fmt.Fprintln(w, "       kzgen deploy -name NAME -numbers N -pivot-url URL [-pivot-debug] [-dry-run]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Puts a callflow on numbers in Kazoo, through Crossbar: creates the account's")
	fmt.Fprintln(w, "callflow named NAME, or updates it, or, when it already matches, changes nothing")
	fmt.Fprintln(w, "(running deploy twice is harmless). FILE (- for standard input) is one bare node")
	fmt.Fprintln(w, "{\"module\": …, \"data\": {…}, \"children\": {…}} or a callflow document with \"flow\";")
	fmt.Fprintln(w, "-pivot-url instead deploys the standard pivot entry flow: one pivot node asking")
	fmt.Fprintln(w, "URL with GET and kazoo parameter names.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Before sending, the document is checked as Crossbar will store it (kzgen validate")
	fmt.Fprintln(w, "in callflow mode): a number or pattern, the callflows schema, every node's data")
	fmt.Fprintln(w, "against its module's schema, URLs Kazoo may request (http or https, not on the")
	fmt.Fprintln(w, "client blacklist: localhost, 127.0.0.1, 0.0.0.0, and -url-blacklist); a private")
	fmt.Fprintln(w, "address gets a warning. Nothing is sent when a check fails.")
	fmt.Fprintln(w, "Crossbar saves numbers in E.164 (4155550100 → +14155550100).")
	fmt.Fprintln(w, "-dry-run has Crossbar validate the document (/schemas/callflows/validation) and")
	fmt.Fprintln(w, "looks for numbers other callflows of the account have; it saves nothing.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Exit status: 0 deployed (or would be); 1 refused, by the checks or by Crossbar;")
	fmt.Fprintln(w, "2 usage, configuration or connection error.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, kazooUsage)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Flags:")
	fl.PrintDefaults()
}

func runDeploy(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("kzgen deploy", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() { deployUsage(stderr, fl) }
	var (
		name       = fl.String("name", "", "the callflow's name, which identifies it (required)")
		pivotURL   = fl.String("pivot-url", "", "deploy the standard pivot entry flow asking this URL, instead of FILE")
		pivotDebug = fl.Bool("pivot-debug", false, "with -pivot-url: have Kazoo record each request and answer (see kzgen debug)")
		dryRun     = fl.Bool("dry-run", false, "validate with Crossbar and say what would change; save nothing")
		schemaDir  = fl.String("schemas", "", "check against the Kazoo schema directory `DIR` (custom modules included) instead of the embedded callflow schemas")
		blacklist  = fl.String("url-blacklist", "", "`LIST` of hosts, IP addresses and CIDR networks, comma-separated, added to Kazoo's default client blacklist, as your cluster has them")
		stability  = fl.String("stability-level", "", "the system's stability `LEVEL` (stable, beta, alpha) Crossbar checks callflows with")
		numbers    commaList
		patterns   stringList
	)
	fl.Var(&numbers, "numbers", "numbers the callflow answers, comma-separated (repeatable)")
	fl.Var(&patterns, "patterns", "a regular expression of numbers the callflow answers (repeatable)")
	kz := addKazooFlags(fl)
	if err := fl.Parse(args); err != nil {
		return flagExit(err)
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "kzgen deploy: "+format+"\n", a...)
		fmt.Fprintln(stderr, "Run 'kzgen deploy -h' for usage.")
		return 2
	}
	switch {
	case *name == "":
		return usageErr("-name is required: it identifies the callflow to create or update")
	case *pivotURL != "" && fl.NArg() > 0:
		return usageErr("give FILE or -pivot-url, not both")
	case *pivotURL == "" && fl.NArg() != 1:
		return usageErr("give one FILE, or -pivot-url")
	case *pivotDebug && *pivotURL == "":
		return usageErr("-pivot-debug goes with -pivot-url (in FILE, set \"debug\": true on the pivot node)")
	}

	v, err := newValidator(*schemaDir, *blacklist, *stability)
	if err != nil {
		fmt.Fprintf(stderr, "kzgen deploy: %v\n", err)
		return 2
	}

	src := deploySource{numbersFromFlags: len(numbers) > 0, patternsFromFlags: len(patterns) > 0}
	spec := crossbar.DeploySpec{Name: *name, Numbers: numbers, Patterns: patterns}
	if *pivotURL != "" {
		spec.Flow = pivotEntryFlow(*pivotURL, *pivotDebug)
	} else {
		src.file = fl.Arg(0)
		data, err := readInput(src.file)
		if err != nil {
			fmt.Fprintf(stderr, "kzgen deploy: %v\n", err)
			return 2
		}
		if err := src.read(data, &spec); err != nil {
			fmt.Fprintf(stderr, "kzgen deploy: %v\n", err)
			return 1
		}
	}

	problems, warnings, err := checkBeforeDeploy(spec, v)
	if err != nil {
		fmt.Fprintf(stderr, "kzgen deploy: %v\n", err)
		return 1
	}
	for _, w := range warnings {
		fmt.Fprintf(stderr, "kzgen deploy: warning: %s: %s\n", src.where(w.pointer), w.message)
	}
	if len(problems) > 0 {
		fmt.Fprintln(stderr, "kzgen deploy: Crossbar would refuse the callflow; nothing was sent:")
		for _, p := range problems {
			fmt.Fprintf(stderr, "  %s: %s\n", src.where(p.pointer), p.message)
		}
		return 1
	}

	c, err := kz.client(stderr, "deploy")
	if err != nil {
		fmt.Fprintf(stderr, "kzgen deploy: %v\n", err)
		return 2
	}
	ctx, stop := commandContext()
	defer stop()
	deploy := c.Deploy
	if *dryRun {
		deploy = c.PlanDeploy
	}
	d, err := deploy(ctx, spec)
	if err != nil {
		printCrossbarError(stderr, "deploy", err, src.where)
		if isRefusal(err) {
			return 1
		}
		return 2
	}
	printDeployment(stdout, d, spec)
	return 0
}

// isRefusal reports whether err is Crossbar saying no to the callflow (a
// 4xx other than 401 and 429), a number already in use or a name two
// callflows share, rather than a failure to log in or to reach Crossbar.
func isRefusal(err error) bool {
	var ce *crossbar.Error
	var taken *crossbar.NumberTakenError
	switch {
	case errors.As(err, &taken), errors.Is(err, crossbar.ErrNameNotUnique):
		return true
	case errors.As(err, &ce):
		return ce.StatusCode >= 400 && ce.StatusCode < 500 && ce.StatusCode != 401 && ce.StatusCode != 429
	}
	return false
}

// pivotEntryFlow is the standard pivot entry flow: one pivot node asking
// voiceURL with GET and kazoo parameter names (set explicitly: without
// req_format, Kazoo's pivot_call sends twiml names). Its data is kept as
// JSON (kzrt.RawData): kzgen's commands do not import the generated
// callflow package.
func pivotEntryFlow(voiceURL string, debug bool) *kzrt.Node {
	data := map[string]any{"voice_url": voiceURL, "method": "get", "req_format": "kazoo"}
	if debug {
		data["debug"] = true
	}
	raw, _ := json.Marshal(data)
	return &kzrt.Node{Module: "pivot", Data: &kzrt.RawData{Module: "pivot", JSON: raw}}
}

// untyped reads callflow trees without a generated package: every node's
// data is kept as JSON (kzrt.RawData), so the tree is sent as written and
// checked by generator/validate, which knows the modules from the schemas.
var untyped = kzrt.NewModules()

// deploySource records where the parts of a deployed document came from,
// so that a problem is shown where the user wrote it.
type deploySource struct {
	file                                string // "" with -pivot-url
	document                            bool   // the file is a callflow document with "flow"
	numbersFromFlags, patternsFromFlags bool
}

// read fills spec from a file: a bare node is the flow; a document gives
// the flow, its other fields, and the numbers and patterns the flags did
// not set.
func (s *deploySource) read(data []byte, spec *crossbar.DeploySpec) error {
	if !json.Valid(data) {
		_, err := load.Decode(data)
		var de *load.DecodeError
		if errors.As(err, &de) {
			return fmt.Errorf("%s: invalid JSON at line %d, column %d: %v", s.file, de.Line, de.Column, de.Err)
		}
		return fmt.Errorf("%s: invalid JSON", s.file)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return fmt.Errorf("%s: want one callflow node {\"module\": …} or a callflow document {\"flow\": …}, not %s", s.file, jsonKind(data))
	}
	flow, isDocument := top["flow"]
	if !isDocument {
		if _, isNode := top["module"]; !isNode {
			return fmt.Errorf("%s: neither a callflow node (no \"module\") nor a callflow document (no \"flow\")", s.file)
		}
		return s.readFlow(data, spec)
	}
	s.document = true
	if err := s.readFlow(flow, spec); err != nil {
		return err
	}
	var problems []string
	for key, target := range map[string]*[]string{"numbers": &spec.Numbers, "patterns": &spec.Patterns} {
		fromFlags := key == "numbers" && s.numbersFromFlags || key == "patterns" && s.patternsFromFlags
		raw, ok := top[key]
		if !ok || fromFlags {
			continue
		}
		if err := json.Unmarshal(raw, target); err != nil {
			problems = append(problems, fmt.Sprintf("%s:/%s: want a list of strings", s.file, key))
		}
	}
	slices.Sort(problems)
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	for key, raw := range top {
		switch key {
		case "flow", "name", "numbers", "patterns", "id", "metadata":
		default:
			if spec.Fields == nil {
				spec.Fields = map[string]json.RawMessage{}
			}
			spec.Fields[key] = raw
		}
	}
	return nil
}

// readFlow reads the tree under "flow" (the whole file for a bare node). A
// callflow document where a node belongs, and JSON that is no tree (a
// node or children that are not objects, a module that is no string), are
// errors naming where they are.
func (s *deploySource) readFlow(data []byte, spec *crossbar.DeploySpec) error {
	if nested, err := kzrt.IsDocument(data); err == nil && nested {
		return fmt.Errorf("%s: a callflow document inside the flow: \"flow\" holds one bare node", s.where("/flow/flow"))
	}
	node, err := untyped.ParseNode(data)
	if err != nil {
		var de *kzrt.DecodeError
		if errors.As(err, &de) {
			return fmt.Errorf("%s: %v", s.where("/flow"+de.Pointer), de.Err)
		}
		return fmt.Errorf("%s: %v", s.where("/flow"), err)
	}
	spec.Flow = node
	return nil
}

// jsonKind names the kind of a JSON value.
func jsonKind(data []byte) string {
	switch t := bytes.TrimSpace(data); {
	case len(t) == 0:
		return "nothing"
	case t[0] == '[':
		return "a list"
	case t[0] == '"':
		return "a string"
	case t[0] == 'n':
		return "null"
	}
	return "a single value"
}

// where turns a JSON pointer of the document sent into the place the user
// wrote it: a flag, or FILE:/pointer in the file's own terms.
func (s deploySource) where(pointer string) string {
	first, rest := pointer, ""
	if i := strings.Index(pointer[min(1, len(pointer)):], "/"); i >= 0 {
		first, rest = pointer[:i+1], pointer[i+1:]
	}
	switch {
	case first == "/name":
		return "-name"
	case first == "/numbers" && (s.numbersFromFlags || s.file == ""):
		return "-numbers"
	case first == "/patterns" && (s.patternsFromFlags || s.file == ""):
		return "-patterns"
	case first == "/flow" && s.file == "":
		if rest == "/data/voice_url" {
			return "-pivot-url"
		}
		return "pivot entry flow:" + rest
	case first == "/flow" && !s.document:
		if rest == "" {
			rest = "/"
		}
		return s.file + ":" + rest
	case s.file != "":
		return s.file + ":" + pointer
	}
	return "callflow:" + pointer
}

// localProblem is a problem found before sending, at a JSON pointer of the
// document.
type localProblem struct {
	pointer, message string
}

// checkBeforeDeploy checks the document Deploy would send, as Crossbar
// will store it: generator/validate in callflow mode (a number or a
// pattern, the callflows schema, every node's data against its module's
// schema, the client URL blacklist, Crossbar's type conversions). A URL to
// a private address that the blacklist lets through is a warning: many
// clusters refuse it, and Kazoo's servers seldom reach it. So are the
// validator's warnings. An error is a flow that cannot be encoded.
func checkBeforeDeploy(spec crossbar.DeploySpec, v *validate.Validator) (problems, warnings []localProblem, err error) {
	doc, err := spec.Document()
	if err != nil {
		return nil, nil, err
	}
	res := v.Validate(doc, validate.Callflow)
	for _, p := range res.Problems {
		msg := fmt.Sprintf("%s (%s)", p.Message, p.Code)
		if strings.HasPrefix(p.Message, "invalid client URL") && strings.Contains(p.Message, "blacklist") {
			msg += "; Kazoo must reach your server at a public address (a tunnel, for local development)"
		}
		problems = append(problems, localProblem{p.Pointer, msg})
	}
	for _, w := range res.Warnings {
		warnings = append(warnings, localProblem{w.Pointer, w.Message})
	}
	var sent struct {
		Flow any `json:"flow"`
	}
	json.Unmarshal(doc, &sent) // doc is JSON the client just encoded
	for _, u := range crossbar.FlowURLs(sent.Flow, "/flow") {
		if v.Blacklist().CheckURL(u.URL) == nil && crossbar.IsPrivateURL(u.URL) {
			warnings = append(warnings, localProblem{u.Pointer, fmt.Sprintf("%s is a private address: many clusters refuse it, and Kazoo's servers reach it only on the same network", u.URL)})
		}
	}
	return problems, warnings, nil
}

// printDeployment says what deploy did or would do.
func printDeployment(w io.Writer, d *crossbar.Deployment, spec crossbar.DeploySpec) {
	label := fmt.Sprintf("callflow %q", d.Name)
	if d.ID != "" {
		label = fmt.Sprintf("callflow %s %q", d.ID, d.Name)
	}
	answers := strings.Join(append(slices.Clone(d.Numbers), d.Patterns...), ", ")
	switch {
	case d.Action == crossbar.DeployUnchanged && d.DryRun:
		fmt.Fprintf(w, "dry run: %s is up to date; deploying would change nothing\n", label)
	case d.Action == crossbar.DeployUnchanged:
		fmt.Fprintf(w, "%s is up to date: nothing changed\n", label)
	case d.DryRun && d.Action == crossbar.DeployCreated:
		fmt.Fprintf(w, "dry run: Crossbar accepts the callflow; deploying would create %s for %s\n", label, answers)
	case d.DryRun:
		fmt.Fprintf(w, "dry run: Crossbar accepts the callflow; deploying would update %s (changed: %s)\n", label, strings.Join(d.Changed, ", "))
	case d.Action == crossbar.DeployCreated:
		fmt.Fprintf(w, "created %s for %s\n", label, answers)
	default:
		fmt.Fprintf(w, "updated %s (changed: %s)\n", label, strings.Join(d.Changed, ", "))
	}
	for _, n := range spec.Numbers {
		if saved := crossbar.NormalizeNumber(n); saved != n && slices.Contains(d.Numbers, saved) {
			fmt.Fprintf(w, "note: %s is saved as %s (Crossbar writes numbers in E.164)\n", n, saved)
		}
	}
}
