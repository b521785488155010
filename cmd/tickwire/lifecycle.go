package main

import (
	"context"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
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
	maxSessions  int
}

// defineLifecycleFlags defines the lifecycle flags on fs and returns their
// section of -h.
func defineLifecycleFlags(fs *flag.FlagSet, l *lifecycle) cli.Section {
	fs.DurationVar(&l.drainTimeout, "drain-timeout", 20*time.Second, "on SIGTERM, how long running matches may play on before they are ended with their standings (0 = end them at once); a second SIGTERM exits at once with status 143")
	fs.StringVar(&l.resultsFile, "results-file", "", "append every ended match (players, scores, duration, end reason) as a JSON line to `file` (empty = off)")
	fs.IntVar(&l.resultsQueue, "results-queue", lobby.DefaultResultsQueue, "ended matches waiting for -results-file; past it they are dropped and counted")
	fs.IntVar(&l.maxSessions, "max-sessions", lobby.DefaultConfig().MaxSessions, "sessions the session table keeps (token generations, for retiring renewed tokens); past it the least recently used is forgotten")
	return cli.Section{Title: "Start and stop, sessions", Flags: []string{"drain-timeout", "shutdown-timeout", "results-file", "results-queue",
		"session-secret", "session-secret-file", "session-ttl", "max-sessions"}}
}

// validate checks the lifecycle flags.
func (l *lifecycle) validate() error {
	switch {
	case l.drainTimeout < 0:
		return fmt.Errorf("-drain-timeout %v: want 0 or more", l.drainTimeout)
	case l.resultsQueue < 1:
		return fmt.Errorf("-results-queue %d: want at least 1", l.resultsQueue)
	case l.maxSessions < 1:
		return fmt.Errorf("-max-sessions %d: want at least 1", l.maxSessions)
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

// sessionSecret returns the secret that signs session tokens: the one
// given (-session-secret, its file or the environment), else the one in
// the state directory, generated there (0600) on the first start, so that
// tokens stay good across restarts; with neither, nil (a random secret:
// tokens die with the process).
func sessionSecret(given, stateDir string, log *slog.Logger) ([]byte, error) {
	if given != "" {
		return []byte(given), nil
	}
	if stateDir == "" {
		return nil, nil
	}
	path := filepath.Join(stateDir, cli.SessionSecretFile)
	secret, err := cli.ReadSecret(path)
	switch {
	case err == nil && len(secret) >= 16:
		log.Info("session secret read from the state directory", "file", path)
		return []byte(secret), nil
	case err == nil:
		return nil, fmt.Errorf("session secret in %s has %d bytes: want at least 16", path, len(secret))
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("session secret: %w", err)
	}
	secret = base64.RawURLEncoding.EncodeToString(lobby.RandomSecret())
	if err := cli.WriteSecret(path, secret); err != nil {
		return nil, fmt.Errorf("session secret: %w", err)
	}
	log.Info("session secret generated into the state directory; tokens survive restarts", "file", path)
	return []byte(secret), nil
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
