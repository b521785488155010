package netcode

import (
	"fmt"
	"testing"

	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
	"google.golang.org/protobuf/proto"
)

// BenchmarkInputDecode is the decode step of the read path alone: one
// ClientMessage holding an InputBatch, decoded as handleFrame does for a
// connection with an input handler (the lobby's): wire.DecodeInputFrame
// into the batch the reader reuses, proto.Unmarshal into a fresh message
// only for a frame it leaves alone. An arena-move bot sends 30 inputs a second and its
// batch repeats the inputs the server has not acknowledged yet, so a batch
// holds one to a few inputs of four values (buttons, move x, move y, aim).
func BenchmarkInputDecode(b *testing.B) {
	for _, n := range []int{1, 3, 6} {
		b.Run(fmt.Sprintf("inputs=%d", n), func(b *testing.B) {
			batch := &pb.InputBatch{AckTick: 4990}
			for i := range n {
				batch.Inputs = append(batch.Inputs, &pb.Input{Seq: uint32(1000 + i), Tick: uint32(5000 + 2*i),
					Values: []int32{0, 90, -90, 1024}})
			}
			frame, err := proto.Marshal(&pb.ClientMessage{Body: &pb.ClientMessage_Input{Input: batch}})
			if err != nil {
				b.Fatal(err)
			}
			var in wire.InputBatch
			b.SetBytes(int64(len(frame)))
			b.ReportAllocs()
			for b.Loop() {
				if wire.DecodeInputFrame(frame, &in) {
					if len(in.Inputs) != n {
						b.Fatal("lost inputs")
					}
					continue
				}
				msg := new(pb.ClientMessage)
				if err := proto.Unmarshal(frame, msg); err != nil {
					b.Fatal(err)
				}
				if len(msg.GetInput().GetInputs()) != n {
					b.Fatal("lost inputs")
				}
			}
		})
	}
}
