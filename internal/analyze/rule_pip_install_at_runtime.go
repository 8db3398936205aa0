package analyze

import (
	"slices"
	"strings"
)

// pipInstall: installing other packages from inside a package.
type pipInstall struct{}

var _ Rule = (*pipInstall)(nil)

func (pipInstall) Info() RuleInfo {
	return RuleInfo{ID: "pip-install-at-runtime", Severity: Medium,
		Description: "The package runs pip to install other packages while it is being installed or imported, outside the resolver and its pins: a common second-stage dropper. High when the package is fetched from an address that is neither an index nor a code forge.",
		// Check needs a process call (its words) or pip's own main,
		// named in one of the ways it can be imported.
		Triggers: slices.Concat(processWords, []string{"pip.main", "pip._internal", "from pip import", "pip as"})}
}

func (x pipInstall) Check(f *file, r *reporter) {
	for _, c := range f.calls {
		if !c.ctx.Executes() {
			continue
		}
		pipCall := c.Name == "pip.main" || c.Name == "pip._internal.main" || c.Name == "pip._internal.cli.main.main"
		if !(c.proc && rePip.MatchString(c.cmd) || pipCall) {
			continue
		}
		// What is installed is written so that no one can read it.
		if args := f.mod.Tree.Text(c.Node); isObfuscatedExpr(args) {
			r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, "installs packages whose names are hidden by obfuscation at "+string(c.ctx)+" time")
			continue
		}
		// A package fetched from an address of the code's choosing, not
		// from an index or a code forge, is a second stage whose setup
		// code runs now.
		if u := pipURL(c.cmd); u != "" {
			r.report(x.Info(), f, High, false, c.Line, c.Col, c.ctx, "installs a package from "+u+" at "+string(c.ctx)+" time, outside any index", c.cmd)
			continue
		}
		r.report(x.Info(), f, Medium, false, c.Line, c.Col, c.ctx, "installs packages with pip at "+string(c.ctx)+" time", c.cmd)
	}
}

// pipURL returns the address of a package a pip command installs
// directly, when it is neither a package index nor a code forge (git+,
// GitHub, GitLab, Bitbucket archives), or "".
func pipURL(cmd string) string {
	for _, w := range shellWords(cmd) {
		w = strings.Trim(w, `"'`)
		lw := strings.ToLower(w)
		if !strings.HasPrefix(lw, "http://") && !strings.HasPrefix(lw, "https://") {
			continue
		}
		host := lw[strings.Index(lw, "//")+2:]
		if i := strings.IndexAny(host, "/:?#"); i >= 0 {
			host = host[:i]
		}
		if i := strings.LastIndexByte(host, '@'); i >= 0 {
			host = host[i+1:]
		}
		switch {
		case host == "pypi.org", host == "files.pythonhosted.org", host == "test.pypi.org", host == "github.com", host == "codeload.github.com",
			host == "gitlab.com", host == "bitbucket.org", strings.HasSuffix(host, ".github.com"), strings.HasSuffix(host, ".githubusercontent.com"):
			continue
		}
		return w
	}
	return ""
}

// isObfuscatedExpr recognises expressions built to hide a string: names
// assembled from builtins' reprs, chr() arithmetic, reversed or decoded data.
func isObfuscatedExpr(text string) bool {
	marks := 0
	for _, m := range []string{"__builtins__", "__str__", "chr(", "getattr(", "[::-1]", "b64decode", "<<", "\\x"} {
		if strings.Contains(text, m) {
			marks++
		}
	}
	return marks >= 2
}
