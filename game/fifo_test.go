package game

import (
	"slices"
	"testing"
)

// TestFifoKeepsOrderAcrossGrowthAndWrap pushes and drains in uneven steps
// so the ring wraps around before and after it grows, and checks the order
// and the bound.
func TestFifoKeepsOrderAcrossGrowthAndWrap(t *testing.T) {
	var q fifo[int]
	q.init(10)
	next, want := 0, []int{}
	var got []int
	for _, step := range []struct{ push, drainAfter int }{{3, 0}, {0, 1}, {3, 0}, {4, 1}, {2, 1}, {9, 1}} {
		for range step.push {
			if !q.tryPush(next) {
				t.Fatalf("tryPush(%d) refused with %d of 10 queued", next, q.len())
			}
			want = append(want, next)
			next++
		}
		if step.drainAfter > 0 {
			got = q.drain(got)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("drained %v, want %v", got, want)
	}
	if len(q.ring) > 10 {
		t.Errorf("ring grew to %d slots, past the bound of 10", len(q.ring))
	}
}

func TestFifoBound(t *testing.T) {
	var q fifo[int]
	q.init(3)
	for i := range 3 {
		if !q.tryPush(i) {
			t.Fatalf("tryPush(%d) refused below the bound", i)
		}
	}
	if q.tryPush(3) {
		t.Error("tryPush took a fourth item into a queue bounded at 3")
	}
	if dropped := q.pushDroppingOldest(4); dropped != 1 {
		t.Errorf("pushDroppingOldest on a full queue dropped %d, want 1", dropped)
	}
	if got := q.drain(nil); !slices.Equal(got, []int{1, 2, 4}) {
		t.Errorf("drained %v, want [1 2 4]", got)
	}
	if q.len() != 0 {
		t.Errorf("len %d after drain", q.len())
	}
}

// TestFifoReleasesTakenItems: a drained or discarded slot no longer keeps
// what it held alive.
func TestFifoReleasesTakenItems(t *testing.T) {
	var q fifo[*int]
	q.init(4)
	for range 3 {
		q.tryPush(new(int))
	}
	q.drain(nil)
	q.tryPush(new(int))
	if n := q.discard(); n != 1 {
		t.Errorf("discard returned %d, want 1", n)
	}
	for i, p := range q.ring {
		if p != nil {
			t.Errorf("slot %d still holds an item after drain and discard", i)
		}
	}
}
