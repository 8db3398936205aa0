package analyze

import "strings"

// pipInstall: installing other packages from inside a package.
type pipInstall struct{}

var _ Rule = (*pipInstall)(nil)

func (pipInstall) Info() RuleInfo {
	return RuleInfo{ID: "pip-install-at-runtime", Severity: Medium,
		Description: "The package runs pip to install other packages while it is being installed or imported, outside the resolver and its pins: a common second-stage dropper.",
		Triggers:    []string{"pip"}}
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
		r.report(x.Info(), f, Medium, false, c.Line, c.Col, c.ctx, "installs packages with pip at "+string(c.ctx)+" time", c.cmd)
	}
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
