// Package eval measures the analysis engine on labelled corpora: how many
// malicious artifacts it catches, how many benign ones it calls malicious
// or suspicious, and how fast. It backs `safeguard eval`, which CI runs on
// the evaluation corpus.
package eval

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"strings"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/safeguard-dev/safeguard/internal/scan"

	"github.com/safeguard-dev/safeguard/internal/analyze"
	"github.com/safeguard-dev/safeguard/internal/artifact"
)

// Corpus is a directory of artifacts that are all malicious or all benign.
type Corpus struct {
	Name      string
	Dir       string
	Malicious bool
}

// Outcome is one artifact's result.
type Outcome struct {
	Path    string
	Verdict analyze.Verdict
	Top     *analyze.Finding
	Rules   []string
	// Found lists each rule that found something as "rule:severity", at
	// its highest severity, sorted: what the expected-verdicts file keeps.
	Found   []string
	Elapsed time.Duration
	Bytes   int64
}

// Stats summarise one corpus.
type Stats struct {
	Corpus   Corpus
	Outcomes []Outcome
	Counts   map[analyze.Verdict]int
	Wall     time.Duration
	Bytes    int64
	// PeakRSS is the process's peak resident memory when the corpus was
	// done: corpora run in order, and memory is returned to the system
	// between them, so the first corpus's figure is its own.
	PeakRSS int64
}

// Run analyses every artifact of every corpus with jobs workers.
func Run(ctx context.Context, corpora []Corpus, jobs int) ([]*Stats, error) {
	var out []*Stats
	for _, c := range corpora {
		paths, err := artifact.Discover([]string{c.Dir})
		if err != nil {
			return nil, err
		}
		st := &Stats{Corpus: c, Counts: map[analyze.Verdict]int{}, Outcomes: make([]Outcome, len(paths))}
		start := time.Now()
		i := 0
		err = scan.All(ctx, scan.Paths(paths), jobs, scan.Config{}, func(r *scan.Result, _ error) error {
			st.Outcomes[i] = outcome(r)
			i++
			return nil
		})
		if err != nil {
			return nil, err
		}
		st.Wall = time.Since(start)
		st.PeakRSS = peakRSSBytes()
		debug.FreeOSMemory()
		for _, o := range st.Outcomes {
			st.Counts[o.Verdict]++
			st.Bytes += o.Bytes
		}
		out = append(out, st)
	}
	return out, nil
}

// outcome is what the evaluation keeps of a result: its verdict, its
// first finding, and the rules that found something high or critical.
func outcome(r *scan.Result) Outcome {
	o := Outcome{Path: r.Path, Verdict: r.Verdict, Bytes: r.Size, Elapsed: time.Duration(r.ElapsedMS) * time.Millisecond}
	if r.Verdict == analyze.Error && len(r.Findings) == 0 {
		o.Top = &analyze.Finding{Rule: "read-error", Message: r.Error}
		return o
	}
	if len(r.Findings) > 0 {
		o.Top = &r.Findings[0]
	}
	seen := map[string]bool{}
	worst := map[string]analyze.Severity{}
	for _, f := range r.Findings {
		if f.Severity >= analyze.High && !seen[f.Rule] {
			seen[f.Rule] = true
			o.Rules = append(o.Rules, f.Rule)
		}
		if s, ok := worst[f.Rule]; !ok || f.Severity > s {
			worst[f.Rule] = f.Severity
		}
	}
	for rule, s := range worst {
		o.Found = append(o.Found, rule+":"+s.String())
	}
	sort.Strings(o.Found)
	return o
}

// Summary is the one-line summary of a corpus.
func (s *Stats) Summary() string {
	n := len(s.Outcomes)
	mal, sus := s.Counts[analyze.Malicious], s.Counts[analyze.Suspicious]
	secs := s.Wall.Seconds()
	rate := fmt.Sprintf("%.0f artifacts/s, %.1f MB/s, peak memory so far %s", float64(n)/secs, float64(s.Bytes)/1e6/secs, artifact.FormatBytes(s.PeakRSS))
	if s.Corpus.Malicious {
		return fmt.Sprintf("%s: %d artifacts; malicious %d, suspicious %d, clean %d, error %d; recall %.1f%% (malicious) %.1f%% (malicious or suspicious); %.2fs, %s",
			s.Corpus.Name, n, mal, sus, s.Counts[analyze.Clean], s.Counts[analyze.Error], pct(mal, n), pct(mal+sus, n), secs, rate)
	}
	return fmt.Sprintf("%s: %d artifacts; malicious %d, suspicious %d, clean %d, error %d; false positives %.1f%% (malicious) %.1f%% (malicious or suspicious); %.2fs, %s",
		s.Corpus.Name, n, mal, sus, s.Counts[analyze.Clean], s.Counts[analyze.Error], pct(mal, n), pct(mal+sus, n), secs, rate)
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

// Report writes the details: rule hits, slowest artifacts, misses and
// false positives with their top finding, then the summary lines.
func Report(w io.Writer, stats []*Stats, verbose bool) {
	for _, s := range stats {
		fmt.Fprintf(w, "== %s (%s)\n", s.Corpus.Name, s.Corpus.Dir)
		hits := map[string]int{}
		for _, o := range s.Outcomes {
			for _, r := range o.Rules {
				hits[r]++
			}
		}
		rules := make([]string, 0, len(hits))
		for r := range hits {
			rules = append(rules, r)
		}
		sort.Slice(rules, func(i, j int) bool {
			return hits[rules[i]] > hits[rules[j]] || hits[rules[i]] == hits[rules[j]] && rules[i] < rules[j]
		})
		fmt.Fprint(w, "rule hits (high or critical):")
		for _, r := range rules {
			fmt.Fprintf(w, " %s=%d", r, hits[r])
		}
		fmt.Fprintln(w)
		slow := append([]Outcome{}, s.Outcomes...)
		sort.Slice(slow, func(i, j int) bool { return slow[i].Elapsed > slow[j].Elapsed })
		fmt.Fprint(w, "slowest:")
		for _, o := range slow[:min(5, len(slow))] {
			fmt.Fprintf(w, " %s %.0fms;", rel(s.Corpus.Dir, o.Path), float64(o.Elapsed.Microseconds())/1000)
		}
		fmt.Fprintln(w)
		var list []string
		for _, o := range s.Outcomes {
			bad := s.Corpus.Malicious && o.Verdict != analyze.Malicious || !s.Corpus.Malicious && o.Verdict != analyze.Clean
			if !bad || !verbose && !s.Corpus.Malicious && o.Verdict == analyze.Suspicious {
				continue
			}
			top := "no findings"
			if o.Top != nil {
				top = fmt.Sprintf("%s [%s] %s:%d %s", o.Top.Rule, o.Top.Severity, o.Top.File, o.Top.Line, o.Top.Message)
			}
			list = append(list, fmt.Sprintf("  %-10s %s — %s", o.Verdict, rel(s.Corpus.Dir, o.Path), oneLine(top)))
		}
		label := "misses (not malicious)"
		if !s.Corpus.Malicious {
			label = "false positives (malicious; with -v also suspicious)"
		}
		fmt.Fprintf(w, "%s: %d\n", label, len(list))
		for _, l := range list {
			fmt.Fprintln(w, l)
		}
	}
	fmt.Fprintln(w, "== summary")
	for _, s := range stats {
		fmt.Fprintln(w, s.Summary())
	}
	fmt.Fprintf(w, "peak memory: %s\n", artifact.FormatBytes(peakRSSBytes()))
}

func rel(dir, p string) string {
	return strings.TrimPrefix(strings.TrimPrefix(p, dir), "/")
}

func oneLine(s string) string {
	// Messages quote artifact content: keep the report printable text.
	s = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) {
			return '?'
		}
		return r
	}, strings.ToValidUTF8(s, "?"))
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 220 {
		s = string(r[:220]) + "…"
	}
	return s
}

// peakRSSBytes reports the process's peak resident memory, or 0.
func peakRSSBytes() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Maxrss * 1024
}

// Exists reports whether a corpus directory is there.
func Exists(dir string) bool {
	st, err := os.Stat(dir)
	return err == nil && st.IsDir()
}
