package lobby

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"golang.org/x/time/rate"
	"google.golang.org/protobuf/proto"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/arena"
	"github.com/tickwire/tickwire/netcode/client"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// The attack test: 40 honest players, each of its own address, play arena
// (60 Hz ticks, 20 Hz snapshots, 30 inputs a second) on a server with the
// production budgets, while one address attacks in each of the ways the
// hardening review found, one attack after another. Beside every attack
// the honest players must keep at least 95 % of their snapshots, a p99
// input→ack latency of at most 100 ms, and no desync, and newcomers must
// find seats by quick play. It takes about 15 s, with or without the race
// detector.
const (
	attackHonest     = 40
	attackInputHz    = 30
	attackWindow     = 2 * time.Second        // measured, per attack
	attackRamp       = 300 * time.Millisecond // the attack in full swing before the window
	attackMinShare   = 0.95
	attackMaxP99     = 100 * time.Millisecond
	attackFillerRoom = 300 // public rooms to list, as in the review's run
)

// attacker is the one address every attack comes from.
var attacker = loopback(1)

// The attacker's pace. It runs in the test's process, on the cores the
// server and the honest players need, so it is held to intensities at or
// above those of the review's run rather than to all the process can give:
// a real attacker spends its own machine.
const (
	attackDialsPerSecond = 200   // connection attempts of one attack
	attackPingsPerSecond = 90000 // the review's flood: 87,600 pings/s from 4 connections
	attackFramesPerConn  = 2000  // input frames a second, each of about 650 inputs
)

// pacer returns a limiter of n events a second for an attack.
func pacer(n int) *rate.Limiter { return rate.NewLimiter(rate.Limit(n), max(1, n/100)) }

// honestPlayer is one player of the fleet with what a window measures.
type honestPlayer struct {
	c         *client.Client
	snapshots atomic.Int64
}

// honestFleet plays and measures the honest players.
type honestFleet struct {
	players  []*honestPlayer
	counting atomic.Bool

	mu        sync.Mutex
	latencies []time.Duration // input→ack in the window
}

// windowFigures are what one measuring window found.
type windowFigures struct {
	share    float64 // snapshots received over snapshots due
	minBot   float64 // the lowest share of one player
	p50      time.Duration
	p99      time.Duration
	acked    int
	desyncs  uint64  // all along, not only in the window
	refusals float64 // refusals and drops counted meanwhile
}

// meets reports whether the window meets the targets.
func (w windowFigures) meets() bool {
	return w.share >= attackMinShare && w.p99 <= attackMaxP99 && w.acked > 0 && w.desyncs == 0
}

func (w windowFigures) String() string {
	return fmt.Sprintf("snapshots %5.1f %% (worst player %5.1f %%), input→ack p50 %v p99 %v over %d inputs, desyncs %d, %.0f refusals",
		100*w.share, 100*w.minBot, w.p50.Round(time.Millisecond), w.p99.Round(time.Millisecond), w.acked, w.desyncs, w.refusals)
}

// TestAttacksLeaveHonestPlayersAlone runs the attacks, one subtest each:
// room exhaustion, listing spam (8 connections at 110 pages a second, HTTP
// beside), idle and lobby-only connections, seat squatting, a ping flood
// and input floods, each for a measured window of attackWindow. With the
// budgets off (Limits{}) newcomers find no room from the third attack on.
//
// The figures are of a shared machine, where a hiccup of a few hundred
// milliseconds spoils a window's p99: an attack gets up to attackAttempts
// windows to meet the targets. When it misses them all, a window without
// any attack decides: if that one meets the targets the attack is to
// blame and the subtest fails; if not, the machine is too busy to tell
// and the subtest is skipped, saying so.
func TestAttacksLeaveHonestPlayersAlone(t *testing.T) {
	filler := arena.Mode("filler")
	filler.Settings = game.Settings{TickHz: 1, SnapshotHz: 1, MaxPlayers: 1, MinPlayers: 1}
	modes := game.NewModes()
	modes.Register(arena.Mode("arena"))
	modes.Register(filler)
	fd := startFrontDoorModes(t, func(c *Config) {
		c.Rooms.DefaultMode = "arena"
		// Room for the fillers, the honest players and a few dozen more:
		// enough for an unchecked attacker to fill within a window.
		c.Rooms.MaxRooms = attackFillerRoom + 30
	}, modes)
	// Public rooms to make listings as heavy as the review's: quick-play
	// rooms of one seat in a mode that ticks once a second.
	for i := range attackFillerRoom {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, _, err := fd.registry.Join(ctx, JoinRequest{Mode: "filler"}, fmt.Sprintf("f%d", i), discardLink{})
		cancel()
		if err != nil {
			t.Fatal(err)
		}
	}
	fleet := startHonestFleet(t, fd)

	attacks := []struct {
		name string
		run  func(ctx context.Context, t *testing.T, fd *frontDoor)
	}{
		{"room exhaustion", attackRooms},
		{"listing spam", attackListings},
		{"idle and ghost connections", attackIdle},
		{"seat squatting", attackSquat},
		{"ping flood", attackPings},
		{"input flood", attackInputs},
	}
	newcomer := 150 // the next newcomer's address
	for _, a := range attacks {
		t.Run(a.name, func(t *testing.T) {
			for attempt := 1; ; attempt++ {
				f, seated, err := runAttack(t, fd, fleet, a.run, newcomer)
				newcomer += attackNewcomers
				if err != nil {
					t.Fatalf("newcomers could not play: %v", err)
				}
				if f.desyncs != 0 {
					t.Fatalf("%d desyncs", f.desyncs)
				}
				t.Logf("%s; %d of %d newcomers seated", f, seated, attackNewcomers)
				if f.meets() {
					return
				}
				if attempt < attackAttempts {
					continue // an attack hurts every window; a busy machine now and then
				}
				// Missed every time: was it the attack, or a machine too busy
				// to keep the pace even without it?
				quiet := fleet.measure(attackWindow)
				if quiet.meets() {
					t.Fatalf("beside the attack honest players got %s; want at least %.0f %% of their snapshots and a p99 input→ack of at most %v (without it: %s)",
						f, 100*attackMinShare, attackMaxP99, quiet)
				}
				t.Skipf("the machine is too busy to tell: without the attack too, honest players got %s", quiet)
			}
		})
	}
}

// attackAttempts is how many windows an attack gets to meet the targets.
// An attack that does harm does it in every window; a shared machine's
// hiccup spoils one now and then.
const attackAttempts = 3

// runAttack runs one attack while newcomers, of their own addresses from
// loopback(newcomer), join by quick play, and measures the honest players
// beside it.
func runAttack(t *testing.T, fd *frontDoor, fleet *honestFleet, attack func(context.Context, *testing.T, *frontDoor), newcomer int) (windowFigures, int, error) {
	refusals := refusalCount(t)
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { attack(ctx, t, fd) })
	time.Sleep(attackRamp)
	var newcomers error
	seated := 0
	wg.Go(func() {
		var rooms []string
		rooms, newcomers = tryQuickPlay(t, fd.url, newcomer, attackNewcomers, false)
		for _, r := range rooms {
			if r != "" {
				seated++
			}
		}
	})
	f := fleet.measure(attackWindow)
	stop()
	wg.Wait()
	f.refusals = refusalCount(t) - refusals
	return f, seated, newcomers
}

// attackNewcomers is how many new players join beside each attack.
const attackNewcomers = 4

// refusalCount sums every refusal, drop and paced read the front door and
// the connections count, to show the defences at work.
func refusalCount(t *testing.T) float64 {
	n := 0.0
	for _, name := range []string{"tickwire_connections_refused_total", "tickwire_requests_refused_total",
		"tickwire_handshake_failures_total", "tickwire_frames_rejected_total", "tickwire_held_seats_released_early_total",
		"tickwire_lobby_idle_closed_total", "tickwire_reads_paced_total"} {
		n += metricSum(t, name)
	}
	return n
}

// startHonestFleet seats the honest players by quick play and starts their
// inputs; the test's end stops them.
func startHonestFleet(t *testing.T, fd *frontDoor) *honestFleet {
	t.Helper()
	f := &honestFleet{players: make([]*honestPlayer, attackHonest)}
	for i := range f.players {
		p := &honestPlayer{}
		p.c = mustDialFrom(t, fd.url, loopback(100+i), fmt.Sprintf("honest%02d", i), func(c *client.ClientConfig) {
			c.OnSnapshot = func(client.SnapshotInfo) {
				if f.counting.Load() {
					p.snapshots.Add(1)
				}
			}
			c.OnInputAck = func(_ uint32, latency time.Duration) {
				if f.counting.Load() {
					f.mu.Lock()
					f.latencies = append(f.latencies, latency)
					f.mu.Unlock()
				}
			}
		})
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err := p.c.Join(ctx, "arena", "")
		cancel()
		if err != nil {
			t.Fatalf("honest %d: %v", i, err)
		}
		f.players[i] = p
	}
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i, p := range f.players {
		wg.Go(func() { playHonest(ctx, p.c, uint64(i)) })
	}
	t.Cleanup(func() { stop(); wg.Wait() })
	time.Sleep(500 * time.Millisecond) // every player past its first full snapshot
	return f
}

// playHonest sends inputs at attackInputHz until ctx ends: a new random
// direction about once a second.
func playHonest(ctx context.Context, c *client.Client, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 11))
	mx, my := &arena.Schema.Input[arena.InputMoveX], &arena.Schema.Input[arena.InputMoveY]
	tick := time.NewTicker(time.Second / attackInputHz)
	defer tick.Stop()
	var in arena.Input
	for n := 0; ; n++ {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if n%attackInputHz == 0 {
			a := rng.Float64() * 2 * math.Pi
			in.MoveX, in.MoveY = mx.Quantize(math.Cos(a)*arena.MoveAxisMax), my.Quantize(math.Sin(a)*arena.MoveAxisMax)
		}
		if _, err := c.SendInput(in.Values()...); err != nil {
			return
		}
	}
}

// measure counts what the honest players get for window.
func (f *honestFleet) measure(window time.Duration) windowFigures {
	for _, p := range f.players {
		p.snapshots.Store(0)
	}
	f.mu.Lock()
	f.latencies = f.latencies[:0]
	f.mu.Unlock()
	f.counting.Store(true)
	time.Sleep(window)
	f.counting.Store(false)

	var w windowFigures
	due := window.Seconds() * float64(game.DefaultSnapshotHz)
	w.minBot = math.Inf(1)
	var got int64
	for _, p := range f.players {
		n := p.snapshots.Load()
		got += n
		w.minBot = min(w.minBot, float64(n)/due)
		w.desyncs += p.c.Stats().Desyncs
	}
	w.share = float64(got) / (due * float64(len(f.players)))
	f.mu.Lock()
	lat := slices.Clone(f.latencies)
	f.mu.Unlock()
	slices.Sort(lat)
	if w.acked = len(lat); w.acked > 0 {
		w.p50, w.p99 = pct(lat, 50), pct(lat, 99)
	}
	return w
}

// attackRooms signs in again and again to create rooms and leave them
// empty.
func attackRooms(ctx context.Context, t *testing.T, fd *frontDoor) {
	dials := pacer(attackDialsPerSecond)
	for dials.Wait(ctx) == nil {
		c, err := dialFrom(ctx, fd.url, attacker, "rooms", func(c *client.ClientConfig) { c.PingInterval = -1 })
		if err != nil {
			continue
		}
		cctx, cancel := context.WithTimeout(ctx, time.Second)
		_, _, _ = c.CreateRoom(cctx, "arena", 1, false)
		cancel()
		_ = c.Close()
	}
}

// attackListings asks for 100-room pages from 8 connections at 110 a
// second each (below the message rate limit, as the review's run did),
// signing in again whenever one is cut, and over HTTP.
func attackListings(ctx context.Context, t *testing.T, fd *frontDoor) {
	list, _ := proto.Marshal(&pb.ClientMessage{Body: &pb.ClientMessage_ListRooms{ListRooms: &pb.ListRooms{Limit: 100}}})
	dials := pacer(attackDialsPerSecond)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for dials.Wait(ctx) == nil {
				ws := rawSignIn(ctx, fd, "lister")
				if ws == nil {
					continue
				}
				go drain(ws)
				listAt110(ctx, ws, list)
				ws.Close()
			}
		})
	}
	requests := pacer(attackDialsPerSecond * 5)
	for range 2 {
		wg.Go(func() {
			hc := &http.Client{Timeout: time.Second, Transport: &http.Transport{DialContext: netDialer(attacker).DialContext}}
			defer hc.CloseIdleConnections()
			for requests.Wait(ctx) == nil {
				resp, err := hc.Get("http://" + fd.addr + "/v1/rooms?limit=100")
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}
		})
	}
	wg.Wait()
}

// listAt110 sends frame 110 times a second until ctx ends or the server
// cuts the connection.
func listAt110(ctx context.Context, ws *websocket.Conn, frame []byte) {
	tick := time.NewTicker(time.Second / 110)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if ws.WriteMessage(websocket.BinaryMessage, frame) != nil {
			return
		}
	}
}

// attackIdle keeps trying to hold 300 idle TCP connections and 50 signed-in
// connections that never join a room.
func attackIdle(ctx context.Context, t *testing.T, fd *frontDoor) {
	var conns []io.Closer
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	dials := pacer(attackDialsPerSecond)
	for i := 0; dials.Wait(ctx) == nil; i++ {
		if i%6 == 0 {
			if c, err := dialFrom(ctx, fd.url, attacker, "ghost", nil); err == nil {
				conns = append(conns, closerFunc(func() error { return c.Close() }))
			}
		} else if c, err := netDialer(attacker).DialContext(ctx, "tcp", fd.addr); err == nil {
			conns = append(conns, c)
		}
	}
}

// attackSquat joins by quick play and drops the socket, again and again.
func attackSquat(ctx context.Context, t *testing.T, fd *frontDoor) {
	dials := pacer(attackDialsPerSecond)
	for dials.Wait(ctx) == nil {
		c, err := dialFrom(ctx, fd.url, attacker, "squatter", func(c *client.ClientConfig) { c.PingInterval = -1 })
		if err != nil {
			continue
		}
		jctx, cancel := context.WithTimeout(ctx, time.Second)
		_, _ = c.Join(jctx, "arena", "")
		cancel()
		c.DropConnection()
		_ = c.Close()
	}
}

// attackPings floods WebSocket pings from 4 connections, dialing again
// whenever the server cuts one.
func attackPings(ctx context.Context, t *testing.T, fd *frontDoor) {
	dials, pings := pacer(attackDialsPerSecond), pacer(attackPingsPerSecond)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for dials.Wait(ctx) == nil {
				ws, _, err := wsDialer(attacker).DialContext(ctx, fd.url, nil)
				if err != nil {
					continue
				}
				go drain(ws)
				burst := maskedFrames(websocket.PingMessage, []byte("flood"), 100)
				for pings.WaitN(ctx, 100) == nil {
					if !writeRaw(ws, burst) {
						break
					}
				}
				ws.Close()
			}
		})
	}
	wg.Wait()
}

// writeRaw writes ready frames straight to the socket, giving up after a
// second: a server that reads no faster than its budget leaves the
// attacker's writes waiting.
func writeRaw(ws *websocket.Conn, frames []byte) bool {
	nc := ws.NetConn()
	if nc.SetWriteDeadline(time.Now().Add(time.Second)) != nil {
		return false
	}
	_, err := nc.Write(frames)
	return err == nil || errors.Is(err, os.ErrDeadlineExceeded)
}

// maskedFrames returns n WebSocket frames of opcode carrying payload, as a
// client sends them (masked), back to back: the attacks write them to the
// socket in one call rather than spend the test's cores on one system call
// a frame, which the server does not see anyway.
func maskedFrames(opcode int, payload []byte, n int) []byte {
	frame := []byte{0x80 | byte(opcode)}
	switch l := len(payload); {
	case l < 126:
		frame = append(frame, 0x80|byte(l))
	default:
		frame = append(frame, 0x80|126, byte(l>>8), byte(l))
	}
	key := [4]byte{0x12, 0x34, 0x56, 0x78}
	frame = append(frame, key[:]...)
	for i, b := range payload {
		frame = append(frame, b^key[i%4])
	}
	return bytes.Repeat(frame, n)
}

// attackInputs joins rooms and sends frames of as many inputs as fit from
// 4 connections, dialing again whenever the server cuts one.
func attackInputs(ctx context.Context, t *testing.T, fd *frontDoor) {
	dials := pacer(attackDialsPerSecond)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for dials.Wait(ctx) == nil {
				ws := rawSignIn(ctx, fd, "flooder")
				if ws == nil {
					continue
				}
				join, _ := proto.Marshal(&pb.ClientMessage{Body: &pb.ClientMessage_JoinRoom{JoinRoom: &pb.JoinRoom{Mode: "arena"}}})
				_ = ws.WriteMessage(websocket.BinaryMessage, join)
				go drain(ws)
				frames := pacer(attackFramesPerConn)
				flood := inputFlood(1<<14, 650)
				if len(flood) > int(fd.cfg.Conn.MaxFrameBytes) {
					t.Errorf("the input flood's frame has %d bytes, more than the server reads", len(flood))
					return
				}
				burst := maskedFrames(websocket.BinaryMessage, flood, 10)
				for frames.WaitN(ctx, 10) == nil {
					if !writeRaw(ws, burst) {
						break
					}
				}
				ws.Close()
			}
		})
	}
	wg.Wait()
}

// inputFlood is an InputBatch of n inputs from seq on, seqs only: 650 of
// them from seq 16384 on take 3,903 bytes, as many as fit in a frame.
func inputFlood(seq uint32, n int) []byte {
	batch := &pb.InputBatch{Inputs: make([]*pb.Input, n)}
	for i := range batch.Inputs {
		batch.Inputs[i] = &pb.Input{Seq: seq + uint32(i)}
	}
	b, _ := proto.Marshal(&pb.ClientMessage{Body: &pb.ClientMessage_Input{Input: batch}})
	return b
}

// rawSignIn opens a WebSocket from the attacker's address and signs a
// guest in; nil when the server refuses.
func rawSignIn(ctx context.Context, fd *frontDoor, name string) *websocket.Conn {
	ws, _, err := wsDialer(attacker).DialContext(ctx, fd.url, nil)
	if err != nil {
		return nil
	}
	hello, _ := proto.Marshal(helloMsg(name, ""))
	_ = ws.SetReadDeadline(time.Now().Add(time.Second))
	if ws.WriteMessage(websocket.BinaryMessage, hello) != nil {
		ws.Close()
		return nil
	}
	_, b, err := ws.ReadMessage()
	var m pb.ServerMessage
	if err != nil || proto.Unmarshal(b, &m) != nil || m.GetWelcome() == nil {
		ws.Close()
		return nil
	}
	_ = ws.SetReadDeadline(time.Time{})
	return ws
}

// drain reads and drops everything until the connection fails.
func drain(ws *websocket.Conn) {
	for {
		if _, _, err := ws.NextReader(); err != nil {
			return
		}
	}
}

// closerFunc is a func as an io.Closer.
type closerFunc func() error

func (f closerFunc) Close() error { return f() }
