package deps

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSetupPy(t *testing.T) {
	src := `from setuptools import setup
import os

DEPS = ["requests>=2.28", "six==1.16.0"]
EXTRAS = {
    "yaml": ["PyYAML>=6"],
    "all": ["PyYAML>=6", "rich"],
}
setup(
    name="demo",
    install_requires=DEPS + ["click"],
    extras_require=EXTRAS,
)
setup(name="other", install_requires=open("requirements.txt").read().splitlines())
`
	d, err := ParseSetupPy("setup.py", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	rows, problems := summary(d)
	want := []string{
		"requests  >=2.28 main index  @11",
		"six 1.16.0 ==1.16.0 main index  @11",
		"click   main index  @11",
		"pyyaml  >=6 optional:yaml index  @6",
		"pyyaml  >=6 optional:all index  @7",
		"rich   optional:all index  @7",
	}
	if d := cmp.Diff(want, rows); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if len(problems) != 1 || problems[0][:12] != "setup.py:14 " {
		t.Errorf("problems %v", problems)
	}
}
