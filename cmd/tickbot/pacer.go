package main

import (
	"container/heap"
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
	queue pacedQueue    // by due time
	wake  chan struct{} // a step was added: the sleeper recomputes its wait
}

// paced is one bot's entry in a shard.
type paced struct {
	due     time.Time
	step    func(now time.Time)
	removed bool // set under the shard's lock; the entry is dropped when next due
}

// newPacer returns a pacer of period with a shard per usable CPU.
func newPacer(period time.Duration) *pacer {
	p := &pacer{period: period, shards: make([]*pacerShard, max(1, runtime.GOMAXPROCS(0)))}
	for i := range p.shards {
		p.shards[i] = &pacerShard{wake: make(chan struct{}, 1)}
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
	e := &paced{due: now.Add(p.period), step: step}
	s.mu.Lock()
	heap.Push(&s.queue, e)
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
		wait := s.runDue(time.Now(), period)
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		case <-s.wake:
		}
	}
}

// runDue runs every step due by now+pacerEarly and returns how long until
// the next one is.
func (s *pacerShard) runDue(now time.Time, period time.Duration) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.queue) > 0 {
		e := s.queue[0]
		if e.removed {
			heap.Pop(&s.queue)
			continue
		}
		if e.due.After(now.Add(pacerEarly)) {
			return e.due.Sub(now)
		}
		e.step(now)
		now = time.Now()
		// The next step keeps the phase; steps already missed are skipped.
		e.due = e.due.Add(period)
		if behind := now.Sub(e.due); behind >= 0 {
			e.due = e.due.Add((behind/period + 1) * period)
		}
		heap.Fix(&s.queue, 0)
	}
	return time.Hour // idle until add wakes it
}

// pacedQueue is a min-heap of entries by due time (container/heap).
type pacedQueue []*paced

func (q pacedQueue) Len() int           { return len(q) }
func (q pacedQueue) Less(i, j int) bool { return q[i].due.Before(q[j].due) }
func (q pacedQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *pacedQueue) Push(x any)        { *q = append(*q, x.(*paced)) }
func (q *pacedQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	old[len(old)-1] = nil
	*q = old[:len(old)-1]
	return e
}
