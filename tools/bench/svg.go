package main

import (
	"fmt"
	"html"
	"io"
	"math"
	"strings"
)

// plotPoint is one measured point of a series; failed points (the server
// did not hold the clients) are drawn hollow.
type plotPoint struct {
	x, y float64
	ok   bool
}

// plotSeries is one line of a panel.
type plotSeries struct {
	name  string
	color string
	pts   []plotPoint
}

// plotPanel is one chart: y against clients on a log scale.
type plotPanel struct {
	title  string
	ylabel string
	series []plotSeries
	// limit, when above 0, draws a dashed horizontal line labelled
	// limitLabel (a pass threshold).
	limit      float64
	limitLabel string
}

// Plot geometry, in SVG user units.
const (
	panelW, panelH   = 460, 330
	marginL, marginR = 62, 16
	marginT, marginB = 40, 48
	plotTitleH       = 34
	legendH          = 26
)

// writeSVG draws panels side by side under title, x being clients on a
// log2 scale ticked at xticks. It needs no fonts or tools beyond a
// browser: plain SVG 1.1 with system sans-serif text.
func writeSVG(w io.Writer, title string, xticks []float64, panels []plotPanel) error {
	width := panelW * max(1, len(panels))
	height := plotTitleH + panelH + legendH
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n",
		width, height, width, height)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`+"\n", width, height)
	fmt.Fprintf(&b, `<text x="%d" y="22" text-anchor="middle" font-size="15" font-weight="bold">%s</text>`+"\n", width/2, esc(title))
	xmin, xmax := xRange(xticks, panels)
	for i, p := range panels {
		drawPanel(&b, float64(i*panelW), plotTitleH, p, xticks, xmin, xmax)
	}
	// One legend for every panel: the series of the first.
	if len(panels) > 0 {
		x := float64(marginL)
		y := float64(plotTitleH + panelH + legendH/2)
		for _, s := range panels[0].series {
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2"/>`+"\n", x, y, x+24, y, s.color)
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"/>`+"\n", x+12, y, s.color)
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f">%s</text>`+"\n", x+30, y+4, esc(s.name))
			x += 40 + 7*float64(len(s.name)) + 24
		}
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="white" stroke="#555" stroke-width="1.5"/>`+"\n", x+12, y)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f">hollow: did not hold the clients</text>`+"\n", x+22, y+4)
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// minTickLabelGap is the least distance, in pixels, between the centres of
// two x tick labels (four digits take about 28).
const minTickLabelGap = 34

// xRange returns the x axis's ends: the ticks and points, with a margin.
func xRange(xticks []float64, panels []plotPanel) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, x := range xticks {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	for _, p := range panels {
		for _, s := range p.series {
			for _, pt := range s.pts {
				lo, hi = math.Min(lo, pt.x), math.Max(hi, pt.x)
			}
		}
	}
	if math.IsInf(lo, 1) || lo <= 0 {
		return 1, 2
	}
	if hi <= lo {
		hi = lo * 2
	}
	return lo / 1.25, hi * 1.25
}

// drawPanel draws one panel with its top-left corner at (ox, oy).
func drawPanel(b *strings.Builder, ox, oy float64, p plotPanel, xticks []float64, xmin, xmax float64) {
	left, top := ox+marginL, oy+marginT
	w, h := float64(panelW-marginL-marginR), float64(panelH-marginT-marginB)
	ymax := p.limit * 1.15
	for _, s := range p.series {
		for _, pt := range s.pts {
			ymax = math.Max(ymax, pt.y)
		}
	}
	ytop, ystep := niceAxis(ymax)
	xpos := func(x float64) float64 {
		return left + w*(math.Log2(x)-math.Log2(xmin))/(math.Log2(xmax)-math.Log2(xmin))
	}
	ypos := func(y float64) float64 { return top + h - h*y/ytop }

	fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="13">%s</text>`+"\n", left+w/2, oy+20, esc(p.title))
	// Grid and y ticks.
	for y := 0.0; y <= ytop*1.0001; y += ystep {
		fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#e4e4e4"/>`+"\n", left, ypos(y), left+w, ypos(y))
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="end">%s</text>`+"\n", left-6, ypos(y)+4, formatTick(y))
	}
	lastLabel := math.Inf(-1)
	for _, x := range xticks {
		fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#e4e4e4"/>`+"\n", xpos(x), top, xpos(x), top+h)
		// On the log scale close counts crowd together: a label that
		// would touch the previous one is left out (its grid line stays).
		if xpos(x)-lastLabel < minTickLabelGap {
			continue
		}
		lastLabel = xpos(x)
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`+"\n", xpos(x), top+h+16, formatTick(x))
	}
	fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="none" stroke="#999"/>`+"\n", left, top, w, h)
	fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="middle">clients</text>`+"\n", left+w/2, top+h+36)
	fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="middle" transform="rotate(-90 %.1f %.1f)">%s</text>`+"\n",
		ox+16, top+h/2, ox+16, top+h/2, esc(p.ylabel))
	if p.limit > 0 {
		fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#c00" stroke-dasharray="5,4"/>`+"\n", left, ypos(p.limit), left+w, ypos(p.limit))
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="end" fill="#c00">%s</text>`+"\n", left+w-4, ypos(p.limit)-5, esc(p.limitLabel))
	}
	for _, s := range p.series {
		if len(s.pts) == 0 {
			continue
		}
		var pts []string
		for _, pt := range s.pts {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", xpos(pt.x), ypos(pt.y)))
		}
		fmt.Fprintf(b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`+"\n", strings.Join(pts, " "), s.color)
		for _, pt := range s.pts {
			fill := s.color
			if !pt.ok {
				fill = "white"
			}
			fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s" stroke="%s" stroke-width="1.5"><title>%s: %s clients, %s</title></circle>`+"\n",
				xpos(pt.x), ypos(pt.y), fill, s.color, esc(s.name), formatTick(pt.x), formatTick(pt.y))
		}
	}
}

// niceAxis returns a top for a linear axis from 0 that holds v, and its
// tick step: 1, 2 or 5 times a power of ten, two to six steps.
func niceAxis(v float64) (top, step float64) {
	if !(v > 0) || math.IsInf(v, 0) {
		return 1, 0.2
	}
	raw := v / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	switch f := raw / mag; {
	case f <= 1:
		step = mag
	case f <= 2:
		step = 2 * mag
	case f <= 5:
		step = 5 * mag
	default:
		step = 10 * mag
	}
	top = math.Ceil(v/step-1e-9) * step
	return top, step
}

// formatTick prints an axis value without float noise.
func formatTick(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e9 {
		return fmt.Sprintf("%d", int64(v))
	}
	s := fmt.Sprintf("%.3f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

func esc(s string) string { return html.EscapeString(s) }
