package directory

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// scriptError turns a script's error reply into the package's errors; a
// failure to reach the store becomes ErrUnavailable.
func (d *Redis) scriptError(op string, err error) error {
	var re redis.Error
	if errors.As(err, &re) {
		code, text, _ := strings.Cut(re.Error(), " ")
		switch code {
		case "NOROOM":
			return fmt.Errorf("%w: %s", ErrNoRoom, text)
		case "FULL":
			return fmt.Errorf("%w (%s)", ErrFull, text)
		case "NONODE":
			return ErrNoNode
		case "CODETAKEN":
			return ErrCodeTaken
		}
	}
	return d.fail(op, err)
}

// QuickPlay reserves a seat for holder in the oldest quick-play room of
// mode with a free seat, or places newRoom on the least-loaded live node.
func (d *Redis) QuickPlay(ctx context.Context, mode, holder string, newRoom Room) (Placement, error) {
	if err := d.idLost(); err != nil {
		return Placement{}, err
	}
	self := d.Self().ID
	resv := newID(12)
	res, err := quickPlayScript.Run(ctx, d.rdb, d.seqKey(), d.cfg.Prefix, mode, self, resv,
		d.cfg.ReservationTTL.Milliseconds(), newRoom.ID, newRoom.Code, newRoom.MaxPlayers,
		flag(newRoom.Private), flag(newRoom.Custom), holder).StringSlice()
	if err != nil {
		return Placement{}, d.scriptError("quick_play", err)
	}
	p := Placement{Room: Room{ID: res[0], Node: res[1], Mode: mode}, NodeURL: res[2], Reservation: res[3], Opened: res[4] == "1"}
	if p.Opened {
		p.Room.Code, p.Room.MaxPlayers = newRoom.Code, newRoom.MaxPlayers
	}
	kind := UpdateChanged
	if p.Opened {
		kind = UpdateCreated
	}
	d.queue(func(ctx context.Context) error { return d.publishRoom(ctx, p.Room.ID, kind) })
	placements.WithLabelValues("quick_play", placementLabel(p, self)).Inc()
	return p, nil
}

// Reserve reserves a seat for holder in room id or, when id is empty, the
// room of join code.
func (d *Redis) Reserve(ctx context.Context, id, code, holder string) (Placement, error) {
	if err := d.idLost(); err != nil {
		return Placement{}, err
	}
	self := d.Self().ID
	resv := newID(12)
	res, err := reserveScript.Run(ctx, d.rdb, d.seqKey(), d.cfg.Prefix, id, strings.ToUpper(code), self, resv,
		d.cfg.ReservationTTL.Milliseconds(), holder).StringSlice()
	if err != nil {
		return Placement{}, d.scriptError("reserve", err)
	}
	p := Placement{Room: Room{ID: res[0], Node: res[1]}, NodeURL: res[2], Reservation: res[3]}
	d.queue(func(ctx context.Context) error { return d.publishRoom(ctx, p.Room.ID, UpdateChanged) })
	placements.WithLabelValues("reserve", placementLabel(p, self)).Inc()
	return p, nil
}

func placementLabel(p Placement, self string) string {
	switch {
	case p.Room.Node == self:
		return "local"
	default:
		return "remote"
	}
}

// Honour takes the seat a reservation holds in room id of this node.
func (d *Redis) Honour(ctx context.Context, id, reservation string) error {
	if err := d.idLost(); err != nil {
		return err
	}
	n, err := honourScript.Run(ctx, d.rdb, d.seqKey(), d.cfg.Prefix, id, d.Self().ID, reservation).Int()
	if err != nil {
		return d.scriptError("honour", err)
	}
	switch n {
	case 0:
		return fmt.Errorf("%w: room %s is not on this node", ErrNoRoom, id)
	case -1:
		return ErrReservation
	}
	return nil
}

// Register records a room of this node as it is now.
func (d *Redis) Register(ctx context.Context, r Room) error {
	if err := d.idLost(); err != nil {
		return err
	}
	if err := d.register(ctx, r); err != nil {
		if errors.Is(err, ErrCodeTaken) {
			return err
		}
		return d.fail("register", err)
	}
	d.queue(func(ctx context.Context) error { return d.publishRoom(ctx, r.ID, UpdateCreated) })
	return nil
}

func (d *Redis) register(ctx context.Context, r Room) error {
	if r.Node == "" {
		r.Node = d.Self().ID
	}
	if r.Created == 0 {
		r.Created = time.Now().UnixMilli()
	}
	if r.Phase == "" {
		r.Phase = "waiting"
	}
	err := registerScript.Run(ctx, d.rdb, d.seqKey(), d.cfg.Prefix, r.ID, r.Node, r.Mode, r.Code, r.Phase,
		r.Players, r.MaxPlayers, flag(r.Private), flag(r.Custom), r.Created).Err()
	var re redis.Error
	if errors.As(err, &re) && strings.HasPrefix(re.Error(), "CODETAKEN") {
		return ErrCodeTaken
	}
	return err
}

// Room returns room id, if the directory has it (on a live node or not).
func (d *Redis) Room(ctx context.Context, id string) (Room, bool, error) {
	r, ok, err := d.room(ctx, id)
	if err != nil {
		return Room{}, false, d.fail("room", err)
	}
	return r, ok, nil
}

func (d *Redis) room(ctx context.Context, id string) (Room, bool, error) {
	h, err := d.rdb.HGetAll(ctx, d.key("room", id)).Result()
	if err != nil {
		return Room{}, false, err
	}
	if h["node"] == "" {
		return Room{}, false, nil
	}
	n, _ := d.rdb.ZCount(ctx, d.key("room", id, "resv"), strconv.FormatInt(time.Now().UnixMilli(), 10), "+inf").Result()
	created, _ := strconv.ParseInt(h["created"], 10, 64)
	seq, _ := strconv.ParseUint(h["seq"], 10, 64)
	return Room{ID: id, Node: h["node"], Mode: h["mode"], Code: h["code"], Phase: h["phase"],
		Players: atoi(h["seated"]) + int(n), MaxPlayers: atoi(h["max"]), Private: h["private"] == "1",
		Custom: h["custom"] == "1", Created: created, Seq: seq}, true, nil
}

// SetPhase records a room's new phase and relays it (async).
func (d *Redis) SetPhase(id, phase string) {
	d.queue(func(ctx context.Context) error {
		if err := phaseScript.Run(ctx, d.rdb, d.seqKey(), d.cfg.Prefix, id, phase).Err(); err != nil {
			return err
		}
		return d.publishRoom(ctx, id, UpdateChanged)
	})
}

// SeatFreed gives back one seat of a room of this node (async).
func (d *Redis) SeatFreed(id string) {
	d.queue(func(ctx context.Context) error {
		if err := freeScript.Run(ctx, d.rdb, d.seqKey(), d.cfg.Prefix, id).Err(); err != nil {
			return err
		}
		return d.publishRoom(ctx, id, UpdateChanged)
	})
}

// Closed takes a room of this node out of the directory (async).
func (d *Redis) Closed(id string) {
	d.queue(func(ctx context.Context) error { return d.closeRoom(ctx, id) })
}

func (d *Redis) closeRoom(ctx context.Context, id string) error {
	mode, err := closeScript.Run(ctx, d.rdb, d.seqKey(), d.cfg.Prefix, id).Text()
	if err == redis.Nil {
		return nil
	}
	if err != nil {
		return err
	}
	d.publish(ctx, Update{Kind: UpdateClosed, Room: Room{ID: id, Mode: mode, Node: d.Self().ID, Phase: "ended"}})
	return nil
}

// Rooms returns the rooms of live nodes in cluster order.
func (d *Redis) Rooms(ctx context.Context) ([]Room, error) {
	res, err := roomsScript.Run(ctx, d.rdb, d.seqKey(), d.cfg.Prefix).Slice()
	if err != nil {
		return nil, d.fail("rooms", err)
	}
	out := make([]Room, 0, len(res))
	for _, row := range res {
		f, ok := row.([]any)
		if !ok || len(f) != 11 {
			continue
		}
		s := make([]string, len(f))
		for i, v := range f {
			s[i], _ = v.(string)
		}
		created, _ := strconv.ParseInt(s[9], 10, 64)
		seq, _ := strconv.ParseUint(s[10], 10, 64)
		out = append(out, Room{ID: s[0], Node: s[1], Mode: s[2], Code: s[3], Phase: s[4], Players: atoi(s[5]),
			MaxPlayers: atoi(s[6]), Private: s[7] == "1", Custom: s[8] == "1", Created: created, Seq: seq})
	}
	return out, nil
}

// Nodes returns the live nodes, sorted by id.
func (d *Redis) Nodes(ctx context.Context) ([]Node, error) {
	ids, err := d.rdb.ZRange(ctx, d.key("nodes"), 0, -1).Result()
	if err != nil {
		return nil, d.fail("nodes", err)
	}
	var out []Node
	for _, id := range ids {
		h, err := d.rdb.HGetAll(ctx, d.key("node", id)).Result()
		if err != nil {
			return nil, d.fail("nodes", err)
		}
		if h["url"] == "" {
			continue
		}
		out = append(out, Node{ID: id, URL: h["url"], Draining: h["draining"] == "1", MaxRooms: atoi(h["maxrooms"]),
			Players: atoi(h["players"]), Rooms: atoi(h["rooms"])})
	}
	sortNodes(out)
	return out, nil
}
