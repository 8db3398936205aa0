package proxy

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/safeguard-dev/safeguard/internal/format"
	"github.com/safeguard-dev/safeguard/internal/store"
)

// DecisionFormats are the outputs of `safeguard proxy decisions`.
var DecisionFormats = format.Registry[func(io.Writer, []store.Decision) error]{
	"text": writeDecisionsText,
	"json": func(w io.Writer, ds []store.Decision) error { return format.JSON(w, ds) },
}

// writeDecisionsText writes a table, a decision a row, in local time.
func writeDecisionsText(w io.Writer, ds []store.Decision) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tACTION\tRULE\tPROJECT\tFILE\tREASON")
	for _, d := range ds {
		reason := strings.Join(strings.Fields(d.Reason), " ") // one row each
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", d.At.Local().Format(time.DateTime), d.Action, d.Rule, d.Project, d.Filename, reason)
	}
	return tw.Flush()
}
