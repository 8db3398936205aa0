package knownbad

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/safeguard-dev/safeguard/internal/format"
)

// Answer is what the database says about one package asked after.
type Answer struct {
	Name    string  `json:"name"`
	Version string  `json:"version,omitempty"`
	Matches []Match `json:"matches"`
}

// AnswerFormats are the outputs of `safeguard db lookup`.
var AnswerFormats = format.Registry[func(io.Writer, []Answer) error]{
	"text": writeAnswersText,
	"json": func(w io.Writer, as []Answer) error { return format.JSON(w, as) },
}

// writeAnswersText writes a line per package, and one per match under a
// known-malicious one.
func writeAnswersText(w io.Writer, answers []Answer) error {
	for _, a := range answers {
		spec := a.Name
		if a.Version != "" {
			spec += "==" + a.Version
		}
		if len(a.Matches) == 0 {
			fmt.Fprintf(w, "%s: not known to be malicious\n", spec)
			continue
		}
		fmt.Fprintf(w, "%s: KNOWN MALICIOUS\n", spec)
		for _, m := range a.Matches {
			id := m.ID
			if id == "" {
				id = "(" + m.Source + ")"
			}
			if _, err := fmt.Fprintf(w, "  %s %s\n", id, m.Summary); err != nil {
				return err
			}
		}
	}
	return nil
}

// StatsReport describes the database in use, for `safeguard db stats`.
type StatsReport struct {
	Stats
	// Store says which database answers: the local one or the snapshot.
	Store         string `json:"store"`
	SnapshotBytes int    `json:"snapshot_bytes"`
	// Now is when the report is read, for the newest record's age.
	Now time.Time `json:"-"`
}

// StatsFormats are the outputs of `safeguard db stats`.
var StatsFormats = format.Registry[func(io.Writer, StatsReport) error]{
	"text": writeStatsText,
	"json": func(w io.Writer, r StatsReport) error { return format.JSON(w, r) },
}

func writeStatsText(w io.Writer, r StatsReport) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "store\t%s\n", r.Store)
	fmt.Fprintf(tw, "embedded snapshot\t%d KiB compressed\n", r.SnapshotBytes>>10)
	fmt.Fprintf(tw, "OSV records\t%d (%d withdrawn, never matched)\n", r.Records, r.Withdrawn)
	fmt.Fprintf(tw, "listed names\t%d\n", r.Listed)
	fmt.Fprintf(tw, "packages\t%d\n", r.Packages)
	if !r.Newest.IsZero() {
		fmt.Fprintf(tw, "newest record\t%s (%s old)\n", r.Newest.Format(time.DateOnly), daysBetween(r.Newest, r.Now))
	}
	fmt.Fprintf(tw, "sources\t%s\n", strings.Join(r.Sources, ", "))
	return tw.Flush()
}

// daysBetween says how long before now t was, in days.
func daysBetween(t, now time.Time) string {
	d := int(now.Sub(t).Hours() / 24)
	if d == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", d)
}
