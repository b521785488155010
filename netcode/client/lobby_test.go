package client

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
	"google.golang.org/protobuf/proto"
)

// room returns a RoomInfo for listings.
func room(id string, players uint32) *pb.RoomInfo {
	return &pb.RoomInfo{RoomId: id, Mode: "arena", Phase: pb.RoomPhase_ROOM_PHASE_WAITING, Players: players, MaxPlayers: 4}
}

// roomList is a RoomList message.
func roomList(rooms ...*pb.RoomInfo) *pb.ServerMessage {
	return &pb.ServerMessage{Body: &pb.ServerMessage_RoomList{RoomList: &pb.RoomList{Rooms: rooms}}}
}

// roomUpdate is a RoomUpdate message.
func roomUpdate(kind pb.RoomUpdate_Kind, r *pb.RoomInfo) *pb.ServerMessage {
	return &pb.ServerMessage{Body: &pb.ServerMessage_RoomUpdate{RoomUpdate: &pb.RoomUpdate{Kind: kind, Room: r}}}
}

// roomIDs lists the ids of rooms, in order.
func roomIDs(rooms []*pb.RoomInfo) []string {
	var ids []string
	for _, r := range rooms {
		ids = append(ids, r.RoomId)
	}
	return ids
}

// ctxWait is a context bounded by scriptWait.
func ctxWait(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), scriptWait)
	t.Cleanup(cancel)
	return ctx
}

func TestClientCreateRoom(t *testing.T) {
	type out struct {
		created *pb.RoomCreated
		joined  *pb.Joined
		err     error
	}
	created := &pb.RoomCreated{Room: &pb.RoomInfo{RoomId: "r7", Mode: "arena", MaxPlayers: 2, Private: true}, JoinCode: "K7QWXZ"}
	joined := joinedMsg("r7")
	joined.GetJoined().Phase = pb.RoomPhase_ROOM_PHASE_WAITING
	tests := []struct {
		name     string
		replies  []*pb.ServerMessage
		wantCode pb.ErrorCode // 0: success
	}{
		{"created", []*pb.ServerMessage{{Body: &pb.ServerMessage_RoomCreated{RoomCreated: created}}, joined}, 0},
		{"joined first", []*pb.ServerMessage{joined, {Body: &pb.ServerMessage_RoomCreated{RoomCreated: created}}}, 0},
		{"too many rooms", []*pb.ServerMessage{wire.ErrorMessage(pb.ErrorCode_ERROR_CODE_TOO_MANY_ROOMS, "")}, pb.ErrorCode_ERROR_CODE_TOO_MANY_ROOMS},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newScriptServer(t, scriptOpts{})
			c, sc := srv.dial(t, quiet)
			res := goAsync(func() out {
				cr, j, err := c.CreateRoom(ctxWait(t), "arena", 2, true)
				return out{cr, j, err}
			})
			got := sc.recv().GetCreateRoom()
			if want := (&pb.CreateRoom{Mode: "arena", MaxPlayers: 2, Private: true}); !proto.Equal(got, want) {
				t.Errorf("server got %v, want %v", got, want)
			}
			for _, m := range tt.replies {
				sc.write(m)
			}
			o := waitFor(t, res, "CreateRoom")
			if tt.wantCode != 0 {
				if se, ok := errorsAs[*ServerError](o.err); !ok || se.Code != tt.wantCode {
					t.Errorf("CreateRoom err = %v, want *ServerError %v", o.err, tt.wantCode)
				}
				return
			}
			if o.err != nil || o.created.GetJoinCode() != "K7QWXZ" || o.joined.GetRoomId() != "r7" {
				t.Fatalf("CreateRoom = %v, %v, %v", o.created, o.joined, o.err)
			}
			if c.Joined() != o.joined || c.Phase() != pb.RoomPhase_ROOM_PHASE_WAITING {
				t.Errorf("Joined() = %v, Phase() = %v", c.Joined(), c.Phase())
			}
		})
	}
	t.Run("negative seats", func(t *testing.T) {
		srv := newScriptServer(t, scriptOpts{})
		c, _ := srv.dial(t, quiet)
		if _, _, err := c.CreateRoom(context.Background(), "", -1, false); err == nil {
			t.Error("CreateRoom with -1 seats succeeded")
		}
	})
}

func TestClientJoinCode(t *testing.T) {
	tests := []struct {
		name     string
		reply    *pb.ServerMessage
		wantCode pb.ErrorCode
	}{
		{"joined", joinedMsg("r7"), 0},
		{"unknown code", wire.ErrorMessage(pb.ErrorCode_ERROR_CODE_UNKNOWN_CODE, "no such room"), pb.ErrorCode_ERROR_CODE_UNKNOWN_CODE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newScriptServer(t, scriptOpts{})
			c, sc := srv.dial(t, quiet)
			type out struct {
				j   *pb.Joined
				err error
			}
			res := goAsync(func() out {
				j, err := c.JoinCode(ctxWait(t), "k7qwxz")
				return out{j, err}
			})
			if jr := sc.recv().GetJoinRoom(); jr.GetJoinCode() != "k7qwxz" || jr.GetRoomId() != "" {
				t.Errorf("server got JoinRoom %v, want the code only", jr)
			}
			sc.write(tt.reply)
			o := waitFor(t, res, "JoinCode")
			if tt.wantCode == 0 {
				if o.err != nil || o.j.GetRoomId() != "r7" {
					t.Errorf("JoinCode = %v, %v", o.j, o.err)
				}
				return
			}
			if se, ok := errorsAs[*ServerError](o.err); !ok || se.Code != tt.wantCode || c.Joined() != nil {
				t.Errorf("JoinCode = %v, %v; Joined() %v; want *ServerError %v", o.j, o.err, c.Joined(), tt.wantCode)
			}
		})
	}
}

func TestClientListRooms(t *testing.T) {
	srv := newScriptServer(t, scriptOpts{})
	c, sc := srv.dial(t, quiet)
	type out struct {
		rooms []*pb.RoomInfo
		err   error
	}
	// Two requests in flight at once get their own answers, in order.
	list := goAsync(func() out {
		rooms, err := c.ListRooms(ctxWait(t), "arena")
		return out{rooms, err}
	})
	if lr := sc.recv().GetListRooms(); lr == nil || lr.Mode != "arena" {
		t.Fatalf("server got %v, want ListRooms{arena}", lr)
	}
	join := goAsync(func() error {
		_, err := c.JoinCode(ctxWait(t), "nope")
		return err
	})
	if sc.recv().GetJoinRoom() == nil {
		t.Fatal("server got no JoinRoom")
	}
	sc.write(roomList(room("a", 1), room("b", 3)))
	sc.write(wire.ErrorMessage(pb.ErrorCode_ERROR_CODE_UNKNOWN_CODE, ""))
	o := waitFor(t, list, "ListRooms")
	if o.err != nil || !slices.Equal(roomIDs(o.rooms), []string{"a", "b"}) || o.rooms[1].Players != 3 {
		t.Errorf("ListRooms = %v, %v", o.rooms, o.err)
	}
	if se, ok := errorsAs[*ServerError](waitFor(t, join, "JoinCode")); !ok || se.Code != pb.ErrorCode_ERROR_CODE_UNKNOWN_CODE {
		t.Errorf("JoinCode got %v, want the Error after the RoomList", se)
	}
}

func TestClientSubscribeRooms(t *testing.T) {
	srv := newScriptServer(t, scriptOpts{})
	updates := make(chan *pb.RoomUpdate, 8)
	msgs := make(chan *pb.ServerMessage, 16)
	cfg := quiet
	cfg.OnMessage = func(m *pb.ServerMessage) { msgs <- m }
	c, sc := srv.dial(t, cfg)
	type out struct {
		rooms []*pb.RoomInfo
		err   error
	}
	res := goAsync(func() out {
		rooms, err := c.SubscribeRooms("arena", func(u *pb.RoomUpdate) { updates <- u })
		return out{rooms, err}
	})
	if s := sc.recv().GetSubscribeRooms(); s == nil || s.Mode != "arena" || s.Unsubscribe {
		t.Fatalf("server got %v, want SubscribeRooms{arena}", s)
	}
	sc.write(roomList(room("a", 1)))
	if o := waitFor(t, res, "SubscribeRooms"); o.err != nil || !slices.Equal(roomIDs(o.rooms), []string{"a"}) {
		t.Fatalf("SubscribeRooms = %v, %v", o.rooms, o.err)
	}
	sc.write(roomUpdate(pb.RoomUpdate_KIND_CREATED, room("b", 1)))
	if u := waitFor(t, updates, "an update"); u.Kind != pb.RoomUpdate_KIND_CREATED || u.Room.RoomId != "b" {
		t.Errorf("update = %v, want b created", u)
	}

	// RoomState moves the phase of the room the client sits in only.
	sc.mustJoin(c)
	for _, rs := range []*pb.RoomState{
		{RoomId: "other", Phase: pb.RoomPhase_ROOM_PHASE_ENDED},
		{RoomId: "r1", Phase: pb.RoomPhase_ROOM_PHASE_COUNTDOWN, CountdownTicks: 180},
	} {
		sc.write(&pb.ServerMessage{Body: &pb.ServerMessage_RoomState{RoomState: rs}})
	}
	var states int
	for states < 2 {
		if waitFor(t, msgs, "RoomState").GetRoomState() != nil {
			states++
		}
	}
	if got := c.Phase(); got != pb.RoomPhase_ROOM_PHASE_COUNTDOWN {
		t.Errorf("Phase() = %v, want COUNTDOWN", got)
	}

	if err := c.UnsubscribeRooms(); err != nil {
		t.Fatal(err)
	}
	if s := sc.recv().GetSubscribeRooms(); !s.GetUnsubscribe() {
		t.Fatalf("server got %v, want SubscribeRooms{unsubscribe}", s)
	}
	sc.write(roomUpdate(pb.RoomUpdate_KIND_CLOSED, room("a", 0)))
	for waitFor(t, msgs, "the late update").GetRoomUpdate() == nil {
	}
	if len(updates) != 0 {
		t.Errorf("an update reached the callback after UnsubscribeRooms: %v", <-updates)
	}
}

func TestClientSubscriptionSurvivesReconnect(t *testing.T) {
	srv := newScriptServer(t, scriptOpts{})
	updates := make(chan *pb.RoomUpdate, 8)
	back := make(chan bool, 1)
	cfg := reconnecting()
	cfg.OnReconnect = func(resumed bool) { back <- resumed }
	c, sc := srv.dial(t, cfg)
	res := goAsync(func() error {
		_, err := c.SubscribeRooms("", func(u *pb.RoomUpdate) { updates <- u })
		return err
	})
	sc.recv()
	sc.write(roomList(room("a", 1), room("b", 1), room("c", 1)))
	if err := waitFor(t, res, "SubscribeRooms"); err != nil {
		t.Fatal(err)
	}
	sc.write(roomUpdate(pb.RoomUpdate_KIND_CHANGED, room("b", 2)))
	waitFor(t, updates, "b changed")

	// A request waiting when the connection drops fails clearly.
	join := goAsync(func() error {
		_, err := c.Join(ctxWait(t), "", "")
		return err
	})
	if sc.recv().GetJoinRoom() == nil {
		t.Fatal("server got no JoinRoom")
	}
	c.DropConnection()
	if err := waitFor(t, join, "Join"); !errors.Is(err, ErrReconnecting) {
		t.Errorf("Join waiting across a drop: err = %v, want ErrReconnecting", err)
	}
	sc.hangUp()

	// The client subscribes again and reports what changed meanwhile.
	sc2 := srv.accept(t, c)
	waitFor(t, back, "OnReconnect")
	if s := sc2.recv().GetSubscribeRooms(); s == nil || s.Unsubscribe {
		t.Fatalf("after the redial the server got %v, want SubscribeRooms", s)
	}
	sc2.write(roomList(room("b", 2), room("c", 4), room("d", 1)))
	var got []string
	for range 3 {
		u := waitFor(t, updates, "catch-up updates")
		got = append(got, u.Kind.String()+" "+u.Room.RoomId)
	}
	want := []string{"KIND_CLOSED a", "KIND_CHANGED c", "KIND_CREATED d"}
	if !slices.Equal(got, want) {
		t.Errorf("catch-up updates = %v, want %v", got, want)
	}
}

func TestDiffRooms(t *testing.T) {
	a, b := room("a", 1), room("b", 1)
	older := proto.Clone(b).(*pb.RoomInfo)
	older.AgeS = 99
	tests := []struct {
		name  string
		old   []*pb.RoomInfo
		fresh []*pb.RoomInfo
		want  []string
	}{
		{"same", []*pb.RoomInfo{a, b}, []*pb.RoomInfo{a, b}, nil},
		{"only age differs", []*pb.RoomInfo{b}, []*pb.RoomInfo{older}, nil},
		{"all gone", []*pb.RoomInfo{b, a}, nil, []string{"KIND_CLOSED a", "KIND_CLOSED b"}},
		{"all new", nil, []*pb.RoomInfo{b, a}, []string{"KIND_CREATED b", "KIND_CREATED a"}},
		{"phase changed", []*pb.RoomInfo{a}, []*pb.RoomInfo{{RoomId: "a", Mode: "arena", Phase: pb.RoomPhase_ROOM_PHASE_RUNNING, Players: 1, MaxPlayers: 4}},
			[]string{"KIND_CHANGED a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, u := range diffRooms(roomMap(tt.old), tt.fresh, true) {
				got = append(got, u.Kind.String()+" "+u.Room.RoomId)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("diffRooms = %v, want %v", got, tt.want)
			}
		})
	}
}
