package wire

import (
	"google.golang.org/protobuf/encoding/protowire"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// AppendInputFrame appends to dst the ClientMessage frame holding an
// InputBatch of inputs and ackTick: the bytes proto.Marshal writes for it
// (fields in number order, zero scalars and empty values left out, values
// packed), without the reflection and the wrapper messages. A client
// writes every input through it.
func AppendInputFrame(dst []byte, inputs []*pb.Input, ackTick uint32) []byte {
	body := sizeVarintField(inputBatchAckTick, uint64(ackTick))
	for _, in := range inputs {
		body += protowire.SizeTag(inputBatchInputs) + protowire.SizeBytes(inputSize(in))
	}
	dst = protowire.AppendTag(dst, clientMessageInput, protowire.BytesType)
	dst = protowire.AppendVarint(dst, uint64(body))
	for _, in := range inputs {
		dst = protowire.AppendTag(dst, inputBatchInputs, protowire.BytesType)
		dst = protowire.AppendVarint(dst, uint64(inputSize(in)))
		dst = appendVarintField(dst, inputSeq, uint64(in.GetSeq()))
		dst = appendVarintField(dst, inputTick, uint64(in.GetTick()))
		if values := in.GetValues(); len(values) > 0 {
			dst = protowire.AppendTag(dst, inputValues, protowire.BytesType)
			dst = protowire.AppendVarint(dst, uint64(packedValuesSize(values)))
			for _, v := range values {
				dst = protowire.AppendVarint(dst, sint32(v))
			}
		}
	}
	return appendVarintField(dst, inputBatchAckTick, uint64(ackTick))
}

// inputSize is the size of the Input message body of in.
func inputSize(in *pb.Input) int {
	n := sizeVarintField(inputSeq, uint64(in.GetSeq())) + sizeVarintField(inputTick, uint64(in.GetTick()))
	if values := in.GetValues(); len(values) > 0 {
		n += protowire.SizeTag(inputValues) + protowire.SizeBytes(packedValuesSize(values))
	}
	return n
}
