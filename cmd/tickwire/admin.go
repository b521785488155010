package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/tickwire/tickwire/cmd/internal/cli"

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

// defineAdminFlags defines the admin flags beside -admin-addr and
// -admin-token; getenv gives the state directory's default.
func (c *config) defineAdminFlags(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&c.adminTokenFile, "admin-token-file", "", "read the admin token from `file`")
	fs.StringVar(&c.adminHosts, "admin-host", "", "comma-separated host `names` requests to the admin API may name in Host besides its address and loopback (DNS rebinding guard)")
	fs.StringVar(&c.stateDir, "state-dir", cli.StateDir(getenv), "`directory` (created 0700) of the admin token and the session secret tickwire generates when given none (tickctl reads the token)")
}

// validateAdmin checks the admin flags: a token given must be long enough
// for the admin address. (A token to generate needs a state directory,
// which listenAdmin checks as it writes there.)
func (c config) validateAdmin() error {
	if c.adminAddr == "" || c.adminToken == "" {
		return nil
	}
	if err := admin.CheckAddr(c.adminAddr, c.adminToken); err != nil {
		return fmt.Errorf("-admin-addr: %w", err)
	}
	return nil
}

// adminServer is the admin listener; a zero one (admin off) does nothing.
type adminServer struct {
	http     *http.Server
	api      *admin.API
	serveErr chan error // never sends when the admin API is off
}

// adminListener is the admin API's port and token, opened before the
// lobby starts; a nil one means the admin API is off.
type adminListener struct {
	ln    net.Listener
	token string
	hosts []string
}

// listenAdmin opens the admin API's port on c.adminAddr, unless that is
// empty, with c.adminToken, or else a token it generates and writes to the
// state directory for tickctl. It runs before the lobby starts, so that a
// port in use fails the start before a cluster node claims its id.
func listenAdmin(c config, log *slog.Logger) (*adminListener, error) {
	if c.adminAddr == "" {
		log.Info("admin API off")
		return nil, nil
	}
	token := c.adminToken
	if token == "" {
		if c.stateDir == "" {
			return nil, errors.New("admin token: none given (-admin-token, -admin-token-file) and no state directory to write one to (-state-dir)")
		}
		token = newAdminToken()
		path := filepath.Join(c.stateDir, cli.AdminTokenFile)
		if err := cli.WriteSecret(path, token); err != nil {
			return nil, fmt.Errorf("admin token: %w", err)
		}
		log.Info("admin token generated", "file", path)
	}
	// validate checked a given token already; checked again here so that
	// no caller of run can open an unguarded admin port.
	if err := admin.CheckAddr(c.adminAddr, token); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", c.adminAddr)
	if err != nil {
		return nil, fmt.Errorf("admin listen: %w", err)
	}
	hosts := splitList(c.adminHosts)
	if host, _, err := net.SplitHostPort(c.adminAddr); err == nil && net.ParseIP(host) == nil {
		hosts = append(hosts, host) // -admin-addr names the listener by a name of its own
	}
	return &adminListener{ln: ln, token: token, hosts: hosts}, nil
}

// close closes the port of an admin API that will not be served.
func (al *adminListener) close() {
	if al != nil {
		_ = al.ln.Close()
	}
}

// startAdmin serves the admin API of srv on al (nothing when al is nil);
// on an error it has closed al.
func startAdmin(c config, al *adminListener, srv *lobby.Server, log *slog.Logger) (*adminServer, error) {
	a := &adminServer{serveErr: make(chan error, 1)}
	if al == nil {
		return a, nil
	}
	ln := al.ln
	var err error
	a.api, err = admin.New(srv, admin.Config{Token: al.token, Addr: ln.Addr().String(), Hosts: al.hosts,
		Cmdline: c.cmdline, SecretFlags: secretFlags, Version: serverVersion(), Logger: log})
	if err != nil {
		_ = ln.Close()
		return nil, err
	}
	a.http = &http.Server{Handler: a.api.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := a.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.serveErr <- err
		}
	}()
	log.Info("admin API listening", "addr", ln.Addr().String(), "hosts", al.hosts)
	if c.adminReady != nil {
		c.adminReady(ln.Addr().String())
	}
	return a, nil
}

// newAdminToken returns 256 random bits as 43 URL-safe characters.
func newAdminToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
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
