package client

import (
	"math"

	"github.com/tickwire/tickwire/netcode/wire"
)

// interpFrames is how many snapshots an Interpolator keeps. It must stay
// below the replica's size: the Client hands it replica states without
// copying, and the replica reuses a state's memory only once it is that many
// states old.
const interpFrames = 16

// interpFrame is one snapshot on the interpolation timeline.
type interpFrame struct {
	timeUS   int64
	entities []wire.Entity
}

// Interpolator keeps the newest few snapshots with their server times and
// renders the world at any server time between them. It keeps the entity
// slices it is given without copying: callers must not modify them while
// they may still be held (the newest 16). Not safe for concurrent use.
type Interpolator struct {
	frames [interpFrames]interpFrame
	n      int // frames held
	next   int // slot of the next Push
}

// Push adds a snapshot taken at serverTimeUS. A snapshot not newer than the
// newest one held is ignored and reported false: the timeline only moves
// forward.
func (ip *Interpolator) Push(serverTimeUS int64, entities []wire.Entity) bool {
	if ip.n > 0 && serverTimeUS <= ip.frame(ip.n-1).timeUS {
		return false
	}
	ip.frames[ip.next] = interpFrame{timeUS: serverTimeUS, entities: entities}
	ip.next = (ip.next + 1) % interpFrames
	if ip.n < interpFrames {
		ip.n++
	}
	return true
}

// Reset forgets every snapshot, for a new room.
func (ip *Interpolator) Reset() { *ip = Interpolator{} }

// Len returns how many snapshots are held.
func (ip *Interpolator) Len() int { return ip.n }

// frame returns the i-th held frame, oldest first.
func (ip *Interpolator) frame(i int) *interpFrame {
	return &ip.frames[(ip.next-ip.n+i+interpFrames)%interpFrames]
}

// Sample appends to dst the world at server time renderUS: between the two
// snapshots around it, interpolated; before the oldest, the oldest; after
// the newest, the newest (it never extrapolates). With nothing held it
// returns dst unchanged.
func (ip *Interpolator) Sample(dst []wire.Entity, renderUS int64) []wire.Entity {
	if ip.n == 0 {
		return dst
	}
	if renderUS <= ip.frame(0).timeUS {
		return append(dst, ip.frame(0).entities...)
	}
	newest := ip.frame(ip.n - 1)
	if renderUS >= newest.timeUS {
		return append(dst, newest.entities...)
	}
	// Few frames: a linear scan from the newest end is cheapest.
	for i := ip.n - 1; i > 0; i-- {
		a, b := ip.frame(i-1), ip.frame(i)
		if renderUS >= a.timeUS {
			t := float64(renderUS-a.timeUS) / float64(b.timeUS-a.timeUS)
			return InterpolateEntities(dst, a.entities, b.entities, t)
		}
	}
	return append(dst, ip.frame(0).entities...) // unreachable: frame(0) bounds renderUS
}

// InterpolateEntities appends to dst the blend of two snapshots at t in
// [0, 1] (0 = from, 1 = to). Both must be sorted by ID. An entity in both
// gets X and Y interpolated linearly and its angle along the shorter arc,
// every other field from to; an entity only in to appears as it is in to;
// an entity only in from was removed and is left out. An entity whose kind
// changed between the two (an ID reused) is taken from to unblended.
func InterpolateEntities(dst, from, to []wire.Entity, t float64) []wire.Entity {
	t = math.Max(0, math.Min(1, t))
	i := 0
	for _, b := range to {
		for i < len(from) && from[i].ID < b.ID {
			i++ // removed in to: hidden
		}
		if i < len(from) && from[i].ID == b.ID && from[i].Fields[wire.FieldKind] == b.Fields[wire.FieldKind] {
			a := &from[i]
			b.Fields[wire.FieldX] = LerpInt32(a.Fields[wire.FieldX], b.Fields[wire.FieldX], t)
			b.Fields[wire.FieldY] = LerpInt32(a.Fields[wire.FieldY], b.Fields[wire.FieldY], t)
			b.Fields[wire.FieldAngle] = LerpAngle(a.Fields[wire.FieldAngle], b.Fields[wire.FieldAngle], t)
		}
		dst = append(dst, b)
	}
	return dst
}

// LerpInt32 interpolates linearly from a to b at t, rounding to nearest.
func LerpInt32(a, b int32, t float64) int32 {
	return int32(math.Round(float64(a) + (float64(b)-float64(a))*t))
}

// LerpAngle interpolates from angle a to angle b (in 1/AngleSteps turns)
// along the shorter arc at t, returning a value in 0..AngleSteps-1. When the
// two are exactly half a turn apart it turns counter-clockwise (increasing).
func LerpAngle(a, b int32, t float64) int32 {
	// int64 so out-of-range angles from a buggy game cannot overflow.
	d := ((int64(b)-int64(a))%wire.AngleSteps + wire.AngleSteps) % wire.AngleSteps // 0..AngleSteps-1
	if d > wire.AngleSteps/2 {
		d -= wire.AngleSteps // the other way round is shorter
	}
	v := int64(math.Round(float64(a) + float64(d)*t))
	return int32((v%wire.AngleSteps + wire.AngleSteps) % wire.AngleSteps)
}
