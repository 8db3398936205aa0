package analyze

import "strings"

// shellcodeLoader: Windows memory APIs that run raw machine code.
type shellcodeLoader struct{}

var _ Rule = (*shellcodeLoader)(nil)

func (shellcodeLoader) Info() RuleInfo {
	return RuleInfo{ID: "shellcode-loader", Severity: Critical, AnyContext: true,
		Description:        "Memory is allocated executable and machine code is copied and started in it (VirtualAlloc, RtlMoveMemory, CreateThread): a shellcode loader.",
		Triggers:           []string{"ctypes"},
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
