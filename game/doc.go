// Package game owns the simulation side of tickwire: the Game interface a
// game developer implements (and its optional hooks MatchStarter and
// PlayerConnection), the mode catalogue (Modes, each Mode with its
// factory, room Settings and own options; the settings' defaults and their
// one validation live here), and the Room, which runs one Game at a fixed
// tick rate on a single goroutine that owns all of the room's state.
//
// A Room reads its players' inputs from bounded queues, one per attached
// connection (InputPort, which Join and Resume hand out and Resume,
// Disconnect, Leave and Kick retire, so that a replaced connection's reader
// never reaches the game), steps the Game, keeps a history of quantized
// snapshots and hands each player a delta snapshot frame through its
// PlayerLink. Encoding cost scales with the number of distinct client
// baselines, not with the number of clients.
//
// A Room also owns its lifecycle: the phases WAITING, COUNTDOWN, RUNNING and
// ENDED (sent to players as RoomState and reported through
// RoomConfig.OnChange), the disposal of a room left empty, and the seats of
// disconnected players, held with their entity and score until Resume
// attaches a new link (then a full snapshot, with input sequence numbers
// continuing) or Leave releases them. How long a seat is held is the
// caller's choice: the lobby keeps held seats in an expiring cache.
//
// Other goroutines change a room only by queueing a function that its
// goroutine runs between ticks (calls.go): Leave and Disconnect queue and
// return, and every method that needs an answer goes through one helper,
// do, which owns what happens when the caller gives up or the room ends.
//
// For the admin API, a Room can be inspected (Inspect, State), controlled
// (Kick, which also closes the player's link, CloseWithResults, Debug with
// the optional DebugHandler hook) and watched (Spectate), all on its
// goroutine so the tick never waits; Drain ends it with its standings for
// a server that stops, and RoomConfig.OnEnd hears how every room ended
// (MatchEnd). Every call into game code is recovered (recover.go): a
// panicking Game ends its room alone. It tells its Recorder hook
// (RoomConfig.Recorder) of every call it makes into the Game, and Exec
// lets the hook's owner act on it between ticks; game/record implements
// the hook (the rooms' logs and the recordings) and replays recordings.
//
// game must not touch sockets or HTTP: it talks to connections only through
// PlayerLink (and Link, for spectators), whose methods never block. It
// imports netcode/wire for the codec and proto for message types, and
// nothing above it (lobby, cmd). game/arena is the reference Game;
// game/catalog lists the modes tickwire ships.
package game
