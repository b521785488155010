// Package netcode is the server side of a tickwire WebSocket connection:
// the read and write pumps, deadlines and pings, the latest-snapshot slot
// and the bounded reliable queue, per-connection flood control, and their
// metrics.
//
// netcode knows nothing of game rules and nothing of the lobby: it must not
// import game, lobby or the Go client (netcode/client). It decodes each
// frame into a ClientMessage and hands it up (input batches, most of the
// frames, decoded into a reused wire.InputBatch instead, when the caller
// asks for them with Conn.HandleInputs); callers above it (rooms,
// sessions) hand it frames and messages, and nothing they call here ever
// blocks on a socket. The protocol's bytes themselves live in netcode/wire.
package netcode
