package deps

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func summary(d *Declared) (rows, problems []string) {
	for _, p := range d.Packages {
		rows = append(rows, p.Name+" "+p.Version+" "+p.Specifier+" "+p.Scope+" "+p.Source.Kind+" "+p.Marker+" @"+strconv.Itoa(p.Line))
	}
	for _, p := range d.Problems {
		problems = append(problems, p.File+":"+strconv.Itoa(p.Line)+" "+p.Message)
	}
	return
}

func TestPyproject(t *testing.T) {
	data, _ := os.ReadFile("testdata/project/pyproject.toml")
	d, err := ParsePyproject("pyproject.toml", data)
	if err != nil {
		t.Fatal(err)
	}
	rows, problems := summary(d)
	want := []string{
		"requests  >=2.28 main index  @9",
		"click 8.1.7 ==8.1.7 main index  @10",
		`tomli   main index python_version < "3.11" @11`,
		"pysocks  !=1.5.7,>=1.5.6 optional:socks index  @15",
		"ruff   group:lint index  @19",
		"pytest 8.0.0 ==8.0.0 group:test index  @18",
		"ruff   group:test index  @19",
		"attrs 23.2.0 23.2.0 main index  @25",
		"mytool   main vcs  @26",
		"numpy  ^1.26 main index  @24",
		"sphinx 7.2.6 ==7.2.6 group:docs index  @29",
	}
	if d := cmp.Diff(want, rows); d != "" {
		t.Errorf("packages (-want +got):\n%s", d)
	}
	if len(problems) != 1 || !strings.Contains(problems[0], `"loop" includes itself`) {
		t.Errorf("problems: %v", problems)
	}
	if _, err := ParsePyproject("bad.toml", []byte("[project\n")); err == nil {
		t.Error("invalid TOML accepted")
	}
}

func TestSetupCfg(t *testing.T) {
	data, _ := os.ReadFile("testdata/project/setup.cfg")
	rows, problems := summary(ParseSetupCfg("setup.cfg", data))
	want := []string{"requests  >=2.28 main index  @6", "six 1.16.0 ==1.16.0 main index  @7", "pyyaml  >=6 optional:yaml index  @11"}
	if d := cmp.Diff(want, rows); d != "" {
		t.Errorf("packages (-want +got):\n%s", d)
	}
	if len(problems) != 1 || problems[0][:11] != "setup.cfg:8" {
		t.Errorf("problems: %v", problems)
	}
}

func FuzzPyproject(f *testing.F) {
	data, _ := os.ReadFile("testdata/project/pyproject.toml")
	f.Add(data)
	cfg, _ := os.ReadFile("testdata/project/setup.cfg")
	f.Add(cfg)
	f.Fuzz(func(t *testing.T, data []byte) {
		ParsePyproject("pyproject.toml", data)
		ParseSetupCfg("setup.cfg", data)
	})
}
