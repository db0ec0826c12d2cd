// Command say-hi greets each caller by name, or by number when the caller ID
// has no name, with text-to-speech, then hangs up.
//
//	go run ./examples/say-hi -addr 127.0.0.1:8080
//
// In Kazoo, point a callflow's pivot node at it:
//
//	{"module": "pivot", "data": {"voice_url": "https://pivot.example.com/", "req_format": "kazoo"}}
package main

import (
	"context"
	"flag"
	"log/slog"
	"net/http"
	"strings"
	"unicode"

	"github.com/kzgen/kzgen/examples/internal/serve"
	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/pivot"
)

func main() {
	voice := flag.String("voice", "female", "tts voice")
	serve.Main("say-hi", func(log *slog.Logger) (http.Handler, error) {
		return newHandler(*voice, log), nil
	})
}

func newHandler(voice string, log *slog.Logger) http.Handler {
	return pivot.Handler(func(ctx context.Context, r *pivot.Request) (callflow.Builder, error) {
		return callflow.TTS(greeting(r)).Voice(voice).Then(callflow.Hangup()), nil
	}, pivot.WithLogger(log))
}

// greeting uses the caller ID name when it is a name, else the number read
// digit by digit.
func greeting(r *pivot.Request) string {
	name := clean(r.CallerIDName)
	switch {
	case name != "" && !isPhoneNumber(name):
		return "Hi " + name + "! Thanks for calling."
	case r.CallerIDNumber != "":
		return "Hi! You are calling from " + spell(r.CallerIDNumber) + "."
	}
	return "Hi there! Thanks for calling."
}

// clean keeps printable characters and at most 50 of them: caller ID names
// come from the network, and tts text is limited to 1000 characters.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsPrint(r) {
			return r
		}
		return -1
	}, s)
	if r := []rune(strings.TrimSpace(s)); len(r) > 50 {
		return string(r[:50])
	}
	return strings.TrimSpace(s)
}

func isPhoneNumber(s string) bool {
	return strings.Trim(s, "+0123456789 -().") == ""
}

// spell reads a number digit by digit: "+1555" gives "plus 1 5 5 5".
func spell(number string) string {
	var words []string
	for _, c := range number {
		switch {
		case c == '+':
			words = append(words, "plus")
		case '0' <= c && c <= '9' || c == '*' || c == '#':
			words = append(words, string(c))
		}
	}
	return strings.Join(words, " ")
}
