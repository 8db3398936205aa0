package analyze

import (
	"bytes"
	"path"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/artifact"
)

// bundledExecutable: compiled programs where no build puts them.
type bundledExecutable struct{}

var _ ArtifactRule = (*bundledExecutable)(nil)

func (bundledExecutable) Info() RuleInfo {
	return RuleInfo{ID: "bundled-executable", Severity: Medium,
		Description: "A compiled executable (ELF, PE or Mach-O) ships in a source distribution or a pure-Python wheel; critical when disguised as Python source or a certificate, high as an image or text, or XOR-encrypted."}
}

// CheckArtifact reports the first executable in a source distribution or
// in a wheel tagged for any platform.
func (x bundledExecutable) CheckArtifact(a *artifact.Artifact, prefix string, res *Result) {
	pure := a.Kind != artifact.KindWheel
	if a.Kind == artifact.KindWheel && a.Filename != nil {
		pure = len(a.Filename.PlatformTags) == 1 && a.Filename.PlatformTags[0] == "any"
	}
	// A program under the name of something that is never one, or
	// encrypted so that it shows no magic number: a disguised payload,
	// whatever the distribution.
	for _, f := range a.Files {
		sev := disguise(f.Path)
		if f.Type != artifact.TypeRegular || f.Size < 64 || sev == Info {
			continue
		}
		head := f.Head(64)
		if hasExecMagic(head) && isExecutableFile(f) {
			res.Findings = append(res.Findings, Finding{Rule: x.Info().ID, Severity: sev, base: sev, Confidence: "high",
				Context: Runtime, File: prefix + f.Path, Message: "ships a compiled executable disguised as a " + path.Ext(f.Path) + " file"})
			return
		}
		if key := xorKey(head); key != nil {
			sev = max(sev, High)
			res.Findings = append(res.Findings, Finding{Rule: x.Info().ID, Severity: sev, base: sev, Confidence: "high",
				Context: Runtime, File: prefix + f.Path, Message: "ships a compiled executable encrypted with a " + itoa(len(key)) + "-byte XOR key, named as a " + path.Ext(f.Path) + " file"})
			return
		}
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

// hasExecMagic reports a head starting like an ELF, PE or Mach-O file.
func hasExecMagic(head []byte) bool {
	if bytes.HasPrefix(head, magicELF) || bytes.HasPrefix(head, []byte("MZ")) {
		return true
	}
	for _, m := range magicMachO {
		if bytes.HasPrefix(head, m) {
			return true
		}
	}
	return false
}
