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
	timeUS int64
	rows   *wire.Rows
}

// Interpolator keeps the newest few snapshots with their server times and
// renders the world at any server time between them, blending each field
// as the schema's interpolation hint says. It keeps the rows it is given
// without copying: callers must not modify them while they may still be
// held (the newest 16). Not safe for concurrent use.
type Interpolator struct {
	schema *wire.Schema
	frames [interpFrames]interpFrame
	n      int // frames held
	next   int // slot of the next Push
}

// Push adds a snapshot taken at serverTimeUS. A snapshot not newer than the
// newest one held is ignored and reported false: the timeline only moves
// forward.
func (ip *Interpolator) Push(serverTimeUS int64, rows *wire.Rows) bool {
	if ip.n > 0 && serverTimeUS <= ip.frame(ip.n-1).timeUS {
		return false
	}
	ip.frames[ip.next] = interpFrame{timeUS: serverTimeUS, rows: rows}
	ip.next = (ip.next + 1) % interpFrames
	if ip.n < interpFrames {
		ip.n++
	}
	return true
}

// Reset forgets every snapshot and takes schema s for the ones to come. An
// Interpolator without a schema (the zero value, or s nil) blends nothing:
// between two snapshots it shows the newer.
func (ip *Interpolator) Reset(s *wire.Schema) { *ip = Interpolator{schema: s} }

// Len returns how many snapshots are held.
func (ip *Interpolator) Len() int { return ip.n }

// frame returns the i-th held frame, oldest first.
func (ip *Interpolator) frame(i int) *interpFrame {
	return &ip.frames[(ip.next-ip.n+i+interpFrames)%interpFrames]
}

// Sample fills dst with the world at server time renderUS: the blend of
// the two snapshots around it, or the oldest (newest) snapshot as it is
// when renderUS is before (after) every one held. It leaves dst empty when
// nothing is held.
func (ip *Interpolator) Sample(dst *wire.Rows, renderUS int64) {
	dst.Reset()
	if ip.n == 0 {
		return
	}
	if renderUS <= ip.frame(0).timeUS {
		dst.CopyFrom(ip.frame(0).rows)
		return
	}
	newest := ip.frame(ip.n - 1)
	if renderUS >= newest.timeUS {
		dst.CopyFrom(newest.rows)
		return
	}
	for i := ip.n - 1; i > 0; i-- {
		a, b := ip.frame(i-1), ip.frame(i)
		if renderUS >= a.timeUS {
			t := float64(renderUS-a.timeUS) / float64(b.timeUS-a.timeUS)
			InterpolateRows(dst, a.rows, b.rows, t, ip.schema)
			return
		}
	}
}

// InterpolateRows fills dst with the blend of two snapshots at t in [0, 1]
// (0 = from, 1 = to). An entity in both gets each field blended as its
// schema field's hint says (linear, angle along the shorter arc, or none:
// the value of to); an entity only in to appears as it is in to; an entity
// only in from was removed and is left out. An entity whose kind changed
// between the two (an id reused), or whose kind s does not declare, is
// taken from to unblended; with a nil s every entity is.
func InterpolateRows(dst, from, to *wire.Rows, t float64, s *wire.Schema) {
	t = math.Max(0, math.Min(1, t))
	dst.CopyFrom(to)
	if s == nil {
		return // no hints: an Interpolator never given a schema
	}
	i := 0
	for k := range dst.Len() {
		id := dst.ID(k)
		for i < from.Len() && from.ID(i) < id {
			i++ // removed in to: hidden
		}
		if i >= from.Len() || from.ID(i) != id || from.Kind(i) != dst.Kind(k) {
			continue
		}
		kind := s.Kind(dst.Kind(k))
		if kind == nil {
			continue
		}
		a, b := from.Fields(i), dst.Fields(k)
		for f := range kind.Fields {
			if f >= len(a) || f >= len(b) {
				break
			}
			switch fs := &kind.Fields[f]; fs.Interp {
			case wire.InterpLinear:
				b[f] = LerpInt32(a[f], b[f], t)
			case wire.InterpAngle:
				b[f] = LerpAngle(a[f], b[f], fs.Scale, t)
			}
		}
	}
}

// LerpInt32 blends a and b at t, rounding to nearest.
func LerpInt32(a, b int32, t float64) int32 {
	return int32(math.Round(float64(a) + (float64(b)-float64(a))*t))
}

// LerpAngle blends two angles of steps per turn along the shorter arc,
// returning a value in 0..steps-1.
func LerpAngle(a, b, steps int32, t float64) int32 {
	if steps <= 0 {
		return b
	}
	s := int64(steps)
	d := ((int64(b)-int64(a))%s + s) % s // 0..steps-1
	if d > s/2 {
		d -= s // the other way round is shorter
	}
	v := int64(math.Round(float64(a) + float64(d)*t))
	return int32((v%s + s) % s)
}
