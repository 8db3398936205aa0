package deps

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/licenses"
	"github.com/safeguard-dev/safeguard/internal/metadata"
)

// maxMetadataBytes bounds one METADATA or PKG-INFO file read.
const maxMetadataBytes = 16 << 20

// ParseEnvironment reads an installed environment: a virtualenv (its
// lib/python*/site-packages) or a site-packages directory. Each .dist-info
// (or legacy .egg-info) is a package; REQUESTED marks what was asked for,
// direct_url.json where it came from, and the graph follows Requires-Dist
// whose markers hold for the environment's Python and this platform.
func ParseEnvironment(dir string) (*Lock, error) {
	site, pyver, err := sitePackages(dir)
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(site)
	if err != nil {
		return nil, err
	}
	env := markerEnv(pyver)
	out := &Lock{}
	type reqs struct {
		i    int
		deps []string
	}
	var all []reqs
	for _, e := range entries {
		name := e.Name()
		var meta, kind string
		switch {
		case strings.HasSuffix(name, ".dist-info") && e.IsDir():
			meta, kind = filepath.Join(site, name, "METADATA"), "dist-info"
		case strings.HasSuffix(name, ".egg-info"):
			meta, kind = filepath.Join(site, name), "egg-info"
			if e.IsDir() {
				meta = filepath.Join(meta, "PKG-INFO")
			}
		default:
			continue
		}
		data, err := readSmall(meta)
		rel := filepath.ToSlash(filepath.Join(filepath.Base(site), name))
		if err != nil {
			out.Problems = append(out.Problems, Problem{File: rel, Message: err.Error()})
			continue
		}
		core := metadata.ParseCore(data)
		pkg, ok := out.entry(rel, nil, 0, core.Name, core.Version)
		if !ok {
			continue
		}
		pkg.License = licenses.FromCore(core)
		if kind == "dist-info" {
			dist := filepath.Join(site, name)
			_, err := os.Stat(filepath.Join(dist, "REQUESTED"))
			pkg.Direct = err == nil
			if b, err := readSmall(filepath.Join(dist, "direct_url.json")); err == nil {
				if du, err := metadata.ParseDirectURL(b); err == nil {
					pkg.Source = directSource(du)
					pkg.Hashes = archiveHashes(du)
				}
			}
		}
		all = append(all, reqs{len(out.Packages), core.RequiresDist})
		out.Packages = append(out.Packages, pkg)
	}
	installed := map[string]bool{}
	for _, p := range out.Packages {
		installed[p.Name] = true
	}
	for _, r := range all {
		p := &out.Packages[r.i]
		names, errs := requiresDist(r.deps, env, installed)
		p.addRequires(names...)
		for _, err := range errs {
			out.Problems = append(out.Problems, Problem{File: p.File, Message: err.Error()})
		}
	}
	sort.Slice(out.Packages, func(i, j int) bool { return out.Packages[i].Name < out.Packages[j].Name })
	return out, nil
}

// archiveHashes are the hashes of the archive a package was installed
// from, as direct_url.json records them ("sha256:<hex>", sorted).
func archiveHashes(du *metadata.DirectURL) []string {
	if du.ArchiveInfo == nil {
		return nil
	}
	var out []string
	for alg, v := range du.ArchiveInfo.Hashes {
		out = append(out, strings.ToLower(alg)+":"+strings.ToLower(v))
	}
	if alg, v, ok := strings.Cut(du.ArchiveInfo.Hash, "="); ok && len(out) == 0 { // the older "sha256=<hex>" form
		out = append(out, strings.ToLower(alg)+":"+strings.ToLower(v))
	}
	sort.Strings(out)
	return out
}

func directSource(du *metadata.DirectURL) Source {
	switch {
	case du.VCSInfo != nil:
		return Source{Kind: "vcs", URL: du.VCSInfo.VCS + "+" + du.URL + "@" + du.VCSInfo.CommitID}
	case du.DirInfo != nil:
		return Source{Kind: "path", URL: du.URL, Editable: du.DirInfo.Editable}
	}
	return Source{Kind: "url", URL: du.URL}
}

// sitePackages finds the site-packages directory of dir and the Python
// version it is for ("3.11"; "" when unknown).
func sitePackages(dir string) (string, string, error) {
	if filepath.Base(dir) == "site-packages" {
		pyver := strings.TrimPrefix(filepath.Base(filepath.Dir(dir)), "python")
		return dir, pyver, nil
	}
	for _, pattern := range []string{"lib/python*/site-packages", "lib64/python*/site-packages", "Lib/site-packages"} {
		if m, _ := filepath.Glob(filepath.Join(dir, pattern)); len(m) > 0 {
			sort.Strings(m)
			pyver := strings.TrimPrefix(filepath.Base(filepath.Dir(m[0])), "python")
			if v := pyvenvVersion(dir); v != "" {
				pyver = v
			}
			return m[0], pyver, nil
		}
	}
	return "", "", fmt.Errorf("%s: no site-packages directory (not a virtualenv or site-packages)", dir)
}

// pyvenvVersion reads "version = 3.11.7" from pyvenv.cfg.
func pyvenvVersion(dir string) string {
	b, err := readSmall(filepath.Join(dir, "pyvenv.cfg"))
	if err != nil {
		return ""
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if ok && (strings.TrimSpace(k) == "version" || strings.TrimSpace(k) == "version_info") {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// markerEnv describes the environment's Python on this machine, for
// markers.
func markerEnv(pyver string) map[string]string {
	full := pyver
	short := pyver
	if parts := strings.Split(pyver, "."); len(parts) >= 2 {
		short = parts[0] + "." + parts[1]
	}
	osName, platform, system := "posix", runtime.GOOS, map[string]string{"linux": "Linux", "darwin": "Darwin", "windows": "Windows"}[runtime.GOOS]
	if runtime.GOOS == "windows" {
		osName, platform = "nt", "win32"
	}
	machine := map[string]string{"amd64": "x86_64", "arm64": "aarch64", "386": "i686"}[runtime.GOARCH]
	return map[string]string{"python_version": short, "python_full_version": full, "os_name": osName, "sys_platform": platform,
		"platform_system": system, "platform_machine": machine, "implementation_name": "cpython",
		"platform_python_implementation": "CPython", "implementation_version": full, "extra": ""}
}

func readSmall(p string) ([]byte, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if st.Size() > maxMetadataBytes {
		return nil, fmt.Errorf("%s: %d bytes, larger than %d", p, st.Size(), maxMetadataBytes)
	}
	return os.ReadFile(p)
}
