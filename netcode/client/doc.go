// Package client is tickwire's Go client library: it dials a server, signs
// in, makes lobby calls (quick play, private rooms, listings), sends inputs
// with redundancy, applies and verifies snapshots in a replica, acks them,
// syncs its clock, interpolates and predicts, and reconnects to resume a
// seat after a dropped connection. Bots, tests, tools and Go game clients
// use it.
//
// It must not import server code (netcode, game, lobby) or register any
// metric: a program that links the client links no server.
package client
