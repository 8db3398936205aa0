package web

import (
	"fmt"

	"github.com/safeguard-dev/safeguard/internal/store"
)

// chart is a bar chart of scans per hour, flagged scans drawn over them,
// laid out here so that the template only places rectangles.
type chart struct {
	Width, Height int
	Max           int
	Bars          []bar
}

type bar struct {
	X, W         int
	ScanY, ScanH int
	FlagY, FlagH int
	Label, Title string
	ShowLabel    bool
}

const (
	chartBarW   = 24
	chartHeight = 160
	chartAxis   = 20 // room for the hour labels
)

func newChart(hours []store.Hour) chart {
	c := chart{Width: len(hours) * chartBarW, Height: chartHeight + chartAxis}
	for _, h := range hours {
		c.Max = max(c.Max, h.Scanned)
	}
	scale := func(n int) int {
		if c.Max == 0 {
			return 0
		}
		return n * chartHeight / c.Max
	}
	for i, h := range hours {
		b := bar{X: i*chartBarW + 2, W: chartBarW - 4, ScanH: scale(h.Scanned), FlagH: scale(h.Flagged),
			Label: h.Start.Format("15h"), ShowLabel: i%3 == 0,
			Title: fmt.Sprintf("%s: %d scanned, %d flagged", h.Start.Format("2006-01-02 15:04 UTC"), h.Scanned, h.Flagged)}
		if h.Flagged > 0 && b.FlagH == 0 {
			b.FlagH = 1 // a flagged upload is never invisible
		}
		b.ScanY, b.FlagY = chartHeight-b.ScanH, chartHeight-b.FlagH
		c.Bars = append(c.Bars, b)
	}
	return c
}
