package analyze

import (
	"regexp"
	"strings"
)

// Privilege persistence: a UAC bypass (a program Windows auto-elevates,
// told by a user-writable registry key to run something else) or a new
// administrator account. Both keep an attacker's code running with rights
// the user never granted.

var (
	// reUACKey matches the registry keys auto-elevating programs read
	// their command from.
	reUACKey = regexp.MustCompile(`(?i)(?:ms-settings|mscfile|exefile|Folder|Launcher\.SystemSettings)\\+shell\\+open\\+command|\bDelegateExecute\b`)
	// reUACLauncher matches the auto-elevating programs the bypasses start.
	reUACLauncher = regexp.MustCompile(`(?i)\b(?:fodhelper|computerdefaults|sdclt|eventvwr|slui|wsreset)(?:\.exe)?\b`)
	// reAdminAccount matches commands that create accounts or make one an
	// administrator.
	reAdminAccount = regexp.MustCompile(`(?i)\bnet1?(?:\.exe)?\s+(?:user\s+\S+(?:\s+\S+)?\s+/add\b|localgroup\s+["']?administrators["']?\s+\S+\s+/add\b)|\bNew-LocalUser\b|\bAdd-LocalGroupMember\b[^\n]*Administrators`)
)

// privilegeFilter runs the expressions only on text that may match.
var privilegeFilter = newCoverFilter(reUACKey, reUACLauncher, reAdminAccount)

// maxPrivilegeString bounds the strings searched: commands and registry
// paths are short.
const maxPrivilegeString = 1 << 16

// privilegeTrick finds a UAC bypass or a new administrator account in f:
// the line, its context, what it is, and whether it holds in any context
// (a UAC bypass has no legitimate use; provisioning scripts add accounts).
func privilegeTrick(f *file) (line int, ctx Context, what string, anyContext, found bool) {
	key := ""
	var keyLine int
	var keyCtx Context
	for _, s := range f.strs {
		if len(s.s) > maxPrivilegeString {
			continue // data, not a command or a registry path
		}
		uac, add := key == "" && mayBeUACKey(s.s), mayAddAccount(s.s)
		if !uac && !add {
			continue
		}
		may := privilegeFilter.candidates(s.s)
		if uac {
			if m := may.find(reUACKey, s.s); m != "" {
				key, keyLine, keyCtx = m, s.line, s.ctx
			}
		}
		if add {
			if m := may.find(reAdminAccount, s.s); m != "" {
				return s.line, s.ctx, "creates an administrator account: " + m, false, true
			}
		}
	}
	for _, c := range f.calls {
		if !c.proc || len(c.cmd) > maxPrivilegeString || !mayAddAccount(c.cmd) {
			continue
		}
		if m := privilegeFilter.candidates(c.cmd).find(reAdminAccount, c.cmd); m != "" {
			return c.Line, c.ctx, "creates an administrator account: " + m, false, true
		}
	}
	// The auto-elevating program matters only next to the key it reads.
	if key != "" && startsUACLauncher(f) {
		return keyLine, keyCtx, "bypasses UAC: points " + key + " at its own command and starts an auto-elevating program", true, true
	}
	return 0, "", "", false, false
}

// startsUACLauncher reports a string or a command of f naming a program
// that elevates itself without asking (fodhelper, computerdefaults...).
func startsUACLauncher(f *file) bool {
	for _, s := range f.strs {
		if len(s.s) <= maxPrivilegeString && privilegeFilter.candidates(s.s).find(reUACLauncher, s.s) != "" {
			return true
		}
	}
	for _, c := range f.calls {
		if c.proc && len(c.cmd) <= maxPrivilegeString && privilegeFilter.candidates(c.cmd).find(reUACLauncher, c.cmd) != "" {
			return true
		}
	}
	return false
}

// mayAddAccount is a cheap necessary condition of reAdminAccount, whose
// cover literal ("net") is in most strings that name the network: an
// "/add" switch after a space, or one of the two cmdlets, in any case.
func mayAddAccount(s string) bool {
	return foldOccurs(s, "/add", func(i int) bool { return i > 0 && isRegexSpace(s[i-1]) }) ||
		containsFold(s, "new-localuser") || containsFold(s, "add-localgroupmember")
}

// mayBeUACKey is a cheap necessary condition of reUACKey, whose cover
// holds words as common as "folder": a registry path's \shell\ or
// DelegateExecute, in any case.
func mayBeUACKey(s string) bool {
	return containsFold(s, "delegateexecute") ||
		foldOccurs(s, "shell", func(i int) bool { return i > 0 && s[i-1] == '\\' && i+5 < len(s) && s[i+5] == '\\' })
}

// isRegexSpace is the \s class of Go's regular expressions.
func isRegexSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\f' || b == '\r'
}

// containsFold reports whether s holds sub, a lower-case ASCII word, in
// any case, without copying s.
func containsFold(s, sub string) bool {
	return foldOccurs(s, sub, func(int) bool { return true })
}

// foldOccurs reports whether sub, a lower-case ASCII word, occurs in s in
// any case at an index ok accepts, without copying s. Candidates are
// found by the byte search of sub's first letter in either case.
func foldOccurs(s, sub string, ok func(i int) bool) bool {
	lo, up := sub[0], sub[0]
	if lo >= 'a' && lo <= 'z' {
		up -= 'a' - 'A'
	}
	nextLo, nextUp := -2, -2 // the next index of each case at or after i; -1 for none, -2 not searched
	for i := 0; i+len(sub) <= len(s); i++ {
		if nextLo != -1 && nextLo < i {
			if nextLo = strings.IndexByte(s[i:], lo); nextLo >= 0 {
				nextLo += i
			}
		}
		if lo == up {
			nextUp = nextLo
		} else if nextUp != -1 && nextUp < i {
			if nextUp = strings.IndexByte(s[i:], up); nextUp >= 0 {
				nextUp += i
			}
		}
		switch {
		case nextLo < 0 && nextUp < 0:
			return false
		case nextLo < 0:
			i = nextUp
		case nextUp < 0:
			i = nextLo
		default:
			i = min(nextLo, nextUp)
		}
		if i+len(sub) <= len(s) && strings.EqualFold(s[i:i+len(sub)], sub) && ok(i) {
			return true
		}
	}
	return false
}
