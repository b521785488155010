package client

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// eventually polls cond until it holds, failing after scriptWait: for
// effects of frames the client reports nowhere but in its state.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(scriptWait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// wideRows returns three entities of wideSchema's kind whose every field
// depends on step i.
func wideRows(l *wire.Layout, i int) *wire.Rows {
	rows := wire.NewRows(l, 3)
	for _, id := range []uint32{2, 3, 7} {
		fields := rows.Append(id, 1)
		for f := range fields {
			fields[f] = int32(i*(f+1)) - int32(id)*int32(f)
		}
	}
	return rows
}

func TestClientWideSchema(t *testing.T) {
	const n = 20
	schema := wideSchema(n)
	l := wire.NewLayout(schema)
	srv := newScriptServer(t, scriptOpts{})
	applied := make(chan uint32, 4)
	cfg := quiet
	cfg.InterpolationDelay = time.Hour // far behind: the oldest snapshot shows
	cfg.OnSnapshot = func(si SnapshotInfo) { applied <- si.Tick }
	c, sc := srv.dial(t, cfg)
	if _, err := sc.join(c, "arena", "", joinedWith("r1", schema.Proto())); err != nil {
		t.Fatal(err)
	}
	if s := c.Schema(); s == nil || s.Width() != 1+n || s.KindNamed("wide") == nil {
		t.Fatalf("Schema() = %v, want the wide one", s)
	}
	sc.snapshot(3, 0, nil, wideRows(l, 3), 0, 0)
	waitTick(t, applied, 3)
	sc.snapshot(6, 3, wideRows(l, 3), wideRows(l, 6), 0, 0)
	waitTick(t, applied, 6)
	tick, rows := c.State()
	if tick != 6 || !rows.Equal(wideRows(l, 6)) || rows.Width() != 1+n || len(rows.Fields(0)) != n {
		t.Errorf("State() = %d %s, want 6 %s", tick, dump(rows), dump(wideRows(l, 6)))
	}
	if got := c.Interpolated(time.Now(), nil); !got.Equal(wideRows(l, 3)) {
		t.Errorf("Interpolated() = %s, want the oldest snapshot %s", dump(got), dump(wideRows(l, 3)))
	}
	p, ok := c.Predicted()
	if want := wideRows(l, 6).Fields(0); !ok || p.ID != 2 || !slices.Equal(p.Fields, want) {
		t.Errorf("Predicted() = %v, %v; want entity 2 with its %d fields %v", p, ok, n, want)
	}
	if st := c.Stats(); st.Snapshots != 2 || st.DecodeErrors != 0 || st.Desyncs != 0 {
		t.Errorf("Stats = %+v", st)
	}
}

func TestClientPredictedOwnEntity(t *testing.T) {
	// Player 7's entity is 5 by its owner field; entity 2 is owned by
	// player 1.
	at := func(x2, x5 int32) *wire.Rows {
		return rowsOf(ent(1, 0, 0, 0), ent(2, x2, 0, 0).with(fOwner, 1), crate(4, 0, 0, 0), ent(5, x5, 0, 0).with(fOwner, 7),
			ent(6, 0, 0, 0).with(fOwner, 7))
	}
	tests := []struct {
		name               string
		entityID, playerID uint32
		want               uint32 // 0: none
	}{
		{"entity id from Joined", 2, 7, 2},
		{"by owner field when Joined names none", 0, 7, 5},
		{"Joined names an absent entity", 3, 7, 0},
		{"nobody's entity", 0, 9, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newScriptServer(t, scriptOpts{})
			applied := make(chan uint32, 4)
			cfg := quiet
			cfg.Predict = movePredict
			cfg.OnSnapshot = func(si SnapshotInfo) { applied <- si.Tick }
			c, sc := srv.dial(t, cfg)
			j := joinedMsg("r1")
			j.GetJoined().EntityId, j.GetJoined().PlayerId = tt.entityID, tt.playerID
			if _, err := sc.join(c, "arena", "", j); err != nil {
				t.Fatal(err)
			}
			sc.snapshot(3, 0, nil, at(100, 200), 0, 0)
			sc.expectAck(3)
			if _, err := c.SendInput(0, 10, 0, 0); err != nil {
				t.Fatal(err)
			}
			sc.recvInput()
			p, ok := c.Predicted()
			if tt.want == 0 {
				if ok {
					t.Errorf("Predicted() = %v, want none", p)
				}
				return
			}
			if x := map[uint32]int32{2: 110, 5: 210}[tt.want]; !ok || p.ID != tt.want || p.Kind != kindPlayer || p.Fields[fX] != x {
				t.Fatalf("Predicted() = %v, %v; want entity %d moved to x %d", p, ok, tt.want, x)
			}
			// The server moved the entity 3 further than predicted: the
			// prediction error is measured on the same entity.
			sc.snapshot(6, 3, at(100, 200), at(113, 213), 1, 0)
			waitTick(t, applied, 6)
			if st := c.Stats(); st.PredictionErrorLast != 3 || st.PredictionErrorMax != 3 {
				t.Errorf("prediction error last %v max %v, want 3", st.PredictionErrorLast, st.PredictionErrorMax)
			}
		})
	}
}

func TestClientSendInputSchema(t *testing.T) {
	srv := newScriptServer(t, scriptOpts{})
	c, sc := srv.dial(t, quiet)
	sc.mustJoin(c)
	tests := []struct {
		name   string
		values []int32
		want   []int32 // nil with wantErr
		err    bool
	}{
		{"in range", []int32{5, -3, 4, 100}, []int32{5, -3, 4, 100}, false},
		{"clamped to each field", []int32{0xff, 500, -500, 5000}, []int32{7, moveAxisMax, -moveAxisMax, 5000 - angleSteps}, false},
		{"negative flags and angle", []int32{-1, 0, 0, -4097}, []int32{7, 0, 0, angleSteps - 1}, false},
		{"fewer values", []int32{3}, []int32{3}, false},
		{"no values", nil, nil, false},
		{"too many values", []int32{1, 2, 3, 4, 5}, nil, true},
	}
	seq := uint32(0)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.SendInput(tt.values...)
			if tt.err {
				if err == nil || errors.Is(err, ErrNotJoined) {
					t.Errorf("SendInput(%v) = %d, %v; want an error about the values", tt.values, got, err)
				}
				return
			}
			seq++
			if err != nil || got != seq {
				t.Fatalf("SendInput(%v) = %d, %v; want seq %d", tt.values, got, err, seq)
			}
			b := sc.recvInput()
			newest := b.Inputs[len(b.Inputs)-1]
			if newest.Seq != seq || !slices.Equal(newest.Values, tt.want) {
				t.Errorf("sent seq %d values %v, want seq %d values %v", newest.Seq, newest.Values, seq, tt.want)
			}
		})
	}
	// The refused input took no seq and sent nothing: the next one follows.
	if got, err := c.SendInput(1); err != nil || got != seq+1 {
		t.Fatalf("SendInput after a refusal = %d, %v; want seq %d", got, err, seq+1)
	}
	if b := sc.recvInput(); b.Inputs[len(b.Inputs)-1].Seq != seq+1 {
		t.Errorf("after a refusal the server got %v", b)
	}
	if st := c.Stats(); st.InputsSent != uint64(seq+1) {
		t.Errorf("InputsSent = %d, want %d", st.InputsSent, seq+1)
	}
}

func TestClientRefusesInvalidSchema(t *testing.T) {
	tooWide := wideSchema(wire.MaxFields + 1).Proto()
	noScale := testSchema.Proto()
	noScale.Entities[0].Fields[0].Scale = 0
	dupField := testSchema.Proto()
	dupField.Entities[1].Fields[1].Name = "x"
	kindZero := testSchema.Proto()
	kindZero.Entities[2].Kind = 0
	badInterp := testSchema.Proto()
	badInterp.Entities[0].Fields[3].Interpolation = pb.Interpolation_INTERPOLATION_ANGLE // on an INT
	tests := []struct {
		name   string
		schema *pb.Schema
	}{
		{"missing", nil},
		{"no entity kinds", &pb.Schema{Input: testSchema.Proto().Input}},
		{"too many fields", tooWide},
		{"fixed without a scale", noScale},
		{"a field name twice", dupField},
		{"kind number 0", kindZero},
		{"angle interpolation on an int", badInterp},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newScriptServer(t, scriptOpts{})
			applied := make(chan uint32, 4)
			cfg := quiet
			cfg.Predict = movePredict
			cfg.OnSnapshot = func(si SnapshotInfo) { applied <- si.Tick }
			c, sc := srv.dial(t, cfg)
			j, err := sc.join(c, "arena", "", joinedWith("r1", tt.schema))
			if err != nil || c.Joined() != j {
				t.Fatalf("Join = %v, %v; the seat is the server's to give", j, err)
			}
			if c.Schema() != nil {
				t.Fatalf("Schema() = %v, want none: refused", c.Schema())
			}
			// Snapshots of the room cannot be decoded: counted, not applied,
			// no resync asked (it would not help).
			sc.snapshot(3, 0, nil, world(1), 0, 0)
			sc.snapshot(6, 3, world(1), world(2), 0, 0)
			eventually(t, "two undecodable snapshots", func() bool { return c.Stats().DecodeErrors == 2 })
			if st := c.Stats(); st.Snapshots != 0 || st.ResyncRequests != 0 || st.LastTick != 0 {
				t.Errorf("Stats = %+v", st)
			}
			if tick, rows := c.State(); tick != 0 || rows.Len() != 0 {
				t.Errorf("State() = %d %s, want nothing", tick, dump(rows))
			}
			if got := c.Interpolated(time.Now(), nil); got.Len() != 0 {
				t.Errorf("Interpolated() = %s, want nothing", dump(got))
			}
			if p, ok := c.Predicted(); ok {
				t.Errorf("Predicted() = %v, want none", p)
			}
			if _, err := c.SendInput(0, 1, 1, 0); !errors.Is(err, ErrNotJoined) {
				t.Errorf("SendInput: err = %v, want ErrNotJoined", err)
			}
			// Nothing went out for any of it (no ack, resync or input): the
			// next frame the server reads is the next request.
			if err := c.Leave(); err != nil {
				t.Fatal(err)
			}
			if msg := sc.recv(); msg.GetLeaveRoom() == nil {
				t.Fatalf("want LeaveRoom next, got %v", msg)
			}
			// A room with a valid schema afterwards works.
			if _, err := sc.join(c, "arena", "", joinedMsg("r2")); err != nil {
				t.Fatal(err)
			}
			sc.snapshot(9, 0, nil, world(3), 0, 0)
			waitTick(t, applied, 9)
			if tick, rows := c.State(); tick != 9 || !rows.Equal(world(3)) {
				t.Errorf("State() in the next room = %d %s, want 9 %s", tick, dump(rows), dump(world(3)))
			}
		})
	}
}

func TestClientSecondRoomSchema(t *testing.T) {
	const n = 20
	wide := wideSchema(n)
	l := wire.NewLayout(wide)
	srv := newScriptServer(t, scriptOpts{})
	applied := make(chan uint32, 8)
	cfg := quiet
	cfg.InterpolationDelay = time.Hour // far behind: the oldest snapshot shows
	cfg.OnSnapshot = func(si SnapshotInfo) { applied <- si.Tick }
	c, sc := srv.dial(t, cfg)
	sc.mustJoin(c)
	sc.snapshot(3, 0, nil, world(1), 0, 0)
	sc.expectAck(3)
	sc.snapshot(6, 3, world(1), world(2), 0, 0)
	sc.expectAck(6)

	j, err := sc.join(c, "wide", "", joinedWith("r2", wide.Proto()))
	if err != nil || j.GetRoomId() != "r2" {
		t.Fatalf("Join = %v, %v", j, err)
	}
	if s := c.Schema(); s == nil || s.Width() != 1+n || s.KindNamed("wide") == nil {
		t.Fatalf("Schema() after the second Join = %v, want the wide one", s)
	}
	if tick, rows := c.State(); tick != 0 || rows.Len() != 0 || rows.Width() != 1+n {
		t.Errorf("State() in the new room = %d %s (width %d), want nothing of width %d", tick, dump(rows), rows.Width(), 1+n)
	}
	if got := c.Interpolated(time.Now(), nil); got.Len() != 0 {
		t.Errorf("Interpolated() shows the old room: %s", dump(got))
	}
	// The old room's states are no baseline here.
	sc.snapshot(9, 6, wideRows(l, 6), wideRows(l, 9), 0, 0)
	sc.expectResync(9)
	sc.snapshot(12, 0, nil, wideRows(l, 12), 0, 0)
	sc.expectAck(12)
	sc.snapshot(15, 12, wideRows(l, 12), wideRows(l, 15), 0, 0)
	sc.expectAck(15)
	if tick, rows := c.State(); tick != 15 || !rows.Equal(wideRows(l, 15)) {
		t.Errorf("State() = %d %s, want 15 %s", tick, dump(rows), dump(wideRows(l, 15)))
	}
	if got := c.Interpolated(time.Now(), nil); !got.Equal(wideRows(l, 12)) {
		t.Errorf("Interpolated() = %s, want the new room's oldest %s", dump(got), dump(wideRows(l, 12)))
	}
	if st := c.Stats(); st.Snapshots != 4 || st.MissingBaseSnapshots != 1 || st.Desyncs != 0 || st.DecodeErrors != 0 {
		t.Errorf("Stats = %+v", st)
	}
}

func TestClientMalformedDelta(t *testing.T) {
	srv := newScriptServer(t, scriptOpts{})
	applied := make(chan uint32, 4)
	cfg := quiet
	cfg.OnSnapshot = func(si SnapshotInfo) { applied <- si.Tick }
	c, sc := srv.dial(t, cfg)
	sc.mustJoin(c)
	sc.snapshot(3, 0, nil, world(1), 0, 0)
	sc.expectAck(3)
	sc.write(&pb.ServerMessage{Body: &pb.ServerMessage_Snapshot{Snapshot: &pb.Snapshot{
		Tick: 6, BaseTick: 3, Delta: []byte{0xff, 0xff, 0xff}, Checksum: 1}}})
	sc.expectResync(6)
	if tick, rows := c.State(); tick != 3 || !rows.Equal(world(1)) {
		t.Errorf("State() after a malformed delta = %d %s, want 3 %s", tick, dump(rows), dump(world(1)))
	}
	if st := c.Stats(); st.DecodeErrors != 1 || st.Desyncs != 0 || st.ResyncRequests != 1 {
		t.Errorf("Stats = %+v", st)
	}
}
