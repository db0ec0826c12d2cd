package pivot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// This file holds a hardened http.Server for Pivot handlers: timeouts sized
// for Kazoo, bounded headers, errors logged through slog, and graceful
// shutdown when a context is cancelled.

// The timeouts of the server NewServer builds. Kazoo waits for an answer
// req_timeout_ms, 5 s by default and at most, then gives up on the request;
// a request that takes longer than that to arrive or to be answered serves
// nobody.
const (
	// ServerReadHeaderTimeout bounds reading the request line and headers,
	// which Kazoo sends at once; it cuts off slow-header (slowloris)
	// clients.
	ServerReadHeaderTimeout = 2 * time.Second
	// ServerReadTimeout bounds reading the whole request, body included.
	ServerReadTimeout = 5 * time.Second
	// ServerWriteTimeout bounds the time from the end of the request
	// headers to the end of the answer: Kazoo's 5 s plus a margin for the
	// handler that runs late.
	ServerWriteTimeout = 10 * time.Second
	// ServerIdleTimeout bounds how long a keep-alive connection waits for
	// its next request.
	ServerIdleTimeout = 60 * time.Second
)

// DefaultShutdownTimeout is how long ListenAndServe and Serve wait for
// requests in flight when their context is cancelled (WithShutdownTimeout).
const DefaultShutdownTimeout = 10 * time.Second

// headerRoom is what NewServer allows for the request line and headers
// besides the URL's query: the method, the path, the HTTP version and the
// few headers Kazoo's HTTP client sends.
const headerRoom = 16 << 10

// WithShutdownTimeout sets how long ListenAndServe and Serve wait for
// requests in flight after their context is cancelled (default
// DefaultShutdownTimeout); connections still open then are closed. Handler
// and NewRouter ignore it.
func WithShutdownTimeout(d time.Duration) Option {
	return func(c *config) {
		if d <= 0 {
			c.fail(fmt.Errorf("pivot: WithShutdownTimeout(%v): the timeout must be positive", d))
			return
		}
		c.shutdownTimeout = d
	}
}

// NewServer returns an http.Server that serves h on addr, hardened for the
// open internet:
//
//   - the timeouts ServerReadHeaderTimeout, ServerReadTimeout,
//     ServerWriteTimeout and ServerIdleTimeout;
//   - MaxHeaderBytes, which bounds the request line and headers, set to the
//     parameter bound (DefaultMaxBodyBytes, or WithMaxBodyBytes) plus
//     16 KiB: a GET query within the bound reaches the handler, which
//     answers a query over it 414 (see Handler), and net/http answers a
//     request line or headers over MaxHeaderBytes 431 after reading no more
//     than that;
//   - ErrorLog writing through slog at warning level (WithLogger; default
//     slog.Default()).
//
// Pass the same WithMaxBodyBytes to Handler (or NewRouter) and NewServer.
// Other options are ignored. Fields of the returned server may be changed
// before it starts (TLSConfig, a longer WriteTimeout…). NewServer panics if
// an option is invalid, as Handler does.
func NewServer(addr string, h http.Handler, opts ...Option) *http.Server {
	c := newConfig(opts)
	if c.err != nil {
		panic(c.err)
	}
	return c.newServer(addr, h)
}

func (c *config) newServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: ServerReadHeaderTimeout,
		ReadTimeout:       ServerReadTimeout,
		WriteTimeout:      ServerWriteTimeout,
		IdleTimeout:       ServerIdleTimeout,
		MaxHeaderBytes:    int(c.maxBody) + headerRoom,
		ErrorLog:          slog.NewLogLogger(c.logger.Handler(), slog.LevelWarn),
	}
}

// ListenAndServe listens on the TCP address addr and serves h with a server
// from NewServer until ctx is cancelled, then shuts down gracefully: it stops
// accepting connections and waits for requests in flight, at most the
// shutdown timeout (WithShutdownTimeout), before closing what is left. It
// returns nil after a clean shutdown, or the error that stopped it. For
// example, to stop on Ctrl-C or SIGTERM:
//
//	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
//	defer stop()
//	err := pivot.ListenAndServe(ctx, ":8080", h)
//
// Options are those of NewServer plus WithShutdownTimeout; the logger also
// receives "listening" and "stopped" at info level. An invalid option is
// returned as an error.
func ListenAndServe(ctx context.Context, addr string, h http.Handler, opts ...Option) error {
	c := newConfig(opts)
	if c.err != nil {
		return c.err
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("pivot: %w", err)
	}
	return c.serveUntilDone(ctx, ln, h)
}

// Serve is ListenAndServe on a listener the caller opened, e.g. on port 0 in
// a test or from systemd socket activation. Serve closes ln.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, opts ...Option) error {
	c := newConfig(opts)
	if c.err != nil {
		ln.Close()
		return c.err
	}
	return c.serveUntilDone(ctx, ln, h)
}

func (c *config) serveUntilDone(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := c.newServer(ln.Addr().String(), h)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	c.logger.LogAttrs(ctx, slog.LevelInfo, "pivot: listening", slog.String("addr", ln.Addr().String()))

	select {
	case err := <-errc:
		return fmt.Errorf("pivot: serving: %w", err)
	case <-ctx.Done():
	}
	c.logger.LogAttrs(ctx, slog.LevelInfo, "pivot: shutting down", slog.Duration("grace", c.shutdownTimeout))
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		srv.Close()
		<-errc
		return fmt.Errorf("pivot: shutdown: requests still running after %v: %w", c.shutdownTimeout, err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("pivot: serving: %w", err)
	}
	c.logger.LogAttrs(ctx, slog.LevelInfo, "pivot: stopped")
	return nil
}
