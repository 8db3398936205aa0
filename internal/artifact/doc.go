// Package artifact reads Python distributions — sdists, wheels, eggs,
// unpacked project directories and single source files — safely and in
// memory, and returns their file tree, metadata and anomalies.
//
// Archives are hostile input. The reader never executes anything, never
// writes to disk, never follows a link and never trusts a header: sizes,
// counts, compression ratios and nesting are capped by Limits, and every
// irregular entry (absolute or escaping path, link, device, duplicate,
// lying size, trailing data, odd name) becomes an Anomaly naming the entry.
// Hitting a limit stops reading that artifact with a *LimitError; what was
// read up to then is still returned.
//
// It is not an analyser: it reports what a distribution contains, not
// whether the code in it is malicious (package analysis does that).
package artifact
