package check

import (
	"fmt"
	"io"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/format"
	"github.com/safeguard-dev/safeguard/internal/severity"
)

// textEncoder writes a headline, then one line per finding and problem.
type textEncoder struct{}

func (textEncoder) Encode(w io.Writer, rep *Report) error {
	worst := rep.Worst()
	files := format.Plain(strings.Join(rep.Files, ", "))
	switch {
	case worst >= severity.Critical:
		fmt.Fprintf(w, "DANGER: %d dependencies read from %s; a known-malicious package is among them\n", rep.Packages, files)
	case len(rep.Findings) > 0:
		fmt.Fprintf(w, "%d findings in %d dependencies read from %s (worst: %s)\n", len(rep.Findings), rep.Packages, files, worst)
	default:
		fmt.Fprintf(w, "ok: nothing found in %d dependencies read from %s\n", rep.Packages, files)
	}
	for _, f := range rep.Findings {
		spec := f.Package
		if f.Version != "" {
			spec += "==" + f.Version
		}
		fmt.Fprintf(w, "  [%s] %s %s (%s:%d): %s\n", f.Severity, f.Kind, format.Plain(spec), format.Plain(f.File), f.Line, format.Plain(f.Message))
	}
	for _, p := range rep.Problems {
		if _, err := fmt.Fprintf(w, "  problem: %s\n", format.Plain(p)); err != nil {
			return err
		}
	}
	return nil
}
