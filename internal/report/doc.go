// Package report encodes scan results (package scan) for people and
// tools: one Encoder interface and an implementation per --format (text,
// json, jsonl, sarif), listed in Formats.
//
// It formats; it decides nothing. Results arrive in the order the caller
// wants them printed, so output is the same for the same input.
package report
