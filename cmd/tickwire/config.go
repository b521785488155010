package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/tickwire/tickwire/cmd/internal/cli"
	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/catalog"
	"github.com/tickwire/tickwire/lobby"
)

// config is everything the command line and environment decide.
type config struct {
	addr string
	// mode is the default mode; modes the catalogue with every -<mode>.*
	// flag applied.
	mode            string
	modes           game.Modes
	maxConns        int
	maxFrameBytes   int
	slowConsumer    time.Duration
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
	// adminTokenFile, adminHosts and stateDir: see admin.go.
	adminTokenFile    string
	adminHosts        string
	stateDir          string
	sessionSecretFile string
	recordDir         string
	recordLog         recordLogFlags
	gc                gcFlag

	// cmdline is the command line as /debug/pprof/cmdline shows it,
	// secrets redacted.
	cmdline []string
	// unknownEnv names the TICKWIRE_ variables of the environment that
	// override no flag; run warns of each.
	unknownEnv []string

	frontDoor
	// talk holds the chat and game-message budgets of every room (talk.go).
	talk game.TalkConfig
	lifecycle
	tls tlsFlags
	cluster

	// adminReady, when set, receives the bound admin address (tests).
	adminReady func(addr string)
}

const synopsis = `usage: tickwire [flags]

tickwire is an authoritative multiplayer game state sync server. Clients
connect over WebSocket at /ws; / serves the browser game, /healthz answers
health checks, /metrics serves Prometheus metrics and GET /v1/modes lists
the game modes. With no flags it serves every mode it has (arena, the
default for clients that name none, and drones) on :7777, and the admin
API (docs/admin.md, for tickctl) on 127.0.0.1:7778.

Every game mode has flags of its own, named after it: -<mode>.tick-hz,
-<mode>.snapshot-hz, -<mode>.room-size, -<mode>.min-players and
-<mode>.countdown for its rooms, then its game's options. They replace the
global -tick-hz, -snapshot-hz, -room-size, -min-players and -countdown of
earlier versions.`

// parseConfig reads flags from args and overrides from getenv for a server
// of the shipped modes; problems and -h go to stderr.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	return parseConfigModes(catalog.Builtin(), args, getenv, stderr)
}

// parseConfigModes is parseConfig for the modes of catalogue.
func parseConfigModes(catalogue game.Modes, args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var c config
	// Defaults come from the packages that own them, not from literals here.
	d := lobby.DefaultConfig()
	fs := flag.NewFlagSet("tickwire", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", ":7777", "listen `address` for WebSocket, health and metrics")
	defineTLSFlags(fs, &c.tls)
	fs.StringVar(&c.mode, "mode", "arena", fmt.Sprintf("default game `mode` for clients that name none (one of %s)", strings.Join(catalogue.Names(), ", ")))
	fs.IntVar(&c.maxConns, "max-conns", d.MaxConnections, "most concurrent connections on the public port, TCP (keep-alive included) and WebSocket (0 = no limit but the open-file limit)")
	fs.IntVar(&c.maxFrameBytes, "max-frame-bytes", int(d.Conn.MaxFrameBytes), "largest client frame in `bytes`; larger ones close the connection")
	fs.DurationVar(&c.slowConsumer, "slow-consumer-after", d.Conn.SlowConsumerAfter, "close a player whose newest acknowledged snapshot trails the room by this long, or whose snapshots could not be written for this long (SLOW_CONSUMER)")
	fs.DurationVar(&c.emptyTimeout, "empty-timeout", d.Rooms.EmptyTimeout, "how long a room with no players lives on")
	fs.IntVar(&c.maxRooms, "max-rooms", d.Rooms.MaxRooms, "most live rooms (0 = no limit)")
	fs.StringVar(&c.sessionSecret, "session-secret", "", "`secret` that signs session tokens (at least 16 bytes; empty = the state directory's session-secret, generated there at the first start, so tokens survive restarts); prefer -session-secret-file or the environment, which no process listing shows")
	fs.StringVar(&c.sessionSecretFile, "session-secret-file", "", "read the session secret from `file`")
	fs.DurationVar(&c.sessionTTL, "session-ttl", d.SessionTTL, "how long a session token is valid")
	fs.DurationVar(&c.reconnectGrace, "reconnect-grace", d.ReconnectGrace, "how long a dropped player's seat is held for reconnection")
	fs.StringVar(&c.logLevel, "log-level", "info", "log `level`: debug, info, warn, error")
	fs.StringVar(&c.logFormat, "log-format", "text", "log `format`: text or json")
	fs.DurationVar(&c.shutdownTimeout, "shutdown-timeout", 10*time.Second, "after the drain, how long the stop waits for connections to be told and closed")
	fs.StringVar(&c.adminAddr, "admin-addr", "127.0.0.1:7778", "listen `address` of the admin API and /debug/pprof (empty = off)")
	fs.StringVar(&c.adminToken, "admin-token", "", "bearer `token` the admin API requires, at least 32 characters off loopback (empty = read -admin-token-file, else generate one into the state directory)")
	c.defineAdminFlags(fs, getenv)
	defineRecordLogFlags(fs, &c.recordLog, d.Rooms)
	defineGCFlag(fs, &c.gc)
	fs.StringVar(&c.recordDir, "record-dir", "", "record every room's inputs and checksums to `dir`/<room>.twrec (empty = off; see tickctl replay)")
	frontDoorFlags := defineFrontDoorFlags(fs, &c.frontDoor)
	lifecycleFlags := defineLifecycleFlags(fs, &c.lifecycle)
	clusterFlags := defineClusterFlags(fs, &c.cluster)
	talkFlags := defineTalkFlags(fs, &c.talk)
	modes, sections := defineModeFlags(fs, catalogue)
	fs.Usage = cli.Usage(fs, "TICKWIRE", synopsis, append([]cli.Section{frontDoorFlags, lifecycleFlags, clusterFlags, talkFlags}, sections...)...)
	if err := cli.Parse(fs, "TICKWIRE", args, getenv); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "tickwire:", err)
		}
		return c, err
	}
	c.unknownEnv = cli.UnknownEnv(fs, "TICKWIRE", os.Environ())
	noteGCFlagSet(fs, &c.gc)
	noteRecordLogFlagsSet(fs, &c.recordLog)
	c.cmdline = append([]string{os.Args[0]}, args...)
	var err error
	if c.modes, err = buildModes(modes); err == nil {
		err = c.readSecretFiles()
		if err == nil {
			err = c.frontDoor.validate()
		}
		if err == nil {
			err = c.lifecycle.validate()
		}
		if err == nil {
			err = c.cluster.validate(c.addr, c.sessionSecret)
		}
		if err == nil {
			err = validateTalk(c.talk)
		}
		if err == nil {
			err = c.recordLog.validate()
		}
	}
	if err == nil {
		err = c.validate()
	}
	if err != nil {
		fmt.Fprintln(stderr, "tickwire:", err)
		return c, err
	}
	return c, nil
}

func (c config) validate() error {
	if _, ok := c.modes.Lookup(c.mode); !ok {
		return fmt.Errorf("-mode %q: want one of %v", c.mode, c.modes.Names())
	}
	switch {
	case c.maxConns < 0:
		return fmt.Errorf("-max-conns %d: want 0 or more", c.maxConns)
	case c.maxFrameBytes < 256:
		return fmt.Errorf("-max-frame-bytes %d: want at least 256", c.maxFrameBytes)
	case c.slowConsumer < 100*time.Millisecond:
		return fmt.Errorf("-slow-consumer-after %v: want at least 100ms", c.slowConsumer)
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
	case c.shutdownTimeout <= 0:
		return fmt.Errorf("-shutdown-timeout %v: want more than 0", c.shutdownTimeout)
	}
	return c.validateAdmin()
}
