package deps

import (
	"strings"

	"github.com/safeguard-dev/safeguard/internal/metadata"
)

var setupCfgInfo = ParserInfo{
	Name:    "setup.cfg",
	Files:   []string{"setup.cfg"},
	Records: Records{Specifiers: true, Direct: true, Scopes: true, Markers: true, Extras: true, Sources: true, Project: true},
	Notes:   "`install_requires` in `[options]` and `[options.extras_require]`. The project `[metadata]` names is the inventory root.",
}

// ParseSetupCfg reads install_requires from [options] and the extras of
// [options.extras_require] in a setup.cfg.
func ParseSetupCfg(file string, data []byte) *Declared {
	ini := metadata.ParseINI(data, true)
	d := &Declared{Project: setupcfgSelf(file, ini)}
	read := func(v metadata.INIValue, scope string) {
		for i, line := range strings.Split(v.Value, "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			d.add(file, v.Line+i, line, scope)
		}
	}
	if opts := ini.Section("options"); opts != nil {
		for _, v := range opts.Values {
			if strings.EqualFold(v.Key, "install_requires") {
				read(v, "main")
			}
		}
	}
	if extras := ini.Section("options.extras_require"); extras != nil {
		for _, v := range extras.Values {
			read(v, "optional:"+v.Key)
		}
	}
	return d
}

// parseSetupCfg is ParseSetupCfg for the registry, which never fails.
func parseSetupCfg(file string, data []byte) (*Declared, error) {
	return ParseSetupCfg(file, data), nil
}
