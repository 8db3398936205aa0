package analyze

import (
	"strings"
	"sync"

	"github.com/safeguard-dev/safeguard/internal/artifact"
	"github.com/safeguard-dev/safeguard/internal/python"
)

// localConsts answers, for the files of one artifact, what the constants
// they import from the artifact's other modules hold: a destination kept
// in a config module (`from ._utils import SIGN_KEY`,
// `requests.get(b64decode(SIGN_KEY) + key)`) is judged by its value where
// it is used. Each module's top-level string constants are read off its
// text once, when first asked for; workers share the cache.
type localConsts struct {
	a     *artifact.Artifact
	idx   moduleIndex
	files map[string]*artifact.File

	mu    sync.Mutex
	cache map[string]func() map[string]python.Value // per module, read once
}

func newLocalConsts(a *artifact.Artifact, py []*artifact.File, idx moduleIndex) *localConsts {
	files := make(map[string]*artifact.File, len(py))
	for _, f := range py {
		files[f.Path] = f
	}
	return &localConsts{a: a, idx: idx, files: files, cache: map[string]func() map[string]python.Value{}}
}

// external is the lookup for the module at path from.
func (l *localConsts) external(from string) python.External {
	if l == nil {
		return nil
	}
	return func(imp python.Import, member string) (python.Value, bool) {
		base, ok := absoluteName(l.a, from, imp.Module, imp.Level)
		if !ok {
			return python.Value{}, false
		}
		var mod, name string
		switch sub, isMod := l.idx[joinDot(base, imp.Name)]; {
		case imp.Name != "" && isMod:
			mod, name = sub, member // from . import config; config.URL
		case imp.Name != "" && member == "":
			mod, name = l.idx[base], imp.Name // from .config import URL
		case imp.Name == "" && imp.Alias == strings.SplitN(imp.Module, ".", 2)[0]:
			mod, name = l.idx[imp.Alias], member // import pkg.config binds pkg: pkg.URL
		case imp.Name == "":
			mod, name = l.idx[base], member // import pkg.config as c; c.URL
		}
		if mod == "" || name == "" || mod == from {
			return python.Value{}, false
		}
		v, ok := l.of(mod)[name]
		return v, ok
	}
}

// of returns the top-level constants of the module at path p. The lock
// covers only finding the module's entry: reading its text happens once,
// outside it, and other workers wait only for the module they ask for.
func (l *localConsts) of(p string) map[string]python.Value {
	l.mu.Lock()
	read, ok := l.cache[p]
	if !ok {
		read = sync.OnceValue(func() map[string]python.Value {
			if f := l.files[p]; f != nil && f.Size <= maxSourceBytes {
				return python.TopLevelConstants(f.Bytes())
			}
			return nil
		})
		l.cache[p] = read
	}
	l.mu.Unlock()
	return read()
}
