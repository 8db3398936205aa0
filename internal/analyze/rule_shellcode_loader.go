package analyze

import (
	"strconv"
	"strings"
)

// shellcodeLoader: Windows memory APIs that run raw machine code.
type shellcodeLoader struct{}

var _ Rule = (*shellcodeLoader)(nil)

func (shellcodeLoader) Info() RuleInfo {
	return RuleInfo{ID: "shellcode-loader", Severity: Critical, AnyContext: true,
		Description: "Memory is allocated executable and machine code is copied and started in it (VirtualAlloc, RtlMoveMemory, CreateThread): a shellcode loader.",
		// Check needs an allocation (VirtualAlloc, VirtualAllocEx,
		// VirtualProtect) by name: ctypes alone is every binding.
		Triggers:           []string{"VirtualProtect"},
		AnyContextTriggers: []string{"VirtualAlloc"}}
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
	if alloc == nil || run == nil {
		return
	}
	msg := "allocates memory with " + shortAPI(alloc.Name) + " and runs it with " + shortAPI(run.Name)
	if !run.ctx.Executes() && !executableProtection(f, alloc) {
		// Debuggers attach by writing a library's path into a process
		// and starting LoadLibrary there: memory that is never made
		// executable holds no machine code of the artifact's own.
		r.report(x.Info(), f, High, false, run.Line, run.Col, run.ctx, msg+" (memory not made executable: a library injected into another process, as debuggers attach)")
		return
	}
	r.report(x.Info(), f, Critical, false, run.Line, run.Col, run.ctx, msg)
}

// executableProtection reports whether an allocation's protection
// argument may make the memory executable: a PAGE_EXECUTE name or
// value, or anything that cannot be read as a constant.
func executableProtection(f *file, alloc *callFact) bool {
	i := 3 // VirtualAlloc(address, size, type, protect)
	switch {
	case strings.HasSuffix(alloc.Name, "VirtualAllocEx"):
		i = 4
	case strings.HasSuffix(alloc.Name, "VirtualProtect"):
		i = 2
	}
	a, ok := alloc.Kwargs["flProtect"]
	if !ok {
		if len(alloc.Args) <= i {
			return true
		}
		a = alloc.Args[i]
	}
	text := strings.TrimSpace(f.mod.Tree.Text(a))
	if strings.Contains(strings.ToUpper(text), "EXECUTE") {
		return true
	}
	n, err := strconv.ParseUint(strings.ReplaceAll(strings.ToLower(text), "_", ""), 0, 32)
	// PAGE_EXECUTE (0x10) through PAGE_EXECUTE_WRITECOPY (0x80).
	return err != nil || n&0xF0 != 0
}

func shortAPI(n string) string {
	if i := strings.LastIndexByte(n, '.'); i >= 0 {
		return n[i+1:]
	}
	return n
}
