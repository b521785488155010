package wire

import (
	"fmt"
	"slices"
	"testing"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// inputFrame marshals a ClientMessage holding batch.
func inputFrame(t testing.TB, batch *pb.InputBatch) []byte {
	t.Helper()
	b, err := proto.Marshal(&pb.ClientMessage{Body: &pb.ClientMessage_Input{Input: batch}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// checkAgainstProto fails unless a frame DecodeInputFrame took decodes to
// the same batch through proto.Unmarshal.
func checkAgainstProto(t *testing.T, frame []byte, got *InputBatch) {
	t.Helper()
	var msg pb.ClientMessage
	if err := proto.Unmarshal(frame, &msg); err != nil {
		t.Fatalf("fast path took a frame proto refuses (%v): %x", err, frame)
	}
	want := msg.GetInput()
	if want == nil {
		t.Fatalf("fast path took a frame that is no InputBatch: %x", frame)
	}
	if got.AckTick != want.GetAckTick() || len(got.Inputs) != len(want.GetInputs()) {
		t.Fatalf("batch: got ack %d, %d inputs; proto ack %d, %d inputs (%x)",
			got.AckTick, len(got.Inputs), want.GetAckTick(), len(want.GetInputs()), frame)
	}
	for i, w := range want.GetInputs() {
		g := &got.Inputs[i]
		values := w.GetValues()
		if g.Seq != w.GetSeq() || g.Tick != w.GetTick() || g.NValues != len(values) ||
			!slices.Equal(g.Stored(), values[:min(len(values), MaxInputFields)]) {
			t.Fatalf("input %d: got %+v; proto seq %d tick %d values %v (%x)", i, *g, w.GetSeq(), w.GetTick(), values, frame)
		}
	}
}

func TestDecodeInputFrame(t *testing.T) {
	many := make([]int32, MaxInputFields+3)
	for i := range many {
		many[i] = int32(i - 9)
	}
	batch := func(n int, values []int32) *pb.InputBatch {
		b := &pb.InputBatch{AckTick: 4990}
		for i := range n {
			b.Inputs = append(b.Inputs, &pb.Input{Seq: uint32(1000 + i), Tick: uint32(5000 + i), Values: values})
		}
		return b
	}
	unpacked := protowire.AppendTag(nil, inputValues, protowire.VarintType)
	unpacked = protowire.AppendVarint(unpacked, protowire.EncodeZigZag(-5))
	unpackedInput := protowire.AppendTag(nil, inputBatchInputs, protowire.BytesType)
	unpackedInput = protowire.AppendBytes(unpackedInput, append([]byte{0x08, 0x07}, unpacked...))
	envelope := func(body []byte) []byte {
		b := protowire.AppendTag(nil, clientMessageInput, protowire.BytesType)
		return protowire.AppendBytes(b, body)
	}
	tests := []struct {
		name  string
		frame []byte
		fast  bool
	}{
		{"empty batch", inputFrame(t, &pb.InputBatch{}), true},
		{"one input", inputFrame(t, batch(1, []int32{0, 90, -90, 1024})), true},
		{"six inputs", inputFrame(t, batch(6, []int32{1, -1})), true},
		{"no values", inputFrame(t, batch(2, nil)), true},
		{"more values than any schema", inputFrame(t, batch(1, many)), true},
		{"most inputs", inputFrame(t, batch(MaxFastBatchInputs, []int32{3})), true},
		{"unpacked values", envelope(unpackedInput), true},
		{"unknown batch field", envelope(protowire.AppendVarint(protowire.AppendTag(nil, 9, protowire.VarintType), 5)), true},
		{"too many inputs", inputFrame(t, batch(MaxFastBatchInputs+1, []int32{3})), false},
		{"ack", mustMarshal(t, &pb.ClientMessage{Body: &pb.ClientMessage_Ack{Ack: &pb.Ack{Tick: 3}}}), false},
		{"hello", mustMarshal(t, &pb.ClientMessage{Body: &pb.ClientMessage_Hello{Hello: &pb.Hello{ProtocolVersion: 2}}}), false},
		{"two envelopes", append(inputFrame(t, batch(1, nil)), inputFrame(t, batch(1, nil))...), false},
		{"truncated", inputFrame(t, batch(1, []int32{1}))[:5], false},
		{"ack tick as bytes", envelope(protowire.AppendBytes(protowire.AppendTag(nil, inputBatchAckTick, protowire.BytesType), nil)), false},
		{"empty frame", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b InputBatch
			if got := DecodeInputFrame(tt.frame, &b); got != tt.fast {
				t.Fatalf("DecodeInputFrame = %v, want %v", got, tt.fast)
			}
			if tt.fast {
				checkAgainstProto(t, tt.frame, &b)
			}
		})
	}
}

func mustMarshal(t testing.TB, m proto.Message) []byte {
	t.Helper()
	b, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDecodeInputFrameReuses decodes a large batch, then a small one, into
// one InputBatch: nothing of the first may show through.
func TestDecodeInputFrameReuses(t *testing.T) {
	var b InputBatch
	big := &pb.InputBatch{AckTick: 7}
	for i := range 4 {
		big.Inputs = append(big.Inputs, &pb.Input{Seq: uint32(i + 1), Values: []int32{1, 2, 3}})
	}
	small := &pb.InputBatch{Inputs: []*pb.Input{{Seq: 9}}}
	for _, batch := range []*pb.InputBatch{big, small} {
		frame := inputFrame(t, batch)
		if !DecodeInputFrame(frame, &b) {
			t.Fatal("not decoded")
		}
		checkAgainstProto(t, frame, &b)
	}
}

// FuzzDecodeInputFrame holds the fast path to proto.Unmarshal: every frame
// it takes decodes to the same inputs through the generic decoder.
func FuzzDecodeInputFrame(f *testing.F) {
	for _, n := range []int{0, 1, 3} {
		b := &pb.InputBatch{AckTick: 12}
		for i := range n {
			b.Inputs = append(b.Inputs, &pb.Input{Seq: uint32(i + 1), Tick: 40, Values: []int32{-1, 0, 70000, -2147483648}})
		}
		f.Add(inputFrame(f, b))
	}
	f.Add([]byte{0x22, 0x04, 0x0a, 0x02, 0x38, 0x03})
	f.Fuzz(func(t *testing.T, frame []byte) {
		var b InputBatch
		if DecodeInputFrame(frame, &b) {
			checkAgainstProto(t, frame, &b)
		}
	})
}

func BenchmarkDecodeInputFrame(b *testing.B) {
	for _, n := range []int{1, 3, 6} {
		b.Run(fmt.Sprintf("inputs=%d", n), func(b *testing.B) {
			batch := &pb.InputBatch{AckTick: 4990}
			for i := range n {
				batch.Inputs = append(batch.Inputs, &pb.Input{Seq: uint32(1000 + i), Tick: uint32(5000 + 2*i),
					Values: []int32{0, 90, -90, 1024}})
			}
			frame := inputFrame(b, batch)
			var in InputBatch
			b.SetBytes(int64(len(frame)))
			b.ReportAllocs()
			for b.Loop() {
				if !DecodeInputFrame(frame, &in) || len(in.Inputs) != n {
					b.Fatal("lost inputs")
				}
			}
		})
	}
}
