package netcode

import (
	"encoding/binary"
	"fmt"
	"math"
)

// zigzag maps a signed delta to an unsigned one so that small magnitudes of
// either sign become small varints: 0, -1, 1, -2 → 0, 1, 2, 3.
func zigzag(v int32) uint32 { return uint32(v)<<1 ^ uint32(v>>31) }

// unzigzag inverts zigzag.
func unzigzag(z uint32) int32 { return int32(z>>1) ^ -int32(z&1) }

// readUvarint decodes the varint at b[off:] and returns it with the offset
// just past it. It never panics; off must be within 0..len(b).
func readUvarint(b []byte, off int, what string) (uint64, int, error) {
	v, n := binary.Uvarint(b[off:])
	switch {
	case n == 0:
		return 0, off, fmt.Errorf("%w: %w: %s at byte %d", ErrMalformedDelta, ErrDeltaTruncated, what, off)
	case n < 0:
		return 0, off, fmt.Errorf("%w: %w: %s at byte %d", ErrMalformedDelta, ErrDeltaVarint, what, off)
	}
	return v, off + n, nil
}

// readUint32 is readUvarint for values that must fit 32 bits.
func readUint32(b []byte, off int, what string) (uint32, int, error) {
	v, next, err := readUvarint(b, off, what)
	if err != nil {
		return 0, off, err
	}
	if v > math.MaxUint32 {
		return 0, off, fmt.Errorf("%w: %w: %s %d at byte %d exceeds 32 bits", ErrMalformedDelta, ErrDeltaValue, what, v, off)
	}
	return uint32(v), next, nil
}
