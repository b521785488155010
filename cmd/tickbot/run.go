package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"sync"
	"time"

	"github.com/tickwire/tickwire/cmd/internal/cli"
)

// Exit statuses.
const (
	exitOK    = 0
	exitFail  = 1 // a desync, an unexpected error, or not every bot connected
	exitUsage = 2
)

// output is where a run writes: the report's stdout, and stderr for logs,
// progress and (when the JSON or the -stats stream takes stdout) the
// summary.
type output struct {
	stdout, stderr io.Writer
	tty            bool // stderr is a terminal
}

// run plays the fleet, prints the summary and writes the JSON report; it
// returns the exit status.
func run(ctx context.Context, c config, out output) int {
	log, err := cli.NewLogger(out.stderr, c.logLevel, c.logFormat)
	if err != nil {
		fmt.Fprintln(out.stderr, "tickbot:", err)
		return exitUsage
	}
	if c.cpuProfile != "" {
		stop, err := startCPUProfile(c.cpuProfile)
		if err != nil {
			fmt.Fprintln(out.stderr, "tickbot:", err)
			return exitFail
		}
		defer func() {
			if err := stop(); err != nil {
				fmt.Fprintln(out.stderr, "tickbot:", err)
			}
		}()
	}
	f := newFleet(c, log)

	// The progress and -stats lines end with play, before the bots
	// disconnect, so their last lines show the fleet playing rather than
	// leaving.
	var wg sync.WaitGroup
	progCtx, stopProgress := context.WithCancel(ctx)
	defer stopProgress()
	if c.progress > 0 {
		pw := &progressWriter{w: out.stderr, tty: out.tty}
		wg.Add(1)
		go func() {
			defer wg.Done()
			runProgress(progCtx, f, pw, c.progress)
		}()
	}
	statsOut, closeStats, err := openStats(c.statsPath, out.stdout)
	if err != nil {
		fmt.Fprintln(out.stderr, "tickbot:", err)
		return exitFail
	}
	var statsErr error
	if statsOut != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statsErr = runStats(progCtx, f, statsOut, c.statsEvery)
		}()
	}
	elapsed := f.run(ctx, func() {
		stopProgress()
		wg.Wait()
	})
	if err := errors.Join(statsErr, closeStats()); err != nil {
		fmt.Fprintln(out.stderr, "tickbot:", err)
	}

	r := buildReport(f, elapsed, time.Now())
	summaryTo := out.stdout
	if c.jsonPath == "-" || c.statsPath == "-" {
		summaryTo = out.stderr
	}
	if err := r.writeSummary(summaryTo); err != nil {
		fmt.Fprintln(out.stderr, "tickbot:", err)
	}
	if c.jsonPath != "" {
		if err := writeJSONTo(c.jsonPath, out.stdout, r); err != nil {
			fmt.Fprintln(out.stderr, "tickbot:", err)
			return exitFail
		}
	}
	return r.exitCode()
}

// startCPUProfile profiles this process's CPU into path until the
// returned stop is called.
func startCPUProfile(path string) (stop func() error, err error) {
	fh, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(fh); err != nil {
		fh.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() error {
		pprof.StopCPUProfile()
		if err := fh.Close(); err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		return nil
	}, nil
}

// openStats opens the -stats stream: path, stdout for "-", nothing for "".
func openStats(path string, stdout io.Writer) (io.Writer, func() error, error) {
	switch path {
	case "":
		return nil, func() error { return nil }, nil
	case "-":
		return stdout, func() error { return nil }, nil
	}
	fh, err := os.Create(path)
	if err != nil {
		return nil, nil, fmt.Errorf("stats: %w", err)
	}
	return fh, fh.Close, nil
}

// writeJSONTo writes r to path, or to stdout for "-".
func writeJSONTo(path string, stdout io.Writer, r *report) error {
	if path == "-" {
		return r.writeJSON(stdout)
	}
	fh, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("json report: %w", err)
	}
	if err := r.writeJSON(fh); err != nil {
		fh.Close()
		return err
	}
	if err := fh.Close(); err != nil {
		return fmt.Errorf("json report: %w", err)
	}
	return nil
}
