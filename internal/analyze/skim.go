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
		c := initialContext(a, files[i].Path)
		out[i] = skimSource(files[i].Bytes(), words, c != Install && c != Startup)
		return true
	})
	return out
}

// skimSource reads a file's imports (when it is small enough to analyse)
// and, with searchWords, whether it holds a behaviour trigger word or
// else an any-context one.
func skimSource(src []byte, words *skimWords, searchWords bool) skim {
	var s skim
	if int64(len(src)) <= maxSourceBytes {
		s.imports = python.QuickImports(src)
	}
	if searchWords {
		s.behaviour, s.anyContext = words.match(src)
		s.behaviourKnown, s.anyKnown = true, !s.behaviour
	}
	return s
}

// InspectSource is artifact.Options.Inspect for the engine: the skim of
// a Python file, all of it, made while a large archive's content is in
// hand, so that released content is not inflated again for it.
func InspectSource(content []byte) any {
	s := skimSource(content, skimTriggers(), true)
	return &s
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
