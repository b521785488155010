package wire

// A plain stand-in for the packed row codec, kept only until the optimized
// codec lands.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math/bits"
)

// ErrMalformedDelta wraps every error ApplyDelta returns.
var ErrMalformedDelta = errors.New("malformed delta")

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Checksum returns the CRC-32C of the canonical encoding of r.
func Checksum(r *Rows) uint32 {
	if r.Len() == 0 {
		return 0
	}
	b := make([]byte, 0, 4*len(r.data))
	for _, v := range r.data {
		b = binary.LittleEndian.AppendUint32(b, uint32(v))
	}
	return crc32.Checksum(b, castagnoli)
}

// EncodeDelta appends the packed delta that turns base into target.
func EncodeDelta(dst []byte, base, target *Rows) []byte {
	w := target.Width()
	type chg struct {
		i    int
		old  []int32
		mask uint64
	}
	var cs []chg
	zero := make([]int32, w)
	matched := 0
	j := 0
	for i := range target.Len() {
		id := target.ID(i)
		for j < base.Len() && base.ID(j) < id {
			j++
		}
		old := zero
		if j < base.Len() && base.ID(j) == id {
			old = base.Row(j)
			matched++
		}
		var m uint64
		row := target.Row(i)
		for f := range w {
			if row[f] != old[f] {
				m |= 1 << f
			}
		}
		if m != 0 || &old[0] == &zero[0] {
			cs = append(cs, chg{i, old, m})
		}
	}
	dst = binary.AppendUvarint(dst, uint64(len(cs)))
	var prev uint32
	for _, c := range cs {
		dst = binary.AppendUvarint(dst, uint64(target.ID(c.i)-prev))
		prev = target.ID(c.i)
	}
	for k := 0; k < len(cs); {
		n := 1
		for k+n < len(cs) && cs[k+n].mask == cs[k].mask {
			n++
		}
		dst = binary.AppendUvarint(dst, uint64(n))
		dst = binary.AppendUvarint(dst, cs[k].mask)
		k += n
	}
	for _, c := range cs {
		row := target.Row(c.i)
		for m := c.mask; m != 0; m &= m - 1 {
			f := bits.TrailingZeros64(m)
			d := uint32(row[f]) - uint32(c.old[f])
			dst = binary.AppendUvarint(dst, uint64(zigzag(int32(d))))
		}
	}
	var removed []uint32
	for i := range base.Len() {
		if _, ok := target.Find(base.ID(i)); !ok {
			removed = append(removed, base.ID(i))
		}
	}
	dst = binary.AppendUvarint(dst, uint64(len(removed)))
	prev = 0
	for _, id := range removed {
		dst = binary.AppendUvarint(dst, uint64(id-prev))
		prev = id
	}
	return dst
}

// ApplyDelta applies a packed delta to base into dst.
func ApplyDelta(dst, base *Rows, delta []byte) error {
	dst.Reset()
	w := dst.Width()
	off := 0
	read := func() (uint64, error) {
		v, n := binary.Uvarint(delta[off:])
		if n <= 0 {
			return 0, fmt.Errorf("%w: bad varint at %d", ErrMalformedDelta, off)
		}
		off += n
		return v, nil
	}
	fail := func(err error) error { dst.Reset(); return err }
	nc, err := read()
	if err != nil || nc > uint64(len(delta)) {
		return fail(fmt.Errorf("%w: count", ErrMalformedDelta))
	}
	ids := make([]uint32, nc)
	var id uint32
	for k := range ids {
		g, err := read()
		if err != nil {
			return fail(err)
		}
		id += uint32(g)
		ids[k] = id
	}
	masks := make([]uint64, 0, nc)
	for uint64(len(masks)) < nc {
		run, err := read()
		if err != nil {
			return fail(err)
		}
		m, err := read()
		if err != nil || run == 0 || run > nc-uint64(len(masks)) || m>>w != 0 {
			return fail(fmt.Errorf("%w: mask run", ErrMalformedDelta))
		}
		for range run {
			masks = append(masks, m)
		}
	}
	rows := make(map[uint32][]int32)
	for i := range base.Len() {
		rows[base.ID(i)] = append([]int32(nil), base.Row(i)...)
	}
	for k, id := range ids {
		row, ok := rows[id]
		if !ok {
			row = make([]int32, w)
		}
		for m := masks[k]; m != 0; m &= m - 1 {
			f := bits.TrailingZeros64(m)
			z, err := read()
			if err != nil {
				return fail(err)
			}
			row[f] = int32(uint32(row[f]) + uint32(unzigzag(uint32(z))))
		}
		rows[id] = row
	}
	nr, err := read()
	if err != nil {
		return fail(err)
	}
	id = 0
	for range nr {
		g, err := read()
		if err != nil {
			return fail(err)
		}
		id += uint32(g)
		delete(rows, id)
	}
	all := make([]uint32, 0, len(rows))
	for id := range rows {
		all = append(all, id)
	}
	for i := range all {
		for j := i + 1; j < len(all); j++ {
			if all[j] < all[i] {
				all[i], all[j] = all[j], all[i]
			}
		}
	}
	for _, id := range all {
		dst.AppendRow(id, rows[id])
	}
	return nil
}

// The rules a packed delta can break (stand-in).
var (
	ErrDeltaTruncated = errors.New("truncated")
	ErrDeltaVarint    = errors.New("varint overflows")
	ErrDeltaValue     = errors.New("value out of range")
)

// zigzag maps a signed delta to an unsigned one.
func zigzag(v int32) uint32 { return uint32(v)<<1 ^ uint32(v>>31) }

// unzigzag inverts zigzag.
func unzigzag(z uint32) int32 { return int32(z>>1) ^ -int32(z&1) }

// Text names raw for ENUM, FLAGS and BOOL fields (stand-in).
func (f *Field) Text(raw int32) string {
	switch f.Type {
	case TypeBool:
		if raw != 0 {
			return "true"
		}
		return "false"
	case TypeEnum:
		if raw >= 0 && int(raw) < len(f.Names) {
			return f.Names[raw]
		}
	case TypeFlags:
		var s string
		for i, n := range f.Names {
			if raw&(1<<i) != 0 {
				if s != "" {
					s += "|"
				}
				s += n
			}
		}
		return s
	}
	return ""
}
