package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"syscall"
)

func main() {
	cfg, err := parseConfig(os.Args[1:], os.Getenv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err = run(ctx, cfg)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// run prepares both servers, then runs the side-by-side runs or the sweep.
func run(ctx context.Context, c config) error {
	if err := c.findTools(slices.Contains(c.servers, serverPeer)); err != nil {
		return err
	}
	tck, err := clockTicks()
	if err != nil {
		return err
	}
	if c.logDir == "" {
		if c.logDir, err = os.MkdirTemp("", "tickwire-bench-"); err != nil {
			return err
		}
	} else if err := os.MkdirAll(c.logDir, 0o755); err != nil {
		return err
	}
	h := &harness{cfg: c, tck: tck, binDir: filepath.Join(c.logDir, "bin"), targets: map[string]target{},
		profile: c.cpuProfile != "", heap: c.heapProfile != ""}
	logf(c, "logs and binaries in %s (CLK_TCK %v)", c.logDir, tck)
	for _, name := range c.servers {
		switch name {
		case serverTickwire:
			if err := buildGo(ctx, c, h.binDir, "./cmd/tickwire", "./cmd/tickbot"); err != nil {
				return err
			}
			t, err := tickwireTarget(c, h.binDir)
			if err != nil {
				return err
			}
			h.targets[name] = t
		case serverPeer:
			if err := preparePeer(ctx, c); err != nil {
				return err
			}
			h.targets[name] = peerTarget(c)
		case serverFloor:
			if err := buildGo(ctx, c, h.binDir, "./tools/bench/floor"); err != nil {
				return err
			}
			h.targets[name] = floorTarget(c, h.binDir)
		}
	}
	if len(c.sweep) > 0 {
		return h.sweep(ctx)
	}
	return h.scenario(ctx)
}

// scenario runs the servers side by side -runs times at -clients,
// alternating which goes first, and reports.
func (h *harness) scenario(ctx context.Context) error {
	c := h.cfg
	r := &scenarioReport{Scenario: "arena-move", Date: now(), Machine: describeMachine(c),
		Settings: settingsOf(c), Clients: c.clients}
	var failed error
	for i := range c.runs {
		order := slices.Clone(c.servers)
		if i%2 == 1 {
			slices.Reverse(order)
		}
		run := pairRun{Figures: map[string]*figures{}}
		for _, name := range order {
			logf(c, "run %d of %d: %s", i+1, c.runs, name)
			f, err := h.measure(ctx, h.targets[name], c.clients)
			if err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				logf(c, "%s: %v", name, err)
				failed = errors.Join(failed, fmt.Errorf("run %d, %s: %w", i+1, name, err))
				continue
			}
			run.Figures[name] = f
		}
		run.Ratio = ratios(run.Figures[serverTickwire], run.Figures[serverPeer])
		run.FloorRatio = ratios(run.Figures[serverFloor], run.Figures[serverPeer])
		r.Runs = append(r.Runs, run)
	}
	r.medians()
	tableTo := io.Writer(os.Stdout)
	if c.jsonPath == "-" {
		tableTo = c.stderr
	}
	if err := r.writeTable(tableTo); err != nil {
		return err
	}
	if c.jsonPath != "" {
		if err := writeJSONFile(c.jsonPath, r); err != nil {
			return err
		}
	}
	return failed
}
