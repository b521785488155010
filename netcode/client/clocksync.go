package client

import "time"

// clockWindow is how many recent Ping/Pong samples the min-RTT filter looks
// at: enough to ride out a few queued-up pongs, few enough to follow drift.
const clockWindow = 8

// clockSmoothing is the weight of a new filtered offset in the running
// estimate; a fraction keeps one unlucky window from shaking render time.
const clockSmoothing = 0.25

// clockSample is one round trip, in local and server microseconds.
type clockSample struct {
	rttUS    int64
	offsetUS int64
}

// ClockSync estimates round-trip time and the offset between the server's
// clock and the local one from Ping/Pong samples. Each sample's offset is
// server_time_us + rtt/2 - now; the estimate follows the offset of the
// lowest-RTT sample of the last few (the one least skewed by queueing),
// smoothed. The zero value is ready to use; ClockSync is not safe for
// concurrent use.
type ClockSync struct {
	window    [clockWindow]clockSample
	n, next   int
	offsetUS  float64
	rttLast   time.Duration
	rttSmooth time.Duration
	samples   uint64
}

// AddSample records one round trip: sentUS and recvUS are the local clock
// when the Ping left and the Pong arrived, serverUS the server clock in the
// Pong. Samples with a negative round trip (a clock that went backwards, or
// a forged echo) are ignored and reported false.
func (cs *ClockSync) AddSample(sentUS, serverUS, recvUS int64) bool {
	rtt := recvUS - sentUS
	if rtt < 0 {
		return false
	}
	s := clockSample{rttUS: rtt, offsetUS: serverUS + rtt/2 - recvUS}
	cs.window[cs.next] = s
	cs.next = (cs.next + 1) % clockWindow
	if cs.n < clockWindow {
		cs.n++
	}
	best := cs.window[0]
	for _, w := range cs.window[1:cs.n] {
		if w.rttUS < best.rttUS {
			best = w
		}
	}
	rttD := time.Duration(rtt) * time.Microsecond
	if cs.samples == 0 {
		cs.offsetUS = float64(best.offsetUS)
		cs.rttSmooth = rttD
	} else {
		cs.offsetUS += clockSmoothing * (float64(best.offsetUS) - cs.offsetUS)
		// RFC 6298's 1/8 gain: smoothed RTT for display and tick estimates.
		cs.rttSmooth += (rttD - cs.rttSmooth) / 8
	}
	cs.rttLast = rttD
	cs.samples++
	return true
}

// Samples returns how many samples have been accepted.
func (cs *ClockSync) Samples() uint64 { return cs.samples }

// Offset returns the estimated server clock minus local clock, in
// microseconds; 0 before the first sample.
func (cs *ClockSync) Offset() int64 { return int64(cs.offsetUS) }

// ServerTime converts a local clock reading to the estimated server clock.
func (cs *ClockSync) ServerTime(localUS int64) int64 { return localUS + cs.Offset() }

// RTT returns the newest and the smoothed round-trip time.
func (cs *ClockSync) RTT() (last, smoothed time.Duration) { return cs.rttLast, cs.rttSmooth }
