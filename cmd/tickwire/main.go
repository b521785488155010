// Command tickwire is the tickwire game server: WebSocket clients join rooms
// that run a fixed-tick simulation and receive delta snapshots.
//
// Run it with no flags for the embedded defaults (":7777", the arena game at
// 60 Hz ticks, 20 Hz snapshots, 16 players per room). Every game mode has
// flags of its own (-arena.tick-hz, -arena.score-limit, ...) and every flag
// an environment override; see -h.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	cfg, err := parseConfig(os.Args[1:], os.Getenv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		os.Exit(2) // parseConfig has printed the problem
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "tickwire:", err)
		os.Exit(1)
	}
}
