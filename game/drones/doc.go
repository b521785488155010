// Package drones is tickwire's second reference game: a 3-D box with a few
// solid pillars in which drones fly to collect glowing cores and ram each
// other while boosting to steal them, until a timer or a core limit ends
// the match.
//
// It owns the drones' rules only: flight physics, collisions with the box
// and its pillars, cores, tags, match scoring, per-player visibility (a view
// radius and line of sight through the pillars) and Pilot, a steering
// function bots can play with. It implements game.Game and outputs rows of
// its Schema; it must not touch sockets, rooms, timers or the codec.
//
// All simulation math is integer fixed point (positions in
// 1/(256·TickHz) world units, velocities in 1/256 world units per second,
// angles through an integer-built sine table) and the only random source is
// a PCG seeded from game.Config.Seed, so a recorded input log replays
// bit-identically on every platform. docs/drones.md describes the rules,
// schema, input and options.
package drones
