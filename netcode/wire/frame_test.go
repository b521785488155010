package wire

import (
	"bytes"
	"math"
	"testing"

	"google.golang.org/protobuf/proto"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// snapshotProto is the generated message of the same fields, the values
// of each event trimmed after the last nonzero one as a sender writes them.
func snapshotProto(s *SnapshotFields, seq uint32) *pb.Snapshot {
	m := &pb.Snapshot{
		Tick: s.Tick, BaseTick: s.BaseTick, ServerTimeUs: s.ServerTimeUS,
		Checksum: s.Checksum, Delta: s.Delta, LastInputSeq: seq,
	}
	for _, evs := range s.Events {
		for k := range evs {
			e := &evs[k]
			m.Events = append(m.Events, &pb.GameEvent{Tick: e.Tick, Kind: e.Kind, Actor: e.Actor, Target: e.Target,
				Values: append([]int32(nil), eventValues(e)...)})
		}
	}
	return m
}

func TestSnapshotFrameMatchesProtoMarshal(t *testing.T) {
	l := NewWidthLayout(5)
	base := rowsOf(l, ent{1, []int32{1, 10, 20}}, ent{4, []int32{2}})
	target := rowsOf(l, ent{1, []int32{1, 12, 19}}, ent{6, []int32{3, 0, 0, 0, -1}})
	delta := EncodeDelta(nil, base, target)
	full := EncodeDelta(nil, nil, target)
	events := [][]Event{
		{
			{Tick: 6, Kind: 3, Target: 2, Values: [MaxEventValues]int32{math.MinInt32}},
			{Tick: 6, Kind: 1}, // no values
		},
		nil,
		{
			{Tick: 7, Kind: 2, Actor: math.MaxUint32, Values: [MaxEventValues]int32{0, 0, 5}},      // zeros before the last nonzero
			{Tick: 7, Kind: 4, Values: [MaxEventValues]int32{-1, math.MaxInt32, 0, math.MinInt32}}, // all four
			{Tick: 7, Kind: 5, Values: [MaxEventValues]int32{1}},
		},
	}
	tests := []struct {
		name string
		f    SnapshotFields
		seq  uint32
	}{
		{"delta with events and seq", SnapshotFields{Tick: 7, BaseTick: 5, ServerTimeUS: 350_000, Checksum: Checksum(target), Delta: delta, Events: events}, 4242},
		{"delta seq 0 omitted", SnapshotFields{Tick: 7, BaseTick: 5, ServerTimeUS: 350_000, Checksum: Checksum(target), Delta: delta}, 0},
		{"full with large seq", SnapshotFields{Tick: math.MaxUint32, ServerTimeUS: math.MaxInt64, Checksum: Checksum(target), Delta: full, Events: events[2:]}, math.MaxUint32},
		{"negative server time", SnapshotFields{Tick: 1, ServerTimeUS: -1, Delta: []byte{0, 0}}, 1},
		{"all zero", SnapshotFields{}, 0},
		{"only seq", SnapshotFields{}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prefix := []byte{0xDE, 0xAD}
			shared := tt.f.AppendTo(bytes.Clone(prefix))
			if !bytes.Equal(shared[:2], prefix) {
				t.Fatal("AppendTo overwrote the prefix")
			}
			shared = shared[2:]
			if got := tt.f.Size(); got != len(shared) {
				t.Fatalf("Size = %d, AppendTo wrote %d bytes", got, len(shared))
			}
			frame := AppendSnapshotFrame(bytes.Clone(prefix), shared, tt.seq)
			if !bytes.Equal(frame[:2], prefix) {
				t.Fatal("AppendSnapshotFrame overwrote the prefix")
			}
			frame = frame[2:]
			if got := SnapshotFrameSize(shared, tt.seq); got != len(frame) {
				t.Fatalf("SnapshotFrameSize = %d, frame is %d bytes", got, len(frame))
			}
			want := snapshotProto(&tt.f, tt.seq)
			// Byte-identical to what proto.Marshal makes of the same message.
			marshaled, err := proto.MarshalOptions{Deterministic: true}.Marshal(&pb.ServerMessage{Body: &pb.ServerMessage_Snapshot{Snapshot: want}})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(frame, marshaled) {
				t.Fatalf("frame = % x\nproto.Marshal = % x", frame, marshaled)
			}
			var msg pb.ServerMessage
			if err := proto.Unmarshal(frame, &msg); err != nil {
				t.Fatal(err)
			}
			snap := msg.GetSnapshot()
			if !proto.Equal(snap, want) {
				t.Fatalf("snapshot = %v, want %v", snap, want)
			}
			// What a receiver makes of the events is what was sent.
			var sent []Event
			for _, evs := range tt.f.Events {
				sent = append(sent, evs...)
			}
			if len(snap.GetEvents()) != len(sent) {
				t.Fatalf("%d events received, %d sent", len(snap.GetEvents()), len(sent))
			}
			for k, e := range snap.GetEvents() {
				if got := EventFromProto(e); got != sent[k] {
					t.Fatalf("event %d = %+v, sent %+v", k, got, sent[k])
				}
			}
			if tt.f.Checksum != 0 {
				var b *Rows
				if tt.f.BaseTick != 0 {
					b = base
				}
				got := NewRows(l, 0)
				if err := ApplyDelta(got, b, snap.GetDelta()); err != nil || Checksum(got) != snap.GetChecksum() {
					t.Fatalf("the received delta does not rebuild the checksummed rows: %v", err)
				}
			}
		})
	}
}

func TestEventFromProto(t *testing.T) {
	tests := []struct {
		name string
		in   *pb.GameEvent
		want Event
	}{
		{"nil", nil, Event{}},
		{"values", &pb.GameEvent{Tick: 1, Kind: 2, Actor: 3, Target: 4, Values: []int32{-1, 0, 7}},
			Event{Tick: 1, Kind: 2, Actor: 3, Target: 4, Values: [MaxEventValues]int32{-1, 0, 7}}},
		{"extra values dropped", &pb.GameEvent{Kind: 1, Values: []int32{1, 2, 3, 4, 5, 6}},
			Event{Kind: 1, Values: [MaxEventValues]int32{1, 2, 3, 4}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := EventFromProto(tt.in); got != tt.want {
				t.Fatalf("EventFromProto = %+v, want %+v", got, tt.want)
			}
		})
	}
}
