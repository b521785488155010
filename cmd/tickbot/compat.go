package main

import (
	"context"
	"errors"

	"github.com/tickwire/tickwire/netcode"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// errNotSupported marks a flag this build's client library cannot honour.
var errNotSupported = errors.New("not supported by this build")

// The client library features two flags depend on. Both are false until
// netcode.Client gains JoinCode and the reconnect/drop hooks.
const (
	supportsJoinCode = false
	supportsResume   = false
)

// resumeOptions turns on the client's reconnection when the run drops
// connections on purpose.
func resumeOptions(cfg *netcode.ClientConfig, f *fleet, b *bot) {}

// joinRoom takes a seat: by the -room join code, else by quick play in
// -mode.
func joinRoom(ctx context.Context, c *netcode.Client, cfg config) (*pb.Joined, error) {
	if cfg.room != "" {
		return nil, errNotSupported
	}
	return c.Join(ctx, cfg.mode, "")
}

// dropConnection cuts the client's socket without a close frame, so the
// client library must notice, redial and resume.
func dropConnection(c *netcode.Client) error { return errNotSupported }

// reconnectCounts returns the client's disconnect and reconnect counters.
func reconnectCounts(st netcode.ClientStats) (disconnects, reconnects uint64) { return 0, 0 }
