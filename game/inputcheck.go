package game

import (
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// verdict is what checkInput decides about an input.
type verdict int

// Verdicts of checkInput.
const (
	inputOK        verdict = iota // queue it
	inputInvalid                  // unusable (seq 0, nil, too many values): dropped and counted
	inputDuplicate                // already queued: clients resend recent inputs on purpose
)

// checkInput turns a client's input into the Input the room queues, given
// the highest seq already queued through the same port and the schema's
// input fields, and says whether to queue it. Seq 0 and more values than
// the schema names are invalid, and a seq not above highest is a
// duplicate. Each value is made valid for its field (wire.Field.Clamp). It
// is the only place that knows what a valid input is.
func checkInput(in *pb.Input, highest uint32, fields []wire.Field) (Input, verdict) {
	seq, values := in.GetSeq(), in.GetValues()
	switch {
	case seq == 0 || len(values) > len(fields):
		return Input{}, inputInvalid
	case seq <= highest:
		return Input{}, inputDuplicate
	}
	v := Input{Seq: seq}
	for i, x := range values {
		v.Values[i] = fields[i].Clamp(x)
	}
	return v, inputOK
}
