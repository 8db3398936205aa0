package licenses

import (
	"testing"

	"github.com/github/go-spdx/v2/spdxexp"
	"github.com/google/go-cmp/cmp"

	"github.com/safeguard-dev/safeguard/internal/metadata"
)

func TestFromCore(t *testing.T) {
	tests := []struct {
		name string
		meta string
		want *License
		spdx string
	}{
		{"pep639 expression", "License-Expression: MIT OR Apache-2.0\nClassifier: License :: OSI Approved :: BSD License\n",
			&License{Expression: "MIT OR Apache-2.0"}, "MIT OR Apache-2.0"},
		{"invalid expression kept as a name", "License-Expression: MIT-ish\n", &License{Names: []string{"MIT-ish"}}, ""},
		{"classifiers mapped and sorted", "Classifier: License :: OSI Approved :: MIT License\nClassifier: License :: OSI Approved :: Apache Software License\nClassifier: Programming Language :: Python\n",
			&License{IDs: []string{"Apache-2.0", "MIT"}}, "Apache-2.0 AND MIT"},
		{"ambiguous classifier is a name", "Classifier: License :: OSI Approved :: BSD License\nLicense: BSD\n",
			&License{Names: []string{"BSD License"}}, ""},
		{"bare category ignored, text used", "Classifier: License :: OSI Approved\nLicense: BSD-3-Clause\n",
			&License{Expression: "BSD-3-Clause"}, "BSD-3-Clause"},
		{"free text first line", "License: Copyright 2020 Someone\n  All rights reserved.\n",
			&License{Names: []string{"Copyright 2020 Someone"}}, ""},
		{"UNKNOWN says nothing", "License: UNKNOWN\n", nil, ""},
		{"nothing", "Name: x\n", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FromCore(metadata.ParseCore([]byte("Metadata-Version: 2.4\nName: x\nVersion: 1\n" + tt.meta)))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("FromCore (-want +got):\n%s", diff)
			}
			if s, _ := got.SPDX(); s != tt.spdx {
				t.Errorf("SPDX() = %q, want %q", s, tt.spdx)
			}
		})
	}
}

// Every mapped classifier names a current SPDX licence.
func TestClassifierIDsAreSPDX(t *testing.T) {
	for cl, id := range classifierIDs {
		if ok, _ := spdxexp.ActiveLicense(id); !ok {
			t.Errorf("%q maps to %q, not an active SPDX licence", cl, id)
		}
	}
}

func TestClipKeepsUTF8(t *testing.T) {
	s := clip(string(make([]byte, maxNameLen-1)) + "é…")
	if got := []rune(s); len(s) > maxNameLen+len("…") || got[len(got)-1] != '…' {
		t.Fatalf("clip = %q", s)
	}
}
