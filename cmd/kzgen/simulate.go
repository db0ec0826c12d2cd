package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	_ "time/tzdata" // temporal_route timezones where the system has no zoneinfo database

	"github.com/kzgen/kzgen/internal/simulate"
	"github.com/kzgen/kzgen/runtime/wire"
)

// stringList is a repeatable string flag.
type stringList []string

// String returns the values, comma-separated.
func (s *stringList) String() string { return strings.Join(*s, ",") }

// Set adds one value.
func (s *stringList) Set(v string) error {
	*s = append(*s, v)
	return nil
}

// simulateKeyboard returns the digit source for a person at a terminal,
// or nil when standard input is not one. Tests replace it.
var simulateKeyboard = func(prompts io.Writer) simulate.DigitSource {
	fi, err := os.Stdin.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return simulate.NewKeyboard(os.Stdin, prompts)
}

func simulateUsage(w io.Writer, fl *flag.FlagSet) {
	fmt.Fprintln(w, "Usage: kzgen simulate -url URL [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Plays Kazoo's part against a pivot server, offline: sends the Pivot request Kazoo")
	fmt.Fprintln(w, "would send, reads the answer by Kazoo's rules (status 200, Content-Type")
	fmt.Fprintln(w, "application/json, valid JSON, valid callflow schema) and walks the callflow node")
	fmt.Fprintln(w, "by node, printing what Kazoo would do. Pivot nodes met on the way make their")
	fmt.Fprintln(w, "follow-up requests, with collected digits as Digits[name]. Answers are checked")
	fmt.Fprintln(w, "against the embedded callflow schemas, or a Kazoo schema directory (-schemas),")
	fmt.Fprintln(w, "whose custom modules are then accepted and walked (\"_\" after each).")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Digits: menu and collect_dtmf nodes take the next -digits entry (\"1,42#,9\": one")
	fmt.Fprintln(w, "entry per prompt; # ends an entry; an empty entry is a timeout). Without -digits,")
	fmt.Fprintln(w, "a terminal is asked (prompts on stderr); otherwise every prompt times out.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Call attempts (user, device, group, ring_group and its repeats, route_to_cid,")
	fmt.Fprintln(w, "page_group, hotdesk, resources, offnet) end as -bridge says, one outcome per")
	fmt.Fprintln(w, "attempt, the last repeating: answered; a hangup cause (USER_BUSY, or by name:")
	fmt.Fprintf(w, "%s) with its usual SIP code; a SIP code (sip:486) with its\n", strings.Join(simulate.CauseWords(), ", "))
	fmt.Fprintln(w, "usual cause; or both (USER_BUSY/sip:486). Kazoo tries the child named after the")
	fmt.Fprintln(w, "cause, then the one named after the code, then \"_\" (resources and offnet stop")
	fmt.Fprintln(w, "the call instead).")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "temporal_route: -temporal KEY makes that rule (an ID, or rule_set) active, or none;")
	fmt.Fprintln(w, "otherwise the rule documents of -rules FILE (temporal_rules and temporal_rules_sets,")
	fmt.Fprintln(w, "as Crossbar returns them) are evaluated at -at TIME (default now). cidlistmatch:")
	fmt.Fprintln(w, "-cidlist match or nomatch. check_cid runs its regex on the caller ID number.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Exit status: 0 the call completes (hangup, bridged, handed over, or the flow runs")
	fmt.Fprintln(w, "out of nodes, after which Kazoo hangs up); 1 a Pivot failure ends the call (bad")
	fmt.Fprintln(w, "status, Content-Type, JSON or schema, timeout with nothing to fall back to), the")
	fmt.Fprintln(w, "server answers TwiML (not simulated), or a limit is hit (a loop, an answer over")
	fmt.Fprintln(w, "4 MiB); 2 usage error.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Flags:")
	fl.PrintDefaults()
}

func runSimulate(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("kzgen simulate", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() { simulateUsage(stderr, fl) }
	var (
		voiceURL     = fl.String("url", "", "voice_url of the first request (required)")
		method       = fl.String("method", "get", "method of the first request: get or post (cf_pivot's default is get)")
		body         = fl.String("body", "form", "POST body of the first request: form or json")
		format       = fl.String("format", "kazoo", "parameter names of the first request: kazoo or twiml (a pivot node without req_format sends twiml)")
		timeout      = fl.Duration("timeout", simulate.DefaultTimeout, "req_timeout_ms of the first request (Kazoo's default 5s, schema maximum 5s)")
		schemaDir    = fl.String("schemas", "", "check answers against the Kazoo schema directory `DIR` (custom modules included) instead of the embedded callflow schemas")
		from         = fl.String("from", "1001", "caller: From, and the caller ID number unless -caller-number is set")
		callerNumber = fl.String("caller-number", "", "caller ID number, which check_cid tests (default: the -from number)")
		to           = fl.String("to", "2000", "number called: To and Request")
		callerName   = fl.String("caller-name", "", "caller ID name (default: the -from number)")
		account      = fl.String("account", "0123456789abcdef0123456789abcdef", "Account-ID")
		realm        = fl.String("realm", "sip.example.com", "From-Realm, To-Realm and Request-Realm")
		callID       = fl.String("call-id", "", "Call-ID (default: random), the same in every request")
		language     = fl.String("language", "", "Language sent with kazoo names, when set")
		digits       = fl.String("digits", "", "the caller's entries, one per prompt, comma-separated, e.g. 1,42#,9")
		bridge       = fl.String("bridge", "answered", "outcomes of the call attempts, comma-separated, the last repeating: answered, busy, no-answer, USER_BUSY, sip:486, USER_BUSY/sip:486, …")
		temporal     = fl.String("temporal", "", "temporal_route: the rule `KEY` that is active (a rule or rule-set ID, rule_set), or none")
		rulesFile    = fl.String("rules", "", "temporal rule and rule-set documents (JSON) for temporal_route, evaluated at -at")
		at           = fl.String("at", "", "the time temporal rules are evaluated at: RFC 3339 (2024-03-12T09:30:00-08:00), or 2024-03-12T09:30 read in each node's timezone (default now)")
		cidList      = fl.String("cidlist", "nomatch", "cidlistmatch: whether the caller ID is on the list, match or nomatch")
		asJSON       = fl.Bool("json", false, "print the transcript as JSON lines, one event per line")
		userIDs      stringList
	)
	fl.Var(&userIDs, "user-id", "User-ID, the caller's owner (repeatable)")
	if err := fl.Parse(args); err != nil {
		return flagExit(err)
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "kzgen simulate: "+format+"\n", a...)
		fmt.Fprintln(stderr, "Run 'kzgen simulate -h' for usage.")
		return 2
	}
	if fl.NArg() > 0 {
		return usageErr("unexpected argument %q", fl.Arg(0))
	}
	if *voiceURL == "" {
		return usageErr("-url is required")
	}
	cfg := simulate.Config{
		URL:      *voiceURL,
		Method:   *method,
		Timeout:  *timeout,
		Temporal: *temporal,
		Call: simulate.Call{
			CallID: *callID, AccountID: *account, From: *from, To: *to, Realm: *realm,
			CallerIDName: *callerName, CallerIDNumber: *callerNumber, UserIDs: userIDs, Language: *language,
		},
	}
	if err := simulate.CheckURL(*voiceURL); err != nil {
		return usageErr("-url: %v", err)
	}
	switch strings.ToLower(*method) {
	case "get", "post":
	default:
		return usageErr("-method %q: want get or post", *method)
	}
	switch *body {
	case "form":
		cfg.BodyFormat = wire.BodyForm
	case "json":
		cfg.BodyFormat = wire.BodyJSON
	default:
		return usageErr("-body %q: want form or json", *body)
	}
	switch *format {
	case "kazoo":
		cfg.Format = wire.FormatKazoo
	case "twiml":
		cfg.Format = wire.FormatTwiML
	default:
		return usageErr("-format %q: want kazoo or twiml", *format)
	}
	if *timeout <= 0 {
		return usageErr("-timeout %v: must be positive", *timeout)
	}
	bridges, err := simulate.ParseBridges(*bridge)
	if err != nil {
		return usageErr("-bridge: %v", err)
	}
	cfg.Bridges = bridges
	switch *cidList {
	case "match", "nomatch":
		cfg.CIDListMatch = *cidList == "match"
	default:
		return usageErr("-cidlist %q: want match or nomatch", *cidList)
	}
	if *at != "" {
		if cfg.At, cfg.AtWallClock, err = parseAt(*at); err != nil {
			return usageErr("-at: %v", err)
		}
	}
	if *rulesFile != "" {
		data, err := os.ReadFile(*rulesFile)
		if err != nil {
			return usageErr("-rules: %v", err)
		}
		if cfg.Rules, err = simulate.ReadTemporalRules(data); err != nil {
			return usageErr("-rules %s: %v", *rulesFile, err)
		}
	}
	if *schemaDir != "" {
		fsys, name, err := schemaDirFS("-schemas", *schemaDir)
		if err != nil {
			return usageErr("%v", err)
		}
		if cfg.Schemas, err = simulate.LoadSchemas(fsys, name); err != nil {
			fmt.Fprintf(stderr, "kzgen simulate: -schemas: %v\n", err)
			return 1
		}
	}

	digitsSet := false
	fl.Visit(func(f *flag.Flag) { digitsSet = digitsSet || f.Name == "digits" })
	if digitsSet {
		entries, err := simulate.ParseEntries(*digits)
		if err != nil {
			return usageErr("-digits: %v", err)
		}
		cfg.Digits = simulate.NewEntries(entries...)
	} else if kb := simulateKeyboard(stderr); kb != nil {
		cfg.Digits = kb
	}

	var writeErr error
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	cfg.OnEvent = func(ev simulate.Event) {
		if writeErr != nil {
			return
		}
		if *asJSON {
			writeErr = enc.Encode(ev)
		} else {
			_, writeErr = io.WriteString(stdout, simulate.FormatText(ev))
		}
	}

	res, err := simulate.Run(context.Background(), cfg)
	switch {
	case errors.Is(err, simulate.ErrConfig):
		return usageErr("%v", err)
	case err != nil:
		fmt.Fprintf(stderr, "kzgen simulate: %v\n", err)
		return 1
	case writeErr != nil:
		fmt.Fprintf(stderr, "kzgen simulate: writing the transcript: %v\n", writeErr)
		return 1
	case res.Outcome.Failed():
		return 1
	}
	return 0
}

// parseAt reads -at: an RFC 3339 time, or a date and clock time without
// zone (wallClock: read in each temporal_route's own timezone).
func parseAt(s string) (t time.Time, wallClock bool, err error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, false, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true, nil
		}
	}
	return time.Time{}, false, fmt.Errorf("%q: want 2024-03-12T09:30:00-08:00 or 2024-03-12T09:30", s)
}
