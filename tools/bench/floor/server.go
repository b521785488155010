package main

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// Buffer sizes as tickwire's connections have them, so that framing costs
// the same.
const (
	readBufferBytes  = 512
	writeBufferBytes = 512
	// maxInputBytes bounds an input message; a larger one ends its
	// connection.
	maxInputBytes = 1024
)

// server seats each new connection in the room being filled.
type server struct {
	cfg      config
	ctx      context.Context
	upgrader websocket.Upgrader
	running  sync.WaitGroup // rooms' and readers' goroutines

	mu      sync.Mutex
	closed  bool // the server is stopping: nothing more is seated
	filling *room
	rooms   []*room
}

// room sends its members a frame each at the snapshot rate.
type room struct {
	mu      sync.Mutex
	members []*member
	size    int
	seated  int // members ever seated: a room is filled once, never refilled
}

// member is one connection and the newest input sequence number it sent.
type member struct {
	conn  *websocket.Conn
	ack   atomic.Uint32
	frame []byte // its own, so that the ack can go in it
}

// serve listens on c.addr (and c.debugAddr) until ctx ends.
func serve(ctx context.Context, c config) error {
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	if c.debugAddr != "" {
		dln, err := listenLoopback(c.debugAddr)
		if err != nil {
			ln.Close()
			return err
		}
		go serveProfiles(ctx, dln)
	}
	return serveOn(ctx, c, ln)
}

// listenLoopback listens on addr, which must be a loopback address: the
// profiles are for the machine's own tools.
func listenLoopback(addr string) (net.Listener, error) {
	ap, err := netip.ParseAddrPort(addr)
	if err != nil || !ap.Addr().IsLoopback() {
		return nil, fmt.Errorf("-debug-addr %q: want a loopback ip:port", addr)
	}
	return net.Listen("tcp", addr)
}

// serveProfiles serves Go's profiles on ln until ctx ends.
func serveProfiles(ctx context.Context, ln net.Listener) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	_ = srv.Serve(ln) // ends with ErrServerClosed, or when ln fails
}

// serveOn serves on ln until ctx ends, then closes every connection and
// waits for the goroutines of the rooms and the readers.
func serveOn(ctx context.Context, c config, ln net.Listener) error {
	// The rooms stop with this context, also when the listener fails.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s := &server{cfg: c, ctx: ctx, upgrader: websocket.Upgrader{
		ReadBufferSize: readBufferBytes, WriteBufferSize: writeBufferBytes,
		CheckOrigin: func(*http.Request) bool { return true },
	}}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	err := srv.Serve(ln)
	cancel()
	// The WebSockets are no longer the http.Server's: close them here, which
	// also ends a write that waits on a client that stopped reading.
	s.closeAll()
	s.running.Wait()
	if !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// closeAll stops seating and closes every room's connections.
func (s *server) closeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	for _, rm := range s.rooms {
		rm.closeAll()
	}
	s.rooms = nil
}

// ServeHTTP upgrades any request to a WebSocket and seats it.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	conn, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader has answered
	}
	conn.SetReadLimit(maxInputBytes)
	m := &member{conn: conn, frame: make([]byte, s.cfg.frameBytes)}
	if !s.seat(m) {
		conn.Close()
	}
}

// seat adds m to the room being filled, starting a new one when it is
// full, and starts m's reader. It reports false when the server is
// stopping.
func (s *server) seat(m *member) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	if s.filling == nil || s.filling.seated == s.cfg.roomSize {
		rm := &room{size: s.cfg.roomSize}
		s.filling = rm
		s.rooms = append(s.rooms, rm)
		s.running.Add(1)
		go func() {
			defer s.running.Done()
			rm.run(s.ctx, s.cfg.snapshotHz)
		}()
	}
	rm := s.filling
	rm.mu.Lock()
	rm.members = append(rm.members, m)
	rm.seated++
	rm.mu.Unlock()
	s.running.Add(1)
	go func() {
		defer s.running.Done()
		read(rm, m)
	}()
	return true
}

// read keeps the sequence number of each input until the connection fails.
func read(rm *room, m *member) {
	defer rm.leave(m)
	for {
		_, r, err := m.conn.NextReader()
		if err != nil {
			return
		}
		seq, _, ok, err := readSeq(r)
		if err != nil {
			return
		}
		if ok {
			m.ack.Store(seq)
		}
	}
}

// run sends every member its frame at hz until ctx ends or the room,
// once filled, is empty.
func (rm *room) run(ctx context.Context, hz int) {
	t := time.NewTicker(time.Second / time.Duration(hz))
	defer t.Stop()
	var members []*member
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		rm.mu.Lock()
		members = append(members[:0], rm.members...)
		rm.mu.Unlock()
		for _, m := range members {
			binary.LittleEndian.PutUint32(m.frame, m.ack.Load())
			if err := m.conn.WriteMessage(websocket.BinaryMessage, m.frame); err != nil {
				m.conn.Close() // its reader then leaves
			}
		}
		if len(members) == 0 && rm.emptied() {
			return
		}
	}
}

// emptied reports whether the room was filled and everyone has left: no
// one will join it again.
func (rm *room) emptied() bool {
	rm.mu.Lock()
	defer rm.mu.Unlock()
	return rm.seated == rm.size && len(rm.members) == 0
}

// leave takes m out of the room and closes its connection.
func (rm *room) leave(m *member) {
	m.conn.Close()
	rm.mu.Lock()
	defer rm.mu.Unlock()
	for i, x := range rm.members {
		if x == m {
			rm.members = append(rm.members[:i], rm.members[i+1:]...)
			return
		}
	}
}

// closeAll closes every member's connection.
func (rm *room) closeAll() {
	rm.mu.Lock()
	defer rm.mu.Unlock()
	for _, m := range rm.members {
		m.conn.Close()
	}
}
