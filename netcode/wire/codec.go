package wire

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"slices"
)

// ErrMalformedDelta wraps every error ApplyDelta returns for a delta it
// cannot decode; one of the ErrDelta* errors below says which rule broke.
var ErrMalformedDelta = errors.New("malformed delta")

// The rules a packed delta can break, each wrapped in ErrMalformedDelta.
var (
	// ErrDeltaTruncated: the delta ends inside a count, an id, a mask run
	// or a value, or before the mask runs cover every listed entity.
	ErrDeltaTruncated = errors.New("truncated")
	// ErrDeltaVarint: a varint is longer than 10 bytes or overflows 64 bits.
	ErrDeltaVarint = errors.New("varint overflows")
	// ErrDeltaValue: a value delta does not fit 32 bits.
	ErrDeltaValue = errors.New("value out of range")
	// ErrDeltaCount: a count is larger than the remaining bytes could hold.
	ErrDeltaCount = errors.New("count exceeds remaining bytes")
	// ErrDeltaMaskRun: a mask run has length 0 or runs past the changed count.
	ErrDeltaMaskRun = errors.New("bad mask run")
	// ErrDeltaMask: a mask has a bit at or beyond the row width.
	ErrDeltaMask = errors.New("mask bit beyond row width")
	// ErrDeltaIDZero: an id is 0, which no entity uses.
	ErrDeltaIDZero = errors.New("id 0")
	// ErrDeltaIDOrder: ids are not strictly ascending (an id gap of 0).
	ErrDeltaIDOrder = errors.New("ids not ascending")
	// ErrDeltaIDOverflow: an id gap takes the id past 2^32-1.
	ErrDeltaIDOverflow = errors.New("id exceeds 32 bits")
	// ErrDeltaKind: a listed entity's resulting row has a kind the layout
	// does not declare, or a nonzero value past its kind's fields.
	ErrDeltaKind = errors.New("row not valid for its kind")
	// ErrDeltaRemoveUnknown: a removed id is not in the baseline.
	ErrDeltaRemoveUnknown = errors.New("removed id not in base")
	// ErrDeltaRemoveChanged: an id is listed as both changed and removed.
	ErrDeltaRemoveChanged = errors.New("id both changed and removed")
	// ErrDeltaTrailing: bytes follow the removed-id column.
	ErrDeltaTrailing = errors.New("trailing bytes")
)

// zeroRow is all zero and one longer than the widest row: the "old" row
// of a created entity, and the id and row a decoded one starts from.
var zeroRow [2 + MaxFields]int32

// rowMask returns the bit set of the row values in which t differs from
// old (bit i for value i: bit 0 the kind, bit i >= 1 the kind's field i);
// old must be at least as long as t.
func rowMask(old, t []int32) uint64 {
	old = old[:len(t)]
	var m uint64
	for f, v := range t {
		if v != old[f] {
			m |= 1 << (f & 63) // the mask spares Go's check for shifts past 63
		}
	}
	return m
}

// rowsData returns r's entities as one slice, 1+Width int32s per entity,
// and nil for nil rows or rows without a layout.
func rowsData(r *Rows) []int32 {
	if r == nil || r.layout == nil {
		return nil
	}
	return r.data
}

// changeWalk merge-walks target against base (both rows data of stride s)
// and yields the entities the delta lists: created ones (old is -1: an
// all-zero row) and existing ones with at least one changed value. It also
// counts target entities found in base, which gives the number of
// removals without another walk.
type changeWalk struct {
	base, target []int32
	s            int
	i, j         int // offsets of the next base and target entity
	matched      int
	// changedOnly spares the masks when only which entities are listed
	// matters: next compares whole rows and returns mask 1 for every one.
	changedOnly bool
}

// next returns the offsets in target and base of the next listed entity
// (old -1 for a created one) and its value mask.
func (w *changeWalk) next() (t, old int, mask uint64, ok bool) {
	s := w.s
	for w.j < len(w.target) {
		t = w.j
		w.j += s
		id := uint32(w.target[t])
		for w.i < len(w.base) && uint32(w.base[w.i]) < id {
			w.i += s
		}
		if w.i < len(w.base) && uint32(w.base[w.i]) == id {
			old = w.i
			w.i += s
			w.matched++
			if w.changedOnly {
				if !slices.Equal(w.base[old:old+s], w.target[t:t+s]) {
					return t, old, 1, true
				}
				continue
			}
			if m := rowMask(w.base[old+1:old+s], w.target[t+1:t+s]); m != 0 {
				return t, old, m, true
			}
			continue // unchanged: costs nothing
		}
		if w.changedOnly {
			return t, -1, 1, true
		}
		return t, -1, rowMask(zeroRow[:], w.target[t+1:t+s]), true
	}
	return 0, 0, 0, false
}

// removeWalk merge-walks base against target and yields base ids that
// target no longer has.
type removeWalk struct {
	base, target []int32
	s            int
	i, j         int
}

// next returns the next removed id.
func (w *removeWalk) next() (uint32, bool) {
	for w.i < len(w.base) {
		id := uint32(w.base[w.i])
		w.i += w.s
		for w.j < len(w.target) && uint32(w.target[w.j]) < id {
			w.j += w.s
		}
		if w.j < len(w.target) && uint32(w.target[w.j]) == id {
			continue
		}
		return id, true
	}
	return 0, false
}

// EncodeDelta appends to dst the packed delta that turns base into target.
// A nil or empty base gives a full snapshot. base and target must have the
// same width; EncodeDelta panics otherwise, as the caller mixed up rows of
// two schemas.
//
// The layout (docs/protocol.md) is columnar: a count, the listed ids as
// gaps, the value masks run-length encoded as (length, mask) pairs, the
// zigzag varint value deltas, then the removed ids as gaps. Unchanged
// entities cost nothing and identical worlds encode to the two bytes 00 00.
func EncodeDelta(dst []byte, base, target *Rows) []byte {
	bd, td := rowsData(base), rowsData(target)
	s := 0
	switch {
	case target != nil && target.layout != nil:
		s = target.stride()
		if base != nil && base.layout != nil && base.stride() != s {
			panic(fmt.Sprintf("wire: EncodeDelta from rows of width %d to rows of width %d", base.Width(), target.Width()))
		}
	case base != nil && base.layout != nil:
		s = base.stride()
	}
	nBase := 0
	if s > 0 {
		nBase = len(bd) / s
	}

	// The count comes first, so the changes are found before anything is
	// written. Up to encodeBatch of them are kept on the stack and written
	// from there; past that, each column walks the rows again, batch by
	// batch, which stays allocation-free at any size.
	var batch [encodeBatch]change
	nChanged := 0
	cw := changeWalk{base: bd, target: td, s: s}
	for t, old, m, ok := cw.next(); ok; t, old, m, ok = cw.next() {
		if nChanged < encodeBatch {
			batch[nChanged] = change{t: t, old: old, mask: m}
		}
		nChanged++
		// Past a batch only the count matters here.
		cw.changedOnly = nChanged >= encodeBatch
	}
	nRemoved := nBase - cw.matched
	// A moving entity takes about 3 bytes plus its share of the mask runs;
	// growing once avoids repeated reallocation when dst starts empty.
	dst = slices.Grow(dst, 4+4*nChanged+2*nRemoved)

	dst = binary.AppendUvarint(dst, uint64(nChanged))
	if nChanged <= encodeBatch {
		cs := batch[:nChanged]
		dst, _ = appendIDs(dst, td, cs, 0)
		var runs maskRuns
		dst = runs.flush(runs.add(dst, cs))
		dst = appendValueDeltas(dst, bd, td, cs)
	} else {
		dst = appendChangesWalking(dst, bd, td, s, &batch)
	}

	dst = binary.AppendUvarint(dst, uint64(nRemoved))
	if nRemoved > 0 {
		var prev uint32
		rw := removeWalk{base: bd, target: td, s: s}
		for id, ok := rw.next(); ok; id, ok = rw.next() {
			dst = binary.AppendUvarint(dst, uint64(id-prev))
			prev = id
		}
	}
	return dst
}

// encodeBatch is how many changes EncodeDelta keeps on its stack: more
// than a typical room changes per snapshot.
const encodeBatch = 64

// change is one listed entity: its offsets in target and base (-1 for a
// created one) and its value mask.
type change struct {
	t, old int
	mask   uint64
}

// appendIDs appends the id gaps of cs, the first one from prev, and
// returns the last id.
func appendIDs(dst []byte, target []int32, cs []change, prev uint32) ([]byte, uint32) {
	for k := range cs {
		id := uint32(target[cs[k].t])
		dst = binary.AppendUvarint(dst, uint64(id-prev))
		prev = id
	}
	return dst, prev
}

// maskRuns run-length encodes the mask column: masks are added in order,
// one per listed entity, and each maximal run of equal masks is written as
// the varint run length followed by the varint mask. Players moving in a
// room mostly share one mask (x|y), so the column costs 2 bytes per run (a
// few per snapshot) instead of one or more bytes per entity.
type maskRuns struct {
	mask uint64
	n    uint64
}

// add appends the runs that the masks of cs end; the last run stays
// pending until a different mask or flush.
func (r *maskRuns) add(dst []byte, cs []change) []byte {
	for k := range cs {
		m := cs[k].mask
		if r.n > 0 && m != r.mask {
			dst = r.flush(dst)
		}
		r.mask = m
		r.n++
	}
	return dst
}

// flush appends the pending run, if any.
func (r *maskRuns) flush(dst []byte) []byte {
	if r.n == 0 {
		return dst
	}
	dst = binary.AppendUvarint(dst, r.n)
	dst = binary.AppendUvarint(dst, r.mask)
	r.n = 0
	return dst
}

// appendValueDeltas appends, for each change in order, the zigzag varint
// deltas of the values its mask names. Values are indexed in place rather
// than through a slice per row, which keeps this loop as cheap as it was
// for fixed-size entities.
func appendValueDeltas(dst []byte, base, target []int32, cs []change) []byte {
	for k := range cs {
		c := &cs[k]
		for m := c.mask; m != 0; m &= m - 1 {
			f := 1 + bits.TrailingZeros64(m) // past the id
			var old int32
			if c.old >= 0 {
				old = base[c.old+f]
			}
			// uint32 arithmetic wraps, so any pair of int32 values has a
			// delta that round-trips.
			d := uint32(target[c.t+f]) - uint32(old)
			dst = binary.AppendUvarint(dst, uint64(zigzag(int32(d))))
		}
	}
	return dst
}

// appendChangesWalking appends the id, mask-run and value columns when
// there are more changes than one batch holds: each column walks the rows
// again, a batch of changes at a time, the id column without masks.
func appendChangesWalking(dst []byte, base, target []int32, s int, batch *[encodeBatch]change) []byte {
	var prev uint32
	cw := changeWalk{base: base, target: target, s: s, changedOnly: true}
	for cs := cw.fill(batch[:]); len(cs) > 0; cs = cw.fill(batch[:]) {
		dst, prev = appendIDs(dst, target, cs, prev)
	}
	var runs maskRuns
	cw = changeWalk{base: base, target: target, s: s}
	for cs := cw.fill(batch[:]); len(cs) > 0; cs = cw.fill(batch[:]) {
		dst = runs.add(dst, cs)
	}
	dst = runs.flush(dst)
	cw = changeWalk{base: base, target: target, s: s}
	for cs := cw.fill(batch[:]); len(cs) > 0; cs = cw.fill(batch[:]) {
		dst = appendValueDeltas(dst, base, target, cs)
	}
	return dst
}

// fill puts the next changes into batch, as many as fit, and returns the
// filled part; it is empty when the walk is done.
func (w *changeWalk) fill(batch []change) []change {
	n := 0
	for n < len(batch) {
		t, old, m, ok := w.next()
		if !ok {
			break
		}
		batch[n] = change{t: t, old: old, mask: m}
		n++
	}
	return batch[:n]
}
