package game

import "sync"

// fifo is a bounded first-in, first-out queue that any goroutine may use.
// Its ring starts small and doubles up to the bound as items pile up, so a
// queue that is drained every tick (as input and talk queues are) holds a
// few slots rather than its bound: a room of a thousand idle seats does not
// pay for a thousand full queues.
type fifo[T any] struct {
	mu   sync.Mutex
	ring []T
	head int // index of the oldest item
	n    int // items queued
	max  int // bound on n
}

// fifoFirstSlots is the ring's size when the first item arrives.
const fifoFirstSlots = 4

// init sets the bound; it must run before the queue is shared.
func (q *fifo[T]) init(max int) { q.max = max }

// tryPush appends v and reports whether there was room for it.
func (q *fifo[T]) tryPush(v T) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.n >= q.max {
		return false
	}
	q.appendLocked(v)
	return true
}

// pushDroppingOldest appends v, first dropping the oldest item when the
// queue is full, and returns how many it dropped (0 or 1).
func (q *fifo[T]) pushDroppingOldest(v T) (dropped int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.n >= q.max {
		q.takeOldestLocked()
		dropped = 1
	}
	q.appendLocked(v)
	return dropped
}

// appendLocked adds v at the tail, growing the ring when it is full.
func (q *fifo[T]) appendLocked(v T) {
	if q.n == len(q.ring) {
		grown := make([]T, min(max(2*len(q.ring), fifoFirstSlots), q.max))
		for i := range q.n {
			grown[i] = q.ring[(q.head+i)%len(q.ring)]
		}
		q.ring, q.head = grown, 0
	}
	q.ring[(q.head+q.n)%len(q.ring)] = v
	q.n++
}

// drain appends every queued item to dst, oldest first, and empties the
// queue.
func (q *fifo[T]) drain(dst []T) []T {
	q.mu.Lock()
	defer q.mu.Unlock()
	for range q.n {
		dst = append(dst, q.ring[q.head])
		q.takeOldestLocked()
	}
	return dst
}

// discard empties the queue and returns how many items it held.
func (q *fifo[T]) discard() (n int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	n = q.n
	for range n {
		q.takeOldestLocked()
	}
	return n
}

// takeOldestLocked forgets the oldest item, clearing its slot so the ring
// keeps nothing it no longer holds alive.
func (q *fifo[T]) takeOldestLocked() {
	var zero T
	q.ring[q.head] = zero
	q.head = (q.head + 1) % len(q.ring)
	q.n--
}

// len returns how many items are queued.
func (q *fifo[T]) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.n
}
