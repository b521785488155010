// Package layers holds the test that keeps tickwire's import layering as
// the design describes it: the codec depends on nothing but the schema, the
// Go client links no server code, the game never touches sockets, and the
// admin API sees the lobby only through its Operator view. It has no code
// of its own.
package layers
