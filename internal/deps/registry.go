package deps

import (
	"fmt"
	"io/fs"
	"os"
	"path"
)

// Parser reads one dependency-file format.
type Parser interface {
	// Info says which files the parser reads and what it records.
	Info() ParserInfo
	// Parse reads the file name in fsys (and any file it includes).
	Parse(fsys fs.FS, name string) (*Lock, error)
}

// ParserInfo describes a parser as data: docs/deps.md is generated from
// it, and the registry test checks it against the parser's output.
type ParserInfo struct {
	// Name is the format as users call it: "uv.lock".
	Name string
	// Files are the names the parser reads, as path.Match patterns on a
	// file's base name: "requirements*.txt".
	Files []string
	// Records says what the parser records for each package.
	Records Records
	// Notes is a sentence or two for the docs: versions of the format,
	// what else is read, what is left out.
	Notes string
}

// Records says what a parser records for each package. Every parser
// records the file and line a package comes from.
type Records struct {
	Versions   bool // the exact version of every package from an index
	Specifiers bool // version constraints as declared; a version only where one is pinned
	Hashes     bool // artifact hashes
	DistFiles  bool // the distribution files (sdist, wheels) with their URLs
	Graph      bool // the packages each package depends on
	Direct     bool // which packages the project asks for itself
	Scopes     bool // scopes other than main: dev, optional:<extra>, group:<name>, constraint
	Markers    bool // environment markers
	Extras     bool // the extras asked for
	Sources    bool // sources other than an index: URL, VCS, local path
	Project    bool // the project itself, as the inventory root
}

// Matches reports whether the parser reads a file of this name.
func (i ParserInfo) Matches(name string) bool {
	base := path.Base(name)
	for _, pat := range i.Files {
		if ok, _ := path.Match(pat, base); ok {
			return true
		}
	}
	return false
}

// parsers is the registry, in the order a file name is tried.
var parsers = []Parser{
	lockFile{uvLockInfo, ParseUVLock},
	lockFile{poetryLockInfo, ParsePoetryLock},
	lockFile{pipfileLockInfo, ParsePipfileLock},
	lockFile{pdmLockInfo, ParsePDMLock},
	lockFile{pylockInfo, ParsePylock},
	lockFile{cycloneDXInfo, ParseCycloneDX},
	lockFile{spdxInfo, ParseSPDX},
	lockFile{pyprojectInfo, declared(ParsePyproject)},
	lockFile{setupPyInfo, declared(ParseSetupPy)},
	lockFile{setupCfgInfo, declared(parseSetupCfg)},
	requirementsFile{},
}

// parserFor returns the first registered parser that reads a file of this
// name, nil when none does.
func parserFor(name string) Parser {
	for _, p := range parsers {
		if p.Info().Matches(name) {
			return p
		}
	}
	return nil
}

// lockFile reads one file, capped at maxLockBytes, and parses it whole.
type lockFile struct {
	info  ParserInfo
	parse func(file string, data []byte) (*Lock, error)
}

var _ Parser = lockFile{}

func (p lockFile) Info() ParserInfo { return p.info }

func (p lockFile) Parse(fsys fs.FS, name string) (*Lock, error) {
	data, err := readCapped(fsys, name)
	if err != nil {
		return nil, err
	}
	return p.parse(name, data)
}

// declared adapts a project-metadata parser to a lockFile's.
func declared(f func(string, []byte) (*Declared, error)) func(string, []byte) (*Lock, error) {
	return func(name string, data []byte) (*Lock, error) {
		d, err := f(name, data)
		if err != nil {
			return nil, err
		}
		return &Lock{Project: d.Project, Packages: d.Packages, Problems: d.Problems}, nil
	}
}

// requirementsFile reads a pip requirements file and the files it
// includes, with ${VAR} references taken from the environment.
type requirementsFile struct{}

var _ Parser = requirementsFile{}

func (requirementsFile) Info() ParserInfo { return requirementsInfo }

func (requirementsFile) Parse(fsys fs.FS, name string) (*Lock, error) {
	r, err := ParseRequirements(fsys, name, os.LookupEnv)
	if err != nil {
		return nil, err
	}
	return &Lock{Packages: r.Packages, Problems: r.Problems, Options: r.Options}, nil
}

func readCapped(fsys fs.FS, name string) ([]byte, error) {
	st, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	if st.Size() > maxLockBytes {
		return nil, fmt.Errorf("%s: %d bytes, larger than %d", name, st.Size(), maxLockBytes)
	}
	return fs.ReadFile(fsys, name)
}
