package analyze

import (
	"regexp"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/python"
)

// toolPoisoning: a tool an AI agent calls (an MCP server's tool, a
// LangChain tool) whose description, read by the model and not by the
// user, orders the model to fetch secrets or keep what it does from the
// user. The text is the payload: it works wherever the code sits.
type toolPoisoning struct{}

var _ Rule = (*toolPoisoning)(nil)

func (toolPoisoning) Info() RuleInfo {
	return RuleInfo{ID: "tool-poisoning", Severity: Critical, AnyContext: true,
		Description: "A tool served to AI agents (MCP, LangChain) hides orders for the model in its description: instruction tags or an order to ignore earlier instructions, together with an order to read or pass on keys or credential files; high for such an order kept from the user without a tag.",
		References:  []string{"https://invariantlabs.ai/blog/mcp-security-notification-tool-poisoning-attacks"},
		Triggers:    []string{"<IMPORTANT", "<important", "<Important", "<SYSTEM", "<system", "<System", "<INSTRUCTION", "<instruction", "<Instruction", "<HIDDEN", "<hidden", "<Hidden", "rior instructions", "revious instructions", "ell the user", "ention this", "nform the user"}}
}

// reToolDecorator matches a decorator registering a function as an agent
// tool: @mcp.tool(), @server.tool, @tool, @tool("name").
var reToolDecorator = regexp.MustCompile(`@\s*(?:[\w.]+\.)?tool\b`)

// Three things a poisoned description does: address the model with
// instruction tags or overrule what it was told; reach for secrets; hide
// it from the user.
var (
	reAgentDirective = regexp.MustCompile(`(?i)<\s*/?\s*(important|system[\w-]*|instructions?|hidden)\s*>|ignore (all |any )?(previous|prior|earlier|above) instructions`)
	// reAgentReach is an order to get at a secret: a verb of reading or
	// passing on, followed closely by what is secret.
	reAgentReach   = regexp.MustCompile(`(?i)\b(read|cat|open|include|pass|send|append|attach|upload|copy|put|add|provide)\b[^.\n]{0,60}?(~/\.ssh|id_rsa|id_ed25519|\.env\b|api[_ ]?keys?\b|\.aws\b|credentials?\b|mcp\.json|private[_ ]key|passwords?\b|\.netrc|secrets?\b)`)
	reAgentNegated = regexp.MustCompile(`(?i)\b(never|not|don't|no)\s+(\w+\s+){0,2}$`)
	reAgentConceal = regexp.MustCompile(`(?i)(do not|don't|never|without) (tell|telling|mention|mentioning|inform|informing|notify|notifying|reveal|revealing|alert|alerting)\b[^.]{0,40}\buser|(do not|don't|never) mention (this|that|it)`)
)

func (x toolPoisoning) Check(f *file, r *reporter) {
	for _, d := range toolDescriptions(f) {
		text := d.text
		directive, secret, conceal := reAgentDirective.FindString(text), reachedSecret(text), reAgentConceal.FindString(text)
		sev := Critical
		switch {
		case directive != "" && secret != "":
		case conceal != "" && secret != "":
			// Kept from the user without a tag: a password tool may
			// say as much of its own secrets.
			sev = High
		default:
			continue
		}
		var why []string
		for _, w := range []string{directive, secret, conceal} {
			if w != "" {
				why = append(why, "“"+w+"”")
			}
		}
		r.report(x.Info(), f, sev, true, f.line(d.line), 0, f.contextOf(d.fn), "the agent tool "+d.name+" hides orders for the model in its description: "+strings.Join(why, ", "))
		return
	}
}

// reachedSecret returns the first order in text to read or pass on a
// secret that is not a prohibition ("never include passwords"), or "".
func reachedSecret(text string) string {
	for _, m := range reAgentReach.FindAllStringIndex(text, -1) {
		if !reAgentNegated.MatchString(text[max(0, m[0]-40):m[0]]) {
			return text[m[0]:m[1]]
		}
	}
	return ""
}

// toolDescription is the text an agent tool gives the model.
type toolDescription struct {
	name, text string
	line       int
	fn         int32
}

// toolDescriptions returns the descriptions of the file's agent tools:
// the docstring of a function decorated as a tool, and a description=
// passed to a tool decorator or a Tool(...) constructor.
func toolDescriptions(f *file) []toolDescription {
	t := f.mod.Tree
	var out []toolDescription
	for _, s := range f.mod.Strings {
		if !s.Doc || !s.Value.Known {
			continue
		}
		fn := f.mod.Enclosing(s.Node)
		if fn < 0 || !isDocstringOf(t, s.Node, fn) {
			continue
		}
		d := t.Nodes[fn].Parent
		if d < 0 || t.Nodes[d].Kind != python.KDecorated || !reToolDecorator.Match(t.Src[t.Nodes[d].Start:t.Nodes[fn].Start]) {
			continue
		}
		name := "?"
		if fd := f.mod.FuncByNode(fn); fd != nil {
			name = fd.Name
		}
		out = append(out, toolDescription{name: name, text: s.Value.S, line: s.Line, fn: fn})
	}
	for _, c := range f.calls {
		if !isToolMaker(c.Name) {
			continue
		}
		a, ok := c.Kwargs["description"]
		if !ok && len(c.Args) >= 3 {
			a, ok = c.Args[2], true // Tool(name, func, description)
		}
		if !ok {
			continue
		}
		if v := f.mod.Eval(a); v.Known {
			out = append(out, toolDescription{name: c.Name, text: v.S, line: c.Line, fn: c.Func})
		}
	}
	return out
}

// isDocstringOf reports whether string node s is the first statement of
// function fn's body.
func isDocstringOf(t *python.Tree, s, fn int32) bool {
	stmt := t.Nodes[s].Parent
	if stmt < 0 {
		return false
	}
	body := t.Nodes[stmt].Parent
	return body >= 0 && t.Nodes[body].Parent == fn && t.FirstChild(body) == stmt
}

// isToolMaker reports a call that makes or registers an agent tool.
func isToolMaker(name string) bool {
	last := name[strings.LastIndexByte(name, '.')+1:]
	last = strings.TrimSuffix(last, "()")
	return last == "tool" || last == "Tool" || last == "add_tool" || last == "from_function" && strings.Contains(name, "Tool")
}
