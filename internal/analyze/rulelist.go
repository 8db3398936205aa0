package analyze

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/safeguard-dev/safeguard/internal/format"
)

// RuleFormats are the outputs of `safeguard rules`: the registry as a
// table or as JSON.
var RuleFormats = format.Registry[func(io.Writer, []RuleInfo) error]{
	"text": writeRulesText,
	"json": func(w io.Writer, rules []RuleInfo) error { return format.JSON(w, rules) },
}

func writeRulesText(w io.Writer, rules []RuleInfo) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSEVERITY\tDESCRIPTION")
	for _, r := range rules {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.ID, r.Severity, r.Description)
	}
	return tw.Flush()
}
