// Command play-mp3 plays an MP3 from a URL to every caller, then hangs up.
//
//	go run ./examples/play-mp3 -addr 127.0.0.1:8080 -media https://media.example.com/welcome.mp3
//
// Kazoo fetches the media itself, so the URL must be reachable from Kazoo's
// media servers.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/kzgen/kzgen/examples/internal/serve"
	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/runtime/pivot"
)

func main() {
	media := flag.String("media", "https://media.example.com/welcome.mp3", "http(s) URL of the MP3 to play")
	serve.Main("play-mp3", func(log *slog.Logger) (http.Handler, error) {
		return newHandler(*media, log)
	})
}

func newHandler(mediaURL string, log *slog.Logger) (http.Handler, error) {
	if u, err := url.Parse(mediaURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("-media %q: want an http or https URL", mediaURL)
	}
	return pivot.Handler(func(ctx context.Context, r *pivot.Request) (callflow.Builder, error) {
		return callflow.Play().ID(mediaURL).Answer(true).Then(callflow.Hangup()), nil
	}, pivot.WithLogger(log)), nil
}
