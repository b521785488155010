package main

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// figures are one server's results over one measured window. Figures per
// client-second divide by the bot-seconds the load generator had seated
// in the window. Pointers are figures only tickwire has (null for the
// peer).
type figures struct {
	Server  string  `json:"server"`
	Clients int     `json:"clients"` // bots asked for
	Live    int     `json:"live"`    // bots seated at the window's end
	WindowS float64 `json:"window_s"`

	ServerCPUMsPerClientS float64 `json:"server_cpu_ms_per_client_s"`
	ServerCores           float64 `json:"server_cores"` // CPU seconds per wall second
	// ServerSysShare is the share of the server's CPU counted as system
	// time (system over user + system): its system calls, with the
	// loopback's network work done inside them, and softirq work the
	// kernel happened to do while the server ran (on a kernel that
	// accounts CPU by ticks, as this machine's does, some of it for the
	// load generator's packets). The rest, user time, is the server's
	// own code, its runtime's included. Ticks sample it: about ±0.02 over
	// a 10 s window.
	ServerSysShare      float64 `json:"server_sys_share"`
	DownBytesPerClientS float64 `json:"down_bytes_per_client_s"`
	UpBytesPerClientS   float64 `json:"up_bytes_per_client_s"`
	InputsPerClientS    float64 `json:"inputs_per_client_s"` // nominal: -input-hz
	SnapshotsPerClientS float64 `json:"snapshots_per_client_s"`
	// Delivery is the snapshots received over nominal (20 a second for
	// every bot asked for, over the window).
	Delivery           float64  `json:"delivery"`
	InputAckP50Ms      float64  `json:"input_ack_p50_ms"`
	InputAckP99Ms      float64  `json:"input_ack_p99_ms"`
	InputAckSamples    uint64   `json:"input_ack_samples"`
	ServerRSSMiB       float64  `json:"server_rss_mib"`
	ServerRSSKiBPerCli float64  `json:"server_rss_kib_per_client"`
	TickP99Ms          *float64 `json:"tick_p99_ms"`
	TickOverruns       *float64 `json:"tick_overruns"`
	TicksSkipped       *float64 `json:"ticks_skipped"`
	Desyncs            *uint64  `json:"desyncs"`
	Errors             int      `json:"errors"` // failed bots and unexpected errors

	LoadCPUMsPerBotS float64 `json:"load_cpu_ms_per_bot_s"` // the load generator's own
	LoadCores        float64 `json:"load_cores"`
	// SoftirqCores is the machine's softirq time in the window: on the
	// loopback mostly the network stack's receive work. A kernel that
	// accounts CPU by ticks counts it in the system time of whichever
	// process it interrupted too, so it overlaps the processes' CPU.
	SoftirqCores float64 `json:"softirq_cores"`
	// OtherCores is the machine's busy cores in the window beyond the
	// server's, the load generator's and the softirqs: other work
	// disturbing the run, the host's steal time included. As the
	// softirqs overlap the processes' CPU, it can read low (it is
	// clamped at 0).
	OtherCores float64 `json:"other_cores"`
	// QuietCores is the machine's busy cores just before the run started.
	QuietCores float64 `json:"quiet_cores_before"`
	LoadAvg1   float64 `json:"loadavg1_before"`
	// Tries is how many runs it took; Disturbed that even the kept one
	// had more than -max-other-cores of other work in its window.
	Tries     int  `json:"tries"`
	Disturbed bool `json:"disturbed"`
}

// passes reports whether the server held its clients: delivery at least
// minDelivery of nominal and p99 input→ack within maxP99.
func (f *figures) passes(c config) bool {
	return f.Delivery >= c.minDelivery && f.InputAckP99Ms <= float64(c.maxAckP99)/float64(time.Millisecond)
}

// sample is what the harness reads at one end of the window.
type sample struct {
	at        time.Time
	line      statsLine
	serverCPU cpuTime
	loadCPU   cpuTime
	machine   machineCPU
	metrics   metrics
	rss       uint64
}

// harness holds what every run shares.
type harness struct {
	cfg     config
	tck     float64
	binDir  string
	targets map[string]target
	runSeq  int
	profile bool // a CPU profile is still to be taken
	heap    bool // a heap profile is still to be taken
}

// measure runs t with clients bots and measures one window; when other
// work on the machine disturbed the window, it runs again, up to -tries
// times, and keeps the least disturbed run.
func (h *harness) measure(ctx context.Context, t target, clients int) (*figures, error) {
	c := h.cfg
	var best *figures
	var tries int
	for tries < c.tries {
		tries++
		f, err := h.measureOnce(ctx, t, clients)
		if err != nil {
			if best != nil && ctx.Err() == nil {
				logf(c, "%s: %v; keeping the earlier run", t.name, err)
				break
			}
			return nil, err
		}
		if best == nil || f.OtherCores < best.OtherCores {
			best = f
		}
		if f.OtherCores <= c.maxOtherCores {
			break
		}
		logf(c, "%s: other work kept %.2f cores busy during the window (more than %.2f)", t.name, f.OtherCores, c.maxOtherCores)
	}
	best.Tries = tries
	best.Disturbed = best.OtherCores > c.maxOtherCores
	return best, nil
}

// measureOnce runs t with clients bots and measures one window.
func (h *harness) measureOnce(ctx context.Context, t target, clients int) (*figures, error) {
	c := h.cfg
	h.runSeq++
	tag := fmt.Sprintf("%02d-%s-%d", h.runSeq, t.name, clients)
	quiet, load1 := h.waitQuiet(ctx)

	port, err := freePort()
	if err != nil {
		return nil, err
	}
	adminPort, err := freePort()
	if err != nil {
		return nil, err
	}
	srv, err := startProc(t.name+" server", t.server(port, adminPort), t.dir, filepath.Join(c.logDir, tag+"-server.log"), false)
	if err != nil {
		return nil, err
	}
	defer srv.stop(15 * time.Second)
	if err := waitListening(ctx, srv, fmt.Sprintf("127.0.0.1:%d", port), 30*time.Second); err != nil {
		return nil, err
	}
	ld, err := startProc(t.name+" load", t.load(port, clients), t.dir, filepath.Join(c.logDir, tag+"-load.log"), true)
	if err != nil {
		return nil, err
	}
	defer ld.stop(15 * time.Second)

	lines := make(chan statsLine, 16)
	quit := make(chan struct{})
	var wg sync.WaitGroup
	defer func() {
		close(quit)
		ld.stop(15 * time.Second) // closes stdout, so the reader ends
		wg.Wait()
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		readLines(ld, lines, quit, c)
	}()

	logf(c, "%s: %d clients, ramp %.0f/s (logs %s-*.log)", t.name, clients, c.ramp, filepath.Join(c.logDir, tag))
	r := &trial{t: t, clients: clients, srv: srv, ld: ld, port: port, adminPort: adminPort}
	a, b, between, err := h.window(ctx, r, lines)
	if err != nil {
		return nil, err
	}
	f := h.figuresOf(r, a, b, between)
	f.QuietCores, f.LoadAvg1 = round(quiet, 2), load1
	return f, nil
}

// readLines sends ld's stats lines on lines until its stdout ends or quit
// closes; lines closes when it returns.
func readLines(ld *proc, lines chan<- statsLine, quit <-chan struct{}, c config) {
	defer close(lines)
	sc := bufio.NewScanner(ld.stdout)
	sc.Buffer(make([]byte, 64*1024), 4<<20)
	for sc.Scan() {
		b := sc.Bytes()
		if len(b) == 0 || b[0] != '{' {
			continue
		}
		l, err := parseStatsLine(b)
		if err != nil {
			logf(c, "%s: %v", ld.name, err)
			continue
		}
		select {
		case lines <- l:
		case <-quit:
			return
		}
	}
}

// trial is one server and load generator being measured.
type trial struct {
	t               target
	clients         int
	srv, ld         *proc
	port, adminPort int
}

// window waits for every bot to join and the warm-up, then samples both
// ends of the window; between are the lines after the first sample up to
// the last.
func (h *harness) window(ctx context.Context, r *trial, lines <-chan statsLine) (a, b sample, between []statsLine, err error) {
	c := h.cfg
	t, clients, srv, ld := r.t, r.clients, r.srv, r.ld
	start := time.Now()
	joinDeadline := start.Add(time.Duration(float64(clients)/c.ramp*float64(time.Second)) + c.joinWait)
	half := c.statsEvery.Seconds() / 2
	joinedAt := math.NaN()
	var lastLog time.Time
	var profileDone chan error
	for {
		var l statsLine
		var ok bool
		select {
		case <-ctx.Done():
			return a, b, nil, ctx.Err()
		case l, ok = <-lines:
		}
		if !ok {
			return a, b, nil, fmt.Errorf("%s: the load generator ended (%v) before the window did: %w; see %s",
				t.name, ld.err, errNoSteadyState, ld.log.Name())
		}
		if srv.exited() {
			return a, b, nil, fmt.Errorf("%s server exited: %v; see %s", t.name, srv.err, srv.log.Name())
		}
		switch {
		case math.IsNaN(joinedAt):
			if time.Since(lastLog) >= 5*time.Second {
				logf(c, "%s: joining %d/%d (failed %d)", t.name, l.Live, clients, l.Failed)
				lastLog = time.Now()
			}
			if l.Live >= clients || l.Live+l.Failed >= clients || time.Now().After(joinDeadline) {
				joinedAt = l.T
				logf(c, "%s: %d/%d joined after %.1f s (failed %d); warming up %v", t.name, l.Live, clients, l.T, l.Failed, c.warmup)
			}
			if c.warmup > 0 || math.IsNaN(joinedAt) {
				continue
			}
			fallthrough
		case a.at.IsZero():
			if l.T < joinedAt+c.warmup.Seconds()-half {
				continue
			}
			if a, err = h.take(ctx, r, l); err != nil {
				return a, b, nil, err
			}
			logf(c, "%s: measuring %v", t.name, c.window)
			if h.profile && t.profile != nil {
				h.profile = false
				profileDone = make(chan error, 1)
				go func() {
					profileDone <- h.saveProfile(ctx, t.profile(r.adminPort, int(c.window.Seconds())), t.token, c.cpuProfile)
				}()
			}
		default:
			between = append(between, l)
			if l.T < a.line.T+c.window.Seconds()-half {
				continue
			}
			if b, err = h.take(ctx, r, l); err != nil {
				return a, b, nil, err
			}
			if profileDone != nil {
				if err := <-profileDone; err != nil {
					logf(c, "cpu profile: %v", err)
				} else {
					logf(c, "cpu profile of %s at %d clients: %s", t.name, clients, c.cpuProfile)
				}
			}
			if h.heap && t.heap != nil {
				h.heap = false
				if err := h.saveProfile(ctx, t.heap(r.adminPort), t.token, c.heapProfile); err != nil {
					logf(c, "heap profile: %v", err)
				} else {
					logf(c, "heap profile of %s at %d clients: %s", t.name, clients, c.heapProfile)
				}
			}
			return a, b, between, nil
		}
	}
}

// take samples the processes, the machine and the server's metrics as of
// line l.
func (h *harness) take(ctx context.Context, r *trial, l statsLine) (sample, error) {
	t, srv, ld := r.t, r.srv, r.ld
	s := sample{at: time.Now(), line: l}
	var err error
	if s.serverCPU, err = procCPU(srv.pid(), h.tck); err != nil {
		return s, err
	}
	if s.loadCPU, err = procCPU(ld.pid(), h.tck); err != nil {
		return s, err
	}
	if s.machine, err = readMachineCPU(); err != nil {
		return s, err
	}
	if s.rss, err = procRSS(srv.pid()); err != nil {
		return s, err
	}
	if t.metrics != nil {
		body, err := httpGet(ctx, t.metrics(r.port), "", 10*time.Second)
		if err != nil {
			return s, fmt.Errorf("%s metrics: %w", t.name, err)
		}
		if s.metrics, err = parseMetrics(strings.NewReader(string(body))); err != nil {
			return s, err
		}
	}
	return s, nil
}

// figuresOf turns the window's two samples into figures.
func (h *harness) figuresOf(r *trial, a, b sample, between []statsLine) *figures {
	w := windowOf(a.line, b.line, between)
	wall := b.at.Sub(a.at)
	clientS := w.clientSeconds
	if clientS <= 0 {
		clientS = float64(b.line.Live) * w.seconds
	}
	perClient := func(v float64) float64 {
		if clientS <= 0 {
			return 0
		}
		return v / clientS
	}
	serverCPU := (b.serverCPU.total() - a.serverCPU.total()).Seconds()
	serverSys := (b.serverCPU.sys - a.serverCPU.sys).Seconds()
	loadCPU := (b.loadCPU.total() - a.loadCPU.total()).Seconds()
	perWall := func(cpu float64) float64 {
		if wall <= 0 {
			return 0
		}
		return cpu / wall.Seconds()
	}
	// CPU is sampled when the harness reads a line, the counters when the
	// generator writes it; a starved generator writes late. So CPU per
	// client-second is the cores used over the harness's own clock,
	// divided by the clients seated on average over the lines' window.
	avgClients := 0.0
	if w.seconds > 0 {
		avgClients = clientS / w.seconds
	}
	cpuPerClientS := func(cpu float64) float64 {
		if avgClients <= 0 {
			return 0
		}
		return perWall(cpu) / avgClients
	}
	f := &figures{
		Server: r.t.name, Clients: r.clients, Live: b.line.Live, WindowS: round(w.seconds, 3),
		ServerCPUMsPerClientS: round(cpuPerClientS(serverCPU*1000), 4),
		ServerCores:           round(perWall(serverCPU), 3),
		ServerSysShare:        round(share(serverSys, serverCPU), 2),
		DownBytesPerClientS:   round(perClient(float64(w.bytesIn)), 1),
		UpBytesPerClientS:     round(perClient(float64(w.bytesOut)), 1),
		InputsPerClientS:      round(perClient(float64(w.inputs)), 2),
		SnapshotsPerClientS:   round(perClient(float64(w.snapshots)), 3),
		InputAckP50Ms:         ms(w.acks.percentile(50)),
		InputAckP99Ms:         ms(w.acks.percentile(99)),
		InputAckSamples:       w.acks.n,
		ServerRSSMiB:          round(float64(b.rss)/(1<<20), 1),
		ServerRSSKiBPerCli:    round(float64(b.rss)/1024/float64(max(1, b.line.Live)), 1),
		Errors:                w.errors + b.line.Failed,
		LoadCPUMsPerBotS:      round(cpuPerClientS(loadCPU*1000), 4),
		LoadCores:             round(perWall(loadCPU), 3),
	}
	if nominal := float64(r.clients) * w.seconds * nominalSnapshotHz; nominal > 0 {
		f.Delivery = round(float64(w.snapshots)/nominal, 4)
	}
	f.SoftirqCores = round(softirqCores(a.machine, b.machine, h.tck, wall), 3)
	f.OtherCores = round(max(0, busyCores(a.machine, b.machine, h.tck, wall)-f.ServerCores-f.LoadCores-f.SoftirqCores), 3)
	if a.metrics != nil && b.metrics != nil {
		const tick = "tickwire_tick_duration_seconds"
		p99 := bucketQuantile(0.99, bucketDelta(a.metrics.buckets(tick), b.metrics.buckets(tick)))
		if !math.IsNaN(p99) {
			f.TickP99Ms = ptr(round(p99*1000, 3))
		}
		f.TickOverruns = ptr(b.metrics.sum("tickwire_tick_overruns_total") - a.metrics.sum("tickwire_tick_overruns_total"))
		f.TicksSkipped = ptr(b.metrics.sum("tickwire_ticks_skipped_total") - a.metrics.sum("tickwire_ticks_skipped_total"))
		f.Desyncs = ptr(w.desyncs)
	}
	return f
}

func ptr[T any](v T) *T { return &v }

func ms(d time.Duration) float64 { return round(float64(d)/float64(time.Millisecond), 3) }

// share is part over whole, 0 when whole is not positive.
func share(part, whole float64) float64 {
	if whole <= 0 {
		return 0
	}
	return part / whole
}

// round rounds v to places decimals, so reports show measured precision
// rather than float noise.
func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}

// saveProfile fetches a profile from url with token into file.
func (h *harness) saveProfile(ctx context.Context, url, token, file string) error {
	body, err := httpGet(ctx, url, token, h.cfg.window+time.Minute)
	if err != nil {
		return err
	}
	if err := os.WriteFile(file, body, 0o644); err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	return nil
}

// waitQuiet waits, up to -quiet-wait, until other work keeps fewer than
// -quiet-cores busy (sampled over 2 s), and returns the last busy cores
// sampled and the 1-minute load average.
func (h *harness) waitQuiet(ctx context.Context) (busy, load1 float64) {
	c := h.cfg
	deadline := time.Now().Add(c.quietWait)
	for {
		a, errA := readMachineCPU()
		t0 := time.Now()
		select {
		case <-ctx.Done():
			return busy, loadAvg1()
		case <-time.After(2 * time.Second):
		}
		b, errB := readMachineCPU()
		if errA != nil || errB != nil {
			return 0, loadAvg1()
		}
		busy = busyCores(a, b, h.tck, time.Since(t0))
		if busy < c.quietCores {
			return busy, loadAvg1()
		}
		if time.Now().After(deadline) {
			logf(c, "the machine is still busy (%.2f cores by other work); measuring anyway", busy)
			return busy, loadAvg1()
		}
		logf(c, "waiting for a quiet machine: %.2f cores busy with other work (want < %.2f)", busy, c.quietCores)
		select {
		case <-ctx.Done():
			return busy, loadAvg1()
		case <-time.After(5 * time.Second):
		}
	}
}

// loadAvg1 returns the 1-minute load average, or 0 when unknown.
func loadAvg1() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0
	}
	var v float64
	fmt.Sscan(f[0], &v)
	return v
}
