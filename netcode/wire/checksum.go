package wire

import (
	"encoding/binary"
	"hash/crc32"
	"unsafe"
)

// castagnoli is the CRC-32C table; hash/crc32 uses the CPU's CRC32
// instruction for it where there is one.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// checksumChunk is how many int32s the portable path serializes per
// crc32.Update.
const checksumChunk = 256

// nativeIsCanonical reports whether an []int32 in memory already is the
// canonical encoding: each value 4 bytes little-endian two's complement,
// which holds on every little-endian CPU. Then Checksum hashes the rows'
// own memory: no copy, and no buffer (crc32.Update makes any buffer escape
// to the heap, as it dispatches through a function variable).
var nativeIsCanonical = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// Checksum returns the CRC-32C of the canonical encoding of r.
//
// The canonical encoding is, for each entity in ascending id order, the id
// as 4 bytes little-endian followed by its Width values (the kind, then the
// fields) each as 4 bytes little-endian two's complement. Empty or nil rows
// give 0, the CRC of no bytes.
func Checksum(r *Rows) uint32 {
	data := rowsData(r)
	if len(data) == 0 {
		return 0
	}
	if nativeIsCanonical {
		b := unsafe.Slice((*byte)(unsafe.Pointer(&data[0])), 4*len(data))
		return crc32.Update(0, castagnoli, b)
	}
	return checksumPortable(data)
}

// checksumPortable serializes rows data (ids and values alike, as Rows
// stores them in order) chunk by chunk; it is the definition Checksum's
// fast path must agree with.
func checksumPortable(data []int32) uint32 {
	var buf [4 * checksumChunk]byte
	var crc uint32
	for len(data) > 0 {
		n := min(len(data), checksumChunk)
		b := buf[:0]
		for _, v := range data[:n] {
			b = binary.LittleEndian.AppendUint32(b, uint32(v))
		}
		crc = crc32.Update(crc, castagnoli, b)
		data = data[n:]
	}
	return crc
}
