// Package serve is the command-line boilerplate the examples share: flags,
// slog logging and an access log around pivot.Serve, which provides the
// hardened server (timeouts, header bound, graceful shutdown on SIGINT or
// SIGTERM).
package serve

import (
	"context"
	"flag"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/kzgen/kzgen/runtime/pivot"
)

var (
	addr      = flag.String("addr", "127.0.0.1:8080", "listen address")
	publicURL = flag.String("public-url", "", "URL at which Kazoo reaches this server, for follow-up requests (default http://ADDR)")
	verbose   = flag.Bool("v", false, "log at debug level")
)

// PublicURL returns the -public-url flag, or http://ADDR when it is unset.
// Call it after flag parsing, i.e. inside the function given to Main.
func PublicURL() string {
	if *publicURL != "" {
		return *publicURL
	}
	return "http://" + *addr
}

// Main parses the command line (define example flags before calling it),
// builds the handler with newHandler, and serves it on -addr until SIGINT or
// SIGTERM, then shuts down gracefully. It exits the process on error.
func Main(name string, newHandler func(log *slog.Logger) (http.Handler, error)) {
	flag.Parse()
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})).With("app", name)
	slog.SetDefault(log)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, log, newHandler); err != nil {
		log.Error("exiting", "error", err)
		stop()
		os.Exit(1)
	}
}

func run(ctx context.Context, log *slog.Logger, newHandler func(*slog.Logger) (http.Handler, error)) error {
	h, err := newHandler(log)
	if err != nil {
		return err
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", *addr)
	if err != nil {
		return err
	}
	return Serve(ctx, ln, h, log)
}

// Serve serves h on ln with pivot.Serve, behind pivot.AccessLog, until ctx
// is done.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) error {
	return pivot.Serve(ctx, ln, pivot.AccessLog(log)(h), pivot.WithLogger(log))
}
