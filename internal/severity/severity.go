// Package severity is the one scale every Safeguard finding is ranked on:
// analysis findings, packing anomalies and dependency-check findings, and
// the SARIF levels they map to. It holds no findings itself.
package severity

import "fmt"

// Level is how much a finding should worry a reader; levels order from
// Info up to Critical.
type Level int

// Levels, lowest first. The zero value is Info.
const (
	Info Level = iota
	Low
	Medium
	High
	Critical
)

var names = [...]string{"info", "low", "medium", "high", "critical"}

// String returns the level's name, e.g. "high".
func (l Level) String() string {
	if l >= 0 && int(l) < len(names) {
		return names[l]
	}
	return fmt.Sprintf("severity(%d)", int(l))
}

// MarshalText encodes the level by name.
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText decodes a level name.
func (l *Level) UnmarshalText(b []byte) error {
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*l = v
	return nil
}

// Parse reads a level name: info, low, medium, high or critical.
func Parse(name string) (Level, error) {
	for i, n := range names {
		if n == name {
			return Level(i), nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want info, low, medium, high or critical)", name)
}
