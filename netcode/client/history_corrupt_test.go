package client

import (
	"errors"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// TestHistoryCorruptChecksumHook: the test hook makes exactly the chosen
// ticks fail a replica's checksum check.
func TestHistoryCorruptChecksumHook(t *testing.T) {
	h := wire.NewHistory(8)
	h.TestCorruptChecksum = func(tick uint32) bool { return tick == 2 }
	r := NewReplica(8)
	for tick := uint32(1); tick <= 3; tick++ {
		h.Push(wire.Snapshot{Tick: tick, Entities: []wire.Entity{{ID: 1, Fields: [wire.FieldCount]int32{1, int32(tick)}}}})
		shared, _ := h.EncodeLatest(0)
		var msg pb.ServerMessage
		if err := proto.Unmarshal(wire.AppendSnapshotFrame(nil, shared, 0), &msg); err != nil {
			t.Fatal(err)
		}
		snap := msg.GetSnapshot()
		_, err := r.Apply(snap.GetTick(), snap.GetBaseTick(), snap.GetDelta(), snap.GetChecksum())
		if tick == 2 {
			if !errors.Is(err, ErrSnapshotChecksum) {
				t.Fatalf("tick 2: %v, want a checksum mismatch", err)
			}
		} else if err != nil {
			t.Fatalf("tick %d: %v", tick, err)
		}
	}
}
