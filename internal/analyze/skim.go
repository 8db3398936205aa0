package analyze

import (
	"github.com/safeguard-dev/safeguard/internal/artifact"
	"github.com/safeguard-dev/safeguard/internal/python"
)

// skim is what is read off a Python file's text before any is parsed.
type skim struct {
	imports []python.Import
	// behaviour and anyContext say whether the text holds a word of the
	// behaviour or the any-context triggers (see skimWords), when
	// behaviourKnown and anyKnown say they were searched.
	behaviour, anyContext, behaviourKnown, anyKnown bool
}

// skimAll reads every file's text once, on every core for a large
// artifact: its imports (for files small enough to analyse) and, for
// files that can end up in import or runtime code, whether it holds a
// behaviour trigger word or else an any-context one. Install and startup
// files are parsed whatever they hold, and contexts only ever move
// towards those (assignContexts), so theirs are not searched.
func skimAll(a *artifact.Artifact, files []*artifact.File) []skim {
	words := skimTriggers()
	out := make([]skim, len(files))
	parallel(len(files), sourceBytes(files), func(i int) bool {
		if seen, ok := files[i].Inspection.(*skim); ok {
			out[i] = *seen // read while the archive was
			return true
		}
		src := files[i].Bytes()
		if files[i].Size <= maxSourceBytes {
			out[i].imports = python.QuickImports(src)
		}
		if c := initialContext(a, files[i].Path); c != Install && c != Startup {
			out[i].behaviour, out[i].anyContext = words.match(src)
			out[i].behaviourKnown, out[i].anyKnown = true, !out[i].behaviour
		}
		return true
	})
	return out
}

// InspectSource is artifact.Options.Inspect for the engine: the skim of
// a Python file, all of it, made while a large archive's content is in
// hand, so that released content is not inflated again for it.
func InspectSource(content []byte) any {
	s := &skim{}
	if int64(len(content)) <= maxSourceBytes {
		s.imports = python.QuickImports(content)
	}
	s.behaviour, s.anyContext = skimTriggers().match(content)
	s.behaviourKnown, s.anyKnown = true, !s.behaviour
	return s
}

// hasBehaviourWord reports whether f, skimmed as s, holds a behaviour
// trigger word, reading it again if the skim did not search.
func (s *skim) hasBehaviourWord(f *artifact.File) bool {
	if !s.behaviourKnown {
		var anyContext bool
		s.behaviour, anyContext = skimTriggers().match(f.Bytes())
		s.behaviourKnown = true
		if !s.behaviour {
			s.anyContext, s.anyKnown = anyContext, true
		}
	}
	return s.behaviour
}

// hasAnyContextWord reports whether f, skimmed as s, holds an any-context
// trigger word, reading it again if the skim did not search.
func (s *skim) hasAnyContextWord(f *artifact.File) bool {
	if !s.anyKnown {
		s.anyContext, s.anyKnown = anyContextTriggers().match(f.Bytes()), true
	}
	return s.anyContext
}
