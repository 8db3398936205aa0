package artifact

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/metadata"
	"github.com/safeguard-dev/safeguard/internal/pep440"
	"github.com/safeguard-dev/safeguard/internal/pkgname"
)

// Metadata is what the metadata files inside an artifact say. Paths name
// the tree entry each part was read from.
type Metadata struct {
	// Name and Version are the best-known values: core metadata, then
	// pyproject.toml, then setup.cfg.
	Name    string `json:"name,omitempty"`
	Version string `json:"version,omitempty"`

	Core        *metadata.Core        `json:"core,omitempty"`
	CorePath    string                `json:"core_path,omitempty"`
	Wheel       *metadata.Wheel       `json:"wheel,omitempty"`
	DistInfo    string                `json:"dist_info,omitempty"`
	Record      *metadata.Record      `json:"-"`
	EntryPoints []metadata.EntryPoint `json:"entry_points,omitempty"`
	TopLevel    []string              `json:"top_level,omitempty"`
	DirectURL   *metadata.DirectURL   `json:"direct_url,omitempty"`
	Pyproject   *metadata.Pyproject   `json:"pyproject,omitempty"`
	SetupCfg    *metadata.SetupCfg    `json:"setup_cfg,omitempty"`
	// SetupPy is the path of setup.py at the project root, if any.
	SetupPy string `json:"setup_py,omitempty"`
}

// readMetadata finds and parses the metadata files of a's kind.
func readMetadata(a *Artifact) {
	m := &a.Meta
	switch a.Kind {
	case KindWheel:
		m.DistInfo = findDistInfo(a)
		if m.DistInfo == "" {
			a.as.add(MissingMetadata, "", "no .dist-info directory")
			break
		}
		m.Core, m.CorePath = parseAt(a, m.DistInfo+"/METADATA", metadata.ParseCore)
		if m.Core == nil {
			a.as.add(MissingMetadata, m.DistInfo+"/METADATA", "")
		}
		m.Wheel, _ = parseAt(a, m.DistInfo+"/WHEEL", metadata.ParseWheel)
		if m.Wheel != nil {
			reportProblems(a, m.DistInfo+"/WHEEL", m.Wheel.Problems)
		}
		readEggInfoLike(a, m.DistInfo)
		if f := a.File(m.DistInfo + "/direct_url.json"); f != nil {
			d, err := metadata.ParseDirectURL(f.Bytes())
			if err != nil {
				a.as.add(MetadataProblem, f.Path, err.Error())
			}
			m.DirectURL = d
		}
		verifyRecord(a)
	case KindEgg:
		m.Core, m.CorePath = parseAt(a, "EGG-INFO/PKG-INFO", metadata.ParseCore)
		if m.Core == nil {
			a.as.add(MissingMetadata, "EGG-INFO/PKG-INFO", "")
		}
		readEggInfoLike(a, "EGG-INFO")
	case KindSdist, KindProject:
		readSourceMetadata(a)
	}
	if m.Core != nil {
		reportProblems(a, m.CorePath, m.Core.Problems)
		m.Name, m.Version = m.Core.Name, m.Core.Version
	}
	if m.Pyproject != nil {
		m.Name = first(m.Name, m.Pyproject.Name)
		m.Version = first(m.Version, m.Pyproject.Version)
	}
	if m.SetupCfg != nil {
		m.Name = first(m.Name, m.SetupCfg.Name)
		m.Version = first(m.Version, m.SetupCfg.Version)
	}
	checkFilename(a)
}

// readSourceMetadata reads an sdist or project: PKG-INFO, pyproject.toml,
// setup.cfg and setup.py at the root, and an .egg-info directory.
func readSourceMetadata(a *Artifact) {
	m := &a.Meta
	m.Core, m.CorePath = parseAt(a, rooted(a, "PKG-INFO"), metadata.ParseCore)
	egg := findEggInfo(a)
	if m.Core == nil && egg != "" {
		m.Core, m.CorePath = parseAt(a, egg+"/PKG-INFO", metadata.ParseCore)
	}
	if egg != "" {
		readEggInfoLike(a, egg)
	}
	if f := a.File(rooted(a, "pyproject.toml")); f != nil {
		p, err := metadata.ParsePyproject(f.Bytes())
		if err != nil {
			a.as.add(MetadataProblem, f.Path, err.Error())
		} else {
			m.Pyproject = p
			reportProblems(a, f.Path, p.Problems)
		}
	}
	if f := a.File(rooted(a, "setup.cfg")); f != nil {
		m.SetupCfg = metadata.ParseSetupCfg(f.Bytes())
		reportProblems(a, f.Path, m.SetupCfg.INI.Problems)
	}
	if f := a.File(rooted(a, "setup.py")); f != nil {
		m.SetupPy = f.Path
	}
}

// readEggInfoLike reads entry_points.txt and top_level.txt from dir.
func readEggInfoLike(a *Artifact, dir string) {
	if f := a.File(dir + "/entry_points.txt"); f != nil {
		eps, problems := metadata.ParseEntryPoints(f.Bytes())
		a.Meta.EntryPoints = eps
		reportProblems(a, f.Path, problems)
	}
	if f := a.File(dir + "/top_level.txt"); f != nil {
		a.Meta.TopLevel = metadata.ParseTopLevel(f.Bytes())
	}
}

// findDistInfo returns the wheel's .dist-info directory: the one the
// filename names, else the only one. More than one is an anomaly.
func findDistInfo(a *Artifact) string {
	dirs := topDirsWithSuffix(a, ".dist-info", "METADATA", "WHEEL")
	if len(dirs) > 1 {
		a.as.add(MultipleDistInfo, "", strings.Join(dirs, ", "))
		if a.Filename != nil {
			for _, d := range dirs {
				name, ver, _ := strings.Cut(strings.TrimSuffix(d, ".dist-info"), "-")
				if pkgname.Equal(name, a.Filename.Name) && pep440.Normalize(ver) == pep440.Normalize(a.Filename.Version) {
					return d
				}
			}
		}
	}
	if len(dirs) == 0 {
		return ""
	}
	return dirs[0]
}

// findEggInfo returns an .egg-info directory at the root or under src/.
func findEggInfo(a *Artifact) string {
	prefix := ""
	if a.Root != "" {
		prefix = a.Root + "/"
	}
	for _, f := range a.Files {
		rest, ok := strings.CutPrefix(f.Path, prefix)
		if !ok || path.Base(rest) != "PKG-INFO" {
			continue
		}
		dir := path.Dir(rest)
		if strings.HasSuffix(dir, ".egg-info") && (!strings.Contains(dir, "/") || strings.HasPrefix(dir, "src/") && strings.Count(dir, "/") == 1) {
			return prefix + dir
		}
	}
	return ""
}

// topDirsWithSuffix lists top-level directories named *suffix holding any
// of the given files, sorted.
func topDirsWithSuffix(a *Artifact, suffix string, files ...string) []string {
	set := map[string]bool{}
	for _, f := range a.Files {
		dir, base, ok := strings.Cut(f.Path, "/")
		if ok && strings.HasSuffix(dir, suffix) && contains(files, base) {
			set[dir] = true
		}
	}
	dirs := make([]string, 0, len(set))
	for d := range set {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	return dirs
}

// checkFilename compares the filename with the metadata inside.
func checkFilename(a *Artifact) {
	fn, m := a.Filename, a.Meta
	if fn == nil || m.Core == nil || m.Core.Name == "" || strings.Contains(m.CorePath, ".egg-info/") {
		// An .egg-info directory in a source tree is a build by-product,
		// not the metadata the sdist is published with.
		return
	}
	if !pkgname.Equal(fn.Name, m.Core.Name) {
		a.as.add(MetadataMismatch, m.CorePath, fmt.Sprintf("filename says %q, metadata says %q", fn.Name, m.Core.Name))
	}
	if m.Core.Version != "" && pep440.Normalize(fn.Version) != pep440.Normalize(m.Core.Version) {
		a.as.add(MetadataMismatch, m.CorePath, fmt.Sprintf("filename says version %q, metadata says %q", fn.Version, m.Core.Version))
	}
}

func parseAt[T any](a *Artifact, p string, parse func([]byte) T) (T, string) {
	var zero T
	f := a.File(p)
	if f == nil || f.Type != TypeRegular {
		return zero, ""
	}
	return parse(f.Bytes()), f.Path
}

func reportProblems(a *Artifact, p string, problems []metadata.Problem) {
	for _, pr := range problems {
		a.as.add(MetadataProblem, p, pr.String())
	}
}

func rooted(a *Artifact, p string) string {
	if a.Root == "" {
		return p
	}
	return a.Root + "/" + p
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
