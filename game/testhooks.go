package game

import "google.golang.org/protobuf/encoding/protowire"

// snapshotChecksumField is the field number of Snapshot.checksum (fixed32)
// in proto/tickwire/v1/tickwire.proto.
const snapshotChecksumField protowire.Number = 4

// corruptChecksum returns a copy of the shared snapshot bytes (Snapshot
// fields, as History.EncodeLatest returns them) with the checksum's bits
// flipped, for RoomConfig.TestCorruptChecksum. The copy keeps the shared
// bytes of other seats intact; a snapshot without a checksum, or bytes that
// do not parse, come back unchanged.
func corruptChecksum(shared []byte) []byte {
	for off := 0; off < len(shared); {
		num, typ, n := protowire.ConsumeTag(shared[off:])
		if n < 0 {
			return shared
		}
		m := protowire.ConsumeFieldValue(num, typ, shared[off+n:])
		if m < 0 {
			return shared
		}
		if num == snapshotChecksumField && typ == protowire.Fixed32Type {
			out := append([]byte(nil), shared...)
			for k := off + n; k < off+n+4; k++ {
				out[k] ^= 0xff
			}
			return out
		}
		off += n + m
	}
	return shared
}
