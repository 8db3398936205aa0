// Package scan is Safeguard's one pipeline from an artifact to a verdict:
// read it safely (package artifact), analyse its code (package analyze),
// look it up in the known-malicious database, and summarise it as a
// Result. Every caller that judges an artifact — `safeguard scan`, the
// index, the evaluation, `safeguard sbom` and the monitor — calls One or
// All, so they cannot drift apart.
//
// It prints nothing; package report encodes its results.
package scan

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"github.com/safeguard-dev/safeguard/internal/analyze"
	"github.com/safeguard-dev/safeguard/internal/artifact"
	"github.com/safeguard-dev/safeguard/internal/knownbad"
)

// Config is how artifacts are judged.
type Config struct {
	// Options are the reader's limits; zero values mean the defaults.
	Options artifact.Options
	// Known is the known-malicious database; nil judges by the artifact's
	// own bytes alone (--static-only, the evaluation).
	Known knownbad.Store
	// Excerpt, if above 0, gives the findings of a malicious or suspicious
	// result the code around their line: that many lines before and after
	// (for stored verdicts, which the dashboard shows).
	Excerpt int
}

// Input is one artifact.
type Input struct {
	// Path is the file or directory read, and the name the result and the
	// findings carry. When Data is set, Path is only a name: its suffix
	// still helps tell the format.
	Path string
	// Data is the artifact's bytes, when the caller holds them already.
	Data []byte
}

// One reads, analyses and looks up one artifact. An artifact that cannot
// be read is a result too (verdict "error", Result.Error says why); the
// error is non-nil only when the known-malicious lookup failed, and the
// result then holds the static analysis alone.
func One(ctx context.Context, in Input, cfg Config) (*Result, error) {
	start := time.Now()
	var a *artifact.Artifact
	var err error
	opts := cfg.Options
	if opts.Inspect == nil {
		opts.Inspect = analyze.InspectSource
	}
	if in.Data != nil {
		a, err = artifact.Read(ctx, in.Path, in.Data, opts)
	} else {
		a, err = artifact.Open(ctx, in.Path, opts)
	}
	if err != nil {
		slog.Debug("read artifact", "path", in.Path, "error", err)
	}
	r := newResult(in.Path, a, err)
	if a != nil {
		r.NotRead = notRead(a)
	}
	r.Error = oneLine(r.Error)
	var lookupErr error
	if a != nil {
		if a.UncompressedBytes > softLimitMin {
			defer holdSoftLimit(softLimit)()
		}
		res := analyze.Analyze(ctx, a)
		if cfg.Known != nil {
			fs, err := analyze.KnownMalicious(ctx, a, cfg.Known)
			if err != nil {
				lookupErr = fmt.Errorf("known-malicious lookup of %s: %w", in.Path, err)
			}
			res.AddFindings(fs...)
		}
		r.setAnalysis(res)
		if cfg.Excerpt > 0 && (r.Verdict == analyze.Malicious || r.Verdict == analyze.Suspicious) {
			addExcerpts(a, r.Findings, cfg.Excerpt)
		}
	} else {
		r.Verdict = analyze.Error
	}
	if a != nil && a.UncompressedBytes > returnMin {
		// Nothing of the artifact is referenced after this: give its
		// memory back now, not when the runtime gets to it, so that a
		// long-running server does not keep the peak of its largest scan.
		defer debug.FreeOSMemory()
	}
	r.ElapsedMS = time.Since(start).Milliseconds()
	return r, lookupErr
}

// returnMin is the content size past which One returns the memory of an
// artifact to the system as soon as it is done with it.
const returnMin = 128 << 20

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
