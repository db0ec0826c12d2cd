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
	"github.com/kzgen/kzgen/runtime/crossbar"
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
	fmt.Fprintln(w, "Before sending, the flow is checked as Crossbar will: a bare node under \"flow\", a")
	fmt.Fprintln(w, "number or pattern, URLs Kazoo may request (http or https, not on Crossbar's")
	fmt.Fprintln(w, "blacklist: localhost, 127.0.0.1, 0.0.0.0); a private address gets a warning.")
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

	problems, warnings := checkBeforeDeploy(spec)
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
// req_format, Kazoo's pivot_call sends twiml names).
func pivotEntryFlow(voiceURL string, debug bool) json.RawMessage {
	data := map[string]any{"voice_url": voiceURL, "method": "get", "req_format": "kazoo"}
	if debug {
		data["debug"] = true
	}
	flow, _ := json.Marshal(map[string]any{"module": "pivot", "data": data})
	return flow
}

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
		spec.Flow = bytes.TrimSpace(data)
		return nil
	}
	s.document = true
	spec.Flow = flow
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

// checkBeforeDeploy checks a callflow the way Crossbar will, before sending
// it: a bare node under "flow" (well-formed JSON is checked on reading),
// a number or a pattern, and every URL Kazoo would request (the scheme and
// Crossbar's blacklist). A private address is a warning: many clusters
// refuse it and Kazoo's servers seldom reach it.
func checkBeforeDeploy(spec crossbar.DeploySpec) (problems, warnings []localProblem) {
	var flow any
	if err := json.Unmarshal(spec.Flow, &flow); err != nil {
		return []localProblem{{"/flow", "invalid JSON: " + err.Error()}}, nil
	}
	node, isObject := flow.(map[string]any)
	switch {
	case !isObject:
		problems = append(problems, localProblem{"/flow", "want one node object {\"module\": …, \"data\": {…}}"})
	case node["flow"] != nil:
		problems = append(problems, localProblem{"/flow/flow", "a callflow document inside the flow: \"flow\" holds one bare node"})
	default:
		if m, ok := node["module"].(string); !ok || m == "" {
			problems = append(problems, localProblem{"/flow/module", "every node needs a module name"})
		}
	}
	if len(spec.Numbers) == 0 && len(spec.Patterns) == 0 {
		problems = append(problems, localProblem{"/numbers", "Crossbar needs at least one number or pattern"})
	}
	for _, u := range crossbar.FlowURLs(flow, "/flow") {
		if err := crossbar.DefaultURLBlacklist.Check(u.URL); err != nil {
			problems = append(problems, localProblem{u.Pointer, err.Error() + "; Kazoo must reach your server at a public address (a tunnel, for local development)"})
		} else if crossbar.IsPrivateURL(u.URL) {
			warnings = append(warnings, localProblem{u.Pointer, fmt.Sprintf("%s is a private address: many clusters refuse it, and Kazoo's servers reach it only on the same network", u.URL)})
		}
	}
	// TODO(validate): call generator/validate's schema check here (callflows, each node's callflows.<module>).
	return problems, warnings
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
