package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Token roles.
const (
	RoleRead  = "read"  // may read everything the API shows
	RoleAdmin = "admin" // may also change it: register projects, re-send alerts
)

// Token is an API token as stored: never the token itself, only its hash.
type Token struct {
	Name    string    `json:"name"`
	Role    string    `json:"role"`
	Created time.Time `json:"created"`
}

// tokenPrefix marks Safeguard's tokens, so that secret scanners can find a
// leaked one.
const tokenPrefix = "sgt_"

// CreateToken makes a new token with a role and returns it; only its hash
// is kept, so it is shown this once.
func (s *Store) CreateToken(ctx context.Context, name, role string) (string, error) {
	if role != RoleRead && role != RoleAdmin {
		return "", fmt.Errorf("store: token role %q: want %s or %s", role, RoleRead, RoleAdmin)
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	tok := tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	if _, err := s.db.ExecContext(ctx, s.q(`INSERT INTO tokens (hash, name, role, created_at) VALUES (?, ?, ?, ?)`),
		tokenHash(tok), name, role, millis(time.Now())); err != nil {
		return "", fmt.Errorf("store: create token: %w", err)
	}
	return tok, nil
}

// TokenRole returns the role of a token, or ErrNotFound for a token that
// was never made (or was revoked).
func (s *Store) TokenRole(ctx context.Context, tok string) (string, error) {
	if !strings.HasPrefix(tok, tokenPrefix) || len(tok) > 128 {
		return "", ErrNotFound
	}
	var role string
	err := s.db.QueryRowContext(ctx, s.q(`SELECT role FROM tokens WHERE hash = ?`), tokenHash(tok)).Scan(&role)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("store: token: %w", err)
	}
	return role, nil
}

// Tokens lists the tokens by name (without the tokens, which are not kept).
func (s *Store) Tokens(ctx context.Context) ([]Token, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name, role, created_at FROM tokens ORDER BY name, created_at`)
	if err != nil {
		return nil, fmt.Errorf("store: tokens: %w", err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		var t Token
		var at int64
		if err := rows.Scan(&t.Name, &t.Role, &at); err != nil {
			return nil, err
		}
		t.Created = fromMillis(at)
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeTokens removes every token of a name.
func (s *Store) RevokeTokens(ctx context.Context, name string) (int, error) {
	res, err := s.db.ExecContext(ctx, s.q(`DELETE FROM tokens WHERE name = ?`), name)
	if err != nil {
		return 0, fmt.Errorf("store: revoke tokens: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

func tokenHash(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}
