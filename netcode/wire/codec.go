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
	// ErrDeltaValue: a field delta does not fit 32 bits.
	ErrDeltaValue = errors.New("value out of range")
	// ErrDeltaCount: a count is larger than the remaining bytes could hold.
	ErrDeltaCount = errors.New("count exceeds remaining bytes")
	// ErrDeltaMaskRun: a mask run has length 0 or runs past the changed count.
	ErrDeltaMaskRun = errors.New("bad mask run")
	// ErrDeltaIDZero: an id is 0, which no entity uses.
	ErrDeltaIDZero = errors.New("id 0")
	// ErrDeltaIDOrder: ids are not strictly ascending (an id gap of 0).
	ErrDeltaIDOrder = errors.New("ids not ascending")
	// ErrDeltaIDOverflow: an id gap takes the id past 2^32-1.
	ErrDeltaIDOverflow = errors.New("id exceeds 32 bits")
	// ErrDeltaRemoveUnknown: a removed id is not in the baseline.
	ErrDeltaRemoveUnknown = errors.New("removed id not in base")
	// ErrDeltaRemoveChanged: an id is listed as both changed and removed.
	ErrDeltaRemoveChanged = errors.New("id both changed and removed")
	// ErrDeltaTrailing: bytes follow the removed-id column.
	ErrDeltaTrailing = errors.New("trailing bytes")
)

// zeroEntity is the "old" side of a created entity: all fields zero.
var zeroEntity Entity

// fieldMask returns the bit set of fields in which t differs from old.
func fieldMask(old, t *Entity) uint8 {
	var m uint8
	for i := range FieldCount {
		if t.Fields[i] != old.Fields[i] {
			m |= 1 << i
		}
	}
	return m
}

// changeWalk merge-walks target against base and yields the entities the
// delta lists: created ones (old is zeroEntity) and existing ones with at
// least one changed field. It also counts target entities found in base,
// which gives the number of removals without another walk.
type changeWalk struct {
	base, target []Entity
	i, j         int
	matched      int
}

// next returns the next listed entity, its old state and its field mask.
func (w *changeWalk) next() (t, old *Entity, mask uint8, ok bool) {
	for w.j < len(w.target) {
		t = &w.target[w.j]
		w.j++
		for w.i < len(w.base) && w.base[w.i].ID < t.ID {
			w.i++
		}
		if w.i < len(w.base) && w.base[w.i].ID == t.ID {
			old = &w.base[w.i]
			w.i++
			w.matched++
			if old.Fields == t.Fields {
				continue // unchanged: costs nothing
			}
			return t, old, fieldMask(old, t), true
		}
		return t, &zeroEntity, fieldMask(&zeroEntity, t), true
	}
	return nil, nil, 0, false
}

// removeWalk merge-walks base against target and yields base ids that
// target no longer has.
type removeWalk struct {
	base, target []Entity
	i, j         int
}

// next returns the next removed id.
func (w *removeWalk) next() (uint32, bool) {
	for w.i < len(w.base) {
		id := w.base[w.i].ID
		w.i++
		for w.j < len(w.target) && w.target[w.j].ID < id {
			w.j++
		}
		if w.j < len(w.target) && w.target[w.j].ID == id {
			continue
		}
		return id, true
	}
	return 0, false
}

// EncodeDelta appends to dst the packed delta that turns base into target.
// Both slices are sorted by ID ascending with unique IDs; an empty base
// gives a full snapshot.
//
// The layout (docs/protocol.md) is columnar: a count, the listed ids
// as gaps, the field masks run-length encoded as (length, mask) pairs, the
// zigzag varint field deltas, then the removed ids as gaps. Unchanged
// entities cost nothing and identical worlds encode to the two bytes 00 00.
func EncodeDelta(dst []byte, base, target []Entity) []byte {
	// The count comes first, so the changes are found before anything is
	// written. Up to encodeBatch of them are kept on the stack and written
	// from there; past that, each column walks the slices again, which
	// stays allocation-free at any size.
	var batch [encodeBatch]change
	nChanged := 0
	cw := changeWalk{base: base, target: target}
	for t, old, m, ok := cw.next(); ok; t, old, m, ok = cw.next() {
		if nChanged < encodeBatch {
			batch[nChanged] = change{t: t, old: old, mask: m}
		}
		nChanged++
	}
	nRemoved := len(base) - cw.matched
	// A moving entity takes about 3 bytes plus its share of the mask runs;
	// growing once avoids repeated reallocation when dst starts empty.
	dst = slices.Grow(dst, 4+4*nChanged+2*nRemoved)

	dst = binary.AppendUvarint(dst, uint64(nChanged))
	if nChanged <= encodeBatch {
		dst = appendChanges(dst, batch[:nChanged])
	} else {
		dst = appendChangesWalking(dst, base, target)
	}

	dst = binary.AppendUvarint(dst, uint64(nRemoved))
	if nRemoved > 0 {
		var prev uint32
		rw := removeWalk{base: base, target: target}
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

// change is one listed entity: its new and old state and field mask.
type change struct {
	t, old *Entity
	mask   uint8
}

// appendFieldDeltas appends the zigzag varint deltas of the fields in mask.
func appendFieldDeltas(dst []byte, t, old *Entity, mask uint8) []byte {
	for ; mask != 0; mask &= mask - 1 {
		f := bits.TrailingZeros8(mask)
		// uint32 arithmetic wraps, so any pair of int32 values has a delta
		// that round-trips.
		d := uint32(t.Fields[f]) - uint32(old.Fields[f])
		dst = binary.AppendUvarint(dst, uint64(zigzag(int32(d))))
	}
	return dst
}

// maskRuns run-length encodes the mask column: masks are added one per
// listed entity, and each maximal run of equal masks is written as the
// varint run length followed by the mask byte. Players moving in a room
// mostly share one mask (x|y), so the column costs 2 bytes per run (a few
// per snapshot) instead of one byte per entity.
type maskRuns struct {
	mask uint8
	n    uint64
}

// add appends the run that mask m ends, if any, and counts m.
func (r *maskRuns) add(dst []byte, m uint8) []byte {
	if r.n > 0 && m != r.mask {
		dst = r.flush(dst)
	}
	r.mask = m
	r.n++
	return dst
}

// flush appends the pending run, if any.
func (r *maskRuns) flush(dst []byte) []byte {
	if r.n == 0 {
		return dst
	}
	dst = binary.AppendUvarint(dst, r.n)
	dst = append(dst, r.mask)
	r.n = 0
	return dst
}

// appendChanges appends the id, mask-run and value columns of cs.
func appendChanges(dst []byte, cs []change) []byte {
	var prev uint32
	for k := range cs {
		dst = binary.AppendUvarint(dst, uint64(cs[k].t.ID-prev))
		prev = cs[k].t.ID
	}
	var runs maskRuns
	for k := range cs {
		dst = runs.add(dst, cs[k].mask)
	}
	dst = runs.flush(dst)
	for k := range cs {
		dst = appendFieldDeltas(dst, cs[k].t, cs[k].old, cs[k].mask)
	}
	return dst
}

// appendChangesWalking appends the same columns as appendChanges, finding
// the changes again for each column.
func appendChangesWalking(dst []byte, base, target []Entity) []byte {
	var prev uint32
	cw := changeWalk{base: base, target: target}
	for t, _, _, ok := cw.next(); ok; t, _, _, ok = cw.next() {
		dst = binary.AppendUvarint(dst, uint64(t.ID-prev))
		prev = t.ID
	}
	var runs maskRuns
	cw = changeWalk{base: base, target: target}
	for _, _, m, ok := cw.next(); ok; _, _, m, ok = cw.next() {
		dst = runs.add(dst, m)
	}
	dst = runs.flush(dst)
	cw = changeWalk{base: base, target: target}
	for t, old, m, ok := cw.next(); ok; t, old, m, ok = cw.next() {
		dst = appendFieldDeltas(dst, t, old, m)
	}
	return dst
}

// deltaLayout is where each column of a validated delta starts.
type deltaLayout struct {
	nChanged, nRemoved int
	ids, masks, values int
	removed            int
}

// malformed wraps a rule error with where it broke.
func malformed(rule error, format string, args ...any) error {
	return fmt.Errorf("%w: %w: %s", ErrMalformedDelta, rule, fmt.Sprintf(format, args...))
}

// readCount reads a column count at off and refuses one that the remaining
// bytes could not hold at minBytes bytes per item plus reserve, so a hostile
// count can never size an allocation.
func readCount(b []byte, off, minBytes, reserve int, what string) (int, int, error) {
	v, next, err := readUvarint(b, off, what)
	if err != nil {
		return 0, off, err
	}
	room := len(b) - next - reserve
	if room < 0 {
		room = 0
	}
	if v > uint64(room/minBytes) {
		return 0, off, malformed(ErrDeltaCount, "%s %d at byte %d, %d bytes remain", what, v, off, len(b)-next)
	}
	return int(v), next, nil
}

// readIDs validates an id-gap column of n ids starting at off: the first id
// nonzero, each later gap nonzero, every id within 32 bits.
func readIDs(b []byte, off, n int, what string) (int, error) {
	var id uint64
	for k := range n {
		at := off
		gap, next, err := readUvarint(b, off, what)
		if err != nil {
			return off, err
		}
		off = next
		switch {
		case gap == 0 && k == 0:
			return off, malformed(ErrDeltaIDZero, "%s at byte %d", what, at)
		case gap == 0:
			return off, malformed(ErrDeltaIDOrder, "%s %d repeated at byte %d", what, id, at)
		case gap > 1<<32-1-id:
			return off, malformed(ErrDeltaIDOverflow, "%s gap %d after %d at byte %d", what, gap, id, at)
		}
		id += gap
	}
	return off, nil
}

// scanDelta checks everything about a delta that does not need the base
// and finds its columns.
func scanDelta(b []byte) (deltaLayout, error) {
	var l deltaLayout
	var err error
	off := 0
	// Each listed entity takes at least an id byte, and the removed count
	// needs one byte after them. (The mask runs need 2 bytes more when
	// nChanged > 0, which the run column checks itself.)
	if l.nChanged, off, err = readCount(b, off, 1, 1, "changed count"); err != nil {
		return l, err
	}
	l.ids = off
	if off, err = readIDs(b, off, l.nChanged, "changed id"); err != nil {
		return l, err
	}
	l.masks = off
	// The runs must cover exactly nChanged entities; together they say
	// how many values follow.
	values := 0
	for covered := 0; covered < l.nChanged; {
		at := off
		var run uint64
		if run, off, err = readUvarint(b, off, "mask run"); err != nil {
			return l, err
		}
		if run == 0 || run > uint64(l.nChanged-covered) {
			return l, malformed(ErrDeltaMaskRun, "run %d at byte %d, %d of %d entities left", run, at, l.nChanged-covered, l.nChanged)
		}
		if off >= len(b) {
			return l, malformed(ErrDeltaTruncated, "mask at byte %d", off)
		}
		covered += int(run)
		values += int(run) * bits.OnesCount8(b[off])
		off++
	}
	l.values = off
	for range values {
		if _, off, err = readUint32(b, off, "field delta"); err != nil {
			return l, err
		}
	}
	if l.nRemoved, off, err = readCount(b, off, 1, 0, "removed count"); err != nil {
		return l, err
	}
	l.removed = off
	if off, err = readIDs(b, off, l.nRemoved, "removed id"); err != nil {
		return l, err
	}
	if off != len(b) {
		return l, malformed(ErrDeltaTrailing, "%d bytes after byte %d", len(b)-off, off)
	}
	return l, nil
}

// idColumn reads back an id-gap column that scanDelta has validated.
type idColumn struct {
	b    []byte
	off  int
	left int
	id   uint32
}

// next returns the column's next id.
func (c *idColumn) next() (uint32, bool) {
	if c.left == 0 {
		return 0, false
	}
	gap, n := binary.Uvarint(c.b[c.off:])
	c.off += n
	c.left--
	c.id += uint32(gap)
	return c.id, true
}

// maskColumn reads back a mask-run column that scanDelta has validated,
// one mask per listed entity.
type maskColumn struct {
	b    []byte
	off  int
	left uint64 // entities the current run still covers
	mask uint8
}

// next returns the mask of the next listed entity.
func (c *maskColumn) next() uint8 {
	if c.left == 0 {
		run, n := binary.Uvarint(c.b[c.off:])
		c.left = run
		c.mask = c.b[c.off+n]
		c.off += n + 1
	}
	c.left--
	return c.mask
}

// ApplyDelta applies a packed delta to base and appends the resulting
// entities, sorted by ID, to dst, which must not share memory with base.
//
// base must be sorted by ID with unique IDs (as ApplyDelta's own results
// are). A malformed delta gives an error wrapping ErrMalformedDelta and one
// ErrDelta* rule, and dst truncated back to its original length; ApplyDelta
// never panics on any delta.
func ApplyDelta(dst, base []Entity, delta []byte) ([]Entity, error) {
	l, err := scanDelta(delta)
	if err != nil {
		return dst, err
	}
	start := len(dst)
	// nChanged is bounded by len(delta), so this growth is too.
	dst = slices.Grow(dst, len(base)+l.nChanged)

	chg := idColumn{b: delta, off: l.ids, left: l.nChanged}
	rem := idColumn{b: delta, off: l.removed, left: l.nRemoved}
	masks := maskColumn{b: delta, off: l.masks}
	valOff := l.values
	cid, cok := chg.next()
	rid, rok := rem.next()
	i := 0
	for i < len(base) || cok {
		bok := i < len(base)
		var bid uint32
		if bok {
			bid = base[i].ID
		}
		// Removed ids walk in step with base; one that falls before the
		// next base entity was never in base.
		if rok && (!bok || rid < bid) {
			return dst[:start], malformed(ErrDeltaRemoveUnknown, "id %d", rid)
		}
		var e Entity
		switch {
		case bok && (!cok || bid < cid): // not listed: kept or removed
			i++
			if rok && rid == bid {
				rid, rok = rem.next()
				continue
			}
			dst = append(dst, base[i-1])
			continue
		case bok && bid == cid: // listed and in base: changed
			if rok && rid == bid {
				return dst[:start], malformed(ErrDeltaRemoveChanged, "id %d", rid)
			}
			e = base[i]
			i++
		default: // listed and not in base: created from all-zero fields
			e.ID = cid
		}
		for m := masks.next(); m != 0; m &= m - 1 {
			f := bits.TrailingZeros8(m)
			z, n := binary.Uvarint(delta[valOff:])
			valOff += n
			e.Fields[f] = int32(uint32(e.Fields[f]) + uint32(unzigzag(uint32(z))))
		}
		dst = append(dst, e)
		cid, cok = chg.next()
	}
	if rok {
		return dst[:start], malformed(ErrDeltaRemoveUnknown, "id %d", rid)
	}
	return dst, nil
}
