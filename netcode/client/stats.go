package client

import "time"

// ClientStats are a Client's counters and measurements since Dial, across
// reconnections. Every
// snapshot the client did not apply is counted under its reason.
type ClientStats struct {
	// Snapshots counts applied, verified snapshots; FullSnapshots those of
	// them with base tick 0.
	Snapshots, FullSnapshots uint64
	// StaleSnapshots counts snapshots dropped for not being newer than the
	// newest applied one.
	StaleSnapshots uint64
	// MissingBaseSnapshots counts snapshots dropped because their base tick
	// was not held (each asks for a resync).
	MissingBaseSnapshots uint64
	// UnexpectedSnapshots counts snapshots dropped because the client had
	// no seat (before Joined or after Left).
	UnexpectedSnapshots uint64
	// Desyncs counts snapshots whose result failed the checksum.
	Desyncs uint64
	// DecodeErrors counts frames or deltas that did not decode.
	DecodeErrors uint64
	// ResyncRequests counts ResyncRequest messages sent.
	ResyncRequests uint64

	// BytesIn and BytesOut count WebSocket payload bytes of data frames;
	// FramesIn and FramesOut count those frames.
	BytesIn, BytesOut, FramesIn, FramesOut uint64

	// InputsSent counts inputs created by SendInput (not their repeats);
	// InputsAcked those the server reported applied; InputsUnackedDropped
	// those forgotten unacknowledged because too many were pending.
	InputsSent, InputsAcked, InputsUnackedDropped uint64
	// InputsDroppedReconnecting counts inputs forgotten while redialing:
	// only the newest few (what one InputBatch carries) are kept for the
	// new connection, since a stale move is worth less than a fresh one.
	InputsDroppedReconnecting uint64
	// LastAppliedInputSeq is the highest input seq the server reported applied.
	LastAppliedInputSeq uint32
	// LastTick is the tick of the newest applied snapshot.
	LastTick uint32

	// RTT is the newest round-trip time, RTTSmoothed its running average.
	RTT, RTTSmoothed time.Duration
	// ClockOffset is the estimated server clock minus the local clock.
	ClockOffset time.Duration
	// ClockSamples counts accepted Ping/Pong (and Hello/Welcome) samples;
	// UnmatchedPongs counts pongs ignored for echoing no recent ping.
	ClockSamples, UnmatchedPongs uint64

	// Disconnects counts connections lost for a reason that started a
	// reconnection; Reconnects redials that got a Welcome;
	// ReconnectFailures redial attempts that did not.
	Disconnects, Reconnects, ReconnectFailures uint64
	// SignIns counts reconnections that signed in as a new guest because
	// the server refused the session's token (after a restart with another
	// secret, an expiry or a revocation); the seat was lost with it.
	SignIns uint64
	// Redirects counts moves to another node of a cluster that a server's
	// Redirect asked for (a seat placed there, or a resume), each a new
	// connection.
	Redirects uint64

	// PredictionErrorLast and PredictionErrorMax are the distances, in the
	// raw units of the entity's position fields, between the prediction for
	// an acknowledged input and the authoritative position that followed
	// (only with a PredictFunc; see PredictionError).
	PredictionErrorLast, PredictionErrorMax float64
}

// SnapshotInfo describes one applied snapshot, for ClientConfig.OnSnapshot.
type SnapshotInfo struct {
	// Tick and BaseTick are the snapshot's tick and the tick it applied to
	// (0 for a full snapshot).
	Tick, BaseTick uint32
	// ServerTimeUS is the server clock when the tick was simulated.
	ServerTimeUS int64
	// LastInputSeq is the highest input seq the server had applied.
	LastInputSeq uint32
	// Entities is the number of entities after applying; Events the number
	// of new game events delivered.
	Entities, Events int
	// FrameBytes is the snapshot frame's WebSocket payload size.
	FrameBytes int
}
