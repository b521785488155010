package netcode

import (
	"encoding/binary"
	"hash/crc32"
)

// castagnoli is the CRC-32C table; hash/crc32 uses the CPU's CRC32
// instruction for it where there is one.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// checksumEntityBytes is the canonical size of one entity: id + 8 fields,
// each 4 bytes little-endian.
const checksumEntityBytes = 4 + 4*FieldCount

// checksumChunk is how many entities Checksum serializes per crc32.Update,
// so its buffer stays small enough for the stack.
const checksumChunk = 16

// Checksum returns the CRC-32C of the canonical encoding of entities.
//
// The canonical encoding is, for each entity in slice order (which must be
// ascending id order), the id as 4 bytes little-endian followed by the
// FieldCount fields each as 4 bytes little-endian two's complement. An
// empty slice gives 0, the CRC of no bytes.
func Checksum(entities []Entity) uint32 {
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
