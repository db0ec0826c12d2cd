package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kzgen/kzgen/runtime/crossbar"
)

func runDebug(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("kzgen debug", flag.ContinueOnError)
	fl.SetOutput(stderr)
	callID := fl.String("call-id", "", "show this call's requests, answers and errors (a call ID or debug ID from the listing)")
	asJSON := fl.Bool("json", false, "print the rows as JSON, with Kazoo's field names, for tools")
	kz := addKazooFlags(fl)
	fl.Usage = func() {
		fmt.Fprintln(stderr, "Usage: kzgen debug [-call-id ID] [-json]")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Reads Kazoo's Pivot debug log: the calls of the last 31 days whose pivot node")
		fmt.Fprintln(stderr, "had \"debug\": true (kzgen deploy -pivot-debug sets it), newest first; with")
		fmt.Fprintln(stderr, "-call-id, each request Kazoo sent to your server and the answer, with the JSON")
		fmt.Fprintln(stderr, "or schema errors that made Kazoo refuse it.")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, kazooUsage)
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Flags:")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return flagExit(err)
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "kzgen debug: unexpected argument %q (use -call-id)\n", fl.Arg(0))
		return 2
	}
	c, err := kz.client(stderr, "debug")
	if err != nil {
		fmt.Fprintf(stderr, "kzgen debug: %v\n", err)
		return 2
	}
	ctx, stop := commandContext()
	defer stop()
	var rows any
	if *callID == "" {
		rows, err = c.PivotDebugCalls(ctx)
	} else {
		rows, err = c.PivotDebug(ctx, *callID)
	}
	switch {
	case errors.Is(err, crossbar.ErrPivotDebugUnavailable):
		fmt.Fprintln(stderr, "kzgen debug: this cluster has no Pivot debug endpoint: Crossbar answers 404 for")
		fmt.Fprintln(stderr, "pivot/debug, so its cb_pivot module is not loaded. Ask the operator to add cb_pivot")
		fmt.Fprintln(stderr, "to Crossbar's autoload_modules; until then, test with kzgen simulate.")
		return 1
	case err != nil:
		fmt.Fprintf(stderr, "kzgen debug: %v\n", err)
		return 1
	case *asJSON:
		out, err := json.MarshalIndent(rows, "", "  ")
		if err != nil {
			fmt.Fprintf(stderr, "kzgen debug: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "%s\n", out)
		return 0
	}
	if calls, ok := rows.([]crossbar.PivotDebugCall); ok {
		printDebugCalls(stdout, stderr, calls)
	} else {
		printDebugRecords(stdout, rows.([]crossbar.PivotDebugRecord))
	}
	return 0
}

// printDebugCalls prints the listing as a table.
func printDebugCalls(stdout, stderr io.Writer, calls []crossbar.PivotDebugCall) {
	if len(calls) == 0 {
		fmt.Fprintln(stderr, "kzgen debug: no debugged call in the last 31 days; set \"debug\": true on the pivot node (kzgen deploy -pivot-debug) and call again")
		return
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CREATED (UTC)\tCALL ID\tSTATUS\tERRORS\tURL")
	for _, call := range calls {
		var problems []string
		if call.HasJSONErrors {
			problems = append(problems, "json")
		}
		if call.HasSchemaErrors {
			problems = append(problems, "schema")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", timeText(call.Created), call.CallID, statusText(call.StatusCode), dash(strings.Join(problems, ", ")), dash(call.URI))
	}
	tw.Flush()
	fmt.Fprintln(stderr, "kzgen debug: run kzgen debug -call-id ID for a call's requests and answers")
}

// printDebugRecords prints one call's exchanges, request then answer then
// the errors Kazoo found.
func printDebugRecords(w io.Writer, records []crossbar.PivotDebugRecord) {
	for i, r := range records {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "request %d, %s, call %s", r.Iteration, timeText(r.Created), r.CallID)
		if r.Node != "" {
			fmt.Fprintf(w, ", node %s", r.Node)
		}
		fmt.Fprintln(w)
		if r.URI != "" || r.Method != "" {
			fmt.Fprintf(w, "  %s %s\n", strings.ToUpper(dash(r.Method)), r.URI)
		}
		printHeaders(w, r.RequestHeaders)
		printBody(w, r.RequestBody)
		if r.StatusCode != 0 || len(r.ResponseHeaders) > 0 || r.ResponseBody != "" {
			fmt.Fprintf(w, "answer: %s\n", statusText(r.StatusCode))
			printHeaders(w, r.ResponseHeaders)
			printBody(w, r.ResponseBody)
		}
		if problems := r.SchemaProblems(); len(problems) > 0 {
			fmt.Fprintln(w, "schema errors: Kazoo refused the callflow and ended the call")
			for _, p := range problems {
				fmt.Fprintf(w, "  %s\n", p)
			}
		} else if len(r.SchemaErrors) > 0 && string(r.SchemaErrors) != "null" {
			fmt.Fprintf(w, "schema errors: %s\n", compactJSON(r.SchemaErrors))
		}
		if len(r.JSONErrors) > 0 && string(r.JSONErrors) != "null" {
			fmt.Fprintf(w, "JSON errors: the answer is not JSON Kazoo can read: %s\n", compactJSON(r.JSONErrors))
		}
	}
}

func printHeaders(w io.Writer, h map[string]string) {
	for _, k := range slices.Sorted(maps.Keys(h)) {
		fmt.Fprintf(w, "  %s: %s\n", k, h[k])
	}
}

// printBody prints a body indented; JSON is pretty-printed.
func printBody(w io.Writer, body string) {
	if body == "" {
		return
	}
	var buf bytes.Buffer
	if json.Indent(&buf, []byte(body), "", "  ") == nil {
		body = buf.String()
	}
	fmt.Fprintf(w, "  %s\n", strings.ReplaceAll(strings.TrimRight(body, "\n"), "\n", "\n  "))
}

func compactJSON(raw json.RawMessage) string {
	var buf bytes.Buffer
	if json.Compact(&buf, raw) != nil {
		return string(raw)
	}
	return buf.String()
}

func timeText(t crossbar.Timestamp) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.DateTime)
}

func statusText(code int) string {
	if code == 0 {
		return "-"
	}
	return strconv.Itoa(code)
}
