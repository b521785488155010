package main

import (
	"context"
	"runtime"
	"sync"
	"time"
)

// pacerEarly is how far ahead of its due time a step may run: steps due
// this close together share one wake-up of their shard. An input a
// millisecond early is nothing to a server ticking every 16 ms, and it
// keeps a thousand bots from costing thirty thousand wake-ups a second.
const pacerEarly = time.Millisecond

// pacer runs the periodic steps of every playing bot (its inputs at
// -input-hz) from one goroutine per shard instead of a ticker and a
// goroutine wake-up per bot per input: waking a goroutine costs more than
// deciding and sending an input. Each bot keeps its own phase (its first
// step falls one period after it starts) and, like a time.Ticker, skips
// the steps it fell more than a period behind on rather than bursting them.
//
// A shard runs its due steps one after another with its lock held: a step
// must not block for long (sending an input does not; a stuck socket would
// hold the shard for the client's write timeout).
type pacer struct {
	period time.Duration
	shards []*pacerShard
}

// pacerShard is one goroutine's share of the bots.
type pacerShard struct {
	mu    sync.Mutex
	clock func() time.Time // time.Now; tests step their own
	epoch time.Time        // due times count nanoseconds from here
	queue []pacedEntry     // a min-heap by due time
	wake  chan struct{}    // a step was added: the sleeper recomputes its wait
}

// paced is one bot's step in a shard.
type paced struct {
	step    func(now time.Time)
	removed bool // set under the shard's lock; the entry is dropped when next due
}

// pacedEntry is a heap slot: the due time beside the step, so ordering
// the heap reads one array rather than chasing a pointer per comparison.
type pacedEntry struct {
	due int64 // nanoseconds since the shard's epoch
	p   *paced
}

// newPacer returns a pacer of period with a shard per usable CPU.
func newPacer(period time.Duration) *pacer {
	p := &pacer{period: period, shards: make([]*pacerShard, max(1, runtime.GOMAXPROCS(0)))}
	now := time.Now()
	for i := range p.shards {
		p.shards[i] = &pacerShard{clock: time.Now, epoch: now, wake: make(chan struct{}, 1)}
	}
	return p
}

// run runs the shards until ctx ends.
func (p *pacer) run(ctx context.Context) {
	var wg sync.WaitGroup
	for _, s := range p.shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.run(ctx, p.period)
		}()
	}
	wg.Wait()
}

// add starts calling step every period from one period after now, on
// shard key (any int; bots spread by their index). The returned remove
// stops it: once remove returns, step is not running and never runs again.
func (p *pacer) add(key int, now time.Time, step func(now time.Time)) (remove func()) {
	s := p.shards[key%len(p.shards)]
	e := &paced{step: step}
	s.mu.Lock()
	s.push(pacedEntry{due: int64(now.Add(p.period).Sub(s.epoch)), p: e})
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
	return func() {
		s.mu.Lock()
		e.removed = true
		s.mu.Unlock()
	}
}

// run runs the shard's due steps and sleeps until the next is due, until
// ctx ends.
func (s *pacerShard) run(ctx context.Context, period time.Duration) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		timer.Reset(s.runDue(period))
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		case <-s.wake:
		}
	}
}

// runDue runs every step due by pacerEarly from now and returns how long
// until the next one is.
func (s *pacerShard) runDue(period time.Duration) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock()
	at := int64(now.Sub(s.epoch))
	for len(s.queue) > 0 {
		e := &s.queue[0]
		if e.p.removed {
			s.pop()
			continue
		}
		if e.due > at+int64(pacerEarly) {
			return time.Duration(e.due - at)
		}
		e.p.step(now)
		now = s.clock()
		at = int64(now.Sub(s.epoch))
		// The next step keeps the phase; steps already missed are skipped.
		e.due += int64(period)
		if behind := at - e.due; behind >= 0 {
			e.due += (behind/int64(period) + 1) * int64(period)
		}
		s.down(0)
	}
	return time.Hour // idle until add wakes it
}

// push adds e to the heap.
func (s *pacerShard) push(e pacedEntry) {
	s.queue = append(s.queue, e)
	q := s.queue
	for i := len(q) - 1; i > 0; {
		parent := (i - 1) / 2
		if q[parent].due <= q[i].due {
			break
		}
		q[parent], q[i] = q[i], q[parent]
		i = parent
	}
}

// pop drops the heap's first entry.
func (s *pacerShard) pop() {
	last := len(s.queue) - 1
	s.queue[0] = s.queue[last]
	s.queue[last] = pacedEntry{}
	s.queue = s.queue[:last]
	s.down(0)
}

// down restores the heap order below i after its due time grew.
func (s *pacerShard) down(i int) {
	q := s.queue
	for {
		least := i
		if l := 2*i + 1; l < len(q) && q[l].due < q[least].due {
			least = l
		}
		if r := 2*i + 2; r < len(q) && q[r].due < q[least].due {
			least = r
		}
		if least == i {
			return
		}
		q[i], q[least] = q[least], q[i]
		i = least
	}
}
