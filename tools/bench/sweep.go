package main

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
)

// sweepPoint is one client count of a sweep.
type sweepPoint struct {
	Clients int                 `json:"clients"`
	Figures map[string]*figures `json:"figures"`
	// Held says, per server run at this count, whether it held the
	// clients (-min-delivery, -max-ack-p99) in more than half of its
	// windows; Errors why a window failed.
	Held   map[string]bool   `json:"held"`
	Errors map[string]string `json:"errors,omitempty"`
	// Windows are, with -repeat above 1, every window's figures; Figures
	// then holds the one with the (lower) median p99 input→ack among the
	// windows that agree with Held.
	Windows map[string][]*figures `json:"windows,omitempty"`
}

// sweepReport is the JSON of a sweep.
type sweepReport struct {
	Scenario string       `json:"scenario"`
	Date     string       `json:"date"`
	Machine  machine      `json:"machine"`
	Settings settings     `json:"settings"`
	Points   []sweepPoint `json:"points"`
	// MaxHeld is, per server, the largest client count it held (0: none).
	MaxHeld map[string]int `json:"max_held"`
}

// sweep runs each server at every count of -sweep, in increasing order,
// until it no longer holds the clients, and writes the JSON and the plot
// after every point.
func (h *harness) sweep(ctx context.Context) error {
	c := h.cfg
	st := settingsOf(c)
	st.MaxAckP99Ms = float64(c.maxAckP99.Milliseconds())
	st.MinDelivery = c.minDelivery
	st.Repeat = c.repeat
	r := &sweepReport{Scenario: "arena-move", Date: now(), Machine: describeMachine(c), Settings: st,
		MaxHeld: map[string]int{}}
	alive := slices.Clone(c.servers)
	for _, n := range c.sweep {
		if len(alive) == 0 {
			break
		}
		p := sweepPoint{Clients: n, Figures: map[string]*figures{}, Held: map[string]bool{}}
		for _, name := range slices.Clone(alive) {
			held, err := h.sweepServer(ctx, &p, name, n)
			if err != nil {
				return err
			}
			if held {
				r.MaxHeld[name] = n
			} else {
				alive = slices.DeleteFunc(alive, func(s string) bool { return s == name })
			}
		}
		r.Points = append(r.Points, p)
		if err := h.writeSweep(r); err != nil {
			return err
		}
	}
	for _, name := range c.servers {
		fmt.Printf("%s held %d clients\n", name, r.MaxHeld[name])
	}
	return nil
}

// sweepServer measures server name at n clients for p, up to -repeat
// windows, and reports whether most of them held. Its error is only the
// context's: a failed window counts as not held, its error kept in p.
func (h *harness) sweepServer(ctx context.Context, p *sweepPoint, name string, n int) (bool, error) {
	c := h.cfg
	var windows []*figures
	var votes majority
	for w := 1; !votes.known(c.repeat); w++ {
		f, err := h.measure(ctx, h.targets[name], n)
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		held := err == nil && f.passes(c)
		votes.add(held)
		if err != nil {
			if p.Errors == nil {
				p.Errors = map[string]string{}
			}
			p.Errors[name] = err.Error()
		} else {
			windows = append(windows, f)
		}
		logf(c, "sweep: %s at %d clients%s: %s", name, n, repeatLabel(w, c.repeat), verdict(f, err, held))
	}
	held := votes.held(c.repeat)
	if f := representative(windows, held, c); f != nil {
		p.Figures[name] = f
	}
	if c.repeat > 1 {
		if p.Windows == nil {
			p.Windows = map[string][]*figures{}
		}
		p.Windows[name] = windows
		logf(c, "sweep: %s at %d clients: %s in %d of %d windows", name, n, heldWord(held), votes.yes, votes.yes+votes.no)
	}
	p.Held[name] = held
	return held, nil
}

// verdict is a sweep point's progress line.
func verdict(f *figures, err error, held bool) string {
	if err != nil {
		return "failed: " + err.Error()
	}
	return fmt.Sprintf("%s (delivery %.1f %%, p99 input→ack %.1f ms, server CPU %.3f ms per client-second, %.2f cores)",
		heldWord(held), f.Delivery*100, f.InputAckP99Ms, f.ServerCPUMsPerClientS, f.ServerCores)
}

// Series colours of the plot.
var seriesColor = map[string]string{serverTickwire: "#1f6fb4", serverPeer: "#e07b00", serverFloor: "#2e8b57"}

// writeSweep writes the sweep's JSON and SVG files.
func (h *harness) writeSweep(r *sweepReport) error {
	c := h.cfg
	if err := writeJSONFile(c.sweepJSON, r); err != nil {
		return err
	}
	fh, err := os.Create(c.sweepSVG)
	if err != nil {
		return fmt.Errorf("sweep plot: %w", err)
	}
	err = writeSVG(fh, sweepTitle(r), countsOf(r), sweepPanels(r, c))
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("sweep plot: %w", err)
	}
	return nil
}

func sweepTitle(r *sweepReport) string {
	return fmt.Sprintf("arena-move sweep, %d cores (%s), %s", r.Machine.CPUs, strings.TrimSpace(r.Machine.CPUModel), r.Date[:10])
}

func countsOf(r *sweepReport) []float64 {
	var xs []float64
	for _, p := range r.Points {
		xs = append(xs, float64(p.Clients))
	}
	return xs
}

// sweepPanels are the plot's two panels: server CPU per client-second and
// p99 input→ack, against clients, one series per server.
func sweepPanels(r *sweepReport, c config) []plotPanel {
	cpu := plotPanel{title: "server CPU per client", ylabel: "ms per client-second"}
	ack := plotPanel{title: "input→ack p99", ylabel: "ms", limit: float64(c.maxAckP99.Milliseconds()),
		limitLabel: fmt.Sprintf("%d ms", c.maxAckP99.Milliseconds())}
	for _, name := range r.Settings.Servers {
		sc := plotSeries{name: name, color: seriesColor[name]}
		sa := sc
		for _, p := range r.Points {
			f := p.Figures[name]
			if f == nil {
				continue
			}
			sc.pts = append(sc.pts, plotPoint{x: float64(p.Clients), y: f.ServerCPUMsPerClientS, ok: p.Held[name]})
			sa.pts = append(sa.pts, plotPoint{x: float64(p.Clients), y: f.InputAckP99Ms, ok: p.Held[name]})
		}
		cpu.series = append(cpu.series, sc)
		ack.series = append(ack.series, sa)
	}
	return []plotPanel{cpu, ack}
}

// heldWord is a verdict's word.
func heldWord(held bool) string {
	if held {
		return "held"
	}
	return "did not hold"
}

// repeatLabel names window w of n in a progress line, when there are several.
func repeatLabel(w, n int) string {
	if n == 1 {
		return ""
	}
	return fmt.Sprintf(", window %d of %d", w, n)
}

// majority counts the windows of a sweep point that held and did not.
type majority struct{ yes, no int }

// add counts one window.
func (m *majority) add(held bool) {
	if held {
		m.yes++
	} else {
		m.no++
	}
}

// held reports whether more than half of n windows held.
func (m majority) held(n int) bool { return 2*m.yes > n }

// known reports whether the windows so far decide the majority of n, so
// the rest need not run.
func (m majority) known(n int) bool { return 2*m.yes > n || 2*m.no >= n }

// representative is the window whose figures stand for a point: the one
// with the median p99 input→ack among those that agree with the verdict,
// the lower of the two middle ones when they are even (nil when none
// measured).
func representative(windows []*figures, held bool, c config) *figures {
	var agree []*figures
	for _, f := range windows {
		if f.passes(c) == held {
			agree = append(agree, f)
		}
	}
	if len(agree) == 0 {
		return nil
	}
	slices.SortFunc(agree, func(a, b *figures) int { return cmp.Compare(a.InputAckP99Ms, b.InputAckP99Ms) })
	return agree[(len(agree)-1)/2]
}
