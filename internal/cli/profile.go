package cli

import (
	"os"
	"runtime/pprof"
)

// startProfile starts the CPU profile --cpuprofile asks for.
func (g *globals) startProfile() error {
	if g.cpuProfile == "" {
		return nil
	}
	f, err := os.Create(g.cpuProfile)
	if err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return err
	}
	g.profile = f
	return nil
}

// stopProfile ends and writes the CPU profile, if one is running.
func (g *globals) stopProfile() error {
	if g.profile == nil {
		return nil
	}
	pprof.StopCPUProfile()
	err := g.profile.Close()
	g.profile = nil
	return err
}
