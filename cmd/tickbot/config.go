package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/tickwire/tickwire/cmd/internal/cli"
)

// envPrefix prefixes every flag's environment override (TICKBOT_BOTS...).
const envPrefix = "TICKBOT"

// Behaviour names accepted by -behavior.
const (
	behaviorWander = "wander"
	behaviorChase  = "chase"
	behaviorIdle   = "idle"
	behaviorMixed  = "mixed"
)

// config is everything the command line and environment decide.
type config struct {
	server   string
	bots     int
	duration time.Duration
	ramp     float64 // bot launches per second
	mode     string
	modes    []string // mode split at commas; [""] for the server's default
	room     string
	// sourceAddrs is -source-addrs; sources the addresses it names.
	sourceAddrs string
	sources     []netip.Addr
	inputHz     int
	behavior    string
	jsonPath    string
	// statsPath and statsEvery: the -stats stream of counters (stats.go).
	statsPath  string
	statsEvery time.Duration
	// cpuProfile is where -cpuprofile writes tickbot's own CPU profile.
	cpuProfile string
	seed       uint64
	progress   time.Duration
	chatRate   float64 // chat lines per bot per second

	chaosDisconnect float64 // per bot per second
	chaosSlow       float64 // share of bots
	chaosGarbage    float64 // share of bots

	logLevel  string
	logFormat string
}

const synopsis = `usage: tickbot [flags]

tickbot runs headless bot players against a tickwire server to load-test it
and catch sync bugs: every bot plays over the real protocol with the Go
client library and verifies every snapshot's checksum. It prints a live
progress line, a summary table at the end and, with -json, a machine-readable
report, with the figures of each mode in its "modes" section. Exit status: 0
when every bot connected and none saw a desync or an unexpected error, 1
otherwise, 2 for a usage error.

-server is host:port (localhost:7777) or a url: ws://host:port/ws,
wss://host/ws, http://host:port or https://host (http dials ws, https
dials wss; no path or "/" dials /ws).

-mode arena,drones spreads the bots over the modes in turn: bot 0 plays
arena, bot 1 drones, bot 2 arena, and so on. Each mode has its own brains
for -behavior:
  arena   wander  runs in a random direction, turning about once a second
          chase   hunts the nearest live player, turns its aim and fires
          idle    sends empty inputs
  drones  wander  cruises level at full thrust, turning about once a second
          chase   flies the mode's pilot: cores, and tags on drones holding some
          idle    sends empty inputs
mixed draws each bot's behaviour from the seed (half wander, 3 in 10 chase,
1 in 5 idle). In a mode tickbot has no brains for, wander and chase send
random values of the mode's input fields, each redrawn about once a second.

-chat R makes every bot say R lines a second in its room's chat; the
report counts the lines sent (chat_sent), the other bots' lines received
(chat_received), their delivery time (chat_ms, from one bot's send to
another's receipt, on the one clock of this process) and the operator's
notices received (notices). A refused line is an error of the run.`

// parseConfig reads flags from args and overrides from getenv; problems and
// -h go to stderr.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("tickbot", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.server, "server", "localhost:7777", "server `address`: host:port, or a ws://, wss://, http:// or https:// url (the /ws path is added when missing)")
	fs.IntVar(&c.bots, "bots", 16, "number of bots")
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "how long the bots play once the ramp is done")
	fs.Float64Var(&c.ramp, "ramp", 50, "`rate` of bot connections started, per second")
	fs.StringVar(&c.mode, "mode", "", "game `modes` to quick-play, comma-separated: bot i plays the i-th, in turn (empty: the server's default)")
	fs.StringVar(&c.room, "room", "", "join this room `code` instead of quick play")
	fs.StringVar(&c.sourceAddrs, "source-addrs", "", "dial bot i from the i-th of these local `addresses`, in turn: IPs and CIDR prefixes (a prefix's host addresses), comma-separated, at most 65536 addresses, such as 127.0.1.0/24 (on Linux every 127.0.0.0/8 address is the machine's own), so that the server sees many client addresses; tickwire counts an IPv6 client by its /64 (empty: the system picks)")
	fs.IntVar(&c.inputHz, "input-hz", 30, "input messages per second per bot (1-120)")
	fs.StringVar(&c.behavior, "behavior", behaviorWander, "bot `behavior`: wander, chase, idle or mixed (what each means in each mode: above)")
	fs.StringVar(&c.jsonPath, "json", "", "write the JSON report to `file` (- for stdout)")
	fs.StringVar(&c.statsPath, "stats", "", "write the fleet's counters as a JSON line every -stats-every to `file` (- for stdout), for harnesses that measure a window")
	fs.DurationVar(&c.statsEvery, "stats-every", time.Second, "`interval` of the -stats lines")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "write tickbot's own CPU profile to `file` (go tool pprof), to see what a bot costs")
	fs.Uint64Var(&c.seed, "seed", 1, "random `seed`: the same seed plays the same behaviour")
	fs.Float64Var(&c.chatRate, "chat", 0, "chat lines per bot per second `R` (0: none; the server's budget is 2)")
	fs.DurationVar(&c.progress, "progress", time.Second, "progress line `interval` (0: none)")
	fs.Float64Var(&c.chaosDisconnect, "chaos-disconnect", 0, "chance `P` per bot per second of dropping its connection and resuming the session")
	fs.Float64Var(&c.chaosSlow, "chaos-slow", 0, "share `P` of bots that now and then stop reading the socket for a while")
	fs.Float64Var(&c.chaosGarbage, "chaos-garbage", 0, "share `P` of bots that send malformed frames and expect a protocol-error close")
	fs.StringVar(&c.logLevel, "log-level", "warn", "log `level`: debug, info, warn, error")
	fs.StringVar(&c.logFormat, "log-format", "text", "log `format`: text or json")
	fs.Usage = cli.Usage(fs, envPrefix, synopsis)
	if err := cli.Parse(fs, envPrefix, args, getenv); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "tickbot:", err)
		}
		return c, err
	}
	if fs.NArg() > 0 {
		err := fmt.Errorf("unexpected arguments %q", fs.Args())
		fmt.Fprintln(stderr, "tickbot:", err)
		return c, err
	}
	if err := c.validate(); err != nil {
		fmt.Fprintln(stderr, "tickbot:", err)
		return c, err
	}
	c.server, _ = serverURL(c.server) // validate checked it
	c.modes = splitModes(c.mode)
	c.sources, _ = parseSourceAddrs(c.sourceAddrs) // validate checked it
	if err := c.checkSupport(); err != nil {
		fmt.Fprintln(stderr, "tickbot:", err)
		return c, err
	}
	return c, nil
}

// validate checks what flag parsing cannot.
func (c config) validate() error {
	switch {
	case c.bots < 1:
		return fmt.Errorf("-bots %d: want at least 1", c.bots)
	case c.duration <= 0:
		return fmt.Errorf("-duration %v: want more than 0", c.duration)
	case !(c.ramp > 0):
		return fmt.Errorf("-ramp %v: want more than 0 connections per second", c.ramp)
	case c.inputHz < 1 || c.inputHz > 120:
		return fmt.Errorf("-input-hz %d: want 1 to 120", c.inputHz)
	case c.progress < 0:
		return fmt.Errorf("-progress %v: want 0 or more", c.progress)
	case !(c.chatRate >= 0 && c.chatRate <= 100):
		return fmt.Errorf("-chat %v: want 0 to 100 lines per bot per second", c.chatRate)
	case c.statsEvery <= 0:
		return fmt.Errorf("-stats-every %v: want more than 0", c.statsEvery)
	case c.statsPath == "-" && c.jsonPath == "-":
		return errors.New("-stats - and -json -: only one can take stdout")
	}
	switch c.behavior {
	case behaviorWander, behaviorChase, behaviorIdle, behaviorMixed:
	default:
		return fmt.Errorf("-behavior %q: want wander, chase, idle or mixed", c.behavior)
	}
	for _, p := range []struct {
		name string
		v    float64
	}{{"chaos-disconnect", c.chaosDisconnect}, {"chaos-slow", c.chaosSlow}, {"chaos-garbage", c.chaosGarbage}} {
		if !(p.v >= 0 && p.v <= 1) {
			return fmt.Errorf("-%s %v: want a probability from 0 to 1", p.name, p.v)
		}
	}
	if _, err := cli.NewLogger(io.Discard, c.logLevel, c.logFormat); err != nil {
		return err
	}
	if _, err := serverURL(c.server); err != nil {
		return err
	}
	if _, err := parseSourceAddrs(c.sourceAddrs); err != nil {
		return err
	}
	if modes := splitModes(c.mode); len(modes) > 1 && slices.Contains(modes, "") {
		return fmt.Errorf("-mode %q: an empty mode in a list", c.mode)
	}
	return nil
}

// serverURL turns -server into the WebSocket url to dial: host:port gets
// ws:// in front, http(s):// becomes ws(s)://, and a missing or bare "/"
// path becomes /ws, the server's WebSocket endpoint.
func serverURL(in string) (string, error) {
	// Errors quote in, what the user typed, not the url made of it.
	s := in
	if !strings.Contains(s, "://") {
		s = "ws://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("-server %q: %w", in, err)
	}
	switch u.Scheme {
	case "ws", "wss":
	case "http":
		u.Scheme = "ws"
	case "https":
		u.Scheme = "wss"
	default:
		return "", fmt.Errorf("-server %q: want host:port or a ws, wss, http or https url", in)
	}
	if u.Host == "" {
		return "", fmt.Errorf("-server %q: no host", in)
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/ws"
	}
	return u.String(), nil
}

// splitModes splits -mode at commas; no mode at all is the server's
// default, "".
func splitModes(s string) []string {
	var modes []string
	for _, m := range strings.Split(s, ",") {
		modes = append(modes, strings.TrimSpace(m))
	}
	return modes
}

// checkSupport refuses flags the linked client library cannot honour.
func (c config) checkSupport() error {
	if c.room != "" && !supportsJoinCode {
		return fmt.Errorf("-room: joining by code is %w (the client library lacks JoinCode)", errNotSupported)
	}
	if c.chaosDisconnect > 0 && !supportsResume {
		return fmt.Errorf("-chaos-disconnect: dropping and resuming sessions is %w (the client library lacks reconnection)", errNotSupported)
	}
	return nil
}
