package arena

import (
	"testing"

	"github.com/tickwire/tickwire/game"
)

func TestMapSpawnPointsClear(t *testing.T) {
	w := newWorld(game.DefaultTickHz)
	for i, sp := range SpawnPoints {
		x, y := int64(sp.X)*w.unit, int64(sp.Y)*w.unit
		if w.overlapsWall(x, y, w.playerR+w.unit) {
			t.Errorf("spawn point %d %v touches a wall", i, sp)
		}
	}
	if len(SpawnPoints) < game.DefaultMaxPlayers {
		t.Errorf("%d spawn points for %d players", len(SpawnPoints), game.DefaultMaxPlayers)
	}
}
