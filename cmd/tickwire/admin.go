package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/tickwire/tickwire/admin"
	"github.com/tickwire/tickwire/lobby"
)

// version is the server version the admin overview reports; release builds
// set it with -ldflags "-X main.version=v1.2.3", else the module's build
// information names it.
var version = ""

// serverVersion returns version, or the main module's version and VCS
// revision from the build information.
func serverVersion() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := info.Main.Version
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " (" + s.Value[:12] + ")"
		}
	}
	return v
}

// adminServer is the admin listener; a zero one (admin off) does nothing.
type adminServer struct {
	http     *http.Server
	api      *admin.API
	serveErr chan error // never sends when the admin API is off
}

// startAdmin serves the admin API on c.adminAddr, unless that is empty.
func startAdmin(c config, srv *lobby.Server, log *slog.Logger) (*adminServer, error) {
	a := &adminServer{serveErr: make(chan error, 1)}
	if c.adminAddr == "" {
		log.Info("admin API off")
		return a, nil
	}
	// validate checked this already; checked again here so that no
	// caller of run can open an unguarded admin port.
	if err := admin.CheckAddr(c.adminAddr, c.adminToken); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", c.adminAddr)
	if err != nil {
		return nil, fmt.Errorf("admin listen: %w", err)
	}
	a.api = admin.New(srv, admin.Config{Token: c.adminToken, Version: serverVersion(), Logger: log})
	a.http = &http.Server{Handler: a.api.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := a.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.serveErr <- err
		}
	}()
	log.Info("admin API listening", "addr", ln.Addr().String(), "token", c.adminToken != "")
	if c.adminReady != nil {
		c.adminReady(ln.Addr().String())
	}
	return a, nil
}

// stop ends the admin streams and the listener.
func (a *adminServer) stop(ctx context.Context) error {
	if a.http == nil {
		return nil
	}
	// Streams first: a watch is a hijacked connection Shutdown would not
	// wait for, and a recording a request it would wait for too long.
	a.api.Close()
	if err := a.http.Shutdown(ctx); err != nil {
		return fmt.Errorf("admin: %w", err)
	}
	return nil
}
