package analyze

import (
	"strings"
	"testing"
)

func TestSnippet(t *testing.T) {
	long := strings.Repeat("é", 200)
	src := []byte("first\n\t  second line  \r\n" + strings.Repeat(" ", 5000) + "import os; os.system('x')\n" + long + "\nlast")
	f := &file{}
	for l, want := range map[int]string{
		1: "first",
		2: "second line",
		3: "import os; os.system('x')",
		4: strings.Repeat("é", 160) + "…",
		5: "last",
		6: "",
		0: "",
	} {
		if got := f.snippet(l, src); got != want {
			t.Errorf("line %d: %q, want %q", l, got, want)
		}
	}
}
