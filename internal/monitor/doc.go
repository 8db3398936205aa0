// Package monitor is `safeguard serve`'s watch over PyPI: it follows the
// journal of uploads (follower), scans each new file with the same
// pipeline as `safeguard scan` (workers), matches what it learns —
// verdicts, known-malicious records, yanks, removals, quarantines, names
// that imitate a dependency — against the projects its users registered,
// and raises each alert once, with a delivery per notification target
// that the sender works off.
//
// Every step's effect is idempotent and recorded in the store in one
// transaction with the work it implies, so a process killed at any point
// loses nothing and repeats nothing that shows.
//
// It does not speak PyPI's protocols (package pypi) or deliver messages
// (package notify); it decides what to do with what they bring.
package monitor
