package syntax

import (
	"fmt"
	"testing"
)

// smallSetup is a campaign's small setup.py, differing only in names.
func smallSetup(name string) string {
	return fmt.Sprintf(`from setuptools import setup
import os, base64
CODE = "aW1wb3J0IG9zOyBvcy5zeXN0ZW0oJ2lkJyk="
exec(base64.b64decode(CODE))
setup(
    name=%q,
    version="1.0.%d",
    description="A %s helper",
    packages=[%q],
    install_requires=["requests"],
    classifiers=[
        "Programming Language :: Python :: 3",
        "License :: OSI Approved :: MIT License",
        "Operating System :: OS Independent",
    ],
    python_requires=">=3.6",
    long_description=open("README.md").read() if os.path.exists("README.md") else "",
)
`, name, len(name), name, name)
}

func TestSkeletonReuse(t *testing.T) {
	first := smallSetup("reqeusts")
	if len(first) < skeletonMin {
		t.Fatalf("the sample is %d bytes, too small to be looked up", len(first))
	}
	p := NewParser(DefaultOptions())
	defer p.Close()
	if _, err := p.Parse([]byte(first)); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"requestss", "rq", "colourama-helper", "reqeusts"} {
		src := smallSetup(name)
		before := p.retexted.Load()
		got, err := p.Parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if string(got.Src) != src {
			t.Fatalf("%s: tree holds another source", name)
		}
		if src != first && p.retexted.Load() == before {
			t.Errorf("%s: parsed again, not derived from the first", name)
		}
		matchesParse(t, src, got)
	}
}

func TestSkeletonCollisionFallsBack(t *testing.T) {
	// Two sources filed under one key by force: the second is not a
	// string edit of the first, so nothing is reused.
	a, b := []byte("import os\n"+smallSetup("a")), []byte("import sys\n"+smallSetup("a"))
	tree, err := parseFresh(a)
	if err != nil {
		t.Fatal(err)
	}
	p := NewParser(DefaultOptions())
	defer p.Close()
	key := skeletonKey(a) ^ 0x5a5a
	p.putSkeleton(key, a, tree)
	if got := p.reuseSkeleton(key, b); got != nil {
		t.Fatal("a tree was reused for a source that differs in code")
	}
}

func TestSkeletonKeyIgnoresStrings(t *testing.T) {
	if skeletonKey([]byte(smallSetup("a"))) != skeletonKey([]byte(smallSetup("bbbb"))) {
		t.Error("sources differing only in strings have different keys")
	}
	if skeletonKey([]byte("import os\n")) == skeletonKey([]byte("import so\n")) {
		t.Error("sources differing in code have one key")
	}
}
