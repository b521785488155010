package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/tickwire/tickwire/cmd/internal/cli"
	"github.com/tickwire/tickwire/lobby"
)

// config is everything the command line and environment decide.
type config struct {
	addr            string
	tickHz          int
	snapshotHz      int
	roomSize        int
	mode            string
	maxConns        int
	maxFrameBytes   int
	slowConsumer    time.Duration
	minPlayers      int
	countdown       time.Duration
	emptyTimeout    time.Duration
	maxRooms        int
	sessionSecret   string
	sessionTTL      time.Duration
	reconnectGrace  time.Duration
	logLevel        string
	logFormat       string
	shutdownTimeout time.Duration
	adminAddr       string
	adminToken      string
	recordDir       string
	recordLogBytes  int

	// adminReady, when set, receives the bound admin address (tests).
	adminReady func(addr string)
}

const synopsis = `usage: tickwire [flags]

tickwire is an authoritative multiplayer game state sync server. Clients
connect over WebSocket at /ws; /healthz answers health checks and /metrics
serves Prometheus metrics. With no flags it serves the arena game on :7777,
and the admin API (docs/admin.md, for tickctl) on 127.0.0.1:7778.`

// parseConfig reads flags from args and overrides from getenv; problems
// and -h go to stderr.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("tickwire", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", ":7777", "listen `address` for WebSocket, health and metrics")
	fs.IntVar(&c.tickHz, "tick-hz", 60, "simulation ticks per second (1-128)")
	fs.IntVar(&c.snapshotHz, "snapshot-hz", 20, "snapshots per second (a divisor of tick-hz)")
	fs.IntVar(&c.roomSize, "room-size", 16, "players per room")
	fs.StringVar(&c.mode, "mode", "arena", "default game `mode` for clients that name none")
	fs.IntVar(&c.maxConns, "max-conns", 10000, "most concurrent connections (0 = no limit)")
	fs.IntVar(&c.maxFrameBytes, "max-frame-bytes", 4096, "largest client frame in `bytes`; larger ones close the connection")
	fs.DurationVar(&c.slowConsumer, "slow-consumer-after", 3*time.Second, "close a client that has read no snapshot for this long (slow-consumer reason)")
	fs.IntVar(&c.minPlayers, "min-players", 1, "players a room needs before its countdown starts")
	fs.DurationVar(&c.countdown, "countdown", 3*time.Second, "countdown from enough players to the match start")
	fs.DurationVar(&c.emptyTimeout, "empty-timeout", 30*time.Second, "how long a room with no players lives on")
	fs.IntVar(&c.maxRooms, "max-rooms", 1000, "most live rooms (0 = no limit)")
	fs.StringVar(&c.sessionSecret, "session-secret", "", "`secret` that signs session tokens (at least 16 bytes; empty = random, tokens die with the process)")
	fs.DurationVar(&c.sessionTTL, "session-ttl", 24*time.Hour, "how long a session token is valid")
	fs.DurationVar(&c.reconnectGrace, "reconnect-grace", 20*time.Second, "how long a dropped player's seat is held for reconnection")
	fs.StringVar(&c.logLevel, "log-level", "info", "log `level`: debug, info, warn, error")
	fs.StringVar(&c.logFormat, "log-format", "text", "log `format`: text or json")
	fs.DurationVar(&c.shutdownTimeout, "shutdown-timeout", 10*time.Second, "how long SIGTERM waits for clients to be told and rooms to end")
	fs.StringVar(&c.adminAddr, "admin-addr", "127.0.0.1:7778", "listen `address` of the admin API and /debug/pprof (empty = off); a non-loopback address needs -admin-token")
	fs.StringVar(&c.adminToken, "admin-token", "", "bearer `token` the admin API requires (empty = none, loopback only)")
	fs.IntVar(&c.recordLogBytes, "record-log-bytes", 16<<20, "`bytes` of each room's in-memory input log, which lets tickctl record a match already running (-1 = keep none)")
	fs.StringVar(&c.recordDir, "record-dir", "", "record every room's inputs and checksums to `dir`/<room>.twrec (empty = off; see tickctl replay)")
	fs.Usage = cli.Usage(fs, "TICKWIRE", synopsis)
	if err := cli.Parse(fs, "TICKWIRE", args, getenv); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "tickwire:", err)
		}
		return c, err
	}
	if err := c.validate(); err != nil {
		fmt.Fprintln(stderr, "tickwire:", err)
		return c, err
	}
	return c, nil
}

func (c config) validate() error {
	switch {
	case c.tickHz < 1 || c.tickHz > 128:
		return fmt.Errorf("-tick-hz %d: want 1 to 128", c.tickHz)
	case c.snapshotHz < 1 || c.snapshotHz > c.tickHz || c.tickHz%c.snapshotHz != 0:
		return fmt.Errorf("-snapshot-hz %d: want a divisor of -tick-hz (%d), so snapshots come at exactly that rate", c.snapshotHz, c.tickHz)
	case c.roomSize < 1 || c.roomSize > 256:
		return fmt.Errorf("-room-size %d: want 1 to 256", c.roomSize)
	case c.maxConns < 0:
		return fmt.Errorf("-max-conns %d: want 0 or more", c.maxConns)
	case c.maxFrameBytes < 256:
		return fmt.Errorf("-max-frame-bytes %d: want at least 256", c.maxFrameBytes)
	case c.slowConsumer < 100*time.Millisecond:
		return fmt.Errorf("-slow-consumer-after %v: want at least 100ms", c.slowConsumer)
	case c.minPlayers < 1 || c.minPlayers > c.roomSize:
		return fmt.Errorf("-min-players %d: want 1 to -room-size (%d)", c.minPlayers, c.roomSize)
	case c.countdown < 0:
		return fmt.Errorf("-countdown %v: want 0 or more", c.countdown)
	case c.emptyTimeout <= 0:
		return fmt.Errorf("-empty-timeout %v: want more than 0", c.emptyTimeout)
	case c.maxRooms < 0:
		return fmt.Errorf("-max-rooms %d: want 0 or more", c.maxRooms)
	case c.sessionSecret != "" && len(c.sessionSecret) < 16:
		return fmt.Errorf("-session-secret has %d bytes: want at least 16", len(c.sessionSecret))
	case c.sessionTTL <= 0:
		return fmt.Errorf("-session-ttl %v: want more than 0", c.sessionTTL)
	case c.reconnectGrace <= 0:
		return fmt.Errorf("-reconnect-grace %v: want more than 0", c.reconnectGrace)
	case c.recordLogBytes == 0 || c.recordLogBytes < -1:
		return fmt.Errorf("-record-log-bytes %d: want a size in bytes, or -1 for none", c.recordLogBytes)
	case c.shutdownTimeout <= 0:
		return fmt.Errorf("-shutdown-timeout %v: want more than 0", c.shutdownTimeout)
	}
	if c.adminAddr != "" {
		if err := lobby.CheckAdminAddr(c.adminAddr, c.adminToken); err != nil {
			return fmt.Errorf("-admin-addr: %w (set -admin-token or TICKWIRE_ADMIN_TOKEN)", err)
		}
	}
	return nil
}
