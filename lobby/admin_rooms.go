package lobby

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
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// inspectTimeout bounds how long the admin API waits for one room's goroutine.
const inspectTimeout = 2 * time.Second

// inspectParallel bounds the rooms a room list inspects at once.
const inspectParallel = 64

// lookup returns the live room with id, private ones included.
func (r *Registry) lookup(id string) (*roomEntry, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.rooms[id]
	if !ok || e.ended {
		return nil, false
	}
	return e, true
}

// entries returns the live rooms, oldest first, private ones included.
func (r *Registry) entries() []*roomEntry {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]*roomEntry, 0, len(r.order))
	for _, e := range r.order {
		if !e.ended {
			out = append(out, e)
		}
	}
	return out
}

// adminRoomLocked describes e from the registry's record; r.mu must be held.
func (r *Registry) adminRoomLocked(e *roomEntry) AdminRoom {
	return AdminRoom{
		ID: e.room.ID(), Mode: e.mode, State: PhaseName(e.phase), Private: e.private, JoinCode: e.code,
		Players: e.reserved, MaxPlayers: e.maxPlayers, AgeSeconds: int(time.Since(e.created) / time.Second),
	}
}

// adminRoom describes e from the registry and the room's own detail.
func (a *Admin) adminRoom(ctx context.Context, e *roomEntry) (AdminRoomDetail, error) {
	reg := a.srv.registry
	reg.mu.Lock()
	base := reg.adminRoomLocked(e)
	reg.mu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, inspectTimeout)
	defer cancel()
	d, err := e.room.Inspect(ctx)
	if err != nil {
		return AdminRoomDetail{AdminRoom: base}, err
	}
	out := AdminRoomDetail{AdminRoom: base}
	out.State = PhaseName(d.Phase)
	out.Tick = uint32(d.Tick)
	out.TickP50Ms = ms(d.TickP50)
	out.TickP99Ms = ms(d.TickP99)
	out.TickMaxMs = ms(d.TickMax)
	out.Overruns = uint64(d.Overruns)
	out.Entities = int(d.Entities)
	out.SnapshotBytesPerSec = float64(d.SnapshotBytesPerSec)
	out.Recording = e.recorder.Recording()
	out.Spectators = d.Spectators
	out.TickHz = int(d.TickHz)
	out.SnapshotHz = int(d.SnapshotHz)
	out.MaxPlayers = int(d.MaxPlayers)
	out.SkippedTicks = uint64(d.SkippedTicks)
	out.PlayerList = make([]AdminPlayer, 0, len(d.Players))
	for _, p := range d.Players {
		out.PlayerList = append(out.PlayerList, AdminPlayer{
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

// ms is d in milliseconds.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// roomOr404 finds the room named in the path, or answers 404.
func (a *Admin) roomOr404(w http.ResponseWriter, r *http.Request) (*roomEntry, bool) {
	id := r.PathValue("id")
	e, ok := a.srv.registry.lookup(id)
	if !ok {
		writeAdminError(w, http.StatusNotFound, fmt.Sprintf("unknown room %q", id))
		return nil, false
	}
	return e, true
}

// roomError answers an error of a room call: a room that ended meanwhile
// is unknown now.
func roomError(w http.ResponseWriter, id string, err error) {
	switch {
	case errors.Is(err, game.ErrRoomClosed):
		writeAdminError(w, http.StatusNotFound, fmt.Sprintf("unknown room %q (it has ended)", id))
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		writeAdminError(w, http.StatusServiceUnavailable, fmt.Sprintf("room %q did not answer: %v", id, err))
	default:
		writeAdminError(w, http.StatusInternalServerError, err.Error())
	}
}

// serveOverview: GET /v1/admin/overview.
func (a *Admin) serveOverview(w http.ResponseWriter, _ *http.Request) {
	s := a.srv
	out := AdminOverview{
		Version:       a.cfg.Version,
		GoVersion:     runtime.Version(),
		UptimeSeconds: time.Since(a.started).Seconds(),
		HeldSeats:     s.holds.cache.Len(),
		Goroutines:    runtime.NumGoroutine(),
	}
	s.mu.Lock()
	out.Connections = len(s.conns)
	out.Sessions = len(s.sessions)
	s.mu.Unlock()
	entries := s.registry.entries()
	out.Rooms = len(entries)
	s.registry.mu.Lock()
	for _, e := range entries {
		out.Players += e.reserved
	}
	s.registry.mu.Unlock()
	out.CPUSeconds, out.RSSBytes = processUsage()
	out.HeapBytes = heapBytes()
	writeAdmin(w, http.StatusOK, out)
}

// serveRooms: GET /v1/admin/rooms, every live room with its tick timings.
func (a *Admin) serveRooms(w http.ResponseWriter, r *http.Request) {
	entries := a.srv.registry.entries()
	rooms := make([]AdminRoom, len(entries))
	ok := make([]bool, len(entries))
	var g errgroup.Group
	g.SetLimit(inspectParallel)
	for i, e := range entries {
		g.Go(func() error {
			d, err := a.adminRoom(r.Context(), e)
			// A room that ended meanwhile drops out of the list.
			rooms[i], ok[i] = d.AdminRoom, err == nil || !errors.Is(err, game.ErrRoomClosed)
			return nil
		})
	}
	_ = g.Wait() // the goroutines return no errors
	out := AdminRoomList{Rooms: make([]AdminRoom, 0, len(rooms))}
	for i, room := range rooms {
		if ok[i] {
			out.Rooms = append(out.Rooms, room)
		}
	}
	writeAdmin(w, http.StatusOK, out)
}

// serveRoom: GET /v1/admin/rooms/{id}.
func (a *Admin) serveRoom(w http.ResponseWriter, r *http.Request) {
	e, ok := a.roomOr404(w, r)
	if !ok {
		return
	}
	d, err := a.adminRoom(r.Context(), e)
	if err != nil {
		roomError(w, e.room.ID(), err)
		return
	}
	writeAdmin(w, http.StatusOK, d)
}

// serveState: GET /v1/admin/rooms/{id}/state, the world as protojson.
func (a *Admin) serveState(w http.ResponseWriter, r *http.Request) {
	e, ok := a.roomOr404(w, r)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), inspectTimeout)
	defer cancel()
	tick, rows, err := e.room.State(ctx)
	if err != nil {
		roomError(w, e.room.ID(), err)
		return
	}
	b, err := protojson.MarshalOptions{Multiline: true, UseProtoNames: true, EmitUnpopulated: true}.
		Marshal(WorldView(e.room.ID(), tick, e.room.Schema(), rows))
	if err != nil {
		writeAdminError(w, http.StatusInternalServerError, fmt.Sprintf("marshal world view: %v", err))
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
