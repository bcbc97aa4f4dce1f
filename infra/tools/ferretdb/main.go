// Command ferretdb runs FerretDB v1 (MongoDB wire protocol, SQLite backend)
// through its embeddable package.
//
// Why a wrapper and not `go install .../cmd/ferretdb`: FerretDB's own command
// panics at start when built from the module proxy, because the version file
// its release tooling generates is not part of the module
// (see docs/decisions/0002-ferretdb-wrapper.md).
//
// Clarion runs it on a Unix socket only (-listen-unix), with a umask of 077:
// the socket and the SQLite files belong to the user who started it, and no
// other local user can connect or read them. FerretDB v1 has no working
// authentication for SQLite (docs/decisions/0021-database-access.md).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	unixPath := flag.String("listen-unix", "", "Unix socket path to listen on")
	listen := flag.String("listen-addr", "", "TCP address to listen on (none unless given)")
	sqliteURL := flag.String("sqlite-url", "file:data/", "SQLite URI (a directory, with trailing slash)")
	logLevel := flag.String("log-level", "error", "debug, info, warn or error")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fail(2, "bad -log-level %q", *logLevel)
	}
	if *unixPath == "" && *listen == "" {
		fail(2, "give -listen-unix or -listen-addr")
	}
	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	// Everything this process creates (socket, SQLite database, WAL and journal files) is for its owner only.
	syscall.Umask(0o077)

	if *unixPath != "" {
		if err := removeStaleSocket(*unixPath); err != nil {
			fail(1, "%v", err)
		}
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen, Unix: *unixPath},
		Handler:   "sqlite",
		SQLiteURL: *sqliteURL,
		Logger:    logger,
	})
	if err != nil {
		fail(1, "%v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	logger.Info("ferretdb listening", "unix", *unixPath, "addr", *listen, "sqlite", *sqliteURL)
	if err := f.Run(ctx); err != nil {
		fail(1, "%v", err)
	}
}

// removeStaleSocket deletes a socket file left by a FerretDB that was killed
// (a clean stop removes it), so the next start can listen there; it refuses
// when a server still answers on it.
func removeStaleSocket(path string) error {
	info, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if info.Mode()&os.ModeSocket == 0 {
		return fmt.Errorf("%s exists and is not a socket", path)
	}
	if conn, err := net.DialTimeout("unix", path, time.Second); err == nil {
		conn.Close()
		return fmt.Errorf("a server already listens on %s", path)
	}
	return os.Remove(path)
}

func fail(code int, format string, args ...any) {
	fmt.Fprintf(os.Stderr, "ferretdb: "+format+"\n", args...)
	os.Exit(code)
}
