package wire

import "google.golang.org/protobuf/encoding/protowire"

// SnapshotFrame is a decoded Snapshot without events, as DecodeSnapshotFrame
// fills it.
type SnapshotFrame struct {
	// Tick, BaseTick, ServerTimeUS, Checksum and LastInputSeq are the
	// Snapshot's fields of those names.
	Tick, BaseTick uint32
	ServerTimeUS   int64
	Checksum       uint32
	LastInputSeq   uint32
	// Delta is the Snapshot's delta: a slice of the frame decoded, valid as
	// long as the frame's bytes are.
	Delta []byte
}

// DecodeSnapshotFrame decodes data into s when data is a ServerMessage
// whose only field is a Snapshot with no events and no field this package
// does not know, and reports whether it did. Any other frame, including a
// malformed one, is left to proto.Unmarshal: false means "decode it the
// generic way", never "invalid". For the frames it takes, s holds what
// proto.Unmarshal of the same bytes would (last scalar wins, uint32
// truncation), without allocating: a client reads every snapshot of its
// room through it. FuzzDecodeSnapshotFrame holds it to that.
func DecodeSnapshotFrame(data []byte, s *SnapshotFrame) bool {
	num, typ, n := protowire.ConsumeTag(data)
	if n < 0 || num != serverMessageSnapshot || typ != protowire.BytesType {
		return false
	}
	body, m := protowire.ConsumeBytes(data[n:])
	if m < 0 || n+m != len(data) {
		return false
	}
	*s = SnapshotFrame{}
	for len(body) > 0 {
		num, typ, n := consumeTag(body)
		if n < 0 {
			return false
		}
		body = body[n:]
		switch {
		case num == snapshotChecksum && typ == protowire.Fixed32Type:
			v, n := protowire.ConsumeFixed32(body)
			if n < 0 {
				return false
			}
			s.Checksum = v
			body = body[n:]
		case num == snapshotDelta && typ == protowire.BytesType:
			v, n := protowire.ConsumeBytes(body)
			if n < 0 {
				return false
			}
			s.Delta = v
			body = body[n:]
		case typ == protowire.VarintType && (num == snapshotTick || num == snapshotBaseTick ||
			num == snapshotServerTimeUS || num == snapshotLastInputSeq):
			v, n := protowire.ConsumeVarint(body)
			if n < 0 {
				return false
			}
			body = body[n:]
			switch num {
			case snapshotTick:
				s.Tick = uint32(v)
			case snapshotBaseTick:
				s.BaseTick = uint32(v)
			case snapshotServerTimeUS:
				s.ServerTimeUS = int64(v)
			default:
				s.LastInputSeq = uint32(v)
			}
		default:
			// Events, a known field in a foreign wire type, or a field
			// this decoder does not know: the generic way.
			return false
		}
	}
	return true
}
