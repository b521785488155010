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
	inputInvalid                  // unusable (seq 0, or nil): dropped and counted
	inputDuplicate                // already queued: clients resend recent inputs on purpose
)

// checkInput turns a client's input into the Input the room queues, given
// the highest seq already queued through the same port, and says whether to
// queue it. Seq 0 is invalid, and a seq not above highest is a duplicate.
// Move axes are clamped to ±wire.MoveAxisMax and aim is taken modulo
// wire.AngleSteps. It is the only place that knows what a valid input is.
func checkInput(in *pb.Input, highest uint32) (Input, verdict) {
	seq := in.GetSeq()
	switch {
	case seq == 0:
		return Input{}, inputInvalid
	case seq <= highest:
		return Input{}, inputDuplicate
	}
	return Input{
		Seq:     seq,
		Buttons: in.GetButtons(),
		MoveX:   clampAxis(in.GetMoveX()),
		MoveY:   clampAxis(in.GetMoveY()),
		Aim:     int32(in.GetAim() % wire.AngleSteps),
	}, inputOK
}

// clampAxis clamps a move axis to ±wire.MoveAxisMax.
func clampAxis(v int32) int32 {
	return max(-wire.MoveAxisMax, min(wire.MoveAxisMax, v))
}
