package wire

import "google.golang.org/protobuf/encoding/protowire"

// Field numbers of the wire schema (proto/tickwire/v1/tickwire.proto) that
// the codec writes by hand.
const (
	serverMessageSnapshot protowire.Number = 4

	snapshotTick         protowire.Number = 1
	snapshotBaseTick     protowire.Number = 2
	snapshotServerTimeUS protowire.Number = 3
	snapshotChecksum     protowire.Number = 4
	snapshotDelta        protowire.Number = 5
	snapshotEvents       protowire.Number = 6
	snapshotLastInputSeq protowire.Number = 15

	gameEventTick   protowire.Number = 1
	gameEventKind   protowire.Number = 2
	gameEventActor  protowire.Number = 3
	gameEventTarget protowire.Number = 4
	gameEventValues protowire.Number = 6
)

// sizeVarintField is the encoded size of a varint field, 0 when v is 0
// (proto3 omits zero scalars).
func sizeVarintField(num protowire.Number, v uint64) int {
	if v == 0 {
		return 0
	}
	return protowire.SizeTag(num) + protowire.SizeVarint(v)
}

// appendVarintField appends a varint field unless v is 0.
func appendVarintField(b []byte, num protowire.Number, v uint64) []byte {
	if v == 0 {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, v)
}

// eventSize is the size of the GameEvent message body of e.
func eventSize(e *Event) int {
	return sizeVarintField(gameEventTick, uint64(e.Tick)) +
		sizeVarintField(gameEventKind, uint64(e.Kind)) +
		sizeVarintField(gameEventActor, uint64(e.Actor)) +
		sizeVarintField(gameEventTarget, uint64(e.Target)) +
		sizePacked(e.Values[:])
}

// appendEvent appends e as a length-delimited GameEvent in field num.
func appendEvent(b []byte, num protowire.Number, e *Event) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	b = protowire.AppendVarint(b, uint64(eventSize(e)))
	b = appendVarintField(b, gameEventTick, uint64(e.Tick))
	b = appendVarintField(b, gameEventKind, uint64(e.Kind))
	b = appendVarintField(b, gameEventActor, uint64(e.Actor))
	b = appendVarintField(b, gameEventTarget, uint64(e.Target))
	return appendPacked(b, gameEventValues, e.Values[:])
}

// SnapshotFields is what the shared part of one Snapshot message holds.
type SnapshotFields struct {
	Tick, BaseTick uint32
	ServerTimeUS   int64
	Checksum       uint32
	Delta          []byte
	Events         [][]Event // concatenated in order
}

// Size is the encoded size of the fields.
func (s *SnapshotFields) Size() int {
	n := sizeVarintField(snapshotTick, uint64(s.Tick)) +
		sizeVarintField(snapshotBaseTick, uint64(s.BaseTick)) +
		sizeVarintField(snapshotServerTimeUS, uint64(s.ServerTimeUS))
	if s.Checksum != 0 {
		n += protowire.SizeTag(snapshotChecksum) + protowire.SizeFixed32()
	}
	if len(s.Delta) > 0 {
		n += protowire.SizeTag(snapshotDelta) + protowire.SizeBytes(len(s.Delta))
	}
	for _, evs := range s.Events {
		for k := range evs {
			n += protowire.SizeTag(snapshotEvents) + protowire.SizeBytes(eventSize(&evs[k]))
		}
	}
	return n
}

// AppendTo appends the fields in field-number order, omitting zero scalars
// as proto3 does so that proto.Marshal and this agree byte for byte.
func (s *SnapshotFields) AppendTo(b []byte) []byte {
	b = appendVarintField(b, snapshotTick, uint64(s.Tick))
	b = appendVarintField(b, snapshotBaseTick, uint64(s.BaseTick))
	// int64 is encoded as its two's complement uint64.
	b = appendVarintField(b, snapshotServerTimeUS, uint64(s.ServerTimeUS))
	if s.Checksum != 0 {
		b = protowire.AppendTag(b, snapshotChecksum, protowire.Fixed32Type)
		b = protowire.AppendFixed32(b, s.Checksum)
	}
	if len(s.Delta) > 0 {
		b = protowire.AppendTag(b, snapshotDelta, protowire.BytesType)
		b = protowire.AppendBytes(b, s.Delta)
	}
	for _, evs := range s.Events {
		for k := range evs {
			b = appendEvent(b, snapshotEvents, &evs[k])
		}
	}
	return b
}

// AppendSnapshotFrame appends to dst a complete ServerMessage frame holding
// the shared snapshot bytes plus this player's last applied input sequence.
//
// shared is what History.EncodeLatest returned; the frame is the
// ServerMessage field 4 (snapshot) whose body is shared followed by
// Snapshot field 15 (last_input_seq), omitted when lastInputSeq is 0. A
// protobuf decoder merges the two into one Snapshot message.
func AppendSnapshotFrame(dst, shared []byte, lastInputSeq uint32) []byte {
	body := len(shared) + sizeVarintField(snapshotLastInputSeq, uint64(lastInputSeq))
	dst = protowire.AppendTag(dst, serverMessageSnapshot, protowire.BytesType)
	dst = protowire.AppendVarint(dst, uint64(body))
	dst = append(dst, shared...)
	return appendVarintField(dst, snapshotLastInputSeq, uint64(lastInputSeq))
}

// SnapshotFrameSize is the length AppendSnapshotFrame adds for shared and
// lastInputSeq, for callers that size buffers exactly.
func SnapshotFrameSize(shared []byte, lastInputSeq uint32) int {
	body := len(shared) + sizeVarintField(snapshotLastInputSeq, uint64(lastInputSeq))
	return protowire.SizeTag(serverMessageSnapshot) + protowire.SizeBytes(body)
}

// packedLen returns how many of vs to write: up to the last nonzero one.
func packedLen(vs []int32) int {
	n := len(vs)
	for n > 0 && vs[n-1] == 0 {
		n--
	}
	return n
}

// packedBody returns the size of the packed zigzag varints of vs.
func packedBody(vs []int32) int {
	size := 0
	for _, v := range vs {
		size += protowire.SizeVarint(protowire.EncodeZigZag(int64(v)))
	}
	return size
}

// sizePacked is the encoded size of vs as a packed repeated sint32 field,
// 0 when every value is 0.
func sizePacked(vs []int32) int {
	n := packedLen(vs)
	if n == 0 {
		return 0
	}
	return 1 + protowire.SizeBytes(packedBody(vs[:n]))
}

// appendPacked appends vs as packed repeated sint32 field num (sint32 is
// zigzag over the sign-extended 64-bit value), omitted when every value
// is 0.
func appendPacked(b []byte, num protowire.Number, vs []int32) []byte {
	n := packedLen(vs)
	if n == 0 {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.BytesType)
	b = protowire.AppendVarint(b, uint64(packedBody(vs[:n])))
	for _, v := range vs[:n] {
		b = protowire.AppendVarint(b, protowire.EncodeZigZag(int64(v)))
	}
	return b
}
