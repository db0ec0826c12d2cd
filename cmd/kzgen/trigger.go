package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/kzgen/kzgen/runtime/webhook"
	"github.com/kzgen/kzgen/runtime/webhook/webhooktest"
)

func triggerUsage(w io.Writer, fl *flag.FlagSet) {
	fmt.Fprintln(w, "Usage: kzgen trigger EVENT -url URL [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Sends a Kazoo-shaped webhook event to a receiver the way Kazoo's webhooks app")
	fmt.Fprintln(w, "delivers it, and prints the answer and whether Kazoo would count it a success.")
	fmt.Fprintln(w, "GET puts the payload in the query string; POST and PUT send a form body (the")
	fmt.Fprintln(w, "hook's \"form-data\") or a JSON body; every request carries X-Hook-ID and")
	fmt.Fprintln(w, "X-Account-ID, and the payload gains custom_data and cluster_id.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Events (sample payloads with made-up data):")
	fmt.Fprintln(w, "  "+strings.Join(webhooktest.SampleHooks(), ", "))
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Kazoo counts only status 200 as success. Any other answer is a failed attempt")
	fmt.Fprintln(w, "that is not retried; no answer at all is retried after 2 s. 6 failed attempts")
	fmt.Fprintln(w, "within a minute disable the hook. Kazoo refuses hook URIs on localhost and")
	fmt.Fprintln(w, "127.0.0.1 when a hook is saved: to get real events to a local receiver, expose it")
	fmt.Fprintln(w, "through a public tunnel.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Exit status: 0 Kazoo would count the attempt a success; 1 a failed attempt;")
	fmt.Fprintln(w, "2 usage error.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Flags:")
	fl.PrintDefaults()
}

func runTrigger(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("kzgen trigger", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() { triggerUsage(stderr, fl) }
	var (
		uri       = fl.String("url", "", "the hook's uri: where to deliver (required); user:password@ in it becomes basic auth")
		method    = fl.String("method", "post", "the hook's http_verb: get, post or put")
		format    = fl.String("format", "form", "body of a POST or PUT: form (the hook's \"form-data\") or json")
		accountID = fl.String("account-id", webhooktest.SampleAccountID, "X-Account-ID, and the payload's account_id")
		hookID    = fl.String("hook-id", webhooktest.DefaultHookID, "X-Hook-ID: the hook's document ID")
		timeout   = fl.Duration("timeout", webhooktest.DefaultTimeout, "how long Kazoo waits for an answer")
		verbose   = fl.Bool("v", false, "print the payload sent, as JSON")
		custom    stringList
		sets      stringList
	)
	fl.Var(&custom, "custom-data", "the hook's custom_data, merged into the payload: k=v,k2=v2 (repeatable)")
	fl.Var(&sets, "set", "override a payload field: field=value or object[key]=value (repeatable); a number or\nboolean field keeps its type")

	// EVENT may come before or after the flags.
	event := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		event, args = args[0], args[1:]
	}
	if err := fl.Parse(args); err != nil {
		return flagExit(err)
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "kzgen trigger: "+format+"\n", a...)
		fmt.Fprintln(stderr, "Run 'kzgen trigger -h' for usage.")
		return 2
	}
	rest := fl.Args()
	if event == "" && len(rest) > 0 {
		event, rest = rest[0], rest[1:]
	}
	switch {
	case len(rest) > 0:
		return usageErr("unexpected argument %q", rest[0])
	case event == "":
		return usageErr("which event? one of %s", strings.Join(webhooktest.SampleHooks(), ", "))
	case *uri == "":
		return usageErr("-url is required")
	case *timeout <= 0:
		return usageErr("-timeout %v: must be positive", *timeout)
	}

	payload, err := webhooktest.Sample(event)
	if err != nil {
		return usageErr("event %q: want one of %s", event, strings.Join(webhooktest.SampleHooks(), ", "))
	}
	hook := webhooktest.Hook{URI: *uri, ID: *hookID, AccountID: *accountID, Timeout: *timeout}
	switch m := strings.ToLower(*method); m {
	case "get", "post", "put":
		hook.HTTPVerb = m
	default:
		return usageErr("-method %q: want get, post or put", *method)
	}
	switch *format {
	case "form", "form-data":
		hook.Format = webhook.FormatForm
	case "json":
		hook.Format = webhook.FormatJSON
	default:
		return usageErr("-format %q: want form or json", *format)
	}
	if hook.CustomData, err = parseCustomData(custom); err != nil {
		return usageErr("-custom-data: %v", err)
	}
	if payload.Fields().Has("account_id") {
		if err := payload.SetText("account_id", *accountID); err != nil {
			return usageErr("-account-id: %v", err)
		}
	}
	for _, s := range sets {
		field, value, ok := strings.Cut(s, "=")
		if !ok {
			return usageErr("-set %q: want field=value", s)
		}
		if err := payload.SetText(field, value); err != nil {
			return usageErr("-set: %v", err)
		}
	}
	if _, err := hook.NewRequest(context.Background(), payload); err != nil {
		return usageErr("-url: %v", err)
	}

	res, err := hook.Do(context.Background(), nil, payload)
	if err != nil {
		fmt.Fprintf(stderr, "kzgen trigger: %v\n", err)
		return 1
	}
	if err := printTrigger(stdout, event, hook, res, *verbose); err != nil {
		fmt.Fprintf(stderr, "kzgen trigger: writing the report: %v\n", err)
		return 1
	}
	if !res.Success() {
		return 1
	}
	return 0
}

// parseCustomData reads "k=v,k2=v2" lists into one map.
func parseCustomData(lists []string) (map[string]string, error) {
	var m map[string]string
	for _, list := range lists {
		for pair := range strings.SplitSeq(list, ",") {
			k, v, ok := strings.Cut(pair, "=")
			if !ok || k == "" {
				return nil, fmt.Errorf("%q: want key=value", pair)
			}
			if m == nil {
				m = map[string]string{}
			}
			m[k] = v
		}
	}
	return m, nil
}

// maxShownBody bounds how much of an answer's body is printed.
const maxShownBody = 512

// printTrigger writes what was sent, what came back and Kazoo's verdict.
func printTrigger(w io.Writer, event string, hook webhooktest.Hook, res *webhooktest.Result, verbose bool) error {
	var b strings.Builder
	req := res.Request
	target := req.URL.String()
	what := "query string"
	if req.Method != http.MethodGet {
		what = "form body"
		if hook.Format == webhook.FormatJSON {
			what = "JSON body"
		}
	} else if !verbose {
		target, _, _ = strings.Cut(target, "?")
		target += "?…"
	}
	fmt.Fprintf(&b, "sent %s: %s %s (%s)\n", event, req.Method, target, what)
	for _, name := range slices.Sorted(maps.Keys(req.Header)) {
		value := req.Header.Get(name)
		if name == "Authorization" {
			value = "Basic … (from the URL's user info)"
		}
		fmt.Fprintf(&b, "  %s: %s\n", name, value)
	}
	if verbose {
		pretty, err := json.MarshalIndent(res.Fields, "  ", "  ")
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "  payload: %s\n", pretty)
	}

	if res.Status == 0 {
		fmt.Fprintf(&b, "answer: none after %v\n", res.Elapsed.Round(time.Millisecond))
	} else {
		body := "empty body"
		if len(res.Body) > 0 {
			shown := res.Body[:min(len(res.Body), maxShownBody)]
			body = fmt.Sprintf("%d bytes: %q", len(res.Body), shown)
			if len(shown) < len(res.Body) {
				body += "…"
			}
		}
		fmt.Fprintf(&b, "answer: %d %s after %v, %s\n", res.Status, http.StatusText(res.Status),
			res.Elapsed.Round(time.Millisecond), body)
	}
	for _, warning := range res.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", warning)
	}
	fmt.Fprintf(&b, "Kazoo's verdict: %s: %s\n", res.Verdict, res.Reason)
	_, err := io.WriteString(w, b.String())
	return err
}
