package game

import "github.com/tickwire/tickwire/netcode/wire"

// MaxFirstSeq is the highest seq a seat's first input may have: a client
// may number inputs across rooms (the Go client does), but a first seq near
// 2^32 would leave the seat no room to count on.
const MaxFirstSeq = 1 << 31

// verdict is what checkInput decides about an input.
type verdict int

// Verdicts of checkInput.
const (
	inputOK        verdict = iota // queue it
	inputInvalid                  // unusable (seq 0, nil, too many values): dropped and counted
	inputDuplicate                // already queued: clients resend recent inputs on purpose
	inputSeqJump                  // too far ahead of the seat's seqs: dropped and counted
)

// inputRules are what a room's seats check inputs against; shared by the
// seats of a room and read-only.
type inputRules struct {
	// fields are the schema's input fields.
	fields []wire.Field
	// maxBatch is the most inputs taken from one batch.
	maxBatch int
	// maxJump is how far above the highest seq an input may be.
	maxJump uint32
}

// checkInput turns a client's input (its seq, its values, and n, how many
// values it carried: values may hold fewer) into the Input the room queues,
// given the highest seq already queued or applied through the same seat (0
// for none yet) and the room's rules, and says whether to queue it. Seq 0
// and more values than the schema names are invalid, a seq not above
// highest is a duplicate, and one more than rules.maxJump above it (above
// MaxFirstSeq for a seat's first input) is a seq jump. Each value is made
// valid for its field (wire.Field.Clamp). It is the only place that knows
// what a valid input is.
func checkInput(seq uint32, values []int32, n int, highest uint32, rules *inputRules) (Input, verdict) {
	switch {
	case seq == 0 || n > len(rules.fields) || len(values) != n:
		return Input{}, inputInvalid
	case seq <= highest:
		return Input{}, inputDuplicate
	case highest == 0 && seq > MaxFirstSeq, highest != 0 && seq-highest > rules.maxJump:
		return Input{}, inputSeqJump
	}
	v := Input{Seq: seq}
	for i, x := range values {
		v.Values[i] = rules.fields[i].Clamp(x)
	}
	return v, inputOK
}
