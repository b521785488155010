package record

import (
	"bytes"
	"testing"

	"google.golang.org/protobuf/encoding/protodelim"
	"google.golang.org/protobuf/proto"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// TestEntryEncoderMatchesProto checks the Recorder's hand encoding against the
// generated messages: the bytes of proto.Marshal, and a round trip.
func TestEntryEncoderMatchesProto(t *testing.T) {
	var e entryEncoder
	tests := []struct {
		name string
		got  []byte
		want *pb.RecordEntry
	}{
		{"join", e.join(nil, 3, "ann", 7, false),
			&pb.RecordEntry{Entry: &pb.RecordEntry_Join{Join: &pb.RecordJoin{Player: 3, Name: "ann", EntityId: 7}}}},
		{"join refused", e.join(nil, 4, "bot", 0, true),
			&pb.RecordEntry{Entry: &pb.RecordEntry_Join{Join: &pb.RecordJoin{Player: 4, Name: "bot", Refused: true}}}},
		{"leave", e.player(nil, entryLeave, 300),
			&pb.RecordEntry{Entry: &pb.RecordEntry_Leave{Leave: &pb.RecordLeave{Player: 300}}}},
		{"disconnected", e.player(nil, entryDisconnected, 2),
			&pb.RecordEntry{Entry: &pb.RecordEntry_Disconnected{Disconnected: &pb.RecordDisconnected{Player: 2}}}},
		{"reconnected", e.player(nil, entryReconnected, 2),
			&pb.RecordEntry{Entry: &pb.RecordEntry_Reconnected{Reconnected: &pb.RecordReconnected{Player: 2}}}},
		{"input", e.input(nil, 5, game.Input{Seq: 70000, Values: [wire.MaxInputFields]int32{1, -127, 64, 65535}}),
			&pb.RecordEntry{Entry: &pb.RecordEntry_Input{Input: &pb.RecordInput{Player: 5, Seq: 70000, Values: []int32{1, -127, 64, 65535}}}}},
		{"input trailing zeros", e.input(nil, 5, game.Input{Seq: 2, Values: [wire.MaxInputFields]int32{0, -1 << 31, 0, 7}}),
			&pb.RecordEntry{Entry: &pb.RecordEntry_Input{Input: &pb.RecordInput{Player: 5, Seq: 2, Values: []int32{0, -1 << 31, 0, 7}}}}},
		{"input zeros", e.input(nil, 1, game.Input{Seq: 1}),
			&pb.RecordEntry{Entry: &pb.RecordEntry_Input{Input: &pb.RecordInput{Player: 1, Seq: 1}}}},
		{"message", e.message(nil, 3, game.Message{Kind: 9, Values: [wire.MaxMessageValues]int32{1, 0, -5}}),
			&pb.RecordEntry{Entry: &pb.RecordEntry_Message{Message: &pb.RecordMessage{Player: 3, Kind: 9, Values: []int32{1, 0, -5}}}}},
		{"message zeros", e.message(nil, 1, game.Message{Kind: 1}),
			&pb.RecordEntry{Entry: &pb.RecordEntry_Message{Message: &pb.RecordMessage{Player: 1, Kind: 1}}}},
		{"start match", e.tick(nil, entryStartMatch, 181),
			&pb.RecordEntry{Entry: &pb.RecordEntry_StartMatch{StartMatch: &pb.RecordStartMatch{Tick: 181}}}},
		{"debug", e.debug(nil, "heal all"),
			&pb.RecordEntry{Entry: &pb.RecordEntry_Debug{Debug: &pb.RecordDebug{Command: "heal all"}}}},
		{"step", e.tick(nil, entryStep, 1<<20),
			&pb.RecordEntry{Entry: &pb.RecordEntry_Step{Step: &pb.RecordStep{Tick: 1 << 20}}}},
		{"checksum", e.checksum(nil, 3, 0xdeadbeef),
			&pb.RecordEntry{Entry: &pb.RecordEntry_Checksum{Checksum: &pb.RecordChecksum{Tick: 3, Checksum: 0xdeadbeef}}}},
		{"checksum zero", e.checksum(nil, 3, 0),
			&pb.RecordEntry{Entry: &pb.RecordEntry_Checksum{Checksum: &pb.RecordChecksum{Tick: 3}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want bytes.Buffer
			if _, err := protodelim.MarshalTo(&want, tt.want); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(tt.got, want.Bytes()) {
				t.Errorf("encoded % x, want % x", tt.got, want.Bytes())
			}
			var back pb.RecordEntry
			if err := protodelim.UnmarshalFrom(bytes.NewReader(tt.got), &back); err != nil {
				t.Fatalf("decode: %v", err)
			}
			if !proto.Equal(&back, tt.want) {
				t.Errorf("decoded %v, want %v", &back, tt.want)
			}
		})
	}
}

// headerSchema is a small valid schema for headers.
var headerSchema = &wire.Schema{
	Entities: []wire.EntityKind{{Kind: 1, Name: "dot", Fields: []wire.Field{{Name: "x", Type: wire.TypeInt}}}},
	Input:    []wire.Field{{Name: "dx", Type: wire.TypeInt}},
}

func TestAppendHeader(t *testing.T) {
	cfg := game.RoomConfig{ID: "r9", Mode: "arena", Schema: headerSchema, ModeOptions: map[string]string{"fog": "300"},
		TickHz: 60, SnapshotHz: 20, MaxPlayers: 16, Seed: -5}
	b, err := appendHeader([]byte{0xff}, cfg, 1700000000)
	if err != nil {
		t.Fatal(err)
	}
	var h pb.RecordHeader
	if err := protodelim.UnmarshalFrom(bytes.NewReader(b[1:]), &h); err != nil {
		t.Fatal(err)
	}
	want := &pb.RecordHeader{FormatVersion: FormatVersion, RoomId: "r9", Mode: "arena", TickHz: 60,
		SnapshotHz: 20, MaxPlayers: 16, Seed: -5, StartedUnix: 1700000000,
		Schema: headerSchema.Proto(), Options: map[string]string{"fog": "300"}}
	if !proto.Equal(&h, want) {
		t.Errorf("header %v, want %v", &h, want)
	}
}

// BenchmarkRecorderInput measures recording one input into the in-memory
// log, the recording cost of every input a room applies.
func BenchmarkRecorderInput(b *testing.B) {
	rc, err := NewRecorder(Options{LogBytes: 1 << 40})
	if err != nil {
		b.Fatal(err)
	}
	in := game.Input{Seq: 1000, Values: [wire.MaxInputFields]int32{1, -90, 45, 2000}}
	b.ReportAllocs()
	for i := range b.N {
		in.Seq = uint32(i)
		rc.Input(game.PlayerID(i%16+1), in)
	}
	b.ReportMetric(float64(rc.log.size)/float64(b.N), "B/entry")
}
