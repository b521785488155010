package game

// MatchStarter is an optional interface of a Game: a room calls StartMatch
// once, when its countdown is over and the match begins, so that the warm-up
// (the room ticks in every phase) does not count.
type MatchStarter interface {
	// StartMatch resets the match (scores, timer, positions as the game
	// sees fit). tick is the first tick of the match: the room calls
	// StartMatch just before Step(tick), and inputs for tick come after it.
	StartMatch(tick uint32)
}

// PlayerConnection is an optional interface of a Game, told when a seated
// player's connection drops and when the player resumes the seat. The seat,
// and whatever the game keeps for it, stays meanwhile; the room applies no
// input of a disconnected player.
type PlayerConnection interface {
	// Disconnected tells the game that p's connection dropped; a game
	// typically clears p's held controls so its avatar stops.
	Disconnected(p PlayerID)
	// Reconnected tells the game that p resumed its seat.
	Reconnected(p PlayerID)
}
