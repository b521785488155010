package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Names of the servers compared.
const (
	serverTickwire = "tickwire"
	serverPeer     = "colyseus"
	// serverFloor is tools/bench/floor: the scenario's messages and
	// nothing else on gorilla/websocket, run on one processor.
	serverFloor = "floor"
)

// The scenario's nominal snapshot (patch) rate: arena-move's 20 Hz.
const nominalSnapshotHz = 20

// benchClientAddrs is where tickbot's bots dial tickwire from: 65,534
// loopback addresses (on Linux every 127.0.0.0/8 address is the
// machine's own), one a bot for any count the harness runs. The Colyseus
// peer has no budgets per address, and its load generator dials from one.
const benchClientAddrs = "127.1.0.0/16"

// target is one server under test and its load generator.
type target struct {
	name string
	// server and load return the command lines of the server on port (its
	// admin, if any, on adminPort) and of the load generator for clients
	// bots against it.
	server func(port, adminPort int) []string
	load   func(port, clients int) []string
	// metrics, profile and heap return the server's Prometheus, CPU
	// profile and heap profile urls; nil when it has none. token is the
	// bearer token of the admin listener's urls.
	metrics func(port int) string
	profile func(adminPort int, seconds int) string
	heap    func(adminPort int) string
	token   string
	// dir is the working directory of both commands.
	dir string
}

// tickwireTarget runs the built tickwire and tickbot binaries of binDir,
// the server with an admin token written to a file beside them.
func tickwireTarget(c config, binDir string) (target, error) {
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return target{}, fmt.Errorf("admin token: %w", err)
	}
	token := hex.EncodeToString(raw)
	tokenFile := filepath.Join(binDir, "admin-token")
	if err := os.WriteFile(tokenFile, []byte(token+"\n"), 0o600); err != nil {
		return target{}, fmt.Errorf("admin token: %w", err)
	}
	return target{
		name:  serverTickwire,
		dir:   c.root,
		token: token,
		server: func(port, adminPort int) []string {
			// The embedded defaults are the scenario: arena rooms of 16
			// at 60 Hz ticks and 20 Hz snapshots. Every budget keeps its
			// default, those per client address included: each bot dials
			// from a loopback address of its own (benchClientAddrs), as
			// players do from their machines, so the server keeps the
			// per-address state it keeps in production. Only the
			// connection cap is off, so that no sweep count is refused
			// for it. The stop needs no drain, and the session secret
			// stays beside the binaries.
			return []string{filepath.Join(binDir, "tickwire"),
				"-state-dir", binDir, "-drain-timeout", "0s",
				"-addr", fmt.Sprintf("127.0.0.1:%d", port),
				"-admin-addr", fmt.Sprintf("127.0.0.1:%d", adminPort), "-admin-token-file", tokenFile,
				"-log-level", "warn", "-max-conns", "0"}
		},
		load: func(port, clients int) []string {
			return []string{filepath.Join(binDir, "tickbot"),
				"-server", fmt.Sprintf("127.0.0.1:%d", port), "-source-addrs", benchClientAddrs,
				"-bots", strconv.Itoa(clients), "-behavior", "wander",
				"-input-hz", strconv.Itoa(c.inputHz), "-ramp", formatFloat(c.ramp),
				"-seed", strconv.FormatUint(c.seed, 10),
				"-duration", "1h", "-progress", "0", "-log-level", "error",
				"-stats", "-", "-stats-every", c.statsEvery.String()}
		},
		metrics: func(port int) string { return fmt.Sprintf("http://127.0.0.1:%d/metrics", port) },
		profile: func(adminPort, seconds int) string {
			return fmt.Sprintf("http://127.0.0.1:%d/debug/pprof/profile?seconds=%d", adminPort, seconds)
		},
		heap: func(adminPort int) string { return fmt.Sprintf("http://127.0.0.1:%d/debug/pprof/heap", adminPort) },
	}, nil
}

// floorTarget runs the built floor command of binDir as server and load
// generator; its bots dial from benchClientAddrs as tickbot's do. The
// server runs on one processor, where it costs least (0–18 % less CPU
// than on two, median 12 %, in five alternating pairs at 800 clients;
// tickwire's does not fall so, docs/benchmarks.md).
func floorTarget(c config, binDir string) target {
	bin := filepath.Join(binDir, "floor")
	return target{
		name: serverFloor,
		dir:  binDir,
		server: func(port, debugPort int) []string {
			return []string{bin, "-serve", "-procs", "1", "-addr", fmt.Sprintf("127.0.0.1:%d", port),
				"-debug-addr", fmt.Sprintf("127.0.0.1:%d", debugPort)}
		},
		load: func(port, clients int) []string {
			return []string{bin, "-load", "-server", fmt.Sprintf("127.0.0.1:%d", port),
				"-source-addrs", benchClientAddrs, "-bots", strconv.Itoa(clients),
				"-input-hz", strconv.Itoa(c.inputHz), "-ramp", formatFloat(c.ramp),
				"-stats-every", c.statsEvery.String()}
		},
		profile: func(debugPort, seconds int) string {
			return fmt.Sprintf("http://127.0.0.1:%d/debug/pprof/profile?seconds=%d", debugPort, seconds)
		},
	}
}

// peerTarget runs the Colyseus room and load generator of tools/bench/peer.
func peerTarget(c config) target {
	dir := filepath.Join(c.root, "tools", "bench", "peer")
	return target{
		name: serverPeer,
		dir:  dir,
		server: func(port, _ int) []string {
			return []string{c.node, "server.mjs", "-port", strconv.Itoa(port)}
		},
		load: func(port, clients int) []string {
			return []string{c.node, "loadgen.mjs",
				"-server", fmt.Sprintf("ws://127.0.0.1:%d", port),
				"-bots", strconv.Itoa(clients), "-input-hz", strconv.Itoa(c.inputHz),
				"-ramp", formatFloat(c.ramp), "-seed", strconv.FormatUint(c.seed, 10),
				"-stats-every-ms", strconv.FormatInt(c.statsEvery.Milliseconds(), 10)}
		},
	}
}

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// buildGo builds the Go commands of pkgs into binDir, static as make build
// builds them: a binary linked to the C library has it in its resident memory
// too (about 0.7 MiB of tickwire's at 1,000 clients).
func buildGo(ctx context.Context, c config, binDir string, pkgs ...string) error {
	args := append([]string{"build", "-o", binDir + string(filepath.Separator)}, pkgs...)
	cmd := exec.CommandContext(ctx, c.goCmd, args...)
	cmd.Dir = c.root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("build %s: %w", strings.Join(pkgs, " "), err)
	}
	return nil
}

// preparePeer installs the peer's npm packages from its lock file when
// node_modules is missing or older than the lock.
func preparePeer(ctx context.Context, c config) error {
	dir := filepath.Join(c.root, "tools", "bench", "peer")
	lock, err := os.Stat(filepath.Join(dir, "package-lock.json"))
	if err != nil {
		return fmt.Errorf("peer: %w", err)
	}
	if st, err := os.Stat(filepath.Join(dir, "node_modules", ".package-lock.json")); err == nil && !st.ModTime().Before(lock.ModTime()) {
		return nil
	}
	logf(c, "installing the peer's npm packages (npm ci in %s)", dir)
	cmd := exec.CommandContext(ctx, c.npm, "ci", "--no-audit", "--no-fund")
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("peer: npm ci: %w", err)
	}
	return nil
}

// toolVersion returns the first line of `name args...`, or "" when it fails.
func toolVersion(name string, args ...string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).Output()
	if err != nil {
		return ""
	}
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return line
}
