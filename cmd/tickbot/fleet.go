package main

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// fleet launches the bots at the ramp rate, lets them play for the
// duration and stops them, owning and waiting for every bot goroutine.
type fleet struct {
	cfg   config
	log   *slog.Logger
	tally *tally
	bots  []*bot
	start time.Time
	// pacer sends every playing bot's inputs; set by run.
	pacer *pacer
}

func newFleet(c config, log *slog.Logger) *fleet {
	f := &fleet{cfg: c, log: log, tally: newTally(), bots: make([]*bot, c.bots)}
	for i := range f.bots {
		f.bots[i] = newBot(c, i)
	}
	return f
}

// run launches bot i at start + i/ramp, lets them play -duration after the
// last launch, then ends them and waits. ctx ending (a signal), or every
// bot ending on its own, ends the run early: bots not yet launched never
// are. beforeStop, if set, runs when
// play ends, before the bots are told to stop.
func (f *fleet) run(ctx context.Context, beforeStop func()) (elapsed time.Duration) {
	playCtx, stop := context.WithCancel(ctx)
	defer stop()
	f.pacer = newPacer(time.Second / time.Duration(f.cfg.inputHz))
	pacerCtx, stopPacer := context.WithCancel(context.Background())
	pacerDone := make(chan struct{})
	go func() {
		defer close(pacerDone)
		f.pacer.run(pacerCtx)
	}()
	// The pacer outlives the bots, which leave it as they end.
	defer func() {
		stopPacer()
		<-pacerDone
	}()
	var wg sync.WaitGroup
	f.start = time.Now()
	interval := time.Duration(float64(time.Second) / f.cfg.ramp)
	timer := time.NewTimer(0)
	defer timer.Stop()
launch:
	for i, b := range f.bots {
		// Launch times are computed from the start, so slow launches do
		// not push every later bot back.
		timer.Reset(time.Until(f.start.Add(time.Duration(i) * interval)))
		select {
		case <-ctx.Done():
			break launch
		case <-timer.C:
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			b.run(playCtx, f)
		}()
	}
	// allEnded closes when every bot has ended on its own (the server went
	// away, every room ended): nothing is left to wait the duration for.
	allEnded := make(chan struct{})
	go func() {
		wg.Wait()
		close(allEnded)
	}()
	if ctx.Err() == nil {
		timer.Reset(f.cfg.duration)
		select {
		case <-ctx.Done():
		case <-timer.C:
		case <-allEnded:
		}
	}
	elapsed = time.Since(f.start)
	if beforeStop != nil {
		beforeStop()
	}
	stop()
	<-allEnded
	return elapsed
}

// totals sums every bot's published counters and seated time.
type totals struct {
	snapshots, fullSnapshots uint64
	desyncs, decodeErrors    uint64
	bytesIn, bytesOut        uint64
	inputs                   uint64
	disconnects, reconnects  uint64
	seated                   time.Duration // summed over playing bots
}

// sum adds up the bots as of now.
func (f *fleet) sum(now time.Time) totals {
	return f.sumOf(now, f.bots)
}

// modeTotals is what the bots of one mode add up to.
type modeTotals struct {
	bots       int
	snapshotHz uint32 // the newest room's rate of the mode's last bot
	totals
}

// sumByMode adds up the bots as of now by the mode of the room each last
// joined; bots that never joined are left out.
func (f *fleet) sumByMode(now time.Time) map[string]*modeTotals {
	byMode := make(map[string][]*bot)
	hz := make(map[string]uint32)
	for _, b := range f.bots {
		if mode, snapHz := b.room(); mode != "" {
			byMode[mode] = append(byMode[mode], b)
			hz[mode] = snapHz
		}
	}
	out := make(map[string]*modeTotals, len(byMode))
	for mode, bots := range byMode {
		out[mode] = &modeTotals{bots: len(bots), snapshotHz: hz[mode], totals: f.sumOf(now, bots)}
	}
	return out
}

// sumOf adds up bots as of now.
func (f *fleet) sumOf(now time.Time, bots []*bot) totals {
	var t totals
	for _, b := range bots {
		st, seated := b.sample(now)
		t.snapshots += st.Snapshots
		t.fullSnapshots += st.FullSnapshots
		t.desyncs += st.Desyncs
		t.decodeErrors += st.DecodeErrors
		t.bytesIn += st.BytesIn
		t.bytesOut += st.BytesOut
		t.inputs += st.InputsSent
		d, r := reconnectCounts(st)
		t.disconnects += d
		t.reconnects += r
		t.seated += seated
	}
	return t
}
