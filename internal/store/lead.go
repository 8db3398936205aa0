package store

import (
	"context"
	"database/sql/driver"
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
// session advisory lock (per schema) on a connection of its own, which is
// never returned to the pool. The session ends, and the lock with it, when
// the process dies (its socket closes), when the connection fails a check
// (every 2 s; fn is then stopped), and, when the leader's host vanishes
// without closing the socket, when PostgreSQL finds the session idle for
// 10 s (idle_session_timeout, PostgreSQL 14 and later; the checks keep a
// live leader's session busy). A process that does not hold the lead
// tries again every 2 s until ctx ends. On SQLite, which one process
// uses, fn runs at once. onLead, if set, is told when the lead is taken
// (true) and lost (false).
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
	defer func() {
		// Discard the connection, so that its session (and any lock it
		// holds) ends instead of going back to the pool.
		conn.Raw(func(any) error { return driver.ErrBadConn })
		conn.Close()
	}()
	// Every statement on the lock's session is bounded: a half-dead
	// socket must not hang the lead.
	exec := func(parent context.Context, query string, args ...any) error {
		c, cancel := context.WithTimeout(parent, leadPoll)
		defer cancel()
		_, err := conn.ExecContext(c, query, args...)
		return err
	}
	exec(ctx, `SET idle_session_timeout = '10s'`) // PostgreSQL 14+; older ones keep TCP's own timeouts
	key := "safeguard lead: " + name
	var held bool
	tctx, tcancel := context.WithTimeout(ctx, leadPoll)
	err = conn.QueryRowContext(tctx, `SELECT pg_try_advisory_lock(hashtext(current_schema() || $1))`, key).Scan(&held)
	tcancel()
	if err != nil || !held {
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
			if uerr := exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(hashtext(current_schema() || $1))`, key); uerr != nil {
				log.Warn("lead: unlock (the session is discarded anyway)", "role", name, "error", uerr)
			}
			return true, err
		case <-t.C:
			if err := exec(ctx, `SELECT 1`); err != nil && ctx.Err() == nil {
				cancel()
				<-done
				return true, fmt.Errorf("lost the lead's connection: %w", err)
			}
		}
	}
}

// sessionLock waits for the named PostgreSQL advisory lock (per schema) on
// a connection of its own and returns its release, which ends the session.
func (s *Store) sessionLock(ctx context.Context, name string) (func(), error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	release := func() {
		conn.Raw(func(any) error { return driver.ErrBadConn }) // the session ends; the lock with it
		conn.Close()
	}
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(hashtext(current_schema() || $1))`, "safeguard lock: "+name); err != nil {
		release()
		return nil, fmt.Errorf("lock %s: %w", name, err)
	}
	return release, nil
}
