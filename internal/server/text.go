package server

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/safeguard-dev/safeguard/internal/format"
	"github.com/safeguard-dev/safeguard/internal/store"
)

// The CLI prints what the API answers: these are the text and JSON forms
// of the API's views, for `safeguard watch` and `safeguard alerts`.

// RegisteredFormats are the outputs of `safeguard watch add`.
var RegisteredFormats = format.Registry[func(io.Writer, Registered) error]{
	"text": writeRegisteredText,
	"json": func(w io.Writer, r Registered) error { return format.JSON(w, r) },
}

func writeRegisteredText(w io.Writer, r Registered) error {
	fmt.Fprintf(w, "watching %s: %d dependencies from %s\n", r.Project.Name, len(r.Dependencies), r.Project.Source)
	for _, t := range r.Project.Options.Notify {
		fmt.Fprintf(w, "  notify %s\n", t)
	}
	if r.WebhookSecret != "" {
		fmt.Fprintf(w, "  webhook secret (shown this once; verify webhook-signature with it): %s\n", r.WebhookSecret)
	}
	for _, p := range r.Problems {
		fmt.Fprintf(w, "  problem: %s\n", p)
	}
	if len(r.Alerts) == 0 {
		fmt.Fprintln(w, "nothing known against its dependencies yet")
	}
	return writeAlertLines(w, r.Alerts)
}

// ProjectListFormats are the outputs of `safeguard watch list`.
var ProjectListFormats = format.Registry[func(io.Writer, []store.Project) error]{
	"text": writeProjectsText,
	"json": func(w io.Writer, ps []store.Project) error { return format.JSON(w, orEmpty(ps)) },
}

func writeProjectsText(w io.Writer, ps []store.Project) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PROJECT\tSOURCE\tNOTIFY\tREGISTERED")
	for _, p := range ps {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.Name, p.Source, strings.Join(p.Options.Notify, " "), p.Created.Format(time.DateOnly))
	}
	return tw.Flush()
}

// ProjectFormats are the outputs of `safeguard watch show`.
var ProjectFormats = format.Registry[func(io.Writer, ProjectView) error]{
	"text": writeProjectText,
	"json": func(w io.Writer, v ProjectView) error { return format.JSON(w, v) },
}

func writeProjectText(w io.Writer, v ProjectView) error {
	fmt.Fprintf(w, "%s: %d dependencies from %s\n", v.Project.Name, len(v.Dependencies), v.Project.Source)
	for _, t := range v.Project.Options.Notify {
		fmt.Fprintf(w, "  notify %s\n", t)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DEPENDENCY\tVERSION\tSCOPE\tDECLARED")
	for _, d := range v.Dependencies {
		ver := d.Version
		if ver == "" {
			ver = cmpOr(d.Spec, "any")
		} else {
			ver = "==" + ver
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s:%d\n", d.Name, ver, d.Scope, d.File, d.Line)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "%d alerts\n", len(v.Alerts))
	return writeAlertLines(w, v.Alerts)
}

// AlertListFormats are the outputs of `safeguard alerts list`.
var AlertListFormats = format.Registry[func(io.Writer, []store.Alert) error]{
	"text": writeAlertLines,
	"json": func(w io.Writer, as []store.Alert) error { return format.JSON(w, orEmpty(as)) },
}

func writeAlertLines(w io.Writer, as []store.Alert) error {
	for _, a := range as {
		v := a.Version
		if v == "" {
			v = "(any version)"
		}
		if _, err := fmt.Fprintf(w, "  %s %s %s %s %s: %s\n", a.Created.Format(time.DateTime), a.ID, a.Project, a.Dependency, v, a.Kind); err != nil {
			return err
		}
	}
	return nil
}

// AlertFormats are the outputs of `safeguard alerts show`.
var AlertFormats = format.Registry[func(io.Writer, AlertView) error]{
	"text": writeAlertText,
	"json": func(w io.Writer, v AlertView) error { return format.JSON(w, v) },
}

func writeAlertText(w io.Writer, v AlertView) error {
	a := v.Alert
	fmt.Fprintf(w, "alert %s: %s %s %s for %s, %s\n", a.ID, a.Kind, a.Dependency, a.Version, a.Project, a.Created.Format(time.RFC3339))
	fmt.Fprintf(w, "%s\n", a.Body)
	for _, d := range v.Deliveries {
		fmt.Fprintf(w, "delivery to %s: %s after %d attempts\n", d.Target, d.State, d.Attempts)
		for _, at := range v.Attempts[d.Target] {
			fmt.Fprintf(w, "  #%d %s ok=%v status=%s %s (%s)\n", at.N, at.At.Format(time.DateTime), at.OK, at.Status, at.Error, at.Duration.Round(time.Millisecond))
		}
	}
	return nil
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
