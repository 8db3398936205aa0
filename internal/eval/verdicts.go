package eval

import (
	"bufio"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
)

// WriteVerdicts writes one line per artifact, sorted: the corpus and the
// artifact's path in it, its verdict, and the rules that found something
// with their highest severity, tab-separated. Kept in the repository and
// diffed by CI, it shows in review which artifact a change moves, where
// the summary would only show a total move.
func WriteVerdicts(w io.Writer, stats []*Stats) error {
	var lines []string
	for _, s := range stats {
		for _, o := range s.Outcomes {
			found := strings.Join(o.Found, " ")
			if found == "" {
				found = "-"
			}
			lines = append(lines, fmt.Sprintf("%s\t%s\t%s", path.Join(s.Corpus.Name, rel(s.Corpus.Dir, o.Path)), o.Verdict, found))
		}
	}
	sort.Strings(lines)
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "# artifact\tverdict\trules that found something (rule:highest severity)")
	for _, l := range lines {
		fmt.Fprintln(bw, l)
	}
	return bw.Flush()
}
