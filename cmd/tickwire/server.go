package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/tickwire/tickwire/cmd/internal/cli"
	"github.com/tickwire/tickwire/lobby"
	"github.com/tickwire/tickwire/web"
)

// run serves until ctx ends, then shuts down gracefully. ready, when set,
// receives the bound listen address once the server accepts connections.
func run(ctx context.Context, c config, logOut io.Writer, ready func(addr string)) error {
	log, err := cli.NewLogger(logOut, c.logLevel, c.logFormat)
	if err != nil {
		return err
	}
	warnUnknownEnv(log, c.unknownEnv)
	lcfg := lobby.DefaultConfig()
	c.frontDoor.apply(&lcfg)
	lcfg.Rooms.DefaultMode = c.mode
	lcfg.Rooms.EmptyTimeout = c.emptyTimeout
	lcfg.Rooms.MaxRooms = c.maxRooms
	if lcfg.SessionSecret, err = sessionSecret(c.sessionSecret, c.stateDir, log); err != nil {
		return err
	}
	lcfg.MaxSessions = c.maxSessions
	lcfg.SessionTTL = c.sessionTTL
	lcfg.ReconnectGrace = c.reconnectGrace
	fileLimit, err := raiseOpenFileLimit()
	if err != nil {
		log.Warn("cannot raise the open-file limit", "limit", fileLimit, "err", err)
	}
	maxConns, lowered := connBudget(c.maxConns, fileLimit, c.limits.ConnReserve, c.fdReserve)
	if lowered {
		log.Warn("connection limit lowered to fit the open-file limit", "max_conns", maxConns, "asked", c.maxConns,
			"open_file_limit", fileLimit, "conn_reserve", c.limits.ConnReserve, "fd_reserve", c.fdReserve)
	}
	lcfg.MaxConnections = maxConns
	lcfg.Conn.MaxFrameBytes = int64(c.maxFrameBytes)
	lcfg.Conn.SlowConsumerAfter = c.slowConsumer
	lcfg.Rooms.RecordDir = c.recordDir
	c.recordLog.apply(&lcfg.Rooms, log)
	lcfg.Rooms.Talk = c.talk       // the flags' budgets; a moderation hook is for programs embedding the lobby
	lcfg.Static = web.AppHandler() // the browser game at /
	lcfg.Metrics = promhttp.HandlerFor(metricsGatherer(), promhttp.HandlerOpts{})
	closeResults, err := c.lifecycle.openResults(&lcfg, log)
	if err != nil {
		return err
	}
	// Runs last: the rooms that end in the shutdown have written theirs.
	defer func() {
		if cerr := closeResults(); cerr != nil {
			log.Error("results file", "err", cerr)
		}
	}()
	if err := c.cluster.apply(&lcfg, log); err != nil {
		return err
	}
	// The ports are opened before the lobby starts: a node of a cluster
	// claims its id as it starts, so a second start of a running node must
	// fail at its ports, not after taking the id over.
	tlsCfg, err := c.tls.load()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	adminLn, err := listenAdmin(c, log)
	if err != nil {
		_ = ln.Close()
		return err
	}
	srv, err := lobby.NewServer(lcfg, c.modes, log)
	if err != nil {
		_ = ln.Close()
		adminLn.close()
		return err
	}

	mux := http.NewServeMux()
	mux.Handle("/", srv.Handler())
	// Every TCP connection counts toward the budgets, and the server's
	// timeouts end idle and slow ones.
	httpSrv := srv.HTTPServer(mux)
	serveErr := make(chan error, 1)
	go func() { serveErr <- httpSrv.Serve(wrapTLS(srv.Listener(ln), tlsCfg)) }()
	log.Info("tickwire listening", "addr", ln.Addr().String(), "tls", tlsCfg != nil, "modes", c.modes.Names(), "default_mode", c.mode,
		"max_conns", maxConns, "open_file_limit", fileLimit)
	for _, m := range c.modes.All() {
		s := m.Settings
		log.Info("mode", "mode", m.Name, "tick_hz", s.TickHz, "snapshot_hz", s.SnapshotHz,
			"room_size", s.MaxPlayers, "min_players", s.MinPlayers, "countdown", s.Countdown)
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	stopDrain := drainOnSignal(srv, log)
	defer stopDrain()

	admin, err := startAdmin(c, adminLn, srv, log)
	if err != nil {
		_ = httpSrv.Close()
		<-serveErr
		_ = srv.Shutdown(context.Background())
		return err
	}

	select {
	case err := <-serveErr:
		admin.stop(context.Background())
		return fmt.Errorf("serve: %w", err)
	case err := <-admin.serveErr:
		_ = httpSrv.Close()
		<-serveErr
		_ = srv.Shutdown(context.Background())
		return fmt.Errorf("serve admin: %w", err)
	case <-ctx.Done():
	}
	c.lifecycle.drain(srv, log)
	log.Info("shutting down", "timeout", c.shutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), c.shutdownTimeout)
	defer cancel()
	// Stop accepting first; hijacked WebSockets are the lobby's to close.
	httpErr := httpSrv.Shutdown(sctx)
	adminErr := admin.stop(sctx)
	lobbyErr := srv.Shutdown(sctx)
	if err := <-serveErr; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	if err := errors.Join(httpErr, adminErr, lobbyErr); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("shut down cleanly")
	return nil
}

// metricsGatherer is the default registry (every tickwire_ metric and the Go
// and process collectors) plus the process collector again under the
// tickwire_ prefix, so dashboards find tickwire_process_cpu_seconds_total.
func metricsGatherer() prometheus.Gatherer {
	own := prometheus.NewRegistry()
	own.MustRegister(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{Namespace: "tickwire"}))
	return prometheus.Gatherers{prometheus.DefaultGatherer, own}
}
