// Package arena is tickwire's reference game: a top-down 2D arena where up
// to 16 players (circles) run around fixed wall blocks and shoot projectiles
// at each other until a timer or a score limit ends the match.
//
// It owns the arena's rules only: movement physics, weapons, match scoring,
// the map layout, and a movement predictor clients can use between
// snapshots. It implements game.Game and outputs rows of its Schema; it
// must not touch sockets, rooms, timers or the codec.
//
// All simulation math is integer fixed point (positions in 1/(1024·TickHz)
// world units, velocities in 1/1024 world units per second, angles via an
// integer-built sine table) and the only random source is a PCG seeded from
// game.Config.Seed, so a recorded input log replays bit-identically on every
// platform.
package arena
