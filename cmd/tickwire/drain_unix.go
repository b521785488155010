//go:build unix

package main

import (
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/tickwire/tickwire/lobby"
)

// drainOnSignal makes SIGUSR1 drain this node of a cluster (the directory
// places no new rooms here; running matches play to their end) and
// SIGUSR2 undo it. It returns the function that stops listening.
func drainOnSignal(srv *lobby.Server, log *slog.Logger) func() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGUSR1, syscall.SIGUSR2)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case sig := <-ch:
				draining := sig == syscall.SIGUSR1
				log.Info("draining changed by signal", "draining", draining, "signal", sig.String())
				srv.SetDraining(draining)
			}
		}
	}()
	return func() {
		signal.Stop(ch)
		close(done)
	}
}
