package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/tickwire/tickwire/netcode/client"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// connectTimeout bounds one bot's dial, handshake and join.
const connectTimeout = 10 * time.Second

// botPlan is what the seed decides about one bot before it starts.
type botPlan struct {
	mode     string // the -mode this bot quick-plays ("" = the server's default)
	behavior string // wander, chase or idle
	garbage  bool   // sends a malformed frame instead of playing
	slow     bool   // pauses reading now and then
	rng      *rand.Rand
}

// planBot draws bot i's role from the seed alone, so a seed replays the
// same fleet whatever order the bots happen to connect in.
func planBot(c config, i int) botPlan {
	rng := rand.New(rand.NewPCG(c.seed, uint64(i)))
	p := botPlan{rng: rng}
	p.garbage = rng.Float64() < c.chaosGarbage
	p.slow = !p.garbage && rng.Float64() < c.chaosSlow
	p.behavior = pickBehavior(c.behavior, rng)
	p.mode = c.modes[i%len(c.modes)]
	return p
}

// bot is one simulated player. Its goroutine owns the client; the progress
// line and the report read the client's counters (Client.Stats) and the
// seated time under mu.
type bot struct {
	id   int
	name string
	plan botPlan
	// source is the local address the bot dials from (-source-addrs);
	// nil lets the system pick.
	source *net.TCPAddr

	mu sync.Mutex
	// stats stands in for the client's counters while the bot has no
	// client (tests publish them).
	stats    client.ClientStats
	inRoom   time.Duration // time seated, closed intervals
	joinedAt time.Time     // start of the open interval; zero when not seated
	mode     string        // the mode of the newest room joined
	snapHz   uint32        // that room's snapshot rate

	conn     atomic.Pointer[pausableConn] // the newest socket, for chaos-slow
	dropping atomic.Bool                  // the bot is cutting its own connection
	left     chan pb.CloseReason          // the seat ended (Left), and why
	// leftFor is the Left reason that ended the bot (0 while it plays);
	// judgeEnd counts it once instead of the connection's end as well.
	leftFor  pb.CloseReason
	lostSeat chan struct{} // a reconnection did not resume the seat
	// client is the bot's client once dialed; signIns the client's count
	// of fresh sign-ins already judged (reader goroutine only).
	client  atomic.Pointer[client.Client]
	signIns uint64
	// counted is the client whose counters the bot reports, set once it
	// has joined: a bot that never got a seat reports none.
	counted atomic.Pointer[client.Client]
}

func newBot(c config, i int) *bot {
	return &bot{
		id: i, name: fmt.Sprintf("bot-%04d", i), plan: planBot(c, i), source: sourceAddr(c.sources, i),
		left: make(chan pb.CloseReason, 1), lostSeat: make(chan struct{}, 1),
	}
}

// publish stores counters for a bot without a client.
func (b *bot) publish(st client.ClientStats) {
	b.mu.Lock()
	b.stats = st
	b.mu.Unlock()
}

// seated opens a seated interval at now in the room j joined.
func (b *bot) seated(now time.Time, j *pb.Joined) {
	b.mu.Lock()
	if b.joinedAt.IsZero() {
		b.joinedAt = now
	}
	b.mode, b.snapHz = j.GetMode(), j.GetSnapshotHz()
	b.mu.Unlock()
}

// unseated closes the seated interval at now.
func (b *bot) unseated(now time.Time) {
	b.mu.Lock()
	if !b.joinedAt.IsZero() {
		b.inRoom += now.Sub(b.joinedAt)
		b.joinedAt = time.Time{}
	}
	b.mu.Unlock()
}

// sample returns the bot's counters and seated time as of now. The
// counters are read from the client when the bot has one: the sampler
// asks once a second, rather than every bot copying them at every input.
func (b *bot) sample(now time.Time) (client.ClientStats, time.Duration) {
	var st client.ClientStats
	c := b.counted.Load()
	if c != nil {
		st = c.Stats()
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if c == nil {
		st = b.stats
	}
	d := b.inRoom
	if !b.joinedAt.IsZero() {
		d += now.Sub(b.joinedAt)
	}
	return st, d
}

// room returns the mode and snapshot rate of the newest room the bot
// joined ("" and 0 before any).
func (b *bot) room() (mode string, snapshotHz uint32) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.mode, b.snapHz
}

// writeBuffers is the write buffers every bot's connection borrows for a
// frame and gives back: a bot writes a small frame thirty times a second,
// and the pacer writes them one after another, so a few buffers shared and
// warm in the cache do what one idle buffer per connection did.
var writeBuffers = &sync.Pool{}

// dialer returns the bot's WebSocket dialer: every socket it opens is a
// pausableConn the bot can stop reading from.
func (b *bot) dialer() *websocket.Dialer {
	nd := &net.Dialer{Timeout: connectTimeout}
	if b.source != nil {
		// Only when set: a nil *net.TCPAddr in the interface would be
		// taken for an address.
		nd.LocalAddr = b.source
	}
	return &websocket.Dialer{
		HandshakeTimeout: connectTimeout,
		WriteBufferPool:  writeBuffers,
		NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := nd.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			pc := newPausableConn(c)
			b.conn.Store(pc)
			return pc, nil
		},
	}
}

// run plays the bot until ctx ends or its connection does.
func (b *bot) run(ctx context.Context, f *fleet) {
	if b.plan.garbage {
		b.runGarbage(ctx, f)
		return
	}
	cfg := client.ClientConfig{
		URL:    f.cfg.server,
		Name:   b.name,
		Dialer: b.dialer(),
		Logger: f.log.With("bot", b.name),
		OnInputAck: func(_ uint32, latency time.Duration) {
			f.tally.ack(latency)
		},
		OnMessage: func(m *pb.ServerMessage) {
			if e := m.GetError(); e != nil && talkRefused(e) {
				f.tally.unexpected("refused: " + e.GetMessage())
			}
			if l := m.GetLeft(); l != nil {
				select {
				case b.left <- l.GetReason():
				default:
				}
			}
		},
	}
	resumeOptions(&cfg, f, b)
	chatOptions(&cfg, f, b)
	dctx, cancel := context.WithTimeout(ctx, connectTimeout)
	client, err := client.Dial(dctx, cfg)
	if err == nil {
		b.client.Store(client)
		err = b.join(dctx, f, client)
		if err != nil {
			_ = client.Close()
		}
	}
	cancel()
	if err != nil {
		if ctx.Err() == nil { // an interrupted run is not the server's failure
			f.tally.fail(failReason(err))
			f.log.Warn("bot failed to connect", "bot", b.name, "err", err)
		}
		return
	}
	b.counted.Store(client)
	f.tally.connect()
	defer f.tally.disconnect()
	b.play(ctx, f, client)
	b.unseated(time.Now())
	if pc := b.conn.Load(); pc != nil {
		pc.resume() // a paused reader would hold up the close handshake
	}
	_ = client.Close()
	b.judgeEnd(ctx, f, client.Err())
}

// join takes a seat: in the -room code, else by quick play.
func (b *bot) join(ctx context.Context, f *fleet, c *client.Client) error {
	joined, err := joinRoom(ctx, c, f.cfg, b.plan.mode)
	if err != nil {
		return err
	}
	f.tally.room(joined.GetRoomId())
	b.seated(time.Now(), joined)
	return nil
}

// play plays the bot until ctx ends, the connection ends, or the bot can
// no longer find a seat: the fleet's pacer sends its inputs at -input-hz
// (stepper.step) while this goroutine waits for what ends or interrupts
// play.
func (b *bot) play(ctx context.Context, f *fleet, c *client.Client) {
	st := &stepper{b: b, f: f, c: c}
	if chaos := newBotChaos(f.cfg, b.plan); chaos.active() {
		st.chaos = chaos
	}
	remove := f.pacer.add(b.id, time.Now(), st.step)
	defer remove()
	chatTick, chatC := chatTicker(f.cfg)
	if chatTick != nil {
		defer chatTick.Stop()
	}
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-chatC:
			b.say(f, c, now)
		case <-c.Done():
			return
		case reason := <-b.left:
			b.unseated(time.Now())
			if reason != pb.CloseReason_CLOSE_REASON_MATCH_ENDED {
				// Kicked, room closed, server stopping: not a match to
				// play on from; the bot ends here.
				b.leftFor = reason
				return
			}
			if f.cfg.room != "" { // a code names one room; when it ends, so does the bot
				f.tally.expect("room ended")
				return
			}
			if !b.rejoin(ctx, f, c) {
				return
			}
		case <-b.lostSeat:
			b.unseated(time.Now())
			if !b.rejoin(ctx, f, c) {
				return
			}
		}
	}
}

// rttCheckEvery is how many steps apart a bot looks for a new RTT sample:
// a few times a second, more often than the client pings (once a second).
const rttCheckEvery = 8

// stepper is what a bot's input steps keep between them. Its step runs on
// a pacer goroutine, one step at a time, while the bot plays.
type stepper struct {
	b     *bot
	f     *fleet
	c     *client.Client
	chaos *botChaos // nil for a bot without chaos

	br          brain
	brainMode   string
	joined      *pb.Joined // the Joined the brain was last checked against
	v           view
	world       *wire.Rows
	steps       int
	lastSamples uint64
}

// step decides and sends one input, samples the RTT now and then, and
// applies whatever chaos is due. Between a lost seat and the rejoin the
// client refuses the input (ErrNotJoined), which is part of play.
func (s *stepper) step(now time.Time) {
	b, f, c := s.b, s.f, s.c
	j := c.Joined()
	if j != nil && j != s.joined && (s.br == nil || s.brainMode != j.GetMode()) {
		// Each mode plays with its own brains; with no -mode the server
		// picks the mode, known only from Joined. The schema is read
		// apart from Joined: it is j's only if no Left or Joined came in
		// between, else this step is skipped and the next one decides.
		schema := c.Schema()
		if c.Joined() != j {
			return
		}
		s.br, s.brainMode = newBrain(j.GetMode(), b.plan.behavior, f.cfg.inputHz, b.plan.rng, schema), j.GetMode()
		s.world = nil
	}
	s.joined = j
	if j != nil && s.br.wantsView() {
		s.world = c.Interpolated(now, s.world)
		buildView(&s.v, c.Schema(), s.world, j.GetPlayerId(), j.GetEntityId())
	}
	var values []int32
	if s.br != nil {
		values = s.br.next(now, &s.v)
	}
	if _, err := c.SendInput(values...); err != nil && !ignorableSendError(err) {
		f.log.Debug("send input", "bot", b.name, "err", err)
	}
	if s.steps%rttCheckEvery == 0 {
		if st := c.Stats(); st.ClockSamples != s.lastSamples {
			s.lastSamples = st.ClockSamples
			f.tally.roundTrip(st.RTT)
		}
	}
	s.steps++
	if s.chaos != nil {
		s.chaos.step(now, b, c, f)
	}
}

// rejoin finds a new seat after losing one (the match ended, or a
// reconnection did not resume it); false when none was found.
func (b *bot) rejoin(ctx context.Context, f *fleet, c *client.Client) bool {
	jctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	if err := b.join(jctx, f, c); err != nil {
		if ctx.Err() == nil {
			f.tally.unexpected("rejoin: " + failReason(err))
			f.log.Warn("bot could not rejoin", "bot", b.name, "err", err)
		}
		return false
	}
	return true
}

// judgeEnd classifies how the bot's connection ended.
func (b *bot) judgeEnd(ctx context.Context, f *fleet, err error) {
	var ce *wire.CloseError
	switch {
	case b.leftFor != pb.CloseReason_CLOSE_REASON_UNSPECIFIED:
		if ctx.Err() == nil {
			f.tally.dropped()
			f.tally.unexpected("left the room: " + strings.ToLower(strings.TrimPrefix(b.leftFor.String(), "CLOSE_REASON_")))
		}
	case err == nil || errors.Is(err, client.ErrClientClosed):
		if ctx.Err() == nil {
			f.tally.unexpected("bot stopped before the run ended")
		}
	case errors.As(err, &ce) && ce.Reason == pb.CloseReason_CLOSE_REASON_SLOW_CONSUMER && b.plan.slow:
		f.tally.dropped()
		f.tally.expect("slow bot closed as slow consumer")
	default:
		f.tally.dropped()
		f.tally.unexpected("connection ended: " + failReason(err))
		f.log.Warn("bot connection ended", "bot", b.name, "err", err)
	}
}

// runGarbage plays a garbage bot and records its outcome.
func (b *bot) runGarbage(ctx context.Context, f *fleet) {
	wait := min(f.cfg.duration/2, 500*time.Millisecond+time.Duration(b.plan.rng.Int64N(int64(1500*time.Millisecond))))
	frame := garbageFrames[b.plan.rng.IntN(len(garbageFrames))]
	out := runGarbage(ctx, b.dialer(), f.cfg.server, b.name, wait, frame, f.tally.connect)
	if out.connected {
		f.tally.disconnect()
	}
	switch {
	case !out.connected && ctx.Err() != nil:
	case !out.connected:
		f.tally.fail("garbage bot: " + failReason(out.err))
	case out.err != nil:
		f.tally.unexpected("garbage bot: " + failReason(out.err))
		f.log.Warn("garbage bot", "bot", b.name, "err", out.err)
	case ctx.Err() == nil:
		f.tally.expect("garbage bot closed with protocol error")
	}
}

// ignorableSendError reports send errors that are part of normal play:
// between a room's end and the rejoin, or as the connection goes away (its
// end is judged once, from Client.Err).
func ignorableSendError(err error) bool {
	return errors.Is(err, client.ErrNotJoined) || errors.Is(err, client.ErrClientClosed)
}

// failReason turns an error into a short, low-cardinality reason for the
// error table: the server's error or close reason when there is one.
func failReason(err error) string {
	var se *client.ServerError
	var ce *wire.CloseError
	switch {
	case err == nil:
		return "none"
	case errors.As(err, &se):
		return se.Error()
	case errors.As(err, &ce):
		return "closed: " + ce.Reason.String()
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	case errors.Is(err, errGarbageNotClosed):
		return errGarbageNotClosed.Error()
	default:
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return "timed out"
		}
		var oe *net.OpError
		if errors.As(err, &oe) {
			return oe.Op + ": " + oe.Err.Error()
		}
		return err.Error()
	}
}
