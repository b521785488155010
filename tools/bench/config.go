package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// envPrefix prefixes every flag's environment override (TICKBENCH_CLIENTS).
const envPrefix = "TICKBENCH"

// config is everything the command line and environment decide.
type config struct {
	clients     int
	runs        int
	servers     []string
	window      time.Duration
	warmup      time.Duration
	joinWait    time.Duration // beyond the ramp, for every bot to join
	ramp        float64
	inputHz     int
	seed        uint64
	statsEvery  time.Duration
	jsonPath    string
	cpuProfile  string
	heapProfile string

	sweep       []int
	sweepJSON   string
	sweepSVG    string
	maxAckP99   time.Duration
	minDelivery float64

	quietCores    float64
	quietWait     time.Duration
	maxOtherCores float64
	tries         int
	repeat        int
	logDir        string

	// Found, not flags.
	root, goCmd, node, npm string
	stderr                 io.Writer
}

const synopsis = `usage: go run ./tools/bench [flags]

bench measures the arena-move scenario (docs/benchmarks.md) on tickwire and
on its Colyseus 0.18 peer (tools/bench/peer), one after the other in the
same invocation, and reports every figure of both with their ratio. It
builds tickwire and tickbot, installs the peer's npm packages when they are
missing, starts each server and load generator on 127.0.0.1 (tickbot's
bots each dial from an address of their own in 127.1.0.0/16, so tickwire
runs with its budgets per client address on), waits until every bot has
joined plus -warmup, and measures a -window. -servers floor,tickwire,colyseus
adds a third server, tools/bench/floor: the scenario's messages alone on
gorilla/websocket, on one processor, with no game.

With -sweep it runs the servers at each client count of the list instead,
until a server holds no more (delivery below -min-delivery of nominal, or
p99 input→ack above -max-ack-p99), and writes the sweep's JSON and plot.

Every flag has an environment override: TICKBENCH_ and the flag's name in
capitals with dashes as underscores (TICKBENCH_CLIENTS).`

// parseConfig reads flags from args and overrides from getenv.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	c := config{stderr: stderr}
	var servers, sweep string
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&c.clients, "clients", 800, "bots (clients) in the side-by-side run")
	fs.IntVar(&c.runs, "runs", 1, "side-by-side runs; the report quotes each run's figures, their medians and ratios")
	fs.StringVar(&servers, "servers", serverTickwire+","+serverPeer, "servers to measure, comma-separated: tickwire, colyseus, floor (tools/bench/floor: the scenario's messages alone on gorilla/websocket, the CPU floor of a Go server)")
	fs.DurationVar(&c.window, "window", 10*time.Second, "measured `duration`, once every bot joined and warmed up")
	fs.DurationVar(&c.warmup, "warmup", 5*time.Second, "`duration` between the last bot joining and the window")
	fs.DurationVar(&c.joinWait, "join-wait", 30*time.Second, "how long after the ramp every bot may take to join before the run measures anyway")
	fs.Float64Var(&c.ramp, "ramp", 200, "bot connections started per `second`")
	fs.IntVar(&c.inputHz, "input-hz", 30, "input messages per second per bot")
	fs.Uint64Var(&c.seed, "seed", 1, "bots' random `seed`")
	fs.DurationVar(&c.statsEvery, "stats-every", time.Second, "`interval` of the load generators' counter lines")
	fs.StringVar(&c.jsonPath, "json", "", "write the JSON report to `file` (- for stdout)")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "save a CPU profile over the first window of the first server measured that serves one (tickwire, or the floor) to `file` (from its /debug/pprof)")
	fs.StringVar(&c.heapProfile, "heapprofile", "", "save a heap profile of tickwire at the end of its first window to `file`")
	fs.StringVar(&sweep, "sweep", "", "run a CCU sweep over these client `counts`, comma-separated (e.g. 250,500,1000,2000,4000,8000)")
	fs.StringVar(&c.sweepJSON, "sweep-json", "docs/bench-sweep.json", "where -sweep writes its JSON `file`")
	fs.StringVar(&c.sweepSVG, "sweep-svg", "docs/bench-sweep.svg", "where -sweep writes its plot, an SVG `file`")
	fs.DurationVar(&c.maxAckP99, "max-ack-p99", 100*time.Millisecond, "a sweep point fails when p99 input→ack passes this")
	fs.Float64Var(&c.minDelivery, "min-delivery", 0.95, "a sweep point fails when snapshots delivered fall below this `share` of nominal")
	fs.Float64Var(&c.quietCores, "quiet-cores", 0.5, "before each run, wait until other work keeps fewer than this many `cores` busy")
	fs.DurationVar(&c.quietWait, "quiet-wait", 3*time.Minute, "how long to wait for a quiet machine before measuring anyway (the report shows the load)")
	fs.Float64Var(&c.maxOtherCores, "max-other-cores", 0.3, "a run during which other work kept more than this many `cores` busy is disturbed: it is run again, up to -tries times, and the least disturbed kept")
	fs.IntVar(&c.tries, "tries", 3, "runs at most of one measurement while other work disturbs it")
	fs.IntVar(&c.repeat, "repeat", 1, "with -sweep, windows measured per server and count: a count is held when more than half of them hold (the windows stop once the majority is known)")
	fs.StringVar(&c.logDir, "logs", "", "`dir` for the processes' logs and the built binaries (empty: a new temporary one)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, synopsis)
		fmt.Fprintln(stderr, "\nFlags:")
		fs.PrintDefaults()
	}
	if err := parseWithEnv(fs, args, getenv); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "bench:", err)
		}
		return c, err
	}
	var err error
	if c.servers, err = parseServers(servers); err == nil {
		c.sweep, err = parseCounts(sweep)
	}
	if err == nil {
		err = c.validate(fs.NArg())
	}
	if err != nil {
		fmt.Fprintln(stderr, "bench:", err)
		return c, err
	}
	return c, nil
}

// parseWithEnv parses args, then gives every flag not on the command line
// the value of its environment variable, when set.
func parseWithEnv(fs *flag.FlagSet, args []string, getenv func(string) string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] || err != nil {
			return
		}
		name := envPrefix + "_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v := getenv(name); v != "" {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("environment %s=%q: %w", name, v, e)
			}
		}
	})
	return err
}

func (c config) validate(nargs int) error {
	switch {
	case nargs > 0:
		return errors.New("unexpected arguments")
	case c.clients < 1:
		return fmt.Errorf("-clients %d: want at least 1", c.clients)
	case c.runs < 1:
		return fmt.Errorf("-runs %d: want at least 1", c.runs)
	case c.window < time.Second:
		return fmt.Errorf("-window %v: want at least 1s", c.window)
	case c.warmup < 0:
		return fmt.Errorf("-warmup %v: want 0 or more", c.warmup)
	case !(c.ramp > 0):
		return fmt.Errorf("-ramp %v: want more than 0", c.ramp)
	case c.inputHz < 1 || c.inputHz > 120:
		return fmt.Errorf("-input-hz %d: want 1 to 120", c.inputHz)
	case c.statsEvery < 100*time.Millisecond || c.statsEvery > c.window:
		return fmt.Errorf("-stats-every %v: want 100ms to -window", c.statsEvery)
	case !(c.minDelivery > 0 && c.minDelivery <= 1):
		return fmt.Errorf("-min-delivery %v: want a share in (0, 1]", c.minDelivery)
	case c.maxAckP99 <= 0:
		return fmt.Errorf("-max-ack-p99 %v: want more than 0", c.maxAckP99)
	case c.quietCores < 0:
		return fmt.Errorf("-quiet-cores %v: want 0 or more", c.quietCores)
	case c.maxOtherCores < 0:
		return fmt.Errorf("-max-other-cores %v: want 0 or more", c.maxOtherCores)
	case c.tries < 1:
		return fmt.Errorf("-tries %d: want at least 1", c.tries)
	case c.repeat < 1:
		return fmt.Errorf("-repeat %d: want at least 1", c.repeat)
	}
	return nil
}

// parseServers splits -servers.
func parseServers(s string) ([]string, error) {
	var out []string
	for _, name := range strings.Split(s, ",") {
		name = strings.TrimSpace(name)
		switch name {
		case serverTickwire, serverPeer, serverFloor:
			out = append(out, name)
		default:
			return nil, fmt.Errorf("-servers %q: want tickwire, colyseus and/or floor", s)
		}
	}
	return out, nil
}

// parseCounts splits -sweep into increasing client counts.
func parseCounts(s string) ([]int, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-sweep %q: want client counts above 0, comma-separated", s)
		}
		if len(out) > 0 && n <= out[len(out)-1] {
			return nil, fmt.Errorf("-sweep %q: want increasing counts", s)
		}
		out = append(out, n)
	}
	return out, nil
}

// findTools locates the repository root (the nearest directory up from
// the working one holding go.mod) and the go, node and npm commands.
func (c *config) findTools(needPeer bool) error {
	dir, err := os.Getwd()
	if err != nil {
		return err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			if _, err := os.Stat(filepath.Join(dir, "tools", "bench", "peer")); err == nil {
				break
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return errors.New("run bench inside the tickwire repository (no go.mod with tools/bench/peer found above the working directory)")
		}
		dir = parent
	}
	c.root = dir
	if c.goCmd, err = exec.LookPath("go"); err != nil {
		return fmt.Errorf("go: %w", err)
	}
	if needPeer {
		if c.node, err = exec.LookPath("node"); err != nil {
			return fmt.Errorf("node (for the colyseus peer): %w", err)
		}
		if c.npm, err = exec.LookPath("npm"); err != nil {
			return fmt.Errorf("npm (for the colyseus peer): %w", err)
		}
	}
	return nil
}

// logf prints a progress line on stderr.
func logf(c config, format string, args ...any) {
	fmt.Fprintf(c.stderr, "%s  %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}
