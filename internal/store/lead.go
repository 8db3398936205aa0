package store

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// leadPoll is how often a process that does not lead tries to take the
// lead, and how often the leader checks that its hold is alive: a
// leader that dies is replaced within about this long.
const leadPoll = 2 * time.Second

// Lead runs fn while this process holds the named lead, so that one
// process of all those sharing the store runs it: on PostgreSQL, a
// session advisory lock (per schema), held on a connection of its own;
// PostgreSQL drops it when the process dies or its connection breaks, and
// another process takes over within seconds. A process that does not hold
// the lead waits and tries again until ctx ends. On SQLite, which one
// process uses, fn runs at once. onLead, if set, is told when the lead
// is taken (true) and lost (false).
func (s *Store) Lead(ctx context.Context, name string, log *slog.Logger, onLead func(bool), fn func(context.Context) error) error {
	if !s.postgres {
		return fn(ctx)
	}
	if onLead == nil {
		onLead = func(bool) {}
	}
	waiting := false
	for ctx.Err() == nil {
		held, err := s.leadOnce(ctx, name, log, onLead, fn)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("lead", "role", name, "error", err)
		case !held && !waiting:
			log.Info("another process leads; waiting to take over", "role", name)
		}
		waiting = !held
		pause(ctx, leadPoll)
	}
	return nil
}

// leadOnce tries to take the lead and, if it gets it, runs fn until fn
// returns, ctx ends or the lock's connection fails.
func (s *Store) leadOnce(ctx context.Context, name string, log *slog.Logger, onLead func(bool), fn func(context.Context) error) (bool, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Close() // with the session: the lock goes too
	key := "safeguard lead: " + name
	var held bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(hashtext(current_schema() || $1))`, key).Scan(&held); err != nil || !held {
		return false, err
	}
	log.Info("leading", "role", name)
	onLead(true)
	defer onLead(false)
	fctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- fn(fctx) }()
	t := time.NewTicker(leadPoll)
	defer t.Stop()
	for {
		select {
		case err := <-done:
			conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(hashtext(current_schema() || $1))`, key)
			return true, err
		case <-t.C:
			if err := conn.PingContext(ctx); err != nil && ctx.Err() == nil {
				cancel()
				<-done
				return true, fmt.Errorf("lost the lead's connection: %w", err)
			}
		}
	}
}
