package wire

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
// just past it. It never panics; off must be within 0..len(b). It is kept
// small enough to inline; errors are built out of line.
func readUvarint(b []byte, off int, what string) (uint64, int, error) {
	v, n := binary.Uvarint(b[off:])
	if n <= 0 {
		return 0, off, varintError(n, off, what)
	}
	return v, off + n, nil
}

// varintError explains why binary.Uvarint returned n <= 0.
func varintError(n, off int, what string) error {
	if n == 0 {
		return fmt.Errorf("%w: %w: %s at byte %d", ErrMalformedDelta, ErrDeltaTruncated, what, off)
	}
	return fmt.Errorf("%w: %w: %s at byte %d", ErrMalformedDelta, ErrDeltaVarint, what, off)
}

// readUint32 is readUvarint for values that must fit 32 bits.
func readUint32(b []byte, off int, what string) (uint32, int, error) {
	v, n := binary.Uvarint(b[off:])
	if n <= 0 || v > math.MaxUint32 {
		return 0, off, uint32Error(v, n, off, what)
	}
	return uint32(v), off + n, nil
}

// uint32Error explains why a varint is not a valid 32-bit value.
func uint32Error(v uint64, n, off int, what string) error {
	if n <= 0 {
		return varintError(n, off, what)
	}
	return fmt.Errorf("%w: %w: %s %d at byte %d exceeds 32 bits", ErrMalformedDelta, ErrDeltaValue, what, v, off)
}
