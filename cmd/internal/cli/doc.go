// Package cli holds what the tickwire commands share at their edges: flags
// that take their defaults from environment variables, and slog setup. It
// must not hold game, session or network logic.
package cli
