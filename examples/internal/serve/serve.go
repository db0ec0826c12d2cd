// Package serve is the server boilerplate the examples share: command-line
// flags, slog logging, an access log, http.Server timeouts and graceful
// shutdown on SIGINT or SIGTERM.
package serve

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

var (
	addr      = flag.String("addr", "127.0.0.1:8080", "listen address")
	publicURL = flag.String("public-url", "", "URL at which Kazoo reaches this server, for follow-up requests (default http://ADDR)")
	verbose   = flag.Bool("v", false, "log at debug level")
)

// Timeouts of the http.Server. Kazoo gives up on a Pivot request after
// req_timeout_ms, 5 s by default and at most, so nothing here needs longer.
const (
	ReadHeaderTimeout = 2 * time.Second
	ReadTimeout       = 5 * time.Second
	WriteTimeout      = 10 * time.Second
	IdleTimeout       = 60 * time.Second
	ShutdownTimeout   = 10 * time.Second
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

	if err := run(log, newHandler); err != nil {
		log.Error("exiting", "error", err)
		os.Exit(1)
	}
}

func run(log *slog.Logger, newHandler func(*slog.Logger) (http.Handler, error)) error {
	h, err := newHandler(log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Run(ctx, NewServer(AccessLog(log, h), log), ln, log)
}

// NewServer returns an http.Server for h with the package's timeouts and
// errors logged through log.
func NewServer(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    64 << 10, // a GET carries every parameter in its URL
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// Run serves srv on ln until ctx is done, then shuts it down, waiting up to
// ShutdownTimeout for requests in flight.
func Run(ctx context.Context, srv *http.Server, ln net.Listener, log *slog.Logger) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String())

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// AccessLog logs each request's method, path, status and duration. It never
// logs the query string: with GET it holds every call parameter, and it may
// hold a token or a continuation.
func AccessLog(log *slog.Logger, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, r)
		log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", sw.status),
			slog.Duration("duration", time.Since(start)),
			slog.String("remote", r.RemoteAddr),
		)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

// WriteHeader records the status code and passes it on.
func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap returns the underlying error.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
