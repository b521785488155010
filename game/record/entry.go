package record

import (
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/tickwire/tickwire/game"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// FormatVersion is the version of the recording format a Recorder writes
// and a Reader reads (RecordHeader.format_version); docs/recording.md
// describes it.
const FormatVersion = 2

// A Recorder encodes RecordEntry messages by hand, straight into its log,
// because it does so on the tick path for every input: the generated types
// would cost three allocations an entry. The field numbers below are those
// of proto/tickwire/v1/record.proto; a test checks the bytes against
// proto.Marshal of the generated messages.

// Fields of RecordEntry's oneof.
const (
	entryJoin         protowire.Number = 1
	entryLeave        protowire.Number = 2
	entryDisconnected protowire.Number = 3
	entryReconnected  protowire.Number = 4
	entryInput        protowire.Number = 5
	entryStartMatch   protowire.Number = 6
	entryDebug        protowire.Number = 7
	entryStep         protowire.Number = 8
	entryChecksum     protowire.Number = 9
)

// entryEncoder appends length-delimited RecordEntry messages (uvarint size,
// then the message) to a byte slice. Zero fields are left out, as proto3
// marshaling does.
type entryEncoder struct {
	inner []byte // scratch for the entry's inner message
}

// appendHeader appends the length-delimited RecordHeader of a room.
func appendHeader(dst []byte, cfg game.RoomConfig, startedUnix int64) ([]byte, error) {
	h := &pb.RecordHeader{
		FormatVersion: FormatVersion,
		RoomId:        cfg.ID,
		Mode:          cfg.Mode,
		TickHz:        uint32(cfg.TickHz),
		SnapshotHz:    uint32(cfg.SnapshotHz),
		MaxPlayers:    uint32(cfg.MaxPlayers),
		Seed:          cfg.Seed,
		StartedUnix:   startedUnix,
		Schema:        cfg.Schema.Proto(),
		Options:       cfg.ModeOptions,
	}
	dst = protowire.AppendVarint(dst, uint64(proto.Size(h)))
	dst, err := proto.MarshalOptions{}.MarshalAppend(dst, h)
	if err != nil {
		return nil, fmt.Errorf("record header: %w", err)
	}
	return dst, nil
}

// Every field number of record.proto is below 16, so each tag is one byte;
// tag builds it. The small varint loop below inlines, unlike
// protowire.AppendVarint: this is the cost of every recorded input.

// tag returns the one-byte tag of field f (below 16) of wire type t.
func tag(f protowire.Number, t protowire.Type) byte { return byte(f)<<3 | byte(t) }

// appendUvarint appends v as a protobuf varint.
func appendUvarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// finish wraps the inner message built in e.inner as oneof field f of a
// RecordEntry and appends it, size-prefixed, to dst.
func (e *entryEncoder) finish(dst []byte, f protowire.Number) []byte {
	size := 1 + protowire.SizeBytes(len(e.inner))
	dst = appendUvarint(dst, uint64(size))
	dst = append(dst, tag(f, protowire.BytesType))
	dst = appendUvarint(dst, uint64(len(e.inner)))
	return append(dst, e.inner...)
}

// uint appends varint field f of the inner message unless v is 0.
func (e *entryEncoder) uint(f protowire.Number, v uint64) {
	if v == 0 {
		return
	}
	e.inner = append(e.inner, tag(f, protowire.VarintType))
	e.inner = appendUvarint(e.inner, v)
}

// packedSint appends packed repeated sint32 field f of the inner message
// with vs up to its last nonzero value (trailing zeros are implied).
func (e *entryEncoder) packedSint(f protowire.Number, vs []int32) {
	n := len(vs)
	for n > 0 && vs[n-1] == 0 {
		n--
	}
	if n == 0 {
		return
	}
	size := 0
	for _, v := range vs[:n] {
		size += protowire.SizeVarint(protowire.EncodeZigZag(int64(v)))
	}
	e.inner = append(e.inner, tag(f, protowire.BytesType))
	e.inner = appendUvarint(e.inner, uint64(size))
	for _, v := range vs[:n] {
		e.inner = appendUvarint(e.inner, protowire.EncodeZigZag(int64(v)))
	}
}

// str appends string field f of the inner message unless s is empty.
func (e *entryEncoder) str(f protowire.Number, s string) {
	if s == "" {
		return
	}
	e.inner = append(e.inner, tag(f, protowire.BytesType))
	e.inner = appendUvarint(e.inner, uint64(len(s)))
	e.inner = append(e.inner, s...)
}

// join appends RecordJoin.
func (e *entryEncoder) join(dst []byte, p game.PlayerID, name string, entity uint32, refused bool) []byte {
	e.inner = e.inner[:0]
	e.uint(1, uint64(p))
	e.str(2, name)
	e.uint(3, uint64(entity))
	if refused {
		e.uint(4, 1)
	}
	return e.finish(dst, entryJoin)
}

// player appends one of the entries whose only field is the player
// (RecordLeave, RecordDisconnected, RecordReconnected).
func (e *entryEncoder) player(dst []byte, f protowire.Number, p game.PlayerID) []byte {
	e.inner = e.inner[:0]
	e.uint(1, uint64(p))
	return e.finish(dst, f)
}

// input appends RecordInput.
func (e *entryEncoder) input(dst []byte, p game.PlayerID, in game.Input) []byte {
	e.inner = e.inner[:0]
	e.uint(1, uint64(p))
	e.uint(2, uint64(in.Seq))
	e.packedSint(7, in.Values[:])
	return e.finish(dst, entryInput)
}

// tick appends one of the entries whose only field is a tick (RecordStep,
// RecordStartMatch).
func (e *entryEncoder) tick(dst []byte, f protowire.Number, tick uint32) []byte {
	e.inner = e.inner[:0]
	e.uint(1, uint64(tick))
	return e.finish(dst, f)
}

// debug appends RecordDebug.
func (e *entryEncoder) debug(dst []byte, command string) []byte {
	e.inner = e.inner[:0]
	e.str(1, command)
	return e.finish(dst, entryDebug)
}

// checksum appends RecordChecksum.
func (e *entryEncoder) checksum(dst []byte, tick, sum uint32) []byte {
	e.inner = e.inner[:0]
	e.uint(1, uint64(tick))
	if sum != 0 {
		e.inner = append(e.inner, tag(2, protowire.Fixed32Type))
		e.inner = protowire.AppendFixed32(e.inner, sum)
	}
	return e.finish(dst, entryChecksum)
}
