package game

// Hooks for the package's external tests (package game_test), which may
// import the shipped modes that package game itself cannot.

// JoinForTest seats a player directly, without Run: see join.
func (r *Room) JoinForTest(name string, link PlayerLink) (*InputPort, error) {
	return r.join(name, link)
}

// StepForTest runs one tick directly, without Run: see step.
func (r *Room) StepForTest() (ended bool) { return r.step() }

// TickForTest is the room's last tick.
func (r *Room) TickForTest() uint32 { return r.tick }

// EncodeCountsForTest reads the encode counters (full, delta).
func EncodeCountsForTest() (full, delta float64) { return encodeCounts() }
