package analyze

import (
	"path"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/artifact"
)

// bundledExecutable: compiled programs where no build puts them.
type bundledExecutable struct{}

var _ ArtifactRule = (*bundledExecutable)(nil)

func (bundledExecutable) Info() RuleInfo {
	return RuleInfo{ID: "bundled-executable", Severity: Medium,
		Description: "A compiled executable (ELF, PE or Mach-O) ships in a source distribution or a pure-Python wheel."}
}

// CheckArtifact reports the first executable in a source distribution or
// in a wheel tagged for any platform.
func (x bundledExecutable) CheckArtifact(a *artifact.Artifact, prefix string, res *Result) {
	pure := a.Kind != artifact.KindWheel
	if a.Kind == artifact.KindWheel && a.Filename != nil {
		pure = len(a.Filename.PlatformTags) == 1 && a.Filename.PlatformTags[0] == "any"
	}
	if !pure {
		return
	}
	for _, f := range a.Files {
		if a.Kind == artifact.KindWheel && isExtensionModule(f.Path) {
			continue // repackaged wheels carry extension modules under a pure tag
		}
		if f.Type == artifact.TypeRegular && isExecutableFile(f) {
			res.Findings = append(res.Findings, Finding{Rule: x.Info().ID, Severity: Medium, base: Medium, Confidence: "high",
				Context: Runtime, File: prefix + f.Path, Message: "ships a compiled executable (" + path.Ext(f.Path) + ") in " + string(a.Kind)})
			return
		}
	}
}

func isExtensionModule(p string) bool {
	for _, ext := range []string{".so", ".pyd", ".dylib", ".dll"} {
		if strings.HasSuffix(p, ext) || strings.Contains(p, ext+".") {
			return true
		}
	}
	return false
}
