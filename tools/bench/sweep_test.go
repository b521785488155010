package main

import (
	"testing"
	"time"
)

func TestMajorityDecidesAndStopsEarly(t *testing.T) {
	for _, tt := range []struct {
		votes     []bool
		n         int
		wantKnown int // windows after which the majority is known
		wantHeld  bool
	}{
		{[]bool{true}, 1, 1, true},
		{[]bool{false}, 1, 1, false},
		{[]bool{true, true}, 3, 2, true},
		{[]bool{false, false}, 3, 2, false},
		{[]bool{true, false, true}, 3, 3, true},
		{[]bool{false, true, false}, 3, 3, false},
		{[]bool{true, false}, 2, 2, false}, // a tie is not a majority
	} {
		var m majority
		known := 0
		for i, v := range tt.votes {
			if m.known(tt.n) {
				break
			}
			m.add(v)
			known = i + 1
		}
		if !m.known(tt.n) || known != tt.wantKnown || m.held(tt.n) != tt.wantHeld {
			t.Errorf("votes %v of %d: known after %d (%v), held %v; want known after %d, held %v",
				tt.votes, tt.n, known, m.known(tt.n), m.held(tt.n), tt.wantKnown, tt.wantHeld)
		}
	}
}

func TestRepresentativeIsTheMedianWindowOfTheVerdict(t *testing.T) {
	c := config{minDelivery: 0.95, maxAckP99: 100 * time.Millisecond}
	windows := []*figures{
		{Delivery: 1, InputAckP99Ms: 80},
		{Delivery: 1, InputAckP99Ms: 130}, // did not hold
		{Delivery: 1, InputAckP99Ms: 55},
		{Delivery: 1, InputAckP99Ms: 70},
	}
	if got := representative(windows, true, c); got != windows[3] {
		t.Errorf("held: representative p99 %v, want the median of the held windows, 70", got.InputAckP99Ms)
	}
	if got := representative(windows, false, c); got != windows[1] {
		t.Errorf("not held: representative p99 %v, want the window that did not hold, 130", got.InputAckP99Ms)
	}
	if got := representative(nil, true, c); got != nil {
		t.Errorf("no windows: representative %v, want nil", got)
	}
}
