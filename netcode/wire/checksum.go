package wire

import (
	"encoding/binary"
	"hash/crc32"
	"unsafe"
)

// castagnoli is the CRC-32C table; hash/crc32 uses the CPU's CRC32
// instruction for it where there is one.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// checksumEntityBytes is the canonical size of one entity: id + 8 fields,
// each 4 bytes little-endian.
const checksumEntityBytes = 4 + 4*FieldCount

// checksumChunk is how many entities the portable path serializes per
// crc32.Update.
const checksumChunk = 16

// entityMemoryIsCanonical reports whether an []Entity in memory already is
// the canonical encoding: a little-endian CPU and an Entity of exactly
// uint32 + [8]int32 with no padding. Then Checksum hashes the slice's own
// bytes: no copy, and no buffer (crc32.Update makes any buffer escape to
// the heap, as it dispatches through a function variable).
var entityMemoryIsCanonical = unsafe.Sizeof(Entity{}) == checksumEntityBytes &&
	binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// Checksum returns the CRC-32C of the canonical encoding of entities.
//
// The canonical encoding is, for each entity in slice order (which must be
// ascending id order), the id as 4 bytes little-endian followed by the
// FieldCount fields each as 4 bytes little-endian two's complement. An
// empty slice gives 0, the CRC of no bytes.
func Checksum(entities []Entity) uint32 {
	if len(entities) == 0 {
		return 0
	}
	if entityMemoryIsCanonical {
		b := unsafe.Slice((*byte)(unsafe.Pointer(&entities[0])), len(entities)*checksumEntityBytes)
		return crc32.Update(0, castagnoli, b)
	}
	return checksumPortable(entities)
}

// checksumPortable serializes entities chunk by chunk; it is the
// definition Checksum's fast path must agree with.
func checksumPortable(entities []Entity) uint32 {
	var buf [checksumChunk * checksumEntityBytes]byte
	var crc uint32
	for len(entities) > 0 {
		n := min(len(entities), checksumChunk)
		b := buf[:0]
		for k := range entities[:n] {
			e := &entities[k]
			b = binary.LittleEndian.AppendUint32(b, e.ID)
			for _, f := range e.Fields {
				b = binary.LittleEndian.AppendUint32(b, uint32(f))
			}
		}
		crc = crc32.Update(crc, castagnoli, b)
		entities = entities[n:]
	}
	return crc
}
