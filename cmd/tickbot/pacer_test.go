package main

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"
)

// fakeClock is a pacer shard's clock that moves only when told.
type fakeClock struct{ now time.Time }

func (c *fakeClock) get() time.Time          { return c.now }
func (c *fakeClock) advance(d time.Duration) { c.now = c.now.Add(d) }

// newTestShard returns a one-shard pacer of period on a fake clock.
func newTestShard(period time.Duration) (*pacer, *fakeClock) {
	clk := &fakeClock{now: time.Unix(1000, 0)}
	p := newPacer(period)
	p.shards = p.shards[:1]
	p.shards[0].clock, p.shards[0].epoch = clk.get, clk.now
	return p, clk
}

// TestPacerPhases runs three bots added at different times: each steps
// one period after it was added and every period after that, in order of
// due time, steps due within pacerEarly running together.
func TestPacerPhases(t *testing.T) {
	const period = 30 * time.Millisecond
	p, clk := newTestShard(period)
	s := p.shards[0]
	var ran []string
	step := func(name string) func(time.Time) { return func(time.Time) { ran = append(ran, name) } }
	p.add(0, clk.now, step("a"))
	p.add(0, clk.now.Add(10*time.Millisecond), step("b"))
	p.add(0, clk.now.Add(10*time.Millisecond+pacerEarly/2), step("c"))

	check := func(advance time.Duration, want []string, wantWait time.Duration) {
		t.Helper()
		clk.advance(advance)
		ran = nil
		if wait := s.runDue(period); !slices.Equal(ran, want) || wait != wantWait {
			t.Fatalf("after %v: ran %v, wait %v; want %v, %v", advance, ran, wait, want, wantWait)
		}
	}
	check(0, nil, period)
	check(period, []string{"a"}, 10*time.Millisecond)
	check(10*time.Millisecond, []string{"b", "c"}, 20*time.Millisecond) // c ran early with b; a is next
	check(20*time.Millisecond, []string{"a"}, 10*time.Millisecond)
}

// TestPacerSkipsMissedSteps checks that a step late by more than a period
// runs once and keeps its phase, as a time.Ticker drops ticks.
func TestPacerSkipsMissedSteps(t *testing.T) {
	const period = 30 * time.Millisecond
	p, clk := newTestShard(period)
	s := p.shards[0]
	n := 0
	p.add(0, clk.now, func(time.Time) { n++ })
	clk.advance(3*period + 5*time.Millisecond) // due at 1 period, late past 2 and 3
	if wait := s.runDue(period); n != 1 || wait != period-5*time.Millisecond {
		t.Fatalf("ran %d times, next in %v; want 1 and %v", n, wait, period-5*time.Millisecond)
	}
}

// TestPacerRemove checks that a removed step never runs again, and that
// the others keep running.
func TestPacerRemove(t *testing.T) {
	const period = 30 * time.Millisecond
	p, clk := newTestShard(period)
	s := p.shards[0]
	var ran []string
	removeA := p.add(0, clk.now, func(time.Time) { ran = append(ran, "a") })
	p.add(0, clk.now, func(time.Time) { ran = append(ran, "b") })
	removeA()
	clk.advance(period)
	s.runDue(period)
	if !slices.Equal(ran, []string{"b"}) || len(s.queue) != 1 {
		t.Fatalf("ran %v with %d queued; want [b] and 1", ran, len(s.queue))
	}
}

// TestPacerRuns runs a real pacer: every added step runs, and once its
// remove returns it runs no more, while the pacer goes on.
func TestPacerRuns(t *testing.T) {
	p := newPacer(time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		p.run(ctx)
	}()
	defer func() {
		cancel()
		<-done
	}()
	var (
		mu     sync.Mutex
		counts [4]int
	)
	removes := make([]func(), len(counts))
	reached := make(chan int, 3*len(counts))
	for i := range counts {
		removes[i] = p.add(i, time.Now(), func(time.Time) {
			mu.Lock()
			counts[i]++
			if counts[i] == 3 {
				reached <- i
			}
			mu.Unlock()
		})
	}
	for range counts {
		<-reached
	}
	for _, remove := range removes {
		remove()
	}
	mu.Lock()
	frozen := counts
	mu.Unlock()
	// A step added now runs three times; the removed ones stay put.
	ticks := make(chan struct{}, 1)
	p.add(0, time.Now(), func(time.Time) {
		select {
		case ticks <- struct{}{}:
		default:
		}
	})
	for range 3 {
		<-ticks
	}
	mu.Lock()
	defer mu.Unlock()
	if counts != frozen {
		t.Fatalf("counts moved after remove: %v, then %v", frozen, counts)
	}
}
