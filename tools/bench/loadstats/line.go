package loadstats

import (
	"encoding/json"
	"fmt"
)

// Line is one line of the stream. Counters are cumulative from the
// generator's start; AckNs holds only the input→ack samples since the
// previous line.
type Line struct {
	T         float64 `json:"t"` // seconds since the generator started
	Bots      int     `json:"bots"`
	Live      int     `json:"live"`
	Failed    int     `json:"failed"`
	Errors    int     `json:"errors"`
	SeatedS   float64 `json:"seated_s"` // bot-seconds seated, summed over bots
	Snapshots uint64  `json:"snapshots"`
	BytesIn   uint64  `json:"bytes_in"` // WebSocket payload bytes received
	BytesOut  uint64  `json:"bytes_out"`
	Inputs    uint64  `json:"inputs"`
	Desyncs   uint64  `json:"desyncs"`
	// AckNs is the interval's input→ack histogram: [upper bound in ns,
	// count] for every non-empty bucket, in increasing order.
	AckNs [][2]uint64 `json:"ack_ns"`
}

// Parse decodes one line.
func Parse(b []byte) (Line, error) {
	var l Line
	if err := json.Unmarshal(b, &l); err != nil {
		return l, fmt.Errorf("stats line: %w", err)
	}
	return l, nil
}
