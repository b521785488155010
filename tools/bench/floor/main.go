package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"
)

// config is the command line.
type config struct {
	serve, load bool

	addr       string // -serve: where to listen
	debugAddr  string
	procs      int
	roomSize   int
	snapshotHz int
	frameBytes int

	server      string // -load: the server's host:port
	bots        int
	inputHz     int
	inputBytes  int
	ramp        float64
	sourceAddrs string
	statsEvery  time.Duration
}

func main() {
	c, err := parseConfig(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if c.serve {
		if c.procs > 0 {
			runtime.GOMAXPROCS(c.procs)
		}
		err = serve(ctx, c)
	} else {
		err = runLoad(ctx, c, os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
}

// parseConfig reads the flags; it prints the usage or the error to stderr.
func parseConfig(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("floor", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, `usage: floor -serve [flags]  |  floor -load [flags]

floor is the CPU floor of the arena-move scenario for a Go server on
gorilla/websocket: a server that only frames, sends and receives the
scenario's messages, and its load generator (tickbot's -stats lines on
stdout). go run ./tools/bench -servers floor,colyseus runs both.

Flags:
`)
		fs.PrintDefaults()
	}
	fs.BoolVar(&c.serve, "serve", false, "run the server")
	fs.BoolVar(&c.load, "load", false, "run the load generator")
	fs.StringVar(&c.addr, "addr", "127.0.0.1:7790", "-serve: listen `address`")
	fs.StringVar(&c.debugAddr, "debug-addr", "", "-serve: serve Go's profiles (/debug/pprof/) on this loopback `address` too (empty: none)")
	fs.IntVar(&c.procs, "procs", 0, "-serve: processors that run Go code at once (GOMAXPROCS; 0: Go's default, one a core); the harness runs the floor on 1, its cheapest")
	fs.IntVar(&c.roomSize, "room-size", 16, "-serve: connections a room")
	fs.IntVar(&c.snapshotHz, "snapshot-hz", 20, "-serve: frames a second to each connection")
	fs.IntVar(&c.frameBytes, "frame-bytes", 80, "-serve: bytes of each frame (at least 4: the ack), about a tickwire snapshot of 16 moving players")
	fs.StringVar(&c.server, "server", "127.0.0.1:7790", "-load: the server's host:port")
	fs.IntVar(&c.bots, "bots", 16, "-load: connections")
	fs.IntVar(&c.inputHz, "input-hz", 30, "-load: inputs a second a connection")
	fs.IntVar(&c.inputBytes, "input-bytes", 28, "-load: bytes of each input (at least 4: its sequence number), about a tickwire input message with the earlier inputs it repeats")
	fs.Float64Var(&c.ramp, "ramp", 200, "-load: connections dialed a `second`")
	fs.StringVar(&c.sourceAddrs, "source-addrs", "", "-load: dial connection i from the i-th host address of this CIDR `prefix`, in turn (empty: the system picks)")
	fs.DurationVar(&c.statsEvery, "stats-every", time.Second, "-load: `interval` of the stats lines")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if err := c.validate(fs.NArg()); err != nil {
		fmt.Fprintln(stderr, "floor:", err)
		return c, err
	}
	return c, nil
}

// validate checks what the flags parsed to.
func (c config) validate(nargs int) error {
	switch {
	case nargs > 0:
		return errors.New("no arguments are taken, only flags")
	case c.serve == c.load:
		return errors.New("want exactly one of -serve and -load")
	case c.procs < 0:
		return fmt.Errorf("-procs %d: want 0 or more", c.procs)
	case c.roomSize < 1:
		return fmt.Errorf("-room-size %d: want at least 1", c.roomSize)
	case c.snapshotHz < 1 || c.snapshotHz > 1000:
		return fmt.Errorf("-snapshot-hz %d: want 1 to 1000", c.snapshotHz)
	case c.frameBytes < 4:
		return fmt.Errorf("-frame-bytes %d: want at least 4", c.frameBytes)
	case c.bots < 1:
		return fmt.Errorf("-bots %d: want at least 1", c.bots)
	case c.inputHz < 1 || c.inputHz > 1000:
		return fmt.Errorf("-input-hz %d: want 1 to 1000", c.inputHz)
	case c.inputBytes < 4:
		return fmt.Errorf("-input-bytes %d: want at least 4", c.inputBytes)
	case !(c.ramp >= 0.001) || c.ramp > 1e6:
		return fmt.Errorf("-ramp %v: want 0.001 to 1000000", c.ramp)
	case c.statsEvery <= 0:
		return fmt.Errorf("-stats-every %v: want more than 0", c.statsEvery)
	}
	return nil
}
