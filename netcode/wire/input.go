package wire

import (
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// Field numbers of ClientMessage.input, InputBatch and Input that
// DecodeInputFrame reads by hand (proto/tickwire/v1/tickwire.proto).
const (
	clientMessageInput protowire.Number = 4

	inputBatchInputs  protowire.Number = 1
	inputBatchAckTick protowire.Number = 2

	inputSeq    protowire.Number = 1
	inputTick   protowire.Number = 2
	inputValues protowire.Number = 7
)

// MaxFastBatchInputs is the most inputs DecodeInputFrame takes from one
// batch; a larger batch is left to the generic decoder, so an InputBatch
// reused on a connection never grows past this many inputs.
const MaxFastBatchInputs = 16

// ClientInput is one Input of an InputBatch, decoded without allocating.
type ClientInput struct {
	// Seq and Tick are the Input's seq and tick.
	Seq, Tick uint32
	// Values holds the first MaxInputFields values; the rest are counted
	// in NValues only.
	Values [MaxInputFields]int32
	// NValues is how many values the input carried, which may be more
	// than Values holds: such an input has more values than any schema
	// allows.
	NValues int
}

// Stored returns the values Values holds, at most MaxInputFields.
func (in *ClientInput) Stored() []int32 { return in.Values[:min(in.NValues, MaxInputFields)] }

// InputBatch is a decoded InputBatch. A connection's reader keeps one and
// decodes every input frame into it, so reading inputs allocates nothing.
type InputBatch struct {
	// Inputs are the batch's inputs, oldest first.
	Inputs []ClientInput
	// AckTick is the newest snapshot tick the client has applied.
	AckTick uint32
}

// DecodeInputFrame decodes data into b when data is a ClientMessage whose
// only field is an InputBatch of at most MaxFastBatchInputs inputs, and
// reports whether it did. Any other frame, including a malformed one or
// one using encodings a client has no reason to (groups, repeated or
// unknown envelope fields, wire types that do not match the schema), is
// left to proto.Unmarshal: false means "decode it the generic way", never
// "invalid". For the frames it takes, b holds what proto.Unmarshal of the
// same bytes would: proto3 rules (last scalar wins, unknown fields
// skipped, packed or unpacked values, uint32 and sint32 truncation).
// FuzzDecodeInputFrame holds it to that.
func DecodeInputFrame(data []byte, b *InputBatch) bool {
	num, typ, n := protowire.ConsumeTag(data)
	if n < 0 || num != clientMessageInput || typ != protowire.BytesType {
		return false
	}
	body, m := protowire.ConsumeBytes(data[n:])
	if m < 0 || n+m != len(data) {
		return false
	}
	b.Inputs = b.Inputs[:0]
	b.AckTick = 0
	for len(body) > 0 {
		num, typ, n := consumeTag(body)
		if n < 0 {
			return false
		}
		body = body[n:]
		switch {
		case num == inputBatchInputs && typ == protowire.BytesType:
			msg, n := protowire.ConsumeBytes(body)
			if n < 0 || len(b.Inputs) == MaxFastBatchInputs {
				return false
			}
			b.Inputs = append(b.Inputs, ClientInput{})
			if !decodeInput(msg, &b.Inputs[len(b.Inputs)-1]) {
				return false
			}
			body = body[n:]
		case num == inputBatchAckTick && typ == protowire.VarintType:
			v, n := protowire.ConsumeVarint(body)
			if n < 0 {
				return false
			}
			b.AckTick = uint32(v)
			body = body[n:]
		case num == inputBatchInputs || num == inputBatchAckTick:
			return false // a known field in a foreign wire type
		default:
			if n = skipField(body, num, typ); n < 0 {
				return false
			}
			body = body[n:]
		}
	}
	return true
}

// decodeInput decodes one Input message into in (zeroed by the caller).
func decodeInput(msg []byte, in *ClientInput) bool {
	for len(msg) > 0 {
		num, typ, n := consumeTag(msg)
		if n < 0 {
			return false
		}
		msg = msg[n:]
		switch {
		case (num == inputSeq || num == inputTick || num == inputValues) && typ == protowire.VarintType:
			v, n := protowire.ConsumeVarint(msg)
			if n < 0 {
				return false
			}
			msg = msg[n:]
			switch num {
			case inputSeq:
				in.Seq = uint32(v)
			case inputTick:
				in.Tick = uint32(v)
			default:
				in.addValue(v)
			}
		case num == inputValues && typ == protowire.BytesType:
			packed, n := protowire.ConsumeBytes(msg)
			if n < 0 {
				return false
			}
			msg = msg[n:]
			for len(packed) > 0 {
				v, k := protowire.ConsumeVarint(packed)
				if k < 0 {
					return false
				}
				packed = packed[k:]
				in.addValue(v)
			}
		case num == inputSeq || num == inputTick || num == inputValues:
			return false // a known field in a foreign wire type
		default:
			if n = skipField(msg, num, typ); n < 0 {
				return false
			}
			msg = msg[n:]
		}
	}
	return true
}

// addValue appends a sint32 value read as the varint v, decoded as
// protobuf does: zigzag over the low 32 bits.
func (in *ClientInput) addValue(v uint64) {
	if in.NValues < MaxInputFields {
		in.Values[in.NValues] = int32(protowire.DecodeZigZag(v & math.MaxUint32))
	}
	in.NValues++
}

// skipField returns the length of the value of an unknown field, or -1
// for a malformed one or a group (which no tickwire client writes).
func skipField(b []byte, num protowire.Number, typ protowire.Type) int {
	if typ == protowire.StartGroupType || typ == protowire.EndGroupType {
		return -1
	}
	return protowire.ConsumeFieldValue(num, typ, b)
}

// consumeTag is protowire.ConsumeTag refusing, as proto.Unmarshal does,
// field numbers above protowire.MaxValidNumber.
func consumeTag(b []byte) (protowire.Number, protowire.Type, int) {
	num, typ, n := protowire.ConsumeTag(b)
	if n >= 0 && num > protowire.MaxValidNumber {
		return 0, 0, -1
	}
	return num, typ, n
}
