// Package store keeps what the scanning proxy learns: the verdict on every
// artifact it scanned (keyed by the SHA-256 of its bytes, with the
// findings behind it) and every allow or block decision it made (the
// audit log). One implementation over database/sql serves two backends
// with the same migrations: SQLite (modernc.org/sqlite, WAL, a file in the
// data directory; the default) and PostgreSQL (pgx), chosen by the DSN.
// Every write is one statement or one transaction, so a process killed at
// any point leaves each row either whole or absent.
package store
