package lobby

import (
	"math/rand/v2"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/tickwire/tickwire/game/catalog"
	"github.com/tickwire/tickwire/game/drones"
	"github.com/tickwire/tickwire/netcode/client"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// TestDronesRoom plays a drones room of the shipped catalogue end to end
// over real loopback WebSockets: two clients join drones, get its schema
// and rates in Joined, fly their drones with the mode's pilot and keep
// verified replicas in which each finds its own drone.
func TestDronesRoom(t *testing.T) {
	ts := startServerModes(t, func(c *Config) { c.Rooms.DefaultMode = "arena" }, catalog.Builtin())
	ctx := timeout(t, 30*time.Second)

	type pilot struct {
		c      *client.Client
		joined *pb.Joined
		rng    *rand.Rand
		start  []int32 // the own drone's row in the first state seen
		moved  bool
	}
	pilots := make([]*pilot, 2)
	for i := range pilots {
		p := &pilot{rng: rand.New(rand.NewPCG(uint64(i), 11))}
		p.c = dial(t, ts.url, []string{"ada", "bob"}[i], nil)
		room := ""
		if i > 0 {
			room = pilots[0].joined.GetRoomId()
		}
		j, err := p.c.Join(ctx, "drones", room)
		if err != nil {
			t.Fatalf("join drones: %v", err)
		}
		if j.GetMode() != "drones" || j.GetTickHz() != 30 || j.GetSnapshotHz() != 15 || j.GetEntityId() == 0 {
			t.Fatalf("joined %v: want drones at 30/15 Hz with an entity", j)
		}
		if !proto.Equal(j.GetSchema(), drones.Schema.Proto()) {
			t.Fatalf("joined with schema %v, want the drones schema", j.GetSchema())
		}
		if room != "" && j.GetRoomId() != room {
			t.Fatalf("second pilot joined room %s, want %s", j.GetRoomId(), room)
		}
		p.joined = j
		pilots[i] = p
	}

	// own finds the pilot's drone in its newest state both ways a client
	// can: by Joined's entity id, and by the owner field alone.
	own := func(p *pilot) (*wire.Rows, int, bool) {
		_, rows := p.c.State()
		i, ok := client.OwnEntity(p.c.Schema(), rows, p.joined.GetEntityId(), p.joined.GetPlayerId())
		if !ok {
			return rows, 0, false
		}
		byOwner, ok := client.OwnEntity(p.c.Schema(), rows, 0, p.joined.GetPlayerId())
		if !ok || byOwner != i {
			t.Fatalf("player %d: own drone at row %d by entity id, at %d (found %v) by owner",
				p.joined.GetPlayerId(), i, byOwner, ok)
		}
		if rows.Kind(i) != drones.KindDrone || uint32(rows.Field(i, drones.DroneOwner)) != p.joined.GetPlayerId() {
			t.Fatalf("player %d: own entity %v is not its drone", p.joined.GetPlayerId(), rows.Row(i))
		}
		return rows, i, true
	}

	for _, p := range pilots {
		waitSnapshots(t, p.c, 3)
	}
	seqStart := make([]uint32, len(pilots))
	for i, p := range pilots {
		seqStart[i] = p.c.Stats().LastAppliedInputSeq
	}
	// Fly for two seconds at 15 inputs a second, each drone piloted on
	// what its client sees.
	tick := time.NewTicker(time.Second / 15)
	defer tick.Stop()
	for end := time.Now().Add(2 * time.Second); time.Now().Before(end); <-tick.C {
		for _, p := range pilots {
			rows, i, ok := own(p)
			if !ok {
				t.Fatalf("player %d: own drone %d not in the state (%d entities)", p.joined.GetPlayerId(), p.joined.GetEntityId(), rows.Len())
			}
			pos := rows.Fields(i)[drones.DroneX : drones.DroneZ+1]
			if p.start == nil {
				p.start = append([]int32(nil), pos...)
			} else if pos[0] != p.start[0] || pos[1] != p.start[1] || pos[2] != p.start[2] {
				p.moved = true
			}
			in := drones.Pilot(p.joined.GetEntityId(), rows, p.rng)
			if _, err := p.c.SendInput(in.Values()...); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i, p := range pilots {
		waitFor(t, "the last inputs applied", func() bool { return p.c.Stats().LastAppliedInputSeq > seqStart[i] })
		st := p.c.Stats()
		if st.Snapshots < 10 || st.Desyncs != 0 || st.DecodeErrors != 0 {
			t.Errorf("player %d: %d snapshots, %d desyncs, %d decode errors; want 10 or more, none, none",
				p.joined.GetPlayerId(), st.Snapshots, st.Desyncs, st.DecodeErrors)
		}
		if !p.moved {
			t.Errorf("player %d: drone never left %v in two seconds of flight", p.joined.GetPlayerId(), p.start)
		}
		t.Logf("player %d: %d snapshots (%d full), inputs applied up to %d, started at %v",
			p.joined.GetPlayerId(), st.Snapshots, st.FullSnapshots, st.LastAppliedInputSeq, p.start)
	}
}
