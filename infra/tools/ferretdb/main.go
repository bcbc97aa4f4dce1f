// Command ferretdb runs FerretDB v1 (MongoDB wire protocol, SQLite backend)
// through its embeddable package.
//
// Why a wrapper and not `go install .../cmd/ferretdb`: FerretDB's own command
// panics at start when built from the module proxy, because the version file
// its release tooling generates is not part of the module
// (see docs/decisions/0002-ferretdb-wrapper.md).
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log/slog"
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
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	sqliteURL := flag.String("sqlite-url", "file:data/", "SQLite URI (a directory, with trailing slash)")
	logLevel := flag.String("log-level", "error", "debug, info, warn or error")
	walTruncateEvery := flag.Duration("wal-truncate-every", 0, "checkpoint and truncate every database's write-ahead log this often (0: never)")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: bad -log-level %q\n", *logLevel)
		os.Exit(2)
	}
	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Handler:   "sqlite",
		SQLiteURL: *sqliteURL,
		Logger:    logger,
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %v\n", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	logger.Info("ferretdb listening", "addr", *listen, "sqlite", *sqliteURL)
	if *walTruncateEvery > 0 {
		go truncateWALs(ctx, sqliteDir(*sqliteURL), *walTruncateEvery, logger)
	}
	if err := f.Run(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %v\n", err)
		os.Exit(1)
	}
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
