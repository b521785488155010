package wire

import (
	"bytes"
	"fmt"
	"testing"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
	"google.golang.org/protobuf/proto"
)

func TestAppendInputFrame(t *testing.T) {
	tests := []struct {
		name    string
		inputs  []*pb.Input
		ackTick uint32
	}{
		{"no inputs, no ack", nil, 0},
		{"ack alone", nil, 70000},
		{"one input", []*pb.Input{{Seq: 1, Tick: 40, Values: []int32{127, -127, 90}}}, 38},
		{"zeros left out", []*pb.Input{{Seq: 0, Tick: 0, Values: []int32{0, 0}}, {Seq: 2}}, 0},
		{"extremes", []*pb.Input{{Seq: 1<<32 - 1, Tick: 1<<32 - 1, Values: []int32{-2147483648, 2147483647, -1}}}, 1<<32 - 1},
		{"four inputs", []*pb.Input{{Seq: 7, Tick: 100, Values: []int32{1}}, {Seq: 8, Tick: 102}, {Seq: 9, Tick: 104, Values: []int32{-3, 4}},
			{Seq: 10, Tick: 105, Values: []int32{0, 0, 0, 5}}}, 99},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := AppendInputFrame([]byte{0xaa}, tt.inputs, tt.ackTick)
			if got[0] != 0xaa {
				t.Fatal("dst's bytes were not kept")
			}
			got = got[1:]
			want, err := proto.MarshalOptions{Deterministic: true}.Marshal(&pb.ClientMessage{Body: &pb.ClientMessage_Input{
				Input: &pb.InputBatch{Inputs: tt.inputs, AckTick: tt.ackTick}}})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("AppendInputFrame = %x\nproto.Marshal   = %x", got, want)
			}
			// The server's fast path takes what a client writes.
			var b InputBatch
			if !DecodeInputFrame(got, &b) {
				t.Fatalf("DecodeInputFrame refused %x", got)
			}
			checkAgainstProto(t, got, &b)
		})
	}
}

func TestAppendInputFrameAllocates(t *testing.T) {
	inputs := []*pb.Input{{Seq: 7, Tick: 100, Values: []int32{1, 2, 3}}, {Seq: 8, Tick: 102, Values: []int32{4, 5, 6}}}
	buf := make([]byte, 0, 256)
	if n := testing.AllocsPerRun(100, func() { buf = AppendInputFrame(buf[:0], inputs, 99) }); n != 0 {
		t.Errorf("%v allocations per frame, want 0", n)
	}
}

func BenchmarkAppendInputFrame(b *testing.B) {
	for _, n := range []int{1, 4} {
		b.Run(fmt.Sprintf("inputs=%d", n), func(b *testing.B) {
			var inputs []*pb.Input
			for i := range n {
				inputs = append(inputs, &pb.Input{Seq: uint32(1000 + i), Tick: uint32(5000 + 2*i), Values: []int32{0, 90, -90, 1024}})
			}
			buf := make([]byte, 0, 256)
			b.ReportAllocs()
			for b.Loop() {
				buf = AppendInputFrame(buf[:0], inputs, 4990)
			}
		})
	}
}
