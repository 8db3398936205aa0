// Package analyze is Safeguard's static analysis engine. It takes an
// artifact read by package artifact, parses its Python with package
// python, decides when each piece of code runs (install, startup, import,
// runtime, test), finds behaviours (process execution, network, dynamic
// code, secret access, persistence...), combines them in rules into
// findings with evidence, and gives the artifact a verdict: malicious,
// suspicious or clean.
//
// Nothing is executed. Rules describe behaviour, never particular
// packages: no package names, hashes or sample strings appear in them.
package analyze
