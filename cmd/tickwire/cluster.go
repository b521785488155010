package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/tickwire/tickwire/cmd/internal/cli"
	"github.com/tickwire/tickwire/directory"
	"github.com/tickwire/tickwire/lobby"
)

// cluster is what the cluster flags decide (docs/deploy.md).
type cluster struct {
	directory string
	publicURL string
	nodeID    string
	heartbeat time.Duration
	ttl       time.Duration
}

// defineClusterFlags defines the flags of a node of a cluster.
func defineClusterFlags(fs *flag.FlagSet, c *cluster) cli.Section {
	fs.StringVar(&c.directory, "directory", "", "room directory shared by the nodes of a cluster: a `url` redis://[user:pass@]host:port/db or rediss://...; "+
		"?master_name=NAME&addr=... for Sentinel, &addr=host:port seeds for Redis Cluster (empty = this node alone, no setup; see docs/deploy.md)")
	fs.StringVar(&c.publicURL, "public-url", "", "WebSocket `url` clients reach this node's /ws at, sent to clients placed here by another node (empty = ws://<-addr host, or this host's name>:<port>/ws)")
	fs.StringVar(&c.nodeID, "node-id", "", "`name` of this node in the cluster, unique (empty = <host>-<port>: -addr's host, or the host name when -addr names none)")
	fs.DurationVar(&c.heartbeat, "directory-heartbeat", time.Second, "how often the node renews its record in the directory")
	fs.DurationVar(&c.ttl, "directory-ttl", 5*time.Second, "how long after its last heartbeat a node (and its rooms) leaves listings and placements; twice that, the directory")
	return cli.Section{Title: "Cluster (many nodes behind one directory)", Flags: []string{
		"directory", "public-url", "node-id", "directory-heartbeat", "directory-ttl",
	}}
}

// validate checks the cluster flags given the listen address; the session
// secret must be shared for tokens to work on every node.
func (c *cluster) validate(addr, sessionSecret string) error {
	if c.directory == "" {
		return nil
	}
	if sessionSecret == "" {
		return errors.New("-directory needs -session-secret (or its file or environment), the same on every node, so that every node accepts every token")
	}
	if c.heartbeat <= 0 || c.ttl < 2*c.heartbeat {
		return fmt.Errorf("-directory-ttl %v: want at least twice -directory-heartbeat %v", c.ttl, c.heartbeat)
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %w", addr, err)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		if host, err = os.Hostname(); err != nil {
			return fmt.Errorf("no -public-url and no host name: %w", err)
		}
	}
	if c.publicURL == "" {
		c.publicURL = "ws://" + net.JoinHostPort(host, port) + "/ws"
	}
	u, err := url.Parse(c.publicURL)
	if err != nil || (u.Scheme != "ws" && u.Scheme != "wss") || u.Host == "" {
		return fmt.Errorf("-public-url %q: want a ws:// or wss:// url such as ws://host:port/ws", c.publicURL)
	}
	if c.nodeID == "" {
		name := host
		if net.ParseIP(host) == nil {
			name, _, _ = strings.Cut(host, ".") // a host name's first label
		}
		c.nodeID = name + "-" + port
	}
	return nil
}

// apply connects the directory, when set, and makes the lobby a node of
// the cluster, which starts the directory and closes it.
func (c *cluster) apply(cfg *lobby.Config, log *slog.Logger) error {
	if c.directory == "" {
		return nil
	}
	rdb, err := directory.NewClient(c.directory)
	if err != nil {
		return err
	}
	dir := directory.NewRedis(rdb, directory.RedisConfig{Heartbeat: c.heartbeat, TTL: c.ttl, SessionTTL: cfg.SessionTTL}, log)
	cfg.Cluster = lobby.ClusterConfig{Directory: dir, NodeID: c.nodeID, PublicURL: c.publicURL}
	log.Info("cluster node", "node", c.nodeID, "public_url", c.publicURL)
	return nil
}
