package analyze

import (
	"strings"

	"github.com/safeguard-dev/safeguard/internal/artifact"
	"github.com/safeguard-dev/safeguard/internal/python"
)

// pthStartupCode: code in a .pth file, run at every interpreter start.
type pthStartupCode struct{}

var _ ArtifactRule = (*pthStartupCode)(nil)

func (pthStartupCode) Info() RuleInfo {
	return RuleInfo{ID: "pth-startup-code", Severity: Medium,
		Description: "A .pth file runs code at every interpreter start, beyond adding a path or importing a module."}
}

// CheckArtifact reads the artifact's .pth files.
func (x pthStartupCode) CheckArtifact(a *artifact.Artifact, prefix string, res *Result) {
	for _, f := range a.Files {
		if f.Type == artifact.TypeRegular && strings.HasSuffix(f.Path, ".pth") {
			x.checkFile(prefix+f.Path, f.Bytes(), res)
		}
	}
}

// checkFile reads a .pth file: lines starting with "import" run at every
// interpreter start. Their code goes through the code rules too.
func (x pthStartupCode) checkFile(p string, data []byte, res *Result) {
	info := x.Info()
	for i, line := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(line)
		if !strings.HasPrefix(t, "import ") && !strings.HasPrefix(t, "import\t") {
			continue
		}
		mod, err := python.Load([]byte(t))
		if err != nil {
			continue
		}
		f := newFile(p, Startup, mod, nil)
		r := &reporter{src: data}
		for j := range f.calls {
			f.calls[j].Line = i + 1
		}
		for j := range f.strs {
			f.strs[j].line = i + 1
		}
		runRules(f, r, data)
		res.Findings = append(res.Findings, r.findings...)
		// Beyond "import x": code on a .pth line is unusual.
		if len(mod.Calls) > 0 || strings.Contains(t, ";") {
			sev := Low
			for _, c := range mod.Calls {
				if isCallOf(c.Name, dynamicCodeAPIs) || isCallOf(c.Name, processAPIs) || isCallOf(c.Name, networkAPIs) || isDecoder(c.Name) {
					sev = Medium
				}
			}
			r2 := &reporter{src: data}
			r2.report(info, f, sev, true, i+1, 0, Startup, "runs code at every interpreter start")
			res.Findings = append(res.Findings, r2.findings...)
		}
	}
}
