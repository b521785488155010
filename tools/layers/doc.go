// Package layers holds the test that keeps tickwire's import layering as
// the design describes it: the codec depends on nothing but the schema, the
// Go client links no server code, and the game never touches sockets. It
// has no code of its own.
package layers
