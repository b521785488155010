package lobby

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode/client"
	"github.com/tickwire/tickwire/netcode/wire"
)

// The stages of TestVisibility.
const (
	stageApart = iota
	stageTogether
	stageApartAgain
	stages
)

var stageNames = [stages]string{"apart", "together", "apart again"}

// sightWatcher checks, on a client's reader goroutine, every state the
// client applies and every event it delivers against what the test's
// current stage allows. Only two markers share the room, so any entity but
// the client's own is the other player's.
type sightWatcher struct {
	name string
	c    *client.Client

	mu        sync.Mutex
	stage     int
	beatTicks map[uint32]bool
	sightCounts
}

// sightCounts is what a sightWatcher counted.
type sightCounts struct {
	// Per stage: states applied, states holding the other marker, pings of
	// the own marker, pings of the other, beats (events naming nobody).
	States, StatesWithOther, OwnPings, OtherPings, Beats [stages]int
	// GoneTick is the first state of stageApartAgain without the other
	// marker, 0 until then; StatesAfterGone counts the states after it.
	GoneTick, StatesAfterGone int
	Problems                  []string
}

func newSightWatcher(name string) *sightWatcher {
	return &sightWatcher{name: name, beatTicks: make(map[uint32]bool)}
}

// config sets the watcher's callbacks on a client's config.
func (w *sightWatcher) config(cfg *client.ClientConfig) {
	cfg.OnSnapshot = w.onSnapshot
	cfg.OnEvent = w.onEvent
}

// problem records a broken rule; the test reports the first few.
func (w *sightWatcher) problemLocked(format string, args ...any) {
	if len(w.Problems) < 10 {
		w.Problems = append(w.Problems, fmt.Sprintf("%s, %s: ", w.name, stageNames[w.stage])+fmt.Sprintf(format, args...))
	}
}

func (w *sightWatcher) setStage(s int) {
	w.mu.Lock()
	w.stage = s
	w.mu.Unlock()
}

// self returns the client's own entity id. Joined is in place before any
// snapshot of the room is applied, so callbacks may rely on it.
func (w *sightWatcher) self() uint32 { return w.c.Joined().GetEntityId() }

// onSnapshot checks the state the client just applied: the callback runs on
// the reader goroutine right after the snapshot is applied, so State is
// exactly that snapshot's result, full or delta.
func (w *sightWatcher) onSnapshot(info client.SnapshotInfo) {
	self := w.self()
	tick, rows := w.c.State()
	w.mu.Lock()
	defer w.mu.Unlock()
	if tick != info.Tick {
		w.problemLocked("state at tick %d after applying snapshot %d", tick, info.Tick)
	}
	w.States[w.stage]++
	var others []uint32
	ownOK := false
	for i := range rows.Len() {
		if rows.ID(i) == self {
			ownOK = rows.Kind(i) == sightKindMarker && uint32(rows.Field(i, sightOwner)) == self
			continue
		}
		others = append(others, rows.ID(i))
	}
	if !ownOK {
		w.problemLocked("tick %d: own marker %d missing or not its own (rows %d)", tick, self, rows.Len())
	}
	if len(others) > 1 {
		w.problemLocked("tick %d: entities %v besides its own, want at most the other marker", tick, others)
	}
	switch w.stage {
	case stageApart:
		if len(others) > 0 {
			w.problemLocked("tick %d (base %d): sees %v out of reach", tick, info.BaseTick, others)
		}
	case stageTogether:
		if len(others) > 0 {
			w.StatesWithOther[w.stage]++
		}
	case stageApartAgain:
		if len(others) > 0 {
			w.StatesWithOther[w.stage]++
		}
		switch {
		case len(others) == 0 && w.GoneTick == 0:
			w.GoneTick = int(tick)
		case len(others) == 0:
			w.StatesAfterGone++
		case w.GoneTick != 0:
			w.problemLocked("tick %d (base %d): %v back in sight after it left at tick %d", tick, info.BaseTick, others, w.GoneTick)
		}
	}
}

// onEvent checks one delivered event: beats name nobody and reach
// everyone, exactly once; a ping names its marker, and the other's may
// reach only a player that sees it.
func (w *sightWatcher) onEvent(ev wire.Event) {
	self := w.self()
	w.mu.Lock()
	defer w.mu.Unlock()
	switch ev.Kind {
	case sightEventBeat:
		if ev.Actor != 0 || ev.Target != 0 || ev.Values[0] != int32(ev.Tick) {
			w.problemLocked("beat %+v: want no entity named and its tick as value", ev)
		}
		if w.beatTicks[ev.Tick] {
			w.problemLocked("beat of tick %d delivered twice", ev.Tick)
		}
		w.beatTicks[ev.Tick] = true
		w.Beats[w.stage]++
	case sightEventPing:
		if ev.Target != 0 || ev.Actor == 0 {
			w.problemLocked("ping %+v: want its marker as actor and no target", ev)
		}
		if ev.Actor == self {
			w.OwnPings[w.stage]++
			return
		}
		switch w.stage {
		case stageApart:
			w.problemLocked("ping of marker %d at tick %d (x %d) out of reach", ev.Actor, ev.Tick, ev.Values[0])
		case stageTogether:
			w.OtherPings[w.stage]++
		case stageApartAgain:
			w.OtherPings[w.stage]++
			// From the first state without the other marker on, no view
			// has it: a later ping of it cannot pass any view's filter.
			if w.GoneTick != 0 && int(ev.Tick) > w.GoneTick {
				w.problemLocked("ping of marker %d at tick %d after it left sight at tick %d", ev.Actor, ev.Tick, w.GoneTick)
			}
		}
	default:
		w.problemLocked("event of unknown kind %+v", ev)
	}
}

// counts returns a copy of what the watcher counted.
func (w *sightWatcher) counts() sightCounts {
	w.mu.Lock()
	defer w.mu.Unlock()
	c := w.sightCounts
	c.Problems = append([]string(nil), c.Problems...)
	return c
}

// TestVisibility plays two players of the sight mode over real loopback
// WebSockets: while they are far apart neither ever receives the other's
// marker (in any full or delta snapshot it applies) or a ping naming it,
// though both get every beat; together, each gets the other's marker and
// pings; apart again, the marker leaves each view for good.
func TestVisibility(t *testing.T) {
	modes := game.NewModes()
	modes.Register(sightMode())
	ts := startServerModes(t, nil, modes)
	ctx := timeout(t, 30*time.Second)

	wa, wb := newSightWatcher("a"), newSightWatcher("b")
	wa.c = dial(t, ts.url, "a", wa.config)
	wb.c = dial(t, ts.url, "b", wb.config)
	ja, err := wa.c.Join(ctx, sightModeName, "")
	if err != nil {
		t.Fatal(err)
	}
	jb, err := wb.c.Join(ctx, "", ja.GetRoomId())
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range []interface {
		GetEntityId() uint32
		GetPlayerId() uint32
	}{ja, jb} {
		if j.GetEntityId() == 0 || j.GetEntityId() != j.GetPlayerId() {
			t.Fatalf("joined as player %d with entity %d, want the player's id", j.GetPlayerId(), j.GetEntityId())
		}
	}
	if !proto.Equal(ja.GetSchema(), sightSchema.Proto()) || jb.GetRoomId() != ja.GetRoomId() {
		t.Fatalf("joined %v and %v: want one room with the sight schema", ja, jb)
	}

	// hold sends each client's x until every condition holds (at least
	// for minFor), checking the deadline.
	hold := func(stage string, xa, xb int32, minFor time.Duration, done func() bool) {
		t.Helper()
		start := time.Now()
		deadline := start.Add(15 * time.Second)
		for time.Since(start) < minFor || !done() {
			if time.Now().After(deadline) {
				t.Fatalf("%s: timed out; a %+v, b %+v", stage, wa.counts(), wb.counts())
			}
			for _, s := range []struct {
				c *client.Client
				x int32
			}{{wa.c, xa}, {wb.c, xb}} {
				if _, err := s.c.SendInput(s.x); err != nil {
					t.Fatalf("%s: send input: %v", stage, err)
				}
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	at := func(c *client.Client, x int32) bool {
		_, rows := c.State()
		i, ok := rows.Find(c.Joined().GetEntityId())
		return ok && rows.Field(i, sightX) == x
	}
	both := func(f func(w *sightWatcher) bool) func() bool {
		return func() bool { return f(wa) && f(wb) }
	}

	// Apart: several seconds out of each other's reach.
	const far = 50 * sightReach
	hold("apart", -far, far, 3*time.Second, func() bool { return at(wa.c, -far) && at(wb.c, far) })
	for _, w := range []*sightWatcher{wa, wb} {
		s := w.counts()
		if s.States[stageApart] < 20 || s.Beats[stageApart] < 60 || s.OwnPings[stageApart] < 60 {
			t.Errorf("%s apart: %d states, %d beats, %d own pings in 3 s; want at least 20, 60, 60",
				w.name, s.States[stageApart], s.Beats[stageApart], s.OwnPings[stageApart])
		}
	}

	// Together: within reach, each sees the other's marker and its pings.
	wa.setStage(stageTogether)
	wb.setStage(stageTogether)
	hold("together", 0, sightReach/2, 0, both(func(w *sightWatcher) bool {
		s := w.counts()
		return s.StatesWithOther[stageTogether] >= 3 && s.OtherPings[stageTogether] >= 3
	}))

	// Apart again: the other's marker leaves each view and stays out.
	wa.setStage(stageApartAgain)
	wb.setStage(stageApartAgain)
	hold("apart again", -far, far, time.Second, both(func(w *sightWatcher) bool {
		return w.counts().StatesAfterGone >= 10
	}))

	for _, w := range []*sightWatcher{wa, wb} {
		s := w.counts()
		for _, p := range s.Problems {
			t.Error(p)
		}
		if st := w.c.Stats(); st.Desyncs != 0 || st.DecodeErrors != 0 {
			t.Errorf("%s: %d desyncs, %d decode errors", w.name, st.Desyncs, st.DecodeErrors)
		}
		t.Logf("%s: states %v (with the other %v), beats %v, own pings %v, other's pings %v, gone at tick %d",
			w.name, s.States, s.StatesWithOther, s.Beats, s.OwnPings, s.OtherPings, s.GoneTick)
	}
}
