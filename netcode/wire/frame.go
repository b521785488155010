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

// sint32 is the varint protobuf writes for a sint32: zigzag over the
// sign-extended value, which for any int32 equals the 32-bit zigzag.
func sint32(v int32) uint64 { return protowire.EncodeZigZag(int64(v)) }

// eventValues returns the values an event writes: up to its last nonzero
// one, as a receiver reads the missing trailing values as 0.
func eventValues(e *Event) []int32 {
	n := len(e.Values)
	for n > 0 && e.Values[n-1] == 0 {
		n--
	}
	return e.Values[:n]
}

// packedValuesSize is the size of the packed values' payload.
func packedValuesSize(values []int32) int {
	n := 0
	for _, v := range values {
		n += protowire.SizeVarint(sint32(v))
	}
	return n
}

// eventSize is the size of the GameEvent message body of e.
func eventSize(e *Event) int {
	n := sizeVarintField(gameEventTick, uint64(e.Tick)) +
		sizeVarintField(gameEventKind, uint64(e.Kind)) +
		sizeVarintField(gameEventActor, uint64(e.Actor)) +
		sizeVarintField(gameEventTarget, uint64(e.Target))
	if values := eventValues(e); len(values) > 0 {
		n += protowire.SizeTag(gameEventValues) + protowire.SizeBytes(packedValuesSize(values))
	}
	return n
}

// appendEvent appends e as a length-delimited GameEvent in field num.
func appendEvent(b []byte, num protowire.Number, e *Event) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	b = protowire.AppendVarint(b, uint64(eventSize(e)))
	b = appendVarintField(b, gameEventTick, uint64(e.Tick))
	b = appendVarintField(b, gameEventKind, uint64(e.Kind))
	b = appendVarintField(b, gameEventActor, uint64(e.Actor))
	b = appendVarintField(b, gameEventTarget, uint64(e.Target))
	// repeated sint32 is packed in proto3: one length-delimited field
	// holding the zigzag varints.
	if values := eventValues(e); len(values) > 0 {
		b = protowire.AppendTag(b, gameEventValues, protowire.BytesType)
		b = protowire.AppendVarint(b, uint64(packedValuesSize(values)))
		for _, v := range values {
			b = protowire.AppendVarint(b, sint32(v))
		}
	}
	return b
}

// SnapshotFields is the part of one Snapshot message that every player
// with the same baseline shares: fields 1 to 6. A room encodes it once per
// distinct baseline and hands the bytes to AppendSnapshotFrame per player.
type SnapshotFields struct {
	// Tick is the tick the snapshot shows.
	Tick uint32
	// BaseTick is the tick Delta applies to, 0 for a full snapshot.
	BaseTick uint32
	// ServerTimeUS is the server clock when Tick was simulated.
	ServerTimeUS int64
	// Checksum is Checksum of the rows Delta produces.
	Checksum uint32
	// Delta is EncodeDelta's packed delta from BaseTick's rows to Tick's.
	Delta []byte
	// Events are the events to send, written in order: each inner slice
	// (one snapshot's events) after the one before.
	Events [][]Event
}

// Size returns the number of bytes AppendTo appends.
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

// AppendTo appends the fields as Snapshot message fields, in field-number
// order and omitting zero scalars as proto3 does, so that proto.Marshal of
// the same Snapshot and this agree byte for byte.
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
// shared is what SnapshotFields.AppendTo wrote; the frame is the
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
