// Package cli holds what the tickwire commands share at their edges: flags
// that take their defaults from environment variables, slog setup, and the
// state directory with the secret files kept there (the admin token). It
// must not hold game, session or network logic.
package cli
