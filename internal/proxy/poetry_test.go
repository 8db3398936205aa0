package proxy

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Poetry (Debian's python3-poetry, which .ci/run installs) resolves and
// installs through the proxy: it locks the allowed versions, never the
// malicious sdist or the release in its cooldown, and installs them.
func TestPoetryThroughProxy(t *testing.T) {
	if testing.Short() {
		t.Skip("runs poetry")
	}
	poetry, err := exec.LookPath("poetry")
	if err != nil {
		t.Skip("poetry not installed (apt-get install python3-poetry): the poetry end-to-end test is skipped")
	}
	policy := DefaultPolicy()
	policy.Cooldown.MinAge = duration(72 * time.Hour)
	_, srv := testProxy(t, e2eIndex(t, time.Now()), policy)
	dir := t.TempDir()
	pyproject := fmt.Sprintf(`[tool.poetry]
name = "demo"
version = "0.1.0"
description = "uses the scanning index"
authors = ["Test <test@example.invalid>"]

[tool.poetry.dependencies]
python = "^3.9"
tidy = "*"
leaky = "*"
fresh = "*"

[[tool.poetry.source]]
name = "safeguard"
url = "%s/simple/"
default = true
`, srv.URL)
	if err := os.WriteFile(filepath.Join(dir, "pyproject.toml"), []byte(pyproject), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) string {
		cmd := exec.Command(poetry, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "HOME="+dir, "POETRY_CACHE_DIR="+filepath.Join(dir, "cache"),
			"POETRY_VIRTUALENVS_IN_PROJECT=true", "POETRY_NO_INTERACTION=1", "PIP_NO_INPUT=1",
			// No system keyring: where one is installed but locked (a
			// desktop's Secret Service), poetry fails to "unlock the item".
			"PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("poetry %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run("lock")
	lock, err := os.ReadFile(filepath.Join(dir, "poetry.lock"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"name = \"tidy\"\nversion = \"1.0\"", "name = \"leaky\"\nversion = \"1.0\"", "name = \"fresh\"\nversion = \"1.0\""} {
		if !strings.Contains(string(lock), want) {
			t.Errorf("poetry.lock lacks %q:\n%s", want, lock)
		}
	}
	run("install", "--no-root")
	site, _ := filepath.Glob(filepath.Join(dir, ".venv", "lib", "python*", "site-packages"))
	if len(site) != 1 {
		t.Fatalf("no virtualenv made by poetry in %s", dir)
	}
	for _, want := range []string{"tidy-1.0.dist-info", "leaky-1.0.dist-info", "fresh-1.0.dist-info"} {
		if _, err := os.Stat(filepath.Join(site[0], want)); err != nil {
			t.Errorf("poetry did not install %s", want)
		}
	}
}
