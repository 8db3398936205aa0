package report

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/scan"

	"golang.org/x/term"

	"github.com/safeguard-dev/safeguard/internal/analyze"
	"github.com/safeguard-dev/safeguard/internal/artifact"
	"github.com/safeguard-dev/safeguard/internal/format"
)

// textEncoder writes a few lines per artifact for people, in colour when
// writing to a terminal (unless NO_COLOR is set).
type textEncoder struct {
	w     *bufio.Writer
	color bool
}

func newText(w io.Writer) Encoder {
	f, ok := w.(*os.File)
	color := ok && term.IsTerminal(int(f.Fd())) && os.Getenv("NO_COLOR") == ""
	return &textEncoder{w: bufio.NewWriter(w), color: color}
}

// paint wraps s in an ANSI colour when colour is on.
func (e *textEncoder) paint(code, s string) string {
	if !e.color {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

func verdictColor(v analyze.Verdict) string {
	switch v {
	case analyze.Malicious:
		return "1;31"
	case analyze.Suspicious:
		return "1;33"
	case analyze.Clean:
		return "32"
	}
	return "35"
}

func severityColor(s analyze.Severity) string {
	switch s {
	case analyze.Critical:
		return "1;31"
	case analyze.High:
		return "31"
	case analyze.Medium:
		return "33"
	}
	return "2"
}

var _ Encoder = (*textEncoder)(nil)

func (e *textEncoder) Result(r *scan.Result) error {
	e.result(r, "")
	return e.w.Flush()
}

func (e *textEncoder) result(r *scan.Result, indent string) {
	w := e.w
	fmt.Fprintf(w, "%s%s\n", indent, format.Plain(r.Path))
	in := indent + "  "
	if r.Kind != "" {
		id := format.Plain(strings.TrimSpace(r.Name + " " + r.Version))
		if id == "" {
			id = "(no name)"
		}
		packed := ""
		if r.Format != artifact.FormatDir {
			packed = " (" + artifact.FormatBytes(r.Size) + " packed)"
		}
		fmt.Fprintf(w, "%s%s %s (%s): %s, %s%s\n", in, r.Kind, id, r.Format,
			plural(r.Files, "file"), artifact.FormatBytes(r.UncompressedBytes), packed)
	}
	if m := r.Metadata; m != nil {
		var parts []string
		add := func(label, v string) {
			if v != "" {
				parts = append(parts, label+" "+v)
			}
		}
		add("summary:", format.Plain(clip(m.Summary, 60)))
		add("license:", format.Plain(clip(m.License, 40)))
		add("python", format.Plain(m.RequiresPython))
		if m.RequiresDist > 0 {
			parts = append(parts, plural(m.RequiresDist, "requirement"))
		}
		add("backend:", format.Plain(m.BuildBackend))
		if m.SetupPy {
			parts = append(parts, "setup.py")
		}
		if len(m.EntryPoints) > 0 {
			parts = append(parts, plural(len(m.EntryPoints), "entry point"))
		}
		if len(parts) > 0 {
			fmt.Fprintf(w, "%s%s\n", in, strings.Join(parts, "; "))
		}
	}
	if r.Verdict != "" {
		notRead := ""
		if n := len(r.NotRead); n > 0 {
			notRead = fmt.Sprintf("; %s not read (deeper than --max-depth), the verdict does not cover that", plural(n, "nested archive"))
		}
		fmt.Fprintf(w, "%sverdict: %s (score %d)%s\n", in, e.paint(verdictColor(r.Verdict), string(r.Verdict)), r.Score, notRead)
	}
	for _, f := range r.Findings {
		if f.Severity < analyze.Low {
			continue
		}
		loc := f.File
		if f.Line > 0 {
			loc += ":" + strconv.Itoa(f.Line)
		}
		fmt.Fprintf(w, "%s%s [%s] %s %s (%s): %s\n", in, severityMark(f.Severity), e.paint(severityColor(f.Severity), f.Severity.String()), f.Rule, format.Plain(loc), f.Context, format.Plain(f.Message))
		switch {
		case f.Excerpt != nil:
			width := len(strconv.Itoa(f.Excerpt.Start + len(f.Excerpt.Lines) - 1))
			for i, line := range f.Excerpt.Lines {
				n, mark := f.Excerpt.Start+i, "|"
				if n == f.Line {
					mark = ">"
				}
				fmt.Fprintf(w, "%s    %s %*d %s\n", in, mark, width, n, format.Plain(line))
			}
		case f.Snippet != "":
			fmt.Fprintf(w, "%s    | %s\n", in, format.Plain(f.Snippet))
		}
	}
	for _, a := range r.Anomalies {
		fmt.Fprintf(w, "%s! %s\n", in, format.Plain(fmt.Sprint(a)))
	}
	if r.Error != "" {
		fmt.Fprintf(w, "%serror: %s\n", in, format.Plain(r.Error))
	}
	for _, n := range r.Nested {
		e.result(n, in)
	}
}

func (e *textEncoder) Close(t Totals) error {
	fmt.Fprintf(e.w, "\n%s: %d malicious, %d suspicious; %s, %s (%s packed); %d with anomalies, %d unreadable\n",
		plural(t.Artifacts, "artifact"), t.Malicious, t.Suspicious, plural(t.Files, "file"), artifact.FormatBytes(t.UncompressedBytes),
		artifact.FormatBytes(t.Bytes), t.WithAnomalies, t.Failed)
	if t.Skipped > 0 {
		fmt.Fprintf(e.w, "%s not followed (listed on stderr)\n", plural(t.Skipped, "symbolic link"))
	}
	return e.w.Flush()
}

// clip collapses whitespace and cuts s to n runes.
func clip(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) > n {
		return string(r[:n]) + "..."
	}
	return string(r)
}

func severityMark(s analyze.Severity) string {
	switch s {
	case analyze.Critical:
		return "✗"
	case analyze.High:
		return "!"
	}
	return "·"
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
