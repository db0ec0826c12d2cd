package main

// kzgen hooks: the account's webhooks (Kazoo's webhooks app) through
// Crossbar: subscribe a URL to an event, list, remove, re-enable the hooks
// Kazoo disabled, and read the attempt log that says why.

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/kzgen/kzgen/generator/validate"
	"github.com/kzgen/kzgen/runtime/crossbar"
	"github.com/kzgen/kzgen/runtime/kzrt"
)

// webhooksResource is the account collection of webhook documents.
const webhooksResource crossbar.Resource = "webhooks"

// hooksSubcommands are the subcommands of kzgen hooks, in the order its
// usage shows them.
var hooksSubcommands = []struct {
	name, summary string
	run           func(args []string, stdout, stderr io.Writer) int
}{
	{"add", "subscribe a URL to an event (channel_destroy, object, …)", runHooksAdd},
	{"ls", "list the account's webhooks: event, verb, URL, enabled or why not", runHooksLs},
	{"rm", "remove a webhook", runHooksRm},
	{"reenable", "enable a webhook again, or every one Kazoo disabled (-all)", runHooksReenable},
	{"attempts", "read the attempt log: why deliveries failed", runHooksAttempts},
}

func hooksUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: kzgen hooks <subcommand> [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Manages the account's webhooks through Crossbar: Kazoo calls a webhook's URL")
	fmt.Fprintln(w, "whenever its event happens (a call leg ends, a document changes, …).")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Subcommands:")
	for _, s := range hooksSubcommands {
		fmt.Fprintf(w, "  %-9s %s\n", s.name, s.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Kazoo counts only status 200 as a successful delivery; 6 failed attempts within")
	fmt.Fprintln(w, "a minute disable the hook until it is re-enabled. Test a receiver offline with")
	fmt.Fprintln(w, "kzgen trigger. Run 'kzgen hooks <subcommand> -h' for its flags.")
}

func runHooks(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		hooksUsage(stderr)
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		hooksUsage(stdout)
		return 0
	}
	for _, s := range hooksSubcommands {
		if s.name == args[0] {
			return s.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "kzgen hooks: unknown subcommand %q\n", args[0])
	hooksUsage(stderr)
	return 2
}

// hooksFlagSet returns the flag set of a subcommand, with the connection
// flags; Crossbar's URL is -kazoo-url, since add's -url is the hook's.
func hooksFlagSet(sub string, stderr io.Writer, usage, about string) (*flag.FlagSet, *kazooFlags) {
	fl := flag.NewFlagSet("kzgen hooks "+sub, flag.ContinueOnError)
	fl.SetOutput(stderr)
	kz := addKazooFlagsAs(fl, "kazoo-url")
	fl.Usage = func() {
		fmt.Fprintf(stderr, "Usage: kzgen hooks %s\n\n%s\n\n%s\n\nFlags:\n", usage, about, kazooUsage)
		fl.PrintDefaults()
	}
	return fl, kz
}

// hookRow is a webhook as hooks reads it: a listing row (the view has no
// http_verb, format or retries) or a whole document. custom_data is never
// read, so it can never be printed.
type hookRow struct {
	ID                 string `json:"id"`
	Name               string `json:"name"`
	Hook               string `json:"hook"`
	URI                string `json:"uri"`
	HTTPVerb           string `json:"http_verb,omitempty"`
	Format             string `json:"format,omitempty"`
	Retries            *int   `json:"retries,omitempty"`
	IncludeSubaccounts bool   `json:"include_subaccounts,omitempty"`
	Enabled            *bool  `json:"enabled,omitempty"`
	DisableReason      string `json:"disable_reason,omitempty"`
}

// enabled reports whether the hook fires: enabled defaults to true.
func (h hookRow) enabled() bool { return h.Enabled == nil || *h.Enabled }

// label names a hook in messages: ID "name".
func (h hookRow) label() string { return fmt.Sprintf("webhook %s %q", h.ID, h.Name) }

// redactURL returns rawURL with the password of its user info masked, as
// hooks prints every URL.
func redactURL(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "(an unreadable URL)"
	}
	return u.Redacted()
}

// redactPasswords masks in text the user-info passwords of the hooks' URLs.
func redactPasswords(text string, hooks []hookRow) string {
	for _, h := range hooks {
		if u, err := url.Parse(h.URI); err == nil {
			if pass, ok := u.User.Password(); ok && pass != "" {
				text = strings.ReplaceAll(text, pass, "xxxxx")
			}
		}
	}
	return text
}

// listHooks returns every webhook of the account, all pages.
func listHooks(ctx context.Context, c *crossbar.Client) ([]hookRow, error) {
	return crossbar.ListAll[hookRow](ctx, c, webhooksResource, nil)
}

// errNoHook is a reference to no webhook of the account.
var errNoHook = errors.New("no such webhook")

// findHook returns the webhook whose ID, or else whose name, is ref, with
// the whole listing. A name two hooks share is an error asking for the ID.
func findHook(ctx context.Context, c *crossbar.Client, ref string) (hookRow, []hookRow, error) {
	hooks, err := listHooks(ctx, c)
	if err != nil {
		return hookRow{}, nil, err
	}
	if i := slices.IndexFunc(hooks, func(h hookRow) bool { return h.ID == ref }); i >= 0 {
		return hooks[i], hooks, nil
	}
	var named []hookRow
	for _, h := range hooks {
		if h.Name == ref {
			named = append(named, h)
		}
	}
	switch len(named) {
	case 0:
		return hookRow{}, hooks, fmt.Errorf("%w: the account has no webhook with the ID or name %q (kzgen hooks ls lists them)", errNoHook, ref)
	case 1:
		return named[0], hooks, nil
	}
	ids := make([]string, len(named))
	for i, h := range named {
		ids[i] = h.ID
	}
	return hookRow{}, hooks, fmt.Errorf("%w: %d webhooks are named %q (%s): give the ID", errNoHook, len(named), ref, strings.Join(ids, ", "))
}

// hooksFail prints a failure of a subcommand and returns its exit code: 1
// when Crossbar refused the request or the webhook does not exist, 2 when
// Crossbar could not be reached or the login failed.
func hooksFail(stderr io.Writer, sub string, err error, where func(pointer string) string) int {
	if errors.Is(err, errNoHook) {
		fmt.Fprintf(stderr, "kzgen hooks %s: %v\n", sub, err)
		return 1
	}
	printCrossbarError(stderr, "hooks "+sub, err, where)
	if isRefusal(err) {
		return 1
	}
	return 2
}

// noPointer shows a JSON pointer as it is.
func noPointer(pointer string) string { return cmp.Or(pointer, "(document)") }

// ---------------------------------------------------------------------------
// add

const hooksAddAbout = `Subscribes URL to an event: creates a webhook document in the account. Before
sending, it is checked as Crossbar will: the webhooks schema (name, hook, verb,
format, retries 0 to 4, custom_data of strings), and the URL (http or https, not
on Crossbar's client blacklist: localhost, 127.0.0.1, 0.0.0.0); a private address
gets a warning. The event must be one the cluster offers (GET /v2/webhooks), or
"all". A name another webhook of the account has is refused.

custom_data is merged into every payload: put a shared secret there
(-custom-data hook_secret=…) and check it in the receiver (webhook.WithSecret);
its values are never printed. Prefer post: with get the whole payload, secret
included, travels in the URL's query string.

Exit status: 0 created; 1 refused, by the checks or by Crossbar; 2 usage,
configuration or connection error.`

func runHooksAdd(args []string, stdout, stderr io.Writer) int {
	fl, kz := hooksFlagSet("add", stderr, "add -name NAME -hook EVENT -url URL [-verb post] [-format form-data] [-retries 2] [-custom-data k=v,…] [-include-subaccounts]", hooksAddAbout)
	var (
		name        = fl.String("name", "", "the webhook's name (required)")
		event       = fl.String("hook", "", "the event: channel_create, channel_answer, channel_bridge, channel_destroy, object,\nnotifications, parking, … or all (required)")
		uri         = fl.String("url", "", "where Kazoo sends the events: an http or https URL it can reach (required);\nuser:password@ in it becomes basic auth")
		verb        = fl.String("verb", "post", "the HTTP method: get, post or put")
		format      = fl.String("format", "form-data", "the body of a post or put: form-data (form or form-data) or json")
		retries     = fl.Int("retries", 2, "how many times Kazoo tries again when it gets no answer, 0 to 4")
		subaccounts = fl.Bool("include-subaccounts", false, "fire for the events of sub-accounts too")
		custom      stringList
	)
	fl.Var(&custom, "custom-data", "custom_data merged into every payload: k=v,k2=v2 (repeatable); values are never printed")
	if err := fl.Parse(args); err != nil {
		return flagExit(err)
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "kzgen hooks add: "+format+"\n", a...)
		fmt.Fprintln(stderr, "Run 'kzgen hooks add -h' for usage.")
		return 2
	}
	set := map[string]bool{}
	fl.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case fl.NArg() > 0:
		return usageErr("unexpected argument %q", fl.Arg(0))
	case *name == "" || *event == "" || *uri == "":
		return usageErr("-name, -hook and -url are required")
	}
	customData, err := parseCustomData(custom)
	if err != nil {
		return usageErr("-custom-data: %v", err)
	}

	doc := map[string]any{"name": *name, "hook": *event, "uri": *uri, "http_verb": strings.ToLower(*verb), "retries": *retries}
	if *format == "form" {
		*format = "form-data"
	}
	if doc["http_verb"] != "get" {
		doc["format"] = *format
	} else if set["format"] {
		fmt.Fprintln(stderr, "kzgen hooks add: warning: -format: a get carries the payload in the query string; the format is not sent")
	}
	if customData != nil {
		doc["custom_data"] = customData
		if doc["http_verb"] == "get" {
			fmt.Fprintln(stderr, "kzgen hooks add: warning: -verb get puts custom_data, like the whole payload, in the URL's query string, which proxies and Kazoo's attempt log keep: prefer post")
		}
	}
	if *subaccounts {
		doc["include_subaccounts"] = true
	}
	problems, err := checkHook(doc)
	if err != nil {
		fmt.Fprintf(stderr, "kzgen hooks add: %v\n", err)
		return 2
	}
	if len(problems) > 0 {
		fmt.Fprintln(stderr, "kzgen hooks add: Crossbar would refuse the webhook; nothing was sent:")
		for _, p := range problems {
			fmt.Fprintf(stderr, "  %s: %s\n", hookFlag(p.pointer), p.message)
		}
		return 1
	}
	if crossbar.IsPrivateURL(*uri) {
		fmt.Fprintf(stderr, "kzgen hooks add: warning: -url: %s is a private address: many clusters refuse it, and Kazoo's servers reach it only on the same network\n", redactURL(*uri))
	}

	c, err := kz.client(stderr, "hooks add")
	if err != nil {
		fmt.Fprintf(stderr, "kzgen hooks add: %v\n", err)
		return 2
	}
	ctx, stop := commandContext()
	defer stop()
	if offered, err := hookTypes(ctx, c); err != nil {
		fmt.Fprintf(stderr, "kzgen hooks add: warning: could not read the hooks the cluster offers (%v); sending anyway\n", err)
	} else if *event != "all" && !slices.Contains(offered, *event) {
		fmt.Fprintf(stderr, "kzgen hooks add: -hook: this cluster offers no hook %q; it offers %s, and all\n", *event, strings.Join(offered, ", "))
		return 1
	}
	hooks, err := listHooks(ctx, c)
	if err != nil {
		return hooksFail(stderr, "add", err, hookFlag)
	}
	if i := slices.IndexFunc(hooks, func(h hookRow) bool { return h.Name == *name }); i >= 0 {
		fmt.Fprintf(stderr, "kzgen hooks add: -name: the account already has a webhook named %q (%s): remove it (kzgen hooks rm %s) or choose another name\n",
			*name, hooks[i].ID, hooks[i].ID)
		return 1
	}
	data, err := json.Marshal(doc)
	if err == nil {
		data, err = crossbar.Create(ctx, c, webhooksResource, json.RawMessage(data))
	}
	if err != nil {
		return hooksFail(stderr, "add", err, hookFlag)
	}
	var created hookRow
	if err := json.Unmarshal(data, &created); err != nil {
		fmt.Fprintf(stderr, "kzgen hooks add: the webhook was created, but Crossbar's answer does not read: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "created %s: %s → %s %s\n", created.label(), created.Hook, strings.ToUpper(cmp.Or(created.HTTPVerb, "post")), redactURL(created.URI))
	var settings []string
	if created.HTTPVerb != "get" {
		settings = append(settings, "body "+cmp.Or(created.Format, "form-data"))
	}
	if created.Retries != nil {
		settings = append(settings, fmt.Sprintf("%d retries", *created.Retries))
	}
	if created.IncludeSubaccounts {
		settings = append(settings, "sub-accounts included")
	}
	if len(customData) > 0 {
		settings = append(settings, "custom_data "+strings.Join(slices.Sorted(maps.Keys(customData)), ", ")+" (values not shown)")
	}
	fmt.Fprintf(stdout, "  %s\n", strings.Join(settings, "; "))
	return 0
}

// checkHook checks a webhook document as Crossbar will on save: the
// webhooks schema (with kzgen's validator), then the client-URL rule on uri
// (Kazoo's default blacklist). Problems are sorted by pointer, one per
// pointer.
func checkHook(doc map[string]any) ([]localProblem, error) {
	v, err := validate.New(validate.WithBlacklist(&validate.Blacklist{})) // the blacklist is checked below
	if err != nil {
		return nil, fmt.Errorf("building the validator: %w", err)
	}
	data, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	res, err := v.ValidateSchema("webhooks", data)
	if err != nil {
		return nil, err
	}
	var problems []localProblem
	if u, _ := doc["uri"].(string); u != "" {
		if err := kzrt.DefaultBlacklist().CheckURL(u); err != nil {
			problems = append(problems, localProblem{"/uri", err.Error() + "; Kazoo must reach your receiver at a public address (a tunnel, for local development)"})
		}
	}
	for _, p := range res.Problems {
		if !slices.ContainsFunc(problems, func(q localProblem) bool { return q.pointer == p.Pointer }) {
			problems = append(problems, localProblem{p.Pointer, p.Message + " (" + p.Code + ")"})
		}
	}
	slices.SortStableFunc(problems, func(a, b localProblem) int { return strings.Compare(a.pointer, b.pointer) })
	return problems, nil
}

// hookFlag names the add flag that sets the field at a JSON pointer of
// the webhook document.
func hookFlag(pointer string) string {
	field, rest, _ := strings.Cut(strings.TrimPrefix(pointer, "/"), "/")
	name, ok := map[string]string{
		"name": "-name", "hook": "-hook", "uri": "-url", "http_verb": "-verb", "format": "-format",
		"retries": "-retries", "include_subaccounts": "-include-subaccounts", "custom_data": "-custom-data",
	}[field]
	switch {
	case !ok:
		return noPointer(pointer)
	case rest != "":
		return name + " " + rest
	}
	return name
}

// hookTypes returns the IDs of the hooks the cluster offers, from GET
// /v2/webhooks (which needs no token).
func hookTypes(ctx context.Context, c *crossbar.Client) ([]string, error) {
	resp, err := c.Do(ctx, http.MethodGet, "webhooks", nil, nil)
	if err != nil {
		return nil, err
	}
	var rows []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(resp.Data, &rows); err != nil {
		return nil, fmt.Errorf("reading the hook types: %w", err)
	}
	var ids []string
	for _, r := range rows {
		ids = append(ids, r.ID)
	}
	slices.Sort(ids)
	return ids, nil
}

// ---------------------------------------------------------------------------
// ls

const hooksLsAbout = `Lists the account's webhooks: ID, name, event, HTTP method, URL (a password in
it masked), whether enabled, and why Kazoo disabled it. Crossbar's listing has no
method, so each webhook is read once more. custom_data is never shown.`

func runHooksLs(args []string, stdout, stderr io.Writer) int {
	fl, kz := hooksFlagSet("ls", stderr, "ls [-json]", hooksLsAbout)
	asJSON := fl.Bool("json", false, "print the webhooks as one JSON array, for tools")
	if err := fl.Parse(args); err != nil {
		return flagExit(err)
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "kzgen hooks ls: unexpected argument %q\n", fl.Arg(0))
		return 2
	}
	c, err := kz.client(stderr, "hooks ls")
	if err != nil {
		fmt.Fprintf(stderr, "kzgen hooks ls: %v\n", err)
		return 2
	}
	ctx, stop := commandContext()
	defer stop()
	hooks, err := listHooks(ctx, c)
	if err != nil {
		return hooksFail(stderr, "ls", err, noPointer)
	}
	for i, h := range hooks {
		if h.HTTPVerb != "" {
			continue
		}
		doc, err := crossbar.Get[hookRow](ctx, c, webhooksResource, h.ID)
		if err != nil {
			return hooksFail(stderr, "ls", err, noPointer)
		}
		doc.ID, doc.DisableReason = h.ID, cmp.Or(doc.DisableReason, h.DisableReason)
		hooks[i] = doc
	}
	slices.SortStableFunc(hooks, func(a, b hookRow) int { return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID)) })
	for i := range hooks {
		hooks[i].URI = redactURL(hooks[i].URI)
		hooks[i].HTTPVerb = cmp.Or(hooks[i].HTTPVerb, "post")
		if hooks[i].Enabled == nil {
			hooks[i].Enabled = new(true)
		}
	}
	if *asJSON {
		if hooks == nil {
			hooks = []hookRow{}
		}
		out, err := json.MarshalIndent(hooks, "", "  ")
		if err != nil {
			fmt.Fprintf(stderr, "kzgen hooks ls: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "%s\n", out)
		return 0
	}
	if len(hooks) == 0 {
		fmt.Fprintln(stderr, "kzgen hooks ls: the account has no webhooks (kzgen hooks add creates one)")
		return 0
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tHOOK\tVERB\tURL\tENABLED\tDISABLED BECAUSE")
	for _, h := range hooks {
		enabled, reason := "yes", "-"
		if !h.enabled() {
			enabled, reason = "no", cmp.Or(h.DisableReason, "disabled through the API")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", h.ID, dash(h.Name), dash(h.Hook), h.HTTPVerb, h.URI, enabled, reason)
	}
	tw.Flush()
	return 0
}

// ---------------------------------------------------------------------------
// rm

func runHooksRm(args []string, stdout, stderr io.Writer) int {
	fl, kz := hooksFlagSet("rm", stderr, "rm ID|NAME", "Removes a webhook, named by its ID or its name. Its attempt log stays.")
	if err := fl.Parse(args); err != nil {
		return flagExit(err)
	}
	if fl.NArg() != 1 {
		fmt.Fprintln(stderr, "kzgen hooks rm: give one webhook ID or name")
		return 2
	}
	c, err := kz.client(stderr, "hooks rm")
	if err != nil {
		fmt.Fprintf(stderr, "kzgen hooks rm: %v\n", err)
		return 2
	}
	ctx, stop := commandContext()
	defer stop()
	h, _, err := findHook(ctx, c, fl.Arg(0))
	if err == nil {
		err = crossbar.Delete(ctx, c, webhooksResource, h.ID)
	}
	if err != nil {
		return hooksFail(stderr, "rm", err, noPointer)
	}
	fmt.Fprintf(stdout, "removed %s\n", h.label())
	return 0
}

// ---------------------------------------------------------------------------
// reenable

const hooksReenableAbout = `Enables a webhook again. Kazoo disables a hook by itself after 6 failed attempts
within a minute (kzgen hooks attempts shows them); fix the receiver first.

With ID or NAME, sets that webhook's enabled to true, whoever disabled it. With
-all, asks Kazoo to re-enable every webhook of the account it disabled itself
(PATCH /webhooks {"re-enable": true}); webhooks disabled through the API stay
disabled. Kazoo's webhooks app applies it in the background: kzgen hooks ls
shows when.`

func runHooksReenable(args []string, stdout, stderr io.Writer) int {
	fl, kz := hooksFlagSet("reenable", stderr, "reenable ID|NAME\n       kzgen hooks reenable -all", hooksReenableAbout)
	all := fl.Bool("all", false, "re-enable every webhook Kazoo disabled")
	if err := fl.Parse(args); err != nil {
		return flagExit(err)
	}
	switch {
	case *all && fl.NArg() > 0:
		fmt.Fprintln(stderr, "kzgen hooks reenable: give ID, NAME or -all, not several")
		return 2
	case !*all && fl.NArg() != 1:
		fmt.Fprintln(stderr, "kzgen hooks reenable: give one webhook ID or name, or -all")
		return 2
	}
	c, err := kz.client(stderr, "hooks reenable")
	if err != nil {
		fmt.Fprintf(stderr, "kzgen hooks reenable: %v\n", err)
		return 2
	}
	ctx, stop := commandContext()
	defer stop()
	if *all {
		return reenableAll(ctx, c, stdout, stderr)
	}
	h, _, err := findHook(ctx, c, fl.Arg(0))
	if err != nil {
		return hooksFail(stderr, "reenable", err, noPointer)
	}
	if h.enabled() {
		fmt.Fprintf(stdout, "%s is enabled already\n", h.label())
		return 0
	}
	if _, err := crossbar.Patch[hookRow](ctx, c, webhooksResource, h.ID, map[string]any{"enabled": true}); err != nil {
		return hooksFail(stderr, "reenable", err, noPointer)
	}
	why := "it had been disabled through the API"
	if h.DisableReason != "" {
		why = "Kazoo had disabled it: " + h.DisableReason
	}
	fmt.Fprintf(stdout, "re-enabled %s (%s)\n", h.label(), why)
	return 0
}

// reenableAll asks Kazoo to re-enable the webhooks it disabled, and says
// which they are and which disabled ones stay so.
func reenableAll(ctx context.Context, c *crossbar.Client, stdout, stderr io.Writer) int {
	hooks, err := listHooks(ctx, c)
	if err != nil {
		return hooksFail(stderr, "reenable", err, noPointer)
	}
	var byKazoo, byHand []string
	for _, h := range hooks {
		switch {
		case h.enabled():
		case h.DisableReason != "":
			byKazoo = append(byKazoo, fmt.Sprintf("%s %q (%s)", h.ID, h.Name, h.DisableReason))
		default:
			byHand = append(byHand, fmt.Sprintf("%s %q", h.ID, h.Name))
		}
	}
	if len(byKazoo) == 0 {
		fmt.Fprintln(stdout, "no webhook of the account was disabled by Kazoo: nothing to re-enable")
	} else {
		account, err := c.AccountID(ctx)
		if err == nil {
			_, err = c.Do(ctx, http.MethodPatch, "accounts/"+account+"/"+string(webhooksResource), nil, map[string]any{"re-enable": true})
		}
		if err != nil {
			return hooksFail(stderr, "reenable", err, noPointer)
		}
		fmt.Fprintf(stdout, "asked Kazoo to re-enable the %d webhook(s) it disabled:\n", len(byKazoo))
		for _, h := range byKazoo {
			fmt.Fprintf(stdout, "  %s\n", h)
		}
	}
	if len(byHand) > 0 {
		fmt.Fprintln(stdout, "disabled through the API, so left disabled (kzgen hooks reenable ID enables one):")
		for _, h := range byHand {
			fmt.Fprintf(stdout, "  %s\n", h)
		}
	}
	return 0
}

// ---------------------------------------------------------------------------
// attempts

const hooksAttemptsAbout = `Reads Kazoo's attempt log of the account's webhooks, or of one (ID or NAME), newest
first, over the last 31 days: when, which hook, success or failure, and why (the
receiver's status, or the HTTP client's error when no answer came). Kazoo logs
every failed attempt, and successful ones only when its log_successful_attempts
is set. The request bodies and custom_data the log keeps are never shown.`

// hookAttempt is a row of the attempt log: the fields attempts prints.
type hookAttempt struct {
	HookID      string             `json:"hook_id"`
	Result      string             `json:"result"`
	Reason      string             `json:"reason"`
	StatusCode  jsonText           `json:"resp_status_code"`
	ClientError jsonText           `json:"client_error"`
	RetriesLeft jsonText           `json:"retries_left"`
	Timestamp   crossbar.Timestamp `json:"timestamp"`
}

// jsonText is a JSON string or number, as its text: Kazoo writes some
// attempt fields either way (retries_left is a count, or "retries
// exceeded").
type jsonText string

// UnmarshalJSON reads a string, a number or null.
func (t *jsonText) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err == nil {
		*t = jsonText(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(data, &n); err == nil {
		*t = jsonText(n.String())
		return nil
	}
	if string(data) == "null" {
		return nil
	}
	*t = jsonText(data) // an object or list, kept as JSON
	return nil
}

func runHooksAttempts(args []string, stdout, stderr io.Writer) int {
	fl, kz := hooksFlagSet("attempts", stderr, "attempts [ID|NAME]", hooksAttemptsAbout)
	if err := fl.Parse(args); err != nil {
		return flagExit(err)
	}
	if fl.NArg() > 1 {
		fmt.Fprintln(stderr, "kzgen hooks attempts: give at most one webhook ID or name")
		return 2
	}
	c, err := kz.client(stderr, "hooks attempts")
	if err != nil {
		fmt.Fprintf(stderr, "kzgen hooks attempts: %v\n", err)
		return 2
	}
	ctx, stop := commandContext()
	defer stop()
	var (
		hooks  []hookRow
		target *hookRow // the hook asked for, if any
	)
	resource := webhooksResource + "/attempts"
	if fl.NArg() == 1 {
		var h hookRow
		h, hooks, err = findHook(ctx, c, fl.Arg(0))
		target = &h
		resource = webhooksResource + "/" + crossbar.Resource(url.PathEscape(h.ID)) + "/attempts"
	} else {
		hooks, err = listHooks(ctx, c)
	}
	if err != nil {
		return hooksFail(stderr, "attempts", err, noPointer)
	}
	attempts, err := crossbar.ListAll[hookAttempt](ctx, c, resource, nil)
	if err != nil {
		return hooksFail(stderr, "attempts", err, noPointer)
	}
	names := map[string]string{}
	for _, h := range hooks {
		names[h.ID] = h.Name
	}
	if len(attempts) == 0 {
		fmt.Fprintln(stderr, "kzgen hooks attempts: no delivery attempt in the log")
	} else {
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "TIME (UTC)\tHOOK\tRESULT\tWHY\tRETRIES LEFT")
		for _, a := range attempts {
			when := "-"
			if !a.Timestamp.IsZero() {
				when = a.Timestamp.UTC().Format("2006-01-02 15:04:05")
			}
			why := a.Reason
			if a.StatusCode != "" {
				why = strings.TrimPrefix(why+": status "+string(a.StatusCode), ": ")
			}
			if a.ClientError != "" {
				why = strings.TrimPrefix(why+": "+string(a.ClientError), ": ")
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", when, cmp.Or(names[a.HookID], a.HookID), dash(a.Result),
				dash(redactPasswords(why, hooks)), dash(string(a.RetriesLeft)))
		}
		tw.Flush()
	}
	for _, h := range hooks {
		if !h.enabled() && h.DisableReason != "" && (target == nil || h.ID == target.ID) {
			fmt.Fprintf(stdout, "%s is disabled: %s; once the receiver answers 200, run: kzgen hooks reenable %s\n",
				h.label(), h.DisableReason, h.ID)
		}
	}
	return 0
}
