// Package record writes, reads and replays tickwire room recordings: a
// RecordHeader and the RecordEntry messages of proto/tickwire/v1/record.proto,
// each length-delimited (uvarint size, then the message; see
// docs/recording.md).
//
// A Recorder is a room's game.Recorder hook: it keeps the room's calls
// into its Game, from tick 0, in a bounded compressed log (its full chunks
// in a file of its own or in memory, its bytes taken from a server-wide
// Budget), writes every room to a directory when asked,
// and streams recordings started mid-match (Start, Stop), from goroutines
// it owns, so the tick never waits for a writer.
//
// Replay re-runs a recording on a fresh Game built from the header (the
// mode's factory with the recorded tick rate, seats and seed), making the
// same calls in the same order, and compares the checksum of the Game's
// view at every recorded snapshot tick. A deterministic game matches every
// one; the first mismatching tick names where a replay diverged.
//
// record owns the file format's reading and writing, the recorder, the
// logs' temporary files and the replayer. It must not touch sockets, and
// acts on a room only through its hook calls and Room.Exec. A replay needs no network and no clock: it runs
// as fast as the Game steps.
package record
