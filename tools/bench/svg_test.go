package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestNiceAxis(t *testing.T) {
	tests := []struct {
		v, top, step float64
	}{
		{1.3, 1.5, 0.5}, {1.9, 2, 0.5}, {7, 8, 2}, {100, 100, 20}, {115, 150, 50}, {0.042, 0.05, 0.01}, {0, 1, 0.2},
	}
	for _, tt := range tests {
		top, step := niceAxis(tt.v)
		if !near(top, tt.top) || !near(step, tt.step) {
			t.Errorf("niceAxis(%v) = %v, %v; want %v, %v", tt.v, top, step, tt.top, tt.step)
		}
	}
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

func TestFormatTick(t *testing.T) {
	for v, want := range map[float64]string{250: "250", 4000: "4000", 0.2: "0.2", 1.25: "1.25", 0.30000000000000004: "0.3"} {
		if got := formatTick(v); got != want {
			t.Errorf("formatTick(%v) = %q, want %q", v, got, want)
		}
	}
}

// TestWriteSVG checks the plot is well-formed XML with a line and a marker
// per point of each series, hollow markers for failed points, and text
// escaped.
func TestWriteSVG(t *testing.T) {
	panels := []plotPanel{
		{title: "cpu <per> client", ylabel: "ms", series: []plotSeries{
			{name: "tickwire", color: "#1f6fb4", pts: []plotPoint{{250, 1.1, true}, {500, 1.0, true}, {1000, 1.2, false}}},
			{name: "colyseus", color: "#e07b00", pts: []plotPoint{{250, 1.0, true}}},
		}},
		{title: "p99", ylabel: "ms", limit: 100, limitLabel: "100 ms", series: []plotSeries{
			{name: "tickwire", color: "#1f6fb4", pts: []plotPoint{{250, 50, true}, {500, 60, true}, {1000, 140, false}}},
			{name: "colyseus", color: "#e07b00"}, // no points: drawn as nothing
		}},
	}
	var buf bytes.Buffer
	if err := writeSVG(&buf, "sweep & co", []float64{250, 500, 1000}, panels); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	hollow := 0
	dec := xml.NewDecoder(&buf)
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			counts[se.Name.Local]++
			for _, a := range se.Attr {
				if se.Name.Local == "circle" && a.Name.Local == "fill" && a.Value == "white" {
					hollow++
				}
			}
		}
	}
	if counts["svg"] != 1 || counts["polyline"] != 3 {
		t.Errorf("elements = %v, want one svg and three polylines", counts)
	}
	// 7 points, plus 2 legend markers and the hollow legend marker.
	if counts["circle"] != 10 || hollow != 3 {
		t.Errorf("circles %d (hollow %d), want 10 (3)", counts["circle"], hollow)
	}
	var out bytes.Buffer
	_ = writeSVG(&out, "sweep & co", nil, panels)
	if !strings.Contains(out.String(), "sweep &amp; co") || !strings.Contains(out.String(), "cpu &lt;per&gt; client") {
		t.Error("text is not escaped")
	}
}
