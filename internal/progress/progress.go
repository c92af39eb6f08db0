// Package progress shows how far a long job has come: a live bar when the
// output is a terminal, and a plain status line every few seconds when it is
// a file or pipe (so logs stay readable).
package progress

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Options configure a Bar.
type Options struct {
	Total    int64         // units the job will do; 0 if unknown
	Start    int64         // units already done when the job (re)starts, e.g. on resume
	Unit     string        // what is counted, e.g. "words"
	Desc     string        // what the job is, e.g. "train"
	Quiet    bool          // show nothing
	Interval time.Duration // plain mode: time between lines (default 5 s)
}

// Bar reports a job's progress on a writer. Its methods are called from one
// goroutine.
type Bar struct {
	opts  Options
	w     io.Writer
	bar   *progressbar.ProgressBar // nil in plain or quiet mode
	start time.Time
	last  time.Time // plain mode: when the last line was printed
	n     int64
}

// New starts a progress report on w.
func New(w io.Writer, opts Options) *Bar {
	if opts.Interval <= 0 {
		opts.Interval = 5 * time.Second
	}
	b := &Bar{opts: opts, w: w, start: time.Now()}
	b.last = b.start
	if opts.Quiet {
		return b
	}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		b.bar = progressbar.NewOptions64(opts.Total-opts.Start,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription(opts.Desc),
			progressbar.OptionSetWidth(25),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString(opts.Unit),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	return b
}

// Set records that n units are done; detail (e.g. "lr 0.0213") is shown
// beside the figures.
func (b *Bar) Set(n int64, detail string) {
	b.n = n
	if b.opts.Quiet {
		return
	}
	if b.bar != nil {
		desc := b.opts.Desc
		if detail != "" {
			desc += " " + detail
		}
		b.bar.Describe(desc)
		b.bar.Set64(n - b.opts.Start)
		return
	}
	now := time.Now()
	if now.Sub(b.last) < b.opts.Interval {
		return
	}
	b.last = now
	fmt.Fprintln(b.w, b.line(now, detail))
}

// line formats a plain status line.
func (b *Bar) line(now time.Time, detail string) string {
	elapsed := now.Sub(b.start).Seconds()
	rate := float64(b.n-b.opts.Start) / max(elapsed, 1e-9)
	s := fmt.Sprintf("%s: %s %s", b.opts.Desc, Count(b.n), b.opts.Unit)
	if b.opts.Total > 0 {
		pct := 100 * float64(b.n) / float64(b.opts.Total)
		s = fmt.Sprintf("%s: %5.1f%% %s/%s %s", b.opts.Desc, pct, Count(b.n), Count(b.opts.Total), b.opts.Unit)
		if rate > 0 {
			eta := time.Duration(float64(b.opts.Total-b.n) / rate * float64(time.Second))
			s += fmt.Sprintf(", %s %s/s, ETA %s", Count(int64(rate)), b.opts.Unit, eta.Round(time.Second))
		}
	} else {
		s += fmt.Sprintf(", %s %s/s", Count(int64(rate)), b.opts.Unit)
	}
	if detail != "" {
		s += ", " + detail
	}
	return s
}

// Finish ends the report, clearing a live bar.
func (b *Bar) Finish() {
	if b.bar != nil {
		b.bar.Finish()
	}
}

// Count formats n compactly: 950, 12.3k, 4.56M, 7.89G.
func Count(n int64) string {
	f := float64(n)
	switch {
	case n < 10_000:
		return fmt.Sprint(n)
	case n < 1_000_000:
		return fmt.Sprintf("%.1fk", f/1e3)
	case n < 1_000_000_000:
		return fmt.Sprintf("%.2fM", f/1e6)
	default:
		return fmt.Sprintf("%.2fG", f/1e9)
	}
}

// Bytes formats a byte count in binary units: 512 B, 3.2 MiB, 1.50 GiB.
func Bytes(n int64) string {
	f := float64(n)
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", f/(1<<10))
	case n < 1<<30:
		return fmt.Sprintf("%.1f MiB", f/(1<<20))
	default:
		return fmt.Sprintf("%.2f GiB", f/(1<<30))
	}
}
