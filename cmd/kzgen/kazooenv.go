package main

// What the commands that talk to Kazoo (deploy, ls, debug) share: the
// Crossbar connection from flags and the environment, the token cache,
// progress on stderr, and how Crossbar's refusals are printed.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"

	"github.com/kzgen/kzgen/runtime/crossbar"
)

// tokenCacheDir is where Crossbar tokens are kept between runs; tests
// replace it.
var tokenCacheDir = crossbar.DefaultTokenCacheDir

// kazooFlags are the connection flags of deploy, ls and debug. Secrets
// (the API key, the password) come from the environment only: flags show
// in process listings.
type kazooFlags struct {
	url, accountID, username, accountName string
	verbose                               bool
	urlFlag                               string // the name of the flag that sets url
}

func addKazooFlags(fl *flag.FlagSet) *kazooFlags { return addKazooFlagsAs(fl, "url") }

// addKazooFlagsAs is addKazooFlags with Crossbar's base URL under the flag
// urlFlag, for commands whose own -url means something else.
func addKazooFlagsAs(fl *flag.FlagSet, urlFlag string) *kazooFlags {
	k := &kazooFlags{urlFlag: urlFlag}
	fl.StringVar(&k.url, urlFlag, "", "Crossbar's base URL, e.g. https://kazoo.example.com:8443 (default $"+crossbar.EnvURL+")")
	fl.StringVar(&k.accountID, "account-id", "", "account to work on (default $"+crossbar.EnvAccountID+", else the credentials' account)")
	fl.StringVar(&k.username, "username", "", "log in as this user, with $"+crossbar.EnvPassword+" (default $"+crossbar.EnvUsername+" when $"+crossbar.EnvAPIKey+" is unset)")
	fl.StringVar(&k.accountName, "account-name", "", "the user's account name (default $"+crossbar.EnvAccountName+")")
	fl.BoolVar(&k.verbose, "v", false, "show every request on stderr")
	return k
}

// kazooUsage explains the connection settings, for the commands' -h.
const kazooUsage = `Connection: flags, or the environment:
  ` + crossbar.EnvURL + `          Crossbar's base URL (https://kazoo.example.com:8443)
  ` + crossbar.EnvAccountID + `   the account to work on (optional with an API key)
  ` + crossbar.EnvAPIKey + `      the account's API key, or else a user's credentials:
  ` + crossbar.EnvUsername + `, ` + crossbar.EnvPassword + `, ` + crossbar.EnvAccountName + `
Secrets are read from the environment only. The token is cached, mode 0600, in
the user's cache directory until it expires: a login costs 35 of Crossbar's 100
rate-limit tokens.`

// client builds the Crossbar client the flags and environment describe,
// logging progress to stderr prefixed with the command's name.
func (k *kazooFlags) client(stderr io.Writer, command string) (*crossbar.Client, error) {
	cfg := crossbar.ConfigFromEnv()
	if k.url != "" {
		cfg.BaseURL = k.url
	}
	if cfg.BaseURL == "" {
		return nil, fmt.Errorf("no Crossbar URL: set -%s or %s", k.urlFlag, crossbar.EnvURL)
	}
	if k.accountID != "" {
		cfg.AccountID = k.accountID
	}
	if k.username != "" || k.accountName != "" {
		user, _ := cfg.Credentials.(crossbar.UserCredentials)
		if k.username != "" {
			user = crossbar.UserCredentials{Username: k.username, Password: os.Getenv(crossbar.EnvPassword), AccountName: os.Getenv(crossbar.EnvAccountName)}
		}
		if k.accountName != "" {
			user.AccountName = k.accountName
		}
		cfg.Credentials = user
	}
	if cfg.Credentials == nil {
		return nil, fmt.Errorf("no credentials: set %s, or %s and %s with %s (or -account-name)",
			crossbar.EnvAPIKey, crossbar.EnvUsername, crossbar.EnvPassword, crossbar.EnvAccountName)
	}
	if dir, err := tokenCacheDir(); err == nil {
		cfg.TokenCache = crossbar.FileTokenCache{Dir: dir}
	}
	level := slog.LevelInfo
	if k.verbose {
		level = slog.LevelDebug
	}
	cfg.Logger = slog.New(&progressHandler{w: stderr, prefix: "kzgen " + command, level: level})
	return crossbar.New(cfg)
}

// commandContext is cancelled by Ctrl-C, so that a long listing or a
// rate-limit wait stops at once.
func commandContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt)
}

// progressHandler prints log records as "command: message key=value" lines.
// Values go through slog's LogValuer, which the client's credentials and
// tokens use to show no secret.
type progressHandler struct {
	w      io.Writer
	prefix string
	level  slog.Level
	attrs  []slog.Attr
}

func (h *progressHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level }

func (h *progressHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(h.prefix + ": " + r.Message)
	write := func(a slog.Attr) bool {
		fmt.Fprintf(&b, " %s=%s", a.Key, a.Value.Resolve())
		return true
	}
	for _, a := range h.attrs {
		write(a)
	}
	r.Attrs(write)
	b.WriteString("\n")
	_, err := io.WriteString(h.w, b.String())
	return err
}

func (h *progressHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	c := *h
	c.attrs = append(append([]slog.Attr(nil), h.attrs...), attrs...)
	return &c
}

func (h *progressHandler) WithGroup(string) slog.Handler { return h }

// printCrossbarError prints err for command. A refusal of the document
// sent gets one line per validation problem, located by where (a JSON
// pointer of the document → where the user wrote it), and one per number
// used elsewhere, with the callflow that has it. Other errors (a refused
// login among them) print as they are.
func printCrossbarError(w io.Writer, command string, err error, where func(pointer string) string) {
	for _, e := range flatten(err) {
		ce, isCrossbar := e.(*crossbar.Error)
		if !isCrossbar {
			if line, ok := describeTyped(e, where); ok {
				fmt.Fprintf(w, "kzgen %s: %s\n", command, line)
			} else {
				fmt.Fprintf(w, "kzgen %s: %v\n", command, e)
			}
			continue
		}
		if len(ce.Problems) == 0 {
			fmt.Fprintf(w, "kzgen %s: %v\n", command, ce)
		} else {
			fmt.Fprintf(w, "kzgen %s: Crossbar refused it (%d %s, request %s):\n", command, ce.StatusCode, ce.Message, ce.RequestID)
			for _, p := range ce.Problems {
				if p.Code == "unique" && (p.Pointer == "/numbers" || p.Pointer == "/patterns") {
					continue // described below, with the callflow that has the number
				}
				fmt.Fprintf(w, "  %s: %s (%s)\n", where(p.Pointer), p.Message, p.Code)
			}
		}
		for _, t := range ce.Unwrap() {
			if line, ok := describeTyped(t, where); ok {
				fmt.Fprintf(w, "  %s\n", line)
			}
		}
	}
}

// describeTyped words a number already in use, or numbers of another
// account, at the place the user wrote them.
func describeTyped(err error, where func(pointer string) string) (string, bool) {
	var taken *crossbar.NumberTakenError
	var owned *crossbar.NumbersNotOwnedError
	switch {
	case errors.As(err, &taken):
		return fmt.Sprintf("%s: %s; remove it there, or deploy under that callflow's name", where(taken.Pointer), taken), true
	case errors.As(err, &owned):
		return fmt.Sprintf("%s: %s", where("/numbers"), owned), true
	}
	return "", false
}

// flatten splits errors joined with errors.Join.
func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		if _, isCrossbar := err.(*crossbar.Error); !isCrossbar {
			var out []error
			for _, e := range j.Unwrap() {
				out = append(out, flatten(e)...)
			}
			return out
		}
	}
	return []error{err}
}
