package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sort"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/analyze"
	"github.com/safeguard-dev/safeguard/internal/pep440"
	"github.com/safeguard-dev/safeguard/internal/pkgname"
	"github.com/safeguard-dev/safeguard/internal/store"
)

// PackageView is a package's page and GET /api/v1/packages/{name}: every
// file Safeguard has seen of it, by version, newest version first.
type PackageView struct {
	Name     string        `json:"name"`
	Versions []VersionView `json:"versions"`
	// Pin is pip advice: a requirement that keeps out every flagged
	// version ("" when none is flagged).
	Pin string `json:"pin,omitempty"`
}

// VersionView is one version's files.
type VersionView struct {
	Version string     `json:"version"`
	Flagged bool       `json:"flagged"`
	Files   []FileView `json:"files"`
}

// FileView is one file's verdict and the findings behind it.
type FileView struct {
	store.Verdict
	Findings []analyze.Finding `json:"findings"`
}

// maxPackageFiles bounds the files a package page (or a project's
// dependency) lists: the newest scans of a project with a long history.
const maxPackageFiles = 2000

func (h *Handler) pkg(ctx context.Context, name string) (*PackageView, error) {
	vs, err := h.opt.Store.ProjectVerdicts(ctx, name, maxPackageFiles)
	if err == nil && len(vs) == 0 && pkgname.Normalize(name) != name {
		vs, err = h.opt.Store.ProjectVerdicts(ctx, pkgname.Normalize(name), maxPackageFiles)
	}
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, store.ErrNotFound
	}
	p := &PackageView{Name: vs[0].Project}
	byVersion := map[string]*VersionView{}
	for _, v := range vs {
		fv := FileView{Verdict: v}
		// Findings written by another engine may not read; the verdict stands.
		json.Unmarshal(v.Findings, &fv.Findings)
		fv.Verdict.Findings = nil
		sort.SliceStable(fv.Findings, func(i, j int) bool { return fv.Findings[i].Severity > fv.Findings[j].Severity })
		vv := byVersion[v.Version]
		if vv == nil {
			vv = &VersionView{Version: v.Version}
			byVersion[v.Version] = vv
		}
		vv.Files = append(vv.Files, fv)
		vv.Flagged = vv.Flagged || v.Verdict == "malicious" || v.Verdict == "suspicious"
	}
	var bad []string
	for _, vv := range byVersion {
		p.Versions = append(p.Versions, *vv)
		if vv.Flagged {
			bad = append(bad, vv.Version)
		}
	}
	sort.Slice(p.Versions, func(i, j int) bool { return versionLess(p.Versions[j].Version, p.Versions[i].Version) })
	if len(bad) > 0 {
		sort.Slice(bad, func(i, j int) bool { return versionLess(bad[i], bad[j]) })
		p.Pin = pkgname.Normalize(p.Name) + "!=" + strings.Join(bad, ",!=")
	}
	return p, nil
}

// versionLess orders versions by PEP 440, unparsable ones as text, first.
func versionLess(a, b string) bool {
	va, errA := pep440.Parse(a)
	vb, errB := pep440.Parse(b)
	switch {
	case errA == nil && errB == nil:
		return va.Compare(vb) < 0
	case errA != nil && errB != nil:
		return a < b
	default:
		return errA != nil
	}
}

type packageData struct {
	*PackageView
	Rules map[string]analyze.RuleInfo
}

func (h *Handler) packagePage(w http.ResponseWriter, r *http.Request) {
	p, err := h.pkg(r.Context(), r.PathValue("name"))
	if errors.Is(err, store.ErrNotFound) {
		h.notFound(w, r, "Safeguard has not scanned a file of "+r.PathValue("name"))
		return
	}
	if err != nil {
		h.fail(w, r, http.StatusServiceUnavailable, "the store is not answering", err)
		return
	}
	rules := map[string]analyze.RuleInfo{}
	for _, ri := range h.opt.Rules {
		rules[ri.ID] = ri
	}
	h.render(w, r, http.StatusOK, "package", p.Name, packageData{p, rules})
}
