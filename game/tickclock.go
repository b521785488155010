package game

import "github.com/tickwire/tickwire/netcode/wire"

// tickClock gives each snapshot tick the server time a client derives
// from it (docs/protocol.md, "Server time"): the time of an anchor tick
// plus the ticks since at the room's tick rate. A snapshot carries
// server_time_us only when it is full or the anchor moved after its
// baseline, which saves the field's bytes in nearly every snapshot. The
// anchor moves when the room's clock and the derived time part by more
// than a tick, as after the room skipped ticks it could not catch up.
// Room goroutine only.
type tickClock struct {
	tickHz int64
	// anchorTick and anchorUS are the anchor; anchorTick is 0 before the
	// first snapshot.
	anchorTick uint32
	anchorUS   int64
}

// at returns the server time of snapshot tick, whose simulation the room's
// clock read as nowUS, and the anchor tick in force for it.
func (c *tickClock) at(tick uint32, nowUS int64) (serverUS int64, anchor uint32) {
	if c.anchorTick != 0 && tick > c.anchorTick {
		derived := wire.DeriveServerTimeUS(c.anchorTick, c.anchorUS, tick, int(c.tickHz))
		if d := nowUS - derived; d <= 1_000_000/c.tickHz && d >= -1_000_000/c.tickHz {
			return derived, c.anchorTick
		}
	}
	c.anchorTick, c.anchorUS = tick, nowUS
	return nowUS, tick
}
