package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"
)

// figureDef names one figure of the table and reads it from figures.
type figureDef struct {
	key    string // as in the JSON of figures
	label  string
	places int
	get    func(f *figures) (float64, bool)
}

func always(v float64) (float64, bool) { return v, true }

func optional(p *float64) (float64, bool) {
	if p == nil {
		return 0, false
	}
	return *p, true
}

// figureDefs are the table's rows, in order.
var figureDefs = []figureDef{
	{"live", "clients seated", 0, func(f *figures) (float64, bool) { return always(float64(f.Live)) }},
	{"server_cpu_ms_per_client_s", "server CPU, ms per client-second", 3, func(f *figures) (float64, bool) { return always(f.ServerCPUMsPerClientS) }},
	{"server_cores", "server CPU, cores", 2, func(f *figures) (float64, bool) { return always(f.ServerCores) }},
	{"server_sys_share", "server CPU in the kernel (system time), share", 2, func(f *figures) (float64, bool) { return always(f.ServerSysShare) }},
	{"down_bytes_per_client_s", "payload down, B per client-second", 0, func(f *figures) (float64, bool) { return always(f.DownBytesPerClientS) }},
	{"up_bytes_per_client_s", "payload up, B per client-second", 0, func(f *figures) (float64, bool) { return always(f.UpBytesPerClientS) }},
	{"inputs_per_client_s", "inputs sent per client-second", 1, func(f *figures) (float64, bool) { return always(f.InputsPerClientS) }},
	{"snapshots_per_client_s", "snapshots per client-second", 2, func(f *figures) (float64, bool) { return always(f.SnapshotsPerClientS) }},
	{"delivery", "delivery, share of nominal", 3, func(f *figures) (float64, bool) { return always(f.Delivery) }},
	{"input_ack_p50_ms", "input→ack p50, ms", 1, func(f *figures) (float64, bool) { return always(f.InputAckP50Ms) }},
	{"input_ack_p99_ms", "input→ack p99, ms", 1, func(f *figures) (float64, bool) { return always(f.InputAckP99Ms) }},
	{"server_rss_kib_per_client", "server RSS per client, KiB", 1, func(f *figures) (float64, bool) { return always(f.ServerRSSKiBPerCli) }},
	{"server_rss_mib", "server RSS, MiB", 1, func(f *figures) (float64, bool) { return always(f.ServerRSSMiB) }},
	{"tick_p99_ms", "tick duration p99, ms", 3, func(f *figures) (float64, bool) { return optional(f.TickP99Ms) }},
	{"tick_overruns", "tick overruns", 0, func(f *figures) (float64, bool) { return optional(f.TickOverruns) }},
	{"desyncs", "desyncs", 0, func(f *figures) (float64, bool) {
		if f.Desyncs == nil {
			return 0, false
		}
		return float64(*f.Desyncs), true
	}},
	{"errors", "failed bots and errors", 0, func(f *figures) (float64, bool) { return always(float64(f.Errors)) }},
	{"load_cpu_ms_per_bot_s", "load generator CPU, ms per bot-second", 3, func(f *figures) (float64, bool) { return always(f.LoadCPUMsPerBotS) }},
	{"load_cores", "load generator CPU, cores", 2, func(f *figures) (float64, bool) { return always(f.LoadCores) }},
	{"softirq_cores", "softirqs (loopback network), cores", 2, func(f *figures) (float64, bool) { return always(f.SoftirqCores) }},
	{"other_cores", "other work on the machine, cores", 2, func(f *figures) (float64, bool) { return always(f.OtherCores) }},
}

// ratioKeys are the figures whose ratio to the peer's the report gives
// for each other server: the costs and rates, not the counts.
var ratioKeys = map[string]bool{
	"server_cpu_ms_per_client_s": true, "down_bytes_per_client_s": true, "up_bytes_per_client_s": true,
	"snapshots_per_client_s": true, "input_ack_p50_ms": true, "input_ack_p99_ms": true,
	"server_rss_kib_per_client": true, "load_cpu_ms_per_bot_s": true,
}

// pairRun is one side-by-side run: each server's figures and the ratios.
type pairRun struct {
	Figures    map[string]*figures `json:"figures"`
	Ratio      map[string]float64  `json:"ratio,omitempty"`       // tickwire / colyseus
	FloorRatio map[string]float64  `json:"floor_ratio,omitempty"` // floor / colyseus
}

// ratioOf returns the run's ratios of server to the peer (nil for the
// peer, or when not measured).
func (r pairRun) ratioOf(server string) map[string]float64 {
	switch server {
	case serverTickwire:
		return r.Ratio
	case serverFloor:
		return r.FloorRatio
	}
	return nil
}

// ratioMedianKey is where scenarioReport.Median keeps the median of a
// server's ratios to the peer.
func ratioMedianKey(server string) string {
	if server == serverTickwire {
		return "ratio"
	}
	return server + "_ratio"
}

// ratios returns tw/peer for every ratio key both servers have; tw is
// tickwire's or the floor's figures.
func ratios(tw, peer *figures) map[string]float64 {
	if tw == nil || peer == nil {
		return nil
	}
	out := map[string]float64{}
	for _, d := range figureDefs {
		if !ratioKeys[d.key] {
			continue
		}
		a, okA := d.get(tw)
		b, okB := d.get(peer)
		if okA && okB && b != 0 {
			out[d.key] = round(a/b, 3)
		}
	}
	return out
}

// scenarioReport is the JSON of a side-by-side run.
type scenarioReport struct {
	Scenario string    `json:"scenario"`
	Date     string    `json:"date"`
	Machine  machine   `json:"machine"`
	Settings settings  `json:"settings"`
	Clients  int       `json:"clients"`
	Runs     []pairRun `json:"runs"`
	// Median holds each server's medians over the runs, and the median of
	// the runs' ratios to the peer: "ratio" for tickwire's, "floor_ratio"
	// for the floor's.
	Median map[string]map[string]float64 `json:"median"`
}

// settings are the knobs a run was taken with.
type settings struct {
	WindowS     float64  `json:"window_s"`
	WarmupS     float64  `json:"warmup_s"`
	Ramp        float64  `json:"ramp_per_s"`
	InputHz     int      `json:"input_hz"`
	Seed        uint64   `json:"seed"`
	Servers     []string `json:"servers"`
	MaxAckP99Ms float64  `json:"max_ack_p99_ms,omitempty"`
	MinDelivery float64  `json:"min_delivery,omitempty"`
	Repeat      int      `json:"repeat,omitempty"`
}

func settingsOf(c config) settings {
	return settings{WindowS: c.window.Seconds(), WarmupS: c.warmup.Seconds(), Ramp: c.ramp,
		InputHz: c.inputHz, Seed: c.seed, Servers: c.servers}
}

// medians fills r.Median from r.Runs.
func (r *scenarioReport) medians() {
	r.Median = map[string]map[string]float64{}
	for _, name := range r.Settings.Servers {
		m := map[string]float64{}
		for _, d := range figureDefs {
			var vs []float64
			for _, run := range r.Runs {
				if f := run.Figures[name]; f != nil {
					if v, ok := d.get(f); ok {
						vs = append(vs, v)
					}
				}
			}
			if len(vs) > 0 {
				m[d.key] = round(median(vs), d.places+1)
			}
		}
		r.Median[name] = m
	}
	for _, server := range []string{serverTickwire, serverFloor} {
		ratio := map[string]float64{}
		for key := range ratioKeys {
			var vs []float64
			for _, run := range r.Runs {
				if v, ok := run.ratioOf(server)[key]; ok {
					vs = append(vs, v)
				}
			}
			if len(vs) > 0 {
				ratio[key] = round(median(vs), 3)
			}
		}
		if len(ratio) > 0 {
			r.Median[ratioMedianKey(server)] = ratio
		}
	}
}

// median returns the median of vs (the mean of the middle two for an even
// count); NaN for none.
func median(vs []float64) float64 {
	if len(vs) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), vs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// writeTable writes the report as a Markdown table: per figure, each
// server's median with every run's value after it, and the ratio.
func (r *scenarioReport) writeTable(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "\narena-move, %d clients, %d run(s) of a %.0f s window; medians, then each run\n\n", r.Clients, len(r.Runs), r.Settings.WindowS)
	cols := r.Settings.Servers
	// A ratio column to the peer for each other server, when the peer ran.
	var ratioCols []string
	if slices.Contains(cols, serverPeer) {
		for _, c := range cols {
			if c != serverPeer {
				ratioCols = append(ratioCols, c)
			}
		}
	}
	b.WriteString("| figure |")
	for _, c := range cols {
		fmt.Fprintf(&b, " %s |", c)
	}
	for _, c := range ratioCols {
		fmt.Fprintf(&b, " %s / %s |", c, serverPeer)
	}
	b.WriteString("\n|---|" + strings.Repeat("---|", len(cols)+len(ratioCols)) + "\n")
	for _, d := range figureDefs {
		fmt.Fprintf(&b, "| %s |", d.label)
		for _, name := range cols {
			var vs []string
			for _, run := range r.Runs {
				if f := run.Figures[name]; f != nil {
					if v, ok := d.get(f); ok {
						vs = append(vs, formatPlaces(v, d.places))
					}
				}
			}
			med, ok := r.Median[name][d.key]
			switch {
			case !ok:
				b.WriteString(" – |")
			case len(vs) > 1:
				fmt.Fprintf(&b, " %s (%s) |", formatPlaces(med, d.places), strings.Join(vs, " / "))
			default:
				fmt.Fprintf(&b, " %s |", formatPlaces(med, d.places))
			}
		}
		for _, name := range ratioCols {
			v, ok := r.Median[ratioMedianKey(name)][d.key]
			if !ok {
				b.WriteString(" |")
				continue
			}
			var vs []string
			for _, run := range r.Runs {
				if x, ok := run.ratioOf(name)[d.key]; ok {
					vs = append(vs, fmt.Sprintf("%.2f×", x))
				}
			}
			if len(vs) > 1 {
				fmt.Fprintf(&b, " %.2f× (%s) |", v, strings.Join(vs, " / "))
			} else {
				fmt.Fprintf(&b, " %.2f× |", v)
			}
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func formatPlaces(v float64, places int) string {
	return fmt.Sprintf("%.*f", places, v)
}

// machine describes where a run was taken.
type machine struct {
	CPUs     int     `json:"cpus"`
	CPUModel string  `json:"cpu_model"`
	MemGiB   float64 `json:"mem_gib"`
	Kernel   string  `json:"kernel"`
	Go       string  `json:"go"`
	Node     string  `json:"node,omitempty"`
}

// describeMachine reads /proc for the machine's CPUs and memory.
func describeMachine(c config) machine {
	m := machine{CPUs: runtime.NumCPU(), Go: runtime.Version()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		m.CPUModel = cpuModel(string(b))
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		if v, err := statusField(b, "MemTotal"); err == nil {
			m.MemGiB = round(float64(v)/(1<<30), 1)
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	if c.node != "" {
		m.Node = toolVersion(c.node, "--version")
	}
	return m
}

// cpuModel returns the first "model name" of /proc/cpuinfo.
func cpuModel(cpuinfo string) string {
	for _, line := range strings.Split(cpuinfo, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// writeJSONFile writes v as indented JSON to path, or stdout for "-".
func writeJSONFile(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("json: %w", err)
	}
	b = append(b, '\n')
	if path == "-" {
		_, err = os.Stdout.Write(b)
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("json: %w", err)
	}
	return nil
}

func now() string { return time.Now().UTC().Format(time.RFC3339) }
