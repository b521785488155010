package main

import (
	"flag"
	"fmt"
	"time"

	"github.com/tickwire/tickwire/cmd/internal/cli"
	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/lobby"
	"github.com/tickwire/tickwire/netcode"
)

// frontDoor is what the front door's flags decide: budgets per client
// address, per session and server-wide, the public HTTP server's timeouts,
// and how the client address is found.
type frontDoor struct {
	limits         lobby.Limits
	http           lobby.HTTPConfig
	trustedProxies string
	proxies        lobby.Proxies
	allowedOrigins string
	origins        []string
	fdReserve      int
	maxCustomRooms int
	maxBatchInputs int
	maxSeqJump     uint
	readRate       int
}

// defineFrontDoorFlags defines the front door's flags on fs, with the
// lobby's and the game's defaults, and returns their section of -h.
func defineFrontDoorFlags(fs *flag.FlagSet, f *frontDoor) cli.Section {
	f.limits, f.http = lobby.DefaultLimits(), lobby.DefaultHTTPConfig()
	l := &f.limits
	fs.IntVar(&l.ConnsPerAddr, "max-conns-per-addr", l.ConnsPerAddr, "most connections of one client address, TCP (keep-alive included) and WebSocket (0 = no limit)")
	fs.Var(&l.ConnRatePerAddr, "conn-rate-per-addr", "new TCP connections of one client address, as N/duration (0 = no limit)")
	fs.IntVar(&l.ConnReserve, "conn-reserve", l.ConnReserve, "connections accepted past -max-conns for /healthz and /metrics only")
	fs.IntVar(&f.fdReserve, "fd-reserve", 256, "open files kept back from the public port (admin API, recordings, logs); -max-conns is lowered to fit the open-file limit less this and -conn-reserve")
	fs.DurationVar(&l.LobbyIdleTimeout, "lobby-idle-timeout", l.LobbyIdleTimeout, "close a signed-in connection that has held no seat for this long (IDLE_TIMEOUT; 0 = never)")
	fs.StringVar(&f.trustedProxies, "trusted-proxy", "", "`CIDR`s (comma-separated) of reverse proxies whose X-Forwarded-For names the client address (empty = none: the TCP peer is the client)")
	fs.StringVar(&f.allowedOrigins, "allowed-origins", "", "web `origins` (comma-separated, such as https://*.example.com, or *) whose pages may connect besides the server's own; requests without Origin are always accepted")
	fs.Var(&l.SignInsPerAddr, "signin-rate-per-addr", "guest sign-ins (Hello without token, POST /v1/session) of one client address, as N/duration (0 = no limit)")
	fs.Var(&l.SignIns, "signin-rate", "guest sign-ins of the whole server, as N/duration (0 = no limit)")
	fs.Var(&l.CreatesPerAddr, "create-rate-per-addr", "CreateRoom requests of one client address, as N/duration (0 = no limit)")
	fs.Var(&l.CreatesPerSession, "create-rate-per-session", "CreateRoom requests of one session, as N/duration (0 = no limit)")
	fs.IntVar(&f.maxCustomRooms, "max-custom-rooms", 0, "most live rooms made by CreateRoom (0 = three quarters of -max-rooms, -1 = no limit of their own)")
	fs.Var(&l.JoinsPerAddr, "join-rate-per-addr", "JoinRoom requests (by room id, join code or quick play) of one client address, as N/duration (0 = no limit)")
	fs.Var(&l.JoinsPerSession, "join-rate-per-session", "JoinRoom requests of one session, as N/duration (0 = no limit)")
	fs.Var(&l.Joins, "join-rate", "JoinRoom requests of the whole server, as N/duration (0 = no limit)")
	fs.Var(&l.JoinMissesPerAddr, "join-miss-rate-per-addr", "joins of one client address naming a room id or join code that no live room has, as N/duration; past it joins by id or code are refused (0 = no limit)")
	fs.Var(&l.JoinMissesPerSession, "join-miss-rate-per-session", "joins of one session naming a room id or join code that no live room has, as N/duration (0 = no limit)")
	fs.Var(&l.ListsPerAddr, "list-rate-per-addr", "room listings (ListRooms, SubscribeRooms, GET /v1/rooms) of one client address, as N/duration (0 = no limit)")
	fs.Var(&l.ListsPerSession, "list-rate-per-session", "room listings of one session, as N/duration (0 = no limit)")
	fs.Var(&l.Lists, "list-rate", "room listings of the whole server, as N/duration (0 = no limit)")
	fs.Var(&l.MetricsPerAddr, "metrics-rate-per-addr", "GET /metrics of one client address, as N/duration (0 = no limit)")
	fs.Var(&l.Metrics, "metrics-rate", "GET /metrics of the whole server, as N/duration (0 = no limit)")
	fs.Var(&l.RefusalsPerConn, "refusal-rate-per-conn", "requests of one connection refused by the budgets above, as N/duration, before the connection is closed (0 = no limit)")
	fs.IntVar(&l.HeldSeatsPerAddr, "max-held-seats-per-addr", l.HeldSeatsPerAddr, "most seats held for reconnection for players of one client address; past it the oldest is released (0 = no limit)")
	fs.IntVar(&f.readRate, "read-bytes-per-sec", netcode.DefaultConnConfig().ReadBytesPerSecond, "client `bytes` a connection's reader takes in a second; past it the reader waits and TCP slows the client down")
	fs.IntVar(&f.maxBatchInputs, "max-batch-inputs", game.DefaultMaxBatchInputs, "most inputs taken from one InputBatch, the newest")
	fs.UintVar(&f.maxSeqJump, "max-seq-jump", game.DefaultMaxSeqJump, "how far above a seat's highest input seq an input may be")
	fs.DurationVar(&f.http.ReadHeaderTimeout, "http-header-timeout", f.http.ReadHeaderTimeout, "how long a connection may take to send a request's headers")
	fs.DurationVar(&f.http.ReadTimeout, "http-read-timeout", f.http.ReadTimeout, "how long a connection may take to send a whole request (WebSockets: the upgrade)")
	fs.DurationVar(&f.http.WriteTimeout, "http-write-timeout", f.http.WriteTimeout, "how long writing an HTTP answer may take")
	fs.DurationVar(&f.http.IdleTimeout, "http-idle-timeout", f.http.IdleTimeout, "how long an idle keep-alive connection is kept")
	return cli.Section{Title: "Front door budgets and timeouts", Flags: []string{
		"max-conns-per-addr", "conn-rate-per-addr", "conn-reserve", "fd-reserve", "lobby-idle-timeout", "trusted-proxy", "allowed-origins",
		"signin-rate-per-addr", "signin-rate", "create-rate-per-addr", "create-rate-per-session", "max-custom-rooms",
		"join-rate-per-addr", "join-rate-per-session", "join-rate", "join-miss-rate-per-addr", "join-miss-rate-per-session",
		"list-rate-per-addr", "list-rate-per-session", "list-rate", "metrics-rate-per-addr", "metrics-rate", "refusal-rate-per-conn", "max-held-seats-per-addr", "read-bytes-per-sec", "max-batch-inputs",
		"max-seq-jump", "http-header-timeout", "http-read-timeout", "http-write-timeout", "http-idle-timeout",
	}}
}

// validate checks the front door's flags and parses the lists.
func (f *frontDoor) validate() error {
	l := f.limits
	var err error
	if f.proxies, err = lobby.ParseProxies(f.trustedProxies); err != nil {
		return fmt.Errorf("-trusted-proxy: %w", err)
	}
	if f.origins, err = lobby.ParseOrigins(f.allowedOrigins); err != nil {
		return fmt.Errorf("-allowed-origins: %w", err)
	}
	switch {
	case l.ConnsPerAddr < 0:
		return fmt.Errorf("-max-conns-per-addr %d: want 0 or more", l.ConnsPerAddr)
	case l.ConnReserve < 0:
		return fmt.Errorf("-conn-reserve %d: want 0 or more", l.ConnReserve)
	case f.fdReserve < 0:
		return fmt.Errorf("-fd-reserve %d: want 0 or more", f.fdReserve)
	case l.LobbyIdleTimeout < 0:
		return fmt.Errorf("-lobby-idle-timeout %v: want 0 or more", l.LobbyIdleTimeout)
	case f.maxCustomRooms < -1:
		return fmt.Errorf("-max-custom-rooms %d: want -1 or more", f.maxCustomRooms)
	case l.HeldSeatsPerAddr < 0:
		return fmt.Errorf("-max-held-seats-per-addr %d: want 0 or more", l.HeldSeatsPerAddr)
	case f.readRate < 1024:
		return fmt.Errorf("-read-bytes-per-sec %d: want at least 1024", f.readRate)
	case f.maxBatchInputs < 1:
		return fmt.Errorf("-max-batch-inputs %d: want at least 1", f.maxBatchInputs)
	case f.maxSeqJump < 1 || f.maxSeqJump > game.MaxFirstSeq:
		return fmt.Errorf("-max-seq-jump %d: want 1 to %d", f.maxSeqJump, game.MaxFirstSeq)
	}
	for name, d := range map[string]time.Duration{"-http-header-timeout": f.http.ReadHeaderTimeout,
		"-http-read-timeout": f.http.ReadTimeout, "-http-write-timeout": f.http.WriteTimeout, "-http-idle-timeout": f.http.IdleTimeout} {
		if d <= 0 {
			return fmt.Errorf("%s %v: want more than 0", name, d)
		}
	}
	return nil
}

// apply puts the front door's settings into a lobby configuration.
func (f *frontDoor) apply(cfg *lobby.Config) {
	cfg.Limits = f.limits
	cfg.HTTP = f.http
	cfg.TrustedProxies = f.proxies
	cfg.AllowedOrigins = f.origins
	cfg.Rooms.MaxCustomRooms = f.maxCustomRooms
	cfg.Conn.ReadBytesPerSecond = f.readRate
	cfg.Rooms.MaxBatchInputs = f.maxBatchInputs
	cfg.Rooms.MaxSeqJump = uint32(f.maxSeqJump)
}

// connBudget returns the public port's connection limit given -max-conns
// (0 = none), the open-file limit (0 = unknown), and what is kept back from
// it: the reserve connections and -fd-reserve. lowered says the open-file
// limit cut -max-conns down.
func connBudget(maxConns int, fileLimit uint64, connReserve, fdReserve int) (limit int, lowered bool) {
	if fileLimit == 0 {
		return maxConns, false
	}
	avail := int(min(fileLimit, 1<<31)) - connReserve - fdReserve
	avail = max(avail, 1)
	if maxConns == 0 || maxConns > avail {
		return avail, true
	}
	return maxConns, false
}
