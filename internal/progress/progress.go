// Package progress shows how far a long job has come: a live bar when the
// output is a terminal, and a plain status line every few seconds when it is
// a file or pipe (so logs stay readable).
//
// The convention is one counter: the job advances it, and the report polls
// it (see Run), so the figures shown are the ones a job's summary reports.
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

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

// pollInterval is how often Run polls the job's counter, and so how often a
// live bar is redrawn.
const pollInterval = 200 * time.Millisecond

// Run runs job while a Bar on w polls status for the units done and a detail
// to show beside them (e.g. "lr 0.0213"). status is polled once more after
// job returns, so the report ends on the job's final count: 100 % when it
// did all of Total.
func Run(w io.Writer, opts Options, status func() (int64, string), job func() error) error {
	return run(w, opts, isTerminal(w), status, job)
}

func run(w io.Writer, opts Options, live bool, status func() (int64, string), job func() error) error {
	b := newBar(w, opts, live)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(pollInterval)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				b.Set(status())
			}
		}
	})
	err := job()
	close(done)
	wg.Wait()
	n, detail := status()
	b.n, b.detail = n, detail
	b.Finish()
	return err
}

// Bar reports a job's progress on a writer. Its methods are called from one
// goroutine.
type Bar struct {
	opts    Options
	w       io.Writer
	live    bool // redraw one line in place (a terminal)
	start   time.Time
	last    time.Time // plain mode: when the last line was printed
	printed bool      // plain mode: a line has been printed
	drawn   bool      // live mode: a line is on the screen
	n       int64
	detail  string
}

// New starts a progress report on w: a live bar when w is a terminal.
func New(w io.Writer, opts Options) *Bar { return newBar(w, opts, isTerminal(w)) }

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func newBar(w io.Writer, opts Options, live bool) *Bar {
	if opts.Interval <= 0 {
		opts.Interval = 5 * time.Second
	}
	b := &Bar{opts: opts, w: w, live: live, start: time.Now(), n: opts.Start}
	b.last = b.start
	return b
}

// Set records that n units are done; detail (e.g. "lr 0.0213") is shown
// beside the figures.
func (b *Bar) Set(n int64, detail string) {
	b.n, b.detail = n, detail
	if b.opts.Quiet {
		return
	}
	now := time.Now()
	if b.live {
		b.draw(now)
		return
	}
	// The first line comes as soon as work is under way, so a log shows at
	// once that the job has started; later ones every Interval.
	if b.printed && now.Sub(b.last) < b.opts.Interval || !b.printed && n <= b.opts.Start {
		return
	}
	b.last, b.printed = now, true
	fmt.Fprintln(b.w, b.line(now))
}

// draw redraws the live line in place.
func (b *Bar) draw(now time.Time) {
	fmt.Fprintf(b.w, "\r%s\x1b[K", b.line(now))
	b.drawn = true
}

// line formats the status: in live mode with a bar after the description.
func (b *Bar) line(now time.Time) string {
	elapsed := now.Sub(b.start).Seconds()
	rate := float64(b.n-b.opts.Start) / max(elapsed, 1e-9)
	var s strings.Builder
	s.WriteString(b.opts.Desc + ":")
	if b.opts.Total > 0 {
		frac := min(max(float64(b.n)/float64(b.opts.Total), 0), 1)
		fmt.Fprintf(&s, " %5.1f%%", 100*frac)
		if b.live {
			s.WriteString(" " + meter(frac, 20))
		}
		fmt.Fprintf(&s, " %s/%s %s", Count(b.n), Count(b.opts.Total), b.opts.Unit)
	} else {
		fmt.Fprintf(&s, " %s %s", Count(b.n), b.opts.Unit)
	}
	if rate > 0 {
		fmt.Fprintf(&s, ", %s %s/s", Count(int64(rate)), b.opts.Unit)
		if b.opts.Total > 0 && b.n < b.opts.Total {
			eta := time.Duration(float64(b.opts.Total-b.n) / rate * float64(time.Second))
			fmt.Fprintf(&s, ", ETA %s", eta.Round(time.Second))
		}
	}
	if b.detail != "" {
		s.WriteString(", " + b.detail)
	}
	return s.String()
}

// meter draws frac as a bar of width cells.
func meter(frac float64, width int) string {
	full := int(frac * float64(width))
	return "[" + strings.Repeat("#", full) + strings.Repeat(".", width-full) + "]"
}

// Finish ends the report. A live bar is drawn a last time with the latest
// count, and left on its line.
func (b *Bar) Finish() {
	if b.opts.Quiet || !b.live {
		return
	}
	b.draw(time.Now())
	fmt.Fprintln(b.w)
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
