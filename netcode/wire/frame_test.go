package wire

import (
	"bytes"
	"math"
	"testing"

	"google.golang.org/protobuf/proto"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

func TestAppendSnapshotFrame(t *testing.T) {
	h := NewHistory(4)
	h.Push(testSnapshot(5, 3))
	h.Push(testSnapshot(6, 3, Event{Tick: 6, Kind: 3, Target: 2, Value: math.MinInt32}))
	delta, _ := h.EncodeLatest(5)
	full, _ := h.EncodeLatest(0)
	latest := h.Latest()

	tests := []struct {
		name   string
		shared []byte
		base   uint32
		seq    uint32
	}{
		{"delta with seq", delta, 5, 4242},
		{"delta seq 0 omitted", delta, 5, 0},
		{"full with large seq", full, 0, math.MaxUint32},
		{"empty shared", nil, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prefix := []byte{0xDE, 0xAD}
			frame := AppendSnapshotFrame(bytes.Clone(prefix), tt.shared, tt.seq)
			if !bytes.Equal(frame[:2], prefix) {
				t.Fatal("prefix overwritten")
			}
			frame = frame[2:]
			if got := SnapshotFrameSize(tt.shared, tt.seq); got != len(frame) {
				t.Fatalf("SnapshotFrameSize = %d, frame is %d bytes", got, len(frame))
			}
			var msg pb.ServerMessage
			if err := proto.Unmarshal(frame, &msg); err != nil {
				t.Fatal(err)
			}
			snap := msg.GetSnapshot()
			if snap == nil {
				t.Fatalf("ServerMessage body = %T, want snapshot", msg.GetBody())
			}
			want := &pb.Snapshot{LastInputSeq: tt.seq}
			if tt.shared != nil {
				want = &pb.Snapshot{
					Tick:         6,
					BaseTick:     tt.base,
					ServerTimeUs: latest.ServerTimeUS,
					Checksum:     latest.Checksum,
					Delta:        snap.GetDelta(),
					Events:       []*pb.GameEvent{{Tick: 6, Kind: 3, Target: 2, Value: math.MinInt32}},
					LastInputSeq: tt.seq,
				}
				var base []Entity
				if tt.base != 0 {
					s, _ := h.Get(tt.base)
					base = s.Entities
				}
				got, err := ApplyDelta(nil, base, snap.GetDelta())
				if err != nil || Checksum(got) != latest.Checksum {
					t.Fatalf("delta does not rebuild the latest snapshot: %v", err)
				}
			}
			if !proto.Equal(snap, want) {
				t.Fatalf("snapshot = %v, want %v", snap, want)
			}
			// Byte-identical to what proto.Marshal makes of the same message.
			marshaled, err := proto.MarshalOptions{Deterministic: true}.Marshal(&pb.ServerMessage{Body: &pb.ServerMessage_Snapshot{Snapshot: want}})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(frame, marshaled) {
				t.Fatalf("frame = % x\nproto.Marshal = % x", frame, marshaled)
			}
		})
	}
}
