// Package report turns scan results into output: one Encoder interface
// and an implementation per --format (text, json, jsonl).
//
// It formats; it decides nothing. Results arrive in the order the caller
// wants them printed, so output is the same for the same input.
package report
