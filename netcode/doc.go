// Package netcode owns tickwire's bytes and connections: the server side of a
// WebSocket connection (read and write pumps, deadlines, the latest-snapshot
// slot and the reliable queue, close codes, flood control), the snapshot
// codec (quantization, packed deltas, checksums, the history ring) and the Go
// client library (replica, acks, clock sync, interpolation, prediction).
//
// netcode knows nothing of game rules: it must not import game or lobby, and
// it treats every message body as opaque to everything but its envelope.
// Callers above it (rooms, sessions) hand it frames and messages and get
// decoded client messages back; nothing they call here ever blocks on a
// socket.
package netcode
