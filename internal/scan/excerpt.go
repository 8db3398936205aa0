package scan

import (
	"bytes"
	"unicode/utf8"

	"github.com/safeguard-dev/safeguard/internal/analyze"
	"github.com/safeguard-dev/safeguard/internal/artifact"
)

// StoredExcerpt is the lines of code before and after a finding that the
// index and the monitor keep with a flagged verdict.
const StoredExcerpt = 3

// Excerpt bounds: files larger than maxExcerptFile are not read again for
// an excerpt, and each line is cut at maxExcerptLine runes.
const (
	maxExcerptFile = 8 << 20
	maxExcerptLine = 240
)

// addExcerpts gives each finding that names a line of one of a's own
// files (not of a nested archive) the n lines before and after it.
func addExcerpts(a *artifact.Artifact, fs []analyze.Finding, n int) {
	byPath := map[string]*artifact.File{}
	for _, f := range a.Files {
		byPath[f.Path] = f
	}
	starts := map[string][]int{} // line starts per file, computed once
	var data map[string][]byte
	for i := range fs {
		f := &fs[i]
		file := byPath[f.File]
		if f.Line < 1 || file == nil || file.Size > maxExcerptFile {
			continue
		}
		if data == nil {
			data = map[string][]byte{}
		}
		src, ok := data[f.File]
		if !ok {
			src = file.Bytes()
			data[f.File] = src
			starts[f.File] = lineStarts(src)
		}
		ls := starts[f.File]
		if f.Line > len(ls) {
			continue
		}
		first, last := max(1, f.Line-n), min(len(ls), f.Line+n)
		ex := &analyze.Excerpt{Start: first}
		for l := first; l <= last; l++ {
			end := len(src)
			if l < len(ls) {
				end = ls[l] - 1
			}
			ex.Lines = append(ex.Lines, clipLine(src[ls[l-1]:end]))
		}
		f.Excerpt = ex
	}
}

// lineStarts are the offsets at which src's lines start.
func lineStarts(src []byte) []int {
	out := []int{0}
	for i := 0; ; {
		j := bytes.IndexByte(src[i:], '\n')
		if j < 0 {
			return out
		}
		i += j + 1
		out = append(out, i)
	}
}

// clipLine is a line as text: carriage return dropped, invalid UTF-8
// replaced, at most maxExcerptLine runes.
func clipLine(b []byte) string {
	b = bytes.TrimSuffix(b, []byte("\r"))
	s := string(bytes.ToValidUTF8(b, []byte("\uFFFD")))
	if utf8.RuneCountInString(s) > maxExcerptLine {
		r := []rune(s)
		s = string(r[:maxExcerptLine]) + "…"
	}
	return s
}
