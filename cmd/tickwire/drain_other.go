//go:build !unix

package main

import (
	"log/slog"

	"github.com/tickwire/tickwire/lobby"
)

// drainOnSignal does nothing where there is no SIGUSR1.
func drainOnSignal(*lobby.Server, *slog.Logger) func() { return func() {} }
