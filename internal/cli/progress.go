package cli

import (
	"io"
	"os"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"
)

// progress draws a bar on stderr for multi-artifact work, only when stderr
// is a terminal; otherwise every method does nothing.
type progress struct {
	p   *mpb.Progress
	bar *mpb.Bar
}

func newProgress(stderr io.Writer, total int, enabled bool) *progress {
	f, ok := stderr.(*os.File)
	if !enabled || total < 2 || !ok || !term.IsTerminal(int(f.Fd())) {
		return &progress{}
	}
	p := mpb.New(mpb.WithOutput(stderr), mpb.WithWidth(40))
	bar := p.AddBar(int64(total),
		mpb.PrependDecorators(decor.Name("scanning "), decor.CountersNoUnit("%d/%d")),
		mpb.AppendDecorators(decor.Percentage(), decor.Name(" "), decor.EwmaETA(decor.ET_STYLE_GO, 30)),
	)
	return &progress{p: p, bar: bar}
}

func (pr *progress) increment() {
	if pr.bar != nil {
		pr.bar.Increment()
	}
}

func (pr *progress) wait() {
	if pr.p != nil {
		pr.bar.SetTotal(-1, true)
		pr.p.Wait()
	}
}
