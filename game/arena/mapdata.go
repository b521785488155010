package arena

// The arena's fixed layout in whole world units. The playable floor is
// [0, ArenaWidth] × [0, ArenaHeight]; thick border walls sit outside it so
// nothing can leave even when pushed hard.
const (
	// ArenaWidth is the playable width in world units.
	ArenaWidth = 1600
	// ArenaHeight is the playable height in world units.
	ArenaHeight = 1000
	// borderThickness keeps the border walls far thicker than any per-tick
	// movement, so clamping out of them never picks the wrong side.
	borderThickness = 200
)

// Box is an axis-aligned wall block in world units.
type Box struct {
	MinX, MinY, MaxX, MaxY int32
}

// Point is a spot on the map in world units.
type Point struct {
	X, Y int32
}

// Walls is the arena's solid geometry: four border walls, then the interior
// blocks. Callers must not modify it.
var Walls = [...]Box{
	{-borderThickness, -borderThickness, ArenaWidth + borderThickness, 0},                        // bottom
	{-borderThickness, ArenaHeight, ArenaWidth + borderThickness, ArenaHeight + borderThickness}, // top
	{-borderThickness, 0, 0, ArenaHeight},                                                        // left
	{ArenaWidth, 0, ArenaWidth + borderThickness, ArenaHeight},                                   // right
	{720, 420, 880, 580},   // centre block
	{300, 200, 340, 420},   // west pillar
	{1260, 580, 1300, 800}, // east pillar
	{260, 720, 520, 760},   // north-west bar
	{1080, 240, 1340, 280}, // south-east bar
	{560, 140, 600, 300},   // south stub
	{1000, 700, 1040, 860}, // north stub
}

// SpawnPoints are where players enter and respawn; each is clear of every
// wall by more than a player's radius.
var SpawnPoints = []Point{
	{100, 100}, {800, 80}, {1500, 100}, {1500, 500},
	{1500, 900}, {800, 920}, {100, 900}, {100, 500},
	{420, 320}, {1180, 680}, {420, 600}, {1180, 400},
	{640, 500}, {960, 500}, {800, 300}, {800, 700},
}
