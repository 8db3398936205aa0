// Package proxy is a scanning package index: a PEP 503/691 simple index in
// front of an upstream one (PyPI by default) that serves a distribution
// file only after Safeguard has fetched it, verified it against the
// upstream hash, scanned it and found that the policy allows it. A
// blocked file disappears from its project page and is refused with 403
// and the reason (the rule, the finding, the file and line).
package proxy
