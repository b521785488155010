package main

import (
	"sync"
	"time"
)

// tally gathers what every bot observes that is not a client counter:
// connection outcomes, rooms, latency samples, and every error and
// expected close by reason. Bots call it from their own goroutines and
// from client callbacks; one mutex suffices (a few thousand calls a second).
type tally struct {
	mu        sync.Mutex
	connected int
	failed    int
	live      int
	rooms     map[string]struct{}
	inputAck  histogram
	ackWindow histogram // input→ack since the last progress line
	// statsWindow holds input→ack since the last -stats line.
	statsWindow histogram
	rtt         histogram
	failures    map[string]int // why bots never connected
	errors      map[string]int // unexpected, after connecting: each fails the run
	expected    map[string]int // chaos outcomes the run asked for
	drops       int            // connections that ended under a bot
	chat        chatTally      // chat lines and notices (chat.go)
}

func newTally() *tally {
	return &tally{rooms: map[string]struct{}{}, failures: map[string]int{}, errors: map[string]int{}, expected: map[string]int{}}
}

// connect records a bot that is connected and (unless a garbage bot) seated.
func (t *tally) connect() {
	t.mu.Lock()
	t.connected++
	t.live++
	t.mu.Unlock()
}

// disconnect records that a connected bot has stopped playing.
func (t *tally) disconnect() {
	t.mu.Lock()
	t.live--
	t.mu.Unlock()
}

// fail records a bot that never connected, with why.
func (t *tally) fail(reason string) {
	t.mu.Lock()
	t.failed++
	t.failures[reason]++
	t.mu.Unlock()
}

// unexpected records an error after connecting.
func (t *tally) unexpected(reason string) {
	t.mu.Lock()
	t.errors[reason]++
	t.mu.Unlock()
}

// expect records a chaos outcome that went as the run asked.
func (t *tally) expect(reason string) {
	t.mu.Lock()
	t.expected[reason]++
	t.mu.Unlock()
}

// dropped records a connection that ended while its bot was playing.
func (t *tally) dropped() {
	t.mu.Lock()
	t.drops++
	t.mu.Unlock()
}

// room records a room a bot joined.
func (t *tally) room(id string) {
	t.mu.Lock()
	t.rooms[id] = struct{}{}
	t.mu.Unlock()
}

// ack records one input→ack latency. The bucket is found before the lock
// is taken: every bot's reader calls this, thirty times a second.
func (t *tally) ack(d time.Duration) {
	d = max(d, 0)
	i := bucketOf(d)
	t.mu.Lock()
	t.inputAck.addAt(i, d)
	t.ackWindow.addAt(i, d)
	t.statsWindow.addAt(i, d)
	t.mu.Unlock()
}

// roundTrip records one ping round trip.
func (t *tally) roundTrip(d time.Duration) {
	t.mu.Lock()
	t.rtt.add(d)
	t.mu.Unlock()
}

// liveCounts is what the progress line shows of the tally; its errors
// include bots that failed to connect.
type liveCounts struct {
	live, connected, failed, rooms, errors int
	ackP99                                 time.Duration
	ackSamples                             uint64
}

// takeLive returns the live counts and starts a new input→ack window.
func (t *tally) takeLive() liveCounts {
	t.mu.Lock()
	defer t.mu.Unlock()
	lc := liveCounts{
		live: t.live, connected: t.connected, failed: t.failed, rooms: len(t.rooms),
		errors: sumCounts(t.errors) + t.failed, ackP99: t.ackWindow.percentile(99), ackSamples: t.ackWindow.count(),
	}
	t.ackWindow = histogram{}
	return lc
}

func sumCounts(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
