package cli

import (
	"errors"
	"fmt"
)

// Exit codes, as documented in the README.
const (
	ExitClean    = 0
	ExitError    = 1
	ExitUsage    = 2
	ExitFindings = 3
)

// usageError is a mistake in how the command was invoked.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// errFindings reports that the command worked and found something at or
// above the --fail-on threshold; the output already says what.
var errFindings = errors.New("findings at or above the --fail-on threshold")

// exitStatus passes on the exit status of a program Safeguard ran (the
// installer of `safeguard pip`); it has already said why.
type exitStatus int

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// silent reports errors whose message the output already gave.
func silent(err error) bool {
	var es exitStatus
	return errors.Is(err, errFindings) || errors.As(err, &es)
}

// exitCode maps an error from run to the process exit code.
func exitCode(err error) int {
	var ue *usageError
	var es exitStatus
	switch {
	case err == nil:
		return ExitClean
	case errors.Is(err, errFindings):
		return ExitFindings
	case errors.As(err, &es):
		return int(es)
	case errors.As(err, &ue):
		return ExitUsage
	}
	return ExitError
}
