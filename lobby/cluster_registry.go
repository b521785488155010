package lobby

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tickwire/tickwire/directory"
	"github.com/tickwire/tickwire/game"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// goneMemory is how long a room that ended here is remembered as gone.
const goneMemory = time.Minute

// roomOf describes e for the directory; r.mu must be held.
func (c *clusterRooms) roomOf(e *roomEntry) directory.Room {
	return directory.Room{ID: e.room.ID(), Node: c.self.ID, Mode: e.mode, Code: e.code, Phase: PhaseName(e.phase),
		Players: e.reserved, MaxPlayers: e.maxPlayers, Private: e.private, Custom: e.custom, Created: e.created.UnixMilli()}
}

// clusterRooms returns the live rooms of this node for the directory.
func (r *Registry) clusterRooms() []directory.Room {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]directory.Room, 0, len(r.order))
	for _, e := range r.order {
		// A room that ended stays out even while its goroutine still
		// runs: registering it again would undo its "ended" phase.
		if !e.over() {
			out = append(out, r.cluster.roomOf(e))
		}
	}
	return out
}

// register records a room CreateRoom opened here before its creator is
// seated, so its code works on every node at once. On failure the room is
// closed again.
func (c *clusterRooms) register(ctx context.Context, r *Registry, e *roomEntry) error {
	if c == nil {
		return nil
	}
	r.mu.Lock()
	room := c.roomOf(e)
	r.mu.Unlock()
	err := c.dir.Register(ctx, room)
	if err == nil {
		return nil
	}
	r.release(e)
	e.room.Close(pb.CloseReason_CLOSE_REASON_ROOM_CLOSED)
	return clusterError(err, JoinRequest{})
}

// seatFreed gives a seat back in the directory; r.mu may be held (the
// write is queued).
func (c *clusterRooms) seatFreed(e *roomEntry) {
	if c != nil {
		c.dir.SeatFreed(e.room.ID())
	}
}

// closed takes an ended room out of the directory.
func (c *clusterRooms) closed(e *roomEntry) {
	if c == nil {
		return
	}
	c.mu.Lock()
	now := time.Now()
	for id, at := range c.gone {
		if now.Sub(at) > goneMemory {
			delete(c.gone, id)
		}
	}
	c.gone[e.room.ID()] = now
	c.mu.Unlock()
	c.dir.Closed(e.room.ID())
}

// phase records a room's new phase in the directory; r.mu is held.
func (c *clusterRooms) phase(e *roomEntry) {
	if c != nil {
		c.dir.SetPhase(e.room.ID(), PhaseName(e.phase))
	}
}

// ended records in the directory that a room has ended (async); its
// goroutine may still run.
func (c *clusterRooms) ended(e *roomEntry) {
	if c != nil {
		c.dir.SetPhase(e.room.ID(), PhaseName(pb.RoomPhase_ROOM_PHASE_ENDED))
	}
}

// sessionEnded tells the directory the session's connection here ended:
// keep is how long its record must last for a held seat (0: none).
func (c *clusterRooms) sessionEnded(sessionID string, keep time.Duration) {
	if c != nil {
		c.dir.EndSession(sessionID, keep)
	}
}

// seated records the session's seat (nil: none) in the directory, so a
// reconnection on any node finds it.
func (c *clusterRooms) seated(sessionID string, e *roomEntry) {
	if c == nil {
		return
	}
	id := ""
	if e != nil {
		id = e.room.ID()
	}
	c.dir.SetSeat(sessionID, id)
}

// place seats a player as req asks anywhere in the cluster: here (port and
// entry), or on another node (the placement to redirect the client to).
func (r *Registry) place(ctx context.Context, req JoinRequest, name string, link game.PlayerLink) (*game.InputPort, *roomEntry, *directory.Placement, error) {
	c := r.cluster
	c.placing.RLock()
	defer c.placing.RUnlock()
	var p directory.Placement
	var err error
	switch {
	case req.Code != "":
		p, err = c.dir.Reserve(ctx, "", normalizeJoinCode(req.Code), req.session)
	case req.RoomID != "":
		p, err = c.dir.Reserve(ctx, req.RoomID, "", req.session)
	default:
		var m game.Mode
		if m, err = r.mode(req.Mode); err != nil {
			joinsTotal.WithLabelValues(joinResult(err)).Inc()
			return nil, nil, nil, err
		}
		for range 3 { // a new room's random code may be taken
			p, err = c.dir.QuickPlay(ctx, m.Name, req.session, directory.Room{ID: newRoomID(), Code: newJoinCode(), Mode: m.Name, MaxPlayers: m.Settings.MaxPlayers})
			if !errors.Is(err, directory.ErrCodeTaken) {
				break
			}
		}
	}
	if err != nil {
		err = clusterError(err, req)
		joinsTotal.WithLabelValues(joinResult(err)).Inc()
		return nil, nil, nil, err
	}
	if p.Room.Node != c.self.ID {
		return nil, nil, &p, nil
	}
	port, entry, err := r.seatHere(ctx, p.Room.ID, name, link)
	return port, entry, nil, err
}

// honour seats a player who came with a reservation of a seat here.
func (r *Registry) honour(ctx context.Context, claims reservationClaims, name string, link game.PlayerLink) (*game.InputPort, *roomEntry, error) {
	r.cluster.placing.RLock()
	defer r.cluster.placing.RUnlock()
	if err := r.cluster.dir.Honour(ctx, claims.room, claims.id); err != nil {
		err = clusterError(err, JoinRequest{RoomID: claims.room})
		joinsTotal.WithLabelValues(joinResult(err)).Inc()
		return nil, nil, err
	}
	return r.seatHere(ctx, claims.room, name, link)
}

// seatHere seats a player in room id of this node, whose seat the
// directory has counted in already: it opens the room on its first
// arrival when the directory placed it here, and gives the seat back to
// the directory when it cannot be taken.
func (r *Registry) seatHere(ctx context.Context, id, name string, link game.PlayerLink) (*game.InputPort, *roomEntry, error) {
	c := r.cluster
	entry, opened, err := r.takeHere(ctx, id)
	if err != nil {
		c.dir.SeatFreed(id)
		joinsTotal.WithLabelValues(joinResult(err)).Inc()
		return nil, nil, err
	}
	if opened {
		r.publish(roomUpdate{kind: pb.RoomUpdate_KIND_CREATED, entry: entry})
	}
	return r.seat(ctx, entry, name, link)
}

// takeHere reserves a seat of room id in the local registry, opening the
// room as the directory describes it when it is not open yet.
func (r *Registry) takeHere(ctx context.Context, id string) (entry *roomEntry, opened bool, err error) {
	c := r.cluster
	r.mu.Lock()
	entry = r.rooms[id]
	r.mu.Unlock()
	if entry == nil {
		c.mu.Lock()
		_, gone := c.gone[id]
		c.mu.Unlock()
		if gone {
			matchmakingRefused.WithLabelValues("room_gone").Inc()
			return nil, false, fmt.Errorf("%w %q: it ended", ErrUnknownRoom, id)
		}
		room, ok, err := c.dir.Room(ctx, id)
		if err != nil {
			return nil, false, clusterError(err, JoinRequest{RoomID: id})
		}
		if !ok || room.Node != c.self.ID {
			return nil, false, fmt.Errorf("%w %q", ErrUnknownRoom, id)
		}
		m, err := r.mode(room.Mode)
		if err != nil {
			return nil, false, err
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		if entry = r.rooms[id]; entry == nil {
			if entry, err = r.openAsLocked(m, room.MaxPlayers, room.Private, room.Custom, id, room.Code); err != nil {
				return nil, false, err
			}
			opened = true
		}
	} else {
		r.mu.Lock()
		defer r.mu.Unlock()
	}
	if r.closed {
		return nil, false, ErrShuttingDown
	}
	if entry.over() {
		return nil, false, fmt.Errorf("%w %q", ErrUnknownRoom, id)
	}
	if entry.reserved >= entry.maxPlayers {
		return nil, false, fmt.Errorf("%w (%d of %d seats taken)", game.ErrRoomFull, entry.reserved, entry.maxPlayers)
	}
	entry.reserved++
	r.version++
	return entry, opened, nil
}

// clusterList returns the rooms of every live node, at most
// clusterListCacheAge old.
func (c *clusterRooms) clusterList(ctx context.Context) ([]directory.Room, error) {
	c.mu.Lock()
	if time.Since(c.listAt) < clusterListCacheAge {
		list := c.list
		c.mu.Unlock()
		return list, nil
	}
	c.mu.Unlock()
	list, err := c.dir.Rooms(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.list, c.listAt = list, time.Now()
	c.mu.Unlock()
	return list, nil
}

// page returns a listing page of the whole cluster (ok false: a single
// node, or the directory is unreachable and the node lists its own rooms).
func (c *clusterRooms) page(r *Registry, key listKey) (roomPage, bool) {
	if c == nil {
		return roomPage{}, false
	}
	ctx, cancel := context.WithTimeout(r.ctx, clusterListTimeout)
	defer cancel()
	list, err := c.clusterList(ctx)
	if err != nil {
		return roomPage{}, false
	}
	rooms := make([]directory.Room, 0, len(list))
	for _, room := range list {
		if !room.Private && (key.mode == "" || room.Mode == key.mode) {
			rooms = append(rooms, room)
		}
	}
	sort.SliceStable(rooms, func(i, j int) bool { return rooms[i].Seq < rooms[j].Seq })
	p := roomPage{total: len(rooms)}
	for _, room := range rooms {
		if room.Seq <= key.cursor {
			continue
		}
		if len(p.rooms) == key.limit {
			p.next = strconv.FormatUint(p.lastSeq, 10)
			break
		}
		p.rooms = append(p.rooms, roomInfo(room))
		p.nodes = append(p.nodes, room.Node)
		p.lastSeq = room.Seq
	}
	return p, true
}

// roomInfo turns a directory room into the protocol's RoomInfo.
func roomInfo(room directory.Room) *pb.RoomInfo {
	age := time.Since(time.UnixMilli(room.Created)) / time.Second
	return &pb.RoomInfo{RoomId: room.ID, Mode: room.Mode, Phase: phaseOf(room.Phase), Players: uint32(room.Players),
		MaxPlayers: uint32(room.MaxPlayers), AgeS: uint32(max(age, 0)), Private: room.Private}
}

// phaseOf parses a phase name of PhaseName.
func phaseOf(name string) pb.RoomPhase {
	return pb.RoomPhase(pb.RoomPhase_value["ROOM_PHASE_"+strings.ToUpper(name)])
}

// deliverRemote sends another node's room change to this node's
// subscribers of its mode.
func (r *Registry) deliverRemote(u directory.Update) {
	if u.Room.Private {
		return
	}
	kind := pb.RoomUpdate_KIND_CHANGED
	switch u.Kind {
	case directory.UpdateCreated:
		kind = pb.RoomUpdate_KIND_CREATED
	case directory.UpdateClosed:
		kind = pb.RoomUpdate_KIND_CLOSED
	}
	r.mu.Lock()
	targets := make([]*session, 0, len(r.subs))
	for s, mode := range r.subs {
		if mode == "" || mode == u.Room.Mode {
			targets = append(targets, s)
		}
	}
	r.mu.Unlock()
	if len(targets) == 0 {
		return
	}
	r.sendUpdate(targets, &pb.RoomUpdate{Kind: kind, Room: roomInfo(u.Room)})
}
