package analyze

import (
	"strings"

	"github.com/safeguard-dev/safeguard/internal/python"
)

// execObfuscated: exec/eval/compile/marshal of something decoded.
type execObfuscated struct{}

func (execObfuscated) Info() RuleInfo {
	return RuleInfo{ID: "exec-obfuscated", Severity: Critical, AnyContext: true,
		Description: "Code is decoded (base64, hex, zlib, marshal, rot13, a cipher with an inline key...) and then executed: the standard way to hide a payload from review."}
}

func (x execObfuscated) Check(f *file, r *reporter) {
	for _, c := range f.calls {
		if !c.dyn || len(c.Args) == 0 {
			continue
		}
		v := f.mod.Eval(c.Args[0])
		via := decodersOf(v)
		if len(via) == 0 {
			continue
		}
		// Deserialising data decoded at run time is ordinary; only a
		// constant blob hides code.
		if isDeserializer(c.Name) && !v.Known {
			continue
		}
		r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx,
			shortName(c.Name)+" runs code decoded by "+strings.Join(via, " → "), excerpt(v))
		return
	}
	// The shell form: echo <blob> | base64 -d | sh.
	for _, c := range f.calls {
		if !c.proc {
			continue
		}
		if sh := c.sh; sh.decodes != "" && sh.runs != "" {
			r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, "runs a command that decodes a payload ("+sh.decodes+") and executes it", c.cmd)
			return
		}
	}
	// Obfuscators route the payload through lambdas, dicts and renamed
	// builtins that no flow tracking follows. Code executed from a
	// computed value, in a file that decodes data, while installing or
	// importing, is the same thing.
	if dec := fileDecoder(f); dec != "" {
		for _, c := range f.calls {
			if (c.Name == "builtins.exec" || c.Name == "builtins.eval") && len(c.Args) > 0 && c.ctx.Executes() {
				v := f.mod.Eval(c.Args[0])
				if v.Known || v.DerivesFrom(isFileRead) {
					continue
				}
				r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, shortName(c.Name)+" runs a computed value in a file that decodes data with "+dec)
				return
			}
		}
	}
}

// fileDecoder names a decoder the file calls, or "".
func fileDecoder(f *file) string {
	for _, c := range f.calls {
		if isDecoder(c.Name) && !strings.HasPrefix(c.Name, "base64.b64encode") && !strings.HasSuffix(c.Name, "encode") {
			return c.Name
		}
	}
	return ""
}

// decodersOf lists the decoders a value went through, whether it was
// folded (constant) or only traced (computed at run time).
func decodersOf(v python.Value) []string {
	if len(v.Decoders) > 0 {
		return v.Decoders
	}
	var via []string
	for _, from := range v.From {
		if isFileRead(from) {
			continue
		}
		name := strings.TrimSuffix(from, "()")
		if isDecoder(name) || strings.Contains(from, "decrypt") || strings.HasPrefix(from, "marshal.loads") || strings.HasPrefix(from, "zlib.") {
			via = append(via, name)
		}
	}
	return via
}

func excerpt(v python.Value) string {
	if !v.Known {
		return ""
	}
	s := strings.Join(strings.Fields(strings.ToValidUTF8(v.S, "?")), " ")
	if len(s) > 160 {
		s = s[:160]
	}
	return "decoded: " + s
}

// shortName drops the "builtins." prefix for messages.
func shortName(n string) string { return strings.TrimPrefix(n, "builtins.") }

// execRemote: exec/eval of what came over the network.
type execRemote struct{}

func (execRemote) Info() RuleInfo {
	return RuleInfo{ID: "exec-remote-code", Severity: Critical,
		Description: "Code downloaded at run time is executed (exec(requests.get(url).text) and the like): the package's behaviour is decided by a server."}
}

func (x execRemote) Check(f *file, r *reporter) {
	for _, c := range f.calls {
		if !c.dyn || len(c.Args) == 0 {
			continue
		}
		v := f.mod.Eval(c.Args[0])
		for _, from := range v.From {
			if isNetwork(strings.TrimSuffix(from, "()")) || isNetwork(from) {
				// exec of fetched code has no innocent use anywhere; unpickling
				// fetched data is only dangerous, so it follows the context.
				r.report(x.Info(), f, Critical, !isDeserializer(c.Name), c.Line, c.Col, c.ctx, shortName(c.Name)+" runs code fetched by "+from)
				break
			}
		}
	}
}

func isDeserializer(name string) bool {
	return strings.HasPrefix(name, "pickle.") || strings.HasPrefix(name, "cPickle.") || strings.HasPrefix(name, "dill.")
}

// shellcodeLoader: Windows memory APIs that run raw machine code.
type shellcodeLoader struct{}

func (shellcodeLoader) Info() RuleInfo {
	return RuleInfo{ID: "shellcode-loader", Severity: Critical, AnyContext: true,
		Description: "Memory is allocated executable and machine code is copied and started in it (VirtualAlloc, RtlMoveMemory, CreateThread): a shellcode loader."}
}

func (x shellcodeLoader) Check(f *file, r *reporter) {
	var alloc, run *callFact
	for i := range f.calls {
		c := &f.calls[i]
		n := c.Name
		switch {
		case strings.HasSuffix(n, "VirtualAlloc") || strings.HasSuffix(n, "VirtualAllocEx") || strings.HasSuffix(n, "VirtualProtect"):
			alloc = c
		case strings.HasSuffix(n, "CreateThread") || strings.HasSuffix(n, "CreateRemoteThread") || strings.HasSuffix(n, "RtlMoveMemory") || strings.HasSuffix(n, "WriteProcessMemory") || strings.HasSuffix(n, "QueueUserAPC"):
			run = c
		}
	}
	if alloc != nil && run != nil {
		r.report(x.Info(), f, Critical, false, run.Line, run.Col, run.ctx, "allocates memory with "+shortAPI(alloc.Name)+" and runs it with "+shortAPI(run.Name))
	}
}

func shortAPI(n string) string {
	if i := strings.LastIndexByte(n, '.'); i >= 0 {
		return n[i+1:]
	}
	return n
}
