package netcode

import "sync"

// reliableQueue holds a connection's marshaled reliable messages in order,
// up to a bound. It is a slice that grows as messages wait rather than a
// channel, whose buffer would be allocated whole for every connection:
// most connections have none or a few messages waiting at any moment.
type reliableQueue struct {
	mu     sync.Mutex
	frames [][]byte
	head   int // index of the oldest frame in frames
	max    int
}

// push appends frame unless max frames are waiting already.
func (q *reliableQueue) push(frame []byte) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.frames)-q.head >= q.max {
		return false
	}
	q.frames = append(q.frames, frame)
	return true
}

// pop takes the oldest frame, if any.
func (q *reliableQueue) pop() ([]byte, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.head == len(q.frames) {
		return nil, false
	}
	frame := q.frames[q.head]
	q.frames[q.head] = nil // the writer owns it now
	q.head++
	if q.head == len(q.frames) {
		q.frames, q.head = q.frames[:0], 0
	}
	return frame, true
}
