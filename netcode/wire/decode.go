package wire

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"slices"
)

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
	room := max(len(b)-next-reserve, 0)
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
		var gap uint64
		if off < len(b) && b[off] < 0x80 { // one byte, the common gap
			gap = uint64(b[off])
			off++
		} else {
			var err error
			if gap, off, err = readUvarint(b, off, what); err != nil {
				return off, err
			}
		}
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

// scanDelta checks everything about a delta for rows of width values that
// does not need the base, and finds its columns.
func scanDelta(b []byte, width int) (deltaLayout, error) {
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
	// how many values follow. values stays below 33 * len(b): every run
	// covers at most nChanged < len(b) entities in total.
	values := 0
	for covered := 0; covered < l.nChanged; {
		at := off
		var run, mask uint64
		if run, off, err = readUvarint(b, off, "mask run"); err != nil {
			return l, err
		}
		if run == 0 || run > uint64(l.nChanged-covered) {
			return l, malformed(ErrDeltaMaskRun, "run %d at byte %d, %d of %d entities left", run, at, l.nChanged-covered, l.nChanged)
		}
		at = off
		if mask, off, err = readUvarint(b, off, "mask"); err != nil {
			return l, err
		}
		if mask>>width != 0 {
			return l, malformed(ErrDeltaMask, "mask %#x at byte %d for rows of %d values", mask, at, width)
		}
		covered += int(run)
		values += int(run) * bits.OnesCount64(mask)
	}
	l.values = off
	for range values {
		// Most value deltas take one or two bytes, which cannot break a
		// rule: skip those without decoding them.
		switch {
		case off < len(b) && b[off] < 0x80:
			off++
		case off+1 < len(b) && b[off+1] < 0x80:
			off += 2
		default:
			if _, off, err = readUint32(b, off, "value delta"); err != nil {
				return l, err
			}
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
	gap := uint64(c.b[c.off])
	if gap < 0x80 { // one byte, the common gap
		c.off++
	} else {
		var n int
		gap, n = binary.Uvarint(c.b[c.off:])
		c.off += n
	}
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
	mask uint64
}

// next returns the mask of the next listed entity.
func (c *maskColumn) next() uint64 {
	if c.left == 0 {
		run, n := binary.Uvarint(c.b[c.off:])
		c.off += n
		mask, n := binary.Uvarint(c.b[c.off:])
		c.off += n
		c.left, c.mask = run, mask
	}
	c.left--
	return c.mask
}

// ApplyDelta applies a packed delta to base and puts the resulting
// entities into dst. dst keeps its layout and is emptied first; base nil
// means an empty world. dst must have a layout (NewRows), must not be base,
// and base must have dst's width: ApplyDelta panics otherwise, as each is
// a bug in the caller.
//
// Every row the delta lists (changed or created) must come out valid in
// dst's layout: a declared kind, and 0 past that kind's fields. base's rows
// are taken to be valid, as they normally are an earlier result: rows the
// delta does not list are copied as they are, and a changed row is checked
// only when the delta writes its kind or a value some kind does not have.
//
// A malformed delta gives an error wrapping ErrMalformedDelta and one
// ErrDelta* rule, and leaves dst empty. ApplyDelta never panics on any
// delta, grows dst by no more than base's entities plus one per byte of
// delta, and allocates nothing when dst has the room.
func ApplyDelta(dst, base *Rows, delta []byte) error {
	if dst.layout == nil {
		panic("wire: ApplyDelta into rows without a layout")
	}
	if dst == base {
		panic("wire: ApplyDelta into its own base")
	}
	dst.Reset()
	s := dst.stride()
	bd := rowsData(base)
	if base != nil && base.layout != nil && base.stride() != s {
		panic(fmt.Sprintf("wire: ApplyDelta from rows of width %d into rows of width %d", base.Width(), dst.Width()))
	}
	l, err := scanDelta(delta, dst.Width())
	if err != nil {
		return err
	}
	// nChanged is bounded by len(delta), so this growth is too.
	out := slices.Grow(dst.data, len(bd)+l.nChanged*s)
	out, err = applyColumns(out, bd, s, dst.layout, delta, &l)
	if err != nil {
		dst.data = out[:0]
		return err
	}
	dst.data = out
	return nil
}

// applyColumns merge-walks base data bd (stride s), the listed ids and the
// removed ids of a delta that scanDelta has validated, appending the
// result to out.
//
// Base rows are copied in runs: pend is where the rows not yet copied
// start, and a run ends only where the result departs from base (a
// removal, a creation) or a listed row needs its values changed.
func applyColumns(out, bd []int32, s int, layout *Layout, delta []byte, l *deltaLayout) ([]int32, error) {
	chg := idColumn{b: delta, off: l.ids, left: l.nChanged}
	rem := idColumn{b: delta, off: l.removed, left: l.nRemoved}
	masks := maskColumn{b: delta, off: l.masks}
	valOff := l.values
	cid, cok := chg.next()
	rid, rok := rem.next()
	i, pend := 0, 0
	for i < len(bd) || cok {
		bok := i < len(bd)
		var bid uint32
		if bok {
			bid = uint32(bd[i])
		}
		// Removed ids walk in step with base; one that falls before the
		// next base entity was never in base.
		if rok && (!bok || rid < bid) {
			return out, malformed(ErrDeltaRemoveUnknown, "id %d", rid)
		}
		var at int
		created := false
		switch {
		case bok && (!cok || bid < cid): // not listed: kept or removed
			if rok && rid == bid {
				out = append(out, bd[pend:i]...)
				pend = i + s
				rid, rok = rem.next()
			}
			i += s
			continue
		case bok && bid == cid: // listed and in base: changed
			if rok && rid == bid {
				return out, malformed(ErrDeltaRemoveChanged, "id %d", rid)
			}
			i += s
			out = append(out, bd[pend:i]...)
			pend = i
			at = len(out) - s
		default: // listed and not in base: created from an all-zero row
			out = append(out, bd[pend:i]...)
			pend = i
			at = len(out)
			out = append(out, zeroRow[:s]...)
			out[at] = int32(cid)
			created = true
		}
		row := out[at+1 : at+s]
		mask := masks.next()
		for m := mask; m != 0; m &= m - 1 {
			f := bits.TrailingZeros64(m)
			z := uint64(delta[valOff])
			if z < 0x80 { // one byte, the common delta
				valOff++
			} else {
				var n int
				z, n = binary.Uvarint(delta[valOff:])
				valOff += n
			}
			row[f] = int32(uint32(row[f]) + uint32(unzigzag(uint32(z))))
		}
		// A changed row was valid before: unless the values written include
		// the kind or a value some kind does not have, it still is.
		if (created || mask&^layout.unchecked != 0) && !layout.validRow(row) {
			return out, malformed(ErrDeltaKind, "entity %d: %s", cid, layout.rowProblem(row))
		}
		cid, cok = chg.next()
	}
	if rok {
		return out, malformed(ErrDeltaRemoveUnknown, "id %d", rid)
	}
	return append(out, bd[pend:]...), nil
}
