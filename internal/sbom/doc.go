// Package sbom writes software bills of materials for a Python project,
// environment or artifact: CycloneDX (1.4 to 1.7, JSON and XML) and SPDX
// 2.3 (JSON and tag-value). Every component carries its purl, the hashes
// and files its lock records, its licence, scope and group, and where it
// was declared; the dependency graph is kept; and what Safeguard found
// (known-malicious, typosquat, install-time code, scan verdicts) is
// recorded as properties or annotations in the "safeguard:" namespace.
// Output is deterministic: sorted, with a serial number derived from the
// content, and no timestamp unless one is asked for.
package sbom
