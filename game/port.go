package game

import (
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// InputPort is one connection's way into its seat: Join and Resume hand a
// fresh one to each connection attached to a seat, and its reader feeds the
// room through it (PushInputs, Ack, RequestResync), never blocking. A
// Resume, Disconnect, Leave or Kick retires the port: from then on its
// inputs are dropped and counted, and its acks no longer choose any
// snapshot's baseline, so a lingering reader of a replaced connection
// cannot reach the game or the connection that replaced it.
type InputPort struct {
	seat *Seat
	// queue holds the inputs the port's reader took and the room has not
	// drained yet. When it is full the reader drops the oldest input,
	// because a newer one supersedes it and the client resends recent
	// inputs anyway.
	queue fifo[Input]
	// highest is the highest seq queued through this port; it starts at
	// the seat's last applied seq, so that a resumed client's resent,
	// unapplied inputs are taken. Owned by the port's reader.
	highest uint32
	acks    acks
	// talk is when this connection was last told of a chat or game
	// message refusal (the budgets are the seat's); owned by the port's
	// reader.
	talk portTalk
	// state is portAttached, or why the port was retired.
	state atomic.Int32
}

// acks is what a connection tells the room about the snapshots it holds.
// The seat points at its current port's acks; the room reads them only
// through the seat.
type acks struct {
	ack    atomic.Uint32 // highest snapshot tick the client applied
	resync atomic.Bool   // the client asked for a full snapshot
}

// States of an InputPort: attached, or retired for a reason that names the
// tickwire_inputs_dropped_total reason of its later inputs.
const (
	portAttached int32 = iota
	// portDisconnected: Disconnect, the connection dropped.
	portDisconnected
	// portReplaced: Resume attached another connection to the seat.
	portReplaced
	// portLeft: Leave or Kick gave the seat up (see release).
	portLeft
)

// newPort returns an attached port of seat with an input queue of
// queueSize. Room goroutine only (it reads the seat's last applied seq).
func newPort(seat *Seat, queueSize int) *InputPort {
	p := &InputPort{seat: seat, highest: seat.lastApplied.Load()}
	p.queue.init(queueSize)
	return p
}

// Seat returns the seat the port feeds.
func (p *InputPort) Seat() *Seat { return p.seat }

// Attached reports whether the room still takes the port's inputs: false
// once a Resume, Disconnect, Leave or Kick has retired it.
func (p *InputPort) Attached() bool { return p.state.Load() == portAttached }

// Released reports whether the room has released the port's seat (Leave,
// Kick) while the port was the seat's current or last one: a lobby that
// still keeps the port learns from it that a kick took the seat.
func (p *InputPort) Released() bool { return p.state.Load() == portLeft }

// PushInputs checks inputs (oldest first, see checkInput) and queues them
// for the next tick; when the queue is full the oldest queued input is
// dropped. Of a batch larger than the room's MaxBatchInputs only the
// newest are taken. Inputs of a retired port are dropped. Every drop is
// counted in tickwire_inputs_dropped_total. Only the connection's reader
// may call it.
func (p *InputPort) PushInputs(inputs []*pb.Input) {
	pushInputs(p, inputs, func(in **pb.Input) (uint32, []int32, int) {
		return (*in).GetSeq(), (*in).GetValues(), len((*in).GetValues())
	})
}

// PushDecodedInputs is PushInputs for inputs decoded by
// wire.DecodeInputFrame, which the connection's reader reuses: nothing of
// them is kept past the call.
func (p *InputPort) PushDecodedInputs(inputs []wire.ClientInput) {
	pushInputs(p, inputs, func(in *wire.ClientInput) (uint32, []int32, int) {
		return in.Seq, in.Stored(), in.NValues
	})
}

// pushInputs is PushInputs over inputs of either form; fields returns an
// input's seq, its values and how many values it carried.
func pushInputs[T any](p *InputPort, inputs []T, fields func(*T) (seq uint32, values []int32, n int)) {
	if why := p.state.Load(); why != portAttached {
		p.drop(why, len(inputs))
		return
	}
	if extra := len(inputs) - p.seat.rules.maxBatch; extra > 0 {
		// Each input costs the room work; a newer input supersedes an
		// older one, so the newest are the ones worth keeping.
		droppedBatchOverflow.Add(float64(extra))
		p.seat.dropped.Add(uint64(extra))
		inputs = inputs[extra:]
	}
	for i := range inputs {
		seq, values, count := fields(&inputs[i])
		v, verdict := checkInput(seq, values, count, p.highest, p.seat.rules)
		switch verdict {
		case inputDuplicate:
			droppedDuplicate.Inc()
			continue
		case inputInvalid:
			droppedInvalid.Inc()
			p.seat.dropped.Add(1)
			continue
		case inputSeqJump:
			droppedSeqJump.Inc()
			p.seat.dropped.Add(1)
			continue
		}
		p.highest = v.Seq
		if n := p.queue.pushDroppingOldest(v); n > 0 {
			droppedQueueFull.Add(float64(n))
			p.seat.dropped.Add(uint64(n))
		}
	}
	// Retired meanwhile: the room may have emptied the queue before these
	// arrived and will not look at it again, so take them out here. An
	// input is taken out (and counted) once, by whichever side gets it.
	if !p.Attached() {
		p.flush()
	}
}

// Ack records that the client applied the snapshot of tick; older acks than
// the newest one are ignored (messages may be reordered by redundancy), and
// so is an ack of a tick the seat was never offered: acks only grow, so
// taking it would leave every later, true ack ignored.
func (p *InputPort) Ack(tick uint32) {
	if tick > p.seat.lastSent.Load() {
		acksIgnoredAhead.Inc()
		return
	}
	for {
		old := p.acks.ack.Load()
		if tick <= old || p.acks.ack.CompareAndSwap(old, tick) {
			return
		}
	}
}

// RequestResync makes the next snapshot of this connection a full one, and
// stops the room from using any baseline acknowledged before it.
func (p *InputPort) RequestResync() { p.acks.resync.Store(true) }

// retire retires the port for why, unless it was retired already (the
// first reason sticks: the callers of Disconnect and Leave retire the port
// before the room runs its part), and drops what its queue holds.
func (p *InputPort) retire(why int32) {
	p.state.CompareAndSwap(portAttached, why)
	p.flush()
}

// release records that the room released the seat of its current or last
// port (Leave, Kick), whatever retired the port before. Room goroutine
// only.
func (p *InputPort) release() {
	p.state.Store(portLeft)
	p.flush()
}

// flush drops what the queue of a retired port holds.
func (p *InputPort) flush() {
	p.drop(p.state.Load(), p.queue.discard())
}

// drop counts n inputs of the port dropped because it was retired for why.
func (p *InputPort) drop(why int32, n int) {
	if n == 0 {
		return
	}
	retiredDrops(why).Add(float64(n))
	p.seat.dropped.Add(uint64(n))
}

// retiredDrops returns the drop counter of a port retired for why.
func retiredDrops(why int32) prometheus.Counter {
	switch why {
	case portReplaced:
		return droppedReplaced
	case portLeft:
		return droppedLeft
	default:
		return droppedDisconnected
	}
}
