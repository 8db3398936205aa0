package analyze

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/safeguard-dev/safeguard/internal/python"
)

// execObfuscated: exec/eval/compile/marshal of something decoded.
type execObfuscated struct{}

var _ Rule = (*execObfuscated)(nil)

func (execObfuscated) Info() RuleInfo {
	return RuleInfo{ID: "exec-obfuscated", Severity: Critical, AnyContext: true,
		Description:        "Code is decoded (base64, hex, zlib, marshal, rot13, a cipher with an inline key...) and then executed: the standard way to hide a payload from review.",
		Triggers:           slices.Concat([]string{"pickle", "b64decode", "decompress", "fromhex"}, processWords),
		AnyContextTriggers: execWords}
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
		// constant blob hides code. So is building a function from a
		// code object unmarshalled at run time (a code generator's cache:
		// FunctionType(marshal.loads(code_bytes), ...)).
		if (isDeserializer(c.Name) || strings.HasPrefix(c.Name, "marshal.loads") || onlyDeserialized(via)) && !v.Known {
			continue
		}
		// Freezers and importers run code objects they read from their
		// own archives: in code nothing runs on install or import, data
		// read at run time is not a payload the artifact carries.
		sev, msg := Critical, shortName(c.Name)+" runs code decoded by "+strings.Join(via, " → ")
		if !v.Known && v.DerivesFrom(readsData) && !c.ctx.Executes() {
			sev, msg = Medium, msg+" from a file it reads at run time"
		}
		r.report(x.Info(), f, sev, false, c.Line, c.Col, c.ctx, msg, excerpt(v))
		return
	}
	for _, c := range f.calls {
		if !c.proc {
			continue
		}
		// The shell form: echo <blob> | base64 -d | sh.
		if sh := c.sh; sh.decodes != "" && sh.runs != "" {
			r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, "runs a command that decodes a payload ("+sh.decodes+") and executes it", c.cmd)
			return
		}
		// A command line the code carries encoded, which decodes to no
		// readable command: what it runs is hidden from review. (A
		// decoded command that reads as one is judged by what it does.)
		if len(c.Args) > 0 && c.ctx.Executes() {
			if v := f.mod.Eval(c.Args[0]); v.Known && len(v.Decoders) > 0 && !readableText(v.S) {
				r.report(x.Info(), f, High, false, c.Line, c.Col, c.ctx, shortName(c.Name)+" runs a command decoded by "+strings.Join(v.Decoders, " → ")+" at "+string(c.ctx)+" time that reads as no command")
				return
			}
		}
	}
	// Obfuscators route the payload through lambdas, dicts and renamed
	// builtins that no flow tracking follows. Code executed from a
	// computed value, in a function (or top level) that decodes data,
	// while installing or importing, is the same thing.
	if decs := fileDecoders(f); len(decs) > 0 {
		for _, c := range f.calls {
			dec, ok := decs[c.Func]
			if !ok {
				continue // the decoding is elsewhere: a web framework's cookie codec beside its app loader's eval
			}
			if (c.Name == "builtins.exec" || c.Name == "builtins.eval") && len(c.Args) > 0 && c.ctx.Executes() {
				v := f.mod.Eval(c.Args[0])
				if v.Known || v.DerivesFrom(isFileRead) || compilesConstant(f, c.Args[0]) {
					continue
				}
				r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, shortName(c.Name)+" runs a computed value in a file that decodes data with "+dec)
				return
			}
		}
	}
}

// onlyDeserialized reports decoders that are all deserialisers: a value
// that was only unmarshalled or unpickled.
func onlyDeserialized(via []string) bool {
	for _, d := range via {
		if !strings.HasPrefix(d, "marshal.loads") && !isDeserializer(d) {
			return false
		}
	}
	return len(via) > 0
}

// compilesConstant reports an argument that is compile() of a constant
// string (eval(compile('def f(): ...', '<py2fix>', 'exec'))): code in plain
// sight, not a computed value.
func compilesConstant(f *file, arg int32) bool {
	for _, c := range f.calls {
		if c.Node == arg && c.Name == "builtins.compile" && len(c.Args) > 0 {
			return f.mod.Eval(c.Args[0]).Known
		}
	}
	return false
}

// readsData reports a value read from a file: opened here, or read
// through a file object kept in a variable or an attribute.
func readsData(from string) bool {
	return isFileRead(from) || strings.HasSuffix(from, ".read()") || strings.HasSuffix(from, ".read_bytes()")
}

// fileDecoders names, by function (-1 for the top level), the first
// decoder each calls.
func fileDecoders(f *file) map[int32]string {
	var decs map[int32]string
	for _, c := range f.calls {
		if isDecoder(c.Name) {
			if decs == nil {
				decs = map[int32]string{}
			}
			if _, ok := decs[c.Func]; !ok {
				decs[c.Func] = c.Name
			}
		}
	}
	return decs
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

// readableText reports text made of printable characters and spaces.
func readableText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsPrint(r) && !unicode.IsSpace(r) })
}
