package scan

import (
	"math"
	"runtime/debug"
	"testing"
)

func TestHoldSoftLimit(t *testing.T) {
	orig := debug.SetMemoryLimit(math.MaxInt64)
	defer debug.SetMemoryLimit(orig)
	r1 := holdSoftLimit(1 << 30)
	r2 := holdSoftLimit(1 << 30)
	if got := debug.SetMemoryLimit(-1); got != 1<<30 {
		t.Fatalf("while held: limit %d, want %d", got, 1<<30)
	}
	r1()
	if got := debug.SetMemoryLimit(-1); got != 1<<30 {
		t.Fatalf("one holder left: limit %d, want %d", got, 1<<30)
	}
	r2()
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Fatalf("released: limit %d, want none", got)
	}
	// A limit the user set (GOMEMLIMIT) is left alone.
	debug.SetMemoryLimit(3 << 30)
	release := holdSoftLimit(1 << 30)
	if got := debug.SetMemoryLimit(-1); got != 3<<30 {
		t.Errorf("user's limit replaced: %d", got)
	}
	release()
	if got := debug.SetMemoryLimit(-1); got != 3<<30 {
		t.Errorf("user's limit after release: %d", got)
	}
}
