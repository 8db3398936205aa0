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
	v, err := c.call(ctx, "changelog_last_serial")
	if err != nil {
		return 0, err
	}
	if v.kind != valInt || v.num < 0 {
		return 0, fmt.Errorf("xml-rpc changelog_last_serial: answer is %s, want a non-negative int: %w", v.typeName(), ErrMalformed)
	}
	return v.num, nil
}

// ChangelogSince returns the journal rows after serial, oldest first, at
// most MaxChangelogRows of them (changelog_since_serial). Each row is
// parsed into an Event; a row of the wrong shape that still has a serial
// is an Event of KindMalformed, so one bad row does not stop the journal.
// An answer that is not a list of rows, a row without a serial, or
// serials that are not increasing and after serial are an error wrapping
// ErrMalformed: a cursor cannot be advanced past them safely.
func (c *Client) ChangelogSince(ctx context.Context, serial int64) ([]Event, error) {
	v, err := c.call(ctx, "changelog_since_serial", serial)
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
func eventsOf(v value, after int64) ([]Event, error) {
	if v.kind != valArray {
		return nil, fmt.Errorf("answer is %s, want an array of rows: %w", v.typeName(), ErrMalformed)
	}
	events := make([]Event, 0, len(v.arr))
	last := after
	for i, r := range v.arr {
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
func eventOf(r value) (Event, error) {
	if r.kind != valArray || len(r.arr) != 5 {
		return Event{}, fmt.Errorf("row is %s, want [name, version, timestamp, action, serial]", r.typeName())
	}
	name, version, ts, action, serial := r.arr[0], r.arr[1], r.arr[2], r.arr[3], r.arr[4]
	if serial.kind != valInt {
		return Event{}, fmt.Errorf("serial is %s, want a positive int", serial.typeName())
	}
	if serial.num <= 0 {
		return Event{}, fmt.Errorf("serial is %d, want a positive int", serial.num)
	}
	if name.kind != valString || name.str == "" || (version.kind != valString && version.kind != valNil) || ts.kind != valInt || action.kind != valString {
		return Event{Serial: serial.num, Kind: KindMalformed, Action: fmt.Sprintf("fields are %s, %s, %s, %s; want a name, a version or nil, an int timestamp, an action",
			name.typeName(), version.typeName(), ts.typeName(), action.typeName())}, nil
	}
	e := Event{Serial: serial.num, Time: time.Unix(ts.num, 0).UTC(), Name: name.str, Version: version.str, Action: action.str}
	e.Kind, e.PyVersion, e.Filename = ParseAction(action.str)
	return e, nil
}
