// Command tickwire is the tickwire game server: WebSocket clients join rooms
// that run a fixed-tick simulation and receive delta snapshots.
//
// Run it with no flags for the embedded defaults (":7777", every mode it
// has: the arena game at 60 Hz ticks, 20 Hz snapshots, 16 players per
// room, the default, and drones). Every game mode has
// flags of its own (-arena.tick-hz, -arena.score-limit, ...) and every flag
// an environment override; see -h.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
)

func main() {
	cfg, err := parseConfig(os.Args[1:], os.Getenv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		os.Exit(2) // parseConfig has printed the problem
	}
	cfg.gc.apply(os.Getenv)
	// The first SIGTERM drains and stops gracefully; a second exits at once.
	sigs, unnotify := notifySignals()
	ctx, stop := signalContext(sigs, os.Exit)
	err = run(ctx, cfg, os.Stderr, nil)
	stop()
	unnotify()
	if err != nil {
		fmt.Fprintln(os.Stderr, "tickwire:", err)
		os.Exit(1)
	}
}
