// Package buildinfo reports which Safeguard build is running.
package buildinfo

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// Version is set at link time: -ldflags "-X .../buildinfo.Version=v1.2.3".
var Version = "dev"

// String describes the build: version, module version and Go runtime.
func String() string {
	v := Version
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (" + s.Value[:12] + ")"
			}
		}
	}
	return fmt.Sprintf("safeguard %s %s/%s %s", v, runtime.GOOS, runtime.GOARCH, runtime.Version())
}
