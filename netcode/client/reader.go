package client

import (
	"errors"
	"io"
	"time"

	"github.com/gorilla/websocket"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
	"google.golang.org/protobuf/proto"
)

// serve reads and handles the server messages of conn, with a pinger
// beside it, until the connection ends; it returns why, as the client's
// terminal error would show it.
func (c *Client) serve(conn *websocket.Conn) error {
	stop := make(chan struct{})
	pingerDone := make(chan struct{})
	go c.pingLoop(stop, pingerDone)
	readTimeout := max(clientMinReadTimeout, 5*c.cfg.PingInterval)
	var (
		err          error
		readDeadline time.Time
	)
	for {
		if c.cfg.PingInterval > 0 {
			// A live server answers our pings, so silence this long means
			// it is gone. The deadline moves once per clientDeadlineSlack,
			// not per frame: moving it costs a runtime timer update. (An
			// error here means the socket is gone: the read says why.)
			readDeadline, _ = extendDeadline(readDeadline, time.Now(), readTimeout, conn.SetReadDeadline)
		}
		var (
			frame []byte
			ok    bool
		)
		frame, ok, err = c.readFrame(conn, &c.readBuf)
		if err != nil {
			break
		}
		// Snapshots, nearly every frame a player gets, take the decoder
		// that allocates nothing; anything else the generic one.
		if ok && wire.DecodeSnapshotFrame(frame, &c.snap) {
			c.handleSnapshot(&c.snap, nil, len(frame), time.Now())
			continue
		}
		if msg := c.decodeMessage(frame, ok); msg != nil {
			c.handle(msg, len(frame))
		}
	}
	conn.Close()
	close(stop)
	<-pingerDone
	c.mu.Lock()
	closing := c.closing
	c.mu.Unlock()
	return closeErrorFrom(err, closing)
}

// extendDeadline keeps a connection's deadline at least timeout ahead of
// now: when the deadline set is nearer, it sets a new one
// clientDeadlineSlack further out, so a steady flow of frames moves it
// once per clientDeadlineSlack. It returns the deadline in force.
func extendDeadline(deadline, now time.Time, timeout time.Duration, set func(time.Time) error) (time.Time, error) {
	if !deadline.IsZero() && !now.Add(timeout).After(deadline) {
		return deadline, nil
	}
	deadline = now.Add(timeout + clientDeadlineSlack)
	return deadline, set(deadline)
}

// readMessageInto reads the next data frame into the buffer its caller
// owns and decodes it. A frame that is not a valid binary ServerMessage is
// counted and returned as a nil message; only connection errors are
// returned as errors.
func (c *Client) readMessageInto(conn *websocket.Conn, into *[]byte) (*pb.ServerMessage, int, error) {
	frame, binary, err := c.readFrame(conn, into)
	if err != nil {
		return nil, 0, err
	}
	return c.decodeMessage(frame, binary), len(frame), nil
}

// readFrame reads the next data frame into *into (grown as needed) and
// counts it; binary is false for a text frame.
func (c *Client) readFrame(conn *websocket.Conn, into *[]byte) (frame []byte, binary bool, err error) {
	typ, r, err := conn.NextReader()
	if err != nil {
		return nil, false, err
	}
	buf := (*into)[:0]
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		m, rerr := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return nil, false, rerr
		}
	}
	*into = buf
	c.mu.Lock()
	c.stats.BytesIn += uint64(len(buf))
	c.stats.FramesIn++
	c.mu.Unlock()
	return buf, typ == websocket.BinaryMessage, nil
}

// decodeMessage decodes a frame readFrame read; an undecodable frame is
// counted and logged, and nil returned.
func (c *Client) decodeMessage(frame []byte, binary bool) *pb.ServerMessage {
	msg := &pb.ServerMessage{}
	var err error
	if !binary {
		err = errors.New("text frame")
	} else {
		// Unmarshal copies bytes fields, so the read buffer can be reused.
		err = proto.Unmarshal(frame, msg)
	}
	if err != nil {
		c.mu.Lock()
		c.stats.DecodeErrors++
		c.mu.Unlock()
		c.log.Warn("undecodable server frame", "bytes", len(frame), "err", err)
		return nil
	}
	return msg
}

// handle dispatches one server message on the reader goroutine.
func (c *Client) handle(msg *pb.ServerMessage, n int) {
	now := time.Now()
	switch b := msg.Body.(type) {
	case *pb.ServerMessage_Snapshot:
		sn := b.Snapshot
		c.handleSnapshot(&wire.SnapshotFrame{
			Tick: sn.Tick, BaseTick: sn.BaseTick, ServerTimeUS: sn.ServerTimeUs,
			Checksum: sn.Checksum, LastInputSeq: sn.LastInputSeq, Delta: sn.Delta,
		}, sn.Events, n, now)
		return
	case *pb.ServerMessage_Pong:
		c.mu.Lock()
		// Only echoes of our own pings are samples; anything else would
		// poison the offset with a made-up round trip.
		if c.takePingLocked(b.Pong.ClientTimeUs) {
			c.clock.AddSample(b.Pong.ClientTimeUs, b.Pong.ServerTimeUs, clientClockUS(now))
		} else {
			c.stats.UnmatchedPongs++
		}
		c.mu.Unlock()
		return
	case *pb.ServerMessage_Joined:
		c.mu.Lock()
		c.joined, c.phase = b.Joined, b.Joined.Phase
		c.joinedAtUS = clientClockUS(now)
		c.takeSchemaLocked(b.Joined)
		if b.Joined.Resumed {
			// The same seat after a redial: inputs the server has not
			// applied go out again, seqs continue, the view starts afresh.
			c.resetViewLocked()
		} else {
			c.resetRoomLocked()
			c.chatSeq = 0
			c.handleJoinedLocked(b.Joined)
		}
		c.mu.Unlock()
	case *pb.ServerMessage_Left:
		c.mu.Lock()
		c.joined, c.phase = nil, pb.RoomPhase_ROOM_PHASE_UNSPECIFIED
		c.schema, c.layout = nil, nil
		c.resetRoomLocked()
		c.mu.Unlock()
	case *pb.ServerMessage_RoomState:
		c.mu.Lock()
		if c.joined != nil && b.RoomState.RoomId == c.joined.RoomId {
			c.phase = b.RoomState.Phase
		}
		c.mu.Unlock()
	case *pb.ServerMessage_RoomCreated:
		c.mu.Lock()
		c.handleRoomCreatedLocked(b.RoomCreated)
		c.mu.Unlock()
	case *pb.ServerMessage_RoomList:
		c.mu.Lock()
		lr := c.handleRoomListLocked(b.RoomList)
		c.mu.Unlock()
		lr.run(c)
	case *pb.ServerMessage_RoomUpdate:
		c.mu.Lock()
		lr := c.handleRoomUpdateLocked(b.RoomUpdate)
		c.mu.Unlock()
		lr.run(c)
	case *pb.ServerMessage_Error:
		c.mu.Lock()
		// Requests are answered in order, so an Error while requests wait
		// is the oldest one's answer; a refused chat line or game message
		// answers none.
		if !talkError(b.Error) {
			c.handleErrorLocked(b.Error)
		}
		c.mu.Unlock()
		c.log.Debug("server error", "code", b.Error.Code, "message", b.Error.Message)
	case *pb.ServerMessage_Closing:
		c.mu.Lock()
		c.closing = b.Closing
		c.mu.Unlock()
	case *pb.ServerMessage_GameMessage:
		if c.cfg.OnGameMessage != nil {
			c.cfg.OnGameMessage(b.GameMessage)
		}
		return
	case *pb.ServerMessage_Chat:
		c.mu.Lock()
		fresh := c.takeChatLocked(b.Chat)
		c.mu.Unlock()
		if fresh && c.cfg.OnChat != nil {
			c.cfg.OnChat(b.Chat)
		}
		return
	case *pb.ServerMessage_Notice:
		if c.cfg.OnNotice != nil {
			c.cfg.OnNotice(b.Notice)
		}
		return
	case *pb.ServerMessage_Redirect:
		c.mu.Lock()
		if c.headLocked(reqJoin) != nil {
			c.popLocked(reqResult{redirect: b.Redirect})
		}
		c.mu.Unlock()
	}
	if c.cfg.OnMessage != nil {
		c.cfg.OnMessage(msg)
	}
}

// takeSchemaLocked adopts the schema of the room j joined. A schema that
// does not validate leaves the client with none: it then counts every
// snapshot of the room as undecodable.
func (c *Client) takeSchemaLocked(j *pb.Joined) {
	s, err := wire.SchemaFromProto(j.GetSchema())
	if err != nil {
		c.log.Warn("room schema refused", "room", j.GetRoomId(), "err", err)
		c.schema, c.layout = nil, nil
		return
	}
	c.schema, c.layout = s, wire.NewLayout(s)
}

// resetRoomLocked forgets the room's replica, view and pending inputs.
func (c *Client) resetRoomLocked() {
	c.resetViewLocked()
	c.pendingIn = c.pendingIn[:0]
	c.pendingAt = c.pendingAt[:0]
	c.lastInputSeq = 0
}

// resetViewLocked forgets the replica, the interpolation timeline and the
// ack: the next snapshot must be a full one.
func (c *Client) resetViewLocked() {
	l := c.layout
	if l == nil {
		l = emptyLayout
	}
	c.replica.Reset(l)
	c.interp.Reset(c.schema)
	c.ackTick = 0
	c.snapServerUS = 0
	c.timeAnchorTick, c.timeAnchorUS = 0, 0
	c.resyncing = false
}

// pingLoop is a connection's pinger goroutine: it sends Ping every
// PingInterval, the first at once so the clock estimate sharpens quickly,
// until stop closes.
func (c *Client) pingLoop(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	if c.cfg.PingInterval <= 0 {
		return
	}
	t := time.NewTicker(c.cfg.PingInterval)
	defer t.Stop()
	for {
		sent := clientClockUS(time.Now())
		c.mu.Lock()
		c.pingsSent[c.pingNext%len(c.pingsSent)] = sent
		c.pingNext++
		c.mu.Unlock()
		msg := &pb.ClientMessage{Body: &pb.ClientMessage_Ping{Ping: &pb.Ping{ClientTimeUs: sent}}}
		if err := c.send(msg); err != nil {
			c.log.Debug("ping failed", "err", err)
		}
		select {
		case <-stop:
			return
		case <-t.C:
		}
	}
}

// takePingLocked reports whether sentUS is the time of a recent ping still
// awaiting its pong, and forgets it.
func (c *Client) takePingLocked(sentUS int64) bool {
	for i, t := range c.pingsSent {
		if t == sentUS && t != 0 {
			c.pingsSent[i] = 0
			return true
		}
	}
	return false
}

// handleSnapshot applies a snapshot (s and its events) to the replica and
// does everything that follows: count, ack, resync, input acks, prediction
// error, callbacks. s.Delta may be the read buffer: it is used up before
// handleSnapshot returns.
func (c *Client) handleSnapshot(s *wire.SnapshotFrame, snapEvents []*pb.GameEvent, n int, now time.Time) {
	var (
		resync  bool
		sendAck bool
		acked   []ackedInput
		events  []wire.Event
	)
	c.mu.Lock()
	if c.joined == nil {
		c.stats.UnexpectedSnapshots++
		c.mu.Unlock()
		return
	}
	if c.layout == nil {
		c.stats.DecodeErrors++ // the room's schema was refused
		c.mu.Unlock()
		return
	}
	prevTick, prevRows, _ := c.replica.Latest()
	rows, err := c.replica.Apply(s.Tick, s.BaseTick, s.Delta, s.Checksum)
	if err != nil {
		switch {
		case errors.Is(err, ErrSnapshotStale):
			c.stats.StaleSnapshots++
		case errors.Is(err, ErrSnapshotBaseMissing):
			c.stats.MissingBaseSnapshots++
			resync = true
		case errors.Is(err, ErrSnapshotChecksum):
			c.stats.Desyncs++
			resync = true
			c.log.Warn("snapshot desync", "err", err)
		default:
			c.stats.DecodeErrors++
			resync = true
			c.log.Warn("snapshot decode failed", "err", err)
		}
		// One outstanding request at a time, repeated if it goes unanswered.
		if resync && c.resyncing && now.Sub(c.resyncAt) < clientResyncRetry {
			resync = false
		}
		if resync {
			c.markResyncLocked(now)
		}
		c.mu.Unlock()
		if resync {
			if err := c.sendResync(s.Tick); err != nil {
				c.log.Debug("resync request failed", "err", err)
			}
		}
		return
	}

	c.stats.Snapshots++
	// A client resuming a session it did not start (a token from another
	// process) learns here where the seqs are.
	c.nextSeq = max(c.nextSeq, s.LastInputSeq)
	if s.BaseTick == 0 {
		c.stats.FullSnapshots++
		c.resyncing = false
	}
	c.ackTick = s.Tick
	serverUS := s.ServerTimeUS
	if serverUS != 0 || c.timeAnchorTick == 0 {
		c.timeAnchorTick, c.timeAnchorUS = s.Tick, serverUS
	} else {
		// Left out: the snapshot's time follows from the tick.
		serverUS = wire.DeriveServerTimeUS(c.timeAnchorTick, c.timeAnchorUS, s.Tick, c.tickHzLocked())
	}
	c.snapServerUS = serverUS
	c.interp.Push(serverUS, rows)
	if s.LastInputSeq > c.lastInputSeq {
		acked = c.ackInputsLocked(prevRows, rows, s.LastInputSeq, now)
	}
	// Inputs carry the ack when they flow; a quiet client acks on its own.
	if interval := c.snapshotIntervalLocked(); now.Sub(c.lastInputAt) >= interval {
		sendAck = true
	}
	if c.cfg.OnEvent != nil {
		for _, ev := range snapEvents {
			// Deltas against an older base repeat events already delivered.
			if ev.Tick > prevTick {
				events = append(events, wire.EventFromProto(ev))
			}
		}
	}
	info := SnapshotInfo{
		Tick: s.Tick, BaseTick: s.BaseTick, ServerTimeUS: serverUS, LastInputSeq: s.LastInputSeq,
		Entities: rows.Len(), Events: len(events), FrameBytes: n,
	}
	c.mu.Unlock()

	if sendAck {
		msg := &pb.ClientMessage{Body: &pb.ClientMessage_Ack{Ack: &pb.Ack{Tick: s.Tick}}}
		if err := c.send(msg); err != nil {
			c.log.Debug("ack failed", "err", err)
		}
	}
	if c.cfg.OnInputAck != nil {
		for _, a := range acked {
			c.cfg.OnInputAck(a.seq, a.latency)
		}
	}
	for _, ev := range events {
		c.cfg.OnEvent(ev)
	}
	if c.cfg.OnSnapshot != nil {
		c.cfg.OnSnapshot(info)
	}
}

// snapshotIntervalLocked returns the time between snapshots of the room.
func (c *Client) snapshotIntervalLocked() time.Duration {
	hz := c.snapshotHzLocked()
	if hz <= 0 {
		return 0
	}
	return time.Second / time.Duration(hz)
}
