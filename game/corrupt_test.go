package game

import (
	"testing"

	"github.com/tickwire/tickwire/netcode/wire"
)

func TestCorruptChecksumHook(t *testing.T) {
	cfg := testConfig() // a snapshot every 3 ticks
	cfg.TestCorruptChecksum = func(tick uint32) bool { return tick == 6 }
	r, _ := newTestRoom(t, cfg)
	_, la := mustJoin(t, r, "ann")
	_, lb := mustJoin(t, r, "bob")
	steps(t, r, 9)
	for name, link := range map[string]*fakeLink{"ann": la, "bob": lb} {
		snaps := link.snapshots()
		if len(snaps) != 3 {
			t.Fatalf("%s got %d snapshots, want 3", name, len(snaps))
		}
		for _, s := range snaps {
			if s.GetBaseTick() != 0 {
				t.Fatalf("%s: snapshot %d is a delta; the test expects full ones (no acks)", name, s.GetTick())
			}
			view := wire.NewRows(fakeLayout, 0)
			if err := wire.ApplyDelta(view, nil, s.GetDelta()); err != nil {
				t.Fatalf("%s: snapshot %d: %v", name, s.GetTick(), err)
			}
			if bad := wire.Checksum(view) != s.GetChecksum(); bad != (s.GetTick() == 6) {
				t.Errorf("%s: snapshot %d checksum wrong = %v, want wrong only at tick 6", name, s.GetTick(), bad)
			}
		}
	}
}
