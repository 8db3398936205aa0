package syntax

/*
#include "flatten.h"
*/
import "C"

import (
	"runtime"
	"runtime/debug"
	"unsafe"
)

// Trees are flattened by reading tree-sitter's subtrees directly
// (walk.c), which depends on the runtime's private memory layout. When the
// first Parser is made, the direct walk and the public cursor walk flatten
// walkSample, a module with aliases, fields, hidden and extra nodes and
// syntax errors; the direct walk is used only if the two agree node for
// node. The choice is a static in walk.c's caller (flatten.c), one for
// the process, like the runtime it describes.

// walkSample exercises what a walk must get right.
const walkSample = `# -*- coding: utf-8 -*-
"""Doc."""
from __future__ import print_function
import os, sys as system
from a.b import (c as d, e)
@decorator(1, k=2)
class C(Base, metaclass=M):
    x: int = 3
    def f(self, a, *args, b=1, **kw) -> None:
        global g
        print >>sys.stderr, "py2"
        exec "code" in ns
        return [i for i in range(10) if i % 2] + {k: v for k, v in kw.items()}
async def g():
    async with x as y, z:
        await q
    async for i in y: pass
try:
    import z
except (ImportError, ValueError) as e:
    raise RuntimeError("x") from e
else:
    pass
finally:
    del a[1:2:3], b.c
lambda x, *y: (yield x)
match cmd:
    case [1, *rest] | {"k": v, **kw} if v: pass
    case Point(x=0) as p: pass
s = f"{a!r:>{w}} {b}" rb'\x00' u"\N{DASH}" '''multi
line''' "con" 'cat'
x = not a and b or c if d else e
y = a @ b ** -c // d << e | f ^ g & ~h
t = 1, 2.5, 0x1F, 1_000j, None, True, ..., *z
def broken(:
    pass
x = = 1
print "hello", ; print
with open(f) as (a, b): pass
type T[U] = list[U]
while x := f(): continue
assert x, "m"
`

// walkRuntime is the tree-sitter runtime whose layout tslayout.h mirrors.
const walkRuntime = "v0.25.0"

// checkWalk turns the direct walk on if it flattens walkSample as the
// cursor walk does; startRuntime runs it once.
func checkWalk() {
	// Another runtime may lay its subtrees out otherwise, and reading them
	// as these could crash rather than disagree: the check does not run.
	// Test binaries carry no module versions; TestWalkRuntimePinned holds
	// go.mod to the version instead.
	if v := runtimeVersion(); v != "" && v != walkRuntime {
		return
	}
	src := []byte(walkSample)
	fastWalk = C.sg_walk_check((*C.char)(unsafe.Pointer(&src[0])), C.uint32_t(len(src)), 1) != 0
	runtime.KeepAlive(src)
}

// runtimeVersion is the version of go-tree-sitter built in, or "".
func runtimeVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	for _, d := range info.Deps {
		if d.Path == "github.com/tree-sitter/go-tree-sitter" {
			if d.Replace != nil {
				return d.Replace.Version
			}
			return d.Version
		}
	}
	return ""
}

// fastWalk reports whether parses flatten with the direct walk.
var fastWalk bool

// walksAgree parses src and reports whether the direct walk and the cursor
// walk flatten it alike.
func walksAgree(src []byte) bool {
	if len(src) == 0 {
		return true
	}
	ok := C.sg_walk_check((*C.char)(unsafe.Pointer(&src[0])), C.uint32_t(len(src)), 0) != 0
	runtime.KeepAlive(src)
	return ok
}
