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
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	_ "modernc.org/sqlite"
)

func main() {
	unixPath := flag.String("listen-unix", "", "Unix socket path to listen on")
	listen := flag.String("listen-addr", "", "TCP address to listen on (none unless given)")
	sqliteURL := flag.String("sqlite-url", "file:data/", "SQLite URI (a directory, with trailing slash)")
	logLevel := flag.String("log-level", "error", "debug, info, warn or error")
	walTruncateEvery := flag.Duration("wal-truncate-every", 0, "checkpoint and truncate every database's write-ahead log this often (0: never)")
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
	if *walTruncateEvery > 0 {
		go truncateWALs(ctx, sqliteDir(*sqliteURL), *walTruncateEvery, logger)
	}
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

// sqliteDir is the folder of a "file:<dir>/?<params>" SQLite URL.
func sqliteDir(sqliteURL string) string {
	u, err := url.Parse(sqliteURL)
	if err != nil {
		return strings.TrimPrefix(strings.SplitN(sqliteURL, "?", 2)[0], "file:")
	}
	if u.Opaque != "" {
		return u.Opaque
	}
	return u.Path
}

// truncateWALs empties every database's write-ahead log once its pages are
// in the database file. A deleted document's earlier versions stay in the WAL
// (SQLite reuses the file, and a checkpoint copies pages without removing
// them) until then; with secure_delete on, the database file holds none, so
// an erased supporter is gone from the files within one interval
// (docs/decisions/0024). A checkpoint that would have to wait for a reader or
// a writer gives up at once (busy_timeout 0) and is tried again next time.
func truncateWALs(ctx context.Context, dir string, every time.Duration, logger *slog.Logger) {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*.sqlite"))
		for _, file := range files {
			if info, err := os.Stat(file + "-wal"); err != nil || info.Size() == 0 {
				continue
			}
			if err := truncateWAL(ctx, file); err != nil {
				logger.Debug("wal truncate", "file", file, "error", err)
			}
		}
	}
}

func truncateWAL(ctx context.Context, file string) error {
	db, err := sql.Open("sqlite", "file:"+file+"?mode=rw&_pragma=busy_timeout(0)")
	if err != nil {
		return err
	}
	defer db.Close()
	var busy, logFrames, checkpointed int
	return db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logFrames, &checkpointed)
}
