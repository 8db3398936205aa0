package pypi

import (
	"context"
	"fmt"
	"time"
)

// MaxChangelogRows is the most rows PyPI answers to one
// changelog_since_serial call: a batch this long means more may follow.
const MaxChangelogRows = 50000

// LastSerial returns the serial of PyPI's newest journal row
// (changelog_last_serial).
func (c *Client) LastSerial(ctx context.Context) (int64, error) {
	v, err := c.Call(ctx, "changelog_last_serial")
	if err != nil {
		return 0, err
	}
	n, ok := v.(int64)
	if !ok || n < 0 {
		return 0, fmt.Errorf("xml-rpc changelog_last_serial: answer is %s, want a non-negative int: %w", typeName(v), ErrMalformed)
	}
	return n, nil
}

// ChangelogSince returns the journal rows after serial, oldest first, at
// most MaxChangelogRows of them (changelog_since_serial). Each row is
// parsed into an Event; a row of the wrong shape that still has a serial
// is an Event of KindMalformed, so one bad row does not stop the journal.
// An answer that is not a list of rows, a row without a serial, or
// serials that are not increasing and after serial are an error wrapping
// ErrMalformed: a cursor cannot be advanced past them safely.
func (c *Client) ChangelogSince(ctx context.Context, serial int64) ([]Event, error) {
	v, err := c.Call(ctx, "changelog_since_serial", serial)
	if err != nil {
		return nil, err
	}
	events, err := eventsOf(v, serial)
	if err != nil {
		return nil, fmt.Errorf("xml-rpc changelog_since_serial(%d): %w", serial, err)
	}
	return events, nil
}

// eventsOf turns a decoded changelog answer into events.
func eventsOf(v any, after int64) ([]Event, error) {
	rows, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("answer is %s, want an array of rows: %w", typeName(v), ErrMalformed)
	}
	events := make([]Event, 0, len(rows))
	last := after
	for i, r := range rows {
		e, err := eventOf(r)
		if err != nil {
			return nil, fmt.Errorf("row %d: %w: %w", i, err, ErrMalformed)
		}
		if e.Serial <= last {
			return nil, fmt.Errorf("row %d: serial %d is not after %d: %w", i, e.Serial, last, ErrMalformed)
		}
		last = e.Serial
		events = append(events, e)
	}
	return events, nil
}

// eventOf reads one row [name, version, timestamp, action, serial]. It
// fails only when the row has no serial.
func eventOf(r any) (Event, error) {
	row, ok := r.([]any)
	if !ok || len(row) != 5 {
		return Event{}, fmt.Errorf("row is %s, want [name, version, timestamp, action, serial]", describeRow(r))
	}
	serial, ok := row[4].(int64)
	if !ok {
		return Event{}, fmt.Errorf("serial is %s, want a positive int", typeName(row[4]))
	}
	if serial <= 0 {
		return Event{}, fmt.Errorf("serial is %d, want a positive int", serial)
	}
	name, okName := row[0].(string)
	version, okVersion := row[1].(string)
	if row[1] == nil {
		okVersion = true
	}
	ts, okTime := row[2].(int64)
	action, okAction := row[3].(string)
	if !okName || !okVersion || !okTime || !okAction || name == "" {
		return Event{Serial: serial, Kind: KindMalformed, Action: fmt.Sprintf("fields are %s, %s, %s, %s; want a name, a version or nil, an int timestamp, an action",
			typeName(row[0]), typeName(row[1]), typeName(row[2]), typeName(row[3]))}, nil
	}
	e := Event{Serial: serial, Time: time.Unix(ts, 0).UTC(), Name: name, Version: version, Action: action}
	e.Kind, e.PyVersion, e.Filename = ParseAction(action)
	return e, nil
}

func describeRow(r any) string {
	if row, ok := r.([]any); ok {
		return fmt.Sprintf("an array of %d", len(row))
	}
	return typeName(r)
}
