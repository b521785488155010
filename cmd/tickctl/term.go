package main

import (
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// clearScreen moves the cursor home and clears the screen, so a live view
// redraws in place.
const clearScreen = "\x1b[H\x1b[2J"

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// sparkTicks are the eight bar heights of a sparkline.
var sparkTicks = []rune("▁▂▃▄▅▆▇█")

// sparkline draws values as bars scaled from 0 to their maximum.
func sparkline(values []float64) string {
	hi := 0.0
	for _, v := range values {
		hi = max(hi, v)
	}
	var b strings.Builder
	for _, v := range values {
		i := 0
		if hi > 0 && v > 0 {
			i = min(len(sparkTicks)-1, int(v/hi*float64(len(sparkTicks)-1)+0.5))
		}
		b.WriteRune(sparkTicks[i])
	}
	return b.String()
}

// ring keeps the newest n values.
type ring struct {
	n      int
	values []float64
}

func (r *ring) add(v float64) {
	r.values = append(r.values, v)
	if len(r.values) > r.n {
		r.values = r.values[len(r.values)-r.n:]
	}
}
