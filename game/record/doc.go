// Package record reads, writes and replays tickwire room recordings: a
// RecordHeader and the RecordEntry messages of proto/tickwire/v1/record.proto,
// each length-delimited (uvarint size, then the message; see
// docs/recording.md). A game.Room writes them itself (RoomConfig.RecordDir,
// Room.StartRecording); this package is the other side.
//
// Replay re-runs a recording on a fresh Game built from the header (the
// mode's factory with the recorded tick rate, seats and seed), making the
// same calls in the same order, and compares the checksum of the Game's
// view at every recorded snapshot tick. A deterministic game matches every
// one; the first mismatching tick names where a replay diverged.
//
// record owns the file format's reading and writing and the replayer. It
// must not touch sockets, rooms or clocks: a replay needs no network and
// runs as fast as the Game steps.
package record
