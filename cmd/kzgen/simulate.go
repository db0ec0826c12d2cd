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
	fmt.Fprintln(w, "follow-up requests, with collected digits as Digits[name].")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Digits: menu and collect_dtmf nodes take the next -digits entry (\"1,42#,9\": one")
	fmt.Fprintln(w, "entry per prompt; # ends an entry; an empty entry is a timeout). Without -digits,")
	fmt.Fprintln(w, "a terminal is asked (prompts on stderr); otherwise every prompt times out.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Bridges (user, device, group, ring_group, resources, offnet, …) end as -bridge says:")
	fmt.Fprintln(w, "answered ends the walk; busy tries the children \"USER_BUSY\" then \"sip:486\";")
	fmt.Fprintln(w, "no-answer tries \"NO_ANSWER\" then \"sip:480\"; then \"_\" (resources and offnet end")
	fmt.Fprintln(w, "the call instead).")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Exit status: 0 the call completes (hangup, bridged, handed over, or the flow runs")
	fmt.Fprintln(w, "out of nodes, after which Kazoo hangs up); 1 a Pivot failure ends the call (bad")
	fmt.Fprintln(w, "status, Content-Type, JSON or schema, timeout with nothing to fall back to), the")
	fmt.Fprintln(w, "server answers TwiML (not simulated), or a loop limit is hit; 2 usage error.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Flags:")
	fl.PrintDefaults()
}

func runSimulate(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("kzgen simulate", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() { simulateUsage(stderr, fl) }
	var (
		voiceURL   = fl.String("url", "", "voice_url of the first request (required)")
		method     = fl.String("method", "get", "method of the first request: get or post (cf_pivot's default is get)")
		body       = fl.String("body", "form", "POST body of the first request: form or json")
		format     = fl.String("format", "kazoo", "parameter names of the first request: kazoo or twiml (a pivot node without req_format sends twiml)")
		timeout    = fl.Duration("timeout", simulate.DefaultTimeout, "req_timeout_ms of the first request (Kazoo's default 5s, schema maximum 5s)")
		from       = fl.String("from", "1001", "caller: From and caller ID number")
		to         = fl.String("to", "2000", "number called: To and Request")
		callerName = fl.String("caller-name", "", "caller ID name (default: the -from number)")
		account    = fl.String("account", "0123456789abcdef0123456789abcdef", "Account-ID")
		realm      = fl.String("realm", "sip.example.com", "From-Realm, To-Realm and Request-Realm")
		callID     = fl.String("call-id", "", "Call-ID (default: random), the same in every request")
		language   = fl.String("language", "", "Language sent with kazoo names, when set")
		digits     = fl.String("digits", "", "the caller's entries, one per prompt, comma-separated, e.g. 1,42#,9")
		bridge     = fl.String("bridge", "answered", "outcome of every bridge: answered, busy or no-answer")
		asJSON     = fl.Bool("json", false, "print the transcript as JSON lines, one event per line")
		userIDs    stringList
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
		URL:     *voiceURL,
		Method:  *method,
		Timeout: *timeout,
		Call: simulate.Call{
			CallID: *callID, AccountID: *account, From: *from, To: *to, Realm: *realm,
			CallerIDName: *callerName, UserIDs: userIDs, Language: *language,
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
	outcome, err := simulate.ParseBridgeOutcome(*bridge)
	if err != nil {
		return usageErr("-bridge: %v", err)
	}
	cfg.Bridge = outcome

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
