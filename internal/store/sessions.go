package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Session is a dashboard sign-in: a secret the browser keeps in a cookie
// (only its hash is stored) and the CSRF token its forms carry. It lasts
// until it expires or the token that opened it is revoked.
type Session struct {
	ID      string // the cookie's value; shown once, when made
	CSRF    string
	Role    string // the role of the token that opened it
	Expires time.Time
}

// sessionPrefix marks session secrets, as tokenPrefix marks tokens.
const sessionPrefix = "sgs_"

// CreateSession opens a session with an API token, for ttl; ErrNotFound
// when the token is unknown or revoked.
func (s *Store) CreateSession(ctx context.Context, tok string, ttl time.Duration) (*Session, error) {
	role, err := s.TokenRole(ctx, tok)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	sess := &Session{ID: sessionPrefix + randomText(), CSRF: randomText(), Role: role, Expires: now.Add(ttl)}
	// Expired sessions are swept by whoever signs in next.
	if _, err := s.db.ExecContext(ctx, s.q(`DELETE FROM web_sessions WHERE expires_at <= ?`), millis(now)); err != nil {
		return nil, fmt.Errorf("store: sweep sessions: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, s.q(`INSERT INTO web_sessions (hash, token_hash, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`),
		tokenHash(sess.ID), tokenHash(tok), sess.CSRF, millis(now), millis(sess.Expires)); err != nil {
		return nil, fmt.Errorf("store: create session: %w", err)
	}
	return sess, nil
}

// Session returns the live session with this secret, with the role of
// its token, or ErrNotFound (unknown, expired, or its token revoked).
func (s *Store) Session(ctx context.Context, id string) (*Session, error) {
	if !strings.HasPrefix(id, sessionPrefix) || len(id) > 128 {
		return nil, ErrNotFound
	}
	sess := &Session{ID: id}
	var expires int64
	err := s.db.QueryRowContext(ctx, s.q(`SELECT w.csrf, t.role, w.expires_at FROM web_sessions w JOIN tokens t ON t.hash = w.token_hash
		WHERE w.hash = ? AND w.expires_at > ?`), tokenHash(id), millis(time.Now())).Scan(&sess.CSRF, &sess.Role, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: session: %w", err)
	}
	sess.Expires = fromMillis(expires)
	return sess, nil
}

// DeleteSession ends a session (signing out); ending an unknown one is
// not an error.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	if _, err := s.db.ExecContext(ctx, s.q(`DELETE FROM web_sessions WHERE hash = ?`), tokenHash(id)); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// randomText is 32 random bytes, URL-safe.
func randomText() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
