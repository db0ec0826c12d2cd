// Package serve is the command-line boilerplate the examples share: flags,
// slog logging to stderr (buffered, flushed every 100 ms and at exit) and
// pivot.AccessLog around pivot.Serve, which provides the hardened server
// (timeouts, header bound, graceful shutdown on SIGINT or SIGTERM).
package serve

import (
	"bufio"
	"context"
	"flag"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

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
	out := newLogWriter(os.Stderr)
	log := slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: level})).With("app", name)
	slog.SetDefault(log)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go out.flushEvery(ctx, logFlushInterval)
	err := run(ctx, log, newHandler)
	if err != nil {
		log.Error("exiting", "error", err)
	}
	stop()
	out.Flush()
	if err != nil {
		os.Exit(1)
	}
}

// logFlushInterval is how long a log line may wait in the buffer.
const logFlushInterval = 100 * time.Millisecond

// logWriter buffers log output and writes it out when the buffer is full
// and on every tick of flushEvery: one write system call per access log line
// was a measurable share of a request's cost under load.
type logWriter struct {
	mu  sync.Mutex
	buf *bufio.Writer
}

func newLogWriter(w io.Writer) *logWriter {
	return &logWriter{buf: bufio.NewWriterSize(w, 64<<10)}
}

// Write buffers p.
func (l *logWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// Flush writes out what is buffered.
func (l *logWriter) Flush() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Flush()
}

// flushEvery flushes every interval until ctx is done.
func (l *logWriter) flushEvery(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			l.Flush()
		}
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
