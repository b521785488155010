package admin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"time"

	"golang.org/x/sync/errgroup"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/lobby"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// inspectTimeout bounds how long the admin API waits for one room's goroutine.
const inspectTimeout = 2 * time.Second

// inspectParallel bounds the rooms a room list inspects at once.
const inspectParallel = 64

// describe describes room from the lobby's record and the room's own
// detail, taken on its goroutine.
func (a *API) describe(ctx context.Context, room lobby.LiveRoom) (RoomDetail, error) {
	base := Room{
		ID: room.Room.ID(), Mode: room.Mode, State: lobby.PhaseName(room.Phase), Private: room.Private, JoinCode: room.JoinCode,
		Players: room.Players, MaxPlayers: room.MaxPlayers, AgeSeconds: int(time.Since(room.Created) / time.Second),
		Recording: room.Recorder.Recording(),
	}
	ctx, cancel := context.WithTimeout(ctx, inspectTimeout)
	defer cancel()
	d, err := room.Room.Inspect(ctx)
	if err != nil {
		return RoomDetail{Room: base}, err
	}
	out := RoomDetail{Room: base}
	out.State = lobby.PhaseName(d.Phase)
	out.Tick = uint32(d.Tick)
	out.TickP50Ms = ms(d.TickP50)
	out.TickP99Ms = ms(d.TickP99)
	out.TickMaxMs = ms(d.TickMax)
	out.Overruns = uint64(d.Overruns)
	out.Entities = int(d.Entities)
	out.SnapshotBytesPerSec = float64(d.SnapshotBytesPerSec)
	out.Spectators = d.Spectators
	out.TickHz = int(d.TickHz)
	out.SnapshotHz = int(d.SnapshotHz)
	out.MaxPlayers = int(d.MaxPlayers)
	out.SkippedTicks = uint64(d.SkippedTicks)
	out.PlayerList = make([]Player, 0, len(d.Players))
	for _, p := range d.Players {
		out.PlayerList = append(out.PlayerList, Player{
			ID: uint32(p.Player), Name: p.Name, EntityID: uint32(p.EntityID), Connected: p.Connected,
			RTTMs: ms(p.RTT), InputQueueDepth: int(p.InputQueueDepth), DroppedInputs: uint64(p.DroppedInputs),
			LastAckedTick: uint32(p.LastAckedTick), LastAppliedSeq: uint32(p.LastAppliedSeq), BytesPerSec: float64(p.BytesPerSec),
		})
		if p.Connected {
			out.Connected++
		}
	}
	return out, nil
}

// describeID describes the live room id afresh; a room gone from the
// lobby has ended (game.ErrRoomClosed).
func (a *API) describeID(ctx context.Context, id string) (RoomDetail, error) {
	room, ok := a.op.Room(id)
	if !ok {
		return RoomDetail{}, fmt.Errorf("room %q: %w", id, game.ErrRoomClosed)
	}
	return a.describe(ctx, room)
}

// ms is d in milliseconds.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// roomOr404 finds the room named in the path, or answers 404.
func (a *API) roomOr404(w http.ResponseWriter, r *http.Request) (lobby.LiveRoom, bool) {
	id := r.PathValue("id")
	room, ok := a.op.Room(id)
	if !ok {
		unknownRoom(w, id)
		return room, false
	}
	return room, true
}

// unknownRoom answers 404 for a room this server does not have, in the
// words of every room endpoint.
func unknownRoom(w http.ResponseWriter, id string) {
	writeError(w, http.StatusNotFound, fmt.Sprintf("unknown room %q", id))
}

// roomError answers an error of a room call: a room that ended meanwhile
// is unknown now.
func roomError(w http.ResponseWriter, id string, err error) {
	switch {
	case errors.Is(err, game.ErrRoomClosed):
		writeError(w, http.StatusNotFound, fmt.Sprintf("unknown room %q (it has ended)", id))
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		writeError(w, http.StatusServiceUnavailable, fmt.Sprintf("room %q did not answer: %v", id, err))
	default:
		writeError(w, http.StatusInternalServerError, err.Error())
	}
}

// errNoPlayer answers a request about a player that names none.
const errNoPlayer = "player must be a player id (see the room's player_list)"

// playerError answers the error of a room call about player: 404 for a
// player the room does not have, else as roomError.
func playerError(w http.ResponseWriter, id string, player uint32, err error) {
	if errors.Is(err, game.ErrUnknownPlayer) {
		writeError(w, http.StatusNotFound, fmt.Sprintf("unknown player %d in room %q", player, id))
		return
	}
	roomError(w, id, err)
}

// serveOverview: GET /v1/admin/overview.
func (a *API) serveOverview(w http.ResponseWriter, _ *http.Request) {
	c := a.op.Counters()
	out := Overview{
		Version:       a.cfg.Version,
		GoVersion:     runtime.Version(),
		UptimeSeconds: time.Since(a.started).Seconds(),
		Connections:   c.Connections,
		Sessions:      c.Sessions,
		Rooms:         c.Rooms,
		Players:       c.Players,
		HeldSeats:     c.HeldSeats,
		Goroutines:    runtime.NumGoroutine(),
	}
	out.CPUSeconds, out.RSSBytes = processUsage()
	out.HeapBytes = heapBytes()
	writeJSON(w, http.StatusOK, out)
}

// serveRooms: GET /v1/admin/rooms, every live room with its tick timings.
func (a *API) serveRooms(w http.ResponseWriter, r *http.Request) {
	live := a.op.Rooms()
	rooms := make([]Room, len(live))
	ok := make([]bool, len(live))
	var g errgroup.Group
	g.SetLimit(inspectParallel)
	for i, room := range live {
		g.Go(func() error {
			d, err := a.describe(r.Context(), room)
			// A room that ended meanwhile drops out of the list.
			rooms[i], ok[i] = d.Room, err == nil || !errors.Is(err, game.ErrRoomClosed)
			return nil
		})
	}
	_ = g.Wait() // the goroutines return no errors
	out := RoomList{Rooms: make([]Room, 0, len(rooms))}
	node := a.op.Node()
	for i, room := range rooms {
		if ok[i] {
			room.Node = node
			out.Rooms = append(out.Rooms, room)
		}
	}
	for _, rr := range a.op.RemoteRooms() {
		out.Rooms = append(out.Rooms, Room{
			ID: rr.ID, Node: rr.Node, Remote: true, Mode: rr.Mode, State: lobby.PhaseName(rr.Phase), Private: rr.Private,
			JoinCode: rr.JoinCode, Players: rr.Players, MaxPlayers: rr.MaxPlayers, AgeSeconds: int(time.Since(rr.Created) / time.Second),
		})
	}
	writeJSON(w, http.StatusOK, out)
}

// serveRoom: GET /v1/admin/rooms/{id}.
func (a *API) serveRoom(w http.ResponseWriter, r *http.Request) {
	room, ok := a.roomOr404(w, r)
	if !ok {
		return
	}
	d, err := a.describe(r.Context(), room)
	if err != nil {
		roomError(w, room.Room.ID(), err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// serveState: GET /v1/admin/rooms/{id}/state, the world as protojson.
func (a *API) serveState(w http.ResponseWriter, r *http.Request) {
	room, ok := a.roomOr404(w, r)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), inspectTimeout)
	defer cancel()
	tick, rows, err := room.Room.State(ctx)
	if err != nil {
		roomError(w, room.Room.ID(), err)
		return
	}
	b, err := protojson.MarshalOptions{Multiline: true, UseProtoNames: true, EmitUnpopulated: true}.
		Marshal(WorldView(room.Room.ID(), tick, room.Room.Schema(), rows))
	if err != nil {
		writeError(w, http.StatusInternalServerError, fmt.Sprintf("marshal world view: %v", err))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(append(b, '\n'))
}

// WorldView makes a room's rows readable with its schema: each entity's
// kind and fields named, fixed-point and angle fields in their units, enum
// and flag fields by name.
func WorldView(roomID string, tick uint32, schema *wire.Schema, rows *wire.Rows) *pb.WorldView {
	v := &pb.WorldView{RoomId: roomID, Tick: tick, Schema: schema.Proto(), Entities: make([]*pb.EntityView, 0, rows.Len())}
	for i := range rows.Len() {
		ev := &pb.EntityView{Id: rows.ID(i), Kind: rows.Kind(i)}
		values := rows.Fields(i)
		if kind := schema.Kind(rows.Kind(i)); kind != nil {
			ev.KindName = kind.Name
			for f := range kind.Fields {
				fs := &kind.Fields[f]
				ev.Fields = append(ev.Fields, &pb.FieldView{
					Name: fs.Name, Raw: values[f], Value: fieldValue(fs, values[f]), Text: fs.Text(values[f]),
				})
			}
		}
		v.Entities = append(v.Entities, ev)
	}
	return v
}

// fieldValue is a raw value in its field's units: fixed point divided by
// its scale, angles in degrees, everything else as it is.
func fieldValue(f *wire.Field, raw int32) float64 {
	switch f.Type {
	case wire.TypeFixed:
		return float64(raw) / float64(f.Scale)
	case wire.TypeAngle:
		return float64(raw) * 360 / float64(f.Scale)
	}
	return float64(raw)
}
