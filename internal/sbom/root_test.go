package sbom

import (
	"context"
	"encoding/json"
	"path/filepath"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/safeguard-dev/safeguard/internal/deps"
)

// The root of a lockfile's SBOM is the project the lock is for, as the lock
// or the pyproject.toml beside it names it, not the directory it sits in;
// the root depends on what the project asks for directly.
func TestRoot(t *testing.T) {
	direct := []string{"click@8.1.7", "requests@2.31.0"}
	tests := []struct {
		name, lock    string
		want, version string
		dependsOn     []string
	}{
		{"uv editable root", "uv/uv.lock", "acme-app", "2.3.0", direct},
		{"uv virtual root, version from pyproject", "uv-virtual/uv.lock", "acme-app", "2.3.1", direct},
		{"poetry, pyproject beside", "poetry/poetry.lock", "acme-app", "2.3.0", direct},
		{"pdm, pyproject beside", "pdm/pdm.lock", "acme-app", "2.3.0", direct},
		{"pylock directory package", "pylock/pylock.toml", "acme-app", "2.3.0", direct},
		// Nothing names the project: the directory does, and what nothing
		// else requires hangs under it.
		{"lock alone", "bare/uv.lock", "bare", "", direct},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := filepath.Join("testdata", "root", tt.lock)
			inv, err := deps.Collect(context.Background(), target)
			if err != nil {
				t.Fatal(err)
			}
			d := Build(inv, nil, filepath.Base(filepath.Dir(target)))
			var bom struct {
				Metadata struct {
					Component struct {
						Ref     string `json:"bom-ref"`
						Name    string `json:"name"`
						Version string `json:"version"`
					} `json:"component"`
				} `json:"metadata"`
				Components []struct {
					Ref     string `json:"bom-ref"`
					Name    string `json:"name"`
					Version string `json:"version"`
				} `json:"components"`
				Dependencies []struct {
					Ref       string   `json:"ref"`
					DependsOn []string `json:"dependsOn"`
				} `json:"dependencies"`
			}
			if err := json.Unmarshal(write(t, d, testMeta, "cyclonedx-json", "1.6"), &bom); err != nil {
				t.Fatal(err)
			}
			root := bom.Metadata.Component
			if root.Name != tt.want || root.Version != tt.version {
				t.Errorf("metadata.component = %s %s, want %s %s", root.Name, root.Version, tt.want, tt.version)
			}
			names := map[string]string{}
			for _, c := range bom.Components {
				names[c.Ref] = c.Name + "@" + c.Version
				if c.Name == tt.want {
					t.Errorf("the root %s is also a component", c.Name)
				}
			}
			var got []string
			for _, dep := range bom.Dependencies {
				if dep.Ref == root.Ref {
					for _, r := range dep.DependsOn {
						got = append(got, names[r])
					}
				}
			}
			sort.Strings(got)
			if diff := cmp.Diff(tt.dependsOn, got); diff != "" {
				t.Errorf("root dependsOn (-want +got):\n%s", diff)
			}
			// SPDX describes the same package.
			var spdx struct {
				Packages []struct {
					ID   string `json:"SPDXID"`
					Name string `json:"name"`
				} `json:"packages"`
				Relationships []struct {
					A    string `json:"spdxElementId"`
					B    string `json:"relatedSpdxElement"`
					Kind string `json:"relationshipType"`
				} `json:"relationships"`
			}
			if err := json.Unmarshal(write(t, d, testMeta, "spdx-json", ""), &spdx); err != nil {
				t.Fatal(err)
			}
			var described []string
			for _, r := range spdx.Relationships {
				for _, p := range spdx.Packages {
					if r.Kind == "DESCRIBES" && r.B == p.ID {
						described = append(described, p.Name)
					}
				}
			}
			if diff := cmp.Diff([]string{tt.want}, described); diff != "" {
				t.Errorf("SPDX described package (-want +got):\n%s", diff)
			}
		})
	}
}
