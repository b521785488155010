// Command tickbot runs headless bot players against a tickwire server: a
// load test that also catches sync bugs, since every bot plays over the
// real protocol with the Go client library and verifies every snapshot's
// checksum.
//
// It prints a live progress line while running, a summary table at the end
// and, with -json, the machine-readable report (docs/tickbot.md). SIGINT or
// SIGTERM ends the run early and still reports. Exit status: 0 when every
// bot connected and none saw a desync or an unexpected error, 1 otherwise,
// 2 for a usage error.
package main

import (
	"context"
	"errors"
	"flag"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"
)

func main() {
	cfg, err := parseConfig(os.Args[1:], os.Getenv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(exitOK)
	}
	if err != nil {
		os.Exit(exitUsage) // parseConfig has printed the problem
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, cfg, output{
		stdout: os.Stdout,
		stderr: os.Stderr,
		tty:    term.IsTerminal(int(os.Stderr.Fd())),
	})
	stop()
	os.Exit(code)
}
