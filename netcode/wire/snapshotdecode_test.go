package wire

import (
	"bytes"
	"testing"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// snapshotFrame marshals a ServerMessage holding s.
func snapshotFrame(t testing.TB, s *pb.Snapshot) []byte {
	t.Helper()
	b, err := proto.Marshal(&pb.ServerMessage{Body: &pb.ServerMessage_Snapshot{Snapshot: s}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// checkSnapshotAgainstProto fails unless a frame DecodeSnapshotFrame took
// decodes to the same snapshot through proto.Unmarshal.
func checkSnapshotAgainstProto(t *testing.T, frame []byte, got *SnapshotFrame) {
	t.Helper()
	var msg pb.ServerMessage
	if err := proto.Unmarshal(frame, &msg); err != nil {
		t.Fatalf("fast path took a frame proto refuses (%v): %x", err, frame)
	}
	want := msg.GetSnapshot()
	if want == nil {
		t.Fatalf("fast path took a frame that is no Snapshot: %x", frame)
	}
	if len(want.GetEvents()) > 0 {
		t.Fatalf("fast path took a snapshot with events: %x", frame)
	}
	if got.Tick != want.GetTick() || got.BaseTick != want.GetBaseTick() || got.ServerTimeUS != want.GetServerTimeUs() ||
		got.Checksum != want.GetChecksum() || got.LastInputSeq != want.GetLastInputSeq() || !bytes.Equal(got.Delta, want.GetDelta()) {
		t.Fatalf("got %+v; proto %v (%x)", *got, want, frame)
	}
}

func TestDecodeSnapshotFrame(t *testing.T) {
	full := &pb.Snapshot{Tick: 70000, BaseTick: 69998, ServerTimeUs: -5, Checksum: 0xdeadbeef,
		Delta: []byte{1, 2, 3}, LastInputSeq: 4242}
	shared := (&SnapshotFields{Tick: 9, BaseTick: 7, ServerTimeUS: 1234567, Checksum: 99, Delta: []byte{5, 6}}).AppendTo(nil)
	tests := []struct {
		name  string
		frame []byte
		fast  bool
	}{
		{"every field", snapshotFrame(t, full), true},
		{"empty snapshot", snapshotFrame(t, &pb.Snapshot{}), true},
		{"hand-written frame", AppendSnapshotFrame(nil, shared, 31), true},
		{"hand-written frame, no input seq", AppendSnapshotFrame(nil, shared, 0), true},
		{"events", snapshotFrame(t, &pb.Snapshot{Tick: 3, Events: []*pb.GameEvent{{Tick: 3, Kind: 1}}}), false},
		{"another message", func() []byte {
			b, _ := proto.Marshal(&pb.ServerMessage{Body: &pb.ServerMessage_Pong{Pong: &pb.Pong{ClientTimeUs: 1}}})
			return b
		}(), false},
		{"two snapshot fields", append(snapshotFrame(t, full), snapshotFrame(t, full)...), false},
		{"unknown snapshot field", func() []byte {
			body := protowire.AppendTag(nil, 9, protowire.VarintType)
			body = protowire.AppendVarint(body, 1)
			b := protowire.AppendTag(nil, serverMessageSnapshot, protowire.BytesType)
			return protowire.AppendBytes(b, body)
		}(), false},
		{"checksum as a varint", func() []byte {
			body := protowire.AppendTag(nil, snapshotChecksum, protowire.VarintType)
			body = protowire.AppendVarint(body, 1)
			b := protowire.AppendTag(nil, serverMessageSnapshot, protowire.BytesType)
			return protowire.AppendBytes(b, body)
		}(), false},
		{"repeated tick: the last wins", func() []byte {
			body := appendVarintField(nil, snapshotTick, 5)
			body = appendVarintField(body, snapshotTick, 1<<33+6)
			b := protowire.AppendTag(nil, serverMessageSnapshot, protowire.BytesType)
			return protowire.AppendBytes(b, body)
		}(), true},
		{"truncated", snapshotFrame(t, full)[:5], false},
		{"empty frame", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s SnapshotFrame
			if got := DecodeSnapshotFrame(tt.frame, &s); got != tt.fast {
				t.Fatalf("DecodeSnapshotFrame = %v, want %v", got, tt.fast)
			}
			if tt.fast {
				checkSnapshotAgainstProto(t, tt.frame, &s)
			}
		})
	}
}

// TestDecodeSnapshotFrameResets decodes a snapshot with every field, then
// one with none, into the same SnapshotFrame: nothing of the first stays.
func TestDecodeSnapshotFrameResets(t *testing.T) {
	var s SnapshotFrame
	if !DecodeSnapshotFrame(snapshotFrame(t, &pb.Snapshot{Tick: 1, BaseTick: 2, ServerTimeUs: 3, Checksum: 4, Delta: []byte{5}, LastInputSeq: 6}), &s) {
		t.Fatal("first frame refused")
	}
	empty := snapshotFrame(t, &pb.Snapshot{})
	if !DecodeSnapshotFrame(empty, &s) {
		t.Fatal("second frame refused")
	}
	checkSnapshotAgainstProto(t, empty, &s)
}

func TestDecodeSnapshotFrameAllocates(t *testing.T) {
	frame := snapshotFrame(t, &pb.Snapshot{Tick: 1000, BaseTick: 998, Checksum: 77, Delta: make([]byte, 60), LastInputSeq: 500})
	var s SnapshotFrame
	if n := testing.AllocsPerRun(100, func() { DecodeSnapshotFrame(frame, &s) }); n != 0 {
		t.Errorf("%v allocations per frame, want 0", n)
	}
}

// FuzzDecodeSnapshotFrame holds the fast path to proto.Unmarshal: every
// frame it takes decodes the same through the generic decoder.
func FuzzDecodeSnapshotFrame(f *testing.F) {
	f.Add(snapshotFrame(f, &pb.Snapshot{Tick: 70000, BaseTick: 69998, ServerTimeUs: -5, Checksum: 9, Delta: []byte{1, 2}, LastInputSeq: 3}))
	f.Add(snapshotFrame(f, &pb.Snapshot{Tick: 3, Events: []*pb.GameEvent{{Tick: 3}}}))
	f.Add([]byte{0x22, 0x02, 0x08, 0x01})
	f.Fuzz(func(t *testing.T, frame []byte) {
		var s SnapshotFrame
		if DecodeSnapshotFrame(frame, &s) {
			checkSnapshotAgainstProto(t, frame, &s)
		}
	})
}

func BenchmarkDecodeSnapshotFrame(b *testing.B) {
	frame := snapshotFrame(b, &pb.Snapshot{Tick: 1000, BaseTick: 998, Checksum: 77, Delta: make([]byte, 60), LastInputSeq: 500})
	var s SnapshotFrame
	b.SetBytes(int64(len(frame)))
	b.ReportAllocs()
	for b.Loop() {
		if !DecodeSnapshotFrame(frame, &s) {
			b.Fatal("refused")
		}
	}
}
