package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/tickwire/tickwire/cmd/internal/cli"
	"github.com/tickwire/tickwire/lobby"
)

// lifecycle is what the flags of the server's start and stop decide: the
// drain on SIGTERM and the results file.
type lifecycle struct {
	drainTimeout time.Duration
	resultsFile  string
	resultsQueue int
}

// defineLifecycleFlags defines the lifecycle flags on fs and returns their
// section of -h.
func defineLifecycleFlags(fs *flag.FlagSet, l *lifecycle) cli.Section {
	fs.DurationVar(&l.drainTimeout, "drain-timeout", 20*time.Second, "on SIGTERM, how long running matches may play on before they are ended with their standings (0 = end them at once); a second SIGTERM exits at once with status 143")
	fs.StringVar(&l.resultsFile, "results-file", "", "append every ended match (players, scores, duration, end reason) as a JSON line to `file` (empty = off)")
	fs.IntVar(&l.resultsQueue, "results-queue", lobby.DefaultResultsQueue, "ended matches waiting for -results-file; past it they are dropped and counted")
	return cli.Section{Title: "Start and stop", Flags: []string{"drain-timeout", "shutdown-timeout", "results-file", "results-queue"}}
}

// validate checks the lifecycle flags.
func (l *lifecycle) validate() error {
	switch {
	case l.drainTimeout < 0:
		return fmt.Errorf("-drain-timeout %v: want 0 or more", l.drainTimeout)
	case l.resultsQueue < 1:
		return fmt.Errorf("-results-queue %d: want at least 1", l.resultsQueue)
	}
	return nil
}

// openResults opens the results file, if one is set, and hands its Record
// to the lobby; the returned close writes what is queued and closes it.
func (l *lifecycle) openResults(cfg *lobby.Config, log *slog.Logger) (closeFn func() error, err error) {
	if l.resultsFile == "" {
		return func() error { return nil }, nil
	}
	w, err := lobby.OpenResultsFile(l.resultsFile, l.resultsQueue, log)
	if err != nil {
		return nil, err
	}
	cfg.Rooms.OnMatchEnd = w.Record
	log.Info("writing match results", "file", l.resultsFile)
	return w.Close, nil
}

// drain runs the drain before the shutdown: no new players, running
// matches end or are ended at -drain-timeout.
func (l *lifecycle) drain(srv *lobby.Server, log *slog.Logger) {
	log.Info("draining", "timeout", l.drainTimeout)
	ctx, cancel := context.WithTimeout(context.Background(), l.drainTimeout)
	defer cancel()
	cut := srv.Drain(ctx)
	log.Info("drained", "matches_cut_short", cut)
}

// exitOnSignal is the exit status of a second SIGTERM (or SIGINT): 128
// plus the signal's number, as a shell reports a process the signal
// killed.
func exitOnSignal(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 1
}

// signalContext returns a context that ends at the first SIGTERM or SIGINT
// on sigs; at the second, exit is called with exitOnSignal. stop releases
// the goroutine.
func signalContext(sigs <-chan os.Signal, exit func(int)) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		first := true
		for {
			select {
			case sig := <-sigs:
				if first {
					first = false
					cancel()
					continue
				}
				exit(exitOnSignal(sig))
			case <-done:
				return
			}
		}
	}()
	return ctx, func() { close(done); cancel() }
}

// notifySignals relays SIGTERM and SIGINT to a fresh channel.
func notifySignals() (<-chan os.Signal, func()) {
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	return ch, func() { signal.Stop(ch) }
}
