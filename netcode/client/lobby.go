package client

import (
	"context"
	"fmt"
	"slices"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// reqKind names what a request waits for.
type reqKind uint8

const (
	reqJoin        reqKind = iota // JoinRoom: Joined or Error
	reqCreate                     // CreateRoom: RoomCreated and Joined (either order), or Error
	reqList                       // ListRooms: RoomList or Error
	reqSubscribe                  // SubscribeRooms: RoomList (the stream begins) or Error
	reqResubscribe                // the client's own SubscribeRooms after a redial
)

// request is one lobby request awaiting its reply. The server answers
// requests in order, so replies go to the oldest waiting request; an Error
// is the oldest request's answer.
type request struct {
	kind      reqKind
	ch        chan reqResult  // buffered 1: the reader never blocks on it
	created   *pb.RoomCreated // reqCreate: RoomCreated, if it came first
	joined    *pb.Joined      // reqCreate: Joined, if it came first
	sub       *roomSub        // reqSubscribe, reqResubscribe: the subscription
	abandoned bool            // the caller stopped waiting; guarded by Client.mu
}

// reqResult answers a request.
type reqResult struct {
	joined  *pb.Joined
	created *pb.RoomCreated
	rooms   []*pb.RoomInfo
	list    *pb.RoomList
	err     error
}

// roomSub is a room-list subscription: its callback and the list as the
// updates so far left it, so a redial can turn the fresh list into updates.
type roomSub struct {
	mode  string
	fn    func(*pb.RoomUpdate)
	rooms map[string]*pb.RoomInfo
}

// newRequest returns a request of kind.
func newRequest(kind reqKind) *request {
	return &request{kind: kind, ch: make(chan reqResult, 1)}
}

// do sends msg as request r and waits for its answer, ctx, or the client's
// end. A request made while redialing fails at once with ErrReconnecting;
// one waiting when the connection is lost fails with an error wrapping
// ErrReconnecting and the loss.
func (c *Client) do(ctx context.Context, r *request, msg *pb.ClientMessage) (reqResult, error) {
	c.writeMu.Lock() // queue order is wire order
	c.mu.Lock()
	if c.err != nil {
		err := c.err
		c.mu.Unlock()
		c.writeMu.Unlock()
		return reqResult{}, err
	}
	if c.conn == nil {
		c.mu.Unlock()
		c.writeMu.Unlock()
		return reqResult{}, ErrReconnecting
	}
	c.reqs = append(c.reqs, r)
	c.mu.Unlock()
	err := c.sendLocked(msg)
	if err != nil {
		c.mu.Lock()
		c.reqs = slices.DeleteFunc(c.reqs, func(q *request) bool { return q == r })
		c.mu.Unlock()
	}
	c.writeMu.Unlock()
	if err != nil {
		return reqResult{}, err
	}
	select {
	case res := <-r.ch:
		return res, res.err
	case <-ctx.Done():
		c.mu.Lock()
		r.abandoned = true // its reply, when it comes, is dropped
		c.mu.Unlock()
		return reqResult{}, ctx.Err()
	case <-c.done:
		return reqResult{}, c.Err()
	}
}

// Join asks for a seat in roomID (empty: any room) of mode (empty: the
// server's default) and waits for Joined or the server's Error, returned as
// *ServerError. Joining resets the replica and pending inputs; input seqs
// continue across rooms as the protocol asks. While redialing it fails
// with ErrReconnecting.
func (c *Client) Join(ctx context.Context, mode, roomID string) (*pb.Joined, error) {
	return c.join(ctx, &pb.JoinRoom{Mode: mode, RoomId: roomID})
}

// JoinCode asks for a seat in the room with join code (a private room's or
// any room's, from RoomCreated) and waits like Join; an unknown code is a
// *ServerError UNKNOWN_CODE.
func (c *Client) JoinCode(ctx context.Context, code string) (*pb.Joined, error) {
	return c.join(ctx, &pb.JoinRoom{JoinCode: code})
}

// join sends jr and waits for its Joined.
func (c *Client) join(ctx context.Context, jr *pb.JoinRoom) (*pb.Joined, error) {
	msg := &pb.ClientMessage{Body: &pb.ClientMessage_JoinRoom{JoinRoom: jr}}
	res, err := c.do(ctx, newRequest(reqJoin), msg)
	if err != nil {
		return nil, fmt.Errorf("client: join: %w", err)
	}
	return res.joined, nil
}

// CreateRoom opens a room of mode (empty: the server's default) with
// maxPlayers seats (0: the server's room size), private or listed, seats
// the caller in it and waits for RoomCreated (which holds the join code)
// and Joined. A refusal is a *ServerError such as TOO_MANY_ROOMS.
func (c *Client) CreateRoom(ctx context.Context, mode string, maxPlayers int, private bool) (*pb.RoomCreated, *pb.Joined, error) {
	if maxPlayers < 0 {
		return nil, nil, fmt.Errorf("client: create room: max players %d < 0", maxPlayers)
	}
	msg := &pb.ClientMessage{Body: &pb.ClientMessage_CreateRoom{CreateRoom: &pb.CreateRoom{
		Mode: mode, MaxPlayers: uint32(maxPlayers), Private: private}}}
	res, err := c.do(ctx, newRequest(reqCreate), msg)
	if err != nil {
		return nil, nil, fmt.Errorf("client: create room: %w", err)
	}
	return res.created, res.joined, nil
}

// ListRooms returns the first page of the server's public rooms of mode
// (empty: all modes), oldest first: at most the server's default page
// size (50). ListRoomsPage reads further pages.
func (c *Client) ListRooms(ctx context.Context, mode string) ([]*pb.RoomInfo, error) {
	list, err := c.ListRoomsPage(ctx, mode, "", 0)
	if err != nil {
		return nil, err
	}
	return list.GetRooms(), nil
}

// ListRoomsPage returns one page of the server's public rooms of mode:
// the one after cursor (empty: the first; else the NextCursor of the
// previous page), of at most limit rooms (0: the server's default; the
// server caps it). The page's NextCursor is empty on the last page. A
// server over its listing budget answers a *ServerError RATE_LIMITED.
func (c *Client) ListRoomsPage(ctx context.Context, mode, cursor string, limit int) (*pb.RoomList, error) {
	if limit < 0 {
		return nil, fmt.Errorf("client: list rooms: limit %d < 0", limit)
	}
	msg := &pb.ClientMessage{Body: &pb.ClientMessage_ListRooms{ListRooms: &pb.ListRooms{
		Mode: mode, Cursor: cursor, Limit: uint32(min(limit, 1<<31))}}}
	res, err := c.do(ctx, newRequest(reqList), msg)
	if err != nil {
		return nil, fmt.Errorf("client: list rooms: %w", err)
	}
	return res.list, nil
}

// SubscribeRooms subscribes to the public room list of mode (empty: all)
// and returns its first page (ListRoomsPage reads the others); fn is then
// called with every RoomUpdate of any public room of mode, on the reader
// goroutine like the ClientConfig callbacks, until UnsubscribeRooms. A new
// subscription replaces the previous one. After a redial the client
// subscribes again on its own and calls fn with the differences between
// the list it knew and the fresh one (CREATED, CHANGED, CLOSED), so fn's
// view stays whole. It waits up to 10 s for the list.
func (c *Client) SubscribeRooms(mode string, fn func(*pb.RoomUpdate)) (initial []*pb.RoomInfo, err error) {
	if fn == nil {
		return nil, fmt.Errorf("client: subscribe rooms: nil callback")
	}
	ctx, cancel := context.WithTimeout(c.life, clientRequestTimeout)
	defer cancel()
	r := newRequest(reqSubscribe)
	r.sub = &roomSub{mode: mode, fn: fn}
	msg := &pb.ClientMessage{Body: &pb.ClientMessage_SubscribeRooms{SubscribeRooms: &pb.SubscribeRooms{Mode: mode}}}
	res, err := c.do(ctx, r, msg)
	if err != nil {
		return nil, fmt.Errorf("client: subscribe rooms: %w", err)
	}
	return res.rooms, nil
}

// UnsubscribeRooms ends the room subscription: fn is not called again. It
// tells the server when connected; the server does not answer.
func (c *Client) UnsubscribeRooms() error {
	c.mu.Lock()
	c.sub = nil
	for _, r := range c.reqs {
		if r.kind == reqSubscribe {
			r.abandoned = true // a subscription still on its way ends too
		}
	}
	live := c.conn != nil
	c.mu.Unlock()
	if !live {
		return nil // a redial does not subscribe again; an ended client has none
	}
	if err := c.sendUnsubscribe(); err != nil {
		return fmt.Errorf("client: unsubscribe rooms: %w", err)
	}
	return nil
}

// sendUnsubscribe sends SubscribeRooms{unsubscribe}.
func (c *Client) sendUnsubscribe() error {
	return c.send(&pb.ClientMessage{Body: &pb.ClientMessage_SubscribeRooms{
		SubscribeRooms: &pb.SubscribeRooms{Unsubscribe: true}}})
}

// Leave gives up the seat; the server answers Left, which clears the room
// state and reaches OnMessage.
func (c *Client) Leave() error {
	msg := &pb.ClientMessage{Body: &pb.ClientMessage_LeaveRoom{LeaveRoom: &pb.LeaveRoom{}}}
	if err := c.send(msg); err != nil {
		return fmt.Errorf("client: leave: %w", err)
	}
	return nil
}

// headLocked returns the oldest waiting request if it is one of kinds.
func (c *Client) headLocked(kinds ...reqKind) *request {
	if len(c.reqs) == 0 || !slices.Contains(kinds, c.reqs[0].kind) {
		return nil
	}
	return c.reqs[0]
}

// handleJoinedLocked gives a Joined (not a resumed one) to the Join or
// CreateRoom it answers. The proto has RoomCreated first, the lobby
// queues Joined first: a CreateRoom takes both in either order.
func (c *Client) handleJoinedLocked(j *pb.Joined) {
	r := c.headLocked(reqJoin, reqCreate)
	switch {
	case r == nil:
	case r.kind == reqCreate && r.created == nil:
		r.joined = j
	default:
		c.popLocked(reqResult{joined: j, created: r.created})
	}
}

// handleRoomCreatedLocked gives RoomCreated to the CreateRoom it answers.
func (c *Client) handleRoomCreatedLocked(rc *pb.RoomCreated) {
	r := c.headLocked(reqCreate)
	switch {
	case r == nil:
	case r.joined == nil:
		r.created = rc
	default:
		c.popLocked(reqResult{joined: r.joined, created: rc})
	}
}

// popLocked answers the oldest request with res and forgets it.
func (c *Client) popLocked(res reqResult) {
	r := c.reqs[0]
	c.reqs[0] = nil
	c.reqs = c.reqs[1:]
	r.ch <- res
}

// failRequestsLocked answers every waiting request with err.
func (c *Client) failRequestsLocked(err error) {
	for _, r := range c.reqs {
		r.ch <- reqResult{err: err}
	}
	c.reqs = nil
}

// lobbyReply is what handling a lobby message leaves to do once mu is
// released: room updates for a subscription's callback, an unsubscribe.
type lobbyReply struct {
	fn          func(*pb.RoomUpdate)
	updates     []*pb.RoomUpdate
	unsubscribe bool
}

// run delivers the updates and sends the unsubscribe; reader goroutine,
// no lock held.
func (lr lobbyReply) run(c *Client) {
	for _, u := range lr.updates {
		lr.fn(u)
	}
	if lr.unsubscribe {
		if err := c.sendUnsubscribe(); err != nil {
			c.log.Debug("unsubscribe failed", "err", err)
		}
	}
}

// handleRoomListLocked gives a RoomList to the request it answers.
func (c *Client) handleRoomListLocked(list *pb.RoomList) lobbyReply {
	r := c.headLocked(reqList, reqSubscribe, reqResubscribe)
	if r == nil {
		return lobbyReply{} // unsolicited: OnMessage only
	}
	c.popLocked(reqResult{rooms: list.Rooms, list: list})
	switch r.kind {
	case reqSubscribe:
		if r.abandoned {
			return lobbyReply{unsubscribe: true}
		}
		r.sub.rooms = roomMap(list.Rooms)
		c.sub = r.sub
	case reqResubscribe:
		if c.sub != r.sub {
			return lobbyReply{} // unsubscribed or replaced meanwhile
		}
		updates := diffRooms(r.sub.rooms, list.Rooms, list.NextCursor == "")
		if list.NextCursor == "" {
			r.sub.rooms = roomMap(list.Rooms)
		} else {
			for _, room := range list.Rooms {
				r.sub.rooms[room.RoomId] = room
			}
		}
		return lobbyReply{fn: r.sub.fn, updates: updates}
	}
	return lobbyReply{}
}

// handleRoomUpdateLocked applies an update to the subscription.
func (c *Client) handleRoomUpdateLocked(u *pb.RoomUpdate) lobbyReply {
	if c.sub == nil || u.Room == nil {
		return lobbyReply{}
	}
	if u.Kind == pb.RoomUpdate_KIND_CLOSED {
		delete(c.sub.rooms, u.Room.RoomId)
	} else {
		c.sub.rooms[u.Room.RoomId] = u.Room
	}
	return lobbyReply{fn: c.sub.fn, updates: []*pb.RoomUpdate{u}}
}

// handleErrorLocked gives an Error to the oldest request, whose answer it is.
func (c *Client) handleErrorLocked(e *pb.Error) {
	if len(c.reqs) == 0 {
		return
	}
	r := c.reqs[0]
	c.popLocked(reqResult{err: serverError(e)})
	if r.kind == reqResubscribe && c.sub == r.sub {
		c.sub = nil
		c.log.Warn("room subscription refused after reconnect", "code", e.Code, "message", e.Message)
	}
}

// roomMap indexes rooms by id.
func roomMap(rooms []*pb.RoomInfo) map[string]*pb.RoomInfo {
	m := make(map[string]*pb.RoomInfo, len(rooms))
	for _, r := range rooms {
		m[r.RoomId] = r
	}
	return m
}

// diffRooms returns the updates that turn old into fresh: CLOSED for rooms
// gone (sorted by id), then CREATED or CHANGED in fresh's order.
//
// When fresh is only the first page of a longer list (complete false), a
// room of old missing from it may be on a later page: it is kept, not
// reported closed.
func diffRooms(old map[string]*pb.RoomInfo, fresh []*pb.RoomInfo, complete bool) []*pb.RoomUpdate {
	seen := make(map[string]bool, len(fresh))
	var out []*pb.RoomUpdate
	for _, r := range fresh {
		seen[r.RoomId] = true
	}
	var gone []string
	for id := range old {
		if !seen[id] && complete {
			gone = append(gone, id)
		}
	}
	slices.Sort(gone)
	for _, id := range gone {
		out = append(out, &pb.RoomUpdate{Kind: pb.RoomUpdate_KIND_CLOSED, Room: old[id]})
	}
	for _, r := range fresh {
		prev, ok := old[r.RoomId]
		switch {
		case !ok:
			out = append(out, &pb.RoomUpdate{Kind: pb.RoomUpdate_KIND_CREATED, Room: r})
		case !roomInfoEqual(prev, r):
			out = append(out, &pb.RoomUpdate{Kind: pb.RoomUpdate_KIND_CHANGED, Room: r})
		}
	}
	return out
}

// roomInfoEqual compares what a listing shows of a room; age always grows,
// so it alone is no change.
func roomInfoEqual(a, b *pb.RoomInfo) bool {
	return a.Mode == b.Mode && a.Phase == b.Phase && a.Players == b.Players &&
		a.MaxPlayers == b.MaxPlayers && a.Private == b.Private
}
