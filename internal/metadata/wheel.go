package metadata

import (
	"strings"
)

// Wheel is the .dist-info/WHEEL file of a wheel (PEP 427).
type Wheel struct {
	WheelVersion  string    `json:"wheel_version,omitempty"`
	Generator     string    `json:"generator,omitempty"`
	RootIsPurelib bool      `json:"root_is_purelib"`
	Tags          []string  `json:"tags,omitempty"`
	Build         string    `json:"build,omitempty"`
	Problems      []Problem `json:"problems,omitempty"`
}

// ParseWheel parses a WHEEL file.
func ParseWheel(data []byte) *Wheel {
	m := ParseMessage(data)
	w := &Wheel{
		WheelVersion:  m.Get("Wheel-Version"),
		Generator:     m.Get("Generator"),
		RootIsPurelib: strings.EqualFold(m.Get("Root-Is-Purelib"), "true"),
		Tags:          m.All("Tag"),
		Build:         m.Get("Build"),
		Problems:      m.Problems,
	}
	if w.WheelVersion == "" {
		w.Problems = append(w.Problems, Problem{Message: "no Wheel-Version field"})
	} else if major, _, _ := strings.Cut(w.WheelVersion, "."); major != "1" {
		w.Problems = append(w.Problems, Problem{Message: "Wheel-Version " + clip(w.WheelVersion) + " is not 1.x; installers refuse it"})
	}
	return w
}
