package pypitest

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/safeguard-dev/safeguard/internal/pkgname"
)

// row is one journal entry: [name, version, timestamp, action, serial].
type row struct {
	name    string
	version string // "" is written as nil
	time    int64
	action  string
	serial  int64
}

type project struct {
	name        string // as first published
	releases    map[string]*release
	order       []string // versions in publication order
	quarantined bool
	lastSerial  int64 // of the newest row about the project
}

type release struct {
	version      string
	files        []*file
	yanked       bool
	yankedReason string
}

type file struct {
	filename    string
	project     string // normalised
	version     string
	pyVersion   string
	packageType string
	data        []byte
	sha256      string
	md5         string
	uploaded    time.Time
	removed     bool
}

// path is where the file is served, like files.pythonhosted.org's
// /packages/ab/cd/<rest>/<filename> (keyed by sha256 here).
func (f *file) path() string {
	return "/packages/" + f.sha256[:2] + "/" + f.sha256[2:4] + "/" + f.sha256[4:] + "/" + f.filename
}

// add appends a journal row. Call with s.mu held.
func (s *Server) add(name, version, action string) {
	s.journal = append(s.journal, row{
		name: name, version: version, time: s.now().Unix(), action: action,
		serial: int64(len(s.journal) + 1),
	})
	if p := s.projects[pkgname.Normalize(name)]; p != nil {
		p.lastSerial = int64(len(s.journal))
	}
}

// LastSerial is the serial of the newest journal row (0 when empty).
func (s *Server) LastSerial() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return int64(len(s.journal))
}

// Publish uploads a file of a release as PyPI records it: "create" and
// "add Owner <uploader>" for a new project, "new release" for a new
// version, then "add <pyversion> file <filename>", where pyversion is
// "source" for an sdist and the wheel's python tag ("py3", "cp312",
// "py2.py3") for a wheel. A filename PyPI has seen before, even of a
// removed file, is refused as PyPI refuses it.
func (s *Server) Publish(name, version, filename string, data []byte) error {
	if !pkgname.Valid(name) || version == "" {
		return fmt.Errorf("publish %q %q: invalid project name or empty version", name, version)
	}
	if strings.ContainsAny(filename, "/\\") {
		return fmt.Errorf("publish %q: a filename, not a path", filename)
	}
	fn, err := pkgname.Parse(filename)
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	pyVersion, packageType := "source", "sdist"
	switch fn.Kind {
	case pkgname.KindWheel:
		pyVersion, packageType = strings.Join(fn.PythonTags, "."), "bdist_wheel"
	case pkgname.KindEgg:
		pyVersion, packageType = "source", "bdist_egg"
		if len(fn.PythonTags) > 0 {
			pyVersion = strings.TrimPrefix(fn.PythonTags[0], "py")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, used := s.files[filename]; used {
		return fmt.Errorf("publish %q: this filename has already been used", filename)
	}
	key := pkgname.Normalize(name)
	p := s.projects[key]
	if p == nil {
		p = &project{name: name, releases: map[string]*release{}}
		s.projects[key] = p
		s.add(name, "", "create")
		s.add(name, "", "add Owner "+s.uploader)
	}
	r := p.releases[version]
	if r == nil {
		r = &release{version: version}
		p.releases[version] = r
		p.order = append(p.order, version)
		s.add(p.name, version, "new release")
	}
	sum, m5 := sha256.Sum256(data), md5.Sum(data)
	f := &file{
		filename: filename, project: key, version: version,
		pyVersion: pyVersion, packageType: packageType,
		data: data, sha256: hex.EncodeToString(sum[:]), md5: hex.EncodeToString(m5[:]),
		uploaded: s.now().UTC(),
	}
	r.files = append(r.files, f)
	s.files[filename] = f
	s.add(p.name, version, "add "+pyVersion+" file "+filename)
	return nil
}

// lookup finds a release. Call with s.mu held.
func (s *Server) lookup(name, version string) (*project, *release, error) {
	p := s.projects[pkgname.Normalize(name)]
	if p == nil {
		return nil, nil, fmt.Errorf("no project %q", name)
	}
	if version == "" {
		return p, nil, nil
	}
	r := p.releases[version]
	if r == nil {
		return nil, nil, fmt.Errorf("project %q has no release %q", name, version)
	}
	return p, r, nil
}

// Yank yanks a release ("yank release"); its files stay downloadable and
// the JSON API marks them yanked with the reason.
func (s *Server) Yank(name, version, reason string) error {
	return s.setYanked(name, version, true, reason)
}

// Unyank undoes Yank ("unyank release").
func (s *Server) Unyank(name, version string) error {
	return s.setYanked(name, version, false, "")
}

func (s *Server) setYanked(name, version string, yanked bool, reason string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, r, err := s.lookup(name, version)
	if err != nil {
		return err
	}
	r.yanked, r.yankedReason = yanked, reason
	if yanked {
		s.add(p.name, version, "yank release")
	} else {
		s.add(p.name, version, "unyank release")
	}
	return nil
}

// RemoveFile deletes one file of a release ("remove file <filename>"); it
// is gone from the JSON API and its download answers 404.
func (s *Server) RemoveFile(name, version, filename string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, r, err := s.lookup(name, version)
	if err != nil {
		return err
	}
	for i, f := range r.files {
		if f.filename == filename {
			f.removed = true
			r.files = append(r.files[:i:i], r.files[i+1:]...)
			s.add(p.name, version, "remove file "+filename)
			return nil
		}
	}
	return fmt.Errorf("release %q %q has no file %q", name, version, filename)
}

// RemoveRelease deletes a release and its files ("remove release").
func (s *Server) RemoveRelease(name, version string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, r, err := s.lookup(name, version)
	if err != nil {
		return err
	}
	for _, f := range r.files {
		f.removed = true
	}
	delete(p.releases, version)
	for i, v := range p.order {
		if v == version {
			p.order = append(p.order[:i:i], p.order[i+1:]...)
			break
		}
	}
	s.add(p.name, version, "remove release")
	return nil
}

// RemoveProject deletes a project with its releases and files ("remove
// project"). Its filenames stay used.
func (s *Server) RemoveProject(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, _, err := s.lookup(name, "")
	if err != nil {
		return err
	}
	for _, r := range p.releases {
		for _, f := range r.files {
			f.removed = true
		}
	}
	delete(s.projects, pkgname.Normalize(name))
	s.add(p.name, "", "remove project")
	return nil
}

// Quarantine quarantines a project ("project quarantined"): the JSON API
// and the downloads answer 404 until ClearQuarantine.
func (s *Server) Quarantine(name string) error {
	return s.setQuarantined(name, true)
}

// ClearQuarantine lifts a quarantine ("project quarantine cleared").
func (s *Server) ClearQuarantine(name string) error {
	return s.setQuarantined(name, false)
}

func (s *Server) setQuarantined(name string, q bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, _, err := s.lookup(name, "")
	if err != nil {
		return err
	}
	p.quarantined = q
	if q {
		s.add(p.name, "", "project quarantined")
	} else {
		s.add(p.name, "", "project quarantine cleared")
	}
	return nil
}

// AddRole records "add <role> <user>" (role is "Owner" or "Maintainer").
func (s *Server) AddRole(name, role, user string) error {
	return s.Record(name, "", "add "+role+" "+user)
}

// RemoveRole records "remove <role> <user>".
func (s *Server) RemoveRole(name, role, user string) error {
	return s.Record(name, "", "remove "+role+" "+user)
}

// InviteRole records "invite <role> <user>".
func (s *Server) InviteRole(name, role, user string) error {
	return s.Record(name, "", "invite "+role+" "+user)
}

// AcceptRole records "accepted <role> <user>".
func (s *Server) AcceptRole(name, role, user string) error {
	return s.Record(name, "", "accepted "+role+" "+user)
}

// ChangeRole records "change <from> <user> to <to>".
func (s *Server) ChangeRole(name, user, from, to string) error {
	return s.Record(name, "", "change "+from+" "+user+" to "+to)
}

// Record appends a journal row with any action, changing nothing else:
// for actions the other methods do not cover and for actions PyPI may
// invent later. The name is spelled as its project was published, if it
// exists; an empty version is written as nil.
func (s *Server) Record(name, version, action string) error {
	if name == "" || action == "" {
		return fmt.Errorf("record: empty name or action")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.projects[pkgname.Normalize(name)]; p != nil {
		name = p.name
	}
	s.add(name, version, action)
	return nil
}
