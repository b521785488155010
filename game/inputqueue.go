package game

// inputQueue is an input port's bounded queue: one producer (the
// connection's reader) and one consumer (the room goroutine, while the port
// is attached), no mutex. When it is full
// the producer drops the oldest input, because a newer input supersedes it
// and the client resends recent inputs anyway.
type inputQueue struct {
	ch chan Input
}

// newInputQueue returns a queue holding up to size inputs.
func newInputQueue(size int) inputQueue {
	return inputQueue{ch: make(chan Input, size)}
}

// push enqueues in without blocking and returns how many older inputs it
// dropped to make room. Only one goroutine may push.
func (q inputQueue) push(in Input) (dropped int) {
	for {
		select {
		case q.ch <- in:
			return dropped
		default:
		}
		// Full: take the oldest out. The consumer may have emptied a slot
		// meanwhile, in which case there is nothing to drop; try again.
		select {
		case <-q.ch:
			dropped++
		default:
		}
	}
}

// drain appends every queued input to dst without blocking. Only the room
// goroutine may drain.
func (q inputQueue) drain(dst []Input) []Input {
	for {
		select {
		case in := <-q.ch:
			dst = append(dst, in)
		default:
			return dst
		}
	}
}

// discard empties the queue without blocking and returns how many inputs it
// held. Either side may call it: once a port is retired, whichever side
// receives an input counts it as dropped.
func (q inputQueue) discard() (n int) {
	for {
		select {
		case <-q.ch:
			n++
		default:
			return n
		}
	}
}
