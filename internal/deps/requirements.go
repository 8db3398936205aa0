package deps

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/pep508"
	"github.com/safeguard-dev/safeguard/internal/pkgname"
)

var requirementsInfo = ParserInfo{
	Name:    "requirements.txt",
	Files:   []string{"requirements*.txt", "constraints*.txt"},
	Records: Records{Specifiers: true, Hashes: true, Direct: true, Scopes: true, Markers: true, Extras: true, Sources: true},
	Notes: "pip's format: `-r` and `-c` includes (what a constraints file lists is scoped `constraint` and not direct), " +
		"`--hash`, editable, VCS, URL and path lines, `${VAR}` from the environment, file-wide options " +
		"(`--require-hashes` holds for the whole inventory). Any other `.txt` file named on the command line is read this way too.",
}

// Requirements is what a pip requirements file (and the files it
// includes) declares.
type Requirements struct {
	Packages []Package `json:"packages"`
	Options  Options   `json:"options"`
	Problems []Problem `json:"problems,omitempty"`
}

// Options are the file-wide pip options.
type Options struct {
	IndexURL       string   `json:"index_url,omitempty"`
	ExtraIndexURLs []string `json:"extra_index_urls,omitempty"`
	FindLinks      []string `json:"find_links,omitempty"`
	NoIndex        bool     `json:"no_index,omitempty"`
	OnlyBinary     []string `json:"only_binary,omitempty"`
	NoBinary       []string `json:"no_binary,omitempty"`
	RequireHashes  bool     `json:"require_hashes,omitempty"`
	Pre            bool     `json:"pre,omitempty"`
}

// Limits on what requirements files may make us read.
const (
	maxReqFileBytes = 8 << 20
	maxIncludeDepth = 16
	maxReqFiles     = 256
)

// ErrIncludeCycle marks a file that includes itself, directly or not.
var ErrIncludeCycle = errors.New("requirements files include each other in a cycle")

// ParseRequirements reads the requirements file name in fsys and every file
// it includes with -r (requirements) or -c (constraints). env answers
// ${VAR} references (nil: none are replaced). Lines that cannot be used
// become Problems; an unreadable top file is an error.
func ParseRequirements(fsys fs.FS, name string, env func(string) (string, bool)) (*Requirements, error) {
	p := &reqParser{fsys: fsys, env: env, out: &Requirements{}, open: map[string]bool{}}
	if err := p.file(name, "main", 0); err != nil {
		return nil, err
	}
	return p.out, nil
}

type reqParser struct {
	fsys  fs.FS
	env   func(string) (string, bool)
	out   *Requirements
	open  map[string]bool // files being read: a cycle if seen again
	files int
}

var (
	reComment = regexp.MustCompile(`(^|\s+)#.*$`)
	reEnvVar  = regexp.MustCompile(`\$\{([A-Z0-9_]+)\}`)
	reEgg     = regexp.MustCompile(`#(?:.*&)?egg=([A-Za-z0-9][A-Za-z0-9._-]*)`)
)

func (p *reqParser) file(name, scope string, depth int) error {
	name = path.Clean(name)
	if p.open[name] {
		return fmt.Errorf("%s: %w", name, ErrIncludeCycle)
	}
	if depth > maxIncludeDepth || p.files >= maxReqFiles {
		return fmt.Errorf("%s: includes nested deeper than %d or more than %d files", name, maxIncludeDepth, maxReqFiles)
	}
	p.files++
	st, err := fs.Stat(p.fsys, name)
	if err != nil {
		return err
	}
	if st.Size() > maxReqFileBytes {
		return fmt.Errorf("%s: %d bytes, larger than %d", name, st.Size(), maxReqFileBytes)
	}
	data, err := fs.ReadFile(p.fsys, name)
	if err != nil {
		return err
	}
	p.open[name] = true
	defer delete(p.open, name)
	for _, l := range logicalLines(string(data)) {
		p.line(name, l.n, l.text, scope, depth)
	}
	return nil
}

type logicalLine struct {
	n    int // the first physical line
	text string
}

// logicalLines joins backslash continuations and drops comments, as pip
// does: a comment starts at a # at the start or after whitespace.
func logicalLines(data string) []logicalLine {
	var out []logicalLine
	var cur strings.Builder
	start := 0
	for i, raw := range strings.Split(strings.ReplaceAll(data, "\r\n", "\n"), "\n") {
		if cur.Len() == 0 {
			start = i + 1
		}
		raw = reComment.ReplaceAllString(raw, "")
		if strings.HasSuffix(raw, `\`) {
			cur.WriteString(strings.TrimSuffix(raw, `\`))
			continue
		}
		cur.WriteString(raw)
		if t := strings.TrimSpace(cur.String()); t != "" {
			out = append(out, logicalLine{start, t})
		}
		cur.Reset()
	}
	if t := strings.TrimSpace(cur.String()); t != "" {
		out = append(out, logicalLine{start, t})
	}
	return out
}

func (p *reqParser) problem(file string, line int, format string, args ...any) {
	p.out.Problems = append(p.out.Problems, Problem{File: file, Line: line, Message: fmt.Sprintf(format, args...)})
}

func (p *reqParser) line(file string, n int, text, scope string, depth int) {
	if p.env != nil {
		text = reEnvVar.ReplaceAllStringFunc(text, func(m string) string {
			if v, ok := p.env(m[2 : len(m)-1]); ok {
				return v
			}
			return m
		})
	}
	if strings.HasPrefix(text, "-") {
		p.option(file, n, text, scope, depth)
		return
	}
	// Per-requirement options follow the requirement: --hash=..., --config-settings...
	req, opts := splitOptions(text)
	pkg, err := parseRequirementLine(req, false)
	if err != nil {
		p.problem(file, n, "%v", err)
		return
	}
	for _, o := range opts {
		key, val, _ := strings.Cut(o, "=")
		switch key {
		case "--hash":
			if !strings.Contains(val, ":") {
				p.problem(file, n, "--hash %q: want algorithm:digest", val)
				continue
			}
			pkg.Hashes = append(pkg.Hashes, val)
		case "--config-settings", "--global-option", "--install-option", "-C":
		default:
			p.problem(file, n, "unknown option %q after a requirement", key)
		}
	}
	pkg.File, pkg.Line, pkg.Scope, pkg.Direct = file, n, scope, scope != "constraint"
	p.out.Packages = append(p.out.Packages, pkg)
}

// splitOptions separates a requirement from the options after it. Option
// values may be given with "=" or as the next word.
func splitOptions(text string) (string, []string) {
	fields := strings.Fields(text)
	i := 0
	for i < len(fields) && !strings.HasPrefix(fields[i], "--") {
		i++
	}
	req := strings.Join(fields[:i], " ")
	var opts []string
	for ; i < len(fields); i++ {
		f := fields[i]
		if !strings.Contains(f, "=") && i+1 < len(fields) && !strings.HasPrefix(fields[i+1], "-") {
			f += "=" + fields[i+1]
			i++
		}
		opts = append(opts, f)
	}
	return req, opts
}

func (p *reqParser) option(file string, n int, text, scope string, depth int) {
	key, val := text, ""
	if i := strings.IndexAny(text, " \t="); i >= 0 {
		key, val = text[:i], strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(text[i:]), "="))
	}
	o := &p.out.Options
	switch key {
	case "-r", "--requirement", "-c", "--constraint":
		sub := "main"
		if key == "-c" || key == "--constraint" {
			sub = "constraint"
		} else if scope == "constraint" {
			sub = "constraint"
		}
		target := val
		if !path.IsAbs(target) {
			target = path.Join(path.Dir(file), target)
		}
		if err := p.file(target, sub, depth+1); err != nil {
			p.problem(file, n, "%s %s: %v", key, val, err)
		}
	case "-e", "--editable":
		pkg, err := parseRequirementLine(val, true)
		if err != nil {
			p.problem(file, n, "%v", err)
			return
		}
		pkg.File, pkg.Line, pkg.Scope, pkg.Direct = file, n, scope, true
		p.out.Packages = append(p.out.Packages, pkg)
	case "-i", "--index-url":
		o.IndexURL = val
	case "--extra-index-url":
		o.ExtraIndexURLs = append(o.ExtraIndexURLs, val)
	case "-f", "--find-links":
		o.FindLinks = append(o.FindLinks, val)
	case "--no-index":
		o.NoIndex = true
	case "--only-binary":
		o.OnlyBinary = append(o.OnlyBinary, strings.Split(val, ",")...)
	case "--no-binary":
		o.NoBinary = append(o.NoBinary, strings.Split(val, ",")...)
	case "--require-hashes":
		o.RequireHashes = true
	case "--pre":
		o.Pre = true
	case "--prefer-binary", "--trusted-host", "--use-feature", "--use-pep517", "--no-use-pep517", "--config-settings":
	default:
		p.problem(file, n, "unknown option %q", key)
	}
}

// parseRequirementLine reads one requirement: PEP 508, or a URL, VCS
// reference or local path (named by #egg= when it is not a PEP 508
// "name @ url").
func parseRequirementLine(s string, editable bool) (Package, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Package{}, errors.New("empty requirement")
	}
	src := Source{Kind: "index", Editable: editable}
	if looksLikeLocation(s) {
		src.URL = s
		switch {
		case strings.HasPrefix(s, "git+") || strings.HasPrefix(s, "hg+") || strings.HasPrefix(s, "svn+") || strings.HasPrefix(s, "bzr+"):
			src.Kind = "vcs"
		case strings.Contains(s, "://") || strings.HasPrefix(s, "file:"):
			src.Kind = "url"
		default:
			src.Kind = "path"
		}
		name := ""
		if m := reEgg.FindStringSubmatch(s); m != nil {
			name = m[1]
		} else if f, ok := artifactName(s); ok {
			name = f
		}
		return Package{Name: pkgname.Normalize(name), Source: src}, nil
	}
	r, err := pep508.Parse(s)
	if err != nil {
		return Package{}, err
	}
	pkg := Package{Name: r.NormalizedName(), Specifier: r.Specifier.String(), Extras: r.Extras, Source: src}
	if r.URL != "" {
		pkg.Source.URL = r.URL
		pkg.Source.Kind = "url"
		if strings.HasPrefix(r.URL, "git+") || strings.HasPrefix(r.URL, "hg+") || strings.HasPrefix(r.URL, "svn+") || strings.HasPrefix(r.URL, "bzr+") {
			pkg.Source.Kind = "vcs"
		}
	}
	if r.Marker != nil {
		pkg.Marker = r.Marker.String()
	}
	if v, ok := r.Specifier.Pin(); ok {
		pkg.Version = v
	}
	return pkg, nil
}

func looksLikeLocation(s string) bool {
	if pkgname.Valid(strings.Fields(s)[0]) && !strings.Contains(s, "/") && !strings.HasSuffix(s, ".whl") && !strings.HasSuffix(s, ".zip") && !strings.HasSuffix(s, ".tar.gz") {
		return false
	}
	if strings.Contains(s, " @ ") || strings.Contains(s, "@ ") && !strings.Contains(s, "://") {
		return false
	}
	return strings.Contains(s, "://") || strings.HasPrefix(s, "file:") || strings.HasPrefix(s, ".") || strings.HasPrefix(s, "/") ||
		strings.HasSuffix(s, ".whl") || strings.HasSuffix(s, ".zip") || strings.HasSuffix(s, ".tar.gz")
}

// artifactName reads the project name from a wheel or sdist filename at the
// end of a path or URL.
func artifactName(s string) (string, bool) {
	base := path.Base(strings.SplitN(strings.SplitN(s, "#", 2)[0], "?", 2)[0])
	for _, ext := range []string{".whl", ".tar.gz", ".zip"} {
		if stem, ok := strings.CutSuffix(base, ext); ok {
			name, _, _ := strings.Cut(stem, "-")
			return name, name != ""
		}
	}
	return "", false
}
