package analyze

import (
	"slices"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/python"
)

// Loaders that run a module of the artifact inside the running
// interpreter, named by path or by dotted name, and the argument that
// names it. setup.py loading pkg/_postinstall.py through a spec from its
// file location runs that file on install as surely as importing it.
var (
	pathLoaders = map[string]int{
		"runpy.run_path": 0, "importlib.util.spec_from_file_location": 1,
		"importlib.machinery.SourceFileLoader": 1, "imp.load_source": 1, "builtins.execfile": 0,
	}
	moduleLoaders = map[string]int{
		"runpy.run_module": 0, "importlib.import_module": 0, "builtins.__import__": 0,
		"importlib.util.spec_from_file_location": 0, "importlib.machinery.SourceFileLoader": 0, "imp.load_source": 0,
	}
)

// loadedModuleCalls are the call-name prefixes of what is done with a
// module once loaded: "importlib.util.module_from_spec().run" calls the
// loaded module's run.
var loadedModuleCalls = []string{
	"importlib.util.module_from_spec().", "importlib.import_module().", "imp.load_source().",
	"importlib.machinery.SourceFileLoader().load_module().", "builtins.__import__().",
}

// loadedMembers returns the functions of loaded modules that calls call.
func loadedMembers(calls []callFact) []string {
	var out []string
	for _, c := range calls {
		for _, p := range loadedModuleCalls {
			if m, ok := strings.CutPrefix(c.Name, p); ok {
				if i := strings.IndexAny(m, ".("); i >= 0 {
					m = m[:i]
				}
				if m != "" && !slices.Contains(out, m) {
					out = append(out, m)
				}
			}
		}
	}
	return out
}

// codeLoad returns the run a loader call makes, in context ctx: the path
// words and module names it loads, as far as they are known.
func codeLoad(mod *python.Module, c python.Call, ctx Context) (processRun, bool) {
	run := processRun{ctx: ctx, load: true}
	if i, ok := pathLoaders[c.Name]; ok && i < len(c.Args) {
		if text := valueText(mod.Eval(c.Args[i])); strings.HasSuffix(text, ".py") || strings.HasSuffix(text, ".pyw") {
			run.words = append(run.words, text)
		}
	}
	if i, ok := moduleLoaders[c.Name]; ok && i < len(c.Args) {
		if v := mod.Eval(c.Args[i]); v.Known && v.S != "" && !strings.HasPrefix(v.S, ".") && !strings.ContainsAny(v.S, " /\\\t\n") {
			run.modules = append(run.modules, v.S)
		}
	}
	return run, len(run.words)+len(run.modules) > 0
}
