package main

import (
	"context"
	"fmt"
	"io"
	"time"
)

// progressSample is what one progress line shows.
type progressSample struct {
	elapsed     time.Duration
	live, bots  int
	rooms       int
	snapshotsPS float64
	ackP99      time.Duration
	haveAck     bool // any input was acknowledged in the interval
	desyncs     uint64
	errors      int
}

// formatProgress renders a progress line (no line ending).
func formatProgress(p progressSample) string {
	ack := "-"
	if p.haveAck {
		ack = fmt.Sprintf("%.1fms", float64(p.ackP99)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%6.1fs  connected %d/%d  rooms %d  snapshots/s %.0f  p99 input→ack %s  desyncs %d  errors %d",
		p.elapsed.Seconds(), p.live, p.bots, p.rooms, p.snapshotsPS, ack, p.desyncs, p.errors)
}

// progressWriter prints progress lines: on a terminal one line rewritten
// in place (carriage return, clear to end of line), otherwise plain lines
// a log file or CI can keep.
type progressWriter struct {
	w       io.Writer
	tty     bool
	written bool
}

// update shows line.
func (p *progressWriter) update(line string) {
	if p.tty {
		fmt.Fprintf(p.w, "\r\x1b[K%s", line)
	} else {
		fmt.Fprintln(p.w, line)
	}
	p.written = true
}

// finish ends the in-place line, so what follows starts on a fresh one.
func (p *progressWriter) finish() {
	if p.tty && p.written {
		fmt.Fprintln(p.w)
	}
}

// runProgress prints a line every interval until ctx ends, then the last
// line ends.
func runProgress(ctx context.Context, f *fleet, pw *progressWriter, interval time.Duration) {
	defer pw.finish()
	t := time.NewTicker(interval)
	defer t.Stop()
	start := time.Now()
	prevAt, prevSnaps := start, uint64(0)
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			tot := f.sum(now)
			lc := f.tally.takeLive()
			rate := 0.0
			if dt := now.Sub(prevAt).Seconds(); dt > 0 {
				rate = float64(tot.snapshots-prevSnaps) / dt
			}
			prevAt, prevSnaps = now, tot.snapshots
			pw.update(formatProgress(progressSample{
				elapsed: now.Sub(start), live: lc.live, bots: len(f.bots), rooms: lc.rooms,
				snapshotsPS: rate, ackP99: lc.ackP99, haveAck: lc.ackSamples > 0,
				desyncs: tot.desyncs, errors: lc.errors + int(tot.decodeErrors),
			}))
		}
	}
}
